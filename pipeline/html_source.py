"""Read HTML: a web page -> a Document whose sentences know their place in the page.

What is translated, as po4a's xhtml module and Translate Toolkit's html2po
do it:
  - the text of block elements (p, h1-h6, li, td/th, blockquote, dt/dd,
    figcaption, caption, title, and text standing directly in a div, section,
    body...): each run of text between two block boundaries is a block,
    segmented into sentences like plain text. Two ``<br>`` in a row also end
    a block: Blogger's editor writes paragraphs that way;
  - inline elements (HTML's phrasing elements: a, em, strong, b, i, code,
    span, sup/sub, abbr, br, button, label, output, picture...; custom
    elements, any name with a "-"; Word's ``o:p``) stay inside the sentence,
    in the compact form ``pipeline.html_inline`` describes
    (``Baca <a>berita ini</a>.``). So do comments, processing instructions
    (``<?php ... ?>``), server-side includes and invisible void elements
    (``<meta itemprop>``, ``<link>``): each a void tag (``<comment/>``,
    ``<meta/>``) that the English page copies from the source as it is;
  - the attributes alt, title, placeholder and aria-label, and the content of
    ``<meta name="description">`` (and of og:/twitter: title and description),
    each a block of kind "attribute" whose comment names the attribute.
Left untouched: script, style, pre, textarea, svg, math, iframe..., comments,
and every element marked ``translate="no"`` or ``class="notranslate"`` (a
``translate="yes"`` inside one is translated again, as HTML says). An inline
one stays in its sentence and keeps its source text, as does an XHTML
``<![CDATA[...]]>`` section (``<cdata translate="no">``).

Sentences and markup: each run of inline content between two block
boundaries goes to ``pipeline.html_sentences``, which splits it into
sentences and says where each one's markup goes (an element across a
sentence boundary is split in two balanced pieces, one around a whole
sentence or block stays out of the msgid). Each sentence knows the range of
the page it came from, so the English page (``pipeline.html_render``) is the
source with those ranges replaced and nothing else touched.

Parser. Python's ``html.parser`` tokenizes: it is the standard library's
tolerant HTML tokenizer, and unlike lxml (libxml2 reports a line, never an
offset) or html5lib (not installed, no offsets either, and pure-Python slow)
it tells where each token starts and ends in the text (``updatepos``), which
is what lets the English page be the source byte for byte outside the
translated text. The tree is built here, with the recovery browsers apply in
HTML's tree construction where it decides what text belongs together: the
end tags HTML lets an author leave out (p, li, dt/dd, td/th, tr, option),
a stray end tag ignored (a stray ``</p>`` is an empty paragraph; either way
the English page keeps it), elements left open closed by their parent's end
tag or at the end of the page, inline formatting elements that a wrong end
tag closes opened again after it (``<b><i>x</b>y</i>``: "y" is italic), an
inline element holding a block treated as a block itself. Each such
repair of a malformed page is a warning (``Document.warnings``), never an
error. Not reproduced: moving text out of a table ("foster parenting") and
formatting carried over into the next paragraph: neither changes which
words make a sentence. What is not an element is read as HTML's tokenizer
reads it, not as html.parser's SGML rules would (``_BrowserMarkup``): ``<![``
begins a comment up to the next ">" (a warning), a comment, ``<?...>`` or
``<!...>`` never closed hides the rest of the page (a warning; nothing after
it is read, and it stays in the English page as it was).

Site chrome. In a page, chrome is found by structure first: elements named in
``rules/boilerplate.toml`` ([html]: nav, footer, aside, Blogger's and
WordPress's comment, share, pager and sidebar classes and ids), then by the
same text rules as plain text (a block that is "Posting Komentar" anywhere,
"Beranda" at the edges of the body). ``--boilerplate drop`` leaves chrome out
of the catalog and, since nothing outside translated units is rewritten,
exactly as it was in the English page; ``keep`` makes it blocks that are
shown but not translated; ``translate`` extracts it.

Encoding, as browsers decide it: a byte-order mark, else ``--encoding`` or
idpo.toml, else the page's ``<meta charset>`` (or http-equiv Content-Type,
or the XML declaration of XHTML), else UTF-8; a byte-order mark that
contradicts the declaration or ``--encoding`` is a warning. Labels mean what
they mean to browsers (ISO-8859-1 is read as windows-1252), and so do the
Windows code pages: the bytes 0x80-0x9F they leave undefined (0x81, 0x8D,
0x8F, 0x90, 0x9D in windows-1252) are the C1 controls of those numbers, as in
the WHATWG Encoding Standard, where Python's cp1252 refuses them
(``whatwg-windows-1252``). The English page is written in the same encoding,
so the declaration stays true and those bytes come back as they were; a
character it cannot hold is written as a character reference.
"""

from __future__ import annotations

import codecs
import html
import html.parser
import importlib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from pipeline import html_inline
from pipeline.document import Block, BlockKind, Boilerplate, Document, ReadWarning, Segment, SourceFormat
from pipeline.errors import InputError
from pipeline.html_sentences import (
    ATOM,
    CLOSE,
    OPEN,
    OTHER,
    REF,
    TEXT,
    VOID_TAG,
    Node,
    SentenceSpan,
    Token,
    collapse,
    has_words,
    paragraphs,
    read_sentences,
)
from pipeline.reader import BOILERPLATE_RULES, check_not_binary, check_not_blank, chrome_rules, line_count
from pipeline.segmenter import split_sentences

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

# -- element classes -------------------------------------------------------------

VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
# Phrasing elements (HTML's phrasing content, and the obsolete ones browsers still show inline):
# they stay inside the sentence, as do custom elements (a "-" in the name) and Word's "o:p".
# Anything else is a block boundary.
INLINE = frozenset(
    "a abbr acronym b bdi bdo big blink button cite code data del dfn em font i ins kbd label map mark meter nobr "
    "output picture progress q rb rp rt rtc ruby s samp slot small span strike strong sub sup time tt u "
    "var".split())
# Inline elements whose content is never read: in mid-sentence they are copied whole.
OPAQUE = frozenset("script style textarea template svg math iframe object noscript video audio canvas "
                   "select datalist".split())
# Block elements whose content is never read.
OPAQUE_BLOCKS = frozenset("pre xmp listing plaintext".split())
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
KINDS = {
    **dict.fromkeys(HEADINGS | {"title"}, BlockKind.HEADING),
    **dict.fromkeys(("li", "dt", "dd"), BlockKind.LIST_ITEM),
    **dict.fromkeys(("td", "th"), BlockKind.TABLE_CELL),
    "blockquote": BlockKind.QUOTE,
    # A <p> takes its kind from where it is: in a <li> it is a list item, in a <td> a table cell.
    **dict.fromkeys(("figcaption", "caption", "table", "ul", "ol", "dl", "body"), BlockKind.PARAGRAPH),
}
# End tags HTML lets an author leave out: closing these unasked is no repair.
OPTIONAL_END = frozenset("p li dt dd td th tr thead tbody tfoot option optgroup colgroup caption rb rt rtc rp "
                         "html head body".split())
# A start tag of these closes an open <p> (HTML's tree construction).
CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section summary table ul listing xmp "
    "plaintext".split())
# Formatting elements a misplaced end tag closes are opened again after it.
FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
_SCOPE = frozenset("html table td th caption template object marquee applet".split())
_CELL_SCOPE = frozenset({"tr", "table", "html", "template"})
_SECTIONS = frozenset({"thead", "tbody", "tfoot"})
_TABLE_PARTS = _SECTIONS | {"table", "caption", "colgroup", "tr", "td", "th"}
# Start tags that end an open element of the first set, searched down to one of the second.
_IMPLIED_ENDS = {
    "li": (frozenset({"li"}), _SCOPE | {"ul", "ol"}),
    **dict.fromkeys(("dt", "dd"), (frozenset({"dt", "dd"}), _SCOPE | {"dl"})),
    **dict.fromkeys(("td", "th"), (frozenset({"td", "th"}), _CELL_SCOPE)),
    "tr": (frozenset({"tr"}), frozenset({"table", "html", "template"})),
    **dict.fromkeys(_SECTIONS, (_SECTIONS, frozenset({"table", "html"}))),
    "option": (frozenset({"option"}), frozenset({"select", "datalist", "optgroup"})),
    "optgroup": (frozenset({"option", "optgroup"}), frozenset({"select"})),
}
# html.parser's own patterns for a start tag's name and attributes (not in its __all__).
_TAG_NAME = vars(html.parser)["tagfind_tolerant"]
_ATTRIBUTE = vars(html.parser)["attrfind_tolerant"]
TRANSLATABLE_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
META_TEXTS = frozenset({"description", "og:description", "og:title", "twitter:description", "twitter:title"})
_NO_ATTRIBUTE_UNITS = frozenset("html head body script style link base".split())

_CUT_TAG = re.compile(r"</?[A-Za-z]")  # what html.parser leaves as text when the page ends inside a tag
_COMMENT_END = re.compile(r"--!?>")  # how browsers end a comment ("-- >" does not)
# A comment, a processing instruction, a declaration in mid-sentence: a void element of this
# name (``<comment/>`` in the msgid), copied as it is; an XHTML CDATA section: kept text.
COMMENT, CDATA = "#comment", "#cdata"
STRAY = "#stray"  # an end tag that closes nothing: not in the msgid, written back with the sentence

CONTAINER, INLINE_ROLE, SKIP, ATOM_ROLE = "container", "inline", "skip", "atom"


# -- what the renderer needs -------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AttributeSpan:
    """An attribute value's range (inside its quotes) and its quote ("" when unquoted)."""

    start: int
    end: int
    quote: str


_SOURCE_LANGUAGE_CODES = frozenset({"id", "in", "ind"})  # BCP 47, its deprecated code, ISO 639-2


@dataclass(frozen=True)
class HtmlPage:
    """The source page and the place of every unit in it (``Document.page``)."""

    text: str  # the decoded page, a byte-order mark included
    encoding: str  # the codec it was read with, and the English page is written in
    xhtml: bool
    sentences: dict[tuple[int, int], SentenceSpan]  # by (block number, segment index)
    attributes: dict[int, AttributeSpan]  # by block number
    language: tuple[tuple[int, int, str], ...]  # edits that set the language: (start, end, text with "{}")
    # Elements inside the page that say they are Indonesian (``<p lang="id">``): (value start, value
    # end, element start, element end); the English page says English where they hold translated text.
    inner_languages: tuple[tuple[int, int, int, int], ...] = ()


# -- reading ---------------------------------------------------------------------


def read_page(data: bytes, shown: str, *, encoding: str | None = None,
              boilerplate: Boilerplate = Boilerplate.DROP, xhtml: bool = False) -> Document:
    """An HTML page's bytes -> Document; InputError for binary data, bad bytes, an empty file."""
    if encoding is None:  # --encoding utf-16 says NUL bytes are text
        check_not_binary(data, shown)
    text, codec, notes = _decode(data, shown, encoding)
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError("contains NUL bytes: a binary file, not a web page", shown, line_count(text[:nul]))
    check_not_blank(text, shown)
    return parse_page(text, shown, boilerplate, encoding=codec, xhtml=xhtml, warnings=notes)


def parse_page(text: str, shown: str, boilerplate: Boilerplate = Boilerplate.DROP, *, encoding: str = "utf-8",
               xhtml: bool = False, warnings: Iterable[ReadWarning] = ()) -> Document:
    """The pure part of ``read_page``: the decoded page -> Document."""
    xhtml = xhtml or text.lstrip("\ufeff \t\r\n").startswith("<?xml")
    builder = _Builder(text, xhtml)
    Tokenizer(builder).read(text)
    drafts = sorted(builder.drafts, key=lambda draft: draft.start)
    _mark_chrome_by_text(drafts)
    kept = [d for d in drafts if not (d.chrome and boilerplate is Boilerplate.DROP)]
    blocks, sentences, attributes = [], {}, {}
    for number, draft in enumerate(kept, start=1):
        blocks.append(draft.block(number, boilerplate, text))
        for index, span in enumerate(draft.spans):
            sentences[(number, index)] = span
        if draft.attribute is not None:
            attributes[number] = draft.attribute
    page = HtmlPage(text, encoding, xhtml, sentences, attributes, tuple(builder.language),
                    tuple(builder.inner_languages))
    notes = (*warnings, *(ReadWarning(message, line) for line, message in builder.warnings))
    return Document(shown, SourceFormat.HTML, tuple(blocks), page=page, warnings=notes)


# -- encoding --------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# Labels that browsers read as another encoding (the WHATWG Encoding Standard): a page
# that says ISO-8859-1 and holds a curly quote from Word is windows-1252, and shows so.
_BROWSER_LABELS = {
    **dict.fromkeys(("iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819",
                     "us-ascii", "ascii", "x-cp1252", "windows-1252", "cp1252"), "cp1252"),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5", "windows-1254"), "cp1254"),
    **dict.fromkeys(("iso-8859-11", "tis-620", "windows-874"), "cp874"),
    # A page cannot declare itself UTF-16 in ASCII: browsers take such a declaration for UTF-8.
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be", "unicode", "ucs-2"), "utf-8"),
}
PRESCAN_BYTES = 65536  # a declaration later than this is not looked for


def _decode(data: bytes, shown: str, explicit: str | None) -> tuple[str, str, list[ReadWarning]]:
    """The page's text, the codec it was read with, and warnings about its declaration."""
    for bom, marked in _BOMS:
        if data.startswith(bom):
            return _decode_marked(data, shown, marked, explicit)
    declared, line = declared_encoding(data)
    notes: list[ReadWarning] = []
    codec = _codec(declared) if declared else None
    if declared and codec is None:
        notes.append(ReadWarning(f"unknown encoding {declared!r} in the page's declaration; read as UTF-8", line))
    if explicit:
        if codec and _codec(explicit) != codec:
            notes.append(ReadWarning(f"read as {explicit} (--encoding or idpo.toml), though the page declares "
                                     f"{declared}", line))
        try:
            python_name = codecs.lookup(explicit).name
        except LookupError:
            raise InputError(f"unknown encoding {explicit!r} (from --encoding or idpo.toml)", shown) from None
        chosen = _web_codec_name(python_name) or explicit
        return _decode_with(data, shown, chosen, "--encoding or idpo.toml"), chosen, notes
    if codec:
        return _decode_with(data, shown, codec, f"the page's declaration ({declared})"), codec, notes
    return _decode_with(data, shown, "utf-8", None), "utf-8", notes


def _decode_marked(data: bytes, shown: str, marked: str, explicit: str | None) -> tuple[str, str, list[ReadWarning]]:
    """A page with a byte-order mark: read as it says, as browsers do, whatever else says otherwise."""
    text = _decode_with(data, shown, marked, "its byte-order mark")
    name = "UTF-8" if marked == "utf-8" else "UTF-16"
    declared, line = _declaration_in(text[:PRESCAN_BYTES])
    notes = []
    if declared and not _same_encoding(declared, marked):
        notes.append(ReadWarning(f"read as {name}, as the byte-order mark says, though the page declares "
                                 f"{declared}", line))
    if explicit and not _same_encoding(explicit, marked):
        notes.append(ReadWarning(f"read as {name}, as the byte-order mark says, though --encoding or idpo.toml "
                                 f"says {explicit}", 1))
    return text, marked, notes


def _same_encoding(label: str, marked: str) -> bool:
    """Whether an encoding label names the encoding a byte-order mark says (any UTF-16 for UTF-16)."""
    try:
        python_name = codecs.lookup(label.strip()).name
    except LookupError:
        return False
    return python_name == marked or (python_name.startswith("utf-16") and marked.startswith("utf-16"))


def _codec(label: str) -> str | None:
    """The codec for an encoding label, as a browser reads the label; None if unknown."""
    label = label.strip().lower()
    try:
        python_name = _BROWSER_LABELS.get(label) or codecs.lookup(label).name
    except LookupError:
        return None
    return _web_codec_name(python_name) or python_name


def _decode_with(data: bytes, shown: str, codec: str, because: str | None) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        line = line_count(data[: error.start].decode(codec, errors="replace"))
        byte = data[error.start]
        if because:
            raise InputError(f"byte 0x{byte:02X} is not valid {codec.removeprefix(_WEB_PREFIX)}, the encoding "
                             f"{because} says; fix the byte or the declaration", shown, line) from None
        raise InputError(f"byte 0x{byte:02X} is not valid UTF-8 and the page declares no encoding; declare it "
                         "in its <head> (<meta charset=\"windows-1252\">), in idpo.toml ([encodings]), or pass "
                         "--encoding cp1252", shown, line) from None


# Windows code pages as browsers read them (the WHATWG Encoding Standard's indexes): a byte
# from 0x80 to 0x9F that Windows leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D in
# windows-1252) is the C1 control of that number, where Python's cp1252 refuses it; the
# English page is written back with the same codec, so those bytes come back as they were.
_WEB_PREFIX = "whatwg-"
_WINDOWS_PAGES = {"cp874": "windows-874", **{f"cp125{n}": f"windows-125{n}" for n in range(9)}}


def _web_codec_name(python_name: str) -> str | None:
    """The name of the browsers' reading of a Windows code page ("whatwg-windows-1252"); None for others."""
    page = _WINDOWS_PAGES.get(python_name)
    return _WEB_PREFIX + page if page else None


def _web_codecs(name: str) -> codecs.CodecInfo | None:
    """``codecs.register``'s search function for the names ``_web_codec_name`` gives."""
    python_name = next((p for p, page in _WINDOWS_PAGES.items() if name == (_WEB_PREFIX + page).replace("-", "_")),
                       None)
    if python_name is None:
        return None
    windows = importlib.import_module(f"encodings.{python_name}")
    decoding = "".join(chr(byte) if char == "\ufffe" and 0x80 <= byte < 0xA0 else char
                       for byte, char in enumerate(windows.decoding_table))
    encoding = codecs.charmap_build(decoding)

    def encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
        return codecs.charmap_encode(text, errors, encoding)

    def decode(data: ReadableBuffer, errors: str = "strict", /) -> tuple[str, int]:
        return codecs.charmap_decode(data, errors, decoding)

    class IncrementalEncoder(codecs.IncrementalEncoder):  # one byte a character: no state
        def encode(self, text: str, final: bool = False) -> bytes:
            return encode(text, self.errors)[0]

    class IncrementalDecoder(codecs.IncrementalDecoder):
        def decode(self, data: ReadableBuffer, final: bool = False) -> str:
            return decode(data, self.errors)[0]

    return codecs.CodecInfo(encode, decode, name=_WEB_PREFIX + _WINDOWS_PAGES[python_name],
                            incrementalencoder=IncrementalEncoder, incrementaldecoder=IncrementalDecoder)


codecs.register(_web_codecs)


def declared_encoding(data: bytes) -> tuple[str | None, int | None]:
    """The encoding label a page declares near its top, and the line where; (None, None) if none."""
    return _declaration_in(data[:PRESCAN_BYTES].decode("latin-1"))  # ASCII markup survives any single-byte reading


def _declaration_in(text: str) -> tuple[str | None, int | None]:
    finder = _DeclarationFinder()
    try:
        finder.feed(text)
    except _Found:
        pass
    return finder.label, finder.line


class _Found(Exception):
    """The declaration is found, or the body begins: the prescan stops."""


class _BrowserMarkup(html.parser.HTMLParser):
    """html.parser, with what is not an element read as browsers read it (HTML's tokenizer):

    - ``<![`` begins a comment up to the next ">" (``<![CDATA[ x ]]>``, ``<![if IE]>``), where
      html.parser's SGML marked sections stop the whole read with an AssertionError; in XHTML
      a ``<![CDATA[...]]>`` section is text (``handle_cdata``);
    - a comment ends at "-->" or "--!>", and "<!-->" is an empty one;
    - a comment, ``<?...>`` or ``<!...>`` that the page never closes runs to its end
      (``handle_unclosed``), where html.parser makes its opening "<" text and reads on."""

    xhtml = False
    _at_end = False  # close() is reading what is left: an unclosed comment is known to be one

    def close(self) -> None:
        self._at_end = True
        super().close()

    def handle_cdata(self, data: str) -> None:
        """An XHTML CDATA section: ``data`` is its text."""

    def handle_bogus_section(self, data: str) -> None:
        """``<![...>``, a comment to browsers: ``data`` is what it holds."""

    def handle_unclosed(self, what: str) -> None:
        """``what`` ("comment", ...) is never closed: the rest of the page is in it."""

    def _to_the_end(self, what: str) -> int:
        if not self._at_end:
            return -1  # wait for more text, as html.parser does
        self.handle_unclosed(what)
        return len(self.rawdata)

    def parse_html_declaration(self, i: int) -> int:
        rawdata = self.rawdata
        if rawdata.startswith("<!--", i):
            return self.parse_comment(i)
        if rawdata.startswith("<![", i):
            return self.parse_marked_section(i)
        if rawdata[i : i + 9].lower() == "<!doctype":
            end = rawdata.find(">", i + 9)
            if end < 0:
                return self._to_the_end("<!DOCTYPE")
            self.handle_decl(rawdata[i + 2 : end])
            return end + 1
        return self.parse_bogus_comment(i)

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        rawdata = self.rawdata
        if self.xhtml and rawdata.startswith("<![CDATA[", i):
            end = rawdata.find("]]>", i + 9)
            if end >= 0:
                self.handle_cdata(rawdata[i + 9 : end])
                return end + 3
        end = rawdata.find(">", i + 3)
        if end < 0:
            return self._to_the_end("<![")
        self.handle_bogus_section(rawdata[i + 2 : end])
        return end + 1

    def parse_comment(self, i: int, report: int = 1) -> int:
        rawdata = self.rawdata
        start = i + 4
        if rawdata.startswith(">", start) or rawdata.startswith("->", start):  # "<!-->", "<!--->"
            data_end, end = start, rawdata.index(">", start) + 1
        else:
            match = _COMMENT_END.search(rawdata, start)
            if match is None:
                return self._to_the_end("comment")
            data_end, end = match.span()
        if report:
            self.handle_comment(rawdata[start:data_end])
        return end

    def parse_bogus_comment(self, i: int, report: int = 1) -> int:
        rawdata = self.rawdata
        end = rawdata.find(">", i + 2)
        if end < 0:
            return self._to_the_end("comment")
        if report:
            self.handle_comment(rawdata[i + 2 : end])
        return end + 1

    def parse_pi(self, i: int) -> int:
        rawdata = self.rawdata
        end = rawdata.find(">", i + 2)
        if end < 0:
            return self._to_the_end("processing instruction")
        self.handle_pi(rawdata[i + 2 : end])
        return end + 1


class _DeclarationFinder(_BrowserMarkup):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.label: str | None = None
        self.line: int | None = None

    def _found(self, label: str | None) -> None:
        if label:
            self.label, self.line = label.strip().strip("'\""), self.getpos()[0]
            raise _Found

    def handle_pi(self, data: str) -> None:
        if data.startswith("xml ") and (match := re.search(r"""encoding\s*=\s*["']([^"']+)""", data)):
            self._found(match.group(1))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            raise _Found
        if tag != "meta":
            return
        values = _first_values(attrs)
        if values.get("charset"):
            self._found(values["charset"])
        if (values.get("http-equiv") or "").lower() == "content-type":
            self._found(_charset_in(values.get("content") or ""))

    handle_startendtag = handle_starttag


def _charset_in(content: str) -> str | None:
    """The charset in a Content-Type value ("text/html; charset=utf-8"), as HTML extracts it."""
    match = re.search(r"charset\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s;]+))", content, re.IGNORECASE)
    return next((group for group in match.groups() if group), None) if match else None


def _first_values(attrs: Iterable[tuple[str, str | None]]) -> dict[str, str | None]:
    """Attributes by name; a repeated one counts as written first, as browsers read it."""
    values: dict[str, str | None] = {}
    for name, value in attrs:
        values.setdefault(name, value)
    return values


# -- tokens ------------------------------------------------------------------------


class Tokenizer(_BrowserMarkup):
    """html.parser with each token's place: every handler call is followed by
    ``updatepos(i, j)`` over exactly the text it handled, relative to the unparsed
    rest (``rawdata``), so the event waits there for its range."""

    def __init__(self, builder: _Builder):
        super().__init__(convert_charrefs=False)  # references as their own tokens: text offsets stay exact
        self._builder = builder
        self.xhtml = builder.xhtml
        self._pending: list[tuple] = []
        self._base = 0
        self._fed = 0

    def read(self, text: str) -> None:
        self._fed = len(text)
        self.feed(text)
        self.close()
        self._flush(self._fed, self._fed)
        self._builder.finish(self.cdata_elem)

    def goahead(self, end: bool) -> None:
        self._base = self._fed - len(self.rawdata)  # what earlier calls consumed
        super().goahead(end)

    def updatepos(self, i: int, j: int) -> int:
        self._flush(self._base + i, self._base + j)
        return super().updatepos(i, j)

    def _flush(self, start: int, end: int) -> None:
        line = self.lineno
        for number, event in enumerate(self._pending):
            self._builder.token(event, start if number == 0 else end, end, line)
        self._pending.clear()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._pending.append((OPEN, tag, attrs, False))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._pending.append((OPEN, tag, attrs, True))

    def handle_endtag(self, tag: str) -> None:
        self._pending.append((CLOSE, tag))

    def handle_data(self, data: str) -> None:
        self._pending.append((TEXT,))

    def handle_entityref(self, name: str) -> None:
        self._pending.append((REF,))

    def handle_charref(self, name: str) -> None:
        self._pending.append((REF,))

    def handle_comment(self, data: str) -> None:
        self._pending.append((OTHER, "comment", data))

    def handle_decl(self, decl: str) -> None:
        self._pending.append((OTHER, "comment", decl))

    def handle_pi(self, data: str) -> None:
        self._pending.append((OTHER, "comment", data))

    def unknown_decl(self, data: str) -> None:
        self._pending.append((OTHER, "comment", data))

    def handle_bogus_section(self, data: str) -> None:
        self._pending.append((OTHER, "section", data))

    def handle_cdata(self, data: str) -> None:
        self._pending.append((OTHER, "cdata", data))

    def handle_unclosed(self, what: str) -> None:
        self._pending.append((OTHER, "unclosed", what))


# -- the tree ----------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class _Open:
    """An element on the stack of open elements."""

    tag: str
    role: str
    line: int
    kind: BlockKind
    translatable: bool
    chrome: bool
    in_head: bool
    node: Node | None = None
    locked: bool = False  # pre, script...: nothing inside is translated, translate="yes" or not
    run_index: int = -1  # where its start tag is in the current run
    lang: tuple[tuple[int, int], ...] = ()  # the ranges of its lang / xml:lang values that name Indonesian
    start: int = 0  # where its start tag begins


@dataclass
class _Draft:
    """A block before numbering."""

    kind: BlockKind
    chrome: bool
    in_head: bool
    start: int
    start_line: int
    end_line: int
    sentences: list[tuple[str, int]]  # compact text, line
    spans: list[SentenceSpan]
    end: int  # the block is the page's text from ``start`` to here
    plain: str  # the words, for the chrome rules
    label: str = ""
    attribute: AttributeSpan | None = None

    def block(self, number: int, boilerplate: Boilerplate, page_text: str) -> Block:
        kind = BlockKind.BOILERPLATE if self.chrome else self.kind
        segments = tuple(Segment(text, line) for text, line in self.sentences)
        label = f"boilerplate, {self.label}" if self.chrome and self.label else self.label
        verbatim = self.chrome and boilerplate is Boilerplate.KEEP
        return Block(kind, number, self.start_line, self.end_line, " ".join(s.text for s in segments), segments,
                     raw=page_text[self.start : self.end], translatable=not verbatim, label=label)


class _Builder:
    """HTML's tree construction, as far as it decides which words make a block."""

    def __init__(self, text: str, xhtml: bool):
        self.text = text
        self.xhtml = xhtml
        root = _Open("#document", CONTAINER, 1, BlockKind.PARAGRAPH, True, False, False)
        self.stack: list[_Open] = [root]
        self.run: list[Token] = []
        self.drafts: list[_Draft] = []
        self.warnings: list[tuple[int, str]] = []
        self.language: list[tuple[int, int, str]] = []
        self.inner_languages: list[tuple[int, int, int, int]] = []
        self.atom: _Open | None = None  # the open atom swallowing tokens
        self.atom_depth: list[str] = []  # elements open inside it
        self.tail: int | None = None  # where an unclosed comment or a cut tag begins: the rest is not read

    # -- events --------------------------------------------------------------

    def token(self, event: tuple, start: int, end: int, line: int) -> None:
        kind = event[0]
        if self.tail is not None:
            return  # after an unclosed comment or a cut tag nothing is read
        if kind == OTHER and event[1] == "unclosed":
            self.warnings.append((line, f"{event[2]} not closed: the rest of the page is a comment"))
            self.tail = start
            return
        if kind == OTHER and event[1] == "section":
            self.warnings.append((line, f"<!{_clip(event[2])}> read as a comment up to the next \">\", as "
                                        "browsers read it"))
        if self.atom is not None:
            self._in_atom(event, start, end)
        elif kind == OPEN:
            self._start(event[1], _first_values(event[2]), start, end, line, event[3])
        elif kind == CLOSE:
            self._end(event[1], start, end, line)
        elif kind == OTHER:
            self._markup(event[1], event[2], start, end, line)
        elif kind == TEXT and _CUT_TAG.match(self.text, start) and self.text.find(">", start) < 0:
            self.warnings.append((line, "a tag is cut off at the end of the page"))  # html.parser gives it as
            self.tail = start  # text; browsers drop it
        elif kind == TEXT:
            self._add(Token(TEXT, start, end, line, self.text[start:end]))
        elif kind == REF:
            self._add(Token(REF, start, end, line, html.unescape(self.text[start:end])))

    def finish(self, unclosed_raw_text: str | None) -> None:
        """The end of the page, or of what is read of it: what is open ends there, before an
        unclosed comment or a cut tag (left as they are)."""
        at = len(self.text) if self.tail is None else self.tail
        if self.atom is not None:
            what = "the rest of the page is read as its content" if unclosed_raw_text else "it ends with the page"
            self.warnings.append((self.atom.line, f"<{self.atom.tag}> not closed: {what}"))
            self._end_atom(at, at, quiet=True)
        self._close_to(1, at, "the end of the page")
        self._flush()

    def _markup(self, what: str, data: str, start: int, end: int, line: int) -> None:
        """A comment, processing instruction or declaration: in a run, a void element that is copied
        as it is wherever the sentence's translation puts it; an XHTML CDATA section: kept text."""
        if not self._active():
            return
        if what == "cdata":
            node = Node(CDATA, start, end, (), end=end, keep=True, texts=[data])
            self.run.append(Token(ATOM, start, end, line, collapse(data), node))
        else:
            node = Node(COMMENT, start, end, (("", " ".join(data.split())),), end=end)
            self.run.append(Token(VOID_TAG, start, end, line, node=node))

    # -- start tags ----------------------------------------------------------

    def _start(self, tag: str, attrs: dict[str, str | None], start: int, end: int, line: int, empty: bool) -> None:
        if tag == "html":
            self._language_edits(start, end)
        if tag == "meta":
            self._meta(attrs, start, end, line)
            self._void(tag, attrs, start, end, line)
            return
        self._implied_ends(tag, start, line)
        if empty and self.xhtml and tag not in VOID:
            self._empty(tag, attrs, start, end, line)
            return
        parent = self.stack[-1]
        translatable = _translates(attrs, parent.translatable) and not parent.locked
        chrome = parent.chrome or _is_chrome(tag, attrs)
        in_head = parent.in_head or tag == "head"
        if translatable and tag not in _NO_ATTRIBUTE_UNITS:
            self._attribute_units(tag, attrs, start, end, line, chrome, in_head)
        if tag in VOID:
            self._void(tag, attrs, start, end, line)
            return
        element = _Open(tag, CONTAINER, line, KINDS.get(tag, parent.kind), translatable, chrome, in_head)
        element.start = start
        element.lang = () if tag == "html" else self._source_language(start, end)  # <html> has its own edit
        if tag in OPAQUE or (is_inline(tag) and self._active() and (tag in html_inline.CODE_TAGS or not translatable)):
            self._start_atom(element, attrs, start, end, opaque=tag in OPAQUE)
        elif tag in OPAQUE_BLOCKS:
            self._flush_for_block()
            element.role, element.translatable, element.locked = SKIP, False, True
            self.stack.append(element)
        elif is_inline(tag):
            self._start_inline(element, attrs, start, end, line)
        else:
            self._flush_for_block()
            self.stack.append(element)

    def _empty(self, tag: str, attrs: dict[str, str | None], start: int, end: int, line: int) -> None:
        """XHTML's ``<span/>``: an element with nothing in it (HTML ignores the slash: the element
        goes on). An inline one is copied whole, like a void element; a block one ends the run."""
        parent = self.stack[-1]
        if parent.translatable and not parent.locked and tag not in _NO_ATTRIBUTE_UNITS:
            self._attribute_units(tag, attrs, start, end, line, parent.chrome or _is_chrome(tag, attrs),
                                  parent.in_head)
        if is_inline(tag) or tag in OPAQUE:
            if self._active():
                node = Node(tag, start, end, _identity(attrs), end=end)
                self.run.append(Token(VOID_TAG, start, end, line, node=node))
        else:
            self._flush_for_block()

    def _start_inline(self, element: _Open, attrs: dict[str, str | None], start: int, end: int, line: int) -> None:
        element.role = INLINE_ROLE
        self.stack.append(element)
        if self._active_below(element):
            element.node = Node(element.tag, start, end, _identity(attrs), href=attrs.get("href"))
            element.run_index = len(self.run)
            self.run.append(Token(OPEN, start, end, line, node=element.node))

    def _void(self, tag: str, attrs: dict[str, str | None], start: int, end: int, line: int) -> None:
        """A void element: <hr> ends the run; any other is in it, copied as it is (br, img, and
        the unseen ones, a <meta itemprop> or <link> in mid-sentence)."""
        if tag == "hr":
            self._flush_for_block()
        elif self._active():
            node = Node(tag, start, end, _identity(attrs), end=end)
            self.run.append(Token(VOID_TAG, start, end, line, node=node))

    def _start_atom(self, element: _Open, attrs: dict[str, str | None], start: int, end: int, *,
                    opaque: bool) -> None:
        """An element read whole: script or svg (nothing in it is read), or an inline one whose
        text is never translated (code, translate="no")."""
        element.role = ATOM_ROLE
        element.node = Node(element.tag, start, end, _identity(attrs), keep=not opaque, opaque=opaque)
        self.atom, self.atom_depth = element, []
        self.stack.append(element)

    def _in_atom(self, event: tuple, start: int, end: int) -> None:
        atom = self.atom
        assert atom is not None and atom.node is not None
        kind = event[0]
        if kind == OPEN and not event[3] and event[1] not in VOID:
            self.atom_depth.append(event[1])
        elif kind == CLOSE and event[1] in self.atom_depth:
            while self.atom_depth.pop() != event[1]:
                pass
        elif kind == CLOSE and event[1] == atom.tag:
            self._end_atom(start, end)
        elif kind == CLOSE and any(e.tag == event[1] for e in self.stack[:-1]):
            self._end_atom(start, start)  # its parent ends: it ends with it
            self._end(event[1], start, end, self._line_of(atom))
        elif kind in (TEXT, REF) and not atom.node.opaque:
            raw = self.text[start:end]
            atom.node.texts.append(html.unescape(raw) if kind == REF else raw)
        elif kind == OTHER and event[1] == "cdata" and not atom.node.opaque:
            atom.node.texts.append(event[2])

    def _end_atom(self, start: int, end: int, *, quiet: bool = False) -> None:
        atom = self.atom
        assert atom is not None and atom.node is not None
        self.atom = None
        self.stack.remove(atom)
        node = atom.node
        # Copied whole into a sentence; one the source left open is closed after the copy.
        unclosed = [] if end > start else [atom.tag, *self.atom_depth]  # outermost first
        node.end, node.end_tag = end, "".join(f"</{tag}>" for tag in reversed(unclosed))
        if start == end and not quiet:
            self.warnings.append((atom.line, f"<{atom.tag}> not closed"))
        if self._active():
            text = collapse("".join(node.texts))
            self._add(Token(ATOM, node.start, end, atom.line, text, node))

    def _meta(self, attrs: dict[str, str | None], start: int, end: int, line: int) -> None:
        name = (attrs.get("name") or attrs.get("property") or "").lower()
        if name in META_TEXTS and self.stack[-1].translatable:
            raw = self.text[start:end]
            spans = attribute_spans(raw)
            if "content" in spans:
                label = f'content of <meta {"name" if "name" in attrs else "property"}="{name}">'
                self._attribute_draft(label, attrs.get("content") or "", spans["content"], start, line, False, True)
        if (attrs.get("http-equiv") or "").lower() == "content-language":
            value = attribute_spans(self.text[start:end]).get("content")
            if value:
                self.language.append((start + value[0], start + value[1], "{}"))

    # -- attributes ----------------------------------------------------------

    def _attribute_units(self, tag: str, attrs: dict[str, str | None], start: int, end: int, line: int,
                         chrome: bool, in_head: bool) -> None:
        wanted = [name for name in TRANSLATABLE_ATTRIBUTES if attrs.get(name)]
        if not wanted:
            return
        spans = attribute_spans(self.text[start:end])
        for name in wanted:
            if name in spans:
                self._attribute_draft(f"{name} attribute of <{tag}>", attrs[name] or "", spans[name], start, line,
                                      chrome, in_head)

    def _attribute_draft(self, label: str, value: str, span: tuple[int, int, str], tag_start: int, line: int,
                         chrome: bool, in_head: bool) -> None:
        plain = collapse(value)
        if not has_words(plain):
            return
        sentences = split_sentences(plain)
        line += self.text.count("\n", tag_start, tag_start + span[0])
        place = AttributeSpan(tag_start + span[0], tag_start + span[1], span[2])
        self.drafts.append(_Draft(
            BlockKind.ATTRIBUTE, chrome, in_head, tag_start, line, line, [(html_inline.escape(s), line)
                                                                         for s in sentences],
            [], place.end, plain, label, place))

    def _source_language(self, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """The ranges of a start tag's lang and xml:lang values that name Indonesian."""
        raw = self.text[start:end]
        if "lang" not in raw.lower():
            return ()
        return tuple((start + value_start, start + value_end)
                     for name, (value_start, value_end, _) in attribute_spans(raw).items()
                     if name in ("lang", "xml:lang")
                     and raw[value_start:value_end].strip().lower().replace("_", "-").split("-")[0]
                     in _SOURCE_LANGUAGE_CODES)

    def _language_edits(self, start: int, end: int) -> None:
        """Set the page's language: the values of lang and xml:lang, or a lang where there is none."""
        spans = attribute_spans(self.text[start:end])
        found = [name for name in ("lang", "xml:lang") if name in spans]
        for name in found:
            value_start, value_end, quote = spans[name]
            text = "{}" if quote or value_end > value_start else '="{}"'
            self.language.append((start + value_start, start + value_end, text))
        if not found:
            after_name = start + len("<html")
            extra = ' lang="{}" xml:lang="{}"' if self.xhtml else ' lang="{}"'
            self.language.append((after_name, after_name, extra))

    # -- end tags ------------------------------------------------------------

    def _end(self, tag: str, start: int, end: int, line: int) -> None:
        if tag == "br":  # browsers read </br> as <br>
            self._void("br", {}, start, end, line)
            return
        index = self._find_open(tag)
        if index is None and tag == "p":  # browsers make it an empty paragraph: a block boundary
            self.warnings.append((line, "stray </p> read as an empty paragraph, as browsers read it"))
            self._flush_for_block()
            return
        if index is None:
            if tag not in ("html", "head", "body"):
                self.warnings.append((line, f"stray </{tag}> ignored"))
            if self._active():  # ignored, not lost: the English page keeps it where the sentence is
                self.run.append(Token(OTHER, start, end, line, node=Node(STRAY, start, end, (), end=end)))
            return
        target = self.stack[index]
        reopen = self._close_to(index + 1, start, f"</{tag}>", reopen=target.role == INLINE_ROLE)
        self._close(target, start, end)
        self.stack.pop()
        for element in reopen:
            self._reopen(element, end)

    def _close_to(self, index: int, at: int, by: str, *, reopen: bool = False) -> list[_Open]:
        """Close the elements above ``index`` at offset ``at`` (their end tags are missing);
        the formatting elements among them to open again, when ``reopen``."""
        again = []
        for element in reversed(self.stack[index:]):
            if element.tag not in OPTIONAL_END:
                self.warnings.append((element.line, f"<{element.tag}> not closed before {by}"))
            self._close(element, at, at)
            if reopen and element.role == INLINE_ROLE and element.node is not None and element.tag in FORMATTING:
                again.append(element)
        del self.stack[index:]
        return list(reversed(again))

    def _close(self, element: _Open, start: int, end: int) -> None:
        for value_start, value_end in element.lang:
            self.inner_languages.append((value_start, value_end, element.start, start))
        if element.role == ATOM_ROLE:
            self.atom = element
            self._end_atom(start, end)
            return
        if element.role == INLINE_ROLE:
            if element.node is not None:
                node = element.node
                node.end_tag = self.text[start:end] if end > start else f"</{element.tag}>"
                self.run.append(Token(CLOSE, start, end, element.line, node=node))
            return
        self._flush()

    def _reopen(self, element: _Open, at: int) -> None:
        """A formatting element a misplaced end tag closed goes on after it, as browsers do."""
        assert element.node is not None
        copy = _Open(element.tag, INLINE_ROLE, element.line, element.kind, element.translatable, element.chrome,
                     element.in_head)
        original = element.node
        copy.node = Node(original.tag, original.start, original.start_end, original.identity, href=original.href)
        copy.run_index = len(self.run)
        self.stack.append(copy)
        self.run.append(Token(OPEN, at, at, element.line, node=copy.node))

    def _implied_ends(self, tag: str, at: int, line: int) -> None:
        """The end tags HTML implies before this start tag."""
        if tag in CLOSES_P:
            self._close_open(frozenset({"p"}), _SCOPE | {"button"}, at)
        if tag in HEADINGS and self.stack[-1].tag in HEADINGS:
            self.warnings.append((self.stack[-1].line, f"<{self.stack[-1].tag}> not closed before <{tag}>"))
            self._close_open(HEADINGS, _SCOPE, at)
        if implied := _IMPLIED_ENDS.get(tag):
            self._close_open(*implied, at)
        if tag == "a" and (index := self._find_open("a")) is not None:
            self._close_to(index, at, "another <a>")  # links do not nest: the first one ends here

    def _close_open(self, tags: frozenset[str], boundaries: frozenset[str], at: int) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            element = self.stack[index]
            if element.tag in tags:
                self._close_to(index, at, f"<{element.tag}>'s end")
                return
            if element.tag in boundaries:
                return

    def _find_open(self, tag: str) -> int | None:
        """Where ``tag`` is open, within the scope its end tag can reach (a table's parts
        reach through the cells they close, nothing reaches out of a table)."""
        if tag in _TABLE_PARTS:
            boundaries = frozenset({"html", "template"} | ({"table"} if tag != "table" else set()))
        else:
            boundaries = _SCOPE | ({"button"} if tag == "p" else {"ul", "ol"} if tag == "li" else set())
        for index in range(len(self.stack) - 1, 0, -1):
            element = self.stack[index]
            if element.tag == tag:
                return index
            if element.tag in boundaries:
                return None
        return None

    # -- runs ----------------------------------------------------------------

    def _active(self) -> bool:
        return self.stack[-1].translatable

    def _active_below(self, element: _Open) -> bool:
        return len(self.stack) >= 2 and self.stack[-2].translatable and element.translatable

    def _add(self, token: Token) -> None:
        if self._active():
            self.run.append(token)

    def _flush_for_block(self) -> None:
        """A block starts: the run so far ends. Inline elements still open hold the block, so
        they become blocks themselves: the text before each and inside each is a run of its own."""
        top = max(i for i, e in enumerate(self.stack) if e.role != INLINE_ROLE)
        holders = [e for e in self.stack[top + 1 :] if e.node is not None and e.run_index >= 0]
        cuts = [e.run_index for e in holders]
        pieces = [self.run[a + 1 if a >= 0 else 0 : b] for a, b in zip([-1, *cuts], [*cuts, len(self.run)],
                                                                          strict=True)]
        owners = [self.stack[top], *holders]
        for element in self.stack[top + 1 :]:
            element.role, element.node, element.run_index = CONTAINER, None, -1
        for owner, piece in zip(owners, pieces, strict=True):
            self.run = piece
            self._flush(owner)

    def _flush(self, owner: _Open | None = None) -> None:
        run, self.run = self.run, []
        if not any(t.kind in (TEXT, REF, ATOM) for t in run):
            return
        owner = owner or next(e for e in reversed(self.stack) if e.role != INLINE_ROLE)
        for part in paragraphs(run):
            found = read_sentences(part, self.text)
            if found is not None:
                self.drafts.append(_Draft(owner.kind, owner.chrome, owner.in_head, found.start, found.start_line,
                                          found.end_line, found.texts, found.spans, found.end, found.plain))

    def _line_of(self, element: _Open | None) -> int:
        return element.line if element is not None else 1


def is_inline(tag: str) -> bool:
    """An element that stays inside the sentence: phrasing, custom ("my-widget") or Word's ("o:p")."""
    return tag in INLINE or "-" in tag or ":" in tag


def _clip(text: str, size: int = 30) -> str:
    """A short piece of markup for a warning: spaces collapsed, cut with "…" when long."""
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def attribute_spans(raw: str) -> dict[str, tuple[int, int, str]]:
    """Each attribute of a start tag as written: its value's range in ``raw`` (inside
    the quotes) and its quote character ("" unquoted). Found with html.parser's own
    patterns, so it reads the tag exactly as the tokenizer did; the first of a
    repeated attribute wins, as in browsers."""
    found: dict[str, tuple[int, int, str]] = {}
    name = _TAG_NAME.match(raw, 1)
    position = name.end() if name else len(raw)
    while position < len(raw):
        match = _ATTRIBUTE.match(raw, position)
        if not match:
            break
        attribute, rest, value = match.group(1, 2, 3)
        if rest:
            start, end = match.span(3)
            quote = value[:1] if len(value) >= 2 and value[:1] in "'\"" and value[-1:] == value[:1] else ""
            found.setdefault(attribute.lower(), (start + len(quote), end - len(quote), quote))
        else:
            found.setdefault(attribute.lower(), (match.end(1), match.end(1), ""))
        position = match.end()
    return found


def _translates(attrs: dict[str, str | None], inherited: bool) -> bool:
    """HTML's translate attribute (inherited; "yes" turns it on again), and Google's notranslate class."""
    if "notranslate" in (attrs.get("class") or "").split():
        return False
    flag = (attrs.get("translate") or "").strip().lower()
    return {"no": False, "yes": True, "": inherited}.get(flag, inherited)


def _identity(attrs: dict[str, str | None]) -> tuple:
    return tuple(sorted((name, " ".join((value or "").split())) for name, value in attrs.items()))


# -- chrome ------------------------------------------------------------------------


@dataclass(frozen=True)
class _ChromeSelectors:
    tags: frozenset[str]
    ids: frozenset[str]
    classes: frozenset[str]


@cache
def _chrome_selectors() -> _ChromeSelectors:
    data = tomllib.loads(resources.files("pipeline").joinpath(BOILERPLATE_RULES).read_text(encoding="utf-8"))
    table = data.get("html", {})
    return _ChromeSelectors(*(frozenset(table.get(key, ())) for key in ("tags", "ids", "classes")))


def _is_chrome(tag: str, attrs: dict[str, str | None]) -> bool:
    selectors = _chrome_selectors()
    classes = (attrs.get("class") or "").split()
    return tag in selectors.tags or (attrs.get("id") or "") in selectors.ids or \
        any(name in selectors.classes for name in classes)


def _mark_chrome_by_text(drafts: list[_Draft]) -> None:
    """The text rules of plain text: a block that is chrome anywhere ("Posting Komentar"),
    and edge chrome ("Beranda") in the leading and trailing run of the body's blocks."""
    rules = chrome_rules()
    body = [d for d in drafts if not d.in_head and d.attribute is None]
    for draft in body:
        if rules.anywhere.fullmatch(draft.plain):
            draft.chrome = True
    for order in (body, list(reversed(body))):
        for draft in order:
            if not (draft.chrome or rules.edge.fullmatch(draft.plain)):
                break
            draft.chrome = True
