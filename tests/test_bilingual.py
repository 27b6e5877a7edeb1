"""Bilingual HTML and Markdown: alignment, the policy per state, escaping, structure, stale catalogs."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from pipeline.bilingual import align, render_html, render_markdown
from pipeline.catalog import State, load_catalog
from pipeline.errors import OutOfDateError
from pipeline.reader import read_document
from tests.bilingual_project import PAYLOAD, add_sample, edit_source, po_path, prepared, run, segment_count


class Elements(HTMLParser):
    """Start tags with their attributes, and text, of an HTML page."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def spans(self) -> list[dict]:
        return [a for t, a in self.tags if t == "span" and "data-pair" in a]


@pytest.fixture
def sample(project):
    source = add_sample(project)
    states = prepared(project, "contoh")
    return project, source, states


def alignment_of(root, source, domain):
    document = read_document(source, display_path=source.relative_to(root).as_posix())
    return align(document, load_catalog(po_path(root, domain)))


def test_every_sentence_is_paired_with_its_state_and_the_render_policy(sample):
    root, source, states = sample
    alignment = alignment_of(root, source, "contoh")
    sentences = [s for row in alignment.rows for s in row.sentences]
    assert len(sentences) == segment_count(root, source) == 10
    for sentence in sentences:
        assert sentence.state is states[sentence.source]
        if sentence.state in (State.REVIEWED, State.TRANSLATED, State.MT_DRAFT):
            assert sentence.english != sentence.source
        else:  # untranslated and needs update show the Indonesian, as the English render does
            assert sentence.english == sentence.source
    assert set(Counter(s.state for s in sentences)) == set(State)


def test_the_page_pairs_sentences_and_marks_english_states(sample):
    root, source, states = sample
    page = render_html(alignment_of(root, source, "contoh"))
    elements = Elements(page)
    pairs = [a["data-pair"] for a in elements.spans()]
    english = [a for a in elements.spans() if "data-state" in a]
    assert len(english) == 10 and Counter(pairs) == {a["data-pair"]: 2 for a in english}
    assert all(a["tabindex"] == "0" for a in elements.spans())
    assert Counter(a["data-state"] for a in english) == Counter(s.value for s in states.values())
    drafts = [a for a in english if a["data-state"] == "mt-draft"]
    assert drafts and all("argos translate-id_en 1.9" in a["title"] for a in drafts)
    shown_in_indonesian = [a for a in english if a["data-state"] in ("untranslated", "needs-update")]
    assert shown_in_indonesian and all(a.get("lang") == "id" for a in shown_in_indonesian)


def test_the_page_is_self_contained(sample):
    root, source, _ = sample
    page = render_html(alignment_of(root, source, "contoh"))
    tags = Elements(page).tags
    assert not [t for t, a in tags if t in ("link", "img", "iframe", "object", "embed")]
    assert not [a for t, a in tags if t == "script" and "src" in a]
    assert not re.search(r"url\(|@import|https?://", page)
    references = [a["href"] for t, a in tags if t == "a"]
    assert references == ["#fn-1"]  # the source's footnote reference (the test's English has none)


def test_all_text_is_escaped(sample):
    root, source, _ = sample
    page = render_html(alignment_of(root, source, "contoh"))
    scripts = [t for t, _ in Elements(page).tags if t == "script"]
    assert scripts == ["script"]  # the page's own, nothing from the msgid or the msgstr
    assert '&lt;script&gt;alert(&quot;msgid&quot;)&lt;/script&gt;' in page
    assert "&lt;script&gt;alert(&quot;msgstr&quot;)&lt;/script&gt;" in page
    assert PAYLOAD not in page


def test_block_structure_is_kept(sample):
    root, source, _ = sample
    tags = [t for t, _ in Elements(render_html(alignment_of(root, source, "contoh"))).tags]
    assert tags.count("h2") == 2  # the document's "#" heading, in each column, below the page's h1
    assert tags.count("ul") == 2 * 2 + 1  # two bullet items per column, and the legend
    assert tags.count("ol") == 2 and tags.count("blockquote") == 2
    page = render_html(alignment_of(root, source, "contoh"))
    assert page.count('class="footnote"') == 2 and 'id="fn-1"' in page
    assert '<pre class="both">```\nkode tidak diterjemahkan\n```</pre>' in page  # code once, across


def test_markdown_quotes_the_source_and_marks_english_states(sample):
    root, source, states = sample
    text = render_markdown(alignment_of(root, source, "contoh"))
    assert "> # Judul Dokumen\n\n# Reviewed 0 \\<script>" in text
    assert "> - Butir satu.\n>   Masih butir satu.\n\n- [untranslated] Butir satu.\n  Reviewed 4" in text
    assert "\n```text\n```\nkode tidak diterjemahkan\n```\n```\n" not in text  # fence longer than the content's
    assert "\n````text\n```\nkode tidak diterjemahkan\n```\n````\n" in text
    assert "> [1] Catatan kaki pertama." in text
    marks = Counter(re.findall(r"^(?:[-#] |\d\. |\[1\] )?\[(MT|not reviewed|needs update|untranslated)\]", text,
                               re.MULTILINE))
    expected = Counter(states.values())
    assert marks == {"MT": expected[State.MT_DRAFT], "not reviewed": expected[State.TRANSLATED],
                     "needs update": expected[State.NEEDS_UPDATE], "untranslated": expected[State.UNTRANSLATED]}


def test_a_markdown_tables_delimiter_row_is_not_shown_as_code(project):
    (project / "source" / "tabel.md").write_text(
        "| Negara | Ibu kota |\n|:---|---:|\n| Indonesia | Jakarta |\n\nAkhir.\n", encoding="utf-8")
    prepared(project, "tabel")
    source = project / "source" / "tabel.md"
    alignment = alignment_of(project, source, "tabel")
    text = render_markdown(alignment)
    assert "```" not in text and "---:" not in text
    assert "> Negara\n\n" in text and "> Jakarta\n\n" in text  # the cells are all there
    assert "---:" not in render_html(alignment)


def test_markdown_lets_no_html_through(sample):
    root, source, _ = sample
    rendered = MarkdownIt("commonmark").render(render_markdown(alignment_of(root, source, "contoh")))
    assert "<script" not in rendered and "&lt;script&gt;" in rendered


def test_a_sentence_starting_like_markup_stays_in_its_paragraph(project):
    (project / "source" / "angka.txt").write_text("Kalimat pertama. 1. Ini bukan daftar.\n", encoding="utf-8")
    prepared(project, "angka")
    source = project / "source" / "angka.txt"
    text = render_markdown(alignment_of(project, source, "angka"))
    assert "\n> 1\\. Ini bukan daftar.\n" in text
    html = MarkdownIt("commonmark").render(text)
    assert "<ol" not in html and "<li" not in html and "Kalimat pertama.\n1. Ini bukan daftar.</p>" in html


def test_the_seed_document_renders_with_its_footnote_linked(project):
    prepared(project, "bali-process")
    source = project / "source" / "bali-process.txt"
    alignment = alignment_of(project, source, "bali-process")
    page = render_html(alignment)
    assert 'catatan.<a class="fn-ref" href="#fn-1">[1]</a>' not in page
    assert 'internasional.<a class="fn-ref" href="#fn-1">[1]</a>' in page and page.count('id="fn-1"') == 1
    assert len(Elements(page).spans()) == 2 * segment_count(project, source)


def test_command_writes_both_files_and_is_repeatable(sample, capsys):
    root, _, _ = sample
    assert run("bilingual", "--root", str(root), "contoh") == 0
    page, markdown = root / "build" / "bilingual" / "contoh.html", root / "build" / "bilingual" / "contoh.md"
    first = page.read_bytes(), markdown.read_bytes()
    assert run("bilingual", "--root", str(root), "contoh") == 0
    assert (page.read_bytes(), markdown.read_bytes()) == first
    assert ("10 sentences: 3 reviewed, 1 translated (not reviewed), 3 machine drafts, 1 needing update, "
            "2 untranslated") in capsys.readouterr().err


def test_a_catalog_older_than_the_source_is_refused_naming_make_update(sample, capsys):
    root, source, _ = sample
    edit_source(source, "Butir dua.", "Butir dua yang baru.")
    with pytest.raises(OutOfDateError, match="make update"):
        alignment_of(root, source, "contoh")
    assert run("bilingual", "--root", str(root), "contoh") == OutOfDateError.exit_code
    error = capsys.readouterr().err
    assert "locales/en/LC_MESSAGES/contoh.po" in error and "run `make update`" in error
    assert not (root / "build" / "bilingual" / "contoh.html").exists()


def test_markdown_in_a_sentence_is_rendered_not_shown_raw_and_stays_safe(project):
    source = project / "source" / "tanda.md"
    source.write_text(
        "Lihat [situs koperasi](https://contoh.id/kopi) untuk **harga** dan `kode` serta *catatan*.\n\n"
        "Tautan [jahat](javascript:alert(1)) dan <b>tebal</b> mentah dan ![gambar](https://pelacak.id/p.png).\n",
        encoding="utf-8")
    prepared(project, "tanda")
    document = read_document(source, display_path="source/tanda.md")
    page = render_html(align(document, load_catalog(po_path(project, "tanda"))))
    assert '<a href="https://contoh.id/kopi">situs koperasi</a>' in page
    assert "<strong>harga</strong>" in page and "<code>kode</code>" in page and "<em>catatan</em>" in page
    assert "**harga**" not in page and "](https://contoh.id/kopi)" not in page
    tags = Elements(page).tags
    assert not [a for t, a in tags if t == "a" and a.get("href", "").startswith("javascript")]
    assert not [t for t, _ in tags if t in ("img", "b")]  # no picture fetched, raw HTML stays text
    assert "&lt;b&gt;tebal&lt;/b&gt;" in page
