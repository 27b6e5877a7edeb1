"""Indonesian sentence splitter.

A paragraph is cut only at the single space between two words. The word on
the left is sorted into a class by how it ends (an abbreviation, an initial,
a full stop after a full word, a closing quote...), the word on the right by
how it starts (capital, digit, lower case, footnote reference...), and the
pair is looked up in a table. The classes' word lists and the table live in
``pipeline/rules/segmenter-id.toml``; this module only knows the shapes of
words (punctuation, case, digits), not Indonesian vocabulary.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pipeline.errors import PipelineError

RULES_FILE = "rules/segmenter-id.toml"

LEFT_CLASSES = ("strong", "short", "quoted", "ending", "degree", "weak", "prefix", "none")
RIGHT_CLASSES = ("starter", "upper", "marker", "digit", "open", "degree", "lower", "cont")

_OPENERS = "\"“‘'([{«`"
_DASHES = "-–—"
_CLOSERS = "\"”’'»)]`"
_STOPS = ".?!…"
_CONTINUERS = ")]},;:.!?%…"  # a word starting with one of these goes on the sentence

# A footnote reference: "[1]", or Markdown's "[^1]" / "[^note]".
_REF = r"\[(?:\d{1,3}|\^[^\]\s]{1,30})\]"
# word = stem + sentence-final punctuation + closing quotes/brackets + refs
_TAIL = re.compile(
    rf"(?P<stem>.*?)(?P<stop>[{_STOPS}]+)(?P<close>[{re.escape(_CLOSERS)}]*)"
    rf"(?P<refs>(?:{_REF})*)$"
)
_TAIL_ENDS = frozenset(_STOPS + _CLOSERS + "]")  # the last character of any word _TAIL matches
_FOOTNOTE_REF = re.compile(_REF)
_FOOTNOTE_REFS = re.compile(rf"(?:{_REF})+")
_LIST_MARKER = re.compile(r"\(?(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,5})[.)]")
_INLINE_MARKER = re.compile(r"\(?(?:\d{1,3}|[a-z])[.)]")  # "2.", "(2)", "b." in an inline list
_INITIALS = re.compile(r"(?:[A-Z]\.)+")  # "B." or "B.J."
_DEGREE_LIKE = re.compile(r"(?=.*[A-Z][a-z])(?:[A-Z][A-Za-z]{0,3}\.){2,}")  # "S.Kom."
_LOWER_DOTTED = re.compile(r"(?:[a-z]\.){2,}")  # "p.m."
_LEADING_WORD = re.compile(r"[^\W\d_]+")
_VOWEL = re.compile(r"[aeiouAEIOU]")
_FULL_WORD_MIN_LETTERS = 4  # shorter words ending in "." may be abbreviations


@dataclass(frozen=True)
class Rules:
    """The contents of the rules file, ready for lookups."""

    abbreviations: dict[str, str]  # spelling -> left class
    degrees: frozenset[str]
    starters: frozenset[str]
    splits: dict[str, frozenset[str]]  # left class -> right classes that split


def split_sentences(text: str) -> list[str]:
    """Split a whitespace-normalised paragraph into sentences.

    Guarantee: ``" ".join(split_sentences(text)) == text`` and no piece is
    empty (for non-empty ``text``); an empty ``text`` gives ``[]``.
    """
    if not text:
        return []
    words = text.split(" ")
    pieces: list[str] = []
    start = 0
    for index in _candidates(words):
        opens = index - 1 == start or words[index - 2].endswith((":", ";"))
        if is_boundary(_left_context(words, index), words[index], opens):
            pieces.append(" ".join(words[start:index]))
            start = index
    pieces.append(" ".join(words[start:]))
    return pieces


def _candidates(words: list[str]) -> list[int] | range:
    """The indices a sentence may start at. When the rules never split after
    a "none" word, only words ending the way _TAIL can match need a look:
    about one word in six in running prose."""
    if load_rules().splits["none"]:
        return range(1, len(words))
    return [index for index, left in enumerate(words[:-1], start=1) if left[-1:] in _TAIL_ENDS]


def _left_context(words: list[str], index: int) -> str:
    """The word before ``index``, glued to the one before it when it is only a
    closing quote or a footnote reference set off by a space ('dia. " Lalu',
    'luas. [1] Dalam')."""
    left = words[index - 1]
    detached = all(ch in _CLOSERS for ch in left) or _FOOTNOTE_REFS.fullmatch(left)
    if index >= 2 and left and detached:
        return words[index - 2] + left
    return left


def is_boundary(left: str, right: str, opens: bool = False) -> bool:
    """Whether a sentence ends between ``left`` and ``right``.

    ``opens`` says that ``left`` opens a sentence or follows a colon: a list
    marker ("1.", "a.") there is not a sentence of its own.
    """
    if not left or not right:
        return False
    rules = load_rules()
    splits = rules.splits[left_class(left, rules, opens)]
    # Most words cannot end a sentence ("none"): their right neighbour need not be sorted.
    return bool(splits) and right_class(right, rules) in splits


def left_class(word: str, rules: Rules, opens: bool = False) -> str:
    """Sort a word by how it ends; see the rules file for the classes."""
    if word[-1:] not in _TAIL_ENDS:  # cheap test first: most words end in a letter or a comma
        return "none"
    tail = _TAIL.fullmatch(word)
    if tail is None:
        return "none"
    if opens and _LIST_MARKER.fullmatch(word):
        return "prefix"
    if tail["close"]:
        return "prefix" if _is_one_word_parenthetical(word, tail["close"]) else "quoted"
    stop = tail["stop"]
    if stop == ".":
        return _full_stop_class(word[: len(word) - len(tail["refs"])].lstrip(_OPENERS), rules)
    if "?" in stop or "!" in stop or stop in ("..", "….") or len(stop) >= 4:
        return "strong"  # "...." is PUEBI's ellipsis that ends a sentence
    return "weak"  # "..." or "…" marks left-out words, mostly mid-sentence


def right_class(word: str, rules: Rules) -> str:
    """Sort a word by how it starts; see the rules file for the classes."""
    if _FOOTNOTE_REF.match(word) or word[0] in _CONTINUERS:
        return "cont"
    if not any(ch.isalnum() for ch in word):  # "-", "--", "()" open a line; a lone '"' does not
        return "open" if any(ch in _DASHES + "(" for ch in word) else "cont"
    bare = word.lstrip(_OPENERS + _CLOSERS + _DASHES)
    if bare.rstrip(",;:") in rules.degrees:
        return "degree"
    if bare[0].isdigit():
        return "marker" if _INLINE_MARKER.fullmatch(word) else "digit"
    if bare[0].islower():
        return "marker" if _INLINE_MARKER.fullmatch(word) else "lower"
    leading = _LEADING_WORD.match(bare)
    return "starter" if leading and leading[0] in rules.starters else "upper"


def _full_stop_class(word: str, rules: Rules) -> str:
    """Class of a word ending in a single ".", opening punctuation removed."""
    if word in rules.abbreviations:
        return rules.abbreviations[word]
    if _INITIALS.fullmatch(word):
        return "weak"
    if _DEGREE_LIKE.fullmatch(word):
        return "degree"
    if _LOWER_DOTTED.fullmatch(word):
        return "ending"
    stem = word[:-1]
    if any(ch.isdigit() or ch in "./@" for ch in stem) or stem[-1:] in tuple(_CLOSERS):
        return "strong"  # a number, a URL or e-mail address, after a bracket or a ref
    letters = sum(ch.isalpha() for ch in stem)
    if letters >= _FULL_WORD_MIN_LETTERS and _VOWEL.search(stem):
        return "strong"
    return "short"


def _is_one_word_parenthetical(word: str, close: str) -> bool:
    """'(Bl.)' or '[dkk.]': the bracket opened inside this very word."""
    bare = word.lstrip(_OPENERS.replace("(", "").replace("[", ""))
    return (bare.startswith("(") and ")" in close) or (bare.startswith("[") and "]" in close)


@cache
def load_rules() -> Rules:
    """Read and check the packaged rules file (once per process)."""
    source = resources.files("pipeline").joinpath(RULES_FILE)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise PipelineError(f"bad segmenter rules: {error}", str(source)) from error
    return _build_rules(data, str(source))


def _build_rules(data: dict, path: str) -> Rules:
    abbreviations: dict[str, str] = {}
    for klass, entries in data["abbreviations"].items():
        if klass not in LEFT_CLASSES:
            raise PipelineError(f"unknown abbreviation class {klass!r}", path)
        for entry in entries:
            for spelling in _spellings(entry):
                if abbreviations.setdefault(spelling, klass) != klass:
                    both = f"{abbreviations[spelling]} and {klass}"
                    raise PipelineError(f"{entry!r} is listed as both {both}", path)
    splits = {klass: frozenset(rights) for klass, rights in data["split"].items()}
    used = set().union(*splits.values())
    if set(splits) != set(LEFT_CLASSES) or not used <= set(RIGHT_CLASSES):
        expected = f"each of {LEFT_CLASSES} once, using only {RIGHT_CLASSES}"
        raise PipelineError(f"[split] must list {expected}", path)
    degrees = frozenset(s for s, klass in abbreviations.items() if klass == "degree")
    return Rules(abbreviations, degrees, frozenset(data["words"]["starters"]), splits)


def _spellings(entry: str) -> set[str]:
    """A lower-case entry also matches its Capitalised form; others match as written.

    UPPER-CASE forms are not derived: "KEL." or "SD." ending a sentence is
    far more often an acronym than an abbreviation.
    """
    return {entry, entry[:1].upper() + entry[1:]} if entry == entry.lower() else {entry}
