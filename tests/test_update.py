"""Merging a new template into a translation catalog (make update)."""

from __future__ import annotations

import subprocess

from pipeline.catalog import Catalog, MTMark, State, load_catalog, save_catalog
from pipeline.update import merge

MARK = MTMark("argos", "translate-id_en", "1.0", "raw")


def template(*sentences: str) -> Catalog:
    pot = Catalog.new("doc", language=None)
    for line, sentence in enumerate(sentences, start=1):
        pot.add(sentence, locations=[("source/doc.txt", line)], comment=f"block 1 (paragraph), sentence {line}")
    return pot


def translated(*pairs: tuple[str, str]) -> Catalog:
    old, _ = merge(template(*(s for s, _ in pairs)), None, language="en")
    for source, target in pairs:
        old.get(source).set_translation(target, reviewed=True)
    return old


def test_a_new_catalog_has_every_sentence_untranslated():
    po, report = merge(template("Satu.", "Dua."), None, language="en")
    assert [u.msgid for u in po.units()] == ["Satu.", "Dua."]
    assert {u.state for u in po.units()} == {State.UNTRANSLATED}
    assert report.new == 2 and po.language == "en"


def test_unchanged_sentences_keep_their_translation_and_take_new_locations():
    old = translated(("Satu.", "One."), ("Dua.", "Two."))
    po, report = merge(template("Baru.", "Satu.", "Dua."), old, language="en")
    assert po.get("Satu.").msgstr == "One." and po.get("Satu.").state is State.REVIEWED
    assert po.get("Satu.").locations == [("source/doc.txt", 2)]
    assert report.kept == 2 and report.new == 1


def test_a_changed_sentence_becomes_fuzzy_with_the_previous_msgid():
    old = translated(("Negara anggota bekerja sama dalam forum ini.", "Member states cooperate in this forum."))
    po, report = merge(template("Negara-negara anggota bekerja sama dalam forum ini."), old, language="en")
    unit = po.get("Negara-negara anggota bekerja sama dalam forum ini.")
    assert unit.state is State.NEEDS_UPDATE
    assert unit.previous_msgid == "Negara anggota bekerja sama dalam forum ini."
    assert unit.msgstr == "Member states cooperate in this forum."
    assert report.fuzzy == 1 and report.obsolete == 0
    assert po.obsolete_units() == []  # the translation lives on in the fuzzy unit


def test_a_removed_sentence_becomes_obsolete_or_is_purged():
    old = translated(("Satu.", "One."), ("Dua.", "Two."))
    po, report = merge(template("Satu."), old, language="en")
    assert [(u.msgid, u.msgstr) for u in po.obsolete_units()] == [("Dua.", "Two.")]
    assert report.obsolete == 1
    purged, _ = merge(template("Satu."), old, language="en", purge=True)
    assert purged.obsolete_units() == []


def test_an_obsolete_sentence_that_comes_back_is_revived():
    old = translated(("Satu.", "One."), ("Dua.", "Two."))
    without, _ = merge(template("Satu."), old, language="en")
    back, report = merge(template("Satu.", "Dua."), without, language="en")
    assert back.get("Dua.").msgstr == "Two." and back.get("Dua.").state is State.REVIEWED
    assert back.obsolete_units() == [] and report.revived == 1


def test_machine_drafts_are_not_carried_to_changed_sentences():
    old = translated(("Satu.", "One."))
    draft_source = "Kerja sama regional sangat penting bagi semua negara."
    old2, _ = merge(template("Satu.", draft_source), old, language="en")
    draft = "Regional cooperation is very important."
    old2.get(draft_source).set_mt_draft(draft, MTMark("argos", "translate-id_en", "1.0", draft))
    po, report = merge(template("Satu.", "Kerja sama regional sangat penting bagi negara."), old2, language="en")
    assert po.get("Kerja sama regional sangat penting bagi negara.").state is State.UNTRANSLATED
    assert po.obsolete_units() == [] and report.dropped_drafts == 1


def test_an_edited_machine_draft_counts_as_human_work():
    source = "Kerja sama regional sangat penting bagi semua negara."
    old, _ = merge(template(source), None, language="en")
    old.get(source).set_mt_draft("Regional cooperation important.", MARK)
    old.get(source).set_translation("Regional cooperation matters to every country.", reviewed=False)
    edited = old.get(source)  # a person's translation now, post-edited from the draft
    assert edited.state is State.TRANSLATED and edited.post_edited and edited.has_human_work
    po, _ = merge(template("Kerja sama regional sangat penting bagi negara."), old, language="en")
    unit = po.get("Kerja sama regional sangat penting bagi negara.")
    assert unit.msgstr == "Regional cooperation matters to every country."
    assert unit.state is State.NEEDS_UPDATE


def test_a_translation_not_yet_approved_is_human_work_like_a_reviewed_one():
    source = "Negara anggota bekerja sama dalam forum ini."
    old, _ = merge(template(source, "Dua."), None, language="en")
    old.get(source).set_translation("Member states cooperate in this forum.", reviewed=False)
    old.get("Dua.").set_translation("Two.", reviewed=False)
    assert old.get(source).state is State.TRANSLATED and old.get(source).has_human_work
    kept, _ = merge(template(source, "Dua."), old, language="en")
    assert [(u.msgstr, u.state) for u in kept.units()] == [("Member states cooperate in this forum.",
                                                           State.TRANSLATED), ("Two.", State.TRANSLATED)]
    po, report = merge(template("Negara-negara anggota bekerja sama dalam forum ini."), old, language="en")
    unit = po.get("Negara-negara anggota bekerja sama dalam forum ini.")
    assert unit.state is State.NEEDS_UPDATE and unit.msgstr == "Member states cooperate in this forum."
    assert [(u.msgid, u.msgstr) for u in po.obsolete_units()] == [("Dua.", "Two.")]  # kept, not dropped
    assert report.dropped_drafts == 0


def test_an_unrelated_new_sentence_is_not_fuzzy_matched():
    old = translated(("Negara anggota bekerja sama.", "Member states cooperate."))
    po, _ = merge(template("Hujan turun sepanjang malam di kota itu."), old, language="en")
    assert po.get("Hujan turun sepanjang malam di kota itu.").state is State.UNTRANSLATED


def test_header_fields_set_by_people_are_kept():
    old = translated(("Satu.", "One."))
    old.set_metadata("Last-Translator", "Sari <sari@example.org>")
    po, _ = merge(template("Satu."), old, language="en")
    assert po.metadata["Last-Translator"] == "Sari <sari@example.org>"


def test_the_header_comment_is_kept_as_msgmerge_keeps_it(tmp_path):
    """Translators credit themselves above the header ("# Budi <budi@contoh.id>, 2024.")."""
    old = translated(("Satu.", "One."))
    old.header_comment += "\nBudi Santoso <budi@contoh.id>, 2024: reviewed the whole text."
    save_catalog(old, tmp_path / "old.po")
    save_catalog(template("Satu.", "Dua."), tmp_path / "doc.pot")
    ours, _ = merge(load_catalog(tmp_path / "doc.pot"), load_catalog(tmp_path / "old.po"), language="en")
    save_catalog(ours, tmp_path / "ours.po")
    subprocess.run(["msgmerge", "--quiet", "-o", str(tmp_path / "gnu.po"),
                    str(tmp_path / "old.po"), str(tmp_path / "doc.pot")], check=True)
    credit = "# Budi Santoso <budi@contoh.id>, 2024: reviewed the whole text.\n"
    for name in ("gnu.po", "ours.po"):
        assert credit in (tmp_path / name).read_text(encoding="utf-8"), name


def test_merged_files_match_what_msgmerge_keeps(tmp_path):
    """GNU msgmerge as the oracle: the same units survive, nothing is lost."""
    old = translated(("Satu dua tiga empat lima.", "One two three four five."), ("Enam.", "Six."))
    save_catalog(old, tmp_path / "old.po")
    pot = template("Satu dua tiga empat lima enam.", "Tujuh.")
    save_catalog(pot, tmp_path / "doc.pot")
    ours, _ = merge(load_catalog(tmp_path / "doc.pot"), load_catalog(tmp_path / "old.po"), language="en")
    save_catalog(ours, tmp_path / "ours.po")
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(tmp_path / "gnu.po"),
                    str(tmp_path / "old.po"), str(tmp_path / "doc.pot")], check=True)
    gnu = load_catalog(tmp_path / "gnu.po")
    mine = load_catalog(tmp_path / "ours.po")
    summary = lambda c: sorted((u.msgid, u.msgstr, u.fuzzy, u.previous_msgid) for u in c.units())  # noqa: E731
    assert summary(mine) == summary(gnu)
    assert sorted((u.msgid, u.msgstr) for u in mine.obsolete_units()) == sorted(
        (u.msgid, u.msgstr) for u in gnu.obsolete_units())
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(tmp_path / "ours.po")], check=True)


def test_an_obsolete_fuzzy_translation_is_stable_and_comes_back_needing_an_update(tmp_path):
    """polib cannot read an obsolete entry's "#~|" line back: it is not written, so runs stay byte-stable."""
    old = translated(("Negara negara negara.", "Country country country."), ("Satu.", "One."))
    changed, _ = merge(template("Negara anggota negara.", "Satu."), old, language="en")  # fuzzy, needs update
    path = tmp_path / "doc.po"
    save_catalog(changed, path)
    for _ in range(2):  # the sentence goes away: the needs-update unit becomes obsolete
        gone, _ = merge(template("Satu."), load_catalog(path), language="en")
        save_catalog(gone, path)
        text = path.read_text(encoding="utf-8")
        assert "#~|" not in text and '#~ msgstr "Country country country."' in text
    back, report = merge(template("Negara anggota negara.", "Satu."), load_catalog(path), language="en")
    assert report.revived == 1
    assert back.get("Negara anggota negara.").state is State.NEEDS_UPDATE  # not shown as a finished translation
    assert back.get("Satu.").state is State.REVIEWED
