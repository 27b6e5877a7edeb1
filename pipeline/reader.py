"""Read: a source file -> a Document of blocks and sentence segments.

Plain text: paragraphs are rebuilt from hard-wrapped lines. Blank lines
always end a block; inside a run of lines, a line break ends one when one of
the ``BREAK_RULES`` below says so (the seed, a Blogger copy, has no blank
lines at all). Markdown: blocks come from markdown-it's token stream and its
line maps; inline markup stays in the text, as mdpo and po4a keep it.

In both formats, whole lines of site chrome ("Posting Komentar") at the
edges of a document are recognised by ``rules/boilerplate.toml``. HTML pages
(.html, .htm, .xhtml) are read by ``pipeline.html_source``.

Every non-blank source line outside dropped chrome belongs to some block,
whose ``raw`` holds its lines verbatim (``\\n`` endings), so a renderer can
rebuild the source from the blocks alone. Table cells are the one case of
several blocks on a line: each cell's ``raw`` is its whole row.
"""

from __future__ import annotations

import bisect
import re
import statistics
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.document import (
    Block,
    BlockKind,
    Boilerplate,
    Document,
    Segment,
    SourceFormat,
)
from pipeline.errors import InputError
from pipeline.fileio import read_input
from pipeline.segmenter import split_sentences

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
BOILERPLATE_RULES = "rules/boilerplate.toml"

# Whitespace is collapsed to one space, except the no-break spaces an author
# types on purpose inside a line ("Rp\u00a050.000"); at a line's ends they are
# trimmed like any space (Blogger pads empty lines with &nbsp;).
_NO_BREAK_SPACES = "\u00a0\u2007\u202f"
_WHITESPACE = re.compile(rf"[^\S{_NO_BREAK_SPACES}]+")


def source_format_for(path: str | Path) -> SourceFormat:
    """Markdown for ``.md``/``.markdown``, HTML for ``.html``/``.htm``/``.xhtml``, plain text for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return SourceFormat.HTML
    return SourceFormat.MARKDOWN if suffix in MARKDOWN_SUFFIXES else SourceFormat.TEXT


def read_document(
    path: Path,
    *,
    display_path: str | None = None,
    encoding: str | None = None,
    boilerplate: Boilerplate = Boilerplate.DROP,
    known: KnownParagraphs | None = None,
) -> Document:
    """Read and parse a source file; ``display_path`` is how errors and catalogs name it.
    ``known``: how paragraphs began and ended when the text was last extracted
    (plain text only; see ``parse_document``).

    Raises InputError for a missing file, a folder or other non-regular file,
    text that is not valid in ``encoding`` (UTF-8 by default), binary data,
    and a file with nothing but whitespace: an emptied source is far more
    often an accident than a document, and reading it as one would turn
    every reviewed translation obsolete.
    """
    shown = display_path if display_path is not None else str(path)
    data = read_input(Path(path), shown)
    if source_format_for(path) is SourceFormat.HTML:  # a page's bytes say its encoding
        from pipeline.html_source import read_page

        return read_page(data, shown, encoding=encoding, boilerplate=boilerplate,
                         xhtml=Path(path).suffix.lower() == ".xhtml")
    text = _decode(data, shown, encoding)
    check_not_blank(text, shown)
    return parse_document(text, shown, source_format_for(path), boilerplate, known)


def parse_document(
    text: str,
    display_path: str,
    source_format: SourceFormat,
    boilerplate: Boilerplate = Boilerplate.DROP,
    known: KnownParagraphs | None = None,
) -> Document:
    """The pure part of ``read_document``: decoded text -> Document.

    In plain text without blank lines a paragraph's end is a guess from line
    lengths, and an edit can hide it (a paragraph's last line filled up by a
    rewrap, its last sentence deleted). A sentence that began a paragraph at
    the last extract and still begins a line begins one again, and one that
    ended a paragraph and still ends a line ends one, so boundaries survive
    ordinary edits; a reflow alone still changes no sentence."""
    if source_format is SourceFormat.HTML:
        from pipeline.html_source import parse_page

        return parse_page(text, display_path, boilerplate)
    lines = _split_lines(text)
    if source_format is SourceFormat.MARKDOWN:
        drafts = _markdown_drafts(lines)
    else:
        drafts = _text_drafts(lines, known)
    return Document(display_path, source_format, _blocks(drafts, lines, boilerplate))


# --- bytes -> lines ---------------------------------------------------------


def _decode(data: bytes, shown: str, encoding: str | None) -> str:
    if encoding is None:
        check_not_binary(data, shown)
    codec = encoding or "utf-8"
    try:
        text = data.decode(codec)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r} (from --encoding or idpo.toml)", shown) from None
    except UnicodeDecodeError as error:
        line = line_count(data[: error.start].decode(codec, errors="replace"))
        raise InputError(_decode_advice(data, error, encoding), shown, line) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(_BINARY, shown, line_count(text[:nul]))
    return text


_BINARY = "contains NUL bytes: a binary file, or UTF-16 text that needs --encoding utf-16"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def check_not_binary(data: bytes, shown: str) -> None:
    """Binary data (a NUL byte, as git and grep decide) is named as such
    before decoding, whose advice would be to try another encoding."""
    nul = data.find(b"\x00")
    if nul >= 0 and data[:2] not in _UTF16_BOMS:
        raise InputError(_BINARY, shown, line_count(data[:nul].decode("latin-1")))


def check_not_blank(text: str, shown: str) -> None:
    if not text:
        raise InputError("the file is empty: nothing to translate", shown)
    if not text.removeprefix("\ufeff").strip():
        raise InputError("the file holds only whitespace: nothing to translate", shown)


def _decode_advice(data: bytes, error: UnicodeDecodeError, encoding: str | None) -> str:
    byte = data[error.start]
    if encoding:
        return f"byte 0x{byte:02X} is not valid {encoding}; check the encoding given (--encoding or idpo.toml)"
    guess = "utf-16" if data[:2] in _UTF16_BOMS else "cp1252"
    found = "looks like UTF-16, not UTF-8" if guess == "utf-16" else f"byte 0x{byte:02X} is not valid UTF-8"
    return (f"{found}; convert it (iconv -f {guess.upper()} -t UTF-8), or declare its encoding once in "
            f"idpo.toml ([encodings] \"<file name>\" = \"{guess}\"), or pass --encoding {guess}")


def line_count(text: str) -> int:
    """The 1-based line on which the end of ``text`` lies (any line-ending style)."""
    return len(re.split(r"\r\n|\r|\n", text))


def _split_lines(text: str) -> list[str]:
    """Lines without endings; CRLF and lone CR count as one break, as editors count them."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip(" " + _NO_BREAK_SPACES)


# --- drafts -> blocks --------------------------------------------------------


@dataclass
class _Draft:
    """A block before it is numbered and segmented."""

    kind: BlockKind
    start_line: int
    end_line: int
    content: list[tuple[int, str]] = field(default_factory=list)  # (line, inline text on it)
    prefix: str = ""
    translatable: bool = True
    peelable: bool = False  # its lines may be split off as chrome

    def add(self, line: int, text: str) -> None:
        self.content.append((line, text))
        self.end_line = line


def _blocks(drafts: list[_Draft], lines: list[str], boilerplate: Boilerplate) -> tuple[Block, ...]:
    kept = [d for d in drafts if not (d.kind is BlockKind.BOILERPLATE and boilerplate is Boilerplate.DROP)]
    return tuple(_block(number, draft, lines, boilerplate) for number, draft in enumerate(kept, start=1))


def _block(number: int, draft: _Draft, lines: list[str], boilerplate: Boilerplate) -> Block:
    text, line_starts = _inline_text(draft.content)
    kept_verbatim = draft.kind is BlockKind.BOILERPLATE and boilerplate is Boilerplate.KEEP
    return Block(
        kind=draft.kind,
        number=number,
        start_line=draft.start_line,
        end_line=draft.end_line,
        text=text,
        segments=_segments(text, line_starts),
        prefix=draft.prefix,
        raw="\n".join(lines[draft.start_line - 1 : draft.end_line]),
        translatable=draft.translatable and bool(text) and not kept_verbatim,
    )


def _inline_text(content: list[tuple[int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """The block text, and (character offset, source line) where each line's text starts."""
    pieces = [(line, _collapse(text)) for line, text in content]
    pieces = [(line, text) for line, text in pieces if text]
    starts, offset = [], 0
    for line, text in pieces:
        starts.append((offset, line))
        offset += len(text) + 1
    return " ".join(text for _, text in pieces), starts


def _segments(text: str, line_starts: list[tuple[int, int]]) -> tuple[Segment, ...]:
    sentences = split_sentences(text) if text else []
    if " ".join(sentences) != text or not all(sentences):
        raise ValueError(f"split_sentences broke its contract (join == text, no empty piece) on {text[:80]!r}")
    offsets = [offset for offset, _ in line_starts]
    segments, offset = [], 0
    for sentence in sentences:
        line = line_starts[bisect.bisect_right(offsets, offset) - 1][1]
        segments.append(Segment(sentence, line))
        offset += len(sentence) + 1
    return tuple(segments)


# --- site chrome ----------------------------------------------------------------


@dataclass(frozen=True)
class _ChromeRules:
    edge: re.Pattern[str]
    anywhere: re.Pattern[str]


@cache
def chrome_rules() -> _ChromeRules:
    """The text rules of ``rules/boilerplate.toml``: [edge] and [anywhere] patterns, each one union."""
    data = tomllib.loads(resources.files("pipeline").joinpath(BOILERPLATE_RULES).read_text(encoding="utf-8"))

    def union(table: dict[str, list[str]]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for patterns in table.values() for p in patterns))

    return _ChromeRules(edge=union(data["edge"]), anywhere=union(data["anywhere"]))


def _chrome_lines(contents: list[str | None]) -> set[int]:
    """Indexes of chrome lines. ``contents`` holds each collapsed line; "" is
    blank and None a line that can never be chrome (it also ends an edge run)."""
    rules = chrome_rules()
    found = {i for i, text in enumerate(contents) if text and rules.anywhere.fullmatch(text)}
    for order in (range(len(contents)), range(len(contents) - 1, -1, -1)):
        for index in order:
            text = contents[index]
            if text == "":
                continue
            if text is None or not (index in found or rules.edge.fullmatch(text)):
                break
            found.add(index)
    return found


# --- plain text ---------------------------------------------------------------

# A line ends a sentence: final stop, then closing quotes/brackets and
# footnote references ("internasional.[1]").
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?:\[\d{1,3}\])*$")
FOOTNOTE_MARK = re.compile(r"\s*\[\d{1,3}\]\s+(?=\S)")  # "[1] Dalam ..."
LIST_MARK = re.compile(r"\s*(?:[-*•]|\d{1,2}[.)])\s+(?=\S)")  # "- ", "• ", "2. ", "3) "
TITLE_END = re.compile(r"[\w\"'”’)]$")  # a title does not end in . , ; : ! ? or a dash
# A sentence-ending line shorter than this share of the typical line length
# ends its paragraph: the author pressed Enter there, the wrap did not.
SHORT_LINE_RATIO = 0.8
# Text whose typical line is longer than this is not hard-wrapped: each line
# is a paragraph of its own.
MAX_WRAP_WIDTH = 100
TITLE_MAX_WORDS = 10


@dataclass(frozen=True)
class Seam:
    """A line break inside a run of non-blank lines, and what surrounds it."""

    before: str  # the line above the break, whitespace-collapsed
    after: str  # the line below it
    following: str  # the line below ``after`` in the same run; "" if none
    block_kind: BlockKind  # kind of the block ``before`` belongs to
    block_lines: int  # lines in that block so far
    width: float  # the text's typical line length


def _ends_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line))


def _is_short(line: str, width: float) -> bool:
    return len(line) < SHORT_LINE_RATIO * width


def _looks_like_title(line: str, width: float) -> bool:
    words = line.split(" ")
    return (
        2 <= len(words) <= TITLE_MAX_WORDS
        and _is_short(line, width)
        and (line[0].isupper() or line[0].isdigit())
        and bool(TITLE_END.search(line))
    )


def _starts_upper(line: str) -> bool:
    return bool(line) and line[0].isupper()


def footnote_starts(seam: Seam) -> bool:
    """``[1] Dalam ...`` begins a footnote definition."""
    return bool(FOOTNOTE_MARK.match(seam.after))


def list_item_starts(seam: Seam) -> bool:
    """A bullet or number begins an item, after a sentence, a colon or another item."""
    introduced = seam.block_kind is BlockKind.LIST_ITEM or _ends_sentence(seam.before) or seam.before.endswith(":")
    return bool(LIST_MARK.match(seam.after)) and introduced


def list_item_ends(seam: Seam) -> bool:
    """An item ends with its sentence; a wrapped item continues without a stop."""
    return seam.block_kind is BlockKind.LIST_ITEM and _ends_sentence(seam.before)


def lone_first_word(seam: Seam) -> bool:
    """Blogger copies put a paragraph's first word alone on its line."""
    word = seam.after
    return _ends_sentence(seam.before) and " " not in word and not _ends_sentence(word) and bool(seam.following)


def short_sentence_end(seam: Seam) -> bool:
    """A sentence ends on a line clearly shorter than the wrap width."""
    return _ends_sentence(seam.before) and _is_short(seam.before, seam.width)


def title_line_starts(seam: Seam) -> bool:
    """A short capitalised line without a final stop, after a sentence and before a capital."""
    return (
        _ends_sentence(seam.before)
        and _looks_like_title(seam.after, seam.width)
        and _starts_upper(seam.following)
    )


def title_line_ends(seam: Seam) -> bool:
    """The line after a one-line title starts a paragraph of its own."""
    return (
        seam.block_kind is BlockKind.PARAGRAPH
        and seam.block_lines == 1
        and _looks_like_title(seam.before, seam.width)
        and _starts_upper(seam.after)
    )


def not_hard_wrapped(seam: Seam) -> bool:
    """Text with long lines was never wrapped: every line is a paragraph."""
    return seam.width > MAX_WRAP_WIDTH


BREAK_RULES: tuple[Callable[[Seam], bool], ...] = (
    footnote_starts,
    list_item_starts,
    list_item_ends,
    lone_first_word,
    short_sentence_end,
    title_line_starts,
    title_line_ends,
    not_hard_wrapped,
)


class KnownParagraphs:
    """The first and last sentences of the paragraphs of a text's last extract, by word."""

    def __init__(self, starts: frozenset[str], ends: frozenset[str]):
        self._starts: dict[str, list[str]] = {}
        self._ends: dict[str, list[str]] = {}
        for sentence in starts:
            self._starts.setdefault(sentence.split(" ", 1)[0], []).append(sentence)
        for sentence in ends:
            self._ends.setdefault(sentence.rsplit(" ", 1)[-1], []).append(sentence)

    def breaks(self, draft: _Draft, line: str) -> bool:
        """Whether ``line`` begins a known paragraph, or ``draft`` ends one."""
        if not draft.content or not _ends_sentence(draft.content[-1][1]):
            return False
        starting = self._starts.get(line.split(" ", 1)[0], ())
        if any(line.startswith(sentence) or sentence.startswith(line) for sentence in starting):
            return True
        ending = self._ends.get(draft.content[-1][1].rsplit(" ", 1)[-1], ())
        text = " ".join(text for _, text in draft.content) if ending else ""
        return any(text == sentence or text.endswith(" " + sentence) for sentence in ending)


def _text_drafts(lines: list[str], known: KnownParagraphs | None = None) -> list[_Draft]:
    contents = [_collapse(line) for line in lines]
    chrome = _chrome_lines(list(contents))
    body = ["" if index in chrome else text for index, text in enumerate(contents)]
    width = _typical_width(text for text in body if text)
    drafts: list[_Draft] = []
    current: _Draft | None = None
    for index, text in enumerate(body):
        if index in chrome:
            drafts.append(_chrome_draft(index + 1, contents[index]))
        if not text:
            current = None
        elif current is None or _breaks(current, body, index, width) or (known and known.breaks(current, text)):
            current = _text_draft(index + 1, lines[index])
            drafts.append(current)
        else:
            current.add(index + 1, text)
    return drafts


def _typical_width(lines: Iterable[str]) -> float:
    """Median length of lines with more than one word (lone first words would skew it)."""
    lengths = [len(line) for line in lines if " " in line]
    return statistics.median(lengths) if lengths else 0.0


def _breaks(current: _Draft, body: list[str], index: int, width: float) -> bool:
    following = body[index + 1] if index + 1 < len(body) else ""
    seam = Seam(body[index - 1], body[index], following, current.kind, len(current.content), width)
    return any(rule(seam) for rule in BREAK_RULES)


def _text_draft(number: int, line: str) -> _Draft:
    for kind, mark in ((BlockKind.FOOTNOTE, FOOTNOTE_MARK), (BlockKind.LIST_ITEM, LIST_MARK)):
        if found := mark.match(line):
            return _Draft(kind, number, number, [(number, line[found.end() :])], prefix=found.group())
    return _Draft(BlockKind.PARAGRAPH, number, number, [(number, line)])


def _chrome_draft(number: int, text: str) -> _Draft:
    return _Draft(BlockKind.BOILERPLATE, number, number, [(number, text)])


# --- Markdown ---------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark").enable("table")
_FRONT_MATTER_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
# "[1] text" (the seed's style) or "[^note]: text" (Pandoc/GFM footnotes)
MARKDOWN_FOOTNOTE_MARK = re.compile(r"\[\d{1,3}\][ \t]+(?=\S)|\[\^[^\]\s]+\]:[ \t]*")
# A backslash ending a line is a hard break; once lines are joined it would
# print as a literal backslash, so it goes (two trailing spaces collapse anyway).
_HARD_BREAK = re.compile(r"(?<!\\)\\$")
_CONTAINER_KINDS = {"blockquote_open": BlockKind.QUOTE, "list_item_open": BlockKind.LIST_ITEM}
_VERBATIM_KINDS = {
    "fence": BlockKind.CODE, "code_block": BlockKind.CODE, "html_block": BlockKind.RAW, "hr": BlockKind.RAW,
}


def _markdown_drafts(lines: list[str]) -> list[_Draft]:
    front = _front_matter_length(lines)
    drafts = [_verbatim_draft(BlockKind.RAW, 1, front)] if front else []
    tokens = _MARKDOWN.parse("\n".join([""] * front + lines[front:]))
    drafts += _token_drafts(tokens, lines)
    drafts += _uncovered_drafts(drafts, lines)
    drafts.sort(key=lambda draft: draft.start_line)  # stable: table cells keep their order
    return _split_out_chrome(drafts, lines)


def _front_matter_length(lines: list[str]) -> int:
    """Lines of YAML (``---``) or TOML (``+++``) front matter at the top; 0 if none."""
    closers = _FRONT_MATTER_FENCES.get(lines[0].rstrip()) if lines else None
    if not closers:
        return 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in closers:
            return index + 1
    return 0


def _token_drafts(tokens: list[Token], lines: list[str]) -> list[_Draft]:
    drafts, containers = [], []
    for index, token in enumerate(tokens):
        if token.type in _CONTAINER_KINDS:
            containers.append(_CONTAINER_KINDS[token.type])
        elif token.type in ("blockquote_close", "list_item_close"):
            containers.pop()
        elif token.type in _VERBATIM_KINDS and token.map:
            drafts.append(_verbatim_draft(_VERBATIM_KINDS[token.type], token.map[0] + 1, token.map[1]))
        elif token.type == "inline" and token.map:
            drafts.append(_inline_draft(tokens[index - 1], token, containers, lines))
    return drafts


def _verbatim_draft(kind: BlockKind, start_line: int, end_line: int) -> _Draft:
    return _Draft(kind, start_line, end_line, translatable=False)


def _inline_draft(opener: Token, inline: Token, containers: list[BlockKind], lines: list[str]) -> _Draft:
    kind = _inline_kind(opener, containers)
    assert inline.map is not None  # markdown-it maps every block-level inline token
    first = inline.map[0]
    texts = inline.content.split("\n")
    texts = [_HARD_BREAK.sub("", text) for text in texts[:-1]] + texts[-1:]
    content = [(first + 1 + offset, text) for offset, text in enumerate(texts)]
    block_map: list[int] = opener.map or inline.map  # a setext heading's map includes its underline
    draft = _Draft(kind, block_map[0] + 1, block_map[1], content, peelable=kind is BlockKind.PARAGRAPH)
    if kind is not BlockKind.TABLE_CELL:  # cells share their row; a renderer rebuilds it
        draft.prefix = _prefix_of(lines[first], content[0][1])
    if kind is BlockKind.PARAGRAPH:
        _mark_footnote(draft)
    return draft


def _inline_kind(opener: Token, containers: list[BlockKind]) -> BlockKind:
    if opener.type == "heading_open":
        return BlockKind.HEADING
    if opener.type in ("th_open", "td_open"):
        return BlockKind.TABLE_CELL
    return containers[-1] if containers else BlockKind.PARAGRAPH


def _prefix_of(line: str, first_content: str) -> str:
    """The markup before a block's text on its first line ("> - ", "## ")."""
    if not first_content:
        return line  # an empty heading or list item: all markup
    position = line.rfind(first_content)  # rfind: in "1. 1" the text is the last "1"
    return line[:position] if position > 0 else ""


def _mark_footnote(draft: _Draft) -> None:
    line, text = draft.content[0]
    if found := MARKDOWN_FOOTNOTE_MARK.match(text):
        draft.kind = BlockKind.FOOTNOTE
        draft.prefix += found.group()
        draft.content[0] = (line, text[found.end() :])


def _uncovered_drafts(drafts: list[_Draft], lines: list[str]) -> list[_Draft]:
    """Blocks for non-blank lines no token claims: RAW for link reference
    definitions, a lone ``>`` between quoted paragraphs, an empty list item;
    FOOTNOTE for ``[^1]: word``, which CommonMark reads as a link definition."""
    covered = {line for draft in drafts for line in range(draft.start_line, draft.end_line + 1)}
    found: list[_Draft] = []
    for number, line in enumerate(lines, start=1):
        if number in covered or not line.strip():
            continue
        if MARKDOWN_FOOTNOTE_MARK.match(line):
            found.append(_footnote_line_draft(number, line))
        elif found and found[-1].kind is BlockKind.RAW and found[-1].end_line == number - 1:
            found[-1].end_line = number
        else:
            found.append(_verbatim_draft(BlockKind.RAW, number, number))
    return found


def _footnote_line_draft(number: int, line: str) -> _Draft:
    draft = _Draft(BlockKind.PARAGRAPH, number, number, [(number, line)], peelable=True)
    _mark_footnote(draft)
    return draft


def _split_out_chrome(drafts: list[_Draft], lines: list[str]) -> list[_Draft]:
    """Top-level paragraph lines that are site chrome become chrome blocks."""
    peelable = {line for draft in drafts if draft.peelable for line, _ in draft.content}
    contents = [_collapse(text) if number in peelable or not text.strip() else None
                for number, text in enumerate(lines, start=1)]
    chrome = {index + 1 for index in _chrome_lines(contents)}
    if not chrome:
        return drafts
    result: list[_Draft] = []
    for draft in drafts:
        touched = draft.peelable and any(line in chrome for line, _ in draft.content)
        result += _split_draft(draft, chrome, lines) if touched else [draft]
    return result


def _split_draft(draft: _Draft, chrome: set[int], lines: list[str]) -> list[_Draft]:
    parts: list[_Draft] = []
    for line, text in draft.content:
        if line in chrome:
            parts.append(_chrome_draft(line, _collapse(lines[line - 1])))
        elif parts and parts[-1].kind is draft.kind and parts[-1].end_line == line - 1:
            parts[-1].add(line, text)
        else:
            prefix = draft.prefix if line == draft.start_line else _prefix_of(lines[line - 1], text)
            parts.append(_Draft(draft.kind, line, line, [(line, text)], prefix=prefix, peelable=True))
    return parts
