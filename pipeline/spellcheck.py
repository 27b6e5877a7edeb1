"""Source-side QA: probable typos in the Indonesian original, for its author.

Words are checked with spylls (a pure-Python Hunspell) and Debian's
``hunspell-id`` dictionary. Findings are warnings, never errors: the
pipeline translates the source as it is, and only its author may change it.

Not checked: URLs, e-mail addresses, inline code and markup, numbers, text
in quotation marks (usually a title in another language), capitalised words
inside a sentence (proper names), words in ALL CAPS (acronyms), and
do-not-translate glossary terms ("Bali Process"). Translatable glossary terms
*are* checked: they are Indonesian, and the glossary may list a misspelt form
on purpose ("menejemen perbatasan") so that MT and QA recognise the phrase as
the source writes it; that must not hide the typo from the author.

Suggestions, first that gives any: the nearest correctly spelt words of the
same documents and the glossary (rapidfuzz, instant: the author who wrote
"perdanganan" wrote "perdagangan" elsewhere); Hunspell's own edit-based
suggestions; the nearest of the dictionary's stems. Hunspell's search costs
seconds per unknown word in pure Python, so look-ups and suggestions are kept
in a cache file keyed by the dictionary's checksum; a second run over the
same words does not even load the dictionary.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.document import Document, SourceFormat
from pipeline.fileio import write_atomic
from pipeline.glossary import Term
from pipeline.progress import Progress

DICTIONARY = Path("/usr/share/hunspell/id_ID")  # .dic and .aff from Debian's hunspell-id
MAX_SUGGESTIONS = 5
CLITIC = re.compile(r"(?:nya|lah|kah|pun)$")

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_NOT_PROSE = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"  # URLs
    r"|\S+@\S+\.\w+"  # e-mail addresses
    r"|`[^`]*`"  # inline code
    r"|<[^>]*>"  # HTML tags
    r"|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?"  # HTML character references
    r"|\]\([^)]*\)"  # Markdown link targets
    r"|“[^”]*”|\"[^\"\n]*\"|«[^»]*»",  # quotations
    re.IGNORECASE,
)
_SENTENCE_END = ".!?…"
# Skipped between a sentence end and the next word: space, quotes, brackets, Markdown markers.
_OPENERS_AND_MARKUP = " \t\n\"'”’)]»(“‘«>#*_"


@dataclass(frozen=True)
class Typo:
    path: str
    line: int
    column: int  # 1-based
    word: str
    suggestions: tuple[str, ...] = ()

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    def to_dict(self) -> dict:
        return {
            "location": self.location,
            "column": self.column,
            "word": self.word,
            "suggestions": list(self.suggestions),
        }


class Speller:
    """A Hunspell dictionary behind a cache of look-ups and suggestions (optionally a file).

    The dictionary is loaded only when a word is not in the cache, so a second
    run over unchanged sources does not load it at all.
    """

    def __init__(
        self,
        dictionary: Path = DICTIONARY,
        *,
        accepted: Iterable[str] = (),
        cache_path: Path | None = None,
    ):
        self._path = Path(dictionary)
        self._checksum = _checksum(self._path)
        self._accepted = {word.lower() for word in accepted}
        self._cache_path = cache_path
        self._lookups, self._suggestions = self._read_cache()
        self._cache_changed = False
        self._loaded = None
        self._stems: list[str] | None = None

    def known(self, word: str) -> bool:
        """In the project's word list, in the dictionary, or a known word plus a clitic."""
        if word.lower() in self._accepted or self._lookup(word):
            return True
        # hunspell-id lists few forms with the clitics -nya, -lah, -kah, -pun,
        # which attach to almost any word ("maritimnya").
        stem = CLITIC.sub("", word)
        return stem != word and len(stem) > 2 and (stem.lower() in self._accepted or self._lookup(stem))

    def suggest(self, word: str, vocabulary: Iterable[str] = ()) -> tuple[str, ...]:
        """The nearest words of the documents; else Hunspell's suggestions; else the nearest stems.

        A word the author spelt right elsewhere is the likeliest intent, and
        finding it is instant, where Hunspell's search takes seconds.
        """
        found = _nearest(word, sorted(set(vocabulary))) or self._dictionary_suggestions(word)
        ordered = [s for s in dict.fromkeys(found) if s != word]
        return tuple(ordered[:MAX_SUGGESTIONS])

    def save_cache(self) -> None:
        if self._cache_path is not None and self._cache_changed:
            data = {
                "dictionary": self._checksum,
                "lookups": dict(sorted(self._lookups.items())),
                "suggestions": dict(sorted(self._suggestions.items())),
            }
            write_atomic(self._cache_path, json.dumps(data, ensure_ascii=False, indent=0) + "\n")
            self._cache_changed = False

    def _lookup(self, word: str) -> bool:
        if word not in self._lookups:
            self._lookups[word] = bool(self._dictionary().lookup(word))
            self._cache_changed = True
        return self._lookups[word]

    def _dictionary_suggestions(self, word: str) -> list[str]:
        """Hunspell's suggestions, else the nearest stems: cached either way,
        so a warm cache never loads the dictionary."""
        if word not in self._suggestions:
            found = list(self._dictionary().suggest(word)) or _nearest(word, self._stem_list())
            self._suggestions[word] = found
            self._cache_changed = True
        return self._suggestions[word]

    def _dictionary(self):
        if self._loaded is None:
            from spylls.hunspell import Dictionary

            loaded = Dictionary.from_files(str(self._path))
            # Hunspell's n-gram pass scans every stem in pure Python (up to
            # ~15 s a word); the rapidfuzz search over the stems replaces it.
            loaded.aff.MAXNGRAMSUGS = 0
            self._loaded = loaded
        return self._loaded

    def _stem_list(self) -> list[str]:
        if self._stems is None:
            words = self._dictionary().dic.words
            self._stems = sorted({w.stem for w in words if not w.stem.startswith("-")})
        return self._stems

    def _read_cache(self) -> tuple[dict[str, bool], dict[str, list[str]]]:
        if self._cache_path is None or not Path(self._cache_path).is_file():
            return {}, {}
        try:
            data = json.loads(Path(self._cache_path).read_text(encoding="utf-8"))
            if data.get("dictionary") != self._checksum:
                return {}, {}
            lookups = {str(k): bool(v) for k, v in data["lookups"].items()}
            return lookups, {str(k): [str(s) for s in v] for k, v in data["suggestions"].items()}
        except (OSError, ValueError, KeyError, AttributeError, TypeError):
            return {}, {}  # a damaged cache is rebuilt, never an error


def load_word_list(path: Path) -> list[str]:
    """The project's accepted words: one per line, ``#`` comments; a missing file is empty."""
    path = Path(path)
    if not path.is_file():
        return []
    words = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [word for word in words if word]


def check_documents(
    documents: Sequence[Document],
    speller: Speller,
    glossary: Sequence[Term] = (),
    *,
    suggest: bool = True,
    progress: Progress | None = None,
) -> list[Typo]:
    """Probable typos in the translatable blocks of ``documents``, in source order.

    ``progress`` counts the distinct words looked up, then the unknown ones given
    suggestions: on a cold cache both take minutes for a long document."""
    keep_verbatim = [term.source for term in glossary if term.do_not_translate]
    candidates = [c for doc in documents for c in _candidate_words(doc, keep_verbatim)]
    distinct = list(dict.fromkeys(word for _, _, _, word in candidates))
    verdicts = {word: speller.known(word) for word in _counted(distinct, progress, "spell check: looking up")}
    vocabulary = [w.lower() for w, ok in verdicts.items() if ok]
    vocabulary += [w.lower() for term in glossary for w in _WORD.findall(term.source)]
    unknown = [w for w, ok in verdicts.items() if not ok] if suggest else []
    suggestions = {w: speller.suggest(w, vocabulary) for w in _counted(unknown, progress, "spell check: suggesting")}
    return [Typo(path, line, column, word, suggestions.get(word, ())) for path, line, column, word in candidates
            if not verdicts[word]]


def _counted(words: list[str], progress: Progress | None, label: str) -> Iterable[str]:
    if progress is None:
        return words
    progress.label = label
    return progress.over(words)


def _candidate_words(document: Document, keep_verbatim: Sequence[str]) -> Iterable[tuple[str, int, int, str]]:
    """(path, line, column, word) of every word worth looking up."""
    if document.format is SourceFormat.HTML and document.page is not None:
        yield from _page_words(document, keep_verbatim)
        return
    for block in document.translatable_blocks():
        text = _blank_out(block.raw, keep_verbatim)
        line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        for match in _WORD.finditer(text):
            word = match.group()
            if _is_name_or_acronym(word, text, match.start(), len(block.prefix)):
                continue
            line_index = _line_index(line_starts, match.start())
            yield document.path, block.start_line + line_index, match.start() - line_starts[line_index] + 1, word


_MARKUP = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)


def _page_words(document: Document, keep_verbatim: Sequence[str]) -> Iterable[tuple[str, int, int, str]]:
    """An HTML page: the words of each sentence and attribute a translator translates (tags,
    scripts, code and translate="no" text left out), each at its place in the page."""
    from bisect import bisect_right

    from pipeline.html_inline import prose_text

    page = document.page
    assert page is not None
    line_starts = [0] + [match.end() for match in re.finditer("\n", page.text)]
    for block in document.translatable_blocks():
        attribute = page.attributes.get(block.number)
        for index, segment in enumerate(block.segments):
            text = _blank_out(prose_text(segment.text), keep_verbatim)
            if attribute is not None:
                start, end, markup = attribute.start, attribute.end, []
            else:
                span = page.sentences[(block.number, index)]
                start, end, markup = span.start, span.end, [(i.start, i.end) for i in span.inlines]
            where = _words_only(page.text, start, end, markup)
            cursor = 0
            for match in _WORD.finditer(text):
                word = match.group()
                if _is_name_or_acronym(word, text, match.start(), 0):
                    continue
                found = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)").search(where, cursor)
                if found:  # else it is written with character references: the sentence's start is said
                    cursor = found.end()
                offset = start + (found.start() if found else 0)
                line = bisect_right(line_starts, offset)
                yield document.path, line, offset - line_starts[line - 1] + 1, word


def _words_only(text: str, start: int, end: int, markup: list[tuple[int, int]]) -> str:
    """``text[start:end]`` with its tags, comments and the ranges in ``markup`` as spaces."""
    chars = list(_MARKUP.sub(lambda m: " " * len(m.group()), text[start:end]))
    for low, high in markup:
        for i in range(max(low, start) - start, min(high, end) - start):
            chars[i] = " "
    return "".join(chars)


def _blank_out(text: str, keep_verbatim: Sequence[str]) -> str:
    """Replace what is not Indonesian prose with spaces, keeping every offset."""
    spans = [m.span() for m in _NOT_PROSE.finditer(text)]
    for term in keep_verbatim:
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in term.split()) + r"(?!\w)"
        spans += [m.span() for m in re.finditer(pattern, text)]
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _is_name_or_acronym(word: str, text: str, start: int, prefix_length: int) -> bool:
    if word.isupper() and len(word) > 1:
        return True
    if not word[0].isupper():
        return False
    if any(ch.isupper() for ch in word[1:].replace("-", "")) and not word.isupper():
        return True  # camelCase or "Masing-Masing"-style names
    return not _starts_sentence(text, start, prefix_length)


def _starts_sentence(text: str, start: int, prefix_length: int) -> bool:
    before = text[prefix_length:start].rstrip(_OPENERS_AND_MARKUP)
    return not before or before[-1] in _SENTENCE_END


def _line_index(line_starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(line_starts, offset) - 1


def _nearest(word: str, candidates: Sequence[str]) -> list[str]:
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    if not candidates:
        return []
    lowered = word.lower()
    limit = 1 if len(word) <= 5 else 2 if len(word) <= 10 else 3
    matches = process.extract(lowered, candidates, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=3)
    best = sorted(matches, key=lambda m: (m[1], m[2]))
    return [_same_case(m[0], word) for m in best]


def _same_case(suggestion: str, word: str) -> str:
    return suggestion[:1].upper() + suggestion[1:] if word[:1].isupper() else suggestion


def _checksum(dictionary: Path) -> str:
    digest = hashlib.sha256()
    for suffix in (".aff", ".dic"):
        digest.update(Path(str(dictionary) + suffix).read_bytes())
    return digest.hexdigest()[:16]
