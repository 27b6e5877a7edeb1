"""Render: a document and its translation catalog -> the translated document.

Policy per unit, as po4a does for fuzzy entries but with MT drafts in view:
reviewed translations, a person's translations not reviewed yet and MT
drafts are used (drafts are counted so nobody publishes them unknowingly); a
person's unapproved work is never shown worse than a machine's. Untranslated
and needs-update units keep the Indonesian sentence, optionally marked.

Plain text is wrapped again, Markdown keeps its source lines outside the
translated blocks, and an HTML page is its source with only the translated
text replaced (``pipeline.html_render``), written in the page's own encoding.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from dataclasses import dataclass, field

from pipeline.catalog import Catalog, State, Unit
from pipeline.document import Block, BlockKind, Document, SourceFormat
from pipeline.errors import IncompleteError, OutOfDateError
from pipeline.extract import segment_keys
from pipeline.project import TARGET_LANGUAGE
from pipeline.wording import count

UNTRANSLATED_MARK = "[[id: {}]]"


@dataclass(frozen=True)
class RenderOptions:
    mark_untranslated: bool = False  # wrap kept Indonesian in [[id: …]]
    strict: bool = False  # refuse unless every unit is reviewed
    keep: int = 0  # refuse if fewer than this % of sentences are people's English (reviewed or translated)
    width: int = 80  # wrap plain-text paragraphs; 0 keeps one line each
    keep_counts_drafts: bool = False  # the old --keep: machine drafts count as English too


@dataclass
class RenderResult:
    text: str
    states: Counter = field(default_factory=Counter)  # segment occurrences per State
    encoding: str = "utf-8"  # what to write ``text`` in: an HTML page's own encoding

    @property
    def data(self) -> bytes:
        """The rendered document as the file to write."""
        return self.text.encode(self.encoding)

    @property
    def total(self) -> int:
        return sum(self.states.values())

    @property
    def percent_english(self) -> float:
        """Sentences shown in English (machine drafts included)."""
        used = sum(count for state, count in self.states.items() if state.has_translation)
        return 100.0 * used / self.total if self.total else 100.0

    @property
    def percent_by_people(self) -> float:
        """Sentences whose English a person wrote or approved (reviewed, or translated not reviewed yet)."""
        done = self.states[State.REVIEWED] + self.states[State.TRANSLATED]
        return 100.0 * done / self.total if self.total else 100.0


def render(document: Document, catalog: Catalog, options: RenderOptions = RenderOptions()) -> RenderResult:
    """The translated text of ``document``; raises if the catalog is stale or too incomplete."""
    result = RenderResult(text="")
    english = _english_sentences(document, catalog, options, result.states)
    _check_thresholds(document, catalog, options, result)
    if document.format is SourceFormat.HTML:
        from pipeline.html_render import render_page

        result.text, result.encoding = render_page(document, english, catalog.language or TARGET_LANGUAGE)
        return result
    translated = {block.number: " ".join(english[(block.number, index)] for index in range(len(block.segments)))
                  for block in document.translatable_blocks()}
    if document.format is SourceFormat.MARKDOWN:
        result.text = _render_markdown(document, translated)
    else:
        result.text = _render_text(document, translated, options.width)
    return result


def unit_for(catalog: Catalog, key: tuple[str | None, str], document: Document) -> Unit:
    """The unit of a segment's key; OutOfDateError naming `make update` when there is none."""
    context, msgid = key
    unit = catalog.get(msgid, context)
    if unit is None:
        raise OutOfDateError(
            f"no catalog entry for {msgid[:60]!r}; the catalog is out of date, run `make update`",
            catalog.path or document.domain,
        )
    return unit


def english_text(unit: Unit, *, mark_untranslated: bool = False) -> str:
    """The sentence as the English output shows it, by the unit's state."""
    if unit.state.has_translation:
        return unit.msgstr
    return UNTRANSLATED_MARK.format(unit.msgid) if mark_untranslated else unit.msgid


def _english_sentences(document: Document, catalog: Catalog, options: RenderOptions,
                       states: Counter) -> dict[tuple[int, int], str]:
    """What each segment shows, by (block number, segment index); counts the states."""
    keys = segment_keys(document)
    english: dict[tuple[int, int], str] = {}
    for block in document.translatable_blocks():
        for index in range(len(block.segments)):
            unit = unit_for(catalog, keys[(block.number, index)], document)
            states[unit.state] += 1
            english[(block.number, index)] = english_text(unit, mark_untranslated=options.mark_untranslated)
    return english


def _check_thresholds(document: Document, catalog: Catalog, options: RenderOptions, result: RenderResult) -> None:
    where = catalog.path or document.path
    if options.strict and result.states[State.REVIEWED] < result.total:
        missing = result.total - result.states[State.REVIEWED]
        raise IncompleteError(f"strict mode: {missing} of {count(result.total, 'sentence')} "
                              f"{'is' if missing == 1 else 'are'} not reviewed", where)
    if options.keep_counts_drafts and result.percent_english < options.keep:
        raise IncompleteError(
            f"only {result.percent_english:.0f}% of sentences are in English, below --keep {options.keep}", where
        )
    if not options.keep_counts_drafts and result.percent_by_people < options.keep:
        raise IncompleteError(
            f"only {result.percent_by_people:.0f}% of sentences are translated by people (reviewed or not yet), "
            f"below --keep {options.keep}; machine drafts do not count (--keep-counts-drafts to count them)", where
        )


def _render_text(document: Document, translated: dict[int, str], width: int) -> str:
    paragraphs = []
    for block in document.blocks:
        if not block.translatable:
            paragraphs.append(block.raw.rstrip("\n"))
            continue
        paragraphs.append(_wrap(block.prefix + translated[block.number], width))
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def _wrap(text: str, width: int) -> str:
    if width <= 0:
        return text
    return textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False)


def _render_markdown(document: Document, translated: dict[int, str]) -> str:
    """The source's lines, with each translatable block's lines replaced.

    Everything outside translatable blocks (blank lines, code, HTML, rules)
    is copied as it is, so the output keeps the source's structure.
    """
    lines = _source_lines(document)
    out: list[str] = []
    next_line = 1
    for blocks in _translatable_runs(document):
        out.extend(lines[next_line - 1 : blocks[0].start_line - 1])
        if blocks[0].kind is BlockKind.TABLE_CELL:
            out.append(_table_row(blocks, translated))
        else:
            out.append(_markdown_block(blocks[0], translated[blocks[0].number]))
        next_line = max(block.end_line for block in blocks) + 1
    out.extend(lines[next_line - 1 :])
    return "\n".join(out) + "\n" if out else ""


def _translatable_runs(document: Document) -> list[list[Block]]:
    """Translatable blocks in line order; a table row's cells come as one run."""
    rows: dict[int, list[Block]] = {}
    runs: list[list[Block]] = []
    for block in sorted(document.blocks, key=lambda b: (b.start_line, b.number)):
        if block.kind is BlockKind.TABLE_CELL:
            if block.start_line not in rows:
                rows[block.start_line] = []
                runs.append(rows[block.start_line])
            rows[block.start_line].append(block)
        elif block.translatable:
            runs.append([block])
    return [run for run in runs if any(block.translatable for block in run)]


def _table_row(cells: list[Block], translated: dict[int, str]) -> str:
    texts = (translated.get(cell.number, cell.text) for cell in cells)
    return "| " + " | ".join(re.sub(r"(?<!\\)\|", r"\\|", text) for text in texts) + " |"


def _markdown_block(block: Block, text: str) -> str:
    underline = _setext_underline(block)
    return block.prefix + text + (f"\n{underline}" if underline else "")


def _setext_underline(block: Block) -> str | None:
    """A setext heading's underline (``===`` or ``---``), to write it back."""
    if block.kind is not BlockKind.HEADING or block.prefix or block.end_line == block.start_line:
        return None
    last = block.raw.rstrip("\n").split("\n")[-1].strip()
    return last if last and set(last) in ({"="}, {"-"}) else None


def _source_lines(document: Document) -> list[str]:
    """The source's lines, rebuilt from the blocks' raw text."""
    lines: dict[int, str] = {}
    for block in document.blocks:
        for offset, text in enumerate(block.raw.rstrip("\n").split("\n")):
            lines[block.start_line + offset] = text
    last = max(lines, default=0)
    return [lines.get(n, "") for n in range(1, last + 1)]
