"""QA checks on translated units: what looks wrong in the English.

Standard checks come from Translate Toolkit's checker library (the engine
behind ``pofilter``); this module adds what an Indonesian -> English document
needs: footnote markers, glossary terms, do-not-translate terms, length-ratio
outliers and Indonesian words left in the English.

Which units are checked: those with English in them, i.e. reviewed units,
translations not reviewed yet and MT drafts. Units that need an update are
not: their msgstr belongs to an older source sentence, and a person has to
look at them anyway. Findings on a unit not reviewed yet (MT draft or not)
carry ``draft=True``: they are shown to the reviewer with the same severity,
but only findings on reviewed units count as remaining errors (a reviewer who
accepts a draft makes its findings count).

Severity: ``error`` when the English has lost or broken something the reader
needs (a number, a URL, an e-mail address, a footnote marker, markup) or
a line break that makes ``msgfmt -c`` refuse the catalog; ``warning`` for
everything that may be a deliberate choice.

Silencing a check for one unit: add a translator comment line
``# qa-skip: CHECK[, CHECK...]`` to the entry, e.g.::

    # qa-skip: numbers, length-ratio
    #: source/bali-process.txt:12
    msgid "…"
    msgstr "…"

``# qa-skip: all`` silences every check of the unit; a name that is not a
check is itself reported (check ``qa-skip``), so a typo cannot silence
nothing quietly. Weblate-style flags, one per check (``#, qa-skip:numbers,
qa-skip:length-ratio``), are read as well and pass ``msgfmt -c``, but GNU
``msgmerge``, ``msgcat`` and ``msgattrib`` drop flags they do not know, so
the comment form is the one that lasts.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from pipeline.catalog import MASK_LOST_PREFIX, Catalog, State, Unit
from pipeline.glossary import Term
from pipeline.numbers import english_mentions, indonesian_mentions
from pipeline.project import SOURCE_LANGUAGE
from pipeline.repetition import repeats_phrase, stutters

ERROR = "error"
WARNING = "warning"

# Translate Toolkit checks that make sense for prose, with our severity.
# Left out: software-string checks (accelerators, printf, variables, options,
# filepaths...), "untranslated" (untranslated units are not checked),
# "long"/"short" (replaced by length-ratio), acronyms and simplecaps (noisy
# for id -> en: "PBB" is rightly "UN").
TOOLKIT_CHECKS = {
    "urls": ERROR,
    "emails": ERROR,
    "xmltags": ERROR,
    "newlines": ERROR,  # a line break at the start or end that the msgid lacks fails `msgfmt -c`
    "brackets": WARNING,
    "endpunc": WARNING,
    "startpunc": WARNING,
    "startcaps": WARNING,
    "doublewords": WARNING,
    "doublespacing": WARNING,
    "puncspacing": WARNING,
    "startwhitespace": WARNING,
    "endwhitespace": WARNING,
    "doublequoting": WARNING,
    "sentencecount": WARNING,
    "unchanged": WARNING,
    "purepunc": WARNING,
    "blank": ERROR,
}

Finder = Callable[[str, str, Sequence["Term"]], Iterable[str]]
UnitFinder = Callable[[Unit], Iterable[str]]


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    find: Finder | None = None  # (source, target, glossary) -> one message per problem
    find_in_unit: UnitFinder | None = None  # checks that need the unit's marks and notes
    # both None: one of Translate Toolkit's

    @property
    def ours(self) -> bool:
        return self.find is not None or self.find_in_unit is not None


# The registry: every check by name, in the order findings are reported.
CHECKS: dict[str, Check] = {name: Check(name, severity) for name, severity in TOOLKIT_CHECKS.items()}


def check(name: str, severity: str) -> Callable[[Finder], Finder]:
    """Register the decorated function as the check ``name`` (as Translate Toolkit's
    ``@critical``/``@cosmetic`` do): it takes (source, target, glossary) and yields one
    message per problem."""
    def register(find: Finder) -> Finder:
        CHECKS[name] = Check(name, severity, find=find)
        return find
    return register


def unit_check(name: str, severity: str) -> Callable[[UnitFinder], UnitFinder]:
    """Like ``check``, for a check that reads the unit itself (its MT mark, its notes)."""
    def register(find: UnitFinder) -> UnitFinder:
        CHECKS[name] = Check(name, severity, find_in_unit=find)
        return find
    return register


SKIP_PREFIX = "qa-skip:"
SKIP_ALL = "all"
SKIP_CHECK = "qa-skip"  # reported when a qa-skip mark names no check (a typo would silence nothing)

# English is usually somewhat shorter than Indonesian (affixes, reduplication).
# The range is wide on purpose: it catches a dropped or doubled clause, not
# style. Short units vary too much to judge.
LENGTH_RATIO_RANGE = (0.5, 2.0)
LENGTH_RATIO_MIN_CHARS = 30

# Frequent Indonesian function words with no English homograph in lower case.
# Matched as whole words, lower case anywhere or capitalised at the start.
INDONESIAN_WORDS = frozenset(
    """
    yang dan dengan untuk dalam pada dari ini itu tidak akan juga atau
    oleh sebagai karena tersebut adalah bahwa telah sudah belum kepada
    terhadap antara serta maupun namun hingga secara melalui bagi tetapi
    sehingga merupakan setiap beberapa dapat harus masih lebih sangat jika
    apabila kami kita mereka saya tentang seperti yaitu bukan agar supaya
    """.split()
)

FOOTNOTE_MARKER = re.compile(r"\[(\d+)\]")
_WITHOUT_MARKER = re.compile(r"^\[\d+\]\s*|\s*\[\d+\]")  # a marker and the space that sets it apart
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# A footnote marker, whole or broken ("[1", "1]"): the footnote-markers check reports it.
_MARKER_OR_REMNANT = re.compile(r"\[\d+\]?|(?<![\w.,])\d+\]")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# English abbreviations with inner dots, followed by more of the sentence (a final one ends it).
_ABBREVIATION = re.compile(r"\b(?:[ap]\.m\.|e\.g\.|i\.e\.|U\.S\.|U\.K\.|U\.N\.)(?=\s+\w)", re.IGNORECASE)
WORD = re.compile(r"\w+(?:[-’']\w+)*")


@dataclass(frozen=True)
class Finding:
    """One thing that looks wrong in one unit.

    ``location`` is where the sentence is in the original ("source/x.txt:12",
    from the unit's ``#:`` line); ``entry_line`` is the entry's line in the
    .po file when the catalog was read from one.
    """

    msgid: str
    msgctxt: str | None
    location: str
    check: str
    severity: str
    message: str
    draft: bool = False
    entry_line: int | None = None

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def blocking(self) -> bool:
        """An error on a unit a reviewer has accepted."""
        return self.severity == ERROR and not self.draft

    def to_dict(self) -> dict:
        return {
            "msgctxt": self.msgctxt,
            "msgid": self.msgid,
            "location": self.location,
            "entry_line": self.entry_line,
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "draft": self.draft,
        }


def check_catalog(catalog: Catalog, glossary: Sequence[Term]) -> list[Finding]:
    """Findings for every checked unit of ``catalog``, in file order."""
    findings: list[Finding] = []
    for unit in catalog.units():
        findings.extend(check_unit(unit, glossary))
    return findings


def check_unit(unit: Unit, glossary: Sequence[Term], *, source_path: str | None = None) -> list[Finding]:
    """Findings for one unit; none when its state is not checked (see module notes).

    ``source_path`` names the source document for units that have no ``#:``
    location of their own.
    """
    if not unit.state.has_translation:
        return []
    skipped = skipped_checks(unit)
    if SKIP_ALL in skipped:
        return []
    failures = [(name, CHECKS[name].severity, message) for name, message in _failures(unit, glossary)
                if name not in skipped]
    if unknown := sorted(skipped - set(CHECKS)):
        failures.append((SKIP_CHECK, WARNING, f"qa-skip names no check: {', '.join(unknown)}"))
    location, draft = _location(unit, source_path), unit.state is not State.REVIEWED
    return [Finding(unit.msgid, unit.msgctxt, location, check, severity, message, draft, unit.line)
            for check, severity, message in failures]


def skipped_checks(unit: Unit) -> set[str]:
    """Checks silenced for ``unit`` by ``# qa-skip:`` comments or ``qa-skip:`` flags."""
    names: list[str] = []
    for line in unit.translator_comment.split("\n"):  # "\n" only: a pasted U+2028 is not a line break
        if line.strip().startswith(SKIP_PREFIX):
            names.extend(line.strip()[len(SKIP_PREFIX) :].split(","))
    for flag in unit.flags:
        if flag.startswith(SKIP_PREFIX):
            names.extend(flag[len(SKIP_PREFIX) :].split(","))
    return {name.strip() for name in names if name.strip()}


# -- the checks ---------------------------------------------------------------

def _failures(unit: Unit, glossary: Sequence[Term]) -> Iterable[tuple[str, str]]:
    source, target = unit.msgid, unit.msgstr
    yield from _toolkit_failures(source, target, glossary)
    for registered in CHECKS.values():
        if registered.find is not None:
            yield from ((registered.name, message) for message in registered.find(source, target, glossary))
        elif registered.find_in_unit is not None:
            yield from ((registered.name, message) for message in registered.find_in_unit(unit))


def _toolkit_failures(source: str, target: str, glossary: Sequence[Term]) -> Iterable[tuple[str, str]]:
    # Footnote markers have a check of their own; left in, they would also
    # count as numbers, brackets and end punctuation. The dots of English
    # abbreviations ("7:30 a.m.", "U.S.") are not sentence ends for sentencecount.
    source, target = _WITHOUT_MARKER.sub("", source), _WITHOUT_MARKER.sub("", target)
    target = _ABBREVIATION.sub(lambda m: m.group().replace(".", ""), target)
    failures = _run_toolkit(source, target)
    if _TAG.search(source) or _TAG.search(target):
        # An HTML page's tags (pipeline.html_inline): xmltags compares them; to the other checks a
        # ">" beside a full stop is punctuation, so they count only what the text alone fails.
        untagged = _run_toolkit(_TAG.sub("", source), _TAG.sub("", target))
        failures = {name: failure for name, failure in failures.items() if name == "xmltags" or name in untagged}
    if _compact_form(source):
        # The toolkit's xmltags wants the tags in the source's order; a translation may reorder them.
        failures.pop("xmltags", None)
        if problems := _compact_tag_problems(source, target):
            failures["xmltags"] = "; ".join(problems)
    for name, failure in failures.items():
        if name == "unchanged" and _only_kept_terms(source, glossary):
            continue  # e.g. a heading that is just "Bali Process"
        if name in ("startwhitespace", "endwhitespace") and "newlines" in failures:
            continue  # a stray line break is reported once, as the error it is
        details = _details(name, source, target)
        if name == "urls" and not details:
            continue  # the toolkit counts the comma after a URL as part of it: the same URLs are no error
        message = failure["message"] if isinstance(failure, dict) else str(failure)
        yield name, message + details


_TAG = re.compile(r'</?[a-z]+\d*(?: translate="no")?/?>')  # the compact form's tags
_ANY_TAG = re.compile(r"<[^>]+>")  # what Translate Toolkit takes for a tag


def _compact_form(source: str) -> bool:
    """Whether ``source`` holds tags, all of them in the compact form of an HTML page's sentences."""
    tags = _ANY_TAG.findall(source)
    return bool(tags) and all(_TAG.fullmatch(tag) for tag in tags)


def _compact_tag_problems(source: str, target: str) -> list[str]:
    """xmltags for an HTML page's sentence: the same tags (any order, as the English may need),
    each element closed inside the one around it."""
    expected, found = Counter(_ANY_TAG.findall(source)), Counter(_ANY_TAG.findall(target))
    if expected != found:
        parts = [f"{label} {' '.join(sorted(tags.elements()))}"
                 for label, tags in (("missing", expected - found), ("not in the source", found - expected)) if tags]
        return ["Different XML tags: " + "; ".join(parts)]
    wrong = _nesting_problem(target)
    return [f"XML tags badly nested: {wrong}"] if wrong and not _nesting_problem(source) else []


def _nesting_problem(text: str) -> str | None:
    from pipeline.html_inline import TAG

    stack: list[str] = []
    for match in TAG.finditer(text):
        name = match.group("name")
        if match.group("void"):
            continue
        if not match.group("close"):
            stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
        else:
            return f"</{name}> where " + (f"<{stack[-1]}> is open" if stack else "nothing is open")
    return f"<{stack[-1]}> is not closed" if stack else None


def _run_toolkit(source: str, target: str) -> dict:
    from translate.storage.base import TranslationUnit

    unit = TranslationUnit(source)
    unit.target = target
    return _checker().run_filters(unit)


@check("numbers", ERROR)
def _numbers(source: str, target: str, glossary: Sequence[Term]) -> Iterable[str]:
    # Our own, not Translate Toolkit's: that one knows neither Indonesian digit
    # grouping nor numbers the translation added.
    source, target = (_MARKER_OR_REMNANT.sub(" ", text) for text in (source, target))
    missing, extra = _number_differences(source, target)
    if missing or extra:
        yield "Different numbers: " + "; ".join(
            f"{label} {' '.join(numbers.elements())}"
            for label, numbers in (("missing", missing), ("not in the source", extra)) if numbers)


def _number_differences(source: str, target: str) -> tuple[Counter, Counter]:
    """(source numbers missing from the target, target numbers not in the source), URLs left out.

    Numbers are compared by what they mean (``pipeline.numbers``): 1.250 is 1,250, 12,5 is 12.5,
    "pukul 07.30" is "7:30 a.m.", "19.30" is "7:30 p.m.", "ke-15" is "15th", and words count:
    "lima puluh" is 50, "3" is "three". Numbers in words are never reported themselves."""
    found = english_mentions(URL.sub(" ", target))
    written = indonesian_mentions(URL.sub(" ", source))
    missing = _unmatched([m for m in written if not m.spelled], found)  # takes the matched ones out of found
    extra = _unmatched([m for m in found if not m.spelled], [m for m in written if m.spelled])
    return missing, extra


def _unmatched(mentions: list, candidates: list) -> Counter:
    """The texts of ``mentions`` no candidate of the same value answers; each candidate answers
    one mention and is taken out of ``candidates``."""
    left: Counter = Counter()
    for mention in mentions:
        match = next((c for c in candidates if c.values & mention.values), None)
        if match is None:
            left[mention.text] += 1
        else:
            candidates.remove(match)
    return left


def _details(name: str, source: str, target: str) -> str:
    """Which numbers, URLs or line breaks differ: the toolkit only says that they do."""
    from translate.filters import decoration

    if name == "newlines":
        return _newline_details(source, target)
    extract = {"urls": decoration.geturls}.get(name)
    if extract is None:
        return ""
    expected = Counter(item.rstrip(".,;:") for item in extract(source))
    found = Counter(item.rstrip(".,;:") for item in extract(target))
    parts = []
    if missing := expected - found:
        parts.append("missing " + " ".join(missing.elements()))
    if extra := found - expected:
        parts.append("not in the source " + " ".join(extra.elements()))
    return ": " + "; ".join(parts) if parts else ""


def _newline_details(source: str, target: str) -> str:
    ends = [end for end, test in (("start", str.startswith), ("end", str.endswith))
            if test(source, "\n") != test(target, "\n")]
    if ends:
        return f": the line break at the {' and '.join(ends)} differs from the source (`msgfmt -c` refuses it)"
    return f": line breaks: {len(LINE_BREAK.findall(target))} here, {len(LINE_BREAK.findall(source))} in the source"


_per_thread = threading.local()


def _checker():
    """One checker per thread: a toolkit checker keeps a results cache it resets on every run, and the
    review page checks units from several threads."""
    checker = getattr(_per_thread, "checker", None)
    if checker is None:
        from translate.filters import checks
        from translate.lang import factory

        config = checks.CheckerConfig(targetlanguage="en")
        checker = checks.StandardChecker(config, limitfilters=list(TOOLKIT_CHECKS))
        checker.config.sourcelang = factory.getlanguage(SOURCE_LANGUAGE)  # sentence splitting for sentencecount
        _per_thread.checker = checker
    return checker


@check("footnote-markers", ERROR)
def _footnote_markers(source: str, target: str, glossary: Sequence[Term]) -> Iterable[str]:
    expected, found = FOOTNOTE_MARKER.findall(source), FOOTNOTE_MARKER.findall(target)
    if expected == found:
        return
    if sorted(expected) == sorted(found):
        yield f"footnote markers out of order: {_markers(found)}, expected {_markers(expected)}"
    else:
        yield f"footnote markers {_markers(expected)} in the source, {_markers(found)} here"


def _markers(numbers: list[str]) -> str:
    return " ".join(f"[{n}]" for n in numbers) or "none"


# Markdown inline markup a translation must keep: code is copied as it is;
# links, strong emphasis and emphasis keep their count, each around some text.
# CommonMark decides what is markup (markdown-it-py): "**" that opens nothing,
# "[](url)" and a star in prose are not counted.
INLINE_CODE = re.compile(r"`[^`\n]+`")
_MARKUP_NAMES = {"link_open": "link", "strong_open": "bold", "em_open": "emphasis"}


@check("markup", ERROR)
def _markup(source: str, target: str, glossary: Sequence[Term]) -> Iterable[str]:
    lost_code = Counter(INLINE_CODE.findall(source)) - Counter(INLINE_CODE.findall(target))
    if lost_code:
        yield "inline code must be copied as it is: missing " + " ".join(lost_code.elements())
    expected, found = _inline_markup(source), _inline_markup(target)
    for name in _MARKUP_NAMES.values():
        if expected[name] != found[name]:
            yield f"{name} markup: {found[name]} here, {expected[name]} in the source"


def _inline_markup(text: str) -> Counter:
    """Links, bold and emphasis in ``text`` that wrap some text, by kind."""
    if not any(mark in text for mark in ("*", "_", "](")):
        return Counter()  # nearly every sentence: no need to parse
    tokens = _markdown().parseInline(text)[0].children or []
    counts: Counter = Counter()
    for index, token in enumerate(tokens):
        name = _MARKUP_NAMES.get(token.type)
        closing = token.type.replace("_open", "_close")
        if name and index + 1 < len(tokens) and tokens[index + 1].type != closing:
            counts[name] += 1
    return counts


@functools.cache
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


@check("kept-text", WARNING)
def _kept_text(source: str, target: str, glossary: Sequence[Term]) -> Iterable[str]:
    """An HTML page's code and translate="no" elements: the English page takes their text from the
    source whatever the translation holds, so a change there would not be published."""
    from pipeline.html_inline import kept_choice, kept_texts

    expected: dict[str, list[str]] = {}
    for name, text in kept_texts(source):
        expected.setdefault(name, []).append(text)
    if not expected:
        return
    taken: dict[str, set[int]] = {}
    changed = []
    for name, text in kept_texts(target):
        texts = expected.get(name)
        if texts:  # one the source lacks is for xmltags
            published = texts[kept_choice(texts, text, taken.setdefault(name, set()))]
            if text != published:
                changed.append(f'"{text}" as "{published}"')
    if changed:
        yield "code and translate=\"no\" text is published as the source has it: " + "; ".join(changed)


@check("glossary", WARNING)
def _glossary(source: str, target: str, glossary: Sequence[Term]) -> Iterable[str]:
    for term in terms_in(source, glossary):
        if not term.do_not_translate and not _target_pattern(term.target).search(target):
            yield f"'{term.source}' should be translated as '{term.target}'"


@check("do-not-translate", WARNING)
def _do_not_translate(source: str, target: str, glossary: Sequence[Term]) -> Iterable[str]:
    for term in terms_in(source, glossary):
        if term.do_not_translate and term.target not in target:
            yield f"'{term.source}' must stay as it is in the English"


def terms_in(text: str, glossary: Sequence[Term]) -> list[Term]:
    """Glossary terms found in ``text``, longest first, never two on the same words.

    "kejahatan transnasional yang terorganisir" wins over the shorter
    "kejahatan transnasional" inside it.
    """
    taken: list[tuple[int, int]] = []
    found: list[Term] = []
    for term in sorted(glossary, key=lambda t: len(t.source), reverse=True):
        for match in _source_pattern(term.source).finditer(text):
            if not any(match.start() < end and start < match.end() for start, end in taken):
                taken.append(match.span())
                if term not in found:
                    found.append(term)
    return found


@functools.cache
def _source_pattern(term: str) -> re.Pattern[str]:
    words = (re.escape(word) for word in term.split())
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


@functools.cache
def _target_pattern(term: str) -> re.Pattern[str]:
    """The agreed English, case-insensitive, its last word singular or plural."""
    *head, last = [re.escape(word) for word in term.split()]
    if last.endswith("ies"):
        last = last[:-3] + "(?:y|ies)"
    elif last.endswith("s"):
        last = last[:-1] + "s?"
    else:
        last += "(?:s|es)?"
    return re.compile(r"(?<!\w)" + r"\s+".join([*head, last]) + r"(?!\w)", re.IGNORECASE)


def _only_kept_terms(source: str, glossary: Sequence[Term]) -> bool:
    rest = source
    for term in glossary:
        if term.do_not_translate:
            rest = _source_pattern(term.source).sub(" ", rest)
    return not re.search(r"[^\W\d_]", rest)


@check("length-ratio", WARNING)
def _length_ratio(source: str, target: str, glossary: Sequence[Term]) -> Iterable[str]:
    if len(source) < LENGTH_RATIO_MIN_CHARS:
        return
    ratio = len(target) / len(source)
    low, high = LENGTH_RATIO_RANGE
    if not low <= ratio <= high:
        yield f"the English is {ratio:.0%} of the Indonesian's length (usual: {low:.0%}-{high:.0%})"


@check("indonesian-words", WARNING)
def _indonesian_words(source: str, target: str, glossary: Sequence[Term]) -> Iterable[str]:
    text = URL.sub(" ", target)
    left = []
    for match in WORD.finditer(text):
        word = match.group()
        at_start = not text[: match.start()].strip()
        if word in INDONESIAN_WORDS or (at_start and word.lower() in INDONESIAN_WORDS and word.istitle()):
            left.append(word)
    if left:
        yield f"Indonesian left in the English: {', '.join(dict.fromkeys(left))}"


@unit_check("mt-mask-lost", WARNING)
def _mask_lost(unit: Unit) -> Iterable[str]:
    """The MT stage put back markup, numbers or links the model lost, by guess."""
    note = unit.stage_note(MASK_LOST_PREFIX)
    if note is not None and unit.state is not State.REVIEWED:
        yield f"the model lost {note}"


# A weak machine draft: reviewers triage by it (the review page sorts worst first).
# The score floor was chosen on the training recipe's dev split (`bench/mt_flags.py`).
MT_SCORE_FLOOR = -0.7  # mean log-probability per token (dev split: flags 29 % of drafts, 70 % of the worst tenth)


@unit_check("mt-degenerate", WARNING)
def _degenerate(unit: Unit) -> Iterable[str]:
    mark = unit.mt
    if unit.state is not State.MT_DRAFT or mark is None:
        return
    reasons = degenerate_reasons(unit.msgid, unit.msgstr, mark.score)
    if reasons:
        yield "weak machine draft: " + "; ".join(reasons)


def degenerate_reasons(source: str, draft: str, score: float | None) -> list[str]:
    """Why a machine draft looks broken: loops, Indonesian left in, an odd length, a low score."""
    reasons = []
    if stutters(draft) or (repeats_phrase(draft) and not repeats_phrase(source)):
        reasons.append("it repeats itself")
    left = [word for word in WORD.findall(URL.sub(" ", draft)) if word.lower() in INDONESIAN_WORDS]
    if len(left) >= 2:
        reasons.append(f"Indonesian left in it ({', '.join(dict.fromkeys(left))})")
    if len(source) >= LENGTH_RATIO_MIN_CHARS and not LENGTH_RATIO_RANGE[0] <= len(draft) / len(source) <= \
            LENGTH_RATIO_RANGE[1]:
        reasons.append(f"its length is {len(draft) / len(source):.0%} of the source's")
    if score is not None and score < MT_SCORE_FLOOR:
        reasons.append(f"the model was unsure (score {score:.2f})")
    return reasons


def _location(unit: Unit, source_path: str | None) -> str:
    if unit.locations:
        path, line = unit.locations[0]
        return f"{path}:{line}"
    return source_path or ""
