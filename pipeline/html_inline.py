"""The compact inline form: how a sentence of an HTML page shows its inline markup.

A msgid read from an HTML page keeps the sentence's inline elements as short
tags that name the element and nothing else, the way a reviewer reads them:

    <p>Baca <a href="https://contoh.id/x" class="k">berita ini</a>, <em>hari ini</em>.</p>
    msgid "Baca <a>berita ini</a>, <em>hari ini</em>."

Why not the tags as written (po4a, html2po): Blogger writes
``<span style="font-family: arial;">`` around every other phrase; attributes
would bury the sentence, and a changed link or style would make every
translation of it "needs update". Why not Markdown: ``<b>`` and ``<strong>``,
``<span>``, ``<sup>`` and ``<abbr>`` have no Markdown form, and a ``*`` in the
prose would have to be escaped. Tags stay what Translate Toolkit's ``xmltags``
check compares (a lost ``</a>`` is a QA error) and what ``pipeline.mt.masking``
hides from the engine in pairs, as it does Markdown links and emphasis.

The rules:
  - an element shows as its name, ``<b>…</b>``; a void one (br, img, wbr,
    input) as ``<br/>``; a name that is not a plain lower-case word (Word's
    ``o:p``, custom elements) as ``<x>``; a comment or processing instruction
    in mid-sentence as ``<comment/>``: the English page copies it as it is,
    and one a translation leaves out goes at the end of the sentence;
  - when a sentence holds several elements of one name whose attributes differ
    (two links to two pages), or two ``<x>`` stand for different elements,
    they are numbered in order, ``<a1>…</a1>`` and ``<a2>…</a2>``, so a
    translation may put them in another order; elements alike (two plain
    ``<b>``) are not numbered;
  - an element whose text is never translated keeps that text in the msgid for
    the reader, and the English page takes it from the source whatever the
    translation says: ``<code>``, ``<kbd>``, ``<samp>``, ``<var>``, and any
    element marked ``translate="no"`` or ``class="notranslate"``, which shows as
    ``<span translate="no">Bali Process</span>``; an XHTML CDATA section as
    ``<cdata translate="no">``. Which of several alike the translation means:
    the one whose text it holds, else the next (``kept_choice``). An element
    that holds no text for anyone (script, svg, iframe in mid-sentence) shows
    as a void one;
  - text is what a reader sees: character references are decoded (``&amp;`` is
    "&", ``&nbsp;`` a no-break space), except where the decoded text would read
    as markup: ``<`` before a letter, "/", "!" or "?" stays ``&lt;``, and an "&"
    that would start a reference stays ``&amp;``.

``parse`` reads the form back (a translation, or an msgid); a tag the source
sentence does not have, or an end tag that closes nothing, is text to the
English page and to ``display_html``, which shows the form on a web page,
safely; ``plain_text``, ``prose_text`` and ``markdown_text`` take the tags
out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

# Elements whose text is code, not prose: copied as they are, like Markdown's `code`.
CODE_TAGS = frozenset({"code", "kbd", "samp", "var"})
KEEP_MARK = ' translate="no"'
GENERIC = "x"  # the name of an element whose own name is not a plain word

# One tag of the form: "<b>", "</b>", "<a2>", "<br/>", '<span translate="no">'.
TAG = re.compile(r'<(?P<close>/)?(?P<name>[a-z]+\d*)(?P<keep> translate="no")?(?P<void>/)?>')
_NUMBER = re.compile(r"\d+$")
_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")
# A character reference as browsers read one, with or without its ";".
_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_MARKUP_START = re.compile(r"<(?=[A-Za-z/!?])")


@dataclass(frozen=True, slots=True)
class Inline:
    """One inline element of a sentence, under the name the msgid gives it.

    ``start``..``end`` is its place in the page's text: its start tag, or for a
    void element or one copied whole (``keep``) the whole element. ``end_tag``
    closes it in the English page (after a copied element: "", or its end tag
    when the source left it open).
    """

    name: str  # "a2"
    tag: str  # "a"
    start: int
    end: int
    end_tag: str = ""
    href: str | None = None
    keep: bool = False  # copied whole from the source: its text is never translated
    void: bool = False
    text: str = ""  # a kept element's text, as the msgid shows it


@dataclass(frozen=True, slots=True)
class Piece:
    """One part of a sentence in the compact form."""

    kind: str  # "text", "open", "close" or "void"
    value: str  # the text (decoded), or the tag's name ("a2")
    keep: bool = False  # an opening tag of an element whose text is never translated

    @property
    def base(self) -> str:
        """The element's name without its number: "a" for "a2"."""
        return _NUMBER.sub("", self.value)


def name_for(tag: str) -> str:
    """The name an element shows under: its own when it is a plain word, else ``x``; a comment
    (or processing instruction) in mid-sentence is ``comment``, an XHTML CDATA section ``cdata``."""
    if tag in ("#comment", "#cdata"):
        return tag[1:]
    return tag if tag.isascii() and tag.isalpha() and tag.islower() else GENERIC


def escape(text: str) -> str:
    """Decoded text as the compact form writes it: only what would read as markup is escaped."""
    text = _REFERENCE.sub(lambda m: "&amp;" + m.group()[1:] if html.unescape(m.group()) != m.group() else m.group(),
                          text)
    return _MARKUP_START.sub("&lt;", text)


def opening(name: str, *, keep: bool = False, void: bool = False) -> str:
    return f"<{name}{KEEP_MARK if keep else ''}{'/' if void else ''}>"


def parse(text: str) -> list[Piece]:
    """The pieces of a sentence in the compact form; text between tags is decoded.

    Whether a tag is one of the sentence's elements is the caller's question: a
    translation may hold a tag its source does not, which is then shown as text."""
    pieces: list[Piece] = []
    cursor = 0
    for match in TAG.finditer(text):
        if match.start() > cursor:
            pieces.append(Piece("text", html.unescape(text[cursor : match.start()])))
        name = match.group("name")
        if match.group("close"):
            pieces.append(Piece("close", name))
        elif match.group("void"):
            pieces.append(Piece("void", name))
        else:
            keep = bool(match.group("keep")) or _NUMBER.sub("", name) in CODE_TAGS
            pieces.append(Piece("open", name, keep))
        cursor = match.end()
    if cursor < len(text):
        pieces.append(Piece("text", html.unescape(text[cursor:])))
    return pieces


def source_of(piece: Piece) -> str:
    """The piece as the compact form writes it."""
    if piece.kind == "text":
        return escape(piece.value)
    if piece.kind == "close":
        return f"</{piece.value}>"
    return opening(piece.value, keep=piece.keep and piece.base not in CODE_TAGS, void=piece.kind == "void")


def plain_text(text: str) -> str:
    """The words alone: tags out (a line break is a space), references decoded, spaces collapsed
    (no-break spaces are kept, as in a msgid)."""
    words = (p.value if p.kind == "text" else " " if p.kind == "void" and p.base == "br" else "" for p in parse(text))
    return _SPACES.sub(" ", "".join(words)).strip(" ")


def kept_texts(text: str) -> list[tuple[str, str]]:
    """Each kept element of a sentence (code, translate="no"): its name and the text it holds."""
    pieces = parse(text)
    found = []
    for index, piece in enumerate(pieces):
        if piece.kind == "open" and piece.keep:
            end = next((i for i in range(index + 1, len(pieces)) if pieces[i].kind == "close"
                        and pieces[i].value == piece.value), len(pieces))
            found.append((piece.value, plain_text("".join(source_of(p) for p in pieces[index + 1 : end]))))
    return found


def prose_text(text: str) -> str:
    """The words a translator translates: ``plain_text`` without the text of kept elements."""
    words: list[str] = []
    depth: list[str] = []  # kept elements open
    for piece in parse(text):
        if piece.kind == "open" and piece.keep:
            depth.append(piece.value)
        elif piece.kind == "close" and piece.value in depth:
            while depth.pop() != piece.value:
                pass
            words.append(" ")
        elif piece.kind == "text" and not depth:
            words.append(piece.value)
        elif piece.kind == "void" and piece.base == "br":
            words.append(" ")
    return _SPACES.sub(" ", "".join(words)).strip(" ")


# -- showing a sentence on a page -------------------------------------------------

# Inline elements a msgid may hold, and void ones (script, svg... stand for an element in
# mid-sentence whose content is never read; comment for a comment): a page shows these; any
# other tag is text.
INLINE_NAMES = frozenset(
    "a abbr acronym b bdi bdo big blink button cite code data del dfn em font i ins kbd label map mark meter nobr "
    "output picture progress q rb rp rt rtc ruby s samp slot small span strike strong sub sup time tt u var x "
    "cdata".split())
VOID_NAMES = frozenset("area base br col embed hr img input keygen link meta param source track wbr script style "
                       "textarea template svg math iframe object noscript video audio canvas select datalist "
                       "comment x".split()) | INLINE_NAMES  # XHTML's <span/>
_UNSEEN = frozenset("area base col comment keygen link meta param source track".split())  # nothing to show
# What each element becomes on the bilingual and review pages; anything else is a <span>.
_SHOWN_AS = {
    "b": "strong", "strong": "strong", "big": "strong", "i": "em", "em": "em", "cite": "cite", "dfn": "dfn",
    "u": "u", "ins": "ins", "s": "s", "strike": "s", "del": "del", "code": "code", "kbd": "kbd", "samp": "samp",
    "var": "var", "tt": "code", "sup": "sup", "sub": "sub", "small": "small", "mark": "mark", "abbr": "abbr",
    "q": "q",
}
_SAFE_SCHEMES = ("http", "https", "mailto")


def display_html(text: str, hrefs: Mapping[str, str | None] | None = None,
                 kept: Mapping[str, Sequence[str]] | None = None) -> str:
    """A sentence in the compact form as HTML for a reader: bold as bold, a link as a link.

    Always safe: only the elements of ``_SHOWN_AS`` (and span, a, br) come out, with
    no attribute but a class and an http(s)/mailto ``href`` from ``hrefs`` (by the
    element's name in the msgid); everything else, a ``<script>`` typed into a
    translation included, is escaped text, an end tag that closes nothing too. Tags
    are balanced whatever the input. ``kept``: the source's text of each kept element
    (by name, in order), shown whatever a translation holds, as the English page does."""
    out: list[str] = []
    stack: list[tuple[str, str]] = []  # (name in the text, element written)
    taken: dict[str, set[int]] = {}
    pieces = parse(text)
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        known = VOID_NAMES if piece.kind == "void" else INLINE_NAMES
        if piece.kind == "text" or (piece.kind != "close" and piece.base not in known):
            out.append(html.escape(piece.value if piece.kind == "text" else source_of(piece)))
        elif piece.kind == "void":
            if piece.base == "br":
                out.append("<br>")
            elif piece.base not in _UNSEEN:
                out.append(f'<span class="void">[{html.escape(piece.base)}]</span>')
        elif piece.kind == "open" and piece.keep and kept and kept.get(piece.value):
            end = next((i for i in range(index + 1, len(pieces)) if pieces[i].kind == "close"
                        and pieces[i].value == piece.value), len(pieces))
            inner = plain_text("".join(source_of(p) for p in pieces[index + 1 : end]))
            texts = kept[piece.value]
            element, start = _shown_element(piece, hrefs)
            chosen = texts[kept_choice(texts, inner, taken.setdefault(piece.value, set()))]
            out.append(f"{start}{html.escape(chosen)}</{element}>")
            index = end
        elif piece.kind == "open":
            element, start = _shown_element(piece, hrefs)
            out.append(start)
            stack.append((piece.value, element))
        elif any(name == piece.value for name, _ in stack):
            while stack:
                name, element = stack.pop()
                out.append(f"</{element}>")
                if name == piece.value:
                    break
        else:
            out.append(html.escape(source_of(piece)))
        index += 1
    out.extend(f"</{element}>" for _, element in reversed(stack))
    return "".join(out)


def kept_choice(texts: Sequence[str], inner: str, taken: set[int]) -> int:
    """Which of a sentence's kept elements of one name (their source texts, in order) a kept
    element of a translation stands for, ``inner`` being the text it holds: the one with that
    text (one not taken yet first, then any), else with that text in another case, else the
    first not taken yet, else the last. The choice is added to ``taken``."""
    free = [i for i in range(len(texts)) if i not in taken]
    folded = inner.casefold()
    chosen = next(
        (i for candidates, same in ((free, False), (range(len(texts)), False), (free, True), (range(len(texts)), True))
         for i in candidates if (texts[i].casefold() == folded if same else texts[i] == inner)),
        free[0] if free else len(texts) - 1)
    taken.add(chosen)
    return chosen


def _shown_element(piece: Piece, hrefs: Mapping[str, str | None] | None) -> tuple[str, str]:
    if piece.base == "a":
        href = safe_href((hrefs or {}).get(piece.value))
        if href is not None:
            return "a", f'<a href="{html.escape(href)}" rel="noopener noreferrer">'
        return "span", '<span class="link">'
    element = _SHOWN_AS.get(piece.base, "span")
    kept = ' class="no-translate" translate="no"' if piece.keep else ""
    return element, f"<{element}{kept}>"


def safe_href(href: str | None) -> str | None:
    """``href`` when it is an absolute http(s) or mailto address, else None (javascript:, data:...)."""
    if not href or any(ord(ch) < 0x20 or ch == "\x7f" for ch in href):
        return None
    try:
        scheme = urlsplit(href.strip()).scheme.lower()
    except ValueError:
        return None
    return href.strip() if scheme in _SAFE_SCHEMES else None


# -- Markdown -----------------------------------------------------------------------

_MARKDOWN_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`", "kbd": "`", "samp": "`", "tt": "`"}


def markdown_text(text: str) -> str:
    """The sentence for a Markdown file: bold, emphasis and code as Markdown, other tags out."""
    out: list[str] = []
    for piece in parse(text):
        if piece.kind == "text":
            out.append(piece.value)
        elif piece.kind == "void":
            out.append(" " if piece.base == "br" else "")
        else:
            out.append(_MARKDOWN_MARKS.get(piece.base, ""))
    return " ".join("".join(out).split())
