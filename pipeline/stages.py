"""The stages on a project's files: the one path the CLI, the review page, bench/ and the tests take.

    read_documents    source/<doc>.*             -> Document, every one read and checked first
    extract           a Document                 -> its template, locales/<doc>.pot
    merge_catalog     the .pot and the .po       -> the merged .po, not yet saved
    load_translation  the .po, or one error saying to run `make update` first
    locked            hold the locks of the catalogs a run rewrites (read-modify-write)
    SharedCatalog     a .po a long run edits while reviewers save it: each save merges
    open_mt           the model, engine, glossary masker and cache, wired as `translate` runs them,
                      on this machine or on a Dask cluster (``Cluster``)
    save              any catalog, atomically; a file that cannot be written is one error line

Functions return what they did; saying it is the caller's job. Heavy
imports (CTranslate2, the QA checks) happen inside the functions that need
them, so light commands stay light.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.catalog import POT_STAMP, Catalog, load_catalog, save_catalog
from pipeline.document import Boilerplate, Document
from pipeline.errors import CatalogError, EngineError, PipelineError
from pipeline.lock import file_lock, file_locks
from pipeline.project import Project

if TYPE_CHECKING:
    from pipeline.memory import TranslationMemory
    from pipeline.mt.argos import Threads
    from pipeline.mt.cache import TranslationCache
    from pipeline.mt.engine import Engine
    from pipeline.mt.masking import Masker
    from pipeline.mt.models import ModelInfo
    from pipeline.progress import Progress
    from pipeline.reader import KnownParagraphs
    from pipeline.translate import DraftReport
    from pipeline.update import MergeReport


# -- sources ----------------------------------------------------------------------

def read_document(project: Project, path: Path, *, encoding: str | None = None,
                  boilerplate: Boilerplate = Boilerplate.DROP) -> Document:
    from pipeline.reader import read_document as read

    project.check_inside(path)
    encoding = encoding or project.source_encoding(path)  # --encoding wins over idpo.toml
    return read(path, display_path=project.display_path(path), encoding=encoding, boilerplate=boilerplate,
                known=_known_paragraphs(project, Path(path)))


def _known_paragraphs(project: Project, path: Path) -> KnownParagraphs | None:
    """How the document's paragraphs began and ended at its last extract (its .pot)."""
    from pipeline.document import SourceFormat
    from pipeline.extract import paragraph_bounds
    from pipeline.reader import KnownParagraphs, source_format_for

    pot = project.pot_path(path.stem)
    if source_format_for(path) is not SourceFormat.TEXT or not pot.is_file():
        return None
    try:
        return KnownParagraphs(*paragraph_bounds(load_catalog(pot, display_path=project.display_path(pot))))
    except CatalogError:
        return None  # a damaged template is rebuilt by extract; a hint is not worth an error


def read_documents(project: Project, names: list[str] | None, *, encoding: str | None = None,
                   boilerplate: Boilerplate = Boilerplate.DROP) -> list[Document]:
    """The documents named (all of source/ when none), each read and checked before any is used."""
    return [read_document(project, path, encoding=encoding, boilerplate=boilerplate)
            for path in project.select(names)]


# -- catalogs ---------------------------------------------------------------------

def extract(document: Document) -> Catalog:
    """The template of one document."""
    from pipeline.extract import extract as extract_template

    return extract_template([document], document.domain)


def load_template(project: Project, domain: str) -> Catalog:
    pot = project.pot_path(domain)
    if not pot.is_file():
        raise CatalogError("no template; run `make extract` first", project.display_path(pot))
    return load_catalog(pot, display_path=project.display_path(pot))


def load_translation(project: Project, domain: str) -> Catalog:
    """The document's .po, read strictly; one error naming `make update` when there is none."""
    po = project.po_path(domain)
    if not po.is_file():
        raise CatalogError("no catalog; run `make update` first", project.display_path(po))
    return load_catalog(po, display_path=project.display_path(po), language=project.language)


def sentences_without_unit(document: Document, catalog: Catalog) -> list[str]:
    """The source's sentences the catalog has no unit for: the source changed since `make update`."""
    from pipeline.extract import segment_keys

    keys = dict.fromkeys(segment_keys(document).values())
    return [msgid for context, msgid in keys if catalog.get(msgid, context) is None]


def merge_catalog(project: Project, domain: str, *, purge: bool = False) -> tuple[Catalog, MergeReport]:
    """The document's .po merged with its fresh template (not saved)."""
    from pipeline.update import merge

    template = load_template(project, domain)
    old = load_translation(project, domain) if project.po_path(domain).is_file() else None
    return merge(template, old, language=project.language, purge=purge)


def save(project: Project, catalog: Catalog, path: Path) -> bool:
    """Write ``catalog`` atomically (a template when ``path`` is a .pot); False when nothing changed."""
    with writing(project.display_path(path)):
        if path.suffix == ".pot":  # a template can be rebuilt: no fsync
            return save_catalog(catalog, path, stamp=POT_STAMP, durable=False)
        return save_catalog(catalog, path)


@contextmanager
def locked(project: Project, paths: list[Path], *, timeout: float | None = None) -> Iterator[None]:
    """Hold the locks of the files a run is about to read, change and write again."""
    with file_locks(paths, timeout=timeout, shown=project.display_path):
        yield


class SharedCatalog:
    """A document's .po that a long run (``translate``) changes in memory while others
    (the review page, ``update``, another run) may save it.

    ``save`` holds the catalog's lock only while it reads the file again and writes
    this run's changes into it: a unit somebody else changed since this run read
    it keeps their version, and this run leaves that unit alone from then on.
    """

    def __init__(self, project: Project, domain: str):
        self.project, self.path = project, project.po_path(domain)
        self.catalog = load_translation(project, domain)
        self._base: dict[tuple, tuple | None] = {unit.key: unit.snapshot for unit in self.catalog.units()}
        self.yielded = 0  # units left as somebody else saved them meanwhile
        self.written = False  # some save changed the file

    def save(self) -> bool:
        """Merge this run's changes into the file on disk; False when the file did not change."""
        with file_lock(self.path, shown=self.project.display_path(self.path)):
            if not self.path.is_file():  # deleted meanwhile: this run's copy is all there is
                return self._wrote(save(self.project, self.catalog, self.path))
            disk = load_translation(self.project, self.path.stem)
            carried = {}
            for unit in self.catalog.units():
                base = self._base.get(unit.key)
                if base is None or unit.snapshot == base:
                    continue
                theirs = disk.get(unit.msgid, unit.msgctxt)
                if theirs is None or theirs.snapshot != base:  # gone after an update, or edited by someone
                    self._base[unit.key] = None
                    self.yielded += theirs is not None
                    continue
                theirs.adopt(unit)
                carried[unit.key] = unit.snapshot
            changed = save(self.project, disk, self.path)
            self._base.update(carried)  # only once written: a failed save is merged again next time
            return self._wrote(changed)

    def _wrote(self, changed: bool) -> bool:
        self.written = self.written or changed
        return changed


@contextmanager
def writing(shown: str) -> Iterator[None]:
    """A file that cannot be written (permissions, a folder in the way, a full disk)
    becomes one error naming it; writes are atomic, so the old file is still whole."""
    try:
        yield
    except OSError as exc:
        raise PipelineError(f"cannot write: {exc.strerror or exc}", shown) from None


# -- translation memory --------------------------------------------------------------

def open_memory(project: Project, *, progress: Progress | None = None) -> TranslationMemory:
    """People's translations in every catalog of the project and every imported TMX, indexed once;
    ``progress`` counts the files read."""
    from pipeline.memory import TranslationMemory

    return TranslationMemory.of_project(project, progress=progress)


# -- machine translation ------------------------------------------------------------

@dataclass(frozen=True)
class Cluster:
    """Where MT runs when not in this process: ``workers`` local Dask processes, or the
    Dask cluster at ``scheduler`` (``ship_model``: send it the package, not a folder name)."""

    workers: int | None = None
    scheduler: str | None = None
    ship_model: bool = False

    @property
    def where(self) -> str:
        return f"the Dask cluster at {self.scheduler}" if self.scheduler else f"{self.workers} local Dask workers"


@dataclass
class MT:
    """The MT stage as `translate` runs it: one model's engine, the project's masker and cache."""

    model: ModelInfo | None  # None when the caller brought its own engine
    engine: Engine
    masker: Masker
    cache: TranslationCache

    def draft(self, catalog: Catalog, **options) -> DraftReport:
        """``translate.draft_catalog`` with this wiring; ``options`` are its keyword arguments."""
        from pipeline.translate import draft_catalog

        return draft_catalog(catalog, self.engine, masker=self.masker, cache=self.cache, **options)

    def draft_all(self, catalogs: list[Catalog], **options) -> list[DraftReport]:
        """``translate.draft_catalogs``: one run's chunks shared by all its catalogs."""
        from pipeline.translate import draft_catalogs

        return draft_catalogs(catalogs, self.engine, masker=self.masker, cache=self.cache, **options)


@contextmanager
def open_mt(project: Project, *, model: str | None = None, threads: Threads | None = None,
            batch_size: int | None = None, engine: Engine | None = None,
            cluster: Cluster | None = None) -> Iterator[MT]:
    """The chosen (or newest) model with the project's do-not-translate terms and MT cache;
    ``engine`` replaces the model (benchmarks and tests), the rest of the wiring stays;
    ``cluster`` runs the model's batches on Dask workers (each ready before this yields).

    Raises EngineError when there is no model or the cluster cannot run it, before anything
    is written."""
    from pipeline.glossary import load_glossary
    from pipeline.mt.cache import CACHE_DIR, TranslationCache
    from pipeline.mt.masking import Masker
    from pipeline.mt.models import ModelStore

    chosen = None
    if engine is None:
        store = ModelStore(project.root, target=project.language)
        chosen = store.choose(model)
        engine_options = {"threads": threads} | ({"batch_size": batch_size} if batch_size else {})
        engine = store.open_engine(chosen, **engine_options)
    glossary = load_glossary(project.glossary_path, project.display_path(project.glossary_path))
    masker = Masker((term.source, term.target) for term in glossary if term.do_not_translate)
    with ExitStack() as stack:
        if cluster is not None:
            from pipeline.mt.argos import ArgosEngine

            try:
                from pipeline.mt.cluster import cluster_engine
            except ImportError as exc:
                raise EngineError(f"Dask is not installed ({exc}): `make translate WORKERS=N` installs it, "
                                  "or pip install -e '.[cluster]'") from None
            if not isinstance(engine, ArgosEngine):
                raise EngineError("only an installed Argos model runs on a Dask cluster")
            engine = stack.enter_context(cluster_engine(
                engine, workers=cluster.workers, scheduler=cluster.scheduler, ship_model=cluster.ship_model))
        cache = stack.enter_context(TranslationCache.for_model(project.root / CACHE_DIR, engine.identity))
        yield MT(chosen, engine, masker, cache)
