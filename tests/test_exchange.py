"""TMX and XLIFF: what is exported per state, validity, and XLIFF import back into the .po."""

from __future__ import annotations

import re
import shutil

import pytest
from lxml import etree
from translate.storage.tmx import tmxfile
from translate.storage.xliff2 import Xliff2File

from pipeline.catalog import SUGGESTION_PREFIX, State, load_catalog, save_catalog
from pipeline.errors import CatalogError, InputError, OutOfDateError
from pipeline.exchange import (
    MDA_NS,
    SUBSTATE_MT,
    SUBSTATE_NEEDS_UPDATE,
    XLIFF_NS,
    apply_xliff,
    export_tmx,
    export_xliff,
    parse_xliff,
    validate_tmx,
    validate_xliff,
)
from tests.bilingual_project import MARK, add_sample, edit_source, merge_catalogs, po_path, prepared, run
from tests.reliability import msgfmt_check

X = f"{{{XLIFF_NS}}}"


@pytest.fixture
def seed(project):
    """The seed's catalog in all five states."""
    states = prepared(project, "bali-process")
    return project, po_path(project, "bali-process"), states


def exported(root, *args: str):
    assert run(*args, "--root", str(root), "bali-process") == 0
    suffix = ".tmx" if args[0] == "tmx" else ".xlf"
    return root / "build" / "bilingual" / f"bali-process{suffix}"


def units_of(xlf) -> dict[str, etree._Element]:
    return {u.get("id"): u for u in etree.parse(str(xlf)).iter(f"{X}unit")}


def import_(root, xlf, *extra: str) -> int:
    return run("xliff", "import", "--root", str(root), str(xlf), *extra)


# -- TMX ----------------------------------------------------------------------

def test_tmx_holds_reviewed_units_only_and_is_valid(seed):
    root, po, states = seed
    tmx = exported(root, "tmx")
    data = tmx.read_bytes()
    assert validate_tmx(data) == []
    assert data.startswith(b"<?xml") and b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in data
    reviewed = {u.msgid: u.msgstr for u in load_catalog(po).units() if u.state is State.REVIEWED}
    memory = tmxfile(data)  # Translate Toolkit reads it as a translation memory
    assert {u.source: u.target for u in memory.units} == reviewed
    assert set(re.findall(rb'<prop type="x-state">([^<]+)</prop>', data)) == {b"reviewed"}


def test_tmx_with_drafts_marks_them_and_names_the_model(seed):
    root, po, states = seed
    data = export_tmx(load_catalog(po), include_drafts=True)
    assert validate_tmx(data) == []
    tree = etree.fromstring(data)
    drafts = [tu for tu in tree.iter("tu") if tu.findtext("prop[@type='x-state']") == "mt-draft"]
    assert len(drafts) == list(states.values()).count(State.MT_DRAFT) > 0
    assert {tu.findtext("prop[@type='x-mt-model']") for tu in drafts} == {MARK.identity}
    people = [tu for tu in tree.iter("tu") if tu.findtext("prop[@type='x-state']") == "translated"]
    assert len(people) == list(states.values()).count(State.TRANSLATED) > 0  # never left out where raw MT goes
    assert all(tu.find("prop[@type='x-mt-model']") is None for tu in people)
    assert len(tree.findall(".//tu")) == len(drafts) + len(people) + list(states.values()).count(State.REVIEWED)


def test_exports_are_deterministic(seed):
    root, _, _ = seed
    first = exported(root, "tmx").read_bytes(), exported(root, "xliff", "export").read_bytes()
    assert (exported(root, "tmx").read_bytes(), exported(root, "xliff", "export").read_bytes()) == first


# -- XLIFF export -------------------------------------------------------------

def test_xliff_maps_every_state_and_is_valid(seed):
    root, po, states = seed
    xlf = exported(root, "xliff", "export")
    assert validate_xliff(xlf.read_bytes()) == []
    units = units_of(xlf)
    catalog = load_catalog(po)
    assert list(units) == [u.uid for u in catalog.units()]
    expected = {
        State.UNTRANSLATED: ("initial", None, False),
        State.MT_DRAFT: ("translated", SUBSTATE_MT, True),
        State.NEEDS_UPDATE: ("translated", SUBSTATE_NEEDS_UPDATE, True),
        State.TRANSLATED: ("translated", None, True),
        State.REVIEWED: ("reviewed", None, True),
    }
    for unit in catalog.units():
        segment = units[unit.uid].find(f"{X}segment")
        state, sub_state, has_target = expected[unit.state]
        assert (segment.get("state"), segment.get("subState")) == (state, sub_state)
        assert segment.findtext(f"{X}source") == unit.msgid
        assert (segment.findtext(f"{X}target") or "") == (unit.msgstr if has_target else "")
        notes = {n.get("category"): n.text for n in units[unit.uid].iter(f"{X}note")}
        assert notes["context"] == unit.comment and notes["location"].startswith("source/bali-process.txt:")
        assert ("mt" in notes) == (unit.state is State.MT_DRAFT)


def test_translate_toolkit_reads_the_xliff_states(seed):
    root, po, _ = seed
    store = Xliff2File(exported(root, "xliff", "export").read_bytes())
    catalog = {u.uid: u for u in load_catalog(po).units()}
    assert len(store.units) == len(catalog)
    for xunit in store.units:
        unit = catalog[xunit.getid()]
        assert xunit.source == unit.msgid
        assert xunit.isapproved() == (unit.state is State.REVIEWED)
        assert xunit.istranslated() == bool(unit.msgstr)


def test_a_changed_source_sentence_exports_as_needs_update_with_the_old_source(seed):
    root, po, _ = seed
    source = root / "source" / "bali-process.txt"
    reviewed = next(u for u in load_catalog(po).units() if u.state is State.REVIEWED)
    old_start = reviewed.msgid.split()[:3]
    edit_source(source, "saja.", "saja, kata mereka.")  # the first sentence, reviewed in the fixture
    merge_catalogs(root)
    changed = next(u for u in load_catalog(po).units() if u.previous_msgid)
    assert changed.state is State.NEEDS_UPDATE and changed.previous_msgid.split()[:3] == old_start
    unit = units_of(exported(root, "xliff", "export"))[changed.uid]
    assert unit.find(f"{X}segment").get("subState") == SUBSTATE_NEEDS_UPDATE
    assert unit.findtext(f"{X}notes/{X}note[@category='previous-source']") == changed.previous_msgid


# -- XLIFF import -------------------------------------------------------------

def test_an_unedited_export_imports_back_to_the_same_bytes(seed):
    root, po, _ = seed
    before = po.read_bytes()
    xlf = exported(root, "xliff", "export")
    copy = root / "copy.xlf"
    shutil.copy(xlf, copy)
    assert import_(root, copy) == 0
    assert po.read_bytes() == before


def set_target(unit: etree._Element, text: str | None, state: str) -> None:
    segment = unit.find(f"{X}segment")
    segment.set("state", state)
    target = segment.find(f"{X}target")
    if target is None:
        target = etree.SubElement(segment, f"{X}target")
    target.text = text


def edit_xliff(xlf, changes: dict[str, tuple[str | None, str]], drop: set[str] = frozenset()) -> None:
    tree = etree.parse(str(xlf))
    for unit in list(tree.iter(f"{X}unit")):
        if unit.get("id") in drop:
            unit.getparent().remove(unit)
        elif unit.get("id") in changes:
            set_target(unit, *changes[unit.get("id")])
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)


def by_state(po) -> dict[State, list]:
    units: dict[State, list] = {state: [] for state in State}
    for unit in load_catalog(po).units():
        units[unit.state].append(unit)
    return units


def test_edited_targets_come_back_with_the_state_the_xliff_gives(seed):
    root, po, _ = seed
    xlf = exported(root, "xliff", "export")
    units = by_state(po)
    draft, stale, new, approve = units[State.MT_DRAFT][0], units[State.NEEDS_UPDATE][0], *units[State.UNTRANSLATED][:2]
    reviewed_edit = units[State.REVIEWED][0]
    edit_xliff(xlf, {
        draft.uid: ("Post-edited draft.", "translated"),
        stale.uid: ("Updated translation.", "final"),
        new.uid: ("A first translation.", "initial"),  # how Weblate marks "needs editing"
        approve.uid: ("Approved at once.", "reviewed"),
        reviewed_edit.uid: ("Reworded by the reviewer.", "reviewed"),
    })
    assert import_(root, xlf) == 0
    after = {u.msgid: u for u in load_catalog(po).units()}
    # A person's edit of a draft is a person's translation: post-edited, never an MT draft any more.
    assert (after[draft.msgid].msgstr, after[draft.msgid].state) == ("Post-edited draft.", State.TRANSLATED)
    assert after[draft.msgid].post_edited
    assert after[draft.msgid].mt.identity == MARK.identity  # the raw draft is kept for post-edit statistics
    assert (after[stale.msgid].msgstr, after[stale.msgid].state) == ("Updated translation.", State.REVIEWED)
    assert (after[new.msgid].msgstr, after[new.msgid].state) == ("A first translation.", State.TRANSLATED)
    assert after[new.msgid].fuzzy
    assert (after[approve.msgid].msgstr, after[approve.msgid].state) == ("Approved at once.", State.REVIEWED)
    assert after[reviewed_edit.msgid].msgstr == "Reworded by the reviewer."
    changed = {draft.msgid, stale.msgid, new.msgid, approve.msgid, reviewed_edit.msgid}
    before = {u.msgid: (u.msgstr, u.state) for s in units.values() for u in s}
    assert {m: (u.msgstr, u.state) for m, u in after.items() if m not in changed} == {
        m: v for m, v in before.items() if m not in changed
    }


def test_an_unchanged_target_marked_reviewed_approves_a_draft(seed):
    root, po, _ = seed
    xlf = exported(root, "xliff", "export")
    draft = by_state(po)[State.MT_DRAFT][0]
    edit_xliff(xlf, {draft.uid: (draft.msgstr, "reviewed")})
    assert import_(root, xlf) == 0
    assert load_catalog(po).get(draft.msgid).state is State.REVIEWED


def test_import_never_clears_a_translation_or_takes_back_a_review(seed):
    root, po, _ = seed
    before = po.read_bytes()
    xlf = exported(root, "xliff", "export")
    units = by_state(po)
    reviewed, draft = units[State.REVIEWED][0], units[State.MT_DRAFT][0]
    edit_xliff(xlf, {reviewed.uid: (reviewed.msgstr, "translated"), draft.uid: (None, "initial")})
    assert import_(root, xlf) == 0
    assert po.read_bytes() == before


def test_units_missing_from_the_xliff_are_left_alone(seed):
    root, po, _ = seed
    xlf = exported(root, "xliff", "export")
    units = by_state(po)
    kept, edited = units[State.REVIEWED][0], units[State.REVIEWED][1]
    edit_xliff(xlf, {edited.uid: ("Edited.", "reviewed")},
               drop={u.uid for u in load_catalog(po).units() if u.msgid != edited.msgid})
    assert len(units_of(xlf)) == 1
    assert import_(root, xlf) == 0
    after = load_catalog(po)
    assert after.get(edited.msgid).msgstr == "Edited."
    assert (after.get(kept.msgid).msgstr, after.get(kept.msgid).state) == (kept.msgstr, State.REVIEWED)
    assert len(after) == len(units[State.REVIEWED]) + sum(len(v) for k, v in units.items() if k != State.REVIEWED)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda t: t.replace('id="u', 'id="x', 1),
         r"unit x\w+ \('.*'\) is not in locales/en/LC_MESSAGES/bali-process.po"),
        (lambda t: t.replace("<source>Dalam forum", "<source>Di forum", 1), "the source of unit u\\w+ was edited"),
        (lambda t: t.replace("saja.</source>", 'saja.</source><target>A <ph id="1"/> b</target>', 1),
         "inline markup <ph> in a target"),
        (lambda t: t.replace('state="reviewed"', 'state="done"', 1), "not valid XLIFF 2.0: .*'done'"),
        (lambda t: t.replace("</unit>", "", 1), "not well-formed XML"),
        (lambda t: t.replace('trgLang="en"', 'trgLang="fr"'), "trgLang is 'fr'"),
        (lambda t: t.replace(XLIFF_NS, "urn:oasis:names:tc:xliff:document:1.2"), "not an XLIFF 2.0 document"),
    ],
    ids=["unknown id", "edited source", "inline markup", "bad state", "broken XML", "other language", "XLIFF 1.2"],
)
def test_bad_xliff_is_refused_with_its_line_and_nothing_written(seed, capsys, damage, message):
    root, po, _ = seed
    before = po.read_bytes()
    xlf = exported(root, "xliff", "export")
    units = by_state(po)
    edit_xliff(xlf, {units[State.MT_DRAFT][0].uid: ("A good edit that must not land.", "reviewed")})
    xlf.write_text(damage(xlf.read_text(encoding="utf-8")), encoding="utf-8")
    capsys.readouterr()
    assert import_(root, xlf) == InputError.exit_code
    error = capsys.readouterr().err
    assert re.search(message, error), error
    assert re.match(r"error: build/bilingual/bali-process.xlf(:\d+)?: ", error)
    assert po.read_bytes() == before


def line_of(xlf, text: str) -> int:
    return next(n for n, line in enumerate(xlf.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def reviewer_saves(po, texts: dict[str, str]) -> bytes:
    """Approve new translations in the .po, as the review page does after an export; the .po's new bytes."""
    catalog = load_catalog(po)
    for msgid, text in texts.items():
        catalog.get(msgid).set_translation(text, reviewed=True)
    save_catalog(catalog, po)
    return po.read_bytes()


@pytest.fixture
def exported_then_reviewed(seed):
    """An XLIFF export, then a reviewer's work in the .po on a reviewed unit and on an MT draft
    (and a reviewed unit the reviewer left alone)."""
    root, po, _ = seed
    xlf = exported(root, "xliff", "export")
    units = by_state(po)
    reviewed, draft, other = units[State.REVIEWED][0], units[State.MT_DRAFT][0], units[State.REVIEWED][1]
    after_review = reviewer_saves(po, {reviewed.msgid: "Newer reviewed text.", draft.msgid: "Newer draft review."})
    return root, po, xlf, reviewed, draft, other, after_review


def test_an_older_export_does_not_undo_newer_work_in_the_po(exported_then_reviewed):
    root, po, xlf, _, _, _, after_review = exported_then_reviewed
    assert import_(root, xlf) == 0  # its targets are as exported: the .po's newer versions stay
    assert po.read_bytes() == after_review


def test_an_edit_made_in_both_the_po_and_the_xliff_is_refused(exported_then_reviewed, capsys):
    root, po, xlf, reviewed, draft, other, after_review = exported_then_reviewed
    edit_xliff(xlf, {
        reviewed.uid: ("The translator's text.", "reviewed"),
        draft.uid: (draft.msgstr, "reviewed"),  # approving the draft the reviewer has since replaced
        other.uid: ("A good edit that must not land either.", "reviewed"),
    })
    capsys.readouterr()
    assert import_(root, xlf) == InputError.exit_code
    error = capsys.readouterr().err
    first = min(line_of(xlf, reviewed.uid), line_of(xlf, draft.uid))
    assert error.startswith(f"error: build/bilingual/bali-process.xlf:{first}: unit u"), error
    assert "was edited both in this file and in locales/en/LC_MESSAGES/bali-process.po" in error
    assert "(2 units in conflict)" in error and "export again" in error
    assert po.read_bytes() == after_review


def test_edits_to_units_the_po_did_not_change_still_apply(exported_then_reviewed):
    root, po, xlf, reviewed, draft, other, _ = exported_then_reviewed
    before = {u.msgid: (u.msgstr, u.state) for u in load_catalog(po).units()}
    edit_xliff(xlf, {other.uid: ("Edited in the CAT tool.", "reviewed")})
    for _ in range(2):  # importing the same file again changes nothing more
        assert import_(root, xlf) == 0
        after = {u.msgid: (u.msgstr, u.state) for u in load_catalog(po).units()}
        assert after == before | {other.msgid: ("Edited in the CAT tool.", State.REVIEWED)}
    assert after[reviewed.msgid] == ("Newer reviewed text.", State.REVIEWED)
    assert after[draft.msgid] == ("Newer draft review.", State.REVIEWED)
    msgfmt_check(po)


def test_an_export_without_fingerprints_imports_unchecked(exported_then_reviewed):
    root, po, xlf, reviewed, _, _, _ = exported_then_reviewed
    tree = etree.parse(str(xlf))
    for metadata in list(tree.iter(f"{{{MDA_NS}}}metadata")):
        metadata.getparent().remove(metadata)
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    assert validate_xliff(xlf.read_bytes()) == []
    edit_xliff(xlf, {reviewed.uid: ("Translator's text.", "reviewed")})
    assert import_(root, xlf) == 0
    assert load_catalog(po).get(reviewed.msgid).msgstr == "Translator's text."  # as before fingerprints
    msgfmt_check(po)


def test_fingerprints_survive_an_edit_in_a_translate_toolkit_tool(exported_then_reviewed):
    root, po, xlf, reviewed, _, _, after_review = exported_then_reviewed
    store = Xliff2File(xlf.read_bytes())
    next(u for u in store.units if u.getid() == reviewed.uid).target = "Edited with Translate Toolkit."
    xlf.write_bytes(bytes(store))
    assert import_(root, xlf) == InputError.exit_code  # the conflict is still seen
    assert po.read_bytes() == after_review


def a_second_file(text: str, new_id: str | None) -> str:
    file = re.search(r"  <file .*?</file>\n", text, re.DOTALL).group(0)
    copy = file if new_id is None else re.sub(r'<file id="[^"]*"', f'<file id="{new_id}"', file, count=1)
    return text.replace(file, file + copy)


def a_unit_id_twice(text: str) -> str:
    unit = re.search(r"    <unit .*?</unit>\n", text, re.DOTALL).group(0)
    return text.replace(unit, unit + re.sub(r"<target>[^<]*", "<target>The copy would win.", unit))


@pytest.mark.parametrize(
    "damage, message",
    [
        (a_unit_id_twice, r"Duplicate key-sequence \['u\w+'\] in unique identity-constraint .*unitId"),
        (lambda t: a_second_file(t, None), r"Duplicate key-sequence \['bali-process'\] .*fileId"),
        (lambda t: a_second_file(t, "copy"), r"a second <file> for document bali-process \(the first is at line 3\)"),
    ],
    ids=["unit id", "file id", "same document"],
)
def test_duplicates_are_refused_at_the_second(seed, capsys, damage, message):
    root, po, _ = seed
    before = po.read_bytes()
    xlf = exported(root, "xliff", "export")
    edit_xliff(xlf, {by_state(po)[State.MT_DRAFT][0].uid: ("A good edit that must not land.", "reviewed")})
    text = damage(xlf.read_text(encoding="utf-8"))
    xlf.write_text(text, encoding="utf-8")
    twice = re.search(r'<unit id="u\w+"', text).group(0) if "unitId" in message else "<file "
    second = [n for n, row in enumerate(text.splitlines(), 1) if twice in row][1]
    capsys.readouterr()
    assert import_(root, xlf) == InputError.exit_code
    error = capsys.readouterr().err
    assert error.startswith(f"error: build/bilingual/bali-process.xlf:{second}: "), error
    assert re.search(message, error), error
    assert po.read_bytes() == before


def test_unknown_id_error_names_the_line_of_the_unit(seed):
    root, po, _ = seed
    data = exported(root, "xliff", "export").read_text(encoding="utf-8").replace('id="u', 'id="x', 1)
    line = next(n for n, text in enumerate(data.splitlines(), 1) if 'id="x' in text)
    with pytest.raises(InputError) as error:
        for xliff in parse_xliff(data.encode(), "file.xlf"):
            apply_xliff(xliff, load_catalog(po, display_path="the.po"), "file.xlf")
    assert error.value.line == line and "the.po" in error.value.message


def test_entities_are_not_expanded(seed, tmp_path):
    root, po, _ = seed
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    data = exported(root, "xliff", "export").read_text(encoding="utf-8")
    data = data.replace(
        "<?xml version='1.0' encoding='UTF-8'?>",
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE xliff [<!ENTITY leak SYSTEM "file://{secret}">]>',
    )
    data = re.sub(r"(<target>)Reviewed 0 [^<]*", r"\1&leak;", data, count=1)
    with pytest.raises(InputError, match="entity reference &leak;") as error:
        parse_xliff(data.encode(), "evil.xlf")
    assert "top secret" not in str(error.value)


def test_exports_refuse_a_catalog_that_does_not_match_the_source(seed, capsys):
    root, _, _ = seed
    source = root / "source" / "bali-process.txt"
    edit_source(source, "saja.", "saja, kata mereka.")  # a sentence the catalog does not have
    for command in (["tmx"], ["xliff", "export"]):
        assert run(*command, "--root", str(root), "bali-process") == OutOfDateError.exit_code
        assert "the catalog is out of date, run `make update`" in capsys.readouterr().err
    assert not (root / "build" / "bilingual").exists()


def test_exports_refuse_entries_the_source_no_longer_has(project, capsys):
    source = add_sample(project)
    merge_catalogs(project)
    edit_source(source, "- Butir dua.\n", "")
    assert run("xliff", "export", "--root", str(project), "contoh") == OutOfDateError.exit_code
    assert "1 catalog entries are no longer in source/contoh.md" in capsys.readouterr().err


def test_text_xml_cannot_hold_is_a_catalog_error_at_the_unit(seed):
    _, po, _ = seed
    catalog = load_catalog(po, display_path="the.po")
    unit = next(u for u in catalog.units() if u.state is State.REVIEWED)
    unit.set_translation("Bell \x07 character.", reviewed=True)
    with pytest.raises(CatalogError) as error:
        export_xliff(catalog, original="source/bali-process.txt")
    assert error.value.path == "the.po" and error.value.line == unit.line


def test_a_fresh_mt_suggestion_does_not_turn_an_export_into_a_conflict(seed):
    # `translate` offers a fresh draft beside a needs-update unit (# mt-suggestion) after the
    # export: advice, not a change of the translation, so the translator's edit still lands.
    root, po, _ = seed
    xlf = exported(root, "xliff", "export")
    stale = by_state(po)[State.NEEDS_UPDATE][0]
    catalog = load_catalog(po)
    catalog.get(stale.msgid, stale.msgctxt).set_stage_note(SUGGESTION_PREFIX, "A fresh machine suggestion.")
    save_catalog(catalog, po)
    edit_xliff(xlf, {stale.uid: ("The translator's update.", "final")})
    assert import_(root, xlf) == 0
    unit = load_catalog(po).get(stale.msgid, stale.msgctxt)
    assert (unit.msgstr, unit.state) == ("The translator's update.", State.REVIEWED)
    assert unit.stage_note(SUGGESTION_PREFIX) is None  # settled by the approval
