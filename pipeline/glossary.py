"""The project glossary: terms with their agreed English, and terms never translated.

Stored as CSV in ``locales/glossary.csv`` (a format any spreadsheet and any
reviewer can edit) with the columns ``source,target,note,do_not_translate``.
Used by the MT stage (masking) and by QA (terms translated as agreed).

Rules a row must follow, checked when the file is read (``file:line``):
a source term; a target, or ``do_not_translate`` set (the target is then the
source, and may be left empty); ``do_not_translate`` empty or one of
yes/no/true/false/y/n/1/0/x; each source term once (case-insensitive).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError
from pipeline.fileio import read_input

GLOSSARY_FILE = "glossary.csv"  # in locales/
COLUMNS = ("source", "target", "note", "do_not_translate")
TRUE_WORDS = frozenset({"yes", "y", "true", "1", "x"})
FALSE_WORDS = frozenset({"", "no", "n", "false", "0"})


@dataclass(frozen=True)
class Term:
    source: str  # Indonesian term, matched case-insensitively on word boundaries
    target: str  # the agreed English (equal to source when do_not_translate)
    note: str = ""
    do_not_translate: bool = False


def glossary_path(locales_dir: Path) -> Path:
    return Path(locales_dir) / GLOSSARY_FILE


def load_glossary(path: Path, shown: str | None = None) -> list[Term]:
    """Read the glossary (UTF-8, with or without the BOM a spreadsheet writes);
    a missing file is an empty glossary. ``shown``: the path errors name."""
    path = Path(path)
    if not path.is_file():
        return []
    shown = shown or str(path)
    data = read_input(path, shown)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError("not valid UTF-8: save the glossary as \"CSV UTF-8\"", shown, line) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None or not set(COLUMNS[:2]) <= set(reader.fieldnames):
        raise InputError(f"glossary header must be {','.join(COLUMNS)}", shown, 1)
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for row in reader:
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue
        term = _term(row, shown, reader.line_num)
        key = " ".join(term.source.lower().split())
        if key in seen:
            raise InputError(f"'{term.source}' is already on line {seen[key]}", shown, reader.line_num)
        seen[key] = reader.line_num
        terms.append(term)
    return terms


def _term(row: dict[str, str], shown: str, line: int) -> Term:
    source = (row.get("source") or "").strip()
    marker = (row.get("do_not_translate") or "").strip().lower()
    if marker not in TRUE_WORDS | FALSE_WORDS:
        raise InputError(f"do_not_translate must be yes or no, not {marker!r}", shown, line)
    keep = marker in TRUE_WORDS
    target = (row.get("target") or "").strip() or (source if keep else "")
    if not source or not target:
        raise InputError("a glossary row needs a source term and a target (or do_not_translate=yes)", shown, line)
    if keep and target != source:
        raise InputError(f"'{source}' is marked do_not_translate but has the target '{target}'", shown, line)
    return Term(source, target, (row.get("note") or "").strip(), keep)
