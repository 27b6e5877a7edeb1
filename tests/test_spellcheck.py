"""Source-side spell check with spylls and Debian's hunspell-id dictionary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.document import SourceFormat
from pipeline.glossary import Term, load_glossary
from pipeline.reader import parse_document, read_document
from pipeline.spellcheck import DICTIONARY, Speller, check_documents, load_word_list

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "bali-process.txt"

pytestmark = pytest.mark.skipif(not Path(f"{DICTIONARY}.dic").is_file(), reason="hunspell-id is not installed")


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller(accepted=load_word_list(REPO / "locales" / "spelling-id.txt"))


def _typos(text: str, speller: Speller, glossary=(), fmt=SourceFormat.TEXT):
    document = parse_document(text, "source/doc.txt", fmt)
    return check_documents([document], speller, glossary, suggest=False)


def test_finds_the_seed_typos_with_their_lines(speller):
    document = read_document(SEED, display_path="source/bali-process.txt")
    typos = check_documents([document], speller, load_glossary(REPO / "locales" / "glossary.csv"), suggest=False)
    found = {(t.word, t.line) for t in typos}
    expected = {
        ("perdanganan", 8), ("terorganisisr", 10), ("kemduian", 16), ("pendektan", 17), ("memeprkuat", 18),
        ("mengangani", 14), ("likasanakan", 45), ("Hngga", 45), ("skunder", 49), ("kompeherensif", 37),
        ("menejemen", 24), ("menejemen", 30), ("perdaganan", 12),
    }
    assert expected <= found
    assert all(t.location.startswith("source/bali-process.txt:") for t in typos)
    assert len(typos) < 25  # the rest are non-standard spellings (praktek, respon, komplek...), not noise


def test_ignores_names_urls_numbers_quotes_and_kept_terms(speller):
    text = (
        "Qwertzu Process dibuka di Jakarta pada 12 Juni 2015. Menurut Joko Widodo dari Kemlu, forum itu penting. "
        "Lihat https://contoh.example/xqzv-halaman dan www.baliprocess.net/files/AHG_SOM.DOC serta "
        "alamat info@xqzv.example untuk “Six Meeting of Ad Hoc Group” dari UNHCR.\n"
    )
    glossary = [Term("Qwertzu Process", "Qwertzu Process", do_not_translate=True)]
    assert _typos(text, speller, glossary) == []
    assert [t.word for t in _typos(text, speller)] == ["Qwertzu"]  # starts a sentence: only the glossary spares it


def test_a_capitalised_word_that_starts_a_sentence_is_checked(speller):
    typos = _typos("Forum ini penting. Hngga saat ini\nKemduian forum itu dibuka.\n", speller)
    assert [(t.word, t.line, t.column) for t in typos] == [("Hngga", 1, 20)]  # line 2 continues the sentence
    typos = _typos("Forum ini penting.\nKemduian forum itu dibuka.\n\nHngga saat ini.\n", speller)
    assert [t.word for t in typos] == ["Kemduian", "Hngga"]


def test_translatable_glossary_terms_are_still_checked(speller):
    glossary = [Term("menejemen perbatasan", "border management")]
    assert [t.word for t in _typos("Sistem menejemen perbatasan diperkuat.\n", speller, glossary)] == ["menejemen"]


def test_markdown_markup_and_code_are_skipped(speller):
    text = ("# Judul\n\nForum ini [lihat](https://xqzv.example/halamn) dan `kodee_xqz` penting. Skunder.\n\n"
            "    kodee xqzv\n")
    assert [t.word for t in _typos(text, speller, fmt=SourceFormat.MARKDOWN)] == ["Skunder"]


def test_clitics_and_the_project_word_list(speller, tmp_path):
    assert _typos("Wilayah maritimnya luas.\n", speller) == []
    assert [t.word for t in _typos("Ada didalamnya.\n", speller)] == ["didalamnya"]
    words = tmp_path / "words.txt"
    words.write_text("# accepted\nxqzvorum  # a made-up word\n", encoding="utf-8")
    assert load_word_list(words) == ["xqzvorum"]
    assert _typos("Forum xqzvorum dibuka.\n", Speller(accepted=load_word_list(words))) == []
    assert load_word_list(tmp_path / "missing.txt") == []


def test_suggestions_from_hunspell_and_from_the_document(speller):
    assert "sekunder" in speller.suggest("skunder")
    assert speller.suggest("Hngga")[:2] == ("Angga", "Hingga")
    # hunspell finds nothing for this one; the document spells the word right elsewhere
    assert speller.suggest("terorganisisr", vocabulary=["terorganisir", "forum"]) == ("terorganisir",)
    # nothing anywhere near in the document: the dictionary's stems
    assert "manajemen" in speller.suggest("menejemen")


def test_a_second_run_uses_the_cache_without_loading_the_dictionary(tmp_path, monkeypatch):
    cache = tmp_path / "cache" / "spelling.json"
    text = "Hngga saat ini forum itu skunder dan menejemen.\n"  # Hunspell finds nothing for the last
    first = Speller(cache_path=cache)
    document = parse_document(text, "source/doc.txt", SourceFormat.TEXT)
    expected = check_documents([document], first)
    first.save_cache()
    cached = json.loads(cache.read_text(encoding="utf-8"))["suggestions"]
    assert cached["skunder"] and "manajemen" in cached["menejemen"]

    from spylls.hunspell import Dictionary

    def refuse(*args, **kwargs):
        raise AssertionError("the dictionary was loaded although every word is cached")

    monkeypatch.setattr(Dictionary, "from_files", refuse)
    assert check_documents([document], Speller(cache_path=cache)) == expected


def test_a_damaged_cache_is_rebuilt(tmp_path):
    cache = tmp_path / "spelling.json"
    cache.write_text("{not json", encoding="utf-8")
    speller = Speller(cache_path=cache)
    assert not speller.known("skunder") and speller.known("sekunder")
    speller.save_cache()
    assert json.loads(cache.read_text(encoding="utf-8"))["lookups"]["sekunder"] is True


def test_typos_never_fail_the_check_command(project, capsys):
    (project / "source" / "bali-process.txt").write_text("Hngga saat ini forum itu skunder.\n", encoding="utf-8")
    assert main(["check", "--root", str(project)]) == 0
    out = capsys.readouterr().out
    assert "source/bali-process.txt:1:1: Hngga" in out and "Hingga" in out
    assert "source/bali-process.txt:1:26: skunder" in out and "sekunder" in out


def test_the_cache_lives_in_dot_cache_so_make_clean_keeps_it(project, monkeypatch):
    (project / "source" / "bali-process.txt").write_text("Hngga saat ini forum itu skunder.\n", encoding="utf-8")
    assert main(["check", "--root", str(project)]) == 0
    cache = project / ".cache" / "spellcheck-id.json"
    assert json.loads(cache.read_text(encoding="utf-8"))["lookups"]["skunder"] is False
    assert not (project / "build").exists()  # nothing of it under build/, which `make clean` deletes

    def no_dictionary(self):
        raise AssertionError("the dictionary was loaded although the cache under .cache/ knows every word")

    monkeypatch.setattr(Speller, "_dictionary", no_dictionary)
    assert main(["check", "--root", str(project)]) == 0


def test_a_slow_spell_check_shows_its_progress_and_a_fast_one_stays_quiet(speller, monkeypatch):
    import io

    from pipeline.progress import Progress

    document = parse_document("Hngga saat ini forum itu skunder.\n", "source/doc.txt", SourceFormat.TEXT)
    quiet = io.StringIO()
    check_documents([document], speller, progress=Progress("x", quiet, unit="words", quiet_below_s=60))
    assert quiet.getvalue() == ""

    clock = [0.0]
    monkeypatch.setattr("pipeline.progress.time.monotonic", lambda: clock[0])
    known = speller.known

    def slow_lookup(word):  # each word takes 7 s of the fake clock
        clock[0] += 7.0
        return known(word)

    monkeypatch.setattr(speller, "known", slow_lookup)
    shown = io.StringIO()
    check_documents([document], speller, suggest=False,
                    progress=Progress("x", shown, unit="words", quiet_below_s=2))
    lines = shown.getvalue().splitlines()
    assert lines[0].startswith("spell check: looking up: 3/6 words (50%)")  # the first line after 15 s
    assert lines[-1].startswith("spell check: looking up: 6/6 words (100%)")


PAGE = """<html><head><title>Judul halaman</title>
<script>var kalimatt = "teksss";</script></head>
<body><p>Lihat <img src="gmbrr.png" alt="Foto pantai"> dan jalankan <code>sudoo aptt</code> lalu
<span translate="no">xqzvv wrtp</span> kemduian <a href="https://x.id/hlmn">tautan</a> ini.</p>
<p>Forum ini penting. Hngga saat ini &amp; pendektan.</p>
<p>Kaf&eacute; ini memeprkuat kita.<!-- komentarr --></p>
</body></html>"""


def test_an_html_page_is_checked_in_its_text_not_its_markup(speller):
    """Tag and attribute names, scripts, code and translate="no" text are no typos; a typo is
    reported at its place in the page."""
    document = parse_document(PAGE, "source/p.html", SourceFormat.HTML)
    typos = check_documents([document], speller, suggest=False)
    assert [(t.word, t.line, t.column) for t in typos] == [
        ("kemduian", 4, 40), ("Hngga", 5, 23), ("pendektan", 5, 44),
        ("Kafé", 6, 4), ("memeprkuat", 6, 20)]  # a word written with a reference: at its sentence's start
