"""Markdown structure survives machine translation, end to end through `make english`.

A Markdown document with every inline construct goes through extract,
update, translate (the tiny copying model, then the model that can never
write a digit, which loses every placeholder) and english. Copied, every
construct reaches the English intact; lost, every span is put back and the
unit is flagged by `check`, never dropped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.catalog import MASK_LOST_PREFIX, load_catalog
from pipeline.cli import main
from pipeline.mt.models import ModelStore

DOC = "markdown-kopi"
SOURCE = """\
# Kopi Sulawesi

Lihat [situs koperasi](https://contoh.id/kopi "Koperasi") untuk **harga terbaru** dan *catatan* lain.

Pada 17 Agustus 2024 harganya Rp150.000 per kilogram.[^1] Ada juga laporan lama.[2]

Jalankan `giling --halus` lalu buka <https://contoh.id/panduan> atau tulis ke <info@contoh.id>.

![Logo koperasi kopi](gambar/logo.png) dipakai sejak __tahun lalu__.

[^1]: Harga di pasar Makassar.
"""
# Each construct's markup, whole, around whatever the model made of the words inside it.
CONSTRUCTS = {
    "link": r'\[[^\]]+\]\(https://contoh\.id/kopi "Koperasi"\)',
    "bold": r"\*\*[^*]+\*\*",
    "emphasis": r"(?<!\*)\*[^*]+\*(?!\*)",
    "footnote reference": r"\.\[\^1\]",
    "numbered reference": r"\.\[2\]",
    "inline code": r"`giling --halus`",
    "autolink": r"<https://contoh\.id/panduan>",
    "e-mail autolink": r"<info@contoh\.id>",
    "image": r"!\[[^\]]+\]\(gambar/logo\.png\)",
    "strong with underscores": r"__[^_]+__",
}
MARKUP = ["[", "](", "![", "**", "__", "`", "<", ">", "[^1]", "[2]", "*"]
ENGLISH_FORMS = {"17 Agustus 2024": "17 August 2024", "Rp150.000": "Rp150,000"}


@pytest.fixture
def markdown_project(project: Path) -> Path:
    (project / "source" / "bali-process.txt").unlink()
    (project / "source" / f"{DOC}.md").write_text(SOURCE, encoding="utf-8")
    assert main(["extract", "--root", str(project)]) == 0
    assert main(["update", "--root", str(project)]) == 0
    return project


def english(root: Path) -> str:
    assert main(["english", "--root", str(root)]) == 0
    return (root / "build" / "en" / f"{DOC}.md").read_text(encoding="utf-8")


def test_every_construct_reaches_the_english_intact(markdown_project, tiny_package):
    ModelStore(markdown_project).install_file(tiny_package)
    assert main(["translate", "--root", str(markdown_project)]) == 0
    text = english(markdown_project)
    for name, shape in CONSTRUCTS.items():
        assert re.search(shape, text), f"{name} lost: {text}"
    for indonesian, english_form in ENGLISH_FORMS.items():  # dates and amounts, whole
        assert english_form in text and indonesian not in text
    po = load_catalog(markdown_project / "locales" / "en" / "LC_MESSAGES" / f"{DOC}.po")
    assert all(unit.stage_note(MASK_LOST_PREFIX) is None for unit in po.units())


def test_spans_the_model_loses_are_put_back_and_flagged_never_dropped(markdown_project, mangling_package, capsys):
    ModelStore(markdown_project).install_file(mangling_package)  # loses every placeholder's digits
    assert main(["translate", "--root", str(markdown_project)]) == 0
    text = english(markdown_project)
    for token in MARKUP:  # every piece of markup is somewhere in the English, as often as in the source
        assert text.count(token) == SOURCE.count(token), f"{token!r}: {text}"
    for url in ("https://contoh.id/kopi", "https://contoh.id/panduan", "info@contoh.id", "gambar/logo.png"):
        assert url in text
    assert "17 August 2024" in text and "Rp150,000" in text
    capsys.readouterr()
    assert main(["check", "--root", str(markdown_project), "--no-spellcheck", "--json"]) == 0
    flagged = {f["msgid"] for f in json.loads(capsys.readouterr().out)["findings"] if f["check"] == "mt-mask-lost"}
    with_spans = [line for line in SOURCE.splitlines() if re.search(r"[\[\]*_`<]|\d", line) and line.strip()]
    assert len(flagged) >= len(with_spans) - 1  # the heading has no span
