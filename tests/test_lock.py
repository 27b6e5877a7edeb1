"""Two runs on the same catalogs: the second waits, then refuses cleanly."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from pipeline.errors import LockedError
from pipeline.lock import project_lock

HOLD = "import sys, time; from pipeline.lock import project_lock\nwith project_lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(30)\n"


@pytest.fixture
def holder(project):
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(project / "locales")], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    yield process
    process.kill()
    process.wait()


def test_a_second_writer_is_refused_with_a_clear_message(project, holder):
    started = time.monotonic()
    with pytest.raises(LockedError, match=rf"another pipeline run \(process {holder.pid}\)"):
        with project_lock(project / "locales", timeout=0.3):
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
