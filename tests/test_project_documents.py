"""Which files in source/ are documents, and two documents sharing one catalog.

Only .txt, .md and .markdown files are documents; anything else (an editor's
``.orig``, a ``.docx`` dropped beside the text) is skipped without a word.
Two documents with one stem would share ``locales/<stem>.pot`` and ``.po``:
every command refuses them (exit 3) before it writes anything.
"""

from __future__ import annotations

import pytest

from pipeline.catalog import load_catalog, save_catalog
from pipeline.errors import InputError
from pipeline.project import Project
from tests.reliability import run_cli, snapshot

DOMAIN = "bali-process"
CLASH = (
    "error: source/bali-process.txt: same domain as source/bali-process.md "
    "(both would use locales/bali-process.pot); rename one\n"
)


def test_stray_files_in_source_are_not_documents(project):
    seed = project / "source" / f"{DOMAIN}.txt"
    (project / "source" / f"{DOMAIN}.txt.orig").write_bytes(seed.read_bytes())
    (project / "source" / "notes.docx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")
    (project / "source" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (project / "source" / "gambar").mkdir()  # a folder without a suffix
    assert Project(project).documents() == [seed]
    for command in ("extract", "update"):
        code, err = run_cli(project, command)
        assert code == 0, err
        assert "orig" not in err and "docx" not in err and "DS_Store" not in err, err  # silently skipped
    written = {p.relative_to(project / "locales").as_posix() for p in (project / "locales").rglob("*.po*")
               if not p.name.startswith(".")}  # the catalogs' lock files
    assert written == {f"{DOMAIN}.pot", f"en/LC_MESSAGES/{DOMAIN}.po"}


@pytest.fixture
def clash(project):
    """The seed extracted, merged and fully reviewed, then a Markdown document with its stem."""
    for command in ("extract", "update"):
        code, err = run_cli(project, command)
        assert code == 0, err
    po_path = Project(project).po_path(DOMAIN)
    catalog = load_catalog(po_path)
    for unit in catalog.units():  # reviewed work is what a clash would lose; also nothing left to translate
        unit.set_translation(f"Reviewed: {unit.msgid}", reviewed=True)
    save_catalog(catalog, po_path)
    (project / "source" / f"{DOMAIN}.md").write_text("# Judul lain\n\nKalimat yang lain sama sekali.\n",
                                                      encoding="utf-8")
    return project


@pytest.mark.parametrize(
    "command",
    [
        ("extract",), ("extract", DOMAIN), ("update",), ("update", "--purge"), ("translate",), ("english",),
        ("check", "--no-spellcheck"), ("stats",), ("bilingual",), ("tmx",), ("xliff", "export"),
    ],
    ids=" ".join,
)
def test_two_documents_with_one_stem_are_refused_before_any_write(clash, command):
    before = snapshot(clash)
    code, err = run_cli(clash, *command)
    assert (code, err) == (3, CLASH)
    assert snapshot(clash) == before


def test_documents_named_on_the_command_line_may_not_share_a_stem(project):
    other = project / "elsewhere" / f"{DOMAIN}.md"
    other.parent.mkdir()
    other.write_text("Kalimat lain.\n", encoding="utf-8")
    code, err = run_cli(project, "extract", str(project / "source" / f"{DOMAIN}.txt"), str(other))
    assert code == 3 and "same domain as source/bali-process.txt" in err and "elsewhere/bali-process.md" in err, err
    assert not list((project / "locales").glob("*.pot"))


def test_naming_one_document_twice_is_no_clash(project):
    code, err = run_cli(project, "extract", DOMAIN, str(project / "source" / f"{DOMAIN}.txt"))
    assert code == 0, err


def test_stems_differing_only_in_case_clash(project):
    """On macOS and Windows, Bali-Process.pot and bali-process.pot are one file."""
    (project / "source" / "Bali-Process.md").write_text("Kalimat lain.\n", encoding="utf-8")
    with pytest.raises(InputError, match="same domain as source/Bali-Process.md"):
        Project(project).documents()
