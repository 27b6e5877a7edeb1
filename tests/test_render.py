"""Rendering the English document from the catalog."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from pipeline.catalog import Catalog, MTMark, State
from pipeline.document import Boilerplate, SourceFormat
from pipeline.errors import IncompleteError, OutOfDateError
from pipeline.extract import extract
from pipeline.reader import parse_document
from pipeline.render import RenderOptions, render
from pipeline.update import merge
from tests.conftest import SEED

MARKDOWN = """\
# Judul Dokumen

Paragraf pertama. Kalimat kedua di sini.

- Butir satu.
- Butir dua dengan *penekanan*.

> Kutipan yang panjang
> berlanjut di sini.

```
kode tidak diterjemahkan
```

Catatan akhir.
"""


def catalog_for(document, fill=None):
    po, _ = merge(extract([document], document.domain), None, language="en")
    for unit in po.units():
        if fill is not None:
            fill(unit)
    return po


def identity(unit):
    unit.set_translation(unit.msgid, reviewed=True)


def normalised(text: str) -> str:
    return " ".join(text.split())


def test_identity_translation_reproduces_the_plain_text_source():
    source = SEED.read_text(encoding="utf-8")
    document = parse_document(source, "source/bali-process.txt", SourceFormat.TEXT, Boilerplate.KEEP)
    result = render(document, catalog_for(document, identity))
    assert normalised(result.text) == normalised(source)
    assert result.states[State.REVIEWED] == result.total >= 15


def test_identity_translation_reproduces_the_markdown_source():
    document = parse_document(MARKDOWN, "source/doc.md", SourceFormat.MARKDOWN)
    result = render(document, catalog_for(document, identity))
    # Same document for a Markdown reader: the HTML is identical up to
    # whitespace (continuation lines of a quote are joined into one line).
    assert normalised(MarkdownIt().render(result.text)) == normalised(MarkdownIt().render(MARKDOWN))
    assert "```\nkode tidak diterjemahkan\n```" in result.text
    assert result.text.startswith("# Judul Dokumen\n")


def test_rendered_plain_text_keeps_the_blocks_apart():
    source = SEED.read_text(encoding="utf-8")
    document = parse_document(source, "source/bali-process.txt", SourceFormat.TEXT)
    text = render(document, catalog_for(document, identity)).text
    paragraphs = text.strip().split("\n\n")
    assert len(paragraphs) == len(document.blocks)
    assert paragraphs[-1].startswith("[1] Dalam")
    assert "Posting Komentar" not in text  # boilerplate dropped by default
    assert max(len(line) for line in text.splitlines() if "www." not in line) <= 80


def test_each_state_follows_the_policy():
    document = parse_document("Satu dua. Tiga empat. Lima enam. Tujuh. Delapan.\n", "source/d.txt", SourceFormat.TEXT)
    old = Catalog.new("d", language="en")
    old.add("Lima enam dulu.", msgstr="Five six (old).")  # a sentence the author has since changed
    po, _ = merge(extract([document], document.domain), old, language="en")
    po.get("Satu dua.").set_translation("One two.", reviewed=True)
    po.get("Tiga empat.").set_mt_draft("Three four.", MTMark("argos", "m", "1", "Three four."))
    po.get("Delapan.").set_translation("Eight.", reviewed=False)  # a person's, saved but not approved
    result = render(document, po)
    assert result.text == "One two. Three four. Lima enam. Tujuh. Eight.\n"
    assert result.states == {State.REVIEWED: 1, State.MT_DRAFT: 1, State.NEEDS_UPDATE: 1, State.UNTRANSLATED: 1,
                             State.TRANSLATED: 1}
    marked = render(document, po, RenderOptions(mark_untranslated=True))
    assert marked.text == "One two. Three four. [[id: Lima enam.]] [[id: Tujuh.]] Eight.\n"


def test_a_persons_unapproved_translation_is_never_shown_worse_than_a_machine_draft():
    """Poedit's "needs work", the review page's Save, an XLIFF target in state "translated"."""
    document = parse_document("Satu dua. Tiga empat.\n", "source/d.txt", SourceFormat.TEXT)
    po = catalog_for(document)
    po.get("Satu dua.").set_translation("One two.", reviewed=False)
    po.get("Tiga empat.").set_mt_draft("Three four.", MTMark("argos", "m", "1", "Three four."))
    result = render(document, po, RenderOptions(mark_untranslated=True))
    assert result.text == "One two. Three four.\n"
    assert result.states == {State.TRANSLATED: 1, State.MT_DRAFT: 1} and result.percent_english == 100.0
    with pytest.raises(IncompleteError, match="2 of 2 sentences are not reviewed"):
        render(document, po, RenderOptions(strict=True))  # strict still wants a reviewer's approval


def test_strict_mode_and_keep_threshold_refuse_incomplete_catalogs():
    document = parse_document("Satu dua. Tiga empat. Lima enam. Tujuh.\n", "source/d.txt", SourceFormat.TEXT)
    po = catalog_for(document)
    po.get("Satu dua.").set_mt_draft("One two.", MTMark("argos", "m", "1", "One two."))
    po.get("Tiga empat.").set_mt_draft("Three four.", MTMark("argos", "m", "1", "Three four."))
    po.get("Lima enam.").set_translation("Five six.", reviewed=True)
    with pytest.raises(IncompleteError, match="3 of 4 sentences are not reviewed"):
        render(document, po, RenderOptions(strict=True))
    # --keep counts what people translated: 1 of 4; machine drafts only with keep_counts_drafts.
    with pytest.raises(IncompleteError, match="only 25% of sentences are translated by people"):
        render(document, po, RenderOptions(keep=50))
    assert render(document, po, RenderOptions(keep=25)).percent_by_people == 25.0
    assert render(document, po, RenderOptions(keep=75, keep_counts_drafts=True)).percent_english == 75.0
    with pytest.raises(IncompleteError, match="only 75% of sentences are in English"):
        render(document, po, RenderOptions(keep=80, keep_counts_drafts=True))


def test_a_catalog_that_no_longer_matches_the_source_is_refused():
    old = parse_document("Satu dua.\n", "source/d.txt", SourceFormat.TEXT)
    new = parse_document("Satu dua. Kalimat baru.\n", "source/d.txt", SourceFormat.TEXT)
    with pytest.raises(OutOfDateError, match="make update"):
        render(new, catalog_for(old, identity))


def test_wrapping_can_be_turned_off():
    source = SEED.read_text(encoding="utf-8")
    document = parse_document(source, "source/bali-process.txt", SourceFormat.TEXT)
    text = render(document, catalog_for(document, identity), RenderOptions(width=0)).text
    assert len(re.findall(r"\n\n", text)) == len(document.blocks) - 1
    assert "\n" not in text.strip().split("\n\n")[0]


def test_identity_translation_reproduces_every_markdown_golden_input():
    """The reader's Markdown goldens (tables, nesting, setext...) render back."""
    for path in sorted((SEED.parent.parent / "tests" / "golden" / "reader").glob("*.md")):
        source = path.read_text(encoding="utf-8")
        document = parse_document(source, f"source/{path.name}", SourceFormat.MARKDOWN, Boilerplate.KEEP)
        html = MarkdownIt("commonmark").enable("table").render
        rendered = render(document, catalog_for(document, identity)).text
        assert normalised(html(rendered)) == normalised(html(source)), path
