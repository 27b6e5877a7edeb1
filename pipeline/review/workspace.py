"""What the review page shows and changes: the catalogs under ``locales/``.

A reviewer sees each unit with its context, state and QA findings, and edits
it through ``Workspace.edit``. Every edit re-reads the catalog from disk under
a lock and goes through only if the unit still holds what the reviewer last
saw (its ``version``), so two reviewers, or a reviewer and ``make update``,
never overwrite each other's work silently; unrelated units never conflict.

Documents are addressed by domain name only, checked against the catalogs
that exist, so no request can name a file outside ``locales/``.
"""

from __future__ import annotations

import difflib
import functools
import logging
import re
import threading
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.catalog import SUGGESTION_PREFIX, Catalog, State, Unit
from pipeline.document import Document
from pipeline.errors import CatalogError, InputError
from pipeline.lock import file_lock
from pipeline.project import Project
from pipeline.stages import load_translation, read_document, save

if TYPE_CHECKING:
    from pipeline.memory import ProjectMemory, TranslationMemory

log = logging.getLogger(__name__)

DOMAIN_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
LOCK_WAIT = 5.0  # seconds a save waits for another pipeline run to finish writing


class Action(StrEnum):
    SAVE = "save"  # a person's edit, not yet approved: stays fuzzy
    REVIEW = "review"  # approve: clears fuzzy and the stale source
    REVERT = "revert"  # back to the raw MT output, as an MT draft
    SILENCE = "silence"  # add a QA check to the unit's `# qa-skip:` line
    UNSILENCE = "unsilence"  # take it out again


@dataclass(frozen=True)
class Edit:
    """What a reviewer asks of one unit, as the page sends it."""

    action: Action
    text: str
    version: str  # the unit's version the reviewer last saw
    check: str = ""  # for SILENCE/UNSILENCE: the QA check's name
    confirmed: bool = False  # REVIEW despite QA errors: the reviewer said yes


class UnknownDocument(CatalogError):
    """No catalog of that name (or a name that could leave ``locales/``)."""


class RefusedEdit(CatalogError):
    """An edit that makes no sense for the unit (e.g. approve an empty text)."""


class NeedsConfirmation(CatalogError):
    """Approving a text with QA errors (a dropped URL, a lost footnote marker): the reviewer must say so."""

    def __init__(self, message: str, path: str, findings: tuple[Finding, ...]):
        super().__init__(message, path)
        self.findings = findings


class StaleEdit(CatalogError):
    """The unit changed on disk since the reviewer loaded it."""

    def __init__(self, message: str, path: str, theirs: UnitView | None):
        super().__init__(message, path)
        self.theirs = theirs


@dataclass(frozen=True)
class Finding:
    """A QA finding as the page shows it (built from ``pipeline.qa.Finding``)."""

    check: str
    severity: str
    message: str


@dataclass(frozen=True)
class UnitView:
    """One unit with everything the reviewer needs beside it."""

    uid: str
    version: str
    number: int  # 1-based position in the catalog
    msgid: str
    msgctxt: str | None
    msgstr: str
    state: State
    edited: bool  # post-edited from an MT draft, saved but not approved yet
    context: str  # the extracted comment: block kind and number, sentence n of m
    locations: tuple[str, ...]
    previous_msgid: str | None
    mt_raw: str | None
    mt_identity: str | None
    mt_score: float | None  # the engine's mean log-probability per token (MT drafts)
    can_revert: bool
    before: str | None  # the neighbouring source sentences
    after: str | None
    findings: tuple[Finding, ...] = ()
    silenced: tuple[str, ...] = ()  # QA checks the unit's `# qa-skip:` line turns off
    source_diff: tuple[tuple[str, str], ...] = ()  # (equal/delete/insert, words): old source -> new
    suggestion: str | None = None  # a fresh MT draft beside a translation that needs update

    @property
    def weakness(self) -> tuple:
        """Sort key, weakest machine draft first: flagged drafts, then by the engine's score;
        everything that is not an MT draft after them, in document order."""
        if self.state is not State.MT_DRAFT:
            return (2, 0.0, self.number)
        flagged = any(f.check == "mt-degenerate" for f in self.findings)
        return (0 if flagged else 1, self.mt_score if self.mt_score is not None else 0.0, self.number)

    def to_json(self) -> dict:
        return {
            "uid": self.uid,
            "version": self.version,
            "msgid": self.msgid,
            "msgstr": self.msgstr,
            "state": str(self.state),
            "edited": self.edited,
            "can_revert": self.can_revert,
            "mt_raw": self.mt_raw,
            "mt_score": self.mt_score,
            "findings": [vars(f) for f in self.findings],
            "silenced": list(self.silenced),
        }


@dataclass(frozen=True)
class Suggestion:
    """A translation memory's close match, as the page shows it."""

    score: float  # percent similarity of the Indonesian
    source: str
    target: str
    origin: str  # the document or TMX file it comes from
    reviewed: bool
    diff: tuple[tuple[str, str], ...]  # its Indonesian -> this unit's, word by word


@dataclass(frozen=True)
class Progress:
    units: int
    words: int
    reviewed_units: int
    reviewed_words: int
    units_by_state: dict[str, int]

    @property
    def percent_units(self) -> float:
        return 100.0 * self.reviewed_units / self.units if self.units else 100.0

    @property
    def percent_words(self) -> float:
        return 100.0 * self.reviewed_words / self.words if self.words else 100.0

    def to_json(self) -> dict:
        return {
            "units": self.units,
            "words": self.words,
            "reviewed_units": self.reviewed_units,
            "reviewed_words": self.reviewed_words,
            "percent_units": round(self.percent_units, 1),
            "percent_words": round(self.percent_words, 1),
            "units_by_state": self.units_by_state,
        }


@dataclass
class DocumentView:
    domain: str
    path: str  # as shown: relative to the project root
    units: list[UnitView]
    progress: Progress
    checks: dict[str, int] = field(default_factory=dict)  # units with a finding, per check


class Workspace:
    """The catalogs of one project, read fresh from disk, edited one at a time."""

    def __init__(self, project: Project):
        self.project = project
        self._write_lock = threading.Lock()  # one read-modify-write at a time
        self._memo_lock = threading.Lock()
        self._findings: dict[tuple, tuple[Finding, ...]] = {}
        self._neighbours: dict[str, tuple[tuple, dict]] = {}
        self._memory: ProjectMemory | None = None  # built on the first suggestion

    # -- documents ----------------------------------------------------------
    @property
    def catalog_dir(self) -> Path:
        return self.project.po_path("x").parent

    def domains(self) -> list[str]:
        """The documents that have a translation catalog, by domain name."""
        if not self.catalog_dir.is_dir():
            return []
        return sorted(
            p.stem for p in self.catalog_dir.glob("*.po") if p.is_file() and DOMAIN_PATTERN.fullmatch(p.stem)
        )

    def catalog_path(self, domain: str) -> Path:
        """The .po of ``domain``; refuses any name that is not an existing catalog."""
        if not DOMAIN_PATTERN.fullmatch(domain) or domain not in self.domains():
            raise UnknownDocument(f"no catalog named {domain[:80]!r}", self.project.display_path(self.catalog_dir))
        path = self.project.po_path(domain)
        if path.resolve().parent != self.catalog_dir.resolve():  # e.g. a symlink out of locales/
            raise UnknownDocument(f"catalog {domain!r} points outside locales/", self.project.display_path(path))
        return path

    def document(self, domain: str) -> DocumentView:
        path = self.catalog_path(domain)
        catalog = load_translation(self.project, domain)
        glossary = self._glossary()
        neighbours = self._neighbours_of(domain, catalog)
        units = [
            self._view(unit, number, neighbours, glossary)
            for number, unit in enumerate(catalog.units(), start=1)
        ]
        checks: dict[str, int] = {}
        for view in units:
            for name in sorted({f.check for f in view.findings}):
                checks[name] = checks.get(name, 0) + 1
        shown = self.project.display_path(path)
        return DocumentView(domain, shown, units, progress_of(catalog), dict(sorted(checks.items())))

    # -- editing ------------------------------------------------------------
    def edit(self, domain: str, uid: str, change: Edit) -> tuple[UnitView, Progress]:
        """Apply a reviewer's change if the unit is as they last saw it.

        Raises StaleEdit (carrying the unit as it is now) when it is not,
        NeedsConfirmation when an approval would leave QA errors and the
        reviewer has not confirmed it, and LockedError when another pipeline
        run keeps writing the catalogs.
        """
        action, text, version = change.action, change.text, change.version
        path = self.catalog_path(domain)
        shown = self.project.display_path(path)
        with self._write_lock, file_lock(path, timeout=LOCK_WAIT, shown=shown):
            catalog = load_translation(self.project, domain)  # always from disk: others may have written
            found = _find(catalog, uid)
            if found is None:
                raise StaleEdit("This sentence is no longer in the catalog (the source changed)", shown, None)
            number, unit = found
            glossary = self._glossary()
            neighbours = self._neighbours_of(domain, catalog)
            if unit.version != version:
                theirs = self._view(unit, number, neighbours, glossary)
                raise StaleEdit("Someone else changed this unit since you loaded it", shown, theirs)
            if action is Action.SAVE and _normalise(text, unit.msgid) == unit.msgstr:
                # Nothing to save; writing would make a reviewed unit fuzzy again.
                return self._view(unit, number, neighbours, glossary), progress_of(catalog)
            _apply(unit, change, shown)
            view = self._view(unit, number, neighbours, glossary)
            errors = tuple(f for f in view.findings if f.severity == "error")
            if action is Action.REVIEW and errors and not change.confirmed:
                raise NeedsConfirmation(f"{len(errors)} QA error(s) in this text", shown, errors)
            save(self.project, catalog, path)
            return view, progress_of(catalog)

    # -- translation memory ---------------------------------------------------
    def suggestions(self, domain: str, view: UnitView) -> tuple[Suggestion, ...]:
        """People's translations of sentences close to the unit's, from the other documents and the
        imported TMX files: what a reviewer may start from."""
        if view.state is State.REVIEWED:
            return ()
        matches = self.memory().similar(view.msgid, not_at=(domain, view.uid))
        return tuple(Suggestion(m.score, m.memory.source, m.memory.target, m.memory.origin, m.memory.reviewed,
                                word_diff(m.memory.source, view.msgid)) for m in matches)

    def memory(self) -> TranslationMemory:
        """The project's memory; only the files that changed since the last call are read again."""
        from pipeline.memory import ProjectMemory

        with self._memo_lock:
            if self._memory is None:
                self._memory = ProjectMemory(self.project)
            return self._memory.current()

    # -- helpers ------------------------------------------------------------
    def _view(self, unit: Unit, number: int, neighbours: dict, glossary) -> UnitView:
        mark = unit.mt
        uid = unit.uid
        version = unit.version
        before, after = neighbours.get(unit.key, (None, None))
        return UnitView(
            uid=uid,
            version=version,
            number=number,
            msgid=unit.msgid,
            msgctxt=unit.msgctxt,
            msgstr=unit.msgstr,
            state=unit.state,
            edited=unit.post_edited and unit.state is not State.REVIEWED,
            context=unit.comment,
            locations=tuple(f"{path}:{line}" for path, line in unit.locations),
            previous_msgid=unit.previous_msgid,
            mt_raw=mark.raw if mark else None,
            mt_identity=mark.identity if mark else None,
            mt_score=mark.score if mark else None,
            can_revert=_can_revert(unit),
            before=before,
            after=after,
            findings=self._findings_of(unit, uid, version, glossary),
            silenced=_silenced(unit),
            source_diff=word_diff(unit.previous_msgid, unit.msgid) if unit.previous_msgid is not None else (),
            suggestion=unit.stage_note(SUGGESTION_PREFIX) if unit.state is State.NEEDS_UPDATE else None,
        )

    def _glossary(self):
        from pipeline.glossary import load_glossary

        return load_glossary(self.project.glossary_path)

    def _findings_of(self, unit: Unit, uid: str, version: str, glossary) -> tuple[Finding, ...]:
        """QA findings, memoised per unit version and glossary (QA is the slow part)."""
        # The version leaves out the stages' notes and the MT score, which two checks read.
        memo_key = (uid, version, unit.translator_comment, unit.mt.score if unit.mt else None, tuple(glossary))
        with self._memo_lock:
            if memo_key in self._findings:
                return self._findings[memo_key]
        from pipeline.qa import check_unit

        found = tuple(Finding(f.check, str(f.severity), f.message) for f in check_unit(unit, glossary))
        with self._memo_lock:
            self._findings[memo_key] = found
        return found

    def _neighbours_of(self, domain: str, catalog: Catalog) -> dict:
        """Previous and next source sentence of each unit, by unit key.

        Taken from the source document when it can be read, so a unit shows
        the sentences around it in the text; otherwise from catalog order.
        """
        neighbours = _neighbours_in_catalog(catalog)
        neighbours.update(self._neighbours_in_source(domain))
        return neighbours

    def _neighbours_in_source(self, domain: str) -> dict:
        source = next((p for p in self._sources() if p.stem == domain), None)
        if source is None:
            return {}
        stat = source.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._memo_lock:
            cached = self._neighbours.get(domain)
            if cached and cached[0] == stamp:
                return cached[1]
        try:
            # stages.read_document refuses a symlink out of the project and honours idpo.toml's encodings
            found = _neighbours_in_document(read_document(self.project, source))
        except (ImportError, InputError) as exc:  # context is a help, never a reason to fail
            log.warning("review: no source context for %s: %s", domain, exc)
            found = {}
        with self._memo_lock:
            self._neighbours[domain] = (stamp, found)
        return found

    def _sources(self) -> list[Path]:
        try:
            return self.project.documents()
        except InputError:
            return []


def progress_of(catalog: Catalog) -> Progress:
    """Reviewed units and words out of the total, words counted as ``make stats`` does.

    Not ``stats.catalog_stats``: that also runs QA on every unit, too slow to
    repeat on each save of a large catalog.
    """
    units_by_state = {str(s): 0 for s in State}
    words = reviewed_words = 0
    for unit in catalog.units():
        units_by_state[str(unit.state)] += 1
        words += count_words(unit.msgid)
        if unit.state is State.REVIEWED:
            reviewed_words += count_words(unit.msgid)
    return Progress(sum(units_by_state.values()), words, units_by_state[State.REVIEWED], reviewed_words, units_by_state)


@functools.lru_cache(maxsize=65536)
def count_words(text: str) -> int:
    from pipeline.stats import word_count

    return word_count(text)


def _find(catalog: Catalog, uid: str) -> tuple[int, Unit] | None:
    for number, unit in enumerate(catalog.units(), start=1):
        if unit.uid == uid:
            return number, unit
    return None


def _can_revert(unit: Unit) -> bool:
    """Only when the raw MT output translates the current source sentence."""
    return unit.mt is not None and unit.previous_msgid is None


def _apply(unit: Unit, change: Edit, shown: str) -> None:
    action, text = change.action, change.text
    if action in (Action.SILENCE, Action.UNSILENCE):
        _set_silenced(unit, change.check, silenced=action is Action.SILENCE, shown=shown)
        return
    if action is Action.REVERT:
        mark = unit.mt
        if mark is None or not _can_revert(unit):
            raise RefusedEdit("No machine draft of this sentence to revert to", shown, unit.line)
        unit.set_mt_draft(mark.raw, mark)
        return
    text = _normalise(text, unit.msgid)
    if action is Action.REVIEW and not text.strip():
        raise RefusedEdit("An empty translation cannot be marked reviewed", shown, unit.line)
    unit.set_translation(text, reviewed=action is Action.REVIEW)


def _silenced(unit: Unit) -> tuple[str, ...]:
    from pipeline.qa import skipped_checks

    return tuple(sorted(skipped_checks(unit)))


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """The changes from ``old`` to ``new`` word by word: ("equal" | "delete" | "insert", words)."""
    before, after = old.split(), new.split()
    parts: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            parts.append(("delete", " ".join(before[i1:i2])))
        if tag in ("insert", "replace"):
            parts.append(("insert", " ".join(after[j1:j2])))
        if tag == "equal":
            parts.append(("equal", " ".join(after[j1:j2])))
    return tuple(parts)


def _set_silenced(unit: Unit, check: str, *, silenced: bool, shown: str) -> None:
    """Keep the unit's `# qa-skip:` comment line in step with the page's silence buttons."""
    from pipeline.qa import CHECKS, SKIP_PREFIX, skipped_checks

    if check not in CHECKS:
        raise RefusedEdit(f"no QA check named {check[:60]!r}", shown, unit.line)
    wanted = (skipped_checks(unit) | {check}) if silenced else (skipped_checks(unit) - {check})
    lines = [line for line in unit.translator_comment.split("\n") if line and not line.strip().startswith(SKIP_PREFIX)]
    if wanted:
        lines.append(f"{SKIP_PREFIX} {', '.join(sorted(wanted))}")
    unit.set_translator_comment("\n".join(lines))
    if not silenced:
        unit.set_flag(f"{SKIP_PREFIX}{check}", False)  # Weblate's form of the same


def _normalise(text: str, msgid: str) -> str:
    """Browsers send CRLF from a textarea; the source's sentences have none. A line
    break at the start or end that the msgid lacks (a stray Enter) would make
    ``msgfmt -c`` refuse the catalog, so it is dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not msgid.startswith("\n"):
        text = text.lstrip("\n")
    if not msgid.endswith("\n"):
        text = text.rstrip("\n")
    return text


def _neighbours_in_catalog(catalog: Catalog) -> dict:
    units = catalog.units()
    return {
        unit.key: (
            units[i - 1].msgid if i > 0 else None,
            units[i + 1].msgid if i + 1 < len(units) else None,
        )
        for i, unit in enumerate(units)
    }


def _neighbours_in_document(document: Document) -> dict:
    from pipeline.extract import segment_keys

    keys = segment_keys(document)
    sequence = [
        (keys[(block.number, index)], segment.text)
        for block in document.translatable_blocks()
        for index, segment in enumerate(block.segments)
    ]
    found: dict = {}
    for i, (key, _) in enumerate(sequence):
        if key not in found:  # a repeated sentence: its first place in the text
            before = sequence[i - 1][1] if i > 0 else None
            after = sequence[i + 1][1] if i + 1 < len(sequence) else None
            found[key] = (before, after)
    return found
