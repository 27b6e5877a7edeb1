"""Statistics on a hand-built catalog whose figures are known, and the stats command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.catalog import Catalog, MTMark, State, load_catalog, save_catalog
from pipeline.cli import main
from pipeline.stats import Count, catalog_stats, combine, post_edit_of, word_count

OLD = MTMark("argos", "translate-id_en", "1.0", "")
NEW = MTMark("argos", "translate-id_en", "1.9", "")


def _mark(mark: MTMark, raw: str) -> MTMark:
    return MTMark(mark.engine, mark.model, mark.version, raw)


def known_catalog() -> Catalog:
    """2 untranslated (5 words), 1 MT draft (3), 1 needing update (2), 3 reviewed (10), 2 of them post-edited."""
    catalog = Catalog.new("doc", language="en")
    catalog.add("satu dua tiga", locations=[("source/doc.txt", 1)])
    catalog.add("empat lima", locations=[("source/doc.txt", 2)])
    draft = catalog.add("enam tujuh delapan", locations=[("source/doc.txt", 3)])
    draft.set_mt_draft("six seven eight", _mark(NEW, "six seven eight"))
    catalog.add("sembilan sepuluh", msgstr="nine", flags=["fuzzy"], previous_msgid="sembilan",
                locations=[("source/doc.txt", 4)])
    edited = catalog.add("kami melihat kucing", locations=[("source/doc.txt", 5)])
    edited.set_mt_draft("we see a cat", _mark(NEW, "we see a cat"))
    edited.set_translation("we saw a cat", reviewed=True)  # 2 chars of 12; 1 word of 4
    accepted = catalog.add("kucing itu tidur", locations=[("source/doc.txt", 6)])
    accepted.set_mt_draft("the cat sleeps", _mark(OLD, "the cat sleeps"))
    accepted.set_translation("the cat sleeps", reviewed=True)  # unedited: 0 of 14 chars, 0 of 3 words
    catalog.add("rumah besar sekali di sana", msgstr="a very big house over there",
                locations=[("source/doc.txt", 7)])  # reviewed by hand, no MT mark
    return catalog


def test_units_and_words_per_state():
    stats = catalog_stats(known_catalog())
    assert stats.states == {
        State.UNTRANSLATED: Count(2, 5),
        State.MT_DRAFT: Count(1, 3),
        State.NEEDS_UPDATE: Count(1, 2),
        State.TRANSLATED: Count(0, 0),
        State.REVIEWED: Count(3, 11),
    }
    assert (stats.units, stats.words) == (7, 21)
    assert stats.reviewed_percent == pytest.approx(100 * 11 / 21)


def test_post_edit_distance_of_accepted_drafts():
    post = catalog_stats(known_catalog()).post_edit
    assert (post.units, post.unchanged) == (2, 1)
    assert (post.char_edits, post.char_length) == (2, 12 + 14)
    assert (post.word_edits, post.word_length) == (1, 4 + 3)
    assert post.char_distance == pytest.approx(2 / 26)
    assert post.word_distance == pytest.approx(1 / 7)


def test_a_unit_without_mark_has_no_post_edit_figures():
    catalog = Catalog.new("doc", language="en")
    unit = catalog.add("halo", msgstr="hello")
    assert post_edit_of(unit).units == 0
    assert catalog_stats(catalog).post_edit.char_distance is None


def test_models_are_counted_from_the_marks():
    assert catalog_stats(known_catalog()).models == {
        "argos/translate-id_en/1.9": 2,
        "argos/translate-id_en/1.0": 1,
    }


def test_qa_findings_are_counted():
    catalog = known_catalog()
    catalog.add("Ada 50 negara di kawasan ini.", msgstr="There are 40 countries in the region  .")
    stats = catalog_stats(catalog)
    assert (stats.qa_errors, stats.qa_warnings) == (1, 2)  # numbers; doublespacing, puncspacing


def test_words_are_counted_like_pocount():
    # pocount splits at hyphens and counts numbers; markup is not counted
    assert word_count("Negara-negara anggota, pada tahun 2010.") == 6
    assert word_count("Forum <b>ini</b> penting.") == 3


def test_combine_adds_everything_up():
    one, two = catalog_stats(known_catalog(), name="a"), catalog_stats(known_catalog(), name="b")
    total = combine([one, two])
    assert total.states[State.REVIEWED] == Count(6, 22)
    assert total.post_edit.char_distance == pytest.approx(4 / 52)
    assert total.models["argos/translate-id_en/1.9"] == 4
    assert total.reviewed_percent == pytest.approx(one.reviewed_percent)


def test_an_empty_catalog_counts_as_complete():
    assert catalog_stats(Catalog.new("doc", language="en")).reviewed_percent == 100.0


# -- the stats command ----------------------------------------------------------

@pytest.fixture
def seeded(project: Path) -> Path:
    assert main(["extract", "--root", str(project)]) == 0
    assert main(["update", "--root", str(project)]) == 0
    po = project / "locales/en/LC_MESSAGES/bali-process.po"
    catalog = load_catalog(po)
    first, second = catalog.units()[:2]
    first.set_mt_draft("draft", _mark(NEW, "draft"))
    first.set_translation("Draft.", reviewed=True)
    second.set_mt_draft("second draft", _mark(NEW, "second draft"))
    save_catalog(catalog, po)
    return project


def test_stats_json(seeded, capsys):
    assert main(["stats", "--root", str(seeded), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    [document] = data["documents"]
    assert document["name"] == "bali-process"
    assert set(document) == {"name", "units", "words", "states", "reviewed_percent", "qa", "weak_drafts", "post_edit",
                             "models"}
    assert document["units"] == 19
    assert {s: v["units"] for s, v in document["states"].items()} == {
        "untranslated": 17, "mt-draft": 1, "needs-update": 0, "translated": 0, "reviewed": 1}
    assert document["post_edit"] == {"units": 1, "unchanged": 0, "char_distance": pytest.approx(2 / 6, abs=1e-4),
                                     "word_distance": 1.0}
    assert document["models"] == {"argos/translate-id_en/1.9": 2}
    assert data["total"]["words"] == document["words"]


def test_a_translation_saved_but_not_approved_counts_as_translated(seeded, capsys):
    """What the review page's Save writes (Poedit's "needs work" is the same): not reviewed, but English."""
    from pipeline.project import Project
    from pipeline.render import english_text
    from pipeline.review.workspace import Action, Edit, Workspace

    po = seeded / "locales/en/LC_MESSAGES/bali-process.po"
    unit = load_catalog(po).units()[5]
    Workspace(Project(seeded)).edit("bali-process", unit.uid, Edit(Action.SAVE, "A person's English.", unit.version))
    saved = load_catalog(po).get(unit.msgid, unit.msgctxt)
    assert saved.state is State.TRANSLATED and english_text(saved) == "A person's English."
    assert main(["stats", "--root", str(seeded), "--json"]) == 0
    [document] = json.loads(capsys.readouterr().out)["documents"]
    assert {s: v["units"] for s, v in document["states"].items()} == {
        "untranslated": 16, "mt-draft": 1, "needs-update": 0, "translated": 1, "reviewed": 1}
    assert document["states"]["translated"]["words"] == word_count(unit.msgid) > 0
    assert document["reviewed_percent"] < 100  # reviewed means approved, nothing less


def test_stats_table(seeded, capsys):
    assert main(["stats", "--root", str(seeded), "bali-process"]) == 0
    out = capsys.readouterr().out
    assert "bali-process" in out and "reviewed %" in out
    assert "MT model argos/translate-id_en/1.9: 2 units" in out


def test_stats_needs_a_catalog(project, capsys):
    assert main(["stats", "--root", str(project)]) == 4
    assert "run `make update` first" in capsys.readouterr().err


def test_word_totals_agree_with_pocount(seeded):
    from translate.tools.pocount import calcstats

    po = seeded / "locales/en/LC_MESSAGES/bali-process.po"
    figures = catalog_stats(load_catalog(po))
    assert figures.words == calcstats(str(po))["totalsourcewords"]
    assert figures.states[State.UNTRANSLATED].words == calcstats(str(po))["untranslatedsourcewords"]


def test_catalogs_whose_document_left_source_are_named_not_counted_silently(seeded, capsys):
    (seeded / "source" / "bali-process.txt").rename(seeded / "source" / "forum.txt")
    assert main(["extract", "--root", str(seeded)]) == 0 and main(["update", "--root", str(seeded)]) == 0
    capsys.readouterr()
    assert main(["stats", "--root", str(seeded)]) == 0
    err = capsys.readouterr().err
    assert "warning: locales/bali-process.pot: no document bali-process.* in source/ any more" in err
    assert (seeded / "locales/en/LC_MESSAGES/bali-process.po").is_file()  # reviewed work kept


def test_check_and_stats_say_when_the_source_moved_on_since_update(seeded, capsys):
    source = seeded / "source" / "bali-process.txt"
    assert main(["stats", "--root", str(seeded)]) == 0
    assert main(["check", "--root", str(seeded), "--no-spellcheck"]) in (0, 1)
    assert "no unit" not in capsys.readouterr().err  # up to date: nothing said
    text = source.read_text(encoding="utf-8")
    assert "forum" in text
    source.write_text(text.replace("forum", "wadah", 1), encoding="utf-8")  # the author edits one sentence
    assert main(["stats", "--root", str(seeded)]) == 0
    assert main(["check", "--root", str(seeded), "--no-spellcheck"]) in (0, 1)
    notes = [line for line in capsys.readouterr().err.splitlines() if "no unit" in line]
    assert len(notes) == 2 and notes[0] == notes[1]  # stats, then check
    assert notes[0].startswith("note: locales/en/LC_MESSAGES/bali-process.po: 1 sentence of "
                               "source/bali-process.txt has no unit (the source changed since `make update`, e.g. ")
    assert "wadah" in notes[0] and notes[0].endswith("run `make update` first")
    for command in ("extract", "update"):  # what `make update` runs
        assert main([command, "--root", str(seeded)]) == 0
    assert main(["stats", "--root", str(seeded)]) == 0
    assert "no unit" not in capsys.readouterr().err
