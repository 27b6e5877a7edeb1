"""Bilingual outputs: a side-by-side HTML page and a bilingual Markdown file.

Both show each block of the source with its English, sentence by sentence,
and say each English sentence's state. The policy per state is the English
render's (``State.has_translation``): reviewed sentences are shown as
they are, translations not reviewed yet and machine drafts are shown and
marked, untranslated and needs-update sentences show the Indonesian.

The HTML page is one self-contained file (inline CSS and a few lines of JS,
no external resource): hovering or focusing a sentence highlights its
counterpart, matched through ``data-pair``; it stacks to one column on a
phone and prints in two. Every text is escaped. A sentence from a Markdown
source shows its inline markup rendered (bold, links, code); one from an HTML
page too, from its compact form (``pipeline.html_inline.display_html``: only
known inline elements, links only to http(s) and mailto addresses).
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from dataclasses import dataclass

from pipeline import html_inline
from pipeline.catalog import Catalog, MTMark, State
from pipeline.document import Block, BlockKind, Document, SourceFormat
from pipeline.extract import segment_keys
from pipeline.project import SOURCE_LANGUAGE
from pipeline.render import english_text, unit_for
from pipeline.wording import count

STATE_ORDER = (State.REVIEWED, State.TRANSLATED, State.MT_DRAFT, State.NEEDS_UPDATE, State.UNTRANSLATED)

# What each state means to a reader, shown in the legend and in tooltips.
STATE_NOTES = {
    State.REVIEWED: "reviewed",
    State.TRANSLATED: "translated, not reviewed",
    State.MT_DRAFT: "machine draft, not reviewed",
    State.NEEDS_UPDATE: "needs update (source changed): Indonesian shown",
    State.UNTRANSLATED: "untranslated: Indonesian shown",
}
# Short marks for the Markdown, where a reviewed sentence carries none.
MARKDOWN_MARKS = {
    State.REVIEWED: "",
    State.TRANSLATED: "[not reviewed] ",
    State.MT_DRAFT: "[MT] ",
    State.NEEDS_UPDATE: "[needs update] ",
    State.UNTRANSLATED: "[untranslated] ",
}


@dataclass(frozen=True)
class Sentence:
    """One source sentence and what the English column shows for it."""

    pair: str  # "3.2": block number and 1-based sentence number, shared by both sides
    source: str
    english: str  # the render policy's text: the translation, or the Indonesian
    state: State
    mt: MTMark | None = None

    @property
    def shows_source(self) -> bool:
        return not self.state.has_translation


@dataclass(frozen=True)
class Row:
    """A block of the document with its sentences (none for verbatim blocks)."""

    block: Block
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Alignment:
    document: Document
    rows: tuple[Row, ...]

    @property
    def states(self) -> Counter:
        return Counter(s.state for row in self.rows for s in row.sentences)

    @property
    def title(self) -> str:
        headings = [r.block.text for r in self.rows if r.block.kind is BlockKind.HEADING and r.block.translatable]
        if headings and self.document.format is SourceFormat.HTML:
            return html_inline.plain_text(headings[0])
        return headings[0] if headings else self.document.domain


def align(document: Document, catalog: Catalog) -> Alignment:
    """Pair every sentence of ``document`` with its unit in ``catalog``.

    Raises OutOfDateError, naming ``make update``, when a sentence has no
    unit: the source changed after the catalog was last merged.
    """
    keys = segment_keys(document)
    rows = []
    for block in document.blocks:
        if _is_table_delimiter(block):
            continue  # "|---|---|" is table syntax, not content: it would show as a code block
        sentences = []
        if block.translatable:
            for index, segment in enumerate(block.segments):
                unit = unit_for(catalog, keys[(block.number, index)], document)
                english = english_text(unit)
                sentences.append(Sentence(f"{block.number}.{index + 1}", segment.text, english, unit.state, unit.mt))
        rows.append(Row(block, tuple(sentences)))
    return Alignment(document, tuple(rows))


def _is_table_delimiter(block: Block) -> bool:
    """A Markdown table's delimiter row (``|:---|---:|``), which the reader keeps as a raw block."""
    raw = block.raw.strip()
    return block.kind is BlockKind.RAW and "|" in raw and "-" in raw and not raw.strip("|:- \t")


def summary(states: Counter) -> str:
    """Counts for a reader, e.g. "19 sentences: 3 reviewed, 10 machine drafts, 6 untranslated"."""
    names = {
        State.REVIEWED: "reviewed",
        State.TRANSLATED: "translated (not reviewed)",
        State.MT_DRAFT: "machine drafts",
        State.NEEDS_UPDATE: "needing update",
        State.UNTRANSLATED: "untranslated",
    }
    total = sum(states.values())
    parts = [f"{states[s]} {names[s]}" for s in STATE_ORDER if states[s]]
    return count(total, "sentence") + (": " + ", ".join(parts) if parts else "")


# -- Markdown -----------------------------------------------------------------

def render_markdown(alignment: Alignment) -> str:
    """Per block, the Indonesian quoted and the English below, a sentence a line.

    One sentence per line keeps a diff of two versions down to the sentences
    that changed.
    """
    lines = [
        f"# {_md_text(alignment.title)} (Indonesian and English)",
        "",
        f"Source: {_md_text(alignment.document.path)}. {summary(alignment.states)}.",
        "Each block: the Indonesian quoted, then the English, one sentence a line.",
        "Marks: [not reviewed] translated, not reviewed; [MT] machine draft, not reviewed;"
        " [needs update] and [untranslated]: Indonesian shown.",
    ]
    inline = html_inline.markdown_text if alignment.document.format is SourceFormat.HTML else str
    for row in alignment.rows:
        lines.append("")
        lines.extend(_markdown_row(row, inline))
    return "\n".join(lines) + "\n"


def _markdown_row(row: Row, inline=str) -> list[str]:
    """``inline`` turns a sentence into Markdown (an HTML page's tags: bold, emphasis, code)."""
    block = row.block
    if not row.sentences:
        return _fenced(block.raw) if block.raw.strip() else []
    prefix = _markdown_prefix(block)
    source = _markdown_lines(prefix, [inline(s.source) for s in row.sentences], block)
    english = _markdown_lines(prefix, [MARKDOWN_MARKS[s.state] + inline(s.english) for s in row.sentences], block)
    return [("> " + line).rstrip() for line in source] + [""] + english


def _markdown_prefix(block: Block) -> str:
    if block.prefix.strip():
        return block.prefix.lstrip(" >")  # quote markers: the whole block is quoted anyway
    if block.kind is BlockKind.HEADING:
        return "## "
    if block.kind is BlockKind.LIST_ITEM:
        return "- "
    if block.label:  # an HTML attribute's text: say whose
        return f"*{_md_text(block.label)}:* "
    return ""


def _markdown_lines(prefix: str, sentences: list[str], block: Block) -> list[str]:
    texts = [_md_text(s) for s in sentences]
    if block.kind is BlockKind.HEADING:
        return [prefix + " ".join(texts)]  # a heading must stay on one line
    indent = " " * len(prefix) if block.kind is BlockKind.LIST_ITEM else ""
    first, *rest = texts
    return [prefix + (first if prefix else _protect_line_start(first))] + [
        indent + _protect_line_start(text) for text in rest
    ]


def _md_text(text: str) -> str:
    """One line of text that Markdown shows as it is (no HTML gets through)."""
    return " ".join(text.split()).replace("<", "\\<")


_BLOCK_START = re.compile(r"^(?:#{1,6}(?:\s|$)|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|>|=+\s*$|-+\s*$|`{3,}|~{3,})")


def _protect_line_start(line: str) -> str:
    """A sentence on a line of its own must not start a list, heading or quote.

    The marker's punctuation is backslash-escaped ("1\\. ", "\\- "), which
    Markdown shows as the bare character.
    """
    if not _BLOCK_START.match(line):
        return line
    position = len(line) - len(line.lstrip("0123456789"))
    return line[:position] + "\\" + line[position:]


def _fenced(raw: str) -> list[str]:
    longest = max((len(run) for run in re.findall(r"`+", raw)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", *raw.rstrip("\n").split("\n"), fence]


# -- HTML ---------------------------------------------------------------------

def render_html(alignment: Alignment) -> str:
    """The side-by-side page: one grid row per block, source left, English right."""
    document = alignment.document
    anchors, footnotes = _footnote_anchors(alignment)
    inline = _inline_for(document)
    rows = "\n".join(_html_row(row, footnotes, anchors.get(row.block.number), inline) for row in alignment.rows)
    return _PAGE.format(
        title=_esc(f"{alignment.title}: Indonesian and English"),
        heading=_esc(alignment.title),
        path=_esc(document.path),
        summary=_esc(summary(alignment.states)),
        legend=_legend(),
        rows=rows,
        css=_CSS,
        script=_SCRIPT,
    )


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _inline_for(document: Document):
    """How a sentence of ``document`` is shown: a function of its text and its ``pair``."""
    if document.format is SourceFormat.MARKDOWN:
        return lambda text, pair: _markdown_inline(text)
    if document.format is SourceFormat.HTML and document.page is not None:
        page = document.page

        def show(text: str, pair: str) -> str:
            block, sentence = pair.split(".")
            span = page.sentences.get((int(block), int(sentence) - 1))  # None for an attribute's text
            if span is None:
                return html_inline.display_html(text)
            kept: dict[str, list[str]] = {}
            for inline in span.inlines:
                if inline.keep:  # code, translate="no": the page shows the source's text, and so does this
                    kept.setdefault(inline.name, []).append(inline.text)
            return html_inline.display_html(text, {i.name: i.href for i in span.inlines}, kept)

        return show
    return lambda text, pair: _esc(text)


@functools.cache
def _inline_renderer():
    """CommonMark inline markup as HTML, with raw HTML escaped and images shown as their link
    (a saved page should not fetch pictures from elsewhere); markdown-it refuses javascript: links."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).disable("image")


def _markdown_inline(text: str) -> str:
    """A Markdown sentence as the reader sees it: bold, links, code rendered, everything escaped."""
    return _inline_renderer().renderInline(text)


def _legend() -> str:
    """Each state's note written in that state's own style."""
    return "\n".join(
        f'<li><span class="mark {state.value}">{_esc(STATE_NOTES[state])}</span></li>' for state in STATE_ORDER
    )


def _html_row(row: Row, footnotes: dict[str, str], anchor: str | None, inline) -> str:
    block = row.block
    row_id = f' id="{anchor or f"block-{block.number}"}"'
    kind = block.kind.value.replace(" ", "-")
    if not row.sentences:
        return (
            f'<section class="pair {kind} verbatim"{row_id}>'
            f'<pre class="both">{_esc(block.raw.rstrip(chr(10)))}</pre></section>'
        )
    source = " ".join(_source_span(s, footnotes, inline) for s in row.sentences)
    english = " ".join(_english_span(s, footnotes, inline) for s in row.sentences)
    return (
        f'<section class="pair {kind}"{row_id}>\n'
        f'<div class="side src" lang="{SOURCE_LANGUAGE}">{_wrap(block, source)}</div>\n'
        f'<div class="side tgt" lang="en">{_wrap(block, english)}</div>\n'
        f"</section>"
    )


def _source_span(sentence: Sentence, footnotes: dict[str, str], inline) -> str:
    text = _link_footnotes(inline(sentence.source, sentence.pair), footnotes)
    return f'<span class="s" data-pair="{sentence.pair}" tabindex="0">{text}</span>'


def _english_span(sentence: Sentence, footnotes: dict[str, str], inline) -> str:
    text = _link_footnotes(inline(sentence.english, sentence.pair), footnotes)
    note = STATE_NOTES[sentence.state]
    if sentence.state is State.MT_DRAFT and sentence.mt is not None:
        note = f"machine draft ({sentence.mt.engine} {sentence.mt.model} {sentence.mt.version}), not reviewed"
    lang = f' lang="{SOURCE_LANGUAGE}"' if sentence.shows_source else ""
    return (
        f'<span class="s {sentence.state.value}" data-pair="{sentence.pair}" data-state="{sentence.state.value}"'
        f'{lang} title="{_esc(note)}" tabindex="0">{text}</span>'
    )


_LIST_NUMBER = re.compile(r"\s*(\d{1,9})[.)]\s")


def _wrap(block: Block, inner: str) -> str:
    """The block's own element around its sentences."""
    kind = block.kind
    if kind is BlockKind.HEADING:
        level = min(6, max(2, block.prefix.count("#") + 1))
        return f"<h{level}>{inner}</h{level}>"
    if kind is BlockKind.LIST_ITEM:
        number = _LIST_NUMBER.match(block.prefix)
        if number:
            return f'<ol start="{int(number.group(1))}"><li>{inner}</li></ol>'
        return f"<ul><li>{inner}</li></ul>"
    if kind is BlockKind.QUOTE:
        return f"<blockquote><p>{inner}</p></blockquote>"
    if kind is BlockKind.FOOTNOTE:
        label = _footnote_label(block)
        marker = f'<span class="fn-label">{_esc(label or block.prefix.strip())}</span> '
        return f'<p class="footnote">{marker}{inner}</p>'
    if kind is BlockKind.CODE:
        return f"<pre><code>{inner}</code></pre>"
    if block.label:  # an HTML attribute's text: say whose
        return f'<p class="labelled"><span class="fn-label">{_esc(block.label)}:</span> {inner}</p>'
    return f"<p>{inner}</p>"


_FOOTNOTE_LABEL = re.compile(r"\s*\[\^?([^\]\s]+)\]:?\s*$")


def _footnote_label(block: Block) -> str | None:
    """"[1]" for a footnote block introduced by "[1] " (or "[^1]: " in Markdown)."""
    if block.kind is not BlockKind.FOOTNOTE:
        return None
    match = _FOOTNOTE_LABEL.match(block.prefix)
    return f"[{match.group(1)}]" if match else None


def _footnote_anchors(alignment: Alignment) -> tuple[dict[int, str], dict[str, str]]:
    """Ids of footnote rows by block number, and the same ids by label ("[1]") for links."""
    by_block: dict[int, str] = {}
    by_label: dict[str, str] = {}
    for row in alignment.rows:
        label = _footnote_label(row.block)
        if label and label not in by_label:  # a repeated label links to its first footnote
            by_label[label] = by_block[row.block.number] = "fn-" + re.sub(r"[^\w-]", "_", label[1:-1])
    return by_block, by_label


def _link_footnotes(escaped: str, footnotes: dict[str, str]) -> str:
    """Turn "[1]" in running text into a link to footnote [1], where there is one."""
    if not footnotes:
        return escaped

    def link(match: re.Match) -> str:
        target = footnotes.get(f"[{match.group(1)}]")
        return f'<a class="fn-ref" href="#{target}">{match.group(0)}</a>' if target else match.group(0)

    return re.sub(r"\[\^?([^\]\s]+)\]", link, escaped)


_CSS = """
:root { --ink: #1f2328; --muted: #59636e; --rule: #d8dee4; --hl: #fde68a;
        --mt: #2f6fba; --human: #8250df; --update: #b35900; --untranslated: #8c959f; --bg: #fff; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #e6edf3; --muted: #9198a1; --rule: #3d444d; --hl: #5c4a12;
          --mt: #6cb6ff; --human: #c297ff; --update: #f0a050; --untranslated: #848d97; --bg: #0d1117; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; color: var(--ink);
       background: var(--bg); font: 1.0625rem/1.6 Georgia, "Noto Serif", "DejaVu Serif", serif; }
header { border-bottom: 1px solid var(--rule); margin-bottom: 1rem; }
header h1 { font-size: 1.5rem; margin: .5rem 0 .25rem; }
.meta { color: var(--muted); margin: 0 0 .5rem; font-size: .9rem; }
.legend { list-style: none; padding: 0; margin: 0 0 .75rem; display: flex; flex-wrap: wrap;
          gap: .25rem 1.25rem; font-size: .85rem; color: var(--muted); }
.colheads, .pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); column-gap: 2.5rem; }
.colheads { position: sticky; top: 0; background: var(--bg); font: 600 .8rem/2 system-ui, sans-serif;
            letter-spacing: .06em; text-transform: uppercase; color: var(--muted);
            border-bottom: 1px solid var(--rule); z-index: 1; }
.pair { padding: .35rem 0; border-bottom: 1px solid transparent; }
.pair + .pair { border-top: 1px dotted var(--rule); }
.side { overflow-wrap: anywhere; }  /* long URLs in footnotes must not widen a column */
.side > :first-child { margin-top: .4rem; }
.side > :last-child { margin-bottom: .4rem; }
.src { color: var(--ink); }
.pair.verbatim .both { grid-column: 1 / -1; white-space: pre-wrap; color: var(--muted); font-size: .9rem; }
h2, h3, h4, h5, h6 { font-family: system-ui, sans-serif; line-height: 1.3; }
ul, ol { padding-left: 1.4rem; margin: .4rem 0; }
blockquote { margin: .4rem 0; padding-left: 1rem; border-left: 3px solid var(--rule); }
.footnote { font-size: .9rem; }
.fn-label { font-weight: 600; }
.labelled .fn-label { font: 600 .8rem system-ui, sans-serif; color: var(--muted); }
a { color: inherit; }
.link { text-decoration: underline; }
.void { color: var(--muted); font-size: .85em; }
.s { border-radius: 2px; transition: background-color .1s; }
.s:hover, .s:focus, .s.hl { background: var(--hl); outline: none; }
@media (prefers-reduced-motion: reduce) { .s { transition: none; } }
.s:focus-visible { box-shadow: 0 2px 0 var(--update); -webkit-box-decoration-break: clone;
                   box-decoration-break: clone; }
.mt-draft { text-decoration: underline dotted var(--mt) 2px; text-underline-offset: .22em; }
.translated { text-decoration: underline dotted var(--human) 1px; text-underline-offset: .22em; }
.needs-update { color: var(--muted); text-decoration: underline dashed var(--update) 1px;
                text-underline-offset: .22em; }
.untranslated { color: var(--muted); font-style: italic; }
.legend::before { content: "English:"; }
@media screen and (max-width: 700px) {
  body { padding: .5rem .9rem 2rem; font-size: 1rem; }
  .colheads { display: none; }
  .pair { grid-template-columns: minmax(0, 1fr); padding: .5rem 0; }
  .side::before { display: block; font: 600 .7rem/1.6 system-ui, sans-serif; letter-spacing: .08em;
                  color: var(--muted); }
  .src::before { content: "ID"; }
  .tgt::before { content: "EN"; margin-top: .3rem; }
  .side > :first-child { margin-top: 0; }
}
@media print {
  :root { --ink: #000; --muted: #444; --bg: #fff; --hl: transparent; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  .colheads { position: static; }
  .pair { break-inside: avoid; }
  .s:hover, .s:focus, .s.hl { background: none; }
  a { text-decoration: none; }
}
"""

# Highlight every sentence sharing the hovered or focused one's data-pair.
_SCRIPT = """
(function () {
  function mark(target, on) {
    var sentence = target.closest ? target.closest("[data-pair]") : null;
    if (!sentence) return;
    var all = document.querySelectorAll('[data-pair="' + sentence.getAttribute("data-pair") + '"]');
    for (var i = 0; i < all.length; i++) all[i].classList.toggle("hl", on);
  }
  ["mouseover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) { mark(event.target, true); });
  });
  ["mouseout", "focusout"].forEach(function (type) {
    document.addEventListener(type, function (event) { mark(event.target, false); });
  });
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header>
<h1>{heading}</h1>
<p class="meta">{path} · Indonesian and English · {summary}</p>
<ul class="legend" aria-label="How the English sentences are marked">
{legend}
</ul>
</header>
<main>
<div class="colheads" aria-hidden="true"><div>Bahasa Indonesia</div><div>English</div></div>
{rows}
</main>
<script>{script}</script>
</body>
</html>
"""
