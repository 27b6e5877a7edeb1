"""A person's text is never labelled machine output, in any output.

One unit's provenance is decided by ``Unit.state`` alone; these tests change
units the way people do (a .po edited as Poedit saves it, the review page's
Save in Chromium is in test_review.py) and then read every export: the
bilingual HTML and Markdown, the TMX, the XLIFF, `stats --json` and the
review page's JSON.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from lxml import etree

from pipeline.catalog import MTMark, State, load_catalog, save_catalog
from pipeline.cli import main
from pipeline.project import Project
from pipeline.review.web import create_app

DOMAIN = "bali-process"
MARK = MTMark("argos", "translate-id_en", "0.4.0", "")
XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"


@pytest.fixture
def drafted(project: Path) -> Path:
    """The seed project with every unit an unedited MT draft, as `make translate` leaves it."""
    assert main(["extract", "--root", str(project)]) == 0
    assert main(["update", "--root", str(project)]) == 0
    po = Project(project).po_path(DOMAIN)
    catalog = load_catalog(po)
    for number, unit in enumerate(catalog.units(), start=1):
        draft = f"Machine draft number {number} of the document."
        unit.set_mt_draft(draft, MTMark(MARK.engine, MARK.model, MARK.version, draft, -0.5))
    save_catalog(catalog, po)
    return project


def edit_as_poedit(po: Path, old: str, new: str, *, approve: bool = False) -> None:
    """Change a msgstr in the file's text, keeping every comment, as Poedit does;
    approving removes the fuzzy flag."""
    text = po.read_text(encoding="utf-8")
    assert f'msgstr "{old}"' in text
    text = text.replace(f'msgstr "{old}"', f'msgstr "{new}"')
    if approve:
        before = text[: text.index(f'msgstr "{new}"')]
        flag = before.rindex("#, fuzzy\n")
        text = text[:flag] + text[flag + len("#, fuzzy\n"):]
    po.write_text(text, encoding="utf-8")


def exports(root: Path) -> dict[str, object]:
    """Every output that says something about a unit's provenance."""
    assert main(["bilingual", "--root", str(root)]) == 0
    assert main(["tmx", "--root", str(root), "--include-drafts"]) == 0
    assert main(["xliff", "export", "--root", str(root)]) == 0
    out = root / "build" / "bilingual"
    app = create_app(Project(root))
    app.testing = True
    page = app.test_client().get(f"/doc/{DOMAIN}").get_data(as_text=True)
    return {
        "html": (out / f"{DOMAIN}.html").read_text(encoding="utf-8"),
        "markdown": (out / f"{DOMAIN}.md").read_text(encoding="utf-8"),
        "tmx": etree.parse(str(out / f"{DOMAIN}.tmx")),
        "xliff": etree.parse(str(out / f"{DOMAIN}.xlf")),
        "review": page,
    }


def stats_of(root: Path, capsys) -> dict:
    capsys.readouterr()
    assert main(["stats", "--root", str(root), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def what_exports_say(outputs: dict, text: str) -> dict[str, str | None]:
    """The state each output gives the unit whose English is ``text``."""
    html_state = re.search(rf'data-state="([\w-]+)"[^>]*>{re.escape(text)}<', outputs["html"])
    markdown = "mt-draft" if f"[MT] {text}" in outputs["markdown"] else (
        "person" if text in outputs["markdown"] else None)
    tmx_states = [tu.findtext("prop[@type='x-state']") for tu in outputs["tmx"].iter("tu")
                  if any(seg.text == text for seg in tu.iter("seg"))]
    segments = [s for s in outputs["xliff"].iter(f"{XLIFF}segment") if s.findtext(f"{XLIFF}target") == text]
    card = re.search(rf'class="unit state-([\w-]+)[^"]*"(?:(?!</article>).)*?>{re.escape(text)}</textarea>',
                     unescape(outputs["review"]), re.DOTALL)
    return {
        "html": html_state.group(1) if html_state else None,
        "markdown": markdown,
        "tmx": tmx_states[0] if tmx_states else None,
        "xliff": (segments[0].get("state"), segments[0].get("subState")) if segments else None,
        "review": card.group(1) if card else None,
    }


def test_a_draft_edited_in_poedit_is_a_persons_translation_everywhere(drafted, capsys):
    po = Project(drafted).po_path(DOMAIN)
    edit_as_poedit(po, "Machine draft number 2 of the document.", "A person rewrote this sentence.")
    unit = load_catalog(po).units()[1]
    assert (unit.state, unit.post_edited, unit.mt.raw) == (
        State.TRANSLATED, True, "Machine draft number 2 of the document.")  # the model stays as history
    said = what_exports_say(exports(drafted), "A person rewrote this sentence.")
    assert said == {"html": "translated", "markdown": "person", "tmx": "translated",
                    "xliff": ("translated", None), "review": "translated"}
    untouched = what_exports_say(exports(drafted), "Machine draft number 3 of the document.")
    assert untouched["html"] == "mt-draft" and untouched["markdown"] == "mt-draft"
    assert untouched["tmx"] == "mt-draft" and untouched["xliff"] == ("translated", "idpo:mt-draft")
    stats = stats_of(drafted, capsys)["documents"][0]["states"]
    assert (stats["translated"]["units"], stats["mt-draft"]["units"]) == (1, len(load_catalog(po).units()) - 1)


def test_a_draft_approved_after_an_edit_is_reviewed_everywhere_and_its_model_is_history(drafted, capsys):
    po = Project(drafted).po_path(DOMAIN)
    edit_as_poedit(po, "Machine draft number 4 of the document.", "Reviewed by a person.", approve=True)
    said = what_exports_say(exports(drafted), "Reviewed by a person.")
    assert said == {"html": "reviewed", "markdown": "person", "tmx": "reviewed", "xliff": ("reviewed", None),
                    "review": "reviewed"}
    tmx = exports(drafted)["tmx"]
    [tu] = [tu for tu in tmx.iter("tu") if any(seg.text == "Reviewed by a person." for seg in tu.iter("seg"))]
    assert tu.find("prop[@type='x-mt-model']") is None  # the model is never named as the author
    assert stats_of(drafted, capsys)["documents"][0]["post_edit"]["units"] == 1
