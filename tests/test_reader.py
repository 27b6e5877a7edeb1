"""The source reader: paragraphs, Markdown blocks, chrome, encodings, line numbers.

Golden pairs live in tests/golden/reader/: each ``<name>.txt``, ``<name>.md`` or
``<name>.html`` has ``<name>.<ext>.segments`` (``format_segments`` of the default reading)
and ``<name>.<ext>.blocks`` (one line per block, read with
``--boilerplate keep`` so chrome shows). Regenerate them after a deliberate
change with ``UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_reader.py`` and
read the diff before committing.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import reader
from pipeline.document import Block, BlockKind, Boilerplate, Document, SourceFormat, format_segments
from pipeline.errors import InputError
from pipeline.reader import parse_document, read_document, source_format_for

GOLDEN = Path(__file__).parent / "golden" / "reader"
SOURCES = sorted(p for p in GOLDEN.iterdir() if p.suffix in (".txt", ".md", ".html"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
SEED = GOLDEN / "bali-process.txt"


def describe_blocks(document: Document) -> str:
    """The ``.blocks`` golden format: number, kind, lines, flag, prefix, first words."""
    rows = []
    for block in document.blocks:
        flag = "translate" if block.translatable else "verbatim"
        words = " ".join(block.text.split(" ")[:6])
        rows.append(
            f"{block.number:>3} {block.kind:<11} {block.start_line:>3}-{block.end_line:<3} "
            f"{flag:<9} prefix={block.prefix!r} | {words}".rstrip()
        )
    return "\n".join(rows) + "\n"


def check_golden(path: Path, actual: str) -> None:
    if UPDATE:
        path.write_text(actual, encoding="utf-8", newline="\n")
    assert path.exists(), f"{path.name} is missing; run UPDATE_GOLDEN=1 pytest {__file__}"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_golden_segments(source: Path) -> None:
    document = read_document(source, display_path=source.name)
    check_golden(source.with_name(source.name + ".segments"), format_segments(document))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_golden_blocks(source: Path) -> None:
    document = read_document(source, display_path=source.name, boilerplate=Boilerplate.KEEP)
    check_golden(source.with_name(source.name + ".blocks"), describe_blocks(document))


def test_golden_sources_cover_each_format() -> None:
    assert {source_format_for(p) for p in SOURCES} == set(SourceFormat)


# --- the seed ----------------------------------------------------------------


def seed(boilerplate: Boilerplate = Boilerplate.KEEP) -> Document:
    return read_document(SEED, display_path="source/bali-process.txt", boilerplate=boilerplate)


def summary(block: Block) -> tuple[BlockKind, int, int, str]:
    return block.kind, block.start_line, block.end_line, " ".join(block.text.split(" ")[:2])


def test_seed_paragraphs_are_rebuilt_from_hard_wrapped_lines() -> None:
    assert [summary(b) for b in seed().blocks] == [
        (BlockKind.PARAGRAPH, 1, 12, "Dalam forum"),
        (BlockKind.PARAGRAPH, 13, 20, "Masing-masing negara"),
        (BlockKind.PARAGRAPH, 21, 38, "Strategi regional"),
        (BlockKind.PARAGRAPH, 39, 51, "Kerjasama yang"),
        (BlockKind.FOOTNOTE, 52, 53, "Dalam “Six"),
        (BlockKind.BOILERPLATE, 54, 54, "Tidak ada"),
        (BlockKind.BOILERPLATE, 55, 55, "Posting Komentar"),
    ]


def test_seed_keeps_inline_footnote_reference_and_footnote_prefix() -> None:
    blocks = seed().blocks
    assert blocks[2].text.endswith("kerjasama peradilan pidana internasional.[1]")
    assert blocks[3].text.endswith("semakin bertambah luas.")
    assert blocks[4].prefix == "[1] "
    assert blocks[4].text.startswith("Dalam “Six Meeting of Bali Process")


def test_seed_segments_start_on_the_line_of_their_first_word() -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for block in seed(Boilerplate.DROP).blocks:
        for segment in block.segments:
            first_word = segment.text.split(" ")[0]
            if block.kind is BlockKind.FOOTNOTE and segment is block.segments[0]:
                first_word = block.prefix.strip()
            assert first_word in lines[segment.line - 1], (segment.line, segment.text[:40])


# --- boilerplate ---------------------------------------------------------------


def test_boilerplate_drop_leaves_blocks_out_and_numbers_the_rest() -> None:
    document = seed(Boilerplate.DROP)
    assert [b.kind for b in document.blocks][-1] is BlockKind.FOOTNOTE
    assert [b.number for b in document.blocks] == list(range(1, 6))


def test_boilerplate_keep_is_verbatim_and_translate_is_extracted() -> None:
    kept = seed(Boilerplate.KEEP).blocks[-1]
    assert (kept.kind, kept.translatable, kept.raw) == (BlockKind.BOILERPLATE, False, "Posting Komentar")
    translated = seed(Boilerplate.TRANSLATE).blocks[-1]
    assert (translated.kind, translated.translatable) == (BlockKind.BOILERPLATE, True)
    assert [s.text for s in translated.segments] == ["Posting Komentar"]


def parse_text(text: str, boilerplate: Boilerplate = Boilerplate.KEEP) -> Document:
    return parse_document(text, "doc.txt", SourceFormat.TEXT, boilerplate)


def parse_markdown(text: str, boilerplate: Boilerplate = Boilerplate.KEEP) -> Document:
    return parse_document(text, "doc.md", SourceFormat.MARKDOWN, boilerplate)


def test_edge_patterns_are_chrome_only_at_the_edges() -> None:
    document = parse_text("Beranda\n\nSatu kalimat.\n\nBeranda\n\nDua kalimat.\n\nBeranda\n")
    kinds = [(b.kind, b.start_line) for b in document.blocks]
    assert kinds == [
        (BlockKind.BOILERPLATE, 1),
        (BlockKind.PARAGRAPH, 3),
        (BlockKind.PARAGRAPH, 5),
        (BlockKind.PARAGRAPH, 7),
        (BlockKind.BOILERPLATE, 9),
    ]


def test_unambiguous_chrome_is_recognised_anywhere_but_only_as_a_whole_line() -> None:
    text = "Satu kalimat.\nLangganan: Posting Komentar (Atom)\nDua kalimat.\nBaca Posting Komentar di sini.\n"
    document = parse_text(text, Boilerplate.DROP)
    assert [b.text for b in document.blocks] == ["Satu kalimat.", "Dua kalimat. Baca Posting Komentar di sini."]


def test_markdown_chrome_is_split_off_the_last_paragraph() -> None:
    document = parse_markdown("# Judul\n\nIsi tulisan.\nTidak ada komentar:\nPosting Komentar\n")
    assert [summary(b) for b in document.blocks] == [
        (BlockKind.HEADING, 1, 1, "Judul"),
        (BlockKind.PARAGRAPH, 3, 3, "Isi tulisan."),
        (BlockKind.BOILERPLATE, 4, 4, "Tidak ada"),
        (BlockKind.BOILERPLATE, 5, 5, "Posting Komentar"),
    ]


def test_markdown_chrome_inside_code_is_left_alone() -> None:
    document = parse_markdown("Isi.\n\n```\nPosting Komentar\n```\n")
    assert [b.kind for b in document.blocks] == [BlockKind.PARAGRAPH, BlockKind.CODE]


# --- plain-text paragraph signals --------------------------------------------


def test_title_line_before_hard_wrapped_paragraph_is_its_own_block() -> None:
    wrapped = textwrap.fill("Forum ini dibentuk pada tahun 2002. " * 6, width=70)
    document = parse_text(f"Kerjasama Regional Bali Process\n{wrapped}\n")
    assert [b.text for b in document.blocks][0] == "Kerjasama Regional Bali Process"
    assert len(document.blocks) == 2


def test_blogger_lone_first_word_needs_a_sentence_end_before_it() -> None:
    wrapped = textwrap.fill("negara anggota juga bekerjasama dalam forum regional ini. " * 4, width=72)
    text = f"Kalimat pertama selesai di sini dan baris ini cukup panjang sekali ya.\nDalam\n{wrapped}\n"
    blocks = parse_text(text).blocks
    assert [b.text.split(" ")[0] for b in blocks] == ["Kalimat", "Dalam"]
    not_a_break = "Baris ini tidak berakhir dengan titik, melainkan dengan kata dari\nBali\nProcess ada.\n"
    assert len(parse_text(not_a_break).blocks) == 1


def test_text_without_hard_wraps_has_one_paragraph_per_line() -> None:
    long_lines = ["Kalimat panjang yang tidak pernah dibungkus oleh penulisnya. " * 3] * 3
    document = parse_text("\n".join(long_lines))
    assert [(b.start_line, b.end_line) for b in document.blocks] == [(1, 1), (2, 2), (3, 3)]


def test_no_break_space_separates_paragraphs_at_line_ends_but_stays_inside() -> None:
    document = parse_text("Harganya Rp\u00a050.000.\n\u00a0\nParagraf kedua.\u00a0\n")
    assert [b.text for b in document.blocks] == ["Harganya Rp\u00a050.000.", "Paragraf kedua."]


def test_list_items_in_plain_text_after_a_colon() -> None:
    document = parse_text("Tujuannya:\n- pertama;\n- kedua.\nPenutup.\n")
    assert [(b.kind, b.prefix, b.text) for b in document.blocks] == [
        (BlockKind.PARAGRAPH, "", "Tujuannya:"),
        (BlockKind.LIST_ITEM, "- ", "pertama;"),
        (BlockKind.LIST_ITEM, "- ", "kedua."),
        (BlockKind.PARAGRAPH, "", "Penutup."),
    ]


def test_number_inside_a_wrapped_sentence_is_not_a_list_item() -> None:
    document = parse_text("Anggota yang bergabung telah mencapai\n50. Jumlah itu terus bertambah.\n")
    assert len(document.blocks) == 1


# --- Markdown --------------------------------------------------------------------


MARKDOWN_CASES = {
    "atx heading, closing hashes dropped": ("## Judul ##\n", BlockKind.HEADING, "## ", "Judul"),
    "setext heading": ("Judul\n=====\n", BlockKind.HEADING, "", "Judul"),
    "bullet": ("- butir *penting*\n", BlockKind.LIST_ITEM, "- ", "butir *penting*"),
    "ordered, paren": ("3) butir\n", BlockKind.LIST_ITEM, "3) ", "butir"),
    "ordered, number as text": ("1. 1\n", BlockKind.LIST_ITEM, "1. ", "1"),
    "quote": ("> kutipan\n> berlanjut\n", BlockKind.QUOTE, "> ", "kutipan berlanjut"),
    "list in quote": ("> - butir\n", BlockKind.LIST_ITEM, "> - ", "butir"),
    "heading in list": ("- # judul\n", BlockKind.HEADING, "- # ", "judul"),
    "link and code": ("Lihat [situs](http://x.id) dan `kode`.\n", BlockKind.PARAGRAPH, "",
                      "Lihat [situs](http://x.id) dan `kode`."),
    "footnote definition": ("[^a]: Catatan.\n", BlockKind.FOOTNOTE, "[^a]: ", "Catatan."),
    "hard breaks dropped": ("satu\\\ndua  \ntiga\n", BlockKind.PARAGRAPH, "", "satu dua tiga"),
    "tabs": ("-\tbutir\tdengan tab\n", BlockKind.LIST_ITEM, "-\t", "butir dengan tab"),
}


@pytest.mark.parametrize("case", MARKDOWN_CASES.values(), ids=MARKDOWN_CASES.keys())
def test_markdown_block_kind_prefix_and_text(case: tuple[str, BlockKind, str, str]) -> None:
    source, kind, prefix, text = case
    block = parse_markdown(source).blocks[0]
    assert (block.kind, block.prefix, block.text) == (kind, prefix, text)


def test_markdown_verbatim_blocks_are_not_translatable_and_keep_raw() -> None:
    source = "---\ntitle: x\n---\n\n```\nkode\n```\n\n<div>\nhtml\n</div>\n\n***\n\n[a]: http://x.id\n"
    blocks = parse_markdown(source).blocks
    assert [(b.kind, b.start_line, b.end_line, b.translatable) for b in blocks] == [
        (BlockKind.RAW, 1, 3, False),
        (BlockKind.CODE, 5, 7, False),
        (BlockKind.RAW, 9, 11, False),
        (BlockKind.RAW, 13, 13, False),
        (BlockKind.RAW, 15, 15, False),
    ]
    assert blocks[1].raw == "```\nkode\n```"


def test_markdown_table_cells_share_their_row() -> None:
    blocks = parse_markdown("| A | B |\n|---|---|\n| satu | |\n").blocks
    assert [(b.kind, b.start_line, b.text, b.translatable) for b in blocks] == [
        (BlockKind.TABLE_CELL, 1, "A", True),
        (BlockKind.TABLE_CELL, 1, "B", True),
        (BlockKind.RAW, 2, "", False),
        (BlockKind.TABLE_CELL, 3, "satu", True),
        (BlockKind.TABLE_CELL, 3, "", False),
    ]
    assert all(b.raw == "| satu | |" for b in blocks[3:])


def test_markdown_every_non_blank_line_is_in_a_block() -> None:
    source = (GOLDEN / "markdown-constructs.md").read_text(encoding="utf-8")
    covered = {n for b in parse_markdown(source).blocks for n in range(b.start_line, b.end_line + 1)}
    non_blank = {n for n, line in enumerate(source.split("\n"), start=1) if line.strip()}
    assert non_blank <= covered


def test_raw_is_the_exact_source_lines() -> None:
    source = SEED.read_text(encoding="utf-8").split("\n")
    for block in seed().blocks:
        assert block.raw == "\n".join(source[block.start_line - 1 : block.end_line])


# --- encodings, line endings, errors -------------------------------------------------


def seed_variant(tmp_path: Path, transform) -> Path:
    path = tmp_path / "variant.txt"
    path.write_bytes(transform(SEED.read_bytes()))
    return path


VARIANTS = {
    "crlf": lambda data: data.replace(b"\n", b"\r\n"),
    "cr": lambda data: data.replace(b"\n", b"\r"),
    "bom": lambda data: b"\xef\xbb\xbf" + data,
    "tabs and trailing space": lambda data: data.replace(b" ", b"\t", 5).replace(b"\n", b" \t\n"),
    "final newline": lambda data: data + b"\n",
}


@pytest.mark.parametrize("transform", VARIANTS.values(), ids=VARIANTS.keys())
def test_line_endings_bom_and_tabs_read_like_the_seed(tmp_path: Path, transform) -> None:
    variant = read_document(seed_variant(tmp_path, transform), boilerplate=Boilerplate.KEEP)
    expected = seed()
    assert [(b.kind, b.start_line, b.end_line, b.text, b.segments) for b in variant.blocks] == [
        (b.kind, b.start_line, b.end_line, b.text, b.segments) for b in expected.blocks
    ]


def test_invalid_utf8_names_file_and_line_and_suggests_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Baris satu.\r\nBaris dua.\r\nCaf\u00e9 tiga.\n".encode("cp1252"))
    with pytest.raises(InputError) as caught:
        read_document(path, display_path="source/latin.txt")
    assert (caught.value.path, caught.value.line) == ("source/latin.txt", 3)
    assert "--encoding" in caught.value.message and "0xE9" in caught.value.message


def test_explicit_encoding_is_used(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\u00e9 itu buka.\n".encode("cp1252"))
    assert read_document(path, encoding="cp1252").blocks[0].text == "Caf\u00e9 itu buka."


def test_unknown_encoding_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Teks.\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        read_document(path, encoding="no-such-codec")


def test_utf16_gets_specific_advice(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Teks.\n".encode("utf-16"))
    with pytest.raises(InputError, match="utf-16"):
        read_document(path)
    assert read_document(path, encoding="utf-16").blocks[0].text == "Teks."


def test_binary_data_is_an_input_error_with_line(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"teks\nlagi\n\x00\x01\x02")
    with pytest.raises(InputError, match="NUL") as caught:
        read_document(path)
    assert caught.value.line == 3


@pytest.mark.parametrize("name", ["missing.txt", "."])
def test_missing_file_or_folder_is_an_input_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError) as caught:
        read_document(tmp_path / name, display_path="source/x")
    assert caught.value.path == "source/x"


@pytest.mark.parametrize("text", ["", "\n", "  \t\r\n\n", "\ufeff"])
@pytest.mark.parametrize("source_format", list(SourceFormat))
def test_empty_source_gives_no_blocks(text: str, source_format: SourceFormat) -> None:
    assert parse_document(text, "x", source_format).blocks == ()


def test_display_path_defaults_to_the_path(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text("# Judul\n", encoding="utf-8")
    document = read_document(path)
    assert (document.path, document.format) == (str(path), SourceFormat.MARKDOWN)


def test_source_format_by_suffix() -> None:
    assert source_format_for("a/b.MD") is SourceFormat.MARKDOWN
    assert source_format_for("b.markdown") is SourceFormat.MARKDOWN
    assert source_format_for("b.txt") is SourceFormat.TEXT
    assert source_format_for("README") is SourceFormat.TEXT


def test_segmenter_contract_violation_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "split_sentences", lambda text: text.split("  ") + [""])
    with pytest.raises(ValueError, match="contract"):
        parse_text("Satu. Dua.\n")


# --- properties ---------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéÉ"
WORD = st.builds(
    lambda first, rest, tail: first + rest + tail,
    st.sampled_from(LETTERS),  # never "-" or "12." at a line start: those would be list items
    st.text(LETTERS + "0123456789-", max_size=6),
    st.sampled_from(["", "", "", "", ",", ".", "?", "!", ":", ";", ".[1]", ".”", ")"]),
)
PARAGRAPH = st.lists(WORD, min_size=1, max_size=40).map(" ".join)
MARKUP = st.sampled_from(["#", "##", "-", "*", ">", "1.", "2)", "|", "`", "```", "[1]", "    ", "\t", "---", "==="])
LINE = st.lists(st.one_of(WORD, MARKUP), min_size=0, max_size=12).map(" ".join)


def check_invariants(document: Document, text: str) -> None:
    line_count = len(reader._split_lines(text))
    previous_end = 0
    for number, block in enumerate(document.blocks, start=1):
        assert block.number == number
        assert 1 <= block.start_line <= block.end_line <= line_count
        assert block.start_line >= previous_end or block.kind is BlockKind.TABLE_CELL
        previous_end = block.end_line
        assert " ".join(s.text for s in block.segments) == block.text
        assert all(s.text for s in block.segments)
        assert all(block.start_line <= s.line <= block.end_line for s in block.segments)
        assert [s.line for s in block.segments] == sorted(s.line for s in block.segments)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(PARAGRAPH, st.just("")), min_size=1, max_size=8), st.integers(40, 120))
def test_property_plain_text_invariants(paragraphs: list[str], width: int) -> None:
    text = "\n".join(textwrap.fill(p, width, break_on_hyphens=False) if p else "" for p in paragraphs)
    document = parse_text(text)
    check_invariants(document, text)
    assert parse_text(text) == document  # deterministic


@settings(max_examples=150, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=15))
def test_property_markdown_invariants_and_coverage(lines: list[str]) -> None:
    text = "\n".join(lines)
    document = parse_markdown(text)
    check_invariants(document, text)
    covered = {n for b in document.blocks for n in range(b.start_line, b.end_line + 1)}
    assert {n for n, line in enumerate(lines, start=1) if line.strip()} <= covered
    assert parse_markdown(text) == document


@settings(max_examples=150, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=5), st.integers(60, 100), st.integers(60, 100))
def test_property_reflowing_paragraphs_changes_no_block(paragraphs: list[str], width_a: int, width_b: int) -> None:
    """Words of at most 7 letters plus a 4-character tail keep every wrapped
    line but a paragraph's last above the short-line threshold at widths >= 60."""

    def wrapped(width: int | None) -> str:
        fill = (lambda p: textwrap.fill(p, width, break_on_hyphens=False)) if width else (lambda p: p)
        return "\n\n".join(fill(p) for p in paragraphs)

    def content(text: str) -> list[tuple[str, tuple[str, ...]]]:
        return [(b.text, tuple(s.text for s in b.segments)) for b in parse_text(text).blocks]

    expected = content(wrapped(None))
    assert content(wrapped(width_a)) == expected
    assert content(wrapped(width_b)) == expected
    assert [text for text, _ in expected] == [" ".join(p.split()) for p in paragraphs]
