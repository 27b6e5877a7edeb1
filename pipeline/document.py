"""The pipeline's picture of a source document.

A Document is a sequence of Blocks (paragraph, heading, footnote...), each
holding its Segments (sentences). The reader builds it; every later stage
reads it. Nothing here touches files or gettext.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.html_source import HtmlPage


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
    ATTRIBUTE = "attribute"  # an HTML attribute's text (alt, title...); ``label`` says which


class SourceFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"  # .html, .htm, .xhtml (pipeline/html_source.py)


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
    to render untranslatable blocks verbatim (HTML: the block's source text,
    tags and character references included). ``label`` names what the block
    is where its kind does not say enough ("alt attribute of <img>");
    extract's comment shows it.
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
    label: str = ""


@dataclass(frozen=True)
class ReadWarning:
    """Something the reader repaired or guessed (malformed HTML): said, never fatal."""

    message: str
    line: int | None = None


@dataclass(frozen=True)
class Document:
    path: str  # as shown in catalogs and errors, e.g. "source/bali-process.txt"
    format: SourceFormat
    blocks: tuple[Block, ...]
    # HTML only: the source page and each unit's place in it (left out of == and hash: it holds dicts)
    page: HtmlPage | None = field(default=None, compare=False)
    warnings: tuple[ReadWarning, ...] = ()

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
