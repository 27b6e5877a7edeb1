"""Two runs on the same catalogs: the second waits, then refuses cleanly."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from pipeline.errors import LockedError
from pipeline.lock import project_lock

HOLD = ("import sys, time; from pipeline.lock import project_lock\n"
        "with project_lock(sys.argv[1]):\n"
        "    print('held', flush=True); time.sleep(30)\n")


@pytest.fixture
def holder(project):
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(project / "locales")],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    yield process
    process.kill()
    process.wait()


def test_a_second_writer_is_refused_with_a_clear_message(project, holder):
    started = time.monotonic()
    with (
        pytest.raises(LockedError, match=rf"another pipeline run \(process {holder.pid}\)"),
        project_lock(project / "locales", timeout=0.3),
    ):
        pass
    assert time.monotonic() - started >= 0.3  # it waited before refusing


def test_the_cli_refuses_and_writes_nothing_while_locked(project, holder):
    env = {"PIPELINE_LOCK_TIMEOUT": "0.2", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--root", str(project)],
                            capture_output=True, text=True, env=env, cwd=project.parent)
    assert result.returncode == 8
    assert result.stderr.startswith("error: locales/.lock: another pipeline run")
    assert not (project / "locales" / "bali-process.pot").exists()


def test_the_lock_is_released_when_its_holder_dies(project, holder):
    holder.kill()
    holder.wait()
    with project_lock(project / "locales", timeout=1):
        pass


# A writer that dies between writing its temporary file and renaming it, as kill -9 would.
DIE_MID_WRITE = (
    "import os, sys; from pathlib import Path; from pipeline.fileio import write_atomic\n"
    "os.replace = lambda *paths: os._exit(9)\n"
    "write_atomic(Path(sys.argv[1]), 'msgid \"\"\\nmsgstr \"\"\\n')\n"
)


def test_the_next_lock_holder_removes_what_a_killed_writer_left(project):
    po = project / "locales" / "en" / "LC_MESSAGES" / "bali-process.po"
    assert subprocess.run([sys.executable, "-c", DIE_MID_WRITE, str(po)]).returncode == 9
    leftovers = list(po.parent.glob(".bali-process.po.*.tmp"))
    assert len(leftovers) == 1 and not po.exists()
    mine = [po.parent / ".notes.tmp", project / "locales" / "draft.tmp"]  # not write_atomic's names
    for path in mine:
        path.write_text("keep me")

    with project_lock(project / "locales", timeout=1):
        assert not leftovers[0].exists()
    assert all(path.read_text() == "keep me" for path in mine)
