"""Translation statistics: what is left to do, and how much reviewers changed MT.

Words are counted in the Indonesian source the way Translate Toolkit's
``pocount`` counts them (markup is not counted; "negara-negara" is two
words), so the figures compare with ``pocount`` on the same catalog.

Post-edit distance measures the MT drafts a reviewer accepted: reviewed
units that still carry an ``# mt-raw:`` line, compared with their final
msgstr. It is a normalised Levenshtein distance (edits / length of the longer
text), at the character level (catches small fixes such as a plural or an
article) and at the word level (TER without block shifts). Both are summed
over units before dividing, so long sentences weigh more, and 0 means the
drafts were accepted as they were. chrF or BLEU were not used: they are
similarity scores built for corpora of references, unstable on one short
sentence and harder to read as "how much was changed".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.catalog import Catalog, State, Unit
from pipeline.glossary import Term


@dataclass(frozen=True)
class Count:
    units: int = 0
    words: int = 0

    def __add__(self, other: Count) -> Count:
        return Count(self.units + other.units, self.words + other.words)


@dataclass(frozen=True)
class PostEdit:
    """Edits reviewers made to accepted MT drafts, summed over units."""

    units: int = 0  # reviewed units carrying an MT mark
    unchanged: int = 0  # of those, accepted without any edit
    char_edits: int = 0
    char_length: int = 0  # sum of max(len(raw), len(final)) in characters
    word_edits: int = 0
    word_length: int = 0

    @property
    def char_distance(self) -> float | None:
        """Share of characters changed (0-1); None when no draft was accepted."""
        return self.char_edits / self.char_length if self.char_length else None

    @property
    def word_distance(self) -> float | None:
        return self.word_edits / self.word_length if self.word_length else None

    def __add__(self, other: PostEdit) -> PostEdit:
        return PostEdit(
            self.units + other.units,
            self.unchanged + other.unchanged,
            self.char_edits + other.char_edits,
            self.char_length + other.char_length,
            self.word_edits + other.word_edits,
            self.word_length + other.word_length,
        )


@dataclass(frozen=True)
class Stats:
    name: str
    states: dict[State, Count]
    qa_errors: int = 0
    qa_warnings: int = 0
    weak_drafts: int = 0  # MT drafts the `mt-degenerate` check flags
    post_edit: PostEdit = PostEdit()
    models: dict[str, int] = field(default_factory=dict)  # MT identity -> units carrying its mark

    @property
    def units(self) -> int:
        return sum(count.units for count in self.states.values())

    @property
    def words(self) -> int:
        return sum(count.words for count in self.states.values())

    @property
    def reviewed_percent(self) -> float:
        """Share of source words in reviewed units (0-100; 100 for an empty catalog)."""
        return 100.0 * self.states[State.REVIEWED].words / self.words if self.words else 100.0

    def to_dict(self) -> dict:
        post = self.post_edit
        return {
            "name": self.name,
            "units": self.units,
            "words": self.words,
            "states": {str(state): {"units": c.units, "words": c.words} for state, c in self.states.items()},
            "reviewed_percent": round(self.reviewed_percent, 1),
            "qa": {"errors": self.qa_errors, "warnings": self.qa_warnings},
            "weak_drafts": self.weak_drafts,
            "post_edit": {
                "units": post.units,
                "unchanged": post.unchanged,
                "char_distance": _rounded(post.char_distance),
                "word_distance": _rounded(post.word_distance),
            },
            "models": dict(sorted(self.models.items())),
        }


def catalog_stats(catalog: Catalog, glossary: Sequence[Term] = (), *, name: str | None = None) -> Stats:
    """Figures for one catalog; QA findings are counted with ``glossary``."""
    from pipeline.qa import ERROR, check_catalog

    units = catalog.units()
    states = {state: Count() for state in State}
    for unit in units:
        states[unit.state] += Count(1, word_count(unit.msgid))
    findings = check_catalog(catalog, glossary)
    errors = sum(1 for f in findings if f.severity == ERROR)
    return Stats(
        name=name or catalog.path or "",
        states=states,
        qa_errors=errors,
        qa_warnings=len(findings) - errors,
        weak_drafts=len({f.key for f in findings if f.check == "mt-degenerate"}),
        post_edit=sum((post_edit_of(u) for u in units if u.state is State.REVIEWED), PostEdit()),
        models=dict(Counter(u.mt.identity for u in units if u.mt is not None)),
    )


def combine(stats: Iterable[Stats], name: str = "total") -> Stats:
    """The sum of several catalogs' figures."""
    stats = list(stats)
    states = {state: sum((s.states[state] for s in stats), Count()) for state in State}
    models: Counter[str] = Counter()
    for s in stats:
        models.update(s.models)
    return Stats(
        name=name,
        states=states,
        qa_errors=sum(s.qa_errors for s in stats),
        qa_warnings=sum(s.qa_warnings for s in stats),
        weak_drafts=sum(s.weak_drafts for s in stats),
        post_edit=sum((s.post_edit for s in stats), PostEdit()),
        models=dict(models),
    )


def post_edit_of(unit: Unit) -> PostEdit:
    """The edit distance between a unit's raw MT output and its msgstr (none without a mark)."""
    from rapidfuzz.distance import Levenshtein

    mark = unit.mt
    if mark is None:
        return PostEdit()
    raw, final = mark.raw, unit.msgstr
    raw_words, final_words = raw.split(), final.split()
    return PostEdit(
        units=1,
        unchanged=int(raw == final),
        char_edits=Levenshtein.distance(raw, final),
        char_length=max(len(raw), len(final)),
        word_edits=Levenshtein.distance(raw_words, final_words),
        word_length=max(len(raw_words), len(final_words)),
    )


def word_count(text: str) -> int:
    from translate.tools.pocount import wordcount

    return wordcount(text)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
