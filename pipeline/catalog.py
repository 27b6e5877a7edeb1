"""Gettext catalogs: the only module that imports polib and babel.

Other stages see ``Catalog`` and ``Unit`` and the five translation states of
the design notes. Reading is strict (a reviewer-edited file with a broken
string, a duplicate msgid or a foreign charset is refused with its line);
writing is deterministic and atomic.

How the states are stored, so that any gettext tool keeps them:

    untranslated   empty msgstr
    MT draft       ``#, fuzzy`` plus translator comments
                   ``# mt: engine=argos model=translate-id_en version=1.0 score=-0.52``
                   (score: the engine's mean log-probability per token)
                   ``# mt-raw: <the engine's output, before any edit>``
                   and a msgstr that is still exactly that output
    needs update   ``#, fuzzy`` with ``#| msgid`` (the source changed; also as
                   ``# | msgid``, the comment babel turns it into)
    translated     ``#, fuzzy`` without ``#| msgid``: a person's translation,
                   not approved yet (Poedit's "needs work", an XLIFF target in
                   state "translated"), including an MT draft a person changed
                   ("post-edited": the MT mark stays as history, never as the
                   author)
    reviewed       msgstr filled, not fuzzy (an MT mark may remain: it keeps
                   the raw output for post-edit statistics)

So a unit's state is its provenance: only unchanged engine output is an MT
draft, and every output (English, bilingual, TMX, XLIFF, stats, the review
page) reads it from ``Unit.state``.

The pipeline's stages also write notes of their own as translator comments
(``# mt-suggestion: ...``, ``# mt-mask-lost: ...``). They advise; they are
not part of the translation, so a unit's ``version`` leaves them out.

Translator comments and flags survive msgmerge, msgcat, msgfmt and a polib
or babel round trip, which extracted comments (``#.``) would not.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

import polib
from babel import Locale
from babel.messages.plurals import get_plural

from pipeline.errors import CatalogError
from pipeline.fileio import write_atomic

WRAP_WIDTH = 79  # GNU gettext's width (polib breaks lines a little differently: msgcat may rewrap long strings)
FUZZY = "fuzzy"
MT_PREFIX = "mt: "
RAW_PREFIX = "mt-raw: "
# The narrowest width polib (78 with "# ") and babel (76 after "# ") wrap comment text at.
COMMENT_WRAP_WIDTH = 76
# babel reads ``#| msgid`` as a translator comment and writes it back as ``# | msgid``:
# the previous msgid is still there to say the source changed.
_BABEL_PREVIOUS = re.compile(r"^\| msg(?:ctxt|id) ", re.MULTILINE)
POT_STAMP = "POT-Creation-Date"
PO_STAMP = "PO-Revision-Date"


SUGGESTION_PREFIX = "mt-suggestion: "  # a fresh draft beside a translation whose source changed
MASK_LOST_PREFIX = "mt-mask-lost: "  # spans the engine lost, appended to the draft
STAGE_NOTE_PREFIXES = (SUGGESTION_PREFIX, MASK_LOST_PREFIX)
TM_PREFIX = "tm: "  # a translation memory filled the unit: from where, how sure, fill=<digest of its text>


class State(StrEnum):
    UNTRANSLATED = "untranslated"
    MT_DRAFT = "mt-draft"
    NEEDS_UPDATE = "needs-update"
    TRANSLATED = "translated"
    REVIEWED = "reviewed"

    @property
    def has_translation(self) -> bool:
        """A translation of the current sentence exists: the English shows it and QA checks it."""
        return self in _WITH_TRANSLATION

    @property
    def human(self) -> bool:
        """A person wrote, changed or approved the translation."""
        return self in _HUMAN


_WITH_TRANSLATION = frozenset({State.REVIEWED, State.TRANSLATED, State.MT_DRAFT})
_HUMAN = frozenset({State.REVIEWED, State.TRANSLATED, State.NEEDS_UPDATE})


@dataclass(frozen=True)
class MTMark:
    """Provenance of a machine draft: which engine and model wrote it."""

    engine: str
    model: str
    version: str
    raw: str  # the engine's output, kept to measure reviewers' post-edits
    score: float | None = None  # the engine's mean log-probability per token, when it gives one
    # The sentence the draft translates (8 hex digits of its unit's id), stamped by set_mt_draft:
    # a tool that carries a fuzzy entry to another sentence (msgmerge) cannot pass it off as current.
    source: str | None = field(default=None, compare=False)

    @property
    def identity(self) -> str:
        return f"{self.engine}/{self.model}/{self.version}"

    def comment_lines(self) -> list[str]:
        fields = f"engine={self.engine} model={self.model} version={self.version}"
        if self.score is not None:
            fields += f" score={self.score:.2f}"
        if self.source is not None:
            fields += f" src={self.source}"
        return [MT_PREFIX + fields, RAW_PREFIX + _escape_line(self.raw)]


class _Entry(polib.POEntry):
    """A polib entry whose translator comments are written as they are.

    polib wraps long comment lines at the wrap width (textwrap, collapsing
    spaces), which would cut an ``# mt-raw:`` line in two and damage
    reviewers' notes; GNU gettext never rewraps comments either.
    """

    def __unicode__(self, wrapwidth: int = WRAP_WIDTH) -> str:
        comment: str = self.tcomment  # type: ignore[has-type]  # polib sets it untyped in __init__
        self.tcomment = ""
        try:
            body = super().__unicode__(wrapwidth)
        finally:
            self.tcomment = comment
        if not comment:
            return body
        return "\n".join(f"# {line}" for line in comment.split("\n")) + "\n" + body


class Unit:
    """One catalog entry, seen through the pipeline's states."""

    def __init__(self, entry: polib.POEntry):
        self._entry = entry

    # -- identity and context -------------------------------------------------
    @property
    def msgid(self) -> str:
        return self._entry.msgid

    @property
    def msgctxt(self) -> str | None:
        return self._entry.msgctxt

    @property
    def key(self) -> tuple[str | None, str]:
        return (self._entry.msgctxt, self._entry.msgid)

    @property
    def msgstr(self) -> str:
        return self._entry.msgstr

    @property
    def uid(self) -> str:
        """The unit's one id (review page URLs, XLIFF and TMX ids): "u" and a hash of
        msgctxt and msgid, so it survives edits and merges and is an XML NCName."""
        key = self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"
        return "u" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    @property
    def version(self) -> str:
        """A hash of everything a person's edit would change or rely on: the translation,
        flags, previous source, the person's own comment lines and the MT mark. The
        stages' notes (``STAGE_NOTE_PREFIXES``) are left out: a fresh ``# mt-suggestion``
        changes no translation, so it must not make an open edit or export stale."""
        mark = self.mt
        notes = [ln for ln in _human_comment_lines(self._entry.tcomment) if not ln.startswith(STAGE_NOTE_PREFIXES)]
        parts = [
            self.msgstr,
            " ".join(sorted(self.flags)),
            self.previous_msgid if self.previous_msgid is not None else "\x00",
            "\n".join(notes),
            f"{mark.identity}\x00{mark.raw}" if mark else "\x00",
        ]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]

    @property
    def locations(self) -> list[tuple[str, int]]:
        """(path, line) of each ``#:`` reference; line 0 when it has none, as
        ``msgcat --add-location=file`` and some editors write them."""
        return [(path, int(line) if line.isdecimal() else 0) for path, line in _rejoined(self._entry.occurrences)]

    @property
    def comment(self) -> str:
        """The extracted comment (``#.``): which block the sentence is in."""
        return self._entry.comment

    @property
    def previous_msgid(self) -> str | None:
        return self._entry.previous_msgid

    @property
    def flags(self) -> list[str]:
        return list(self._entry.flags)

    @property
    def obsolete(self) -> bool:
        return bool(self._entry.obsolete)

    @property
    def line(self) -> int | None:
        """Line of the entry in the file it was loaded from."""
        return self._entry.linenum

    @property
    def translator_comment(self) -> str:
        """The reviewer's own ``#`` comments, without the MT mark lines."""
        return "\n".join(_human_comment_lines(self._entry.tcomment))

    # -- state ----------------------------------------------------------------
    @property
    def fuzzy(self) -> bool:
        return FUZZY in self._entry.flags

    @property
    def mt(self) -> MTMark | None:
        return _parse_mark(self._entry.tcomment)

    @property
    def state(self) -> State:
        """The unit's state, which is also its provenance (see the module notes)."""
        if not self._entry.msgstr:
            return State.UNTRANSLATED
        if not self.fuzzy:
            return State.REVIEWED
        if self._entry.previous_msgid is not None or _BABEL_PREVIOUS.search(self._entry.tcomment):
            return State.NEEDS_UPDATE
        mark = self.mt
        if mark is not None and mark.source not in (None, self._source_fingerprint):
            # Carried here from another sentence by a tool (msgmerge keeps a fuzzy entry as it is):
            # a machine draft of that sentence is no draft of this one; a person's text needs update.
            return State.UNTRANSLATED if mark.raw == self._entry.msgstr else State.NEEDS_UPDATE
        if mark is not None and mark.raw == self._entry.msgstr:
            return State.MT_DRAFT
        return State.TRANSLATED

    @property
    def has_human_work(self) -> bool:
        """A person wrote, changed or approved the translation: no stage may overwrite it."""
        return self.state.human

    @property
    def post_edited(self) -> bool:
        """A person's translation made by changing an MT draft (the mark keeps the raw output)."""
        mark = self.mt
        return mark is not None and self.state.human and self._entry.msgstr != mark.raw

    @property
    def from_memory(self) -> bool:
        """The unit holds, unchanged, the text a translation memory filled in (its ``# tm:``
        line's ``fill=`` digest is the msgstr's): no person's work of this catalog, so no
        memory for others, and a better match may replace it. Once a person edits the text
        the line stays as a record of where it started, as ``# mt-raw:`` does for MT."""
        note = self.stage_note(TM_PREFIX)
        found = re.search(r" fill=([0-9a-f]{8})$", note or "")
        return found is not None and bool(self._entry.msgstr) and found.group(1) == _text_digest(self._entry.msgstr)

    def stage_note(self, prefix: str) -> str | None:
        """The text of a stage's note line (``SUGGESTION_PREFIX``...), or None."""
        for line in _human_comment_lines(self._entry.tcomment):
            if line.startswith(prefix):
                return _unescape_line(line[len(prefix):])
        return None

    # -- changes ----------------------------------------------------------------
    @property
    def _source_fingerprint(self) -> str:
        return self.uid[1:9]

    def set_mt_draft(self, text: str, mark: MTMark) -> None:
        """Fill the unit with a machine draft (callers check it holds no human work)."""
        mark = replace(mark, source=self._source_fingerprint)
        entry = self._entry
        entry.msgstr = text
        entry.previous_msgid = None
        entry.previous_msgctxt = None
        _set_flag(entry, FUZZY, True)
        entry.tcomment = "\n".join(_human_comment_lines(entry.tcomment) + mark.comment_lines())

    def set_translation(self, text: str, *, reviewed: bool) -> None:
        """A person's translation; ``reviewed`` clears fuzzy, the stale source and the
        stages' notes (a suggestion or a lost span is settled once a person approves)."""
        entry = self._entry
        entry.msgstr = text
        _set_flag(entry, FUZZY, not reviewed or not text)
        if reviewed:
            entry.previous_msgid = None
            entry.previous_msgctxt = None
            for prefix in STAGE_NOTE_PREFIXES:
                self.set_stage_note(prefix, None)

    def set_memory_fill(self, text: str, where: str) -> None:
        """A person's translation of the same sentence from elsewhere: translated, not
        reviewed, with ``# tm: <where> fill=<digest>``; any machine draft and stage note go."""
        self.clear()
        for prefix in STAGE_NOTE_PREFIXES:
            self.set_stage_note(prefix, None)
        self._entry.msgstr = text
        _set_flag(self._entry, FUZZY, True)
        self.set_stage_note(TM_PREFIX, f"{where} fill={_text_digest(text)}")

    def clear(self) -> None:
        """Back to untranslated (used to drop a stale machine draft)."""
        entry = self._entry
        entry.msgstr = ""
        entry.previous_msgid = None
        entry.previous_msgctxt = None
        _set_flag(entry, FUZZY, False)
        entry.tcomment = "\n".join(_human_comment_lines(entry.tcomment))

    def set_flag(self, flag: str, present: bool) -> None:
        _set_flag(self._entry, flag, present)

    def set_stage_note(self, prefix: str, text: str | None) -> None:
        """Replace (or with None remove) a stage's note line; the person's own lines stay as they are."""
        lines = [line for line in _lines(self.translator_comment) if not line.startswith(prefix)]
        if text is not None:
            lines.append(prefix + _escape_line(text))
        self.set_translator_comment("\n".join(lines))

    def set_translator_comment(self, text: str) -> None:
        mark_lines = _comment_parts(self._entry.tcomment)[1]
        human = [ln for ln in _lines(text.replace("\r\n", "\n")) if not _is_mark_line(ln)]
        self._entry.tcomment = "\n".join(human + mark_lines)

    # -- carrying work between copies of one catalog ----------------------------
    @property
    def snapshot(self) -> tuple:
        """Everything a stage or a person may change in the unit, exactly: two copies of a
        catalog agree on a unit when their snapshots are equal."""
        entry = self._entry
        return (entry.msgstr, tuple(entry.flags), entry.tcomment, entry.previous_msgid, entry.previous_msgctxt)

    def adopt(self, other: Unit) -> None:
        """Take ``other``'s translation, flags, notes and previous source (same msgid, another copy)."""
        mine, theirs = self._entry, other._entry
        mine.msgstr, mine.flags, mine.tcomment = theirs.msgstr, list(theirs.flags), theirs.tcomment
        mine.previous_msgid, mine.previous_msgctxt = theirs.previous_msgid, theirs.previous_msgctxt

    def __repr__(self) -> str:
        return f"Unit({self.msgid!r}, state={self.state})"


class Catalog:
    """A .pot or .po file in memory, its entries in file order."""

    def __init__(self, po: polib.POFile, path: str | None = None):
        for entry in po:
            entry.__class__ = _Entry  # same fields; only the writing differs
        self._po = po
        self.path = path
        self._index: dict[tuple[str | None, str], polib.POEntry] | None = None

    @classmethod
    def new(cls, domain: str, *, language: str | None) -> Catalog:
        """An empty template (``language=None``) or translation catalog."""
        po = polib.POFile(wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
        po.header = _header_comment(domain, language)
        po.metadata = _metadata(domain, language)
        return cls(po)

    # -- reading ----------------------------------------------------------------
    @property
    def language(self) -> str | None:
        return self._po.metadata.get("Language") or None

    @property
    def metadata(self) -> dict[str, str]:
        return dict(self._po.metadata)

    def set_metadata(self, name: str, value: str) -> None:
        self._po.metadata[name] = value

    @property
    def header_comment(self) -> str:
        """The comment lines above the header entry (translators' credits, licence...)."""
        return self._po.header

    @header_comment.setter
    def header_comment(self, text: str) -> None:
        self._po.header = text

    def units(self) -> list[Unit]:
        return [Unit(e) for e in self._po if not e.obsolete]

    def obsolete_units(self) -> list[Unit]:
        return [Unit(e) for e in self._po if e.obsolete]

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units())

    def __len__(self) -> int:
        return sum(1 for e in self._po if not e.obsolete)

    def get(self, msgid: str, msgctxt: str | None = None) -> Unit | None:
        entry = self._entries_by_key().get((msgctxt, msgid))
        return Unit(entry) if entry is not None else None

    # -- building ---------------------------------------------------------------
    def add(
        self,
        msgid: str,
        *,
        msgctxt: str | None = None,
        locations: Sequence[tuple[str, int]] = (),
        comment: str = "",
        msgstr: str = "",
        flags: Sequence[str] = (),
        translator_comment: str = "",
        previous_msgid: str | None = None,
        obsolete: bool = False,
    ) -> Unit:
        entry = _Entry(
            msgid=msgid,
            msgctxt=msgctxt,
            msgstr=msgstr,
            occurrences=[(_isolated(path), str(line) if line else "") for path, line in locations],
            comment=comment,
            tcomment=translator_comment,
            flags=list(flags),
            previous_msgid=previous_msgid,
            obsolete=obsolete,
        )
        self._po.append(entry)
        if self._index is not None and not obsolete:
            self._index[(msgctxt, msgid)] = entry
        return Unit(entry)

    def copy_unit(self, unit: Unit, **changes) -> Unit:
        """Add a copy of ``unit`` (from any catalog), with some fields changed."""
        entry = unit._entry
        fields = dict(
            msgctxt=entry.msgctxt,
            locations=unit.locations,
            comment=entry.comment,
            msgstr=entry.msgstr,
            flags=list(entry.flags),
            translator_comment=entry.tcomment,
            previous_msgid=entry.previous_msgid,
            obsolete=bool(entry.obsolete),
        )
        fields.update(changes)
        return self.add(entry.msgid, **fields)

    def _entries_by_key(self) -> dict[tuple[str | None, str], polib.POEntry]:
        if self._index is None:
            self._index = {(e.msgctxt, e.msgid): e for e in self._po if not e.obsolete}
        return self._index

    # -- writing ----------------------------------------------------------------
    def to_text(self) -> str:
        return str(self._po)


# -- loading ------------------------------------------------------------------

_STRING = r'"(?:[^"\\]|\\.)*"'
_KEYWORD_LINE = re.compile(rf"^(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+{_STRING}\s*$")
_CONTINUATION = re.compile(rf"^{_STRING}\s*$")
_PREVIOUS_OR_OBSOLETE = re.compile(r"^#(?:~\s*\|?|\|)\s*")


def load_catalog(path: Path, *, display_path: str | None = None, language: str | None = None) -> Catalog:
    """Read a .po/.pot strictly; raise CatalogError naming the file and line.

    polib, like babel, accepts an unterminated string and silently cuts its
    last character, so every line is checked lexically before polib parses.
    """
    shown = display_path or str(path)
    text = _read_utf8(Path(path), shown).replace("\r\n", "\n")
    _check_lexically(text, shown)
    try:
        po = polib.pofile(_PoText(text), wrapwidth=WRAP_WIDTH, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise CatalogError(f"not a valid PO file: {exc}", shown, _line_in(str(exc))) from None
    _check_charset(po, text, shown)
    _check_entries(po, shown)
    if language is not None and po.metadata.get("Language") not in (language, None, ""):
        raise CatalogError(
            f"Language is {po.metadata.get('Language')!r}, expected {language!r}",
            shown,
            _header_line(text, "Language"),
        )
    return Catalog(po, shown)


class _PoText(str):
    """Catalog text that polib splits into lines at "\n" only, as GNU gettext does.

    polib splits text with str.splitlines(), which also breaks at U+2028,
    U+0085, form feeds and other characters that may sit inside a string
    (pasted from a web page or a PDF): it would then refuse a file it wrote.
    """

    def splitlines(self, keepends: bool = False) -> list[str]:
        return re.findall(r"[^\n]*\n|[^\n]+\Z", self) if keepends else _lines(self)


def _lines(text: str) -> list[str]:
    """Lines split at "\n" only (CRLF already made "\n"), as str.splitlines() counts them otherwise."""
    lines = str(text).split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _read_utf8(path: Path, shown: str) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("no such catalog", shown) from None
    except IsADirectoryError:
        raise CatalogError("is a directory, not a catalog", shown) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", shown) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError("not valid UTF-8 (catalogs must be UTF-8; convert with msgconv)", shown, line) from None


def _check_lexically(text: str, shown: str) -> None:
    for number, line in enumerate(_lines(text), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            match = _PREVIOUS_OR_OBSOLETE.match(stripped)
            if not match:
                continue  # an ordinary comment line
            stripped = stripped[match.end() :]
            if not stripped:
                continue
        if not (_KEYWORD_LINE.match(stripped) or _CONTINUATION.match(stripped)):
            raise CatalogError(f"syntax error: {_describe(stripped)}", shown, number)


def _describe(line: str) -> str:
    if line.count('"') % 2 == 1 or not line.rstrip().endswith('"'):
        return "unterminated string"
    return f"unexpected text {line[:40]!r}"


def _check_charset(po: polib.POFile, text: str, shown: str) -> None:
    content_type = po.metadata.get("Content-Type", "")
    match = re.search(r"charset=([\w.-]+)", content_type)
    if not match or match.group(1).upper().replace("_", "-") not in ("UTF-8", "UTF8"):
        found = match.group(1) if match else "missing"
        raise CatalogError(
            f"charset is {found}; the pipeline reads and writes UTF-8 catalogs "
            "(convert with msgconv --to-code=UTF-8)",
            shown,
            _header_line(text, "Content-Type"),
        )


def _check_entries(po: polib.POFile, shown: str) -> None:
    seen: set[tuple[str | None, str]] = set()
    for entry in po:
        if entry.msgid_plural:
            raise CatalogError("plural entries are not supported in document catalogs", shown, entry.linenum)
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            raise CatalogError(f"duplicate msgid {_short(entry.msgid)}", shown, entry.linenum)
        seen.add(key)


def _header_line(text: str, field: str) -> int | None:
    for number, line in enumerate(_lines(text), start=1):
        if line.startswith(f'"{field}:'):
            return number
    return None


def _line_in(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def _short(text: str, width: int = 50) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


# -- saving -------------------------------------------------------------------

def save_catalog(catalog: Catalog, path: Path, *, stamp: str = PO_STAMP, durable: bool = True) -> bool:
    """Write ``catalog`` atomically; return False (and write nothing) if unchanged.

    The ``stamp`` header field is set to now only when something else in the
    file changed, so re-running a stage changes no byte. SOURCE_DATE_EPOCH,
    when set, replaces "now" for reproducible builds. ``durable=False``
    skips the fsync, for files that can be rebuilt (templates).
    """
    path = Path(path)
    previous, old_digest = _previous_version(path, stamp)
    catalog.set_metadata(stamp, previous or now_stamp())
    data = catalog.to_text().encode("utf-8")
    if hashlib.sha256(data).digest() == old_digest:
        return False
    if previous:
        now = now_stamp()
        catalog.set_metadata(stamp, now)
        # the stamp is the only difference from the bytes just rendered
        data = _STAMP_LINE[stamp].sub(lambda _: f'"{stamp}: {now}\\n"'.encode(), data, count=1)
    write_atomic(path, data, durable=durable)
    return True


def _previous_version(path: Path, stamp: str) -> tuple[str | None, bytes | None]:
    """The file's ``stamp`` value and the SHA-256 of its bytes; (None, None) when there is no file.

    Only a digest is kept, not the text: a 100K-unit catalog's text is tens
    of megabytes, held while the new one is rendered.
    """
    if not path.is_file():
        return None, None
    old = path.read_bytes()
    found = _STAMP_LINE[stamp].search(old)
    previous = found.group(1).decode("utf-8", errors="replace") if found else None
    return previous, hashlib.sha256(old).digest()


_STAMP_LINE = {field: re.compile(rb'^"' + field.encode() + rb': ([^"\n]*)\\n"$', re.MULTILINE)
               for field in (POT_STAMP, PO_STAMP)}


def now_stamp() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else time.time()
    return time.strftime("%Y-%m-%d %H:%M+0000", time.gmtime(seconds))


# -- file names in references ---------------------------------------------------

# GNU gettext 0.22+ writes a file name holding spaces between these marks
# ("#: <U+2068>source/laporan tahunan.txt<U+2069>:3"); readers, polib included,
# split at spaces.
_FSI, _PDI = "\u2068", "\u2069"


_WHITESPACE = re.compile(r"\s")


def _isolated(path: str) -> str:
    return f"{_FSI}{path}{_PDI}" if _WHITESPACE.search(path) else path


def _rejoined(occurrences: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """polib's (path, line) pairs with isolated names put back together."""
    pieces: list[str] = []
    for path, line in occurrences:
        if pieces or path.startswith(_FSI):
            pieces.append(path)
            if _PDI not in path:
                continue  # the name goes on in the next piece (its line is empty)
            path, pieces = " ".join(pieces).strip(_FSI + _PDI), []
        yield path, line
    if pieces:  # an isolate never closed: keep what there is
        yield " ".join(pieces).strip(_FSI + _PDI), ""


# -- headers and comments -----------------------------------------------------

PROJECT = "id-en-pipeline"


def _header_comment(domain: str, language: str | None) -> str:
    if language is None:
        return f"Template for translations of the document '{domain}'.\nGenerated by {PROJECT}; do not edit."
    name = Locale.parse(language).english_name
    return f"{name} translation of the document '{domain}'.\nEdit msgstr lines; keep msgid lines as they are."


def _metadata(domain: str, language: str | None) -> dict[str, str]:
    metadata = {
        "Project-Id-Version": domain,
        "Report-Msgid-Bugs-To": "",
        POT_STAMP: now_stamp(),
    }
    if language is None:
        metadata[PO_STAMP] = "YEAR-MO-DA HO:MI+ZONE"
        metadata["Last-Translator"] = "FULL NAME <EMAIL@ADDRESS>"
        metadata["Language-Team"] = "LANGUAGE <LL@li.org>"
        metadata["Language"] = ""
    else:
        metadata[PO_STAMP] = now_stamp()
        metadata["Last-Translator"] = "Machine draft and reviewers <>"
        metadata["Language-Team"] = f"{Locale.parse(language).english_name} <>"
        metadata["Language"] = language
    metadata["MIME-Version"] = "1.0"
    metadata["Content-Type"] = "text/plain; charset=UTF-8"
    metadata["Content-Transfer-Encoding"] = "8bit"
    if language is not None:
        metadata["Plural-Forms"] = get_plural(language).plural_forms
    metadata["X-Generator"] = PROJECT
    return metadata


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _is_mark_line(line: str) -> bool:
    return line.startswith(MT_PREFIX) or line.startswith(RAW_PREFIX)


def _human_comment_lines(tcomment: str) -> list[str]:
    return _comment_parts(tcomment)[0]


def _comment_parts(tcomment: str) -> tuple[list[str], list[str]]:
    """(human lines, mark lines). A line after ``mt-raw:`` or a stage's note that
    is no mark of its own continues it: polib and babel wrap long comment lines
    when they, not this module, write a file."""
    human: list[str] = []
    marks: list[str] = []
    last = ""  # the previous physical line
    in_note = False  # the previous physical line belongs to a stage's note (human[-1])
    for line in _lines(tcomment):
        if _is_mark_line(line):
            marks.append(line)
            in_note = False
        elif in_note and _wrapped(last, line):
            human[-1] = _rejoin(human[-1], last, line)
        elif not in_note and marks and marks[-1].startswith(RAW_PREFIX) and _wrapped(last, line):
            marks[-1] = _rejoin(marks[-1], last, line)
        else:
            human.append(line)
            in_note = line.startswith(STAGE_NOTE_PREFIXES)
        last = line
    return human, marks


def _wrapped(above: str, line: str) -> bool:
    """Whether textwrap could have cut ``line`` from ``above``: only if the first
    word of ``line`` did not fit after it. A shorter line followed by more is
    a note of its own (a reviewer typing below the mark in Poedit), and so is
    anything after a line longer than the tools wrap at: this module writes
    marks and notes whole, so only a tool's rewrap leaves short pieces."""
    if len(above) > COMMENT_WRAP_WIDTH and " " in above:
        return False
    gap = 0 if _hyphen_break(above) else 1  # the space textwrap dropped
    return len(above) + gap + len(line.split(" ", 1)[0]) > COMMENT_WRAP_WIDTH


def _hyphen_break(text: str) -> bool:
    return re.search(r"\w-$", text) is not None


def _rejoin(head: str, above: str, tail: str) -> str:
    """Undo textwrap: it breaks at a space (dropped) or after a hyphen (kept)."""
    return head + tail if _hyphen_break(above) else f"{head} {tail}"


@functools.lru_cache(maxsize=4096)  # Unit.mt is read many times per unit
def _parse_mark(tcomment: str) -> MTMark | None:
    fields: dict[str, str] = {}
    raw = None
    for line in _comment_parts(tcomment)[1]:
        if line.startswith(MT_PREFIX):
            fields = dict(part.split("=", 1) for part in line[len(MT_PREFIX) :].split() if "=" in part)
        elif line.startswith(RAW_PREFIX):
            raw = _unescape_line(line[len(RAW_PREFIX) :])
    if not fields or raw is None:
        return None
    return MTMark(fields.get("engine", "?"), fields.get("model", "?"), fields.get("version", "?"), raw,
                  _float_or_none(fields.get("score")), fields.get("src"))


def _float_or_none(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None  # a hand-edited mark: the score is advice, the draft stays a draft


def _escape_line(text: str) -> str:
    """One comment line for any text: backslash escapes for \\, newlines and
    trailing spaces (gettext tools strip a comment line's trailing blanks)."""
    escaped = text.replace("\\", "\\\\").replace("\n", "\\n")
    body = escaped.rstrip(" ")
    return body + "\\s" * (len(escaped) - len(body))


_UNESCAPES = {"n": "\n", "s": " "}


def _unescape_line(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _UNESCAPES.get(m.group(1), m.group(1)), text)


def _set_flag(entry: polib.POEntry, flag: str, present: bool) -> None:
    if present and flag not in entry.flags:
        entry.flags.append(flag)
    elif not present and flag in entry.flags:
        entry.flags.remove(flag)
