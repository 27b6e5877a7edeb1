"""The project glossary: terms with their agreed English, and terms never translated.

Stored as CSV in ``locales/glossary.csv`` (a format any spreadsheet and any
reviewer can edit) with the columns ``source,target,note,do_not_translate``.
Used by the MT stage (masking) and by QA (terms translated as agreed).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError

COLUMNS = ("source", "target", "note", "do_not_translate")
TRUE_WORDS = frozenset({"yes", "y", "true", "1", "x"})


@dataclass(frozen=True)
class Term:
    source: str  # Indonesian term, matched case-insensitively on word boundaries
    target: str  # the agreed English (equal to source when do_not_translate)
    note: str = ""
    do_not_translate: bool = False


def load_glossary(path: Path) -> list[Term]:
    """Read the glossary; a missing file is an empty glossary."""
    path = Path(path)
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not set(COLUMNS[:2]) <= set(reader.fieldnames):
            raise InputError(f"glossary header must be {','.join(COLUMNS)}", str(path), 1)
        return [_term(row, str(path), reader.line_num) for row in reader if any((v or "").strip() for v in row.values())]


def _term(row: dict[str, str], shown: str, line: int) -> Term:
    source = (row.get("source") or "").strip()
    keep = (row.get("do_not_translate") or "").strip().lower() in TRUE_WORDS
    target = (row.get("target") or "").strip() or (source if keep else "")
    if not source or not target:
        raise InputError("a glossary row needs a source term and a target (or do_not_translate=yes)", shown, line)
    return Term(source, target, (row.get("note") or "").strip(), keep)
