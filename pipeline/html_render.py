"""Render an HTML page: the source page with each unit's text replaced by its English.

Nothing else of the page is written again: ``pipeline.html_source`` kept the
range of the page every sentence and attribute came from, and the English page
is the source text with those ranges replaced, plus the language of the
``<html>`` element (``lang``, and ``xml:lang`` where the page has it; a
``<meta http-equiv="Content-Language">`` too). An untranslated sentence
keeps its bytes, unless an element was split at its edge (see html_source):
then it is written afresh from its msgid, so both halves stay balanced.

A sentence is written from its compact form (``pipeline.html_inline``): each
tag becomes its element's start tag as the source wrote it (attributes and
all, their translated attributes put in), or its end tag; a kept element
(code, translate="no") is the source's element, whatever the translation holds
between its tags; a comment is the source's, and one the translation left out
is written at the end of the sentence; a tag the source sentence does not have,
and an end tag that closes nothing, is shown as text; tags a translation left
unbalanced are balanced. Text is escaped, a no-break
space written ``&nbsp;`` (``&#160;`` in XHTML), and a character the page's
encoding cannot hold becomes a character reference.
"""

from __future__ import annotations

import html
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Mapping

from pipeline import html_inline
from pipeline.document import Document
from pipeline.html_inline import Inline, Piece
from pipeline.html_sentences import SentenceSpan
from pipeline.html_source import COMMENT, STRAY, HtmlPage

Edit = tuple[int, int, str]  # replace the page's text from..to with this


def render_page(document: Document, english: Mapping[tuple[int, int], str], language: str) -> tuple[str, str]:
    """The English page's text and the encoding to write it in.

    ``english``: what each segment shows, by (block number, segment index), as the
    render policy decided it (a translation, or the msgid)."""
    page = document.page
    assert page is not None, "an HTML document carries its page"
    writer = _Writer(page, _attribute_edits(document, english, page))
    edits: list[Edit] = []
    translated: list[int] = []  # where the sentences now in English begin
    for block in document.translatable_blocks():
        if block.number in page.attributes:
            continue
        for index, segment in enumerate(block.segments):
            span = page.sentences[(block.number, index)]
            text = english[(block.number, index)]
            if text != segment.text or not span.whole:
                edits.append((span.start, span.end, writer.sentence(text, span)))
            if text != segment.text:
                translated.append(span.start)
    edits.sort()
    edits += [edit for edit in writer.attributes if not _inside(edit, edits)]
    edits += [(start, end, template.replace("{}", language)) for start, end, template in page.language]
    edits += _inner_languages(page, sorted(translated), language)
    return _splice(page.text, edits), page.encoding


def _inner_languages(page: HtmlPage, translated: list[int], language: str) -> list[Edit]:
    """``<p lang="id">`` says English once a sentence in it is (an element still all Indonesian
    keeps saying so): screen readers and search engines read the text by it."""
    edits = []
    for value_start, value_end, element_start, element_end in page.inner_languages:
        first = bisect_left(translated, element_start)
        if first < len(translated) and translated[first] < element_end:
            edits.append((value_start, value_end, language))
    return edits


def _attribute_edits(document: Document, english: Mapping[tuple[int, int], str], page: HtmlPage) -> list[Edit]:
    edits = []
    for block in document.translatable_blocks():
        place = page.attributes.get(block.number)
        if place is None:
            continue
        texts = [english[(block.number, index)] for index in range(len(block.segments))]
        if texts != [segment.text for segment in block.segments]:
            value = html.unescape(" ".join(texts))  # an attribute holds text only: any tag is text
            quote = place.quote or '"'
            escaped = _escape(value, page, quote)
            edits.append((place.start, place.end, escaped if place.quote else quote + escaped + quote))
    return sorted(edits)


def _inside(edit: Edit, others: list[Edit]) -> bool:
    """Whether ``edit`` lies in one of ``others`` (sorted, not overlapping)."""
    index = bisect_right(others, (edit[0], float("inf"))) - 1
    return index >= 0 and others[index][0] <= edit[0] and edit[1] <= others[index][1]


def _splice(text: str, edits: list[Edit]) -> str:
    out, cursor = [], 0
    for start, end, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        if start < cursor:
            raise ValueError(f"overlapping edits of the page at offset {start}")
        out.append(text[cursor:start])
        out.append(replacement)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _escape(text: str, page: HtmlPage, quote: str = "") -> str:
    """Text for the page: markup characters escaped, a no-break space as a reference
    readers can see, characters the encoding cannot hold as references."""
    text = html.escape(text, quote=False)
    if quote:
        text = text.replace(quote, "&quot;" if quote == '"' else "&#39;")
    text = text.replace("\u00a0", "&#160;" if page.xhtml else "&nbsp;")
    if not page.encoding.lower().replace("_", "-").startswith(("utf-8", "utf-16", "utf8")):
        text = text.encode(page.encoding, "xmlcharrefreplace").decode(page.encoding)
    return text


class _Writer:
    """Writes sentences of one page from their compact form."""

    def __init__(self, page: HtmlPage, attributes: list[Edit]):
        self.page = page
        self.attributes = attributes
        self._starts = [start for start, _, _ in attributes]

    def sentence(self, text: str, span: SentenceSpan) -> str:
        by_name: dict[str, list[Inline]] = defaultdict(list)
        for element in span.inlines:
            by_name[element.name].append(element)
        used: dict[str, int] = defaultdict(int)
        taken: dict[str, set[int]] = defaultdict(set)  # kept elements written, by name
        written: set[int] = set()  # comments written
        out: list[str] = []
        stack: list[Inline] = []
        pieces = html_inline.parse(text)
        index = 0
        while index < len(pieces):
            piece = pieces[index]
            inline = self._pick(piece, by_name, used) if piece.kind in ("open", "void") else None
            if piece.kind == "text":
                out.append(_escape(piece.value, self.page))
            elif piece.kind == "close":
                if any(open_.name == piece.value for open_ in stack):
                    while stack:
                        closed = stack.pop()
                        out.append(closed.end_tag)
                        if closed.name == piece.value:
                            break
                else:  # closes nothing the translation opened: text, like a tag the source does not have
                    out.append(_escape(html_inline.source_of(piece), self.page))
            elif inline is None:
                out.append(_escape(html_inline.source_of(piece), self.page))
            elif piece.kind == "open" and inline.keep:
                index = self._kept(pieces, index, by_name[piece.value], taken[piece.value], out)
            elif piece.kind == "open" and not inline.void:
                out.append(self._source(inline.start, inline.end))
                stack.append(inline)
            else:
                out.append(self._source(inline.start, inline.end) + inline.end_tag)
                written.add(id(inline))
            index += 1
        out.extend(inline.end_tag for inline in reversed(stack))
        # A comment is never lost (a server's <!--#include-->, Blogger's <!--more-->): one the
        # translation left out goes at the end of the sentence (and QA reports the missing tag);
        # so does markup no msgid shows, an end tag that closes nothing (browsers ignore it).
        out.extend(self._source(inline.start, inline.end) for inline in span.inlines
                   if (inline.tag == COMMENT and id(inline) not in written) or inline.tag == STRAY)
        return span.lead + "".join(out) + span.trail

    def _pick(self, piece: Piece, by_name: Mapping[str, list[Inline]], used: dict[str, int]) -> Inline | None:
        """The source element a tag stands for: the n-th tag of a name is the n-th element
        of that name (one more than the source has reuses the last)."""
        found = by_name.get(piece.value)
        if not found:
            return None
        chosen = found[min(used[piece.value], len(found) - 1)]
        used[piece.value] += 1
        return chosen

    def _kept(self, pieces: list[Piece], index: int, candidates: list[Inline], taken: set[int],
              out: list[str]) -> int:
        """A kept element: the source's (``html_inline.kept_choice`` says which of them); what the
        translation wrote between the tags is not used. Returns the index of its end tag."""
        name = pieces[index].value
        end = next((i for i in range(index + 1, len(pieces)) if pieces[i].kind == "close"
                    and pieces[i].value == name), len(pieces))
        inner = html_inline.plain_text("".join(html_inline.source_of(p) for p in pieces[index + 1 : end]))
        chosen = candidates[html_inline.kept_choice([inline.text for inline in candidates], inner, taken)]
        out.append(self._source(chosen.start, chosen.end) + chosen.end_tag)
        return end

    def _source(self, start: int, end: int) -> str:
        """The page's text from ``start`` to ``end``, with the translated attributes in it."""
        text = self.page.text
        out, cursor = [], start
        for number in range(bisect_left(self._starts, start), len(self._starts)):
            edit_start, edit_end, replacement = self.attributes[number]
            if edit_end > end:
                break
            out.append(text[cursor:edit_start])
            out.append(replacement)
            cursor = edit_end
        out.append(text[cursor:end])
        return "".join(out)
