"""Translation memory across documents: exact matches filled by translate, close ones suggested."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.catalog import TM_PREFIX, Catalog, State, load_catalog, save_catalog
from pipeline.cli import main
from pipeline.memory import Memory, TranslationMemory
from pipeline.project import Project
from pipeline.review.web import create_app

SHARED = "Negara anggota bekerja sama dalam forum regional ini."


def make_document(root: Path, name: str, text: str) -> Path:
    (root / "source" / f"{name}.txt").write_text(text, encoding="utf-8")
    assert main(["extract", "--root", str(root), name]) == 0
    assert main(["update", "--root", str(root), name]) == 0
    return Project(root).po_path(name)


def translate_unit(po: Path, msgid: str, text: str, *, reviewed: bool, stamp: str | None = None) -> None:
    catalog = load_catalog(po)
    catalog.get(msgid).set_translation(text, reviewed=reviewed)
    save_catalog(catalog, po)
    if stamp:  # the revision date decides which of two equal memories is newer
        po.write_text(re.sub(r'"PO-Revision-Date: [^"]*"', f'"PO-Revision-Date: {stamp}\\\\n"',
                             po.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.fixture
def two_documents(project: Path, tiny_package: Path) -> Path:
    from pipeline.mt.models import ModelStore

    (project / "source" / "bali-process.txt").unlink()
    first = make_document(project, "laporan", f"{SHARED}\n\nLaporan ini selesai tahun lalu.\n")
    translate_unit(first, SHARED, "Member states cooperate in this regional forum.", reviewed=True)
    # the same sentence, wrapped differently, in another document
    make_document(project, "berita", "Berita hari ini.\n\nNegara anggota bekerja sama\ndalam forum regional ini.\n")
    ModelStore(project).install_file(tiny_package)
    return project


def test_translate_fills_an_exact_match_from_another_document_and_asks_mt_for_the_rest(two_documents, capsys):
    root = two_documents
    assert main(["translate", "--root", str(root), "berita"]) == 0
    err = capsys.readouterr().err
    assert "locales/en/LC_MESSAGES/berita.po: 1 unit from the translation memory" in err
    assert "1 drafted" in err  # only the other sentence went to the model
    catalog = load_catalog(Project(root).po_path("berita"))
    filled = catalog.get(SHARED)
    assert (filled.state, filled.msgstr) == (State.TRANSLATED, "Member states cooperate in this regional forum.")
    assert f"{TM_PREFIX}laporan (reviewed there)" in filled.translator_comment and filled.mt is None
    assert catalog.get("Berita hari ini.").state is State.MT_DRAFT
    assert main(["translate", "--root", str(root), "berita"]) == 0  # a person's work now: nothing changes
    assert load_catalog(Project(root).po_path("berita")).get(SHARED).msgstr == filled.msgstr


def test_translate_without_memory_drafts_every_sentence(two_documents, capsys):
    assert main(["translate", "--root", str(two_documents), "--no-memory", "berita"]) == 0
    assert load_catalog(Project(two_documents).po_path("berita")).get(SHARED).state is State.MT_DRAFT


def test_reviewed_beats_translated_and_the_newest_wins():
    memory = TranslationMemory([
        Memory(SHARED, "Old reviewed.", True, "2026-01-01 10:00", "a"),
        Memory(SHARED, "Newest but not reviewed.", False, "2026-11-01 10:00", "b"),
        Memory(" ".join(SHARED.split()[:3]) + "  " + " ".join(SHARED.split()[3:]), "Newer reviewed.", True,
               "2026-06-01 10:00", "c"),
    ])
    assert memory.exact(SHARED).target == "Newer reviewed."
    assert memory.exact(SHARED, not_from="c").target == "Old reviewed."  # never a unit's own document
    assert memory.exact("Kalimat lain.") is None


def test_close_sentences_are_suggested_with_their_similarity_best_first():
    memory = TranslationMemory([
        Memory(SHARED, "Member states cooperate in this regional forum.", True, "", "laporan"),
        Memory(SHARED.replace("regional", "internasional"), "… international forum.", False, "", "berita"),
        Memory("Kalimat yang sama sekali berbeda tentang cuaca hari ini.", "Weather.", True, "", "cuaca"),
    ])
    query = SHARED.replace("ini", "itu")
    matches = memory.similar(query)
    assert [m.memory.origin for m in matches] == ["laporan", "berita"]
    assert all(m.score >= 75 for m in matches) and matches[0].score > matches[1].score
    assert [m.memory.origin for m in memory.similar(query, not_from="laporan")] == ["berita"]


def test_an_outside_memory_is_imported_and_used(two_documents, tmp_path, capsys):
    root = two_documents
    outside = Catalog.new("luar", language="en")
    outside.add("Laporan ini selesai tahun lalu.", msgstr="This report was finished last year.")
    from pipeline.exchange import export_tmx

    tmx = tmp_path / "luar.tmx"
    tmx.write_bytes(export_tmx(outside))
    assert main(["tm", "import", str(tmx), "--root", str(root)]) == 0
    assert "locales/tm/luar.tmx: 1 pair (1 reviewed)" in capsys.readouterr().err
    assert (root / "locales" / "tm" / "luar.tmx").read_bytes() == tmx.read_bytes()
    assert main(["translate", "--root", str(root), "laporan"]) == 0
    unit = load_catalog(Project(root).po_path("laporan")).get("Laporan ini selesai tahun lalu.")
    assert unit.msgstr == "This report was finished last year." and f"{TM_PREFIX}luar.tmx" in unit.translator_comment


@pytest.mark.parametrize("content, message", [
    (b"<tmx><body><tu><tuv", r"luar\.tmx:1: not readable XML"),
    (b"<html><body/></html>", r"luar\.tmx:1: not a TMX document"),
    (b'<tmx version="1.4"><header/><body><tu><tuv xml:lang="fr"><seg>Bonjour</seg></tuv>'
     b'<tuv xml:lang="en"><seg>Hello</seg></tuv></tu></body></tmx>',
     r"luar\.tmx: no translation unit with both an Indonesian and an en variant"),
])
def test_a_bad_tmx_is_refused_with_one_line_and_nothing_kept(project, tmp_path, capsys, content, message):
    tmx = tmp_path / "luar.tmx"
    tmx.write_bytes(content)
    assert main(["tm", "import", str(tmx), "--root", str(project)]) == 3
    assert re.search(message, capsys.readouterr().err)
    assert not (project / "locales" / "tm").exists()


def test_the_review_page_shows_close_matches_with_score_origin_and_diff(two_documents):
    root = two_documents
    po = make_document(root, "catatan", "Negara anggota bekerja sama dalam forum regional itu.\n")
    app = create_app(Project(root))
    app.testing = True
    html = app.test_client().get("/doc/catatan").get_data(as_text=True)
    assert "Translation memory · 96% alike · laporan" in " ".join(html.split())
    assert "<del>ini.</del> <ins>itu.</ins>" in html
    assert "Member states cooperate in this regional forum." in html and "data-use-match" in html
    assert load_catalog(po).units()[0].state is State.UNTRANSLATED  # a suggestion writes nothing


def test_a_close_match_is_taken_into_the_field_in_chromium(two_documents, browser):
    import threading

    from werkzeug.serving import make_server

    root = two_documents
    make_document(root, "catatan", "Negara anggota bekerja sama dalam forum regional itu.\n")
    httpd = make_server("127.0.0.1", 0, create_app(Project(root)), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{httpd.port}/doc/catatan")
        card = page.locator("[data-unit]").first
        card.locator("[data-use-match]").click()
        assert card.locator("textarea").input_value() == "Member states cooperate in this regional forum."
        assert "dirty" in card.get_attribute("class")  # taken, not saved until the reviewer says so
        page.close()
    finally:
        httpd.shutdown()
        thread.join()
