"""Fuzzing the two parsers of user files: the source reader and the .po loader.

Inputs are random bytes and structured mutations of real files (the seed,
the reader's golden inputs, the seed catalog and a catalog holding every
unit state). Any exception other than the project's own ``PipelineError``
is a bug. What the parsers accept must also go through the next stages:
a document read must extract to a template that loads strictly again and
render, a catalog loaded must merge, save and load again to the same text.

Bounded for CI: 300 examples per test (about 25 s in all), no deadline.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.catalog import Catalog, MTMark, load_catalog, save_catalog
from pipeline.errors import PipelineError
from pipeline.extract import extract
from pipeline.reader import read_document
from pipeline.render import render
from pipeline.update import merge
from tests.reliability import DOMAIN, REPO

# IDPO_FUZZ_EXAMPLES=5000 for a longer hunt
FUZZ = settings(max_examples=int(os.environ.get("IDPO_FUZZ_EXAMPLES", "300")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

READER_INPUTS = sorted(p for p in (REPO / "tests" / "golden" / "reader").iterdir() if p.suffix in (".txt", ".md"))
SEED_PO = REPO / "locales" / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"
SEED_POT = REPO / "locales" / f"{DOMAIN}.pot"

# Characters that mean something to the reader or the .po syntax, and some that trouble encoders.
SPECIAL_TEXT = st.sampled_from([
    "\n", "\r", "\r\n", "\t", " ", "\u00a0", "\ufeff", "\u2028", "\x0b", "\x0c", "\x1b", "\x7f", "\u200b",
    "[1] ", "[^1]: ", "- ", "* ", "1. ", "# ", "## ", "> ", "```", "~~~", "    ", "| a | b |", "|---|---|",
    "---\n", "+++\n", "<div>", "-->", "\\", "\"", "…", "“", "”", ". ", "? ", "Posting Komentar", "\U0001f600",
])
SPECIAL_BYTES = st.sampled_from([b"\x00", b"\xff", b"\xfe", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\x80"])


@pytest.fixture(scope="module")
def scratch() -> Path:
    with tempfile.TemporaryDirectory(prefix="idpo-fuzz-") as folder:
        yield Path(folder)


# -- mutations -------------------------------------------------------------------

@st.composite
def mutated(draw, original: bytes, pieces) -> bytes:
    """``original`` after one to six edits: insert a piece, delete or repeat a span, cut the end."""
    data = original
    for _ in range(draw(st.integers(1, 6), label="edits")):
        at = draw(st.integers(0, len(data)), label="at")
        kind = draw(st.sampled_from(["insert", "delete", "repeat", "truncate"]), label="kind")
        if kind == "insert":
            data = data[:at] + draw(pieces) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 80)):]
        elif kind == "repeat":
            data = data[:at] + data[at:at + draw(st.integers(1, 200))] * 2 + data[at + 1:]
        else:
            data = data[:at]
    return data


text_pieces = st.one_of(SPECIAL_TEXT.map(lambda s: s.encode("utf-8")), SPECIAL_BYTES,
                        st.text(max_size=8).map(lambda s: s.encode("utf-8", "surrogatepass")))


def source_files() -> st.SearchStrategy[tuple[bytes, str]]:
    originals = st.sampled_from(READER_INPUTS)
    return originals.flatmap(lambda path: st.tuples(mutated(path.read_bytes(), text_pieces), st.just(path.suffix)))


# -- the reader ------------------------------------------------------------------

def read_and_extract(scratch: Path, data: bytes, suffix: str, **options) -> None:
    """Read ``data`` as a source; if it is accepted, its template must load strictly
    again, and the document must render from the catalog merged from it."""
    source = scratch / f"doc{suffix}"
    source.write_bytes(data)
    try:
        document = read_document(source, display_path=f"source/doc{suffix}", **options)
    except PipelineError:
        return
    template = extract([document], "doc")
    pot = scratch / "doc.pot"
    pot.write_text(template.to_text(), encoding="utf-8")
    again = load_catalog(pot)
    assert [u.key for u in again.units()] == [u.key for u in template.units()]
    catalog, _ = merge(again, None, language="en")
    render(document, catalog)


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".md"]))
def test_reader_on_random_bytes(scratch: Path, data: bytes, suffix: str) -> None:
    read_and_extract(scratch, data, suffix)


@FUZZ
@given(source=source_files())
def test_reader_on_mutated_real_sources(scratch: Path, source: tuple[bytes, str]) -> None:
    read_and_extract(scratch, *source)


@FUZZ
@given(data=st.binary(max_size=600),
       encoding=st.sampled_from(["cp1252", "latin-1", "utf-16", "utf-16-le", "utf-8-sig"]))
def test_reader_with_an_explicit_encoding(scratch: Path, data: bytes, encoding: str) -> None:
    read_and_extract(scratch, data, ".txt", encoding=encoding)


# -- the .po loader ------------------------------------------------------------------

PO_LINES = [
    'msgid "Kalimat baru."', 'msgstr "A new sentence."', 'msgstr ""', 'msgid ""', 'msgctxt "heading"',
    'msgid_plural "banyak"', 'msgstr[0] "one"', 'msgstr[1] ""', '"continued text "', '"unterminated',
    '#, fuzzy', '#, fuzzy, c-format', '#, no-wrap', '#| msgid "Kalimat lama."', '#| msgctxt "old"',
    '#~ msgid "Dihapus."', '#~ msgstr "Removed."', '#~| msgid "Dulu."', '#: source/doc.txt:1', '#. block 1',
    '# mt: engine=argos model=translate-id_en version=1.0', '# mt-raw: A raw \\\\ draft\\n', '# reviewer note',
    '"Content-Type: text/plain; charset=UTF-8\\n"', '"Language: en\\n"',
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
    'msgstr "\\\\"', 'msgstr "a\\qb"', 'msgstr "\\x41\\777\\u1234"', 'msgid "tab\\there"', 'msgstr "\\"quoted\\""',
    'msgid', 'msgstr', '"', '""', '#', '#~', '#|', 'msgid "x" "y"', '\ufeffmsgid "bom"', 'msgstr "\u2028"',
]
po_pieces = st.one_of(
    st.sampled_from(PO_LINES).map(lambda line: f"\n{line}\n".encode()),
    st.sampled_from(['"', "\\", "\n", "#", "~", "|", " ", "[0]", "msg", "\r"]).map(str.encode),
    SPECIAL_BYTES,
)


def catalog_with_every_state() -> bytes:
    """A catalog as the pipeline writes it: reviewed, MT draft, needs update, obsolete, context."""
    catalog = Catalog.new(DOMAIN, language="en")
    catalog.add("Halo dunia.", locations=[("source/doc.txt", 1)], comment="block 1", msgstr="Hello world.")
    draft = catalog.add("Apa kabar?", locations=[("source/doc.txt", 2)], comment="block 1")
    draft.set_mt_draft("How are you?", MTMark("argos", "translate-id_en", "1.0", "How are you?"))
    catalog.add("Judul", msgctxt="heading", locations=[("source/doc.txt", 3)], msgstr="Title", flags=["fuzzy"],
                previous_msgid="Judul lama", translator_comment="check the title")
    catalog.add("Kalimat lama.", msgstr="An old sentence.", obsolete=True)
    return catalog.to_text().encode("utf-8")


def po_files() -> st.SearchStrategy[bytes]:
    originals = st.sampled_from([SEED_PO.read_bytes(), SEED_POT.read_bytes(), catalog_with_every_state()])
    return originals.flatmap(lambda original: mutated(original, po_pieces))


def load_merge_save(scratch: Path, data: bytes) -> None:
    """Load ``data`` strictly; if it is accepted, merging, saving and loading again must work too."""
    po = scratch / "doc.po"
    po.write_bytes(data)
    try:
        catalog = load_catalog(po, language="en")
    except PipelineError:
        return
    text = catalog.to_text()
    (scratch / "resaved.po").write_text(text, encoding="utf-8")
    assert load_catalog(scratch / "resaved.po", language="en").to_text() == text
    merged, _ = merge(load_catalog(SEED_POT), catalog, language="en")
    save_catalog(merged, scratch / "merged.po")
    load_catalog(scratch / "merged.po", language="en")


@FUZZ
@given(data=st.binary(max_size=3000))
def test_po_loader_on_random_bytes(scratch: Path, data: bytes) -> None:
    load_merge_save(scratch, data)


@FUZZ
@given(data=po_files())
@example(data=SEED_PO.read_bytes())
def test_po_loader_on_mutated_real_catalogs(scratch: Path, data: bytes) -> None:
    load_merge_save(scratch, data)
