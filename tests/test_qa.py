"""QA checks: each fires on a bad unit and stays quiet on a good one; qa-skip; the check command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from pipeline.catalog import MASK_LOST_PREFIX, Catalog, MTMark, load_catalog, save_catalog
from pipeline.cli import main
from pipeline.glossary import Term
from pipeline.qa import CHECKS, ERROR, WARNING, check_catalog, check_unit

GLOSSARY = [
    Term("Bali Process", "Bali Process", do_not_translate=True),
    Term("negara anggota", "member states"),
    Term("kejahatan transnasional", "transnational crime"),
    Term("kejahatan transnasional yang terorganisir", "transnational organised crime"),
    Term("pengungsi", "refugees"),
]
MARK = MTMark("argos", "translate-id_en", "1.9", "raw output")

# check, source, a translation that must trip the check, one that must not
CASES = [
    ("numbers", "Pada tahun 2010 ada 50 negara.", "In 2010 there were 45 countries.",
     "In 2010 there were 50 countries."),
    ("numbers", "Sebanyak 50.000 orang hadir.", "As many as 5,000 people attended.",
     "As many as 50,000 people attended."),  # Indonesian digit grouping, English in the translation
    ("numbers", "Biayanya 2.500,75 dolar, naik 12,5 persen.", "It cost 2,500 dollars, up 12.5 per cent.",
     "It cost 2,500.75 dollars, up 12.5 per cent."),
    ("numbers", "Ada 1.250 peserta.", "There were 1.250 participants and 3 more.", "There were 1.250 participants."),
    ("urls", "Lihat www.baliprocess.net untuk rinciannya.", "See the website for details.",
     "See www.baliprocess.net for details."),
    ("emails", "Tulis ke info@contoh.id untuk pertanyaan.", "Write to us with your questions.",
     "Write to info@contoh.id with questions."),
    ("brackets", "Forum ini (dibentuk 2002) penting.", "This forum (set up in 2002 is important.",
     "This forum (set up in 2002) is important."),
    ("endpunc", "Apakah forum ini efektif?", "Is this forum effective.", "Is this forum effective?"),
    ("doublewords", "Forum ini sangat penting bagi kawasan.", "This forum is the the key to the region.",
     "This forum is key to the region."),
    ("unchanged", "Kerjasama regional sangat penting.", "Kerjasama regional sangat penting.",
     "Regional cooperation is essential."),
    ("xmltags", "Forum <b>ini</b> penting.", "This forum is important.", "This <b>forum</b> is important."),
    ("kept-text", "Jalankan <code>make install</code> sekarang juga.", "Run <code>make it</code> right now.",
     "Run <code>make install</code> right now."),
    ("sentencecount", "Forum ini penting bagi semua pihak.", "This forum matters. It matters to all.",
     "This forum matters to all parties."),
    ("footnote-markers", "Hal ini penting bagi kawasan.[1]", "This matters for the region.",
     "This matters for the region.[1]"),
    ("footnote-markers", "Lihat catatan[1] dan catatan[2].", "See notes[2] and [1].", "See notes[1] and [2]."),
    ("glossary", "Setiap negara anggota hadir.", "Every member country attended.", "Every member state attended."),
    ("glossary", "Kejahatan transnasional yang terorganisir meningkat.", "Organised crime across borders grew.",
     "Transnational organised crime grew."),
    ("do-not-translate", "Bali Process dibentuk pada 2002.", "The Bali process was set up in 2002.",
     "The Bali Process was set up in 2002."),
    ("length-ratio", "Forum ini menjadi sebuah forum dialog dan pertukaran informasi.", "A forum.",
     "This forum became a forum for dialogue and the exchange of information."),
    ("length-ratio", "Forum ini sangat penting bagi kawasan.",
     "This forum is very, very important for the region, as everybody at every meeting has said many times.",
     "This forum is very important for the region."),
    ("indonesian-words", "Negara asal dan negara tujuan hadir.", "Countries of origin dan destination attended.",
     "Countries of origin and destination attended."),
    ("indonesian-words", "Dalam forum ini semua hadir.", "Dalam this forum all attended.",
     "In this forum all attended."),
    ("markup", "Giling dengan `giling --halus` dulu.", "Grind with giling --halus first.",
     "Grind with `giling --halus` first."),
    ("markup", "Lihat [situs koperasi](https://contoh.id/kopi) dulu.", "See the cooperative's site https://contoh.id/kopi.",
     "See the [cooperative's site](https://contoh.id/kopi) first."),
    ("markup", "Kopi dari **Sulawesi Selatan** enak.", "Coffee from South Sulawesi is good.",
     "Coffee from **South Sulawesi** is good."),
]


def _reviewed(source: str, target: str, **fields) -> Catalog:
    catalog = Catalog.new("doc", language="en")
    catalog.add(source, msgstr=target, locations=[("source/doc.txt", 7)], **fields)
    return catalog


def _checks(catalog: Catalog) -> set[str]:
    return {finding.check for finding in check_catalog(catalog, GLOSSARY)}


@pytest.mark.parametrize("check, source, bad, good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_check_fires_on_a_bad_unit_and_not_on_a_good_one(check, source, bad, good):
    assert check in _checks(_reviewed(source, bad))
    assert _checks(_reviewed(source, good)) == set()


def test_every_project_check_is_exercised_by_the_table():
    project_checks = {name for name, registered in CHECKS.items() if registered.find is not None}
    assert {"numbers", "footnote-markers", "indonesian-words"} <= project_checks  # registered where defined
    assert project_checks <= {case[0] for case in CASES}


@pytest.mark.parametrize("check", ["numbers", "urls", "footnote-markers", "markup"])
def test_lost_numbers_urls_and_footnote_markers_are_errors(check):
    assert CHECKS[check].severity == ERROR


def test_style_checks_are_warnings():
    for check in ("endpunc", "glossary", "do-not-translate", "length-ratio", "indonesian-words", "unchanged"):
        assert CHECKS[check].severity == WARNING


def test_finding_names_the_unit_its_source_line_and_the_problem():
    [finding] = check_catalog(_reviewed("Ada 50 negara di kawasan ini.", "There are 40 countries in the region."),
                              GLOSSARY)
    assert finding.key == (None, "Ada 50 negara di kawasan ini.")
    assert finding.location == "source/doc.txt:7"
    assert (finding.check, finding.severity) == ("numbers", ERROR)
    assert "missing 50" in finding.message and "40" in finding.message
    assert finding.blocking


def test_a_marker_counts_once_not_also_as_number_bracket_or_punctuation():
    findings = check_catalog(_reviewed("Ini penting.[1]", "This matters."), GLOSSARY)
    assert [f.check for f in findings] == ["footnote-markers"]


def test_a_lost_url_is_reported_once_not_also_for_its_digits():
    source = "Diakses melalui www.baliprocess.net/files/1206016th_AHG.DOC, pada tanggal 26 Juni 2015."
    findings = check_catalog(
        _reviewed(source, "Accessed via the website of the forum, files page, on 26 June 2015."), GLOSSARY)
    assert [(f.check, f.message) for f in findings] == [
        ("urls", "Different URLs: missing www.baliprocess.net/files/1206016th_AHG.DOC")]
    findings = check_catalog(
        _reviewed(source, "Accessed via the website of the forum, files page, on 25 June 2015."), GLOSSARY)
    assert {f.check for f in findings} == {"urls", "numbers"}


def test_a_longer_glossary_term_wins_over_the_shorter_one_inside_it():
    catalog = _reviewed("Kejahatan transnasional yang terorganisir meningkat.", "Transnational organised crime grew.")
    assert "glossary" not in _checks(catalog)  # "transnational crime" is not required here


def test_glossary_accepts_singular_or_plural_and_any_case():
    assert _checks(_reviewed("Pengungsi tiba kemarin di pelabuhan.",
                             "A refugee arrived at the port yesterday.")) == set()
    assert _checks(_reviewed("Tiga negara anggota hadir di sana.", "Three Member States attended there.")) == set()


def test_a_unit_that_is_only_a_kept_term_is_not_unchanged():
    assert _checks(_reviewed("Bali Process", "Bali Process")) == set()


def test_untranslated_and_needs_update_units_are_not_checked():
    catalog = Catalog.new("doc", language="en")
    catalog.add("Ada 50 negara.", locations=[("source/doc.txt", 1)])
    catalog.add("Ada 60 negara.", msgstr="There are 50 countries.", flags=["fuzzy"], previous_msgid="Ada 50 negara.",
                locations=[("source/doc.txt", 2)])
    assert check_catalog(catalog, GLOSSARY) == []


def test_findings_on_mt_drafts_are_reported_but_do_not_block():
    catalog = Catalog.new("doc", language="en")
    unit = catalog.add("Ada 50 negara di kawasan ini.", locations=[("source/doc.txt", 3)])
    unit.set_mt_draft("There are forty countries in the region.", MARK)
    [finding] = check_unit(unit, GLOSSARY)
    assert finding.check == "numbers" and finding.severity == ERROR
    assert finding.draft and not finding.blocking


def test_a_translation_not_yet_approved_is_checked_but_does_not_block():
    """It is shown in the English like an MT draft, so its findings are shown like a draft's."""
    catalog = Catalog.new("doc", language="en")
    unit = catalog.add("Ada 50 negara di kawasan ini.", locations=[("source/doc.txt", 3)])
    unit.set_translation("There are forty countries in the region.", reviewed=False)
    [finding] = check_unit(unit, GLOSSARY)
    assert finding.check == "numbers" and finding.draft and not finding.blocking


def test_source_path_stands_in_for_a_missing_location():
    catalog = Catalog.new("doc", language="en")
    unit = catalog.add("Ada 50 negara di kawasan ini.", msgstr="There are 40 countries in the region.")
    [finding] = check_unit(unit, GLOSSARY, source_path="source/doc.txt")
    assert finding.location == "source/doc.txt"


# -- silencing a check --------------------------------------------------------

BAD_NUMBERS = ("Ada 50 negara dan 3 organisasi.", "There are forty countries and 3 organisations.")


def test_qa_skip_comment_silences_only_the_named_checks():
    catalog = _reviewed(*BAD_NUMBERS, translator_comment="reviewer: numbers spelled out\nqa-skip: numbers")
    assert _checks(catalog) == set()
    catalog = _reviewed("Ada 50 negara.[1]", "There are forty countries.", translator_comment="qa-skip: numbers")
    assert _checks(catalog) == {"footnote-markers"}


def test_qa_skip_flag_and_all_work_too():
    assert _checks(_reviewed(*BAD_NUMBERS, flags=["qa-skip:numbers"])) == set()
    assert _checks(_reviewed("Ada 50 negara.[1]", "Fifty.", translator_comment="qa-skip: all")) == set()


def test_a_misspelt_qa_skip_name_is_reported_not_ignored():
    findings = check_catalog(_reviewed(*BAD_NUMBERS, translator_comment="qa-skip: nubmers"), GLOSSARY)
    assert {(f.check, f.severity) for f in findings} == {("numbers", ERROR), ("qa-skip", WARNING)}
    assert "nubmers" in next(f.message for f in findings if f.check == "qa-skip")


def test_qa_skip_marks_pass_msgfmt_and_the_comment_survives_msgmerge(tmp_path):
    catalog = _reviewed(*BAD_NUMBERS, translator_comment="qa-skip: numbers", flags=["qa-skip:numbers"])
    po = tmp_path / "doc.po"
    save_catalog(catalog, po)
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    merged = subprocess.run(["msgmerge", "--quiet", "--previous", str(po), str(po)], capture_output=True, text=True)
    assert merged.returncode == 0, merged.stderr
    assert "qa-skip:numbers" not in merged.stdout  # GNU tools drop unknown flags: the comment is the lasting form
    (tmp_path / "merged.po").write_text(merged.stdout, encoding="utf-8")
    assert check_catalog(load_catalog(tmp_path / "merged.po"), GLOSSARY) == []



@pytest.mark.parametrize("target", ["There are 40 members.\n", "\nThere are 40 members."], ids=["trailing", "leading"])
def test_a_line_break_msgfmt_refuses_is_an_error(tmp_path, target):
    """A msgstr that starts or ends with a newline the msgid lacks loads, but `msgfmt -c` rejects the file."""
    source = "Ada 40 anggota."
    catalog = _reviewed(source, target)
    po = tmp_path / "doc.po"
    save_catalog(catalog, po)
    checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=False)
    assert checked.returncode != 0 and "\\n" in checked.stderr, checked.stderr
    findings = check_catalog(load_catalog(po), GLOSSARY)
    assert {(f.check, f.severity) for f in findings} == {("newlines", ERROR)}
    assert check_catalog(_reviewed(source, target.strip()), GLOSSARY) == []

# -- the check command ---------------------------------------------------------

@pytest.fixture
def translated(project: Path) -> Path:
    """The seed project with its catalog, every unit reviewed with a clean translation."""
    assert main(["extract", "--root", str(project)]) == 0
    assert main(["update", "--root", str(project)]) == 0
    po = project / "locales/en/LC_MESSAGES/bali-process.po"
    catalog = load_catalog(po)
    for unit in catalog.units():
        unit.set_translation(unit.msgid, reviewed=True)
        unit.set_translator_comment("qa-skip: all")
    save_catalog(catalog, po)
    return project


def _edit(project: Path, change) -> None:
    po = project / "locales/en/LC_MESSAGES/bali-process.po"
    catalog = load_catalog(po)
    change(catalog.units())
    save_catalog(catalog, po)


def _lose_the_footnote_marker(units, *, draft=False):
    unit = next(u for u in units if "[1]" in u.msgid)
    unit.set_translator_comment("")
    english = ("In the Bali Process, each participating country keeps giving advice on people smuggling and "
               "human trafficking issues, provides assistance through comprehensive technical programmes, and "
               "encourages law enforcement and international criminal justice cooperation.")
    if draft:
        unit.set_mt_draft(english, MARK)
    else:
        unit.set_translation(english, reviewed=True)


def test_check_exits_0_when_clean_and_1_when_a_reviewed_unit_has_an_error(translated, capsys):
    assert main(["check", "--root", str(translated), "--no-spellcheck"]) == 0
    assert capsys.readouterr().err.splitlines()[-1].startswith("check passed: no errors;")
    _edit(translated, _lose_the_footnote_marker)
    assert main(["check", "--root", str(translated), "--no-spellcheck", "bali-process"]) == 1
    out, err = capsys.readouterr()
    assert "locales/en/LC_MESSAGES/bali-process.po:" in out and "(source/bali-process.txt:" in out
    assert "footnote-markers" in out and "FAILED" in err


def test_errors_in_mt_drafts_fail_only_with_strict(translated, capsys):
    _edit(translated, lambda units: _lose_the_footnote_marker(units, draft=True))
    assert main(["check", "--root", str(translated), "--no-spellcheck"]) == 0
    assert "[not reviewed yet: not blocking]" in capsys.readouterr().out
    assert main(["check", "--root", str(translated), "--no-spellcheck", "--strict"]) == 1


def test_warnings_alone_never_fail(translated, capsys):
    def add_indonesian(units):
        units[0].set_translator_comment("")
        units[0].set_translation("In this forum countries focus on people smuggling dan trafficking.", reviewed=True)

    _edit(translated, add_indonesian)
    capsys.readouterr()
    assert main(["check", "--root", str(translated), "--no-spellcheck", "--json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    found = {(f["check"], f["severity"], f["draft"]) for f in findings}
    assert ("indonesian-words", "warning", False) in found  # the warning is there, on a reviewed unit...
    assert {severity for _, severity, _ in found} == {"warning"}  # ...and nothing worse


def test_check_json_shape(translated, capsys):
    _edit(translated, _lose_the_footnote_marker)
    assert main(["check", "--root", str(translated), "--no-spellcheck", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"findings", "spelling", "summary"}
    [finding] = data["findings"]
    assert set(finding) == {"catalog", "msgctxt", "msgid", "location", "entry_line", "check", "severity",
                            "message", "draft"}
    assert finding["catalog"] == "locales/en/LC_MESSAGES/bali-process.po"
    assert finding["location"].startswith("source/bali-process.txt:") and isinstance(finding["entry_line"], int)
    assert (finding["check"], finding["severity"], finding["draft"]) == ("footnote-markers", "error", False)
    assert data["summary"] | {"spellcheck_seconds": 0} == {
        "catalogs": ["locales/en/LC_MESSAGES/bali-process.po"], "errors": 1, "warnings": 0, "failing": 1,
        "typos": 0, "spellcheck_seconds": 0}


def test_check_without_a_catalog_still_checks_the_source(project, capsys):
    (project / "source/bali-process.txt").write_text("Hngga saat ini forum itu skunder.\n", encoding="utf-8")
    assert main(["check", "--root", str(project), "--json"]) == 0
    captured = capsys.readouterr()
    assert "run `make update`" in captured.err
    words = [typo["word"] for typo in json.loads(captured.out)["spelling"]]
    assert words == ["Hngga", "skunder"]


def test_a_number_finding_names_what_is_missing_and_what_is_extra():
    catalog = _reviewed("Sebanyak 50.000 orang dari 12 negara.", "As many as 5,000 people from 12 countries.")
    finding, = [f for f in check_catalog(catalog, GLOSSARY) if f.check == "numbers"]
    assert finding.message == "Different numbers: missing 50.000; not in the source 5,000"


def test_errors_on_drafts_never_read_as_passed(translated, capsys):
    _edit(translated, lambda units: _lose_the_footnote_marker(units, draft=True))
    assert main(["check", "--root", str(translated), "--no-spellcheck"]) == 0
    last = capsys.readouterr().err.splitlines()[-1]
    assert "passed" not in last
    assert last.startswith("check: no errors in reviewed units, 1 error in units not reviewed yet "
                           "(they do not block without --strict);"), last
    assert main(["check", "--root", str(translated), "--no-spellcheck", "--strict"]) == 1
    assert capsys.readouterr().err.splitlines()[-1].startswith("check FAILED: 1 error to fix;")


# -- checks on machine drafts: weak drafts are flagged so reviewers can triage ------------

def _drafted(source: str, draft: str, score: float | None = -0.4, note: str | None = None) -> Catalog:
    catalog = Catalog.new("doc", language="en")
    unit = catalog.add(source, locations=[("source/doc.txt", 3)])
    unit.set_mt_draft(draft, MTMark("argos", "translate-id_en", "0.4.0", draft, score))
    if note is not None:
        unit.set_stage_note(MASK_LOST_PREFIX, note)
    return catalog


def _degenerate(catalog: Catalog) -> list[str]:
    return [f.message for f in check_catalog(catalog, GLOSSARY) if f.check == "mt-degenerate"]


SOURCE = "Forum ini menjadi sebuah forum dialog dan pertukaran informasi bagi negara anggota."


@pytest.mark.parametrize("draft, score, reason", [
    ("This forum forum forum becomes a dialogue for member states.", -0.4, "it repeats itself"),
    ("This forum becomes a dialogue, a dialogue for the member states.", -0.4, "it repeats itself"),
    ("This forum is a forum dialog dan pertukaran informasi bagi member states.", -0.4, "Indonesian left in it"),
    ("This forum.", -0.4, "its length is"),
    ("This forum becomes a forum of dialogue and exchange for member states.", -1.6, "the model was unsure"),
])
def test_a_weak_machine_draft_is_flagged_with_its_reason(draft, score, reason):
    [message] = _degenerate(_drafted(SOURCE, draft, score))
    assert message.startswith("weak machine draft: ") and reason in message


def test_a_sound_draft_a_persons_text_and_a_reviewed_unit_are_not_flagged():
    good = "This forum becomes a forum for dialogue and exchange of information for member states."
    assert _degenerate(_drafted(SOURCE, good)) == []
    catalog = _drafted(SOURCE, "This forum forum forum.", -2.0)
    catalog.units()[0].set_translation("This forum forum forum.", reviewed=True)  # a person's decision
    assert _degenerate(catalog) == []


def test_a_draft_whose_spans_were_put_back_by_guess_is_flagged_until_reviewed():
    catalog = _drafted("Lihat [situs](https://x.org).", "See [the](https://x.org) site.",
                       note="[ (put back by guess, at the end or beside its pair; check the place)")
    [finding] = [f for f in check_catalog(catalog, GLOSSARY) if f.check == "mt-mask-lost"]
    assert finding.severity == WARNING and finding.draft and "the model lost [" in finding.message
    catalog.units()[0].set_translation("See [the site](https://x.org).", reviewed=True)  # settles the note
    assert [f for f in check_catalog(catalog, GLOSSARY) if f.check == "mt-mask-lost"] == []


def test_a_url_followed_by_punctuation_in_the_source_is_the_same_url():
    source = "Diakses melalui www.baliprocess.net/files/0FINAL.DOC, pada tanggal 26 Juni 2015."
    target = "Accessed at www.baliprocess.net/files/0FINAL.DOC on 26 June 2015."
    assert check_catalog(_reviewed(source, target), GLOSSARY) == []
    lost = "Accessed at www.baliprocess.net/files/0FINAL.PDF on 26 June 2015."
    [finding] = check_catalog(_reviewed(source, lost), GLOSSARY)
    assert finding.check == "urls" and "missing www.baliprocess.net/files/0FINAL.DOC" in finding.message


@pytest.mark.parametrize("source, english", [
    ("Rapat dimulai pukul 07.30 WIB.", "The meeting starts at 7:30 a.m. WIB."),
    ("Acara selesai pukul 19.30.", "The event ends at 7:30 p.m."),
    ("Setel alarm untuk jam 3 sore.", "Set an alarm for 3 pm."),
    ("Kastil itu dibangun pada abad ke-15.", "The castle was built in the 15th century."),
    ("Berat saya lima puluh kilogram.", "I weigh 50 kilograms."),
    ("Ada 3 negara yang hadir.", "Three countries attended."),
    ("Hotel ini biayanya tujuh ribu delapan ratus yen.", "This hotel costs 7,800 yen."),
    ("Sekitar 9.000 orang hadir.", "About 9000 people attended."),
    ("Ini ulang tahun yang ke-2.", "This is the second anniversary."),
])
def test_times_ordinals_and_numbers_in_words_are_matched_not_reported(source, english):
    assert [f for f in check_catalog(_reviewed(source, english), GLOSSARY) if f.check == "numbers"] == []


def test_a_wrong_time_is_still_an_error():
    [finding] = [f for f in check_catalog(_reviewed("Rapat dimulai pukul 07.30.", "The meeting starts at 7:30 p.m."),
                                          GLOSSARY) if f.check == "numbers"]
    assert "missing 07.30" in finding.message and "not in the source 7:30" in finding.message


@pytest.mark.parametrize("source, target", [
    ("Baca <a1>satu</a1> dan <a2>dua</a2> ya.", "Read <a2>two</a2> and <a1>one</a1>."),
    ("Pakai <b>tebal</b> dan <i>miring</i>.", "Use <i>italic</i> and <b>bold</b>."),
    ("Klik <b>tombol <i>merah</i></b> di sini<br/>lalu tunggu.", "Wait<br/>after clicking the <b><i>red</i> "
                                                                  "button</b> here."),
])
def test_xmltags_allows_a_translation_to_reorder_the_tags(source, target):
    assert "xmltags" not in _checks(_reviewed(source, target))


@pytest.mark.parametrize("target, message", [
    ("Use italic and <b>bold</b>.", "Different XML tags: missing </i> <i>"),
    ("Use <i>italic</i> and <b>bold</b> <u>too</u>.", "Different XML tags: not in the source </u> <u>"),
    ("Use <i>italic and <b>bold</i></b>.", "XML tags badly nested: </i> where <b> is open"),
    ("Use </b>bold<b> and <i>italic</i>.", "XML tags badly nested: </b> where nothing is open"),
    ('Use <i>italic</i> and <b class="x">bold</b>.', 'Different XML tags: missing <b>; not in the source <b '
                                                      'class="x">'),
])
def test_xmltags_reports_a_missing_added_or_unbalanced_tag(target, message):
    findings = check_catalog(_reviewed("Pakai <b>tebal</b> dan <i>miring</i>.", target), GLOSSARY)
    assert [(f.check, f.severity, f.message) for f in findings if f.check == "xmltags"] == \
        [("xmltags", ERROR, message)]


def test_xmltags_keeps_the_toolkit_check_for_tags_not_in_the_compact_form():
    source = 'Klik <a href="https://x.id">di sini</a> sekarang.'
    assert "xmltags" in _checks(_reviewed(source, 'Click <a href="https://y.id">here</a> now.'))
    assert "xmltags" not in _checks(_reviewed(source, 'Click <a href="https://x.id">here</a> now.'))


def test_kept_text_edited_in_a_translation_is_a_warning_naming_what_is_published():
    findings = check_catalog(_reviewed('Pakai <code>a</code>, <code>b</code> di <span translate="no">Bali</span>.',
                                       'Use <code>B</code>, <code>c</code> in <span translate="no">Java</span>.'),
                             GLOSSARY)
    assert [(f.check, f.severity, f.message) for f in findings] == [
        ("kept-text", WARNING, 'code and translate="no" text is published as the source has it: "B" as "b"; '
                               '"c" as "a"; "Java" as "Bali"')]
