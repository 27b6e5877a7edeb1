"""A scratch project whose catalog holds units in all five states (bilingual and exchange tests)."""

from __future__ import annotations

from pathlib import Path

from pipeline.catalog import MTMark, State, load_catalog, save_catalog
from pipeline.cli import main
from pipeline.reader import read_document

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "build" / "screenshots"
MARK = MTMark("argos", "translate-id_en", "1.9", "")
PAYLOAD = '<script>alert("msgstr")</script>'

# Every block kind the bilingual outputs shape differently, and a payload in the source.
SAMPLE = """# Judul Dokumen

Paragraf pertama. Kalimat kedua <script>alert("msgid")</script> di sini.

- Butir satu. Masih butir satu.
- Butir dua.

1. Nomor satu.

> Kutipan ini penting.

Teks dengan catatan.[1]

```
kode tidak diterjemahkan
```

[1] Catatan kaki pertama.
"""


def run(*args: str) -> int:
    return main(list(args))


def merge_catalogs(root: Path) -> None:
    assert run("extract", "--root", str(root)) == 0
    assert run("update", "--root", str(root)) == 0


def po_path(root: Path, domain: str) -> Path:
    return root / "locales" / "en" / "LC_MESSAGES" / f"{domain}.po"


def add_sample(root: Path, name: str = "contoh.md") -> Path:
    path = root / "source" / name
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def fill_states(po: Path) -> dict[str, State]:
    """Cycle the units through reviewed, MT draft, a person's translation (translated, not reviewed, and
    needs update, in turn) and untranslated; return msgid -> state.

    Reviewed translations carry a script payload, to check escaping.
    """
    catalog = load_catalog(po)
    for number, unit in enumerate(catalog.units()):
        kind = number % 4
        if kind == 0:
            unit.set_translation(f"Reviewed {number} {PAYLOAD} & co.", reviewed=True)
        elif kind == 1:
            text = f"Draft {number}."
            unit.set_mt_draft(text, MTMark(MARK.engine, MARK.model, MARK.version, text))
        elif kind == 2 and number % 8 == 2:
            unit.set_translation(f"Not reviewed {number}.", reviewed=False)  # saved, not approved
        elif kind == 2:
            unit.set_translation(f"Stale {number}.", reviewed=False)
            unit._entry.previous_msgid = f"Kalimat lama {number}."  # as update leaves a changed sentence
    save_catalog(catalog, po)
    return {unit.msgid: unit.state for unit in load_catalog(po).units()}


def prepared(root: Path, domain: str) -> dict[str, State]:
    """Catalogs merged for every document of ``root``; ``domain``'s filled in all five states."""
    merge_catalogs(root)
    return fill_states(po_path(root, domain))


def segment_count(root: Path, source: Path) -> int:
    document = read_document(source, display_path=source.relative_to(root).as_posix())
    return sum(len(block.segments) for block in document.translatable_blocks())


def edit_source(source: Path, old: str, new: str) -> None:
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")
