"""Translation memory across documents: exact matches filled by translate, close ones suggested."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.catalog import SUGGESTION_PREFIX, TM_PREFIX, Catalog, MTMark, State, load_catalog, save_catalog
from pipeline.cli import main
from pipeline.memory import Memory, TranslationMemory, read_tmx
from pipeline.project import Project
from pipeline.review.web import create_app
from tests.conftest import review_server

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
    assert "locales/en/LC_MESSAGES/berita.po: 1 unit filled from the translation memory" in err
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
               "2026-06-01 10:00", "c", ("c", "u1")),
    ])
    assert memory.exact(SHARED).target == "Newer reviewed."
    assert memory.exact(SHARED, not_at=("c", "u1")).target == "Old reviewed."  # never the asking unit itself
    assert memory.exact("Kalimat lain.") is None


def test_close_sentences_are_suggested_with_their_similarity_best_first():
    memory = TranslationMemory([
        Memory(SHARED, "Member states cooperate in this regional forum.", True, "", "laporan", ("laporan", "u1")),
        Memory(SHARED.replace("regional", "internasional"), "… international forum.", False, "", "berita"),
        Memory("Kalimat yang sama sekali berbeda tentang cuaca hari ini.", "Weather.", True, "", "cuaca"),
    ])
    query = SHARED.replace("ini", "itu")
    matches = memory.similar(query)
    assert [m.memory.origin for m in matches] == ["laporan", "berita"]
    assert all(m.score >= 75 for m in matches) and matches[0].score > matches[1].score
    assert [m.memory.origin for m in memory.similar(query, not_at=("laporan", "u1"))] == ["berita"]


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
     r"luar\.tmx: no usable translation unit \(1 unit without an Indonesian and an English text\)"),
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
    root = two_documents
    make_document(root, "catatan", "Negara anggota bekerja sama dalam forum regional itu.\n")
    with review_server(root) as url:
        page = browser.new_page()
        page.goto(f"{url}/doc/catatan")
        card = page.locator("[data-unit]").first
        card.locator("[data-use-match]").click()
        assert card.locator("textarea").input_value() == "Member states cooperate in this regional forum."
        assert "dirty" in card.get_attribute("class")  # taken, not saved until the reviewer says so
        page.close()


# -- what is memory, and what a fill becomes ---------------------------------------------

def tmx_of(*units: str) -> bytes:
    body = "".join(units)
    return (f'<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="id"/><body>{body}'
            "</body></tmx>").encode()


def tu(source: str, target: str, *, state: str | None = None, source_lang: str = "id", target_lang: str = "en",
       when: str = "") -> str:
    prop = f'<prop type="x-state">{state}</prop>' if state else ""
    changed = f' changedate="{when}"' if when else ""
    return (f"<tu{changed}>{prop}<tuv xml:lang=\"{source_lang}\"><seg>{source}</seg></tuv>"
            f"<tuv xml:lang=\"{target_lang}\"><seg>{target}</seg></tuv></tu>")


def test_machine_drafts_in_a_tmx_are_no_memory_and_are_counted_on_import(two_documents, tmp_path, capsys):
    root = two_documents
    tmx = tmp_path / "drafts.tmx"
    tmx.write_bytes(tmx_of(tu("Laporan ini selesai tahun lalu.", "Raw machine output.", state="mt-draft"),
                           tu("Berita hari ini.", "Today's news.", state="Reviewed")))
    assert main(["tm", "import", str(tmx), "--root", str(root)]) == 0
    err = capsys.readouterr().err
    assert "locales/tm/drafts.tmx: 1 pair (1 reviewed)" in err and "left out 1 unit marked mt-draft" in err
    assert main(["translate", "--root", str(root)]) == 0
    laporan = load_catalog(Project(root).po_path("laporan"))
    assert laporan.get("Laporan ini selesai tahun lalu.").state is State.MT_DRAFT  # not the TMX's raw output
    assert load_catalog(Project(root).po_path("berita")).get("Berita hari ini.").msgstr == "Today's news."


def test_a_fill_nobody_edited_is_no_memory_and_follows_a_better_translation(two_documents, capsys):
    root = two_documents
    laporan, berita = (Project(root).po_path(name) for name in ("laporan", "berita"))
    assert main(["translate", "--root", str(root), "berita"]) == 0
    assert load_catalog(berita).get(SHARED).from_memory
    # the original is taken back: berita's copy must not be memory for a third document
    catalog = load_catalog(laporan)
    catalog.get(SHARED).clear()
    save_catalog(catalog, laporan)
    third = make_document(root, "ketiga", f"{SHARED}\n")
    assert main(["translate", "--root", str(root), "ketiga"]) == 0
    assert load_catalog(third).get(SHARED).state is State.MT_DRAFT
    # a corrected original reaches the copy nobody edited, and the MT draft of the third document
    translate_unit(laporan, SHARED, "Member states work together in this regional forum.", reviewed=True)
    capsys.readouterr()
    assert main(["translate", "--root", str(root)]) == 0
    err = capsys.readouterr().err
    assert "berita.po: 0 units filled, 1 earlier fill updated from the translation memory" in err
    assert "ketiga.po: 0 units filled, 1 MT draft replaced from the translation memory" in err
    for po in (berita, third):
        unit = load_catalog(po).get(SHARED)
        assert (unit.state, unit.msgstr) == (State.TRANSLATED, "Member states work together in this regional forum.")
        assert unit.from_memory and unit.mt is None
    # a fill that is up to date is left alone: nothing said, nothing written
    before = {po: po.read_bytes() for po in (berita, third)}
    assert main(["translate", "--root", str(root)]) == 0
    assert "from the translation memory" not in capsys.readouterr().err
    assert {po: po.read_bytes() for po in (berita, third)} == before


def test_a_fill_a_person_edited_is_their_work_and_memory_for_others(two_documents):
    root = two_documents
    berita = Project(root).po_path("berita")
    assert main(["translate", "--root", str(root), "berita"]) == 0
    translate_unit(berita, SHARED, "Member states cooperate in the regional forum.", reviewed=True)
    edited = load_catalog(berita).get(SHARED)
    assert not edited.from_memory and edited.stage_note(TM_PREFIX).startswith("laporan (reviewed there)")
    memory = TranslationMemory.of_project(Project(root))
    assert {m.memory.origin for m in memory.similar(SHARED)} == {"laporan", "berita"}
    translate_unit(Project(root).po_path("laporan"), SHARED, "A newer original.", reviewed=True)
    assert main(["translate", "--root", str(root), "berita"]) == 0
    assert load_catalog(berita).get(SHARED).msgstr == "Member states cooperate in the regional forum."


def test_a_stale_draft_carried_to_a_changed_sentence_is_filled_as_a_clean_unit(two_documents):
    root = two_documents
    berita = Project(root).po_path("berita")
    catalog = load_catalog(berita)
    unit = catalog.get(SHARED)
    unit.set_mt_draft("A stale draft.", MTMark("fake", "x", "1", "A stale draft."))
    save_catalog(catalog, berita)  # then stamped with another sentence's fingerprint, as msgmerge carries it
    berita.write_text(re.sub(r"src=[0-9a-f]+", "src=00000000", berita.read_text(encoding="utf-8")), encoding="utf-8")
    assert load_catalog(berita).get(SHARED).state is State.UNTRANSLATED  # a draft of another sentence
    assert main(["translate", "--root", str(root), "berita"]) == 0
    filled = load_catalog(berita).get(SHARED)
    assert (filled.state, filled.mt) == (State.TRANSLATED, None) and filled.stage_note(SUGGESTION_PREFIX) is None


def test_a_unit_never_finds_itself_but_finds_its_own_documents_other_sentences(two_documents):
    root = two_documents
    near = SHARED.replace("ini", "itu")
    po = make_document(root, "catatan", f"{SHARED}\n\n{near}\n")
    translate_unit(po, SHARED, "Mine.", reviewed=False)
    app = create_app(Project(root))
    app.testing = True
    html = " ".join(app.test_client().get("/doc/catatan").get_data(as_text=True).split())
    assert html.count("alike · catatan") == 1  # the near sentence is offered "Mine.", "Mine." not itself
    memory = TranslationMemory.of_project(Project(root))
    own = load_catalog(po).get(SHARED)
    assert memory.exact(SHARED, not_at=("catatan", own.uid)).origin == "laporan"


def test_the_newest_wins_across_time_zones(project):
    (project / "source" / "bali-process.txt").unlink()
    first = make_document(project, "pagi", f"{SHARED}\n")
    second = make_document(project, "siang", f"{SHARED}\n")
    translate_unit(first, SHARED, "Written at 03:00 UTC.", reviewed=False, stamp="2026-11-30 10:00+0700")
    translate_unit(second, SHARED, "Written at 04:00 UTC.", reviewed=False, stamp="2026-11-30 04:00+0000")
    assert TranslationMemory.of_project(Project(project)).exact(SHARED).target == "Written at 04:00 UTC."


def test_tmx_segments_are_read_as_a_translator_means_them():
    reading = read_tmx(tmx_of(
        tu("Kalimat  dengan\n   spasi.", "\n   A sentence\n   with spacing.\n", source_lang="ID-id"),
        tu("Teks <bpt i='1'>&lt;b&gt;</bpt>tebal<ept i='1'>&lt;/b&gt;</ept>.", "Bold text.", target_lang="en-GB"),
        tu("Kosong.", "   "),
        tu("Kode lama.", "Old codes.", source_lang="ind", target_lang="eng", state="translated"),
        tu("Kalimat.", "Needs update.", state="needs-update"),
    ), "x.tmx", target="en")
    assert [(m.source, m.target, m.reviewed) for m in reading.memories] == [
        ("Kalimat dengan spasi.", "A sentence with spacing.", True), ("Kode lama.", "Old codes.", False)]
    assert reading.skipped == {"with inline codes": 1, "without an Indonesian and an English text": 1,
                               "marked needs-update": 1}


def test_the_first_non_blank_english_variant_is_taken():
    unit = ('<tu><tuv xml:lang="id"><seg>Halo.</seg></tuv><tuv xml:lang="en"><seg/></tuv>'
            '<tuv xml:lang="en-US"><seg>Hello.</seg></tuv></tu>')
    assert [m.target for m in read_tmx(tmx_of(unit), "x.tmx").memories] == ["Hello."]


def test_a_short_sentence_finds_its_close_match_among_many():
    fillers = [Memory(f"Ini {word} saya.", f"This is my {word}.", True, "", "a") for word in
               ("rumah", "mobil", "buku", "anak", "ayah", "ibu", "kucing", "anjing", "meja", "kursi")]
    memory = TranslationMemory([*fillers * 30, Memory("Ini istri saya.", "This is my wife.", True, "", "b")])
    assert [m.memory.target for m in memory.similar("Ini istri saya!", limit=1)] == ["This is my wife."]
    assert memory.similar("Ini istri saya.", limit=1)[0].score == 100.0


def test_a_broken_tmx_in_the_memory_is_left_out_with_a_note(two_documents, capsys):
    root = two_documents
    (root / "locales" / "tm").mkdir()
    (root / "locales" / "tm" / "rusak.tmx").write_bytes(b"<tmx><body><tu>")
    assert main(["translate", "--root", str(root), "berita"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"note: locales/tm/rusak\.tmx:1: not readable XML: [^\n]*[^0-9]\(left out", err), err
    assert load_catalog(Project(root).po_path("berita")).get(SHARED).state is State.TRANSLATED
    app = create_app(Project(root))
    app.testing = True
    page = app.test_client().get("/doc/berita")
    assert page.status_code == 200 and "locales/tm/rusak.tmx:1" in page.get_data(as_text=True)


def test_importing_another_memory_of_the_same_name_needs_replace(two_documents, tmp_path, capsys):
    root = two_documents
    tmx = tmp_path / "luar.tmx"
    tmx.write_bytes(tmx_of(tu("Berita hari ini.", "Today's news.")))
    assert main(["tm", "import", str(tmx), "--root", str(root)]) == 0
    assert main(["tm", "import", str(tmx), "--root", str(root)]) == 0  # the same file again: fine
    tmx.write_bytes(tmx_of(tu("Berita hari ini.", "The news today.")))
    assert main(["tm", "import", str(tmx), "--root", str(root)]) == 3
    assert "holds another memory of that name; rename the file, or pass --replace" in capsys.readouterr().err
    assert b"Today's news." in (root / "locales" / "tm" / "luar.tmx").read_bytes()
    assert main(["tm", "import", str(tmx), "--replace", "--root", str(root)]) == 0
    assert b"The news today." in (root / "locales" / "tm" / "luar.tmx").read_bytes()
