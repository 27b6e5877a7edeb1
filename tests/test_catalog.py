"""Catalog I/O: strict reading, deterministic atomic writing, states and marks."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from pipeline.catalog import (
    PO_STAMP,
    POT_STAMP,
    STAGE_NOTE_PREFIXES,
    Catalog,
    MTMark,
    State,
    load_catalog,
    save_catalog,
)
from pipeline.errors import CatalogError

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={charset}\\n"\n"Language: en\\n"\n\n'
MARK = MTMark("argos", "translate-id_en", "1.0", "Hello world.")


def write(tmp_path: Path, body: str, charset: str = "UTF-8") -> Path:
    path = tmp_path / "doc.po"
    path.write_text(HEADER.format(charset=charset) + body, encoding="utf-8")
    return path


def sample(language: str | None = "en") -> Catalog:
    catalog = Catalog.new("doc", language=language)
    catalog.add("Halo dunia.", locations=[("source/doc.txt", 1)], comment="block 1 (paragraph), sentence 1 of 2")
    catalog.add("Apa kabar?", locations=[("source/doc.txt", 2)], comment="block 1 (paragraph), sentence 2 of 2")
    return catalog


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ('msgid "Halo"\nmsgstr "Hello\n', 7, "unterminated string"),
        ('msgid "Halo"\nmsgstr "Hello"\n\nmsgid "Halo"\nmsgstr "Hi"\n', 9, "duplicate msgid"),
        ('msgid "Halo"\nmsgstr "Hello" junk\n', 7, "syntax error"),
        ('msgid "Halo"\nmsgid_plural "Halos"\nmsgstr[0] "Hello"\nmsgstr[1] "Hellos"\n', 6, "plural"),
        ('#~ msgid "Lama"\n#~ msgstr "Old\n', 7, "unterminated string"),
    ],
)
def test_malformed_catalogs_are_refused_with_their_line(tmp_path, body, line, message):
    path = write(tmp_path, body)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_babel_would_silently_truncate_what_we_refuse(tmp_path):
    """The reason for the lexical pre-check: babel keeps a damaged string."""
    path = write(tmp_path, 'msgid "Halo"\nmsgstr "Hello\n')
    with path.open("rb") as handle:
        message = read_po(handle).get("Halo")
    assert message is not None and message.string != "Hello"  # damaged, not refused
    with pytest.raises(CatalogError):
        load_catalog(path)


def test_a_foreign_charset_is_refused(tmp_path):
    path = write(tmp_path, 'msgid "Halo"\nmsgstr "Hello"\n', charset="ISO-8859-1")
    with pytest.raises(CatalogError, match="charset is ISO-8859-1") as caught:
        load_catalog(path)
    assert caught.value.line == 3


def test_invalid_utf8_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, 'msgid "Halo"\nmsgstr "Hello"\n')
    path.write_bytes(path.read_bytes().replace(b"Hello", b"Hell\xe9"))
    with pytest.raises(CatalogError, match="UTF-8") as caught:
        load_catalog(path)
    assert caught.value.line == 7


def test_a_different_language_is_refused(tmp_path):
    path = write(tmp_path, 'msgid "Halo"\nmsgstr "Hello"\n')
    with pytest.raises(CatalogError, match="expected 'fr'"):
        load_catalog(path, language="fr")


def test_saving_twice_changes_no_byte_and_keeps_the_stamp(tmp_path, monkeypatch):
    path = tmp_path / "doc.pot"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert save_catalog(sample(language=None), path, stamp=POT_STAMP) is True
    first = path.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert save_catalog(load_catalog(path), path, stamp=POT_STAMP) is False
    # rebuilt from scratch at a later time, same content: still no write
    assert save_catalog(sample(language=None), path, stamp=POT_STAMP) is False
    assert path.read_bytes() == first


def test_the_stamp_moves_only_when_content_changes(tmp_path, monkeypatch):
    path = tmp_path / "doc.po"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    save_catalog(sample(), path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    catalog = load_catalog(path)
    catalog.get("Halo dunia.").set_translation("Hello world.", reviewed=True)
    assert save_catalog(catalog, path) is True
    assert load_catalog(path).metadata[PO_STAMP] == "2027-01-15 08:00+0000"


def test_states_and_marks_round_trip(tmp_path):
    catalog = sample()
    catalog.get("Halo dunia.").set_mt_draft("Hello world.", MARK)
    catalog.get("Apa kabar?").set_translation("How are you?", reviewed=True)
    catalog.add("Lama.", msgstr="Old.", flags=["fuzzy"], previous_msgid="Lama sekali.")
    catalog.add("Belum.", msgstr="Not yet.", flags=["fuzzy"])  # Poedit's "needs work": no mark, no previous
    save_catalog(catalog, tmp_path / "doc.po")
    loaded = load_catalog(tmp_path / "doc.po")
    assert loaded.get("Belum.").state is State.TRANSLATED
    assert loaded.get("Halo dunia.").state is State.MT_DRAFT
    assert loaded.get("Halo dunia.").mt == MARK
    assert loaded.get("Apa kabar?").state is State.REVIEWED
    assert loaded.get("Lama.").state is State.NEEDS_UPDATE
    assert loaded.get("Lama.").previous_msgid == "Lama sekali."


def test_raw_mt_with_newlines_and_backslashes_survives(tmp_path):
    catalog = sample()
    mark = MTMark("argos", "m", "2", "line one\nline \\ two")
    catalog.get("Halo dunia.").set_mt_draft("x", mark)
    save_catalog(catalog, tmp_path / "doc.po")
    assert load_catalog(tmp_path / "doc.po").get("Halo dunia.").mt == mark


def test_long_raw_mt_and_reviewer_notes_are_never_wrapped(tmp_path):
    """polib would wrap comment lines at 79 columns and cut the raw MT."""
    raw = "The member states also cooperate  in identifying " + "various problems closely related to crime " * 4
    note = ("Reviewer:  keep 'Bali Process' as is; " + "see the style guide section on names " * 3).strip()
    catalog = sample()
    unit = catalog.get("Halo dunia.")
    unit.set_translator_comment(note)
    unit.set_mt_draft(raw.strip(), MTMark("argos", "m", "1", raw))
    save_catalog(catalog, tmp_path / "doc.po")
    subprocess.run(["msgcat", "-o", str(tmp_path / "cat.po"), str(tmp_path / "doc.po")], check=True)
    subprocess.run(["msgmerge", "-q", "--previous", "-o", str(tmp_path / "merged.po"),
                    str(tmp_path / "doc.po"), str(tmp_path / "doc.po")], check=True)
    for name in ("doc.po", "cat.po", "merged.po"):
        loaded = load_catalog(tmp_path / name).get("Halo dunia.")
        assert loaded.mt.raw == raw, name
        assert loaded.translator_comment == note, name


def test_a_note_typed_below_the_mark_stays_a_note(tmp_path):
    """Poedit appends a reviewer's note after the mark lines; it is no wrapped part of the raw MT."""
    body = ('# mt: engine=argos model=m version=1\n# mt-raw: Hello world.\n# Reviewer note: check the name\n'
            '#, fuzzy\nmsgid "Halo dunia."\nmsgstr "Hello world."\n')
    unit = load_catalog(write(tmp_path, body)).get("Halo dunia.")
    assert unit.mt == MTMark("argos", "m", "1", "Hello world.")
    assert unit.translator_comment == "Reviewer note: check the name"
    assert unit.state is State.MT_DRAFT  # still an unedited draft, not human work


@pytest.mark.parametrize("character", ["\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1c"])
def test_line_separators_inside_a_string_survive_a_round_trip(tmp_path, character):
    """str.splitlines() breaks at these; GNU gettext and this reader break at "\\n" only."""
    catalog = sample()
    translation = f"Hello{character}world."
    catalog.get("Halo dunia.").set_translation(translation, reviewed=True)
    catalog.get("Apa kabar?").set_translator_comment(f"pasted{character}note")
    path = tmp_path / "doc.po"
    save_catalog(catalog, path)
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)
    loaded = load_catalog(path)
    assert loaded.get("Halo dunia.").msgstr == translation
    assert loaded.get("Apa kabar?").translator_comment == f"pasted{character}note"


def test_a_crlf_catalog_reads_like_its_lf_twin(tmp_path):
    path = write(tmp_path, '#, fuzzy\nmsgid "Halo dunia."\nmsgstr "Hello."\n')
    expected = load_catalog(path).to_text()
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert load_catalog(path).to_text() == expected


def test_reviewing_keeps_the_mark_and_the_reviewers_comment():
    unit = sample().get("Halo dunia.")
    unit.set_translator_comment("check the name")
    unit.set_mt_draft("Hello world.", MARK)
    unit.set_translation("Hello, world.", reviewed=True)
    assert unit.state is State.REVIEWED
    assert unit.mt == MARK  # kept for post-edit statistics
    assert unit.translator_comment == "check the name"


def test_template_and_catalog_headers_pass_msgfmt_check(tmp_path):
    template = sample()
    template_path = tmp_path / "doc.pot"
    save_catalog(Catalog.new("doc", language=None), template_path, stamp=POT_STAMP)
    catalog = sample()
    catalog.get("Halo dunia.").set_mt_draft("Hello world.", MARK)
    save_catalog(catalog, tmp_path / "doc.po")
    for path in (template_path, tmp_path / "doc.po"):
        result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    header = load_catalog(tmp_path / "doc.po").metadata
    assert header["Language"] == "en"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Project-Id-Version"] == "doc"
    assert template.language == "en"


def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "doc.po"
    save_catalog(sample(), path)
    before = path.read_bytes()
    catalog = load_catalog(path)
    catalog.get("Halo dunia.").set_translation("Hello world.", reviewed=True)

    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", fail)
    with pytest.raises(OSError):
        save_catalog(catalog, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["doc.po"]  # no temporary file left


def test_a_file_name_with_spaces_survives_in_references(tmp_path):
    """Written as GNU gettext 0.22+ writes it (between U+2068 and U+2069), read back whole."""
    catalog = Catalog.new("laporan", language="en")
    long_name = "source/laporan tahunan forum kerja sama regional 2024 edisi revisi kedua.txt"
    catalog.add("Halo.", locations=[("source/laporan tahunan.txt", 3), (long_name, 12), ("source/b.txt", 4)])
    path = tmp_path / "doc.po"
    save_catalog(catalog, path)
    assert "#: \u2068source/laporan tahunan.txt\u2069:3" in path.read_text(encoding="utf-8")
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)
    expected = [("source/laporan tahunan.txt", 3), (long_name, 12), ("source/b.txt", 4)]
    assert load_catalog(path).get("Halo.").locations == expected  # the long name was wrapped over two lines
    # Not checked through msgcat: Debian's gettext 0.21 predates the isolates and
    # treats each space-separated piece as a reference of its own.


# -- the unit's version: which lines of an entry it covers is a file-format rule --

def _drafted_unit():
    catalog = Catalog.new("doc", language="en")
    unit = catalog.add("Kalimat pertama.", locations=[("source/doc.txt", 1)])
    unit.set_mt_draft("First sentence.", MTMark("argos", "translate-id_en", "0.4.0", "First sentence."))
    return unit


@pytest.mark.parametrize("change", [
    lambda u: u.set_translation("The first sentence.", reviewed=False),  # the text
    lambda u: u.set_translation("First sentence.", reviewed=True),  # approval (the fuzzy flag)
    lambda u: u.set_translator_comment("Check the name with the author."),  # a person's note
    lambda u: u.set_translator_comment("qa-skip: length-ratio"),  # a person silencing a check
    lambda u: u.set_mt_draft("First sentence.", MTMark("argos", "translate-id_en", "0.5.0", "First sentence.")),
    lambda u: u.clear(),
], ids=["text", "approval", "note", "qa-skip", "mt-mark", "cleared"])
def test_the_version_covers_what_a_persons_edit_changes_or_relies_on(change):
    unit = _drafted_unit()
    before = unit.version
    change(unit)
    assert unit.version != before


@pytest.mark.parametrize("prefix", STAGE_NOTE_PREFIXES)
def test_the_stages_own_notes_leave_the_version_alone(prefix):
    # A `translate` run that offers a fresh suggestion changes no translation, so it must
    # not make an open review-page edit or an outstanding XLIFF export stale.
    unit = _drafted_unit()
    unit.set_translator_comment("A reviewer's note.")
    before = unit.version
    unit.set_stage_note(prefix, "Another draft.\nOn two lines")
    assert unit.stage_note(prefix) == "Another draft.\nOn two lines"
    assert unit.translator_comment.endswith(prefix + "Another draft.\\nOn two lines")
    assert unit.version == before
    unit.set_stage_note(prefix, None)
    assert unit.stage_note(prefix) is None and unit.translator_comment == "A reviewer's note."


def test_only_unchanged_engine_output_is_an_mt_draft():
    unit = _drafted_unit()
    assert (unit.state, unit.has_human_work, unit.post_edited) == (State.MT_DRAFT, False, False)
    unit.set_translation("The first sentence.", reviewed=False)  # what Ctrl+S in the review page does
    assert (unit.state, unit.has_human_work, unit.post_edited) == (State.TRANSLATED, True, True)
    assert unit.mt.raw == "First sentence."  # the model stays as history
    unit.set_translation("The first sentence.", reviewed=True)
    assert (unit.state, unit.has_human_work, unit.post_edited) == (State.REVIEWED, True, True)
    unit.set_translation("The first sentence!", reviewed=False)  # a reviewed unit edited again
    assert unit.state is State.TRANSLATED


def test_the_unit_id_is_an_xml_name_that_survives_edits():
    unit = _drafted_unit()
    uid = unit.uid
    unit.set_translation("Changed.", reviewed=True)
    assert unit.uid == uid and uid[0] == "u" and len(uid) == 17
    assert Catalog.new("doc", language="en").add("Kalimat pertama.", msgctxt="2").uid != uid


def test_a_note_below_a_long_mark_line_is_never_swallowed_into_it(tmp_path):
    """Marks and stage notes are written whole, longer than tools wrap at: what follows is a person's line."""
    catalog = Catalog.new("doc", language="en")
    unit = catalog.add("Proses Bali didirikan pada tahun 2002.", locations=[("source/doc.txt", 1)])
    raw = ("The Bali Process was founded in 2002 to deal with people smuggling and trafficking in persons, "
           "2002.")
    unit.set_mt_draft(raw, MTMark("argos", "translate-id_en", "0.4.0", raw, -0.4))
    suggestion = "A long fresh suggestion for the changed sentence, long enough to wrap."
    unit.set_stage_note(STAGE_NOTE_PREFIXES[0], suggestion)
    save_catalog(catalog, tmp_path / "doc.po")
    text = (tmp_path / "doc.po").read_text(encoding="utf-8")
    text = text.replace("#: source/doc.txt:1", "# Keep the year as it is\n# qa-skip: numbers\n#: source/doc.txt:1")
    (tmp_path / "doc.po").write_text(text, encoding="utf-8")
    read = load_catalog(tmp_path / "doc.po").units()[0]
    assert read.mt.raw == raw and read.state is State.MT_DRAFT
    assert read.stage_note(STAGE_NOTE_PREFIXES[0]).endswith("long enough to wrap.")
    assert "Keep the year as it is\nqa-skip: numbers" in read.translator_comment


def test_a_pasted_line_separator_in_a_note_survives_approval():
    catalog = Catalog.new("doc", language="en")
    unit = catalog.add("Kalimat.")
    unit.set_translator_comment("pasted\u2028note from the PDF")
    unit.set_stage_note(STAGE_NOTE_PREFIXES[0], "Sentence.")
    unit.set_translation("Sentence.", reviewed=True)
    assert unit.translator_comment == "pasted\u2028note from the PDF"
