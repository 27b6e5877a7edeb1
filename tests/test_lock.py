"""One lock per catalog: runs on different documents never wait for each other; two
writers of one catalog take turns, and a refused one writes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

import pipeline.lock
from pipeline.errors import LockedError
from pipeline.lock import file_lock, file_locks, lock_path
from tests.conftest import SEED

HOLD = ("import sys, time; from pipeline.lock import file_lock\n"
        "with file_lock(sys.argv[1]):\n"
        "    print('held', flush=True); time.sleep(60)\n")


def pipeline_run(root: Path, *args: str, timeout: str = "0.3") -> subprocess.CompletedProcess:
    env = {"PIPELINE_LOCK_TIMEOUT": timeout, "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "pipeline", *args, "--root", str(root)],
                          capture_output=True, text=True, env=env, cwd=root.parent)


@pytest.fixture
def two_documents(project: Path) -> Path:
    """The seed document and a second one, both extracted and merged."""
    shutil.copy(SEED, project / "source" / "second.txt")
    for command in ("extract", "update"):
        assert pipeline_run(project, command).returncode == 0
    return project


@contextmanager
def held(target: Path):
    """Another process holding ``target``'s lock, as a running pipeline command would."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "held"
        yield process
    finally:
        process.kill()
        process.wait()


def po(root: Path, domain: str) -> Path:
    folder = root / "locales" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{domain}.po"


def test_a_second_writer_of_one_catalog_waits_then_is_refused_naming_it(project):
    target = po(project, "bali-process")
    with held(target) as holder:
        started = time.monotonic()
        with (
            pytest.raises(LockedError, match=rf"^x\.po: another pipeline run \(process {holder.pid}\) is writing"),
            file_lock(target, timeout=0.3, shown="x.po"),
        ):
            pass
        assert time.monotonic() - started >= 0.3  # it waited before refusing


def test_update_of_one_document_runs_while_another_documents_catalog_is_held(two_documents):
    root = two_documents
    (root / "source" / "second.txt").write_text("Sebuah kalimat baru.\n", encoding="utf-8")
    assert pipeline_run(root, "extract", "second").returncode == 0
    before = po(root, "bali-process").read_bytes()
    with held(po(root, "bali-process")):
        done = pipeline_run(root, "update", "second")
        refused = pipeline_run(root, "update", "bali-process")
    assert done.returncode == 0, done.stderr
    assert 'msgid "Sebuah kalimat baru."' in po(root, "second").read_text(encoding="utf-8")
    assert refused.returncode == 8
    assert refused.stderr.startswith("error: locales/en/LC_MESSAGES/bali-process.po: another pipeline run")
    assert po(root, "bali-process").read_bytes() == before


# update made slow inside its lock: it has locked its catalog and merges for seconds.
SLOW_UPDATE = ("import sys, time; from pipeline import stages; merge = stages.merge_catalog\n"
               "def slowly(*args, **kwargs):\n"
               "    print('merging', flush=True); time.sleep(5); return merge(*args, **kwargs)\n"
               "stages.merge_catalog = slowly\n"
               "from pipeline.cli import main; sys.exit(main(['update', *sys.argv[1:]]))\n")


def test_two_updates_of_different_documents_run_at_once(two_documents):
    root = two_documents
    (root / "source" / "second.txt").write_text("Sebuah kalimat baru.\n", encoding="utf-8")
    (root / "source" / SEED.name).write_text("Kalimat lain.\n", encoding="utf-8")
    assert pipeline_run(root, "extract").returncode == 0
    slow = subprocess.Popen([sys.executable, "-c", SLOW_UPDATE, "bali-process", "--root", str(root)],
                            cwd=root.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert slow.stdout.readline().strip() == "merging", slow.stderr.read()
        quick = pipeline_run(root, "update", "second")  # waits 0.3 s at most
        assert quick.returncode == 0, quick.stderr
        assert slow.poll() is None, "the first update ended before the second ran: make it slower"
        assert slow.wait(timeout=60) == 0, slow.stderr.read()
    finally:
        slow.kill()
    assert 'msgid "Sebuah kalimat baru."' in po(root, "second").read_text(encoding="utf-8")
    assert 'msgid "Kalimat lain."' in po(root, "bali-process").read_text(encoding="utf-8")


def test_a_run_over_several_documents_writes_none_while_one_is_held(two_documents):
    root = two_documents
    before = {domain: po(root, domain).read_bytes() for domain in ("bali-process", "second")}
    (root / "source" / "second.txt").write_text("Sebuah kalimat baru.\n", encoding="utf-8")
    (root / "source" / SEED.name).write_text("Kalimat lain.\n", encoding="utf-8")
    assert pipeline_run(root, "extract").returncode == 0
    with held(po(root, "second")):
        result = pipeline_run(root, "update")
    assert result.returncode == 8, result.stderr
    assert {domain: po(root, domain).read_bytes() for domain in before} == before


def test_the_lock_is_released_when_its_holder_is_killed(project):
    target = po(project, "bali-process")
    with held(target) as holder:
        holder.kill()  # SIGKILL: no clean-up runs, the kernel drops the flock
        holder.wait()
        with file_lock(target, timeout=1):
            assert lock_path(target).read_text().strip() == str(os.getpid())


def test_several_locks_are_taken_in_one_order_whatever_the_order_asked(monkeypatch, tmp_path):
    taken = []

    @contextmanager
    def recording(target, **_options):
        taken.append(Path(target).name)
        yield

    monkeypatch.setattr(pipeline.lock, "file_lock", recording)
    with file_locks([tmp_path / "b.po", tmp_path / "a.po", tmp_path / "c.pot", tmp_path / "a.po"]):
        pass
    assert taken == ["a.po", "b.po", "c.pot"]  # sorted, each once: two runs never wait on each other in a cycle


# A writer that dies between writing its temporary file and renaming it, as kill -9 would.
DIE_MID_WRITE = (
    "import os, sys; from pathlib import Path; from pipeline.fileio import write_atomic\n"
    "os.replace = lambda *paths: os._exit(9)\n"
    "write_atomic(Path(sys.argv[1]), 'msgid \"\"\\nmsgstr \"\"\\n')\n"
)


def test_the_next_holder_of_a_catalogs_lock_removes_what_a_killed_writer_of_it_left(project):
    target = po(project, "bali-process")
    other = po(project, "bali-process-notes")
    for path in (target, other):
        assert subprocess.run([sys.executable, "-c", DIE_MID_WRITE, str(path)]).returncode == 9
    leftovers = list(target.parent.glob(".bali-process.po.*.tmp"))
    assert len(leftovers) == 1 and not target.exists()
    others = list(target.parent.glob(".bali-process-notes.po.*.tmp"))
    mine = [target.parent / ".notes.tmp", project / "locales" / "draft.tmp"]  # not write_atomic's names
    for path in mine:
        path.write_text("keep me")

    with file_lock(target, timeout=1):
        assert not leftovers[0].exists()
    assert all(path.exists() for path in others)  # another catalog's writer may still be alive
    assert all(path.read_text() == "keep me" for path in mine)
