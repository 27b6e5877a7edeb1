"""MT marks survive the real GNU tools, polib and babel."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
from babel.messages.pofile import read_po, write_po

from pipeline.catalog import POT_STAMP, Catalog, State, load_catalog, save_catalog
from pipeline.translate import draft_catalog
from tests.mt_support import CountingEngine, catalog_of

SHORT = ["Kalimat baru.", "Kalimat kedua.[1]", "Pada 2002.", "Kalimat berubah lagi."]
LONG = "Dalam forum ini negara-negara tidak hanya terfokus pada upaya-upaya penanggulangan masalah saja."


def _mangle_digits(text: str) -> str:
    return text.replace("ZX0", "").upper()


def _catalogs(tmp_path: Path, msgids: list[str]) -> tuple[Path, Path]:
    """A .pot and a .po with an MT draft, a lost-mask draft, a suggestion and a reviewed draft."""
    catalog = catalog_of(*msgids[:-1])
    catalog.add(msgids[-1], msgstr="Old human translation.", flags=["fuzzy"], previous_msgid="Kalimat berubah.",
                locations=[("source/doc.txt", 9)])
    draft_catalog(catalog, CountingEngine(_mangle_digits))
    catalog.get(msgids[0]).set_translation("Reviewed.", reviewed=True)
    template = Catalog.new("doc", language=None)
    for unit in catalog.units():
        template.add(unit.msgid, locations=unit.locations)
    pot, po = tmp_path / "doc.pot", tmp_path / "doc.po"
    save_catalog(template, pot, stamp=POT_STAMP)
    save_catalog(catalog, po)
    return pot, po


def _marks(path: Path) -> list[tuple]:
    """What the MT stage wrote: state, mark (with the raw output) and its own comment lines."""
    return [(u.msgid, u.state, u.mt, _own_lines(u.translator_comment), u.has_human_work)
            for u in load_catalog(path).units()]


def _own_lines(comment: str) -> str:
    return "\n".join(line for line in comment.splitlines() if line.startswith(("mt-suggestion:", "mt-mask-lost:")))


def _run(*argv: str) -> None:
    result = subprocess.run(argv, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _round_trips(pot: Path, po: Path, out: Path) -> dict[str, Path]:
    _run("msgmerge", "--previous", "--quiet", "-o", str(out / "msgmerge.po"), str(po), str(pot))
    _run("msgcat", "-o", str(out / "msgcat.po"), str(po))
    polib.pofile(str(po), wrapwidth=79).save(str(out / "polib.po"))
    with po.open("rb") as handle:
        babel_catalog = read_po(handle)
    with (out / "babel.po").open("wb") as handle:
        write_po(handle, babel_catalog, include_previous=True)
    return {name: out / f"{name}.po" for name in ("msgmerge", "msgcat", "polib", "babel")}


def test_the_catalog_with_marks_passes_msgfmt_check(tmp_path):
    _, po = _catalogs(tmp_path, SHORT)
    _run("msgfmt", "-c", "-o", "/dev/null", str(po))


def test_marks_and_states_survive_every_tool(tmp_path):
    pot, po = _catalogs(tmp_path, SHORT)
    expected = _marks(po)
    assert [state for _, state, _, _, _ in expected] == [State.REVIEWED, State.MT_DRAFT, State.MT_DRAFT,
                                                         State.NEEDS_UPDATE]
    assert "mt-mask-lost: [1]" in expected[1][3] and "mt-mask-lost: 2002" in expected[2][3]
    assert expected[3][3] == "mt-suggestion: KALIMAT BERUBAH LAGI."
    for tool, path in _round_trips(pot, po, tmp_path).items():
        assert _marks(path) == expected, tool
        _run("msgfmt", "-c", "-o", "/dev/null", str(path))


def test_the_mark_of_a_long_sentence_survives_saving_and_the_gnu_tools(tmp_path):
    pot, po = _catalogs(tmp_path, [LONG, *SHORT[1:]])
    expected = _marks(po)
    assert expected[0][2].raw == LONG.upper() and not expected[1][4]
    for tool in ("msgmerge", "msgcat"):
        assert _marks(_round_trips(pot, po, tmp_path)[tool]) == expected, tool


def test_the_mark_of_a_long_sentence_survives_a_polib_or_babel_rewrite(tmp_path):
    pot, po = _catalogs(tmp_path, [LONG, *SHORT[1:]])
    expected = _marks(po)
    for tool in ("polib", "babel"):
        assert _marks(_round_trips(pot, po, tmp_path)[tool]) == expected, tool


def test_a_draft_msgmerge_carries_to_a_changed_sentence_is_no_draft_of_it(tmp_path):
    """msgmerge keeps an entry that is already fuzzy as it is, with no #| previous msgid: the
    mark's source stamp tells the draft of the old sentence from a draft of the new one."""
    old = "Kerjasama regional penting bagi penyelundupan manusia."
    new = "Kerjasama regional penting bagi penyelundupan orang."
    catalog = catalog_of(old, "Kalimat kedua yang tidak berubah.")
    draft_catalog(catalog, CountingEngine(str.upper))
    catalog.get("Kalimat kedua yang tidak berubah.").set_translation("A person's text.", reviewed=False)
    po, pot = tmp_path / "doc.po", tmp_path / "doc.pot"
    save_catalog(catalog, po)
    template = Catalog.new("doc", language=None)
    template.add(new, locations=[("source/doc.txt", 1)])
    template.add("Kalimat kedua yang tidak berubah.", locations=[("source/doc.txt", 2)])
    save_catalog(template, pot, stamp=POT_STAMP)
    _run("msgmerge", "--previous", "--quiet", "-o", str(tmp_path / "merged.po"), str(po), str(pot))
    merged = load_catalog(tmp_path / "merged.po")
    carried = merged.get(new)
    assert carried.msgstr == old.upper()  # msgmerge carried the draft...
    assert carried.state is State.UNTRANSLATED and not carried.has_human_work  # ...we know it is stale
    draft_catalog(merged, CountingEngine(str.upper))
    assert (merged.get(new).state, merged.get(new).msgstr) == (State.MT_DRAFT, new.upper())  # drafted afresh
    assert merged.get("Kalimat kedua yang tidak berubah.").msgstr == "A person's text."
