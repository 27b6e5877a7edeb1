"""The benchmarks run and write a well-formed table (no timing is asserted).

bench/ is a folder of scripts, not a package: its modules are imported by
path. The smoke run uses a tiny corpus made from the UD sentences in
tests/data, so it needs neither ../shared nor the network.
"""

from __future__ import annotations

import importlib.util
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UD_SENTENCES = ROOT / "tests" / "data" / "ud-id-gsd-dev.txt"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


workloads = _load("workloads")
measure = _load("measure")


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    """About 600 Indonesian sentences, with a stand-in English side."""
    folder = tmp_path_factory.mktemp("corpus")
    lines = [line.split("\t", 1)[1] for line in UD_SENTENCES.read_text(encoding="utf-8").splitlines() if "\t" in line]
    (folder / "ud.id").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "ud.en").write_text("\n".join(f"English {n}." for n in range(len(lines))) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    return workloads.load_corpus(corpus_dir)


# --- workloads -------------------------------------------------------------------


def test_corpus_is_deterministic_and_in_prose_form(corpus, corpus_dir):
    again = workloads.load_corpus(corpus_dir)
    assert again.sentences == corpus.sentences
    assert len(set(corpus.sentences)) == len(corpus.sentences)
    assert all(s[0].isupper() or not s[0].isalpha() for s in corpus.sentences)
    assert all(re.search(r"[.!?…][\"'”’)\]]*$", s) for s in corpus.sentences)
    assert all(corpus.english[s].startswith("English ") for s in corpus.sentences)


def test_missing_corpus_is_explained(tmp_path):
    with pytest.raises(workloads.CorpusError, match="no corpus at .*--corpus"):
        workloads.load_corpus(tmp_path / "nowhere")


def test_prose_form():
    assert workloads.prose_form("  dan bersama  dengan demam ") == "Dan bersama dengan demam."
    assert workloads.prose_form("Apa kabar?") == "Apa kabar?"
    assert workloads.prose_form("   ") == ""


def test_hard_wrapped_document_keeps_every_word_and_wraps(corpus):
    sentences = list(corpus.sentences[:40])
    text = workloads.hard_wrapped(sentences)
    paragraphs = text.strip("\n").split("\n\n")
    assert len(paragraphs) == 8
    assert " ".join(text.split()) == " ".join(sentences)
    assert all(len(line) <= workloads.WRAP_WIDTH or " " not in line for line in text.splitlines())


def test_small_documents_hold_all_sentences_once(corpus):
    sentences = list(corpus.sentences[:103])
    documents = workloads.small_documents(sentences, 10)
    assert len(documents) == 10
    assert " ".join(" ".join(d.split()) for d in documents) == " ".join(sentences)


def test_revision_edits_deletes_and_inserts_the_shares_asked(corpus):
    sentences = corpus.single_sentences()
    base, spare = sentences[:400], sentences[400:]
    revision = workloads.revise(base, spare, corpus.vocabulary)
    assert len(revision.edits) == 20 and len(revision.deleted) == 4 and len(revision.inserted) == 4
    assert workloads.revise(base, spare, corpus.vocabulary) == revision
    new = set(revision.sentences)
    assert all(old not in new and edited in new for old, edited in revision.edits)
    assert not set(revision.deleted) & new and set(revision.inserted) <= new
    assert len(revision.sentences) == 400 - 4 + 4


def test_an_edit_changes_one_or_two_inner_words():
    rng = random.Random(1)
    sentence = "Ayah saya bekerja sebagai guru di sekolah dasar."
    edits = [workloads.edit_sentence(sentence, rng, ["baru", "lama"]) for _ in range(50)]
    before = sentence.split(" ")
    for edited in edits:
        after = edited.split(" ")
        assert after[0] == before[0] and after[-1] == before[-1]
        assert abs(len(after) - len(before)) <= 2
    assert sum(edited != sentence for edited in edits) >= 45  # an insert may be undone by a delete


def test_variants_are_distinct_and_carry_their_translation():
    pairs = workloads.variants(["Satu.", "Dua."], {"Satu.": "One.", "Dua.": "Two."}, 9)
    assert len({source for source, _ in pairs}) == 9
    assert pairs[2] == ("Menurut catatan 1, satu.", "According to note 1, one.")


# --- measuring ---------------------------------------------------------------------


def test_a_failing_command_is_an_error_with_its_stderr():
    command = measure.Command("fails", [sys.executable, "-c", "import sys; sys.exit('broken input')"])
    with pytest.raises(measure.CommandFailed, match="broken input"):
        measure.run_once(command)


@pytest.mark.skipif(measure.GNU_TIME is None, reason="needs GNU time (/usr/bin/time)")
def test_peak_memory_is_the_commands_own_not_the_benchs():
    hog = measure.run_once(measure.Command("hog", [sys.executable, "-c", "x = bytearray(200 * 2**20)"]))
    small = measure.run_once(measure.Command("small", ["true"]))
    assert hog.peak_rss_mb >= 200
    assert small.peak_rss_mb < 20  # this test process holds far more than that


def test_compare_alternates_and_keeps_runs_after_warmup(tmp_path):
    log = tmp_path / "log"
    commands = [measure.Command(name, ["sh", "-c", f"echo {name} >> {log}"]) for name in ("a", "b")]
    results = measure.compare(commands, runs=3, warmup=1)
    assert [len(r.samples) for r in results.values()] == [3, 3]
    assert log.read_text().split() == ["a", "b", "b", "a", "a", "b", "b", "a"]


# --- the whole bench, quick --------------------------------------------------------


def test_quick_run_writes_every_section_as_well_formed_tables(corpus_dir, tmp_path):
    output = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--corpus", str(corpus_dir), "--output", str(output),
         "--workdir", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = output.read_text(encoding="utf-8")
    assert f"--corpus {corpus_dir}" in text and "--quick" in text
    for heading in ("## Machine", "## 1. Extraction", "## 2. Merge", "## 3. MT", "## 4. Incremental",
                    "## 5. Start-up", "## 6. Memory", "## 7. Where the time goes"):
        assert heading in text
    tables = _tables(text)
    assert len(tables) >= 8
    for rows in tables:
        assert len({len(row) for row in rows}) == 1, rows
    pipeline_rows = [row for rows in tables for row in rows if row[0] == "pipeline"]
    assert len(pipeline_rows) == 2 and all(int(row[1].replace(",", "")) > 0 for row in pipeline_rows)
    merge = next(row for rows in tables for row in rows if row[0] == "pipeline update")
    right, edits = (int(n) for n in merge[5].split(" / "))
    assert edits > 0 and 0 <= right <= edits


def test_missing_corpus_exits_with_a_clear_message(tmp_path):
    done = subprocess.run([sys.executable, "bench/run.py", "--quick", "--corpus", str(tmp_path), "--output",
                           str(tmp_path / "out.md")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "no corpus at" in done.stderr and not (tmp_path / "out.md").exists()


def _tables(text: str) -> list[list[list[str]]]:
    """Each Markdown table as rows of cells (the separator line dropped)."""
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            if not re.fullmatch(r"\|(?:---\|)+", line):
                current.append([cell.strip() for cell in line.strip("|").split("|")])
        elif current:
            tables.append(current)
            current = []
    return tables
