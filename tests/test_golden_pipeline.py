"""Golden pairs: every reader input -> its expected POT and its rendered output.

Inputs are the reader's golden inputs (tests/golden/reader/*.txt|.md|.html);
the expected files live in tests/golden/pipeline/. The render uses a
deterministic stand-in translation (the msgid in upper case, an HTML page's
tags left as they are, reviewed) so the expected output shows the structure
the renderer keeps. tests/test_html_source.py has HTML's own golden cases,
with real translations. Regenerate with
``UPDATE_GOLDEN=1 pytest tests/test_golden_pipeline.py`` and read the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from pipeline.document import Boilerplate
from pipeline.extract import extract
from pipeline.reader import parse_document, source_format_for
from pipeline.render import render
from pipeline.update import merge

GOLDEN = Path(__file__).parent / "golden"
INPUTS = sorted(p for p in (GOLDEN / "reader").iterdir() if p.suffix in (".txt", ".md", ".html"))
TAG_OR_TEXT = re.compile(r"(<[^<>]*>)|([^<]+|<)")
STAMP = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.MULTILINE)


def blank_stamps(text: str) -> str:
    return STAMP.sub(r'"\1: STAMP\\n"', text)


def outputs_for(source: Path) -> dict[str, str]:
    text = source.read_bytes().decode("utf-8-sig")
    document = parse_document(text, f"source/{source.name}", source_format_for(source), Boilerplate.DROP)
    template = extract([document], document.domain)
    catalog, _ = merge(template, None, language="en")
    for unit in catalog.units():
        upper = TAG_OR_TEXT.sub(lambda m: m.group(1) or m.group(2).upper(), unit.msgid)
        unit.set_translation(upper, reviewed=True)
    return {".pot": blank_stamps(template.to_text()), ".en": render(document, catalog).text}


@pytest.mark.parametrize("source", INPUTS, ids=[p.name for p in INPUTS])
def test_golden_pot_and_render(source: Path):
    for suffix, actual in outputs_for(source).items():
        expected_path = GOLDEN / "pipeline" / f"{source.name}{suffix}"
        if os.environ.get("UPDATE_GOLDEN"):
            expected_path.parent.mkdir(exist_ok=True)
            expected_path.write_text(actual, encoding="utf-8")
        assert actual == expected_path.read_text(encoding="utf-8"), f"{expected_path} differs"
