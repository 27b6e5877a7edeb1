"""Translation memory: people's translations, reused across the project's documents.

What it holds, built once per run (``TranslationMemory.of_project``):

- every unit a person translated in any catalog of the project
  (``locales/<lang>/LC_MESSAGES/*.po``): reviewed, or translated not
  reviewed yet. Machine drafts are not memory, and neither is a unit the
  memory itself filled and nobody changed (``Unit.from_memory``): memory is
  never copied from its own copies;
- every translation unit of the TMX files imported into ``locales/tm/``
  (``idpo tm import``) with a non-blank Indonesian and English segment of
  plain text. Units marked as machine drafts (``<prop type="x-state">`` other
  than ``reviewed`` or ``translated``) and units with inline codes (``<bpt>``,
  ``<ph>``...: formatting this project cannot put back) are skipped and counted.

Lookups:

- ``exact``: the same sentence after whitespace normalisation. Reviewed beats
  translated-not-reviewed, then the newest wins (a catalog's
  ``PO-Revision-Date``, a TMX unit's ``changedate``/``creationdate``, both in
  UTC). A dict, so ``translate`` pays one index build per run, not a scan per
  sentence.
- ``similar``: fuzzy matches of at least ``FUZZY_CUTOFF`` percent, for the
  review page. Similarity is rapidfuzz's normalised Indel ratio on the
  whitespace-normalised sentences, the measure ``update`` already uses to
  carry a changed sentence's translation and the one difflib and msgmerge
  approximate: it counts inserted and deleted characters, so a changed word
  costs its length and a reordered clause costs a lot, as it does a
  translator. Candidates come from an inverted index of the sentence's less
  common words, so a lookup scores a few dozen sentences, not all; a short
  sentence, which has too few such words, is compared with every memory of a
  length that could reach the cutoff.

A unit never finds itself: lookups take the asking unit's place (its
document and uid) and skip the memory made from it.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree
from rapidfuzz import fuzz, process

from pipeline.catalog import Catalog, State, load_catalog
from pipeline.errors import CatalogError, InputError
from pipeline.progress import Progress
from pipeline.project import SOURCE_LANGUAGE, Project

TM_DIR = "tm"  # under locales/: imported memories, kept with the project
FUZZY_CUTOFF = 75.0  # percent
CANDIDATES = 40  # sentences scored per fuzzy lookup, the ones sharing most words with it
COMMON_SHARE = 0.05  # a word in more than this share of the memory finds no candidates by itself
FEW_WORDS = 3  # a query with fewer indexable words is compared with every memory of a fitting length
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_WORD = re.compile(r"[^\W\d_]{3,}")
_LANGUAGE_ALIASES = {"in": "id", "ind": "id", "eng": "en"}  # Java's old code for Indonesian; ISO 639-2
_TMX_STATES = {"reviewed": True, "translated": False}  # anything else (mt-draft, needs-update) is no memory
_INLINE_CODES = frozenset({"bpt", "ept", "it", "ph", "hi", "sub", "ut"})
_LXML_POSITION = re.compile(r",? line \d+, column \d+$")

Place = tuple[str, str]  # (document, unit uid): where a catalog memory lives


def normalised(text: str) -> str:
    """The key two sentences share when they differ only in spacing and line breaks."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Memory:
    """One translation a person made, and where it comes from."""

    source: str
    target: str
    reviewed: bool
    when: str  # UTC, "YYYY-MM-DD HH:MM"; "" when unknown
    origin: str  # the document (catalog domain) or the imported TMX file's name
    place: Place | None = None  # the catalog unit it was read from; None for TMX

    @property
    def rank(self) -> tuple:
        return (self.reviewed, self.when)


@dataclass(frozen=True)
class Match:
    memory: Memory
    score: float  # percent similarity of the sources


@dataclass
class TmxReading:
    """The usable pairs of a TMX file, and how many units were left out, by reason."""

    memories: list[Memory]
    skipped: Counter[str] = field(default_factory=Counter)


class TranslationMemory:
    def __init__(self, memories: Iterable[Memory], problems: Iterable[str] = ()):
        self._all: list[Memory] = list(memories)
        self._keys = [normalised(memory.source) for memory in self._all]
        self.problems = list(problems)  # files left out ("file:line: what"), for the caller to say
        self._by_source: dict[str, list[Memory]] = defaultdict(list)
        for memory, key in zip(self._all, self._keys, strict=True):
            self._by_source[key].append(memory)
        for same in self._by_source.values():
            same.sort(key=lambda m: m.rank, reverse=True)
        self._by_word: dict[str, list[int]] | None = None  # built on the first fuzzy lookup
        self._by_length: tuple[list[int], list[int], list[str]] | None = None  # indices, lengths, keys

    @classmethod
    def of_project(cls, project: Project, *, progress: Progress | None = None) -> TranslationMemory:
        """Every catalog and imported TMX file of ``project`` (``progress`` counts the files read)."""
        return ProjectMemory(project).current(progress=progress)

    def __len__(self) -> int:
        return len(self._all)

    def exact(self, source: str, *, not_at: Place | None = None) -> Memory | None:
        """The best translation of the very same sentence, other than the asking unit's own."""
        return next((m for m in self._by_source.get(normalised(source), ()) if not _is_at(m, not_at)), None)

    def similar(self, source: str, *, not_at: Place | None = None, limit: int = 3,
                cutoff: float = FUZZY_CUTOFF) -> list[Match]:
        """Up to ``limit`` translations of sentences at least ``cutoff`` percent alike, best first."""
        query = normalised(source)
        matches = [Match(m, 100.0) for m in self._by_source.get(query, ()) if not _is_at(m, not_at)]
        for index, score in self._scored(query, cutoff, limit + len(matches) + 1):
            memory = self._all[index]
            if not _is_at(memory, not_at) and self._keys[index] != query:
                matches.append(Match(memory, round(score, 1)))
        matches.sort(key=lambda m: m.memory.when, reverse=True)  # newest first among equals (a stable sort)
        matches.sort(key=lambda m: (-m.score, not m.memory.reviewed))
        unique: dict[tuple[str, str], Match] = {}
        for match in matches:
            unique.setdefault((normalised(match.memory.source), match.memory.target), match)
        return list(unique.values())[:limit]

    def _scored(self, query: str, cutoff: float, enough: int) -> Iterable[tuple[int, float]]:
        """(memory index, score) of the candidates at least ``cutoff`` alike."""
        if self._by_word is None:
            self._by_word = _word_index(self._all)
        words = {word for word in _WORD.findall(query.lower()) if word in self._by_word}
        if len(words) < FEW_WORDS:
            return self._scored_by_length(query, cutoff, enough)
        shared: Counter[int] = Counter()
        for word in words:
            shared.update(self._by_word[word])
        scored = ((index, fuzz.ratio(query, self._keys[index], score_cutoff=cutoff))
                  for index, _ in shared.most_common(CANDIDATES))
        return [(index, score) for index, score in scored if score]

    def _scored_by_length(self, query: str, cutoff: float, enough: int) -> list[tuple[int, float]]:
        """Every memory whose length allows ``cutoff``, scored in rapidfuzz's C++ loop: the Indel
        ratio is at most 1 - |a - b| / (a + b), so b lies within a * [(1-c)/(1+c), (1+c)/(1-c)]."""
        if self._by_length is None:
            order = sorted(range(len(self._all)), key=lambda i: len(self._keys[i]))
            self._by_length = (order, [len(self._keys[i]) for i in order], [self._keys[i] for i in order])
        order, lengths, keys = self._by_length
        share = cutoff / 100
        low = bisect.bisect_left(lengths, len(query) * (1 - share) / (1 + share))
        high = bisect.bisect_right(lengths, len(query) * (1 + share) / (1 - share))
        found = process.extract(query, keys[low:high], scorer=fuzz.ratio, score_cutoff=cutoff, limit=enough)
        return [(order[low + position], score) for _, score, position in found]


class ProjectMemory:
    """A project's memory for a long-lived reader (the review page): built again only when a
    catalog or TMX file changed, and then reading again only the files that did."""

    def __init__(self, project: Project):
        self.project = project
        self._files: dict[Path, tuple[tuple, list[Memory] | str]] = {}  # path -> (stamp, memories or problem)
        self._built: tuple[tuple, TranslationMemory] | None = None

    def current(self, *, progress: Progress | None = None) -> TranslationMemory:
        stamps = tuple((path, _stamp(path)) for path in _memory_files(self.project))
        if self._built is not None and self._built[0] == stamps:
            return self._built[1]
        changed = [(path, stamp) for path, stamp in stamps
                   if path not in self._files or self._files[path][0] != stamp]
        for path, stamp in changed if progress is None else progress.over(changed):
            self._files[path] = (stamp, _read_memories(self.project, path))
        self._files = {path: self._files[path] for path, _ in stamps}
        memories: list[Memory] = []
        problems: list[str] = []
        for _, found in self._files.values():
            if isinstance(found, str):
                problems.append(found)
            else:
                memories += found
        memory = TranslationMemory(memories, problems)
        self._built = (stamps, memory)
        return memory


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


def _is_at(memory: Memory, place: Place | None) -> bool:
    return place is not None and memory.place == place


def _word_index(memories: list[Memory]) -> dict[str, list[int]]:
    """Word -> the memories that hold it, without the words too common to tell sentences apart."""
    index: dict[str, list[int]] = defaultdict(list)
    for number, memory in enumerate(memories):
        for word in set(_WORD.findall(memory.source.lower())):
            index[word].append(number)
    too_common = max(CANDIDATES, int(COMMON_SHARE * len(memories)))
    return {word: postings for word, postings in index.items() if len(postings) <= too_common}


def _memory_files(project: Project) -> list[Path]:
    catalogs = project.po_path("x").parent
    tm_dir = project.locales_dir / TM_DIR
    return [*(sorted(catalogs.glob("*.po")) if catalogs.is_dir() else []),
            *(sorted(tm_dir.glob("*.tmx")) if tm_dir.is_dir() else [])]


def _read_memories(project: Project, path: Path) -> list[Memory] | str:
    """The memories of one file, or what is wrong with it ("file:line: what")."""
    shown = project.display_path(path)
    try:
        if path.suffix == ".tmx":
            return read_tmx(path.read_bytes(), shown, target=project.language).memories
        catalog = load_catalog(path, display_path=shown, language=project.language)
    except CatalogError:
        return []  # a broken catalog is reported by the commands that work on it
    except (InputError, OSError) as error:
        return str(error)
    return list(memories_of_catalog(catalog, path.stem))


def memories_of_catalog(catalog: Catalog, origin: str) -> Iterator[Memory]:
    """A catalog's units that hold a person's translation of their current sentence."""
    when = _po_time(catalog.metadata.get("PO-Revision-Date", ""))
    for unit in catalog.units():
        if unit.state in (State.REVIEWED, State.TRANSLATED) and unit.msgstr.strip() and not unit.from_memory:
            yield Memory(unit.msgid, unit.msgstr, unit.state is State.REVIEWED, when, origin, (origin, unit.uid))


def read_tmx(data: bytes, shown: str, *, target: str = "en") -> TmxReading:
    """The Indonesian -> ``target`` pairs of a TMX file; InputError with the line when it is not TMX."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise InputError(f"not readable XML: {_LXML_POSITION.sub('', error.msg)}", shown, error.lineno) from None
    if root.tag != "tmx" or root.find("body") is None:
        raise InputError("not a TMX document (no <tmx><body>)", shown, root.sourceline)
    reading = TmxReading([])
    wanted = _language(target)
    for tu in root.iter("tu"):
        reason, memory = _pair(tu, wanted, Path(shown).name)
        if memory is not None:
            reading.memories.append(memory)
        else:
            reading.skipped[reason] += 1
    return reading


def _pair(tu: etree._Element, target: str, origin: str) -> tuple[str, Memory | None]:
    """One <tu> as a memory, or why it is none."""
    state = (tu.findtext("prop[@type='x-state']") or "reviewed").strip().lower()
    if state not in _TMX_STATES:
        return f"marked {state}", None
    texts: dict[str, str] = {}
    for tuv in tu.iter("tuv"):
        segment = tuv.find("seg")
        if segment is None:
            continue
        if any(isinstance(child.tag, str) and child.tag in _INLINE_CODES for child in segment.iter()):
            return "with inline codes", None
        text = normalised("".join(segment.itertext()))
        language = _language(tuv.get(_XML_LANG) or tuv.get("lang") or "")
        if text and language not in texts:  # the first non-blank variant (en-GB, en-US...) of each language
            texts[language] = text
    source, translation = texts.get(SOURCE_LANGUAGE), texts.get(target)
    if not source or not translation:
        return "without an Indonesian and an English text", None
    when = _tmx_time(tu.get("changedate") or tu.get("creationdate") or "")
    return "", Memory(source, translation, _TMX_STATES[state], when, origin)


def _language(code: str) -> str:
    """'id-ID', 'ID', 'in', 'ind' -> 'id'; 'en_GB', 'EN-us', 'eng' -> 'en'."""
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return _LANGUAGE_ALIASES.get(base, base)


def _po_time(stamp: str) -> str:
    """'2026-11-30 10:19+0700' -> '2026-11-30 03:19' (UTC); the template placeholder -> ''."""
    try:
        moment = datetime.strptime(stamp.strip(), "%Y-%m-%d %H:%M%z")
    except ValueError:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _tmx_time(stamp: str) -> str:
    """TMX's '20261130T031900Z' (always UTC) -> '2026-11-30 03:19'."""
    found = re.match(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})", stamp)
    return "{}-{}-{} {}:{}".format(*found.groups()) if found else ""
