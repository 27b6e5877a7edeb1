"""Sentences of an HTML block: a run of tokens -> its sentences, their msgids and places.

``pipeline.html_source`` builds the page's tree and hands over each run of
inline content between two block boundaries (text, character references,
inline elements' tags, a kept element whole); this module finds the run's
sentences and writes each one's msgid in the compact form of
``pipeline.html_inline``, with the range of the page it replaces.

Sentences are found in the words alone, markup taken out ("<b>Satu.</b> Dua"
is "Satu. Dua"), by the same splitter as plain text; the markup then goes
where it belongs:
  - a tag between two sentences goes with the sentence whose text it touches:
    an end tag with the sentence before, a start tag with the one after; a
    ``<br>``, a comment or an element holding no words between two sentences
    belongs to neither and stays in the page as it is;
  - an element around a whole sentence, or around the whole block, is left
    out of the msgid and stays in the page around the English: "<p><b>Judul.</b>
    Teks.</p>" gives "Judul." and "Teks.", Blogger's ``<span style=...>``
    around a paragraph leaves no trace in its msgids;
  - an element across a sentence boundary is split into two balanced pieces,
    one per sentence: "<b>Satu. Dua</b> tiga." gives "<b>Satu.</b>" and
    "<b>Dua</b> tiga.", and the English page has two <b> elements there;
  - a sentence never ends inside code or a translate="no" element.
Whitespace is what a reader sees, so a reflowed or re-indented page gives the
same msgids: runs of spaces are one space, none at a sentence's ends or next
to a ``<br>``, and a space beside tags sits after the end tags and before the
start tags ("kata <b> tebal</b>" is "kata <b>tebal</b>"). A no-break space
beside an ordinary one was padding (Blogger's "&nbsp; "); alone it is kept.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from pipeline import html_inline
from pipeline.html_inline import Inline
from pipeline.segmenter import split_sentences

# Whitespace as a reader sees it: a run holding an ordinary space or line break is one
# space (no-break spaces beside it were padding); no-break spaces alone are kept.
_NO_BREAK = "\u00a0\u2007\u202f"
_SEPARATOR = re.compile(rf"\s*[^\S{_NO_BREAK}]\s*")
_SPACES = re.compile(r"(\s+)")

# What a token of a run is: text as written, a character reference, an inline element's
# start or end tag (an end tag the source left out is a token of no width), a void element
# (br, img, and a comment in a sentence: node tag "#comment"), an element taken whole (code,
# translate="no", script...), or what is no text and in no msgid (an end tag that closes
# nothing: with a node, the English page writes it back with the sentence around it).
TEXT, REF, OPEN, CLOSE, VOID_TAG, ATOM, OTHER = "text", "ref", "open", "close", "void", "atom", "other"


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    """Where a sentence sits in the page, and what its msgid's tags stand for.

    ``start``..``end`` is the range the English replaces; ``lead`` and ``trail`` the
    whitespace inside it but outside the sentence's words, kept around the English.
    ``whole``: the range holds whole elements only, so an untranslated sentence
    keeps its bytes; a sentence with half of an element split at its edge is
    always written afresh, balanced."""

    start: int
    end: int
    lead: str
    trail: str
    inlines: tuple[Inline, ...]
    whole: bool


@dataclass(eq=False, slots=True)
class Node:
    """An inline element of a run: what its tags are in the source."""

    tag: str
    start: int  # its start tag (the original's, for one opened again after a misplaced end tag)
    start_end: int
    identity: tuple
    href: str | None = None
    end: int = -1  # void and atom: end of the whole element
    end_tag: str = ""
    keep: bool = False  # its text is copied from the source
    opaque: bool = False  # nothing in it is read (script, svg...)
    texts: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Token:
    """One token of a run: its kind, its range of the page and the line it starts on."""

    kind: str
    start: int
    end: int
    line: int
    text: str = ""  # decoded text (text, references, kept atoms)
    node: Node | None = None


# -- a run of text -> blocks and sentences -------------------------------------------


def paragraphs(run: list[Token]) -> list[list[Token]]:
    """The run cut where two or more <br> follow each other outside any inline element."""
    parts: list[list[Token]] = []
    current: list[Token] = []
    depth, index = 0, 0
    while index < len(run):
        token = run[index]
        depth += (token.kind == OPEN) - (token.kind == CLOSE)
        if depth == 0 and _is_br(token):
            after = index + 1
            breaks = 1
            while after < len(run) and (_is_br(run[after]) or _is_blank(run[after])):
                breaks += _is_br(run[after])
                after += 1
            if breaks >= 2:
                parts.append(current)
                current, index = [], after
                continue
        current.append(token)
        index += 1
    parts.append(current)
    return [part for part in parts if part]


def _is_br(token: Token) -> bool:
    return token.kind == VOID_TAG and token.node is not None and token.node.tag == "br"


def _is_blank(token: Token) -> bool:
    """What a reader does not see: spaces, a comment."""
    return token.kind == OTHER or (token.kind in (TEXT, REF) and not token.text.strip()) or \
        (token.kind == VOID_TAG and token.node is not None and token.node.tag.startswith("#"))


@dataclass
class Sentences:
    """A block's sentences: msgids with their lines, their places, and the words alone."""

    texts: list[tuple[str, int]]  # (msgid, line where its words start)
    spans: list[SentenceSpan]
    end_line: int
    plain: str  # the block's words, markup out: what the chrome rules match

    @property
    def start(self) -> int:
        return self.spans[0].start

    @property
    def end(self) -> int:
        return self.spans[-1].end

    @property
    def start_line(self) -> int:
        return self.texts[0][1]


def read_sentences(run: list[Token], text: str) -> Sentences | None:
    """The sentences of a run of ``text``'s tokens, or None when it holds no words (or
    only code and translate="no" text)."""
    reading = _Reading(run)
    if not reading.words or not any(has_words(t.text) for t in run if t.kind in (TEXT, REF)):
        return None
    texts, spans = [], []
    cores = reading.cores()
    for core, (compact, span) in zip(cores, reading.sentences(cores, text), strict=True):
        line = run[core[0]].line + text.count("\n", run[core[0]].start, reading.offset(core[0], core[1]))
        texts.append((compact, line))
        spans.append(span)
    end_line = run[0].line + text.count("\n", run[0].start, spans[-1].end)
    return Sentences(texts, spans, end_line, reading.plain)


class _Reading:
    """A run's words, its sentences, and each sentence's place among the run's tokens."""

    def __init__(self, run: list[Token]):
        self.run = run
        pieces, starts, owners, position = [], [], [], 0
        for index, token in enumerate(run):
            piece = token.text if token.kind in (TEXT, REF, ATOM) else "\n" if _is_br(token) else ""
            if piece:
                pieces.append(piece)
                starts.append(position)
                owners.append(index)
                position += len(piece)
        self.words_text = "".join(pieces)
        self.starts, self.owners = starts, owners
        self.words = _words(self.words_text)
        self.plain = " ".join(self.words_text[s:e] for s, e in self.words)
        pairs: dict[int, list[int]] = {}
        for index, token in enumerate(run):
            if token.kind in (OPEN, CLOSE) and token.node is not None:
                pairs.setdefault(id(token.node), []).append(index)
        self.elements = [(found[0], found[1]) for found in pairs.values() if len(found) == 2]

    def _token_at(self, position: int) -> tuple[int, int]:
        """(token index, offset in its text) of a position in the run's words."""
        owner = bisect_right(self.starts, position) - 1
        return self.owners[owner], position - self.starts[owner]

    def cores(self) -> list[tuple[int, int, int, int]]:
        """Each sentence's words as (first token, offset, last token, end offset)."""
        ranges, word = [], 0
        for sentence in split_sentences(self.plain):
            count = sentence.count(" ") + 1
            ranges.append([self.words[word][0], self.words[word + count - 1][1]])
            word += count
        merged: list[list[int]] = []
        for start, end in ranges:
            if merged and self._inside_one_atom(merged[-1][1], start):
                merged[-1][1] = end  # a sentence does not end inside code or a translate="no" element
            else:
                merged.append([start, end])
        cores = []
        for start, end in merged:
            first, offset = self._token_at(start)
            last, end_offset = self._token_at(end - 1)
            if self.run[first].kind != TEXT:
                offset = 0
            end_offset = end_offset + 1 if self.run[last].kind == TEXT else len(self.run[last].text)
            cores.append((first, offset, last, end_offset))
        return cores

    def _inside_one_atom(self, end: int, start: int) -> bool:
        before, after = self._token_at(end - 1)[0], self._token_at(start)[0]
        return before == after and self.run[before].kind == ATOM

    def offset(self, index: int, offset: int) -> int:
        """The page offset of ``offset`` in token ``index``'s text."""
        token = self.run[index]
        return token.start + offset if token.kind == TEXT else token.start

    def sentences(self, cores: list[tuple[int, int, int, int]], text: str) -> Iterator[tuple[str, SentenceSpan]]:
        """Each sentence's msgid and span (see the module notes on markup), in one sweep over the
        run's elements: the elements open at a sentence's first and last tokens are a stack (they
        nest), so each sentence costs its own tokens and the depth of the markup around it."""
        # An element around the whole block (Blogger's <span style=...>) stays in the page around it.
        elements = sorted((o, c) for o, c in self.elements if not (o < cores[0][0] and c > cores[-1][2]))
        stack: list[tuple[int, int]] = []
        pushed = 0

        def open_at(index: int) -> list[tuple[int, int]]:
            """The elements open at token ``index`` (o < index < c)."""
            nonlocal pushed
            while pushed < len(elements) and elements[pushed][0] < index:
                element = elements[pushed]
                while stack and stack[-1][1] < element[0]:
                    stack.pop()  # closed before this one opens
                stack.append(element)
                pushed += 1
            while stack and stack[-1][1] < index:
                stack.pop()
            return [(o, c) for o, c in stack if o < index < c]

        for k, core in enumerate(cores):
            low = cores[k - 1][2] if k else -1  # the sentence's leading tokens lie after ``low``
            high = cores[k + 1][0] if k + 1 < len(cores) else len(self.run)
            at_first = open_at(core[0])
            at_last = open_at(core[2])
            yield self._sentence(core, text, low, high, at_first, at_last)

    def _sentence(self, core: tuple[int, int, int, int], text: str, low: int, high: int,
                  at_first: list[tuple[int, int]], at_last: list[tuple[int, int]]) -> tuple[str, SentenceSpan]:
        """A sentence's msgid and span, given the elements open at its first and its last token."""
        first, offset, last, end_offset = core
        opening = [(o, c) for o, c in at_first if low < o]
        closing = [(o, c) for o, c in at_last if c < high]
        wrapping = set(opening) & set(closing)
        start = min((o for o, _ in set(opening) - wrapping), default=first)
        end = max((c for _, c in set(closing) - wrapping), default=last)
        changed = True
        while changed:  # a wrapping element with a tag inside the range is inside it whole
            changed = False
            for o, c in wrapping:
                if (o >= start or c <= end) and (o < start or c > end):
                    start, end, changed = min(start, o), max(end, c), True
        split_open = sorted(o for o, c in at_first if o <= low)
        split_close = sorted((o for o, c in at_last if c >= high), reverse=True)
        begin = self.run[start].start if start < first else self.offset(first, offset)
        finish = self.run[end].end if end > last else self.offset(last, end_offset) if \
            self.run[last].kind == TEXT else self.run[last].end
        compact, inlines = self._compact(start, end, core, split_open, split_close)
        lead = self._spaces(text, start, first, begin, self.offset(first, offset)) if start < first else ""
        core_end = self.offset(last, end_offset) if self.run[last].kind == TEXT else self.run[last].end
        trail = self._spaces(text, last, end, core_end, finish) if end > last else ""
        return compact, SentenceSpan(begin, finish, lead, trail, inlines, not split_open and not split_close)

    def _spaces(self, text: str, first: int, last: int, start: int, end: int) -> str:
        """The whitespace of a stretch of the page made of tags and spaces: tokens ``first`` to
        ``last``, page offsets ``start`` to ``end``."""
        return "".join(ch for ch in _text_between(self.run[first : last + 1], text, start, end) if ch.isspace())

    def _compact(self, start: int, end: int, core: tuple[int, int, int, int], split_open: list[int],
                 split_close: list[int]) -> tuple[str, tuple[Inline, ...]]:
        first, offset, last, end_offset = core
        nodes = [self.run[o].node for o in split_open]
        nodes += [t.node for t in self.run[start : end + 1] if t.kind in (OPEN, VOID_TAG, ATOM)]
        names = _names([n for n in nodes if n is not None])
        pieces: list[tuple[str, str]] = [("open", html_inline.opening(names[id(self.run[o].node)]))
                                         for o in split_open]
        for index in range(start, end + 1):
            token = self.run[index]
            if token.kind in (TEXT, REF) and first <= index <= last:
                text = token.text
                if token.kind == TEXT:
                    text = text[offset if index == first else 0 : end_offset if index == last else None]
                pieces.append(("text", text))
            elif token.kind in (OPEN, CLOSE, VOID_TAG, ATOM) and token.node is not None:
                pieces.append(_tag_piece(token, names[id(token.node)]))
        pieces += [("close", f"</{names[id(self.run[o].node)]}>") for o in split_close]
        inlines = tuple(_inline(node, names[id(node)]) for node in dict.fromkeys(n for n in nodes if n is not None))
        # markup a browser ignores (an end tag that closes nothing) is in no msgid, but the page keeps it
        hidden = tuple(Inline("", t.node.tag, t.start, t.end, void=True) for t in self.run[start : end + 1]
                       if t.kind == OTHER and t.node is not None)
        return _normalise(pieces), inlines + hidden


def _text_between(run: list[Token], text: str, start: int, end: int) -> str:
    """The text (not the tags) of the run's tokens between two page offsets."""
    found = []
    for token in run:
        if token.kind in (TEXT, REF) and token.end > start and token.start < end:
            found.append(text[max(start, token.start) : min(end, token.end)])
    return "".join(found)


def _tag_piece(token: Token, name: str) -> tuple[str, str]:
    """A tag of the msgid, and what it is to whitespace: an "open" or "close" tag, a "br",
    "content" a reader sees (an image, kept text, a script's place) or a zero-width "tag"."""
    node = token.node
    assert node is not None
    if token.kind == OPEN:
        return ("open", html_inline.opening(name))
    if token.kind == CLOSE:
        return ("close", f"</{name}>")
    if token.kind == VOID_TAG or node.opaque:
        kind = "br" if node.tag == "br" else "tag" if node.tag == "wbr" else "content"
        return (kind, html_inline.opening(name, void=True))
    keep = node.tag not in html_inline.CODE_TAGS
    return ("content", html_inline.opening(name, keep=keep) + html_inline.escape(token.text) + f"</{name}>")


def _names(nodes: list[Node]) -> dict[int, str]:
    """Each element's name in the msgid: its own, numbered when elements of one name differ."""
    groups: dict[str, list[Node]] = {}
    for node in dict.fromkeys(nodes):
        groups.setdefault(html_inline.name_for(node.tag), []).append(node)
    names = {}
    for base, members in groups.items():
        # <x> stands for any element whose name is no plain word: <my-a> and <my-b> differ
        numbered = len({(n.tag, n.identity, n.opaque) for n in members}) > 1
        for number, node in enumerate(members, start=1):
            names[id(node)] = f"{base}{number}" if numbered else base
    return names


def _inline(node: Node, name: str) -> Inline:
    if node.keep or node.opaque or node.end >= 0:  # copied whole: a void, or an atom
        return Inline(name, node.tag, node.start, node.end if node.end >= 0 else node.start_end, node.end_tag,
                      node.href, keep=node.keep, void=node.end >= 0 and not node.keep,
                      text=collapse("".join(node.texts)))
    return Inline(name, node.tag, node.start, node.start_end, node.end_tag or f"</{node.tag}>", node.href)


def _normalise(pieces: list[tuple[str, str]]) -> str:
    """The compact text: text escaped, whitespace as a reader sees it whatever the
    indentation. Between two things a reader sees (words, an image, kept text) the
    tags and spaces form a gap: a gap holding an ordinary space has one space, after
    the end tags and before the start tags; a gap with a <br> has none, nor one at
    either end of the sentence; no-break spaces alone stay as written."""
    merged: list[tuple[str, str]] = []
    for kind, value in pieces:
        if kind == "text" and merged and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + value)
        elif kind != "text" or value:
            merged.append((kind, value))
    out: list[str] = []
    gap: list[tuple[str, str]] = []
    for kind, value in merged:
        parts = _SPACES.split(value) if kind == "text" else [value]
        for part in parts:
            if not part:
                continue
            if kind == "text" and part.isspace():
                gap.append(("space", part))
            elif kind in ("text", "content"):
                out.append(_gap(gap, edge=not out))
                out.append(html_inline.escape(part) if kind == "text" else part)
                gap = []
            else:
                gap.append((kind, part))
    out.append(_gap(gap, edge=True))
    return "".join(out)


def _gap(items: list[tuple[str, str]], *, edge: bool) -> str:
    tags = [value for kind, value in items if kind != "space"]
    spaces = [value for kind, value in items if kind == "space"]
    if edge or not spaces or any(kind == "br" for kind, _ in items):
        return "".join(tags)
    if not any(_SEPARATOR.fullmatch(space) for space in spaces):
        return "".join(value for _, value in items)  # no-break spaces only: kept as written
    kinds = [kind for kind, _ in items if kind != "space"]
    cut = kinds.index("open") if "open" in kinds else len(kinds)
    if "close" not in kinds[cut:]:  # end tags, then start tags: the space goes between them
        return "".join(tags[:cut]) + " " + "".join(tags[cut:])
    first = next(i for i, (kind, _) in enumerate(items) if kind == "space")  # else where it was
    return "".join(v for _, v in items[:first] if _ != "space") + " " + \
        "".join(v for k, v in items[first:] if k != "space")


def _words(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each word; no-break spaces at the ends of the run are trimmed."""
    words, position = [], 0
    for match in _SEPARATOR.finditer(text):
        if match.start() > position:
            words.append([position, match.start()])
        position = match.end()
    if position < len(text):
        words.append([position, len(text)])
    if words:
        while words and words[0][0] < words[0][1] and text[words[0][0]] in _NO_BREAK:
            words[0][0] += 1
            if words[0][0] == words[0][1]:
                words.pop(0)
        while words and words[-1][0] < words[-1][1] and text[words[-1][1] - 1] in _NO_BREAK:
            words[-1][1] -= 1
            if words[-1][0] == words[-1][1]:
                words.pop()
    return [(start, end) for start, end in words]


def collapse(text: str) -> str:
    return _SEPARATOR.sub(" ", text).strip(" " + _NO_BREAK)


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)
