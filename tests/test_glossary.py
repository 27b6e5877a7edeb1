"""The glossary file: the seed terms, strict reading, and how QA matches terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.glossary import Term, glossary_path, load_glossary
from pipeline.qa import terms_in
from pipeline.reader import read_document

REPO = Path(__file__).resolve().parent.parent
HEADER = "source,target,note,do_not_translate\n"


@pytest.fixture(scope="module")
def seed_glossary() -> list[Term]:
    return load_glossary(glossary_path(REPO / "locales"))


def test_seed_glossary_has_the_terms_the_document_needs(seed_glossary):
    by_source = {term.source: term for term in seed_glossary}
    assert by_source["penyelundupan manusia"].target == "people smuggling"
    assert by_source["perdagangan manusia"].target == "human trafficking"
    assert by_source["Bali Process"].do_not_translate and by_source["Bali Process"].target == "Bali Process"
    assert by_source["imigran ilegal"].target == "irregular migrants"


def test_most_seed_terms_occur_in_the_seed_document(seed_glossary):
    document = read_document(REPO / "source" / "bali-process.txt", display_path="source/bali-process.txt")
    sentences = [segment.text for block in document.blocks for segment in block.segments]
    used = {term.source for text in sentences for term in terms_in(text, seed_glossary)}
    assert {"Bali Process", "negara anggota", "imigran ilegal", "penegakan hukum", "menejemen perbatasan",
            "kejahatan transnasional yang terorganisisr", "kerjasama peradilan pidana"} <= used
    assert len(used) >= 20


def _glossary(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "glossary.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_reads_rows_notes_and_do_not_translate(tmp_path):
    path = _glossary(tmp_path, 'pengungsi,refugees,"plural, as a group",\nAd Hoc Group,,,yes\n\n')
    assert load_glossary(path) == [
        Term("pengungsi", "refugees", "plural, as a group", False),
        Term("Ad Hoc Group", "Ad Hoc Group", "", True),
    ]


def test_a_missing_file_is_an_empty_glossary(tmp_path):
    assert load_glossary(tmp_path / "none.csv") == []


@pytest.mark.parametrize(
    "rows, line, words",
    [
        ("pengungsi,,,\n", 2, "needs a source term and a target"),
        ("pengungsi,refugees,,\nnegara asal,countries of origin,,maybe\n", 3, "yes or no"),
        ("Bali Process,Bali process,,yes\n", 2, "do_not_translate but has the target"),
        ("pengungsi,refugees,,\nPengungsi,displaced people,,\n", 3, "already on line 2"),
    ],
)
def test_bad_rows_are_refused_with_their_line(tmp_path, rows, line, words):
    with pytest.raises(InputError) as error:
        load_glossary(_glossary(tmp_path, rows))
    assert error.value.line == line and words in error.value.message
    assert error.value.path.endswith("glossary.csv")


def test_a_spreadsheets_csv_utf8_with_its_bom_and_crlf_is_read(tmp_path):
    """Excel's "CSV UTF-8" starts with a byte-order mark and ends lines with CRLF."""
    path = tmp_path / "glossary.csv"
    path.write_bytes(
        b"\xef\xbb\xbf" + (HEADER + "pengungsi,refugees,,\nBali Process,,,yes\n").replace("\n", "\r\n").encode())
    assert load_glossary(path) == [Term("pengungsi", "refugees", "", False),
                                   Term("Bali Process", "Bali Process", "", True)]


def test_a_glossary_that_is_not_utf8_is_refused_with_its_line(tmp_path, project):
    from pipeline.cli import main

    (project / "locales" / "glossary.csv").write_bytes(
        (HEADER + "pengungsi,refugees,,\nnegara,país,,\n").encode("cp1252"))
    with pytest.raises(InputError) as error:
        load_glossary(project / "locales" / "glossary.csv", "locales/glossary.csv")
    assert (error.value.path, error.value.line) == ("locales/glossary.csv", 3)
    assert main(["stats", "--root", str(project)]) == 3  # a clear error, not a traceback


def test_a_wrong_header_is_refused(tmp_path):
    path = tmp_path / "glossary.csv"
    path.write_text("indonesian,english\npengungsi,refugees\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_glossary(path)
    assert error.value.line == 1


def test_terms_match_whole_words_across_line_breaks_and_case():
    glossary = [Term("negara anggota", "member states"), Term("pengungsi", "refugees")]
    assert terms_in("Para Negara\nAnggota hadir.", glossary) == [glossary[0]]
    assert terms_in("Kepengungsian dan negara anggotanya.", glossary) == []
