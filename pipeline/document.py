"""The pipeline's picture of a source document.

A Document is a sequence of Blocks (paragraph, heading, footnote...), each
holding its Segments (sentences). The reader builds it; every later stage
reads it. Nothing here touches files or gettext.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    LIST_ITEM = "list item"
    QUOTE = "quote"
    FOOTNOTE = "footnote"
    TABLE_CELL = "table cell"
    CODE = "code"
    BOILERPLATE = "boilerplate"
    RAW = "raw"  # markup kept verbatim (HTML, rules, front matter)


class SourceFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"


class Boilerplate(StrEnum):
    """What to do with recognised site chrome ("Posting Komentar"...)."""

    DROP = "drop"  # left out of the catalog and of every rendering
    KEEP = "keep"  # rendered verbatim, never translated
    TRANSLATE = "translate"  # extracted like body text (msgctxt "boilerplate")


@dataclass(frozen=True)
class Segment:
    """One translation unit: a sentence, whitespace-normalised.

    ``line`` is the 1-based source line on which the sentence starts.
    """

    text: str
    line: int


@dataclass(frozen=True)
class Block:
    """A structural unit of the source.

    ``text`` is the block's inline content with whitespace collapsed to
    single spaces; joining ``segments`` with one space gives ``text`` back.
    ``prefix`` is the markup that introduces the block and is never
    translated ("## ", "- ", "> ", "[1] "). ``raw`` is the exact source
    text of lines ``start_line``..``end_line`` (inclusive, 1-based), used
    to render untranslatable blocks verbatim.
    """

    kind: BlockKind
    number: int  # 1-based position among all blocks of the document
    start_line: int
    end_line: int
    text: str
    segments: tuple[Segment, ...]
    prefix: str = ""
    raw: str = ""
    translatable: bool = True


@dataclass(frozen=True)
class Document:
    path: str  # as shown in catalogs and errors, e.g. "source/bali-process.txt"
    format: SourceFormat
    blocks: tuple[Block, ...]

    @property
    def domain(self) -> str:
        """The gettext domain: the file name without its extension."""
        return PurePath(self.path).stem

    def translatable_blocks(self) -> list[Block]:
        return [block for block in self.blocks if block.translatable]


def format_segments(document: Document) -> str:
    """Segments one per line, a blank line between blocks (``segment`` command)."""
    blocks = ["\n".join(s.text for s in block.segments) for block in document.translatable_blocks()]
    return "\n\n".join(b for b in blocks if b) + "\n" if blocks else ""
