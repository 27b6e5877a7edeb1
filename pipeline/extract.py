"""Extract: documents -> a translation template (one entry per distinct sentence)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from pipeline.catalog import Catalog
from pipeline.document import Block, BlockKind, Document

# Kinds whose sentences may need a translation of their own when the same
# text also occurs in running prose (a heading is often translated tersely).
SEPARATE_CONTEXT_KINDS = frozenset({BlockKind.HEADING, BlockKind.BOILERPLATE})

UnitKey = tuple[str | None, str]  # (msgctxt, msgid)
Occurrence = tuple[Block, int]  # block and the segment's 0-based index in it


def segment_keys(document: Document) -> dict[tuple[int, int], UnitKey]:
    """The catalog key of every segment, by (block number, segment index).

    msgctxt is used only where needed: when a sentence occurs both in prose
    and in a heading or boilerplate, the non-prose occurrences get the block
    kind as context; everywhere else msgctxt stays empty.
    """
    contexts_by_text: dict[str, set[str | None]] = defaultdict(set)
    for block, index in _occurrences(document):
        contexts_by_text[block.segments[index].text].add(_context_of(block))
    keys = {}
    for block, index in _occurrences(document):
        text = block.segments[index].text
        context = _context_of(block) if len(contexts_by_text[text]) > 1 else None
        keys[(block.number, index)] = (context, text)
    return keys


def extract(documents: Iterable[Document], domain: str) -> Catalog:
    """Build the template for ``documents`` (normally one) under ``domain``."""
    template = Catalog.new(domain, language=None)
    grouped: dict[UnitKey, list[tuple[Document, Block, int]]] = {}
    for document in documents:
        keys = segment_keys(document)
        for block, index in _occurrences(document):
            grouped.setdefault(keys[(block.number, index)], []).append((document, block, index))
    for (context, text), places in grouped.items():
        template.add(
            text,
            msgctxt=context,
            locations=[(doc.path, block.segments[index].line) for doc, block, index in places],
            comment="\n".join(dict.fromkeys(_describe(block, index) for _, block, index in places)),
        )
    return template


def paragraph_bounds(template: Catalog) -> tuple[frozenset[str], frozenset[str]]:
    """The sentences that begin and that end a paragraph in ``template`` (as ``_describe`` wrote it).

    A repeated sentence counts only where all its places agree: one that begins a paragraph in
    one place and sits mid-paragraph in another, taken as a hint, would split the second place.
    Where all agree (a sentence repeated as a paragraph of its own), the hint keeps the split a
    previous extract made, so extracting again changes nothing."""
    starts, ends = set(), set()
    for unit in template.units():
        places = [_PARAGRAPH_PLACE.search(place) for place in unit.comment.split("\n")]
        if not places or not all(places):
            continue
        if all(found.group(1) == "1" for found in places if found):
            starts.add(unit.msgid)
        if all(found.group(1) == found.group(2) for found in places if found):
            ends.add(unit.msgid)
    return frozenset(starts), frozenset(ends)


_PARAGRAPH_PLACE = re.compile(r"\(paragraph\), sentence (\d+) of (\d+)$")


def _occurrences(document: Document) -> Iterable[Occurrence]:
    for block in document.translatable_blocks():
        for index in range(len(block.segments)):
            yield block, index


def _context_of(block: Block) -> str | None:
    return str(block.kind) if block.kind in SEPARATE_CONTEXT_KINDS else None


def _describe(block: Block, index: int) -> str:
    """The reviewer's context line, e.g. "block 3 (paragraph), sentence 2 of 4", or
    "block 7 (alt attribute of <img>), sentence 1 of 1" where the block has a label."""
    return f"block {block.number} ({block.label or block.kind}), sentence {index + 1} of {len(block.segments)}"
