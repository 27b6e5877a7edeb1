"""kill -9 at random points, and two runs at once: catalogs stay whole.

  - a process saving catalogs in a loop, killed at random: the file is always
    exactly one of the two complete versions;
  - `idpo update` on a large catalog, killed at random: the .po is the old
    file or the new one, byte for byte;
  - `idpo translate` with the tiny Argos model, killed at random several
    times, then run to the end: every catalog on disk in between loads
    strictly and passes msgfmt -c, drafts only ever accumulate, reviewed work
    is untouched, and the end result is the same as an uninterrupted run;
  - `translate` and `update` on one catalog at once: update never waits for
    the whole MT run, and both changes are in the result.

Kill times are random (seeded per test, printed on failure).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pipeline.catalog import POT_STAMP, Catalog, State, load_catalog, save_catalog
from pipeline.mt.models import ModelStore
from tests.argos_tiny import shared_tiny_argosmodel
from tests.reliability import REPO, msgfmt_check

DOMAIN = "doc"
PO = Path(f"locales/en/LC_MESSAGES/{DOMAIN}.po")
POT = Path(f"locales/{DOMAIN}.pot")
ENV = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000", "PYTHONDONTWRITEBYTECODE": "1"}
SYLLABLES = ("ka", "la", "mu", "se", "da", "ri", "po", "ne", "ti", "gu", "ba", "ro")


def made_up_sentences(count: int, seed: int = 8) -> list[str]:
    """Distinct five-word sentences without digits (the MT stage masks numbers, so
    numbered sentences would all be one sentence to the engine)."""
    rng = random.Random(seed)
    words = sorted({"".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(4000)})
    sentences: list[str] = []
    while len(sentences) < count:
        chosen = rng.sample(words, 5)
        sentence = " ".join([chosen[0].capitalize(), *chosen[1:]]) + "."
        if sentence not in sentences:
            sentences.append(sentence)
    return sentences


def big_catalogs(units: int) -> tuple[Catalog, Catalog]:
    """A template of ``units`` sentences, and an older catalog of most of them, half reviewed."""
    sentences = made_up_sentences(units)
    template = Catalog.new(DOMAIN, language=None)
    for number, sentence in enumerate(sentences, start=1):
        template.add(sentence, locations=[(f"source/{DOMAIN}.txt", number)], comment=f"block {number}")
    old = Catalog.new(DOMAIN, language="en")
    for number, sentence in enumerate(sentences[: units * 9 // 10], start=1):
        reviewed = f"Reviewed {number}." if number % 2 else ""
        old.add(sentence, locations=[(f"source/{DOMAIN}.txt", number)], msgstr=reviewed)
    return template, old


def run_pipeline(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args, "--root", str(root)], cwd=root,
                          capture_output=True, text=True, check=False, env=env or ENV)


def start(command: list[str], root: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=root, env=env or ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def kill_after(process: subprocess.Popen, seconds: float) -> bool:
    """SIGKILL ``process`` after ``seconds``; False if it had already finished."""
    try:
        process.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


def leftovers(folder: Path, name: str) -> list[str]:
    """Files a killed write leaves: only write_atomic's hidden temporary files may be there
    (beside the catalog's lock file)."""
    others = sorted(p.name for p in folder.iterdir() if p.name not in (name, f".{name}.lock"))
    assert all(n.startswith(f".{name}.") and n.endswith(".tmp") for n in others), others
    return others


# -- a catalog write, killed --------------------------------------------------------


def folder_state(folder: Path) -> set[tuple[str, int, int, int]]:
    found = set()
    for entry in os.scandir(folder):
        try:
            info = entry.stat(follow_symlinks=False)
        except FileNotFoundError:  # a temporary file renamed meanwhile
            continue
        found.add((entry.name, info.st_ino, info.st_size, info.st_mtime_ns))
    return found


def kill_while_writing(process: subprocess.Popen, folder: Path, delay: float) -> bool:
    """SIGKILL ``process`` ``delay`` seconds after it starts writing in ``folder``
    (a file appears, or one changes), so the kill lands in the write, not in
    the seconds of start-up and merging before it. False if it ended first."""
    before = folder_state(folder)
    while folder_state(folder) == before:
        if process.poll() is not None:
            return False
        time.sleep(0.0005)
    return kill_after(process, delay)


# Writes two versions of a catalog in turn, as fast as it can, through the same
# atomic write save_catalog uses: nearly every moment of its life is a write.
WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from pipeline.fileio import write_atomic
    first, second = Path(sys.argv[1]).read_bytes(), Path(sys.argv[2]).read_bytes()
    target = Path(sys.argv[3])
    print("writing", flush=True)
    while True:
        write_atomic(target, first)
        write_atomic(target, second)
""")


def test_killing_a_catalog_write_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    rng = random.Random(1)
    _, old = big_catalogs(4000)
    first, second = tmp_path / "first.po", tmp_path / "second.po"
    save_catalog(old, first)
    for unit in old.units():
        unit.set_translation(f"Changed: {unit.msgid}", reviewed=True)
    save_catalog(old, second)
    versions = {first.read_bytes(), second.read_bytes()}
    folder = tmp_path / "target"
    folder.mkdir()
    target = folder / "doc.po"
    for attempt in range(8):
        writer = start([sys.executable, "-c", WRITER, str(first), str(second), str(target)], tmp_path)
        assert writer.stdout.readline() == "writing\n", writer.stderr.read()
        delay = rng.uniform(0.0, 0.3)
        assert kill_while_writing(writer, folder, delay), "the writer stopped by itself"
        assert target.read_bytes() in versions, f"attempt {attempt}: half a catalog, {delay:.3f} s into writing"
    load_catalog(target)
    msgfmt_check(target)
    leftovers(folder, target.name)


def test_killing_update_leaves_the_old_or_the_new_catalog(tmp_path: Path) -> None:
    rng = random.Random(2)
    root = tmp_path / "project"
    (root / "source").mkdir(parents=True)
    (root / "source" / f"{DOMAIN}.txt").write_text("Sumber tidak dibaca oleh update.\n", encoding="utf-8")
    template, old = big_catalogs(4000)
    save_catalog(template, root / POT, stamp=POT_STAMP)
    save_catalog(old, root / PO)
    old_bytes = (root / PO).read_bytes()
    reference = tmp_path / "reference"
    shutil.copytree(root, reference)
    assert run_pipeline(reference, "update").returncode == 0
    new_bytes = (reference / PO).read_bytes()
    assert new_bytes != old_bytes

    for attempt in range(5):
        (root / PO).write_bytes(old_bytes)
        update = start([sys.executable, "-m", "pipeline", "update", "--root", str(root)], root)
        delay = rng.uniform(0.0, 0.02)  # a write of this catalog takes a few milliseconds
        kill_while_writing(update, root / PO.parent, delay)
        now = (root / PO).read_bytes()
        assert now in (old_bytes, new_bytes), f"attempt {attempt}: a damaged catalog, {delay:.3f} s into writing"
    leftovers(root / PO.parent, PO.name)
    assert run_pipeline(root, "update").returncode == 0
    assert (root / PO).read_bytes() == new_bytes


# -- an MT run, killed ------------------------------------------------------------------

# Runs `idpo translate` saving a checkpoint as often as the stage allows (it
# keeps saving under a tenth of the run), so kills also land during saves.
TRANSLATE = textwrap.dedent("""
    import sys
    import pipeline.translate
    pipeline.translate.draft_catalogs.__kwdefaults__["checkpoint_every_s"] = 0.0
    from pipeline.cli import main
    sys.exit(main(["translate", *sys.argv[1:]]))
""")
# A long MT run, made long on purpose: it has read the catalog and drafts for seconds
# whatever the machine's speed.
LONG_TRANSLATE = textwrap.dedent("""
    import sys, time
    import pipeline.translate
    drafting = pipeline.translate.draft_catalogs
    def slowly(*args, **kwargs):
        print("drafting", flush=True)
        time.sleep(3)
        return drafting(*args, **kwargs)
    pipeline.translate.draft_catalogs = slowly
    from pipeline.cli import main
    sys.exit(main(["translate", *sys.argv[1:]]))
""")
MT_SENTENCES = 240
TOGETHER_SENTENCES = 150


@pytest.fixture(scope="module")
def tiny_model() -> Path:
    return shared_tiny_argosmodel()


def mt_project(root: Path, tiny_model: Path, sentences: list[str]) -> Path:
    """A project of one-sentence paragraphs, extracted and merged, every tenth unit reviewed."""
    (root / "source").mkdir(parents=True)
    (root / "source" / f"{DOMAIN}.txt").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    for command in ("extract", "update"):
        assert run_pipeline(root, command).returncode == 0
    catalog = load_catalog(root / PO)
    for unit in catalog.units()[::10]:
        unit.set_translation(f"Reviewed: {unit.msgid}", reviewed=True)
    save_catalog(catalog, root / PO)
    ModelStore(root).install_file(tiny_model)
    return root


def drafts_and_reviews(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    catalog = load_catalog(root / PO, language="en")
    msgfmt_check(root / PO)
    drafts = {u.msgid: u.msgstr for u in catalog.units() if u.state is State.MT_DRAFT}
    reviewed = {u.msgid: u.msgstr for u in catalog.units() if u.state is State.REVIEWED}
    return drafts, reviewed


def test_killing_translate_keeps_every_finished_draft(tmp_path: Path, tiny_model: Path) -> None:
    rng = random.Random(3)
    sentences = made_up_sentences(MT_SENTENCES)
    root = mt_project(tmp_path / "project", tiny_model, sentences)
    reference = tmp_path / "reference"
    shutil.copytree(root, reference)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", TRANSLATE, "--root", str(reference)], cwd=reference, env=ENV,
                            capture_output=True, text=True, check=False)
    duration = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    expected = (reference / PO).read_bytes()

    drafts, reviewed = drafts_and_reviews(root)
    kills, kept = 0, 0
    for attempt in range(4):
        translate = start([sys.executable, "-c", TRANSLATE, "--root", str(root)], root)
        if attempt % 2:  # during a checkpoint save
            delay = rng.uniform(0.0, 0.01)
            killed = kill_while_writing(translate, root / PO.parent, delay)
        else:  # anywhere in the run
            delay = rng.uniform(0.2, 0.9) * duration
            killed = kill_after(translate, delay)
        if not killed:
            break  # it finished: the cache made it quick
        kills += 1
        now_drafts, now_reviewed = drafts_and_reviews(root)  # loads strictly, passes msgfmt -c
        assert now_reviewed == reviewed, f"attempt {attempt}: reviewed work changed"
        assert drafts.items() <= now_drafts.items(), f"attempt {attempt}: drafts were lost after {delay:.2f} s"
        drafts = now_drafts
        kept = max(kept, len(drafts) + cached_translations(root))
    assert kills >= 2, "the runs ended before they could be killed: make the catalog larger"
    assert kept > 0, "no killed run kept a finished draft, in the catalog or in the MT cache"

    drafts, _ = drafts_and_reviews(root)
    left = sum(1 for u in load_catalog(root / PO).units() if u.state is State.UNTRANSLATED)
    final = subprocess.run([sys.executable, "-c", TRANSLATE, "--root", str(root)], cwd=root, env=ENV,
                           capture_output=True, text=True, check=False)
    assert final.returncode == 0, final.stderr
    assert (root / PO).read_bytes() == expected  # as if never interrupted
    assert (f"{left} drafted," if left else "nothing to draft") in final.stderr, final.stderr
    leftovers(root / PO.parent, PO.name)


def cached_translations(root: Path) -> int:
    import sqlite3

    total = 0
    for path in (root / ".cache" / "mt").glob("*.sqlite"):
        with sqlite3.connect(path) as db:
            total += db.execute("SELECT COUNT(*) FROM mt").fetchone()[0]
    return total


# -- two runs at once ---------------------------------------------------------------------

def add_a_sentence(root: Path) -> str:
    """A new sentence in the source, extracted: update has something to merge."""
    sentence = "Kalimat baru ini ditambahkan oleh penulis."
    with (root / "source" / f"{DOMAIN}.txt").open("a", encoding="utf-8") as source:
        source.write(f"\n{sentence}\n")
    assert run_pipeline(root, "extract").returncode == 0
    return sentence


def test_translate_and_update_at_once_both_land(tmp_path: Path, tiny_model: Path) -> None:
    root = mt_project(tmp_path / "project", tiny_model, made_up_sentences(TOGETHER_SENTENCES))
    new_sentence = add_a_sentence(root)
    translate = start([sys.executable, "-m", "pipeline", "translate", "--root", str(root)], root)
    update = start([sys.executable, "-m", "pipeline", "update", "--root", str(root)], root)
    assert translate.wait() == 0, translate.stderr.read()
    assert update.wait() == 0, update.stderr.read()
    catalog = load_catalog(root / PO, language="en")
    msgfmt_check(root / PO)
    # Had one run saved over the other, the new sentence or the drafts would be gone.
    assert catalog.get(new_sentence) is not None, "update's work was lost"
    old_units = [u for u in catalog.units() if u.msgid != new_sentence]
    assert all(u.state in (State.MT_DRAFT, State.REVIEWED) for u in old_units), "translate's work was lost"


def test_update_of_a_catalog_being_translated_does_not_wait_for_the_mt_run(tmp_path: Path, tiny_model: Path) -> None:
    root = mt_project(tmp_path / "project", tiny_model, made_up_sentences(TOGETHER_SENTENCES))
    new_sentence = add_a_sentence(root)
    _, reviewed = drafts_and_reviews(root)
    translate = start([sys.executable, "-c", LONG_TRANSLATE, "--root", str(root)], root)
    assert translate.stdout.readline().strip() == "drafting", translate.stderr.read()  # it has read the catalog
    update = run_pipeline(root, "update", env={**ENV, "PIPELINE_LOCK_TIMEOUT": "0.5"})
    assert update.returncode == 0, update.stderr
    assert translate.poll() is None, "translate ended before update ran: make it longer"
    assert translate.wait() == 0, translate.stderr.read()
    catalog = load_catalog(root / PO, language="en")
    msgfmt_check(root / PO)
    assert catalog.get(new_sentence) is not None, "translate saved over update's new sentence"
    assert catalog.get(new_sentence).state is State.UNTRANSLATED  # translate never saw it: the next run drafts it
    drafts, now_reviewed = drafts_and_reviews(root)
    assert now_reviewed == reviewed
    assert len(drafts) + len(reviewed) == TOGETHER_SENTENCES, "translate's drafts were lost"
