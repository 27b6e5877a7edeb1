"""Protected spans: text the engine must not translate, hidden behind placeholders.

Before MT, each protected span of a sentence is replaced by a placeholder
``ZX0``, ``ZX1``... ; after MT the placeholders are put back. Protected are:

  - Markdown inline code (between backticks), autolinks (``<https://...>``),
    and the markup around text that is translated: a link's or image's
    opening ``[``/``![`` and its closing target ``](https://...)``, and the
    markers of emphasis and strong emphasis (``*``, ``_``, ``**``, ``__``),
  - the tags of an HTML page's sentence (``pipeline.html_inline``): a start
    and its end tag as a pair around text that is translated (``<b>``,
    ``</b>``, ``<a2>``), a void one alone (``<br/>``), and an element whose text
    is never translated whole (``<code>make</code>``,
    ``<span translate="no">Bali Process</span>``),
  - URLs (``https://...``, ``www....``) and e-mail addresses,
  - footnote markers (``[1]``, ``[^1]``, ``[^note]``),
  - dates (``26 Juni 2015``, ``26/06/2015``), numbers (``1.250``, ``12,5%``) and
    amounts of money (``Rp150.000``, ``Rp. 150.000``, ``US$5``, ``€5``),
  - the glossary's do-not-translate terms (``Bali Process``),
  - source words that look like a placeholder (``ZX81``), so ``unmask`` never
    takes them for one.

Placeholders are plain capital letters and digits because every id/en
SentencePiece vocabulary holds those, and an NMT model tends to copy a
token it cannot translate, as it copies names. Most spans come back as they
were; two kinds come back in their English form, because leaving them in
Indonesian would be wrong in every English draft: month names
(``26 Juni 2015`` -> ``26 June 2015``) and unambiguous number formats
(``1.250`` -> ``1,250``, ``12,5%`` -> ``12.5%``, ``Rp150.000`` -> ``Rp150,000``).

A model may drop, garble or repeat a placeholder. A placeholder seen more
than once is restored once; one that never comes back is put back and
reported, so the stage can flag the unit: a span is never silently lost.
Markup comes in pairs, and a lost half goes next to the half that came back
(an opening ``[`` before the word in front of ``](url)``, a closing marker
after the word behind its opening one); a pair lost whole is appended with
the source text it wrapped; any other span is appended at the end. A
placeholder that lost its X (``Z0``, ``Z 12``) is taken for one only where
the source has no such word (``BMW Z3``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from pipeline.numbers import ID_MONTH_ABBREVIATIONS, ID_MONTHS, english_month_names, english_number

PLACEHOLDER = "ZX{index}"
# Tolerates what a model may do to a placeholder: lower-case it, split it.
_PLACEHOLDER_FOUND = re.compile(r"\bZ\s?X\s?(\d{1,3})(?!\d)", re.IGNORECASE)
_PLACEHOLDER_REMNANT = re.compile(r"\bZX\w{0,3}\b")  # what a garbled placeholder leaves behind
# Models also drop the X ("Z0", "Z 12"). Kept apart from the two above: those also build the
# "placeholder" protection, and "Z3" needs none, as ``unmask`` ignores these forms whenever
# the source has one ("BMW Z3").
_PLACEHOLDER_NO_X = re.compile(r"\bZ\s?(\d{1,3})\b")

_MONTH = "(?:" + "|".join(ID_MONTHS) + "|(?:" + "|".join(ID_MONTH_ABBREVIATIONS) + r")\.?)"

# Earlier patterns win when spans overlap at the same start (longest first otherwise).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # The run of backticks closes only on a run of the same length, as in CommonMark.
    ("code", re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)),
    # An HTML element whose text is never translated: code, or one marked translate="no".
    ("html-code", re.compile(r'<(?P<c>(?:code|kbd|samp|var)\d*)>.*?</(?P=c)>'
                             r'|<(?P<k>[a-z]+\d*) translate="no">.*?</(?P=k)>', re.DOTALL)),
    ("html-void", re.compile(r"<[a-z]+\d*/>")),
    ("autolink", re.compile(r"<(?:[a-z][a-z0-9+.-]*:[^\s<>]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>", re.IGNORECASE)),
    # "](url)" or '](url "title")' as one span: the model keeps a placeholder but loses the
    # brackets. One level of parentheses inside the URL ("wiki/Kopi_(minuman)").
    ("link", re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\)")),
    ("url", re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)[^\s<>\"“”‘’]+", re.IGNORECASE)),
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("footnote", re.compile(r"\[(?:\d{1,3}|\^[^\]\s]{1,30})\]")),
    ("date", re.compile(
        rf"\b(?:\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|{_MONTH}\s+\d{{4}})(?!\w)"
        r"|\b\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b",
        re.IGNORECASE,
    )),
    # Symbol and amount as one span: "number" refuses a digit glued to "Rp", and the model mangled it.
    ("currency", re.compile(r"(?<!\w)(?:Rp\.?|US\$|\$|€)\s?\d+(?:[.,]\d+)*(?!\w)")),
    ("number", re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*%?(?![\w])")),
    # Source words that look like a placeholder ("ZX81", "ZX-25R", "zx1") would be claimed or
    # cleaned up by ``unmask`` as if the engine had produced them, and silently lost. Masked
    # like any span, they come back as written, or are appended and reported if dropped.
    # ``\w*`` takes the rest of the word, so "ZX1a" is one span.
    ("placeholder", re.compile(
        rf"(?:{_PLACEHOLDER_REMNANT.pattern}|{_PLACEHOLDER_FOUND.pattern})\w*", re.IGNORECASE)),
]
# Markup in pairs around translated text; each yields (opening, closing) spans (``_markup_pairs``).
# A link's or image's text: "[" or "![" up to the "](" of its target (no brackets inside).
_LINK_TEXT = re.compile(r"(!?\[)[^\[\]\n]*(?=\]\()")
# Emphasis: the same marker on both sides of text that starts and ends with a non-space;
# "_" only between non-word characters, so snake_case stays as it is.
_HTML_TAG = re.compile(r"<(/?)([a-z]+\d*)>")  # a start or end tag of the compact form
_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|\*)(?=[^\s*])(?:.*?[^\s*])?\1(?![\w*])"
                       r"|(?<![\w_])(__|_)(?=[^\s_])(?:.*?[^\s_])?\2(?![\w_])")
_SENTENCE_END = re.compile(r"(?:[.!?…:;]+[\"'”’)]*)?$")
_TRAILING_URL_PUNCTUATION = ".,;:!?'\")]}"
_WORD_END_PUNCTUATION = ".,;:!?…'\"”’)"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str  # as in the source
    replacement: str  # what goes into the English draft
    kind: str
    glued_before: bool  # no space before it in the source (e.g. "internasional.[1]")
    glued_after: bool  # no space after it in the source (e.g. "(12,5%)")
    partner: int | None = None  # start of the other half of a pair of markup ("[" and "](url)")

    @property
    def opens(self) -> bool:
        return self.partner is not None and self.partner > self.start


@dataclass(frozen=True)
class Masked:
    source: str
    text: str  # what the engine sees
    spans: tuple[Span, ...]

    @property
    def needs_engine(self) -> bool:
        """False when nothing but placeholders and punctuation is left to translate."""
        return bool(re.search(r"[^\W\d_]", _PLACEHOLDER_FOUND.sub("", self.text)))


@dataclass(frozen=True)
class Restored:
    text: str
    lost: tuple[Span, ...]  # spans whose placeholder the engine did not give back


class Masker:
    """Masks one project's protected spans; built once per run."""

    def __init__(self, do_not_translate: Iterable[tuple[str, str]] = ()):
        """``do_not_translate``: (term, English form) pairs, e.g. ("Bali Process", "Bali Process")."""
        terms = sorted({source.strip(): target for source, target in do_not_translate if source.strip()}.items(),
                       key=lambda item: -len(item[0]))
        self._terms = {source.casefold(): target for source, target in terms}
        self._term_pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s, _ in terms) + r")(?!\w)", re.IGNORECASE)
            if terms else None
        )

    def mask(self, text: str) -> Masked:
        spans = _paired(_non_overlapping(self._candidates(text)))
        pieces, cursor = [], 0
        for index, span in enumerate(spans):
            before = text[cursor:span.start]
            if span.glued_before and before and not before[-1].isspace():
                before += " "  # a separate word is easier for the model to copy
            pieces.append(before + PLACEHOLDER.format(index=index))
            cursor = span.end
            if cursor < len(text) and not text[cursor].isspace():
                pieces.append(" ")
        pieces.append(text[cursor:])
        return Masked(text, "".join(pieces), tuple(spans))

    def _candidates(self, text: str) -> Iterable[tuple[int, Span]]:
        for rank, (kind, pattern) in enumerate(_PATTERNS):
            for match in pattern.finditer(text):
                start, end = match.span()
                if kind == "url":
                    end = start + len(match.group().rstrip(_TRAILING_URL_PUNCTUATION))
                yield rank, _span(text, start, end, kind, _english(kind, text[start:end]))
        if self._term_pattern is not None:
            for match in self._term_pattern.finditer(text):
                replacement = self._terms[match.group().casefold()]
                yield len(_PATTERNS), _span(text, match.start(), match.end(), "term", replacement)
        yield from _markup_pairs(text)


def unmask(translation: str, masked: Masked) -> Restored:
    """Put the spans back into the engine's output; place or append any it lost."""
    spans, used = masked.spans, set()

    def claim(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(spans) or index in used:
            return ""  # garbled or repeated: the span is restored once, elsewhere
        used.add(index)
        return f"\0{index}\0"

    def put_back(match: re.Match[str]) -> str:
        # Spaces the masking added next to punctuation go again: "international.[1]" as in the source.
        span = spans[int(match.group(3))]
        after_punctuation, after_word = match.group(1) or "", match.group(2) or ""
        if span.glued_before:
            after_punctuation = ""
            if span.kind in ("link", "html-void") or (span.partner is not None and not span.opens):
                after_word = ""  # a closing half hugs the text it closes: "[site](url)", "**price**"
        after = match.group(4) or ""
        if span.glued_after and (after_punctuation_follows(match) or span.opens or span.kind == "html-void"):
            after = ""  # "(12,5%)", an opening half hugs the text it opens, "Jl. Merdeka<br/>Jakarta"
        return after_punctuation + after_word + span.replacement + after

    def after_punctuation_follows(match: re.Match[str]) -> bool:
        rest = match.string[match.end():]
        return bool(rest) and not rest[0].isalnum() and not rest[0].isspace()

    text = _PLACEHOLDER_FOUND.sub(claim, translation)
    if not _PLACEHOLDER_NO_X.search(masked.source):  # else "Z3" may be the source's own word
        text = _PLACEHOLDER_NO_X.sub(claim, text)  # after the intact ones, which win a repeat
    # Remnants go before the spans are put back, so a restored "ZX81" from the source stays.
    text = _PLACEHOLDER_REMNANT.sub("", text)
    text = _drop_misplaced_closings(text, spans, used)
    text = _place_lost_halves(text, spans, used)
    text = re.sub(r"((?<=[^\w\s])\s+)?((?<=\w)\s+)?\0(\d+)\0(\s+)?", put_back, text)
    lost = tuple(span for index, span in enumerate(spans) if index not in used)
    text = re.sub(r"[ \t]{2,}", " ", text).strip()
    return Restored(_append(text, _appended(masked, used)), lost)


def _drop_misplaced_closings(text: str, spans: tuple[Span, ...], used: set[int]) -> str:
    """A closing half the model put before its opening half, or right after it with nothing between
    ("is ** very **", "[](url)"), is markup gone wrong: it is taken out, to be placed again (and
    reported) like a lost one."""
    index_of = {span.start: index for index, span in enumerate(spans)}
    for index, span in enumerate(spans):
        closing = index_of.get(span.partner) if span.opens and span.partner is not None else None
        if index not in used or closing is None or closing not in used:
            continue
        opening_at, closing_at = text.find(f"\0{index}\0"), text.find(f"\0{closing}\0")
        between = text[opening_at + len(f"\0{index}\0"):closing_at]
        if closing_at < opening_at or not re.sub(r"\0\d+\0", "", between).strip():
            text = text.replace(f"\0{closing}\0", "", 1)
            used.discard(closing)
    return text


def _place_lost_halves(text: str, spans: tuple[Span, ...], used: set[int]) -> str:
    """Each lost half of a pair whose other half came back goes next to it: an opening half
    before the word in front of the closing one, a closing half after the word behind the
    opening one. Those placed are not added to ``used``: they are still reported as lost."""
    index_of = {span.start: index for index, span in enumerate(spans)}
    for index, span in enumerate(spans):
        partner = index_of.get(span.partner) if span.partner is not None else None
        if index in used or partner is None or partner not in used:
            continue
        marker, other = f"\0{index}\0", f"\0{partner}\0"
        at = text.find(other)
        if span.opens:  # before the word in front of the closing half
            word = re.search(r"[^\s\0]*\s*$", text[:at])
            cut = word.start() if word else at
        else:  # after the word behind the opening half, before the punctuation that ends it
            word = re.match(r"\s*[^\s\0]+", text[at + len(other):])
            length = len(word.group().rstrip(_WORD_END_PUNCTUATION)) if word else 0
            cut = at + len(other) + length
        text = text[:cut] + marker + text[cut:]
    return text


def _appended(masked: Masked, used: set[int]) -> list[tuple[Span, str]]:
    """What goes at the end: each lost span, a pair lost whole with the source text it wrapped."""
    spans = masked.spans
    index_of = {span.start: index for index, span in enumerate(spans)}
    appended = []
    for index, span in enumerate(spans):
        if index in used:
            continue
        partner = index_of.get(span.partner) if span.partner is not None else None
        if partner is None:
            appended.append((span, span.replacement))
        elif partner not in used and span.opens:  # whole pair lost: "[situs koperasi](url)"
            closing = spans[partner]
            inner = masked.source[span.end:closing.start]
            appended.append((span, span.replacement + inner + closing.replacement))
    return appended


def _append(text: str, lost: list[tuple[Span, str]]) -> str:
    """Lost spans go before the closing punctuation, a glued marker after it ("... end.[1]")."""
    ending = _SENTENCE_END.search(text)
    assert ending is not None  # the pattern is optional up to "$": it always matches
    body, end = text[:ending.start()].rstrip(), ending.group()
    markers = ""
    for span, replacement in lost:
        if span.kind == "footnote" and span.glued_before:
            markers += replacement
        else:
            body += (" " if body else "") + replacement
    return body + end + markers


def _span(text: str, start: int, end: int, kind: str, replacement: str) -> Span:
    glued_before = start > 0 and not text[start - 1].isspace()
    glued_after = end < len(text) and not text[end].isspace()
    return Span(start, end, text[start:end], replacement, kind, glued_before, glued_after)


def _markup_pairs(text: str) -> Iterable[tuple[int, Span]]:
    """Link and image openings ("[", "![") and emphasis markers, each knowing its partner's start.

    A link's closing half is the "link" span ``_PATTERNS`` finds at the partner's start."""
    rank = len(_PATTERNS) + 1
    for match in _LINK_TEXT.finditer(text):
        opening = match.group(1)
        kind = "image-open" if opening == "![" else "link-open"
        yield rank, replace(_span(text, match.start(), match.start() + len(opening), kind, opening),
                            partner=match.end())
    for match in _EMPHASIS.finditer(text):
        marker = match.group(1) or match.group(2)
        start, end = match.start(), match.end()
        yield rank, replace(_span(text, start, start + len(marker), "emphasis", marker), partner=end - len(marker))
        yield rank, replace(_span(text, end - len(marker), end, "emphasis", marker), partner=start)
    yield from ((rank, span) for span in _html_tags(text))


def _html_tags(text: str) -> Iterable[Span]:
    """HTML start and end tags, each pair knowing its partner; a tag without one stands alone."""
    open_tags: list[re.Match[str]] = []
    for match in _HTML_TAG.finditer(text):
        if not match.group(1):
            open_tags.append(match)
            continue
        opening = next((m for m in reversed(open_tags) if m.group(2) == match.group(2)), None)
        if opening is None:
            yield _span(text, match.start(), match.end(), "tag", match.group())
            continue
        while open_tags.pop() is not opening:
            pass
        yield replace(_span(text, opening.start(), opening.end(), "tag", opening.group()), partner=match.start())
        yield replace(_span(text, match.start(), match.end(), "tag", match.group()), partner=opening.start())
    for unclosed in open_tags:
        yield _span(text, unclosed.start(), unclosed.end(), "tag", unclosed.group())


def _paired(spans: list[Span]) -> list[Span]:
    """The chosen spans with each pair complete: a half whose partner was not chosen (inside
    inline code, say) stays text; a link's closing half learns where its opening is."""
    starts = {span.start: span for span in spans}
    closers = {span.partner: span.start for span in spans
               if span.kind in ("link-open", "image-open") and span.partner in starts}
    kept = []
    for span in spans:
        if span.kind == "link" and span.start in closers:
            span = replace(span, partner=closers[span.start])
        elif span.partner is not None and span.partner not in starts:
            continue
        kept.append(span)
    return kept


def _non_overlapping(candidates: Iterable[tuple[int, Span]]) -> list[Span]:
    """Leftmost spans first; at one start the longest, then the earlier kind."""
    ordered = sorted(candidates, key=lambda c: (c[1].start, -(c[1].end - c[1].start), c[0]))
    chosen: list[Span] = []
    for _, span in ordered:
        if span.end > span.start and (not chosen or span.start >= chosen[-1].end):
            chosen.append(span)
    return chosen


def _english(kind: str, text: str) -> str:
    if kind == "date":
        return english_month_names(text)
    if kind == "number":
        return english_number(text)
    if kind == "currency":  # the symbol as written, the amount like any number
        digits = re.search(r"\d", text)
        cut = digits.start() if digits else len(text)
        return text[:cut] + english_number(text[cut:])
    return text
