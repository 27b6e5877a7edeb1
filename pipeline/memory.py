"""Translation memory: people's translations, reused across the project's documents.

What it holds, built once per run (``TranslationMemory.of_project``):

- every unit a person translated in any catalog of the project
  (``locales/<lang>/LC_MESSAGES/*.po``): reviewed, or translated not
  reviewed yet; machine drafts are not memory;
- every translation unit of the TMX files imported into ``locales/tm/``
  (``idpo tm import``), with their Indonesian and English variants.

Lookups:

- ``exact``: the same sentence after whitespace normalisation. Reviewed beats
  translated-not-reviewed, then the newest wins (a catalog's
  ``PO-Revision-Date``, a TMX unit's ``changedate``/``creationdate``). A dict,
  so ``translate`` pays one index build per run, not a scan per sentence.
- ``similar``: fuzzy matches of at least ``FUZZY_CUTOFF`` percent, for the
  review page. Similarity is rapidfuzz's normalised Indel ratio on the
  whitespace-normalised sentences, the measure ``update`` already uses to
  carry a changed sentence's translation and the one difflib and msgmerge
  approximate: it counts inserted and deleted characters, so a changed word
  costs its length and a reordered clause costs a lot, as it does a
  translator. Candidates come from an inverted index of the sentence's
  less common words, so a lookup scores a few dozen sentences, not all.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from rapidfuzz import fuzz

from pipeline.catalog import Catalog, State, load_catalog
from pipeline.errors import CatalogError, InputError
from pipeline.project import SOURCE_LANGUAGE, Project

TM_DIR = "tm"  # under locales/: imported memories, kept with the project
FUZZY_CUTOFF = 75.0  # percent
CANDIDATES = 40  # sentences scored per fuzzy lookup, the ones sharing most words with it
COMMON_SHARE = 0.05  # a word in more than this share of the memory finds no candidates by itself
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_WORD = re.compile(r"[^\W\d_]{3,}")


def normalised(text: str) -> str:
    """The key two sentences share when they differ only in spacing and line breaks."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Memory:
    """One translation a person made, and where it comes from."""

    source: str
    target: str
    reviewed: bool
    when: str  # comparable timestamp, "YYYY-MM-DD HH:MM"; "" when unknown
    origin: str  # the document (catalog domain) or the imported TMX file's name

    @property
    def rank(self) -> tuple:
        return (self.reviewed, self.when)


@dataclass(frozen=True)
class Match:
    memory: Memory
    score: float  # percent similarity of the sources


class TranslationMemory:
    def __init__(self, memories: Iterable[Memory]):
        self._best: dict[str, Memory] = {}
        self._all: list[Memory] = []
        for memory in memories:
            self._all.append(memory)
            key = normalised(memory.source)
            if key not in self._best or memory.rank > self._best[key].rank:
                self._best[key] = memory
        self._by_word: dict[str, list[int]] | None = None  # built on the first fuzzy lookup

    @classmethod
    def of_project(cls, project: Project) -> TranslationMemory:
        memories: list[Memory] = []
        catalogs = project.po_path("x").parent
        for po in sorted(catalogs.glob("*.po")) if catalogs.is_dir() else []:
            try:
                catalog = load_catalog(po, display_path=project.display_path(po), language=project.language)
            except CatalogError:
                continue  # a broken catalog is reported by the commands that work on it
            memories += memories_of_catalog(catalog, po.stem)
        tm_dir = project.locales_dir / TM_DIR
        for tmx in sorted(tm_dir.glob("*.tmx")) if tm_dir.is_dir() else []:
            memories += read_tmx(tmx, project.display_path(tmx), target=project.language)
        return cls(memories)

    def __len__(self) -> int:
        return len(self._all)

    def exact(self, source: str, *, not_from: str | None = None) -> Memory | None:
        """The best translation of the very same sentence, from anywhere but ``not_from``."""
        best = self._best.get(normalised(source))
        if best is None or best.origin != not_from:
            return best
        others = [m for m in self._all if m.origin != not_from and normalised(m.source) == normalised(source)]
        return max(others, key=lambda m: m.rank, default=None)

    def similar(self, source: str, *, not_from: str | None = None, limit: int = 3,
                cutoff: float = FUZZY_CUTOFF) -> list[Match]:
        """Up to ``limit`` translations of sentences at least ``cutoff`` percent alike, best first."""
        query = normalised(source)
        matches = []
        for index in self._candidates(query):
            memory = self._all[index]
            if memory.origin == not_from:
                continue
            score = fuzz.ratio(query, normalised(memory.source), score_cutoff=cutoff)
            if score:
                matches.append(Match(memory, round(score, 1)))
        matches.sort(key=lambda m: m.memory.when, reverse=True)  # newest first among equals (a stable sort)
        matches.sort(key=lambda m: (-m.score, not m.memory.reviewed))
        unique: dict[tuple[str, str], Match] = {}
        for match in matches:
            unique.setdefault((normalised(match.memory.source), match.memory.target), match)
        return list(unique.values())[:limit]

    def _candidates(self, query: str) -> list[int]:
        if self._by_word is None:
            self._by_word = _word_index(self._all)
        shared: Counter[int] = Counter()
        for word in set(_WORD.findall(query.lower())):
            shared.update(self._by_word.get(word, ()))
        return [index for index, _ in shared.most_common(CANDIDATES)]


def _word_index(memories: list[Memory]) -> dict[str, list[int]]:
    """Word -> the memories that hold it, without the words too common to tell sentences apart."""
    index: dict[str, list[int]] = defaultdict(list)
    for number, memory in enumerate(memories):
        for word in set(_WORD.findall(memory.source.lower())):
            index[word].append(number)
    too_common = max(CANDIDATES, int(COMMON_SHARE * len(memories)))
    return {word: postings for word, postings in index.items() if len(postings) <= too_common}


def memories_of_catalog(catalog: Catalog, origin: str) -> Iterator[Memory]:
    """A catalog's units that hold a person's translation of their current sentence."""
    when = _po_time(catalog.metadata.get("PO-Revision-Date", ""))
    for unit in catalog.units():
        if unit.state in (State.REVIEWED, State.TRANSLATED) and unit.msgstr:
            yield Memory(unit.msgid, unit.msgstr, unit.state is State.REVIEWED, when, origin)


def read_tmx(path: Path, shown: str, *, target: str = "en") -> list[Memory]:
    """The Indonesian -> ``target`` pairs of a TMX file; InputError with the line when it is not TMX."""
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                                      huge_tree=False)).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise InputError(f"not readable XML: {getattr(error, 'msg', error)}", shown,
                         getattr(error, "lineno", None)) from None
    if root.tag != "tmx" or root.find("body") is None:
        raise InputError("not a TMX document (no <tmx><body>)", shown, root.sourceline)
    memories = []
    for tu in root.iter("tu"):
        texts: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            language = (tuv.get(_XML_LANG) or tuv.get("lang") or "").lower().replace("_", "-")
            segment = tuv.find("seg")
            if segment is not None:
                texts.setdefault(language.split("-")[0], "".join(segment.itertext()))
        source, translation = texts.get(SOURCE_LANGUAGE) or texts.get("in"), texts.get(target.split("_")[0])
        if source and translation:
            state = (tu.findtext("prop[@type='x-state']") or "reviewed").strip()
            when = _tmx_time(tu.get("changedate") or tu.get("creationdate") or "")
            memories.append(Memory(source, translation, state == "reviewed", when, Path(shown).name))
    return memories


def _po_time(stamp: str) -> str:
    """'2026-11-30 03:19+0000' -> '2026-11-30 03:19'; the template placeholder -> ''."""
    found = re.match(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})", stamp)
    return found.group(1) if found else ""


def _tmx_time(stamp: str) -> str:
    """TMX's '20261130T031900Z' -> '2026-11-30 03:19'."""
    found = re.match(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})", stamp)
    return "{}-{}-{} {}:{}".format(*found.groups()) if found else ""
