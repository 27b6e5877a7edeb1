"""`idpo translate --workers N / --scheduler ADDRESS`: MT on a Dask cluster of local worker processes.

Every run here is the real command in a subprocess, with the tiny Argos model,
on a project of two documents, compared with a local run of the same project.
Workers are slowed down where a test must act in the middle of a run, through
Dask's own worker preload (``DASK_DISTRIBUTED__WORKER__PRELOAD``), so the
pipeline's code is the code users run.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest

from pipeline.catalog import State, load_catalog
from pipeline.errors import EngineError
from pipeline.mt.models import ModelStore
from tests.argos_tiny import shared_tiny_argosmodel
from tests.reliability import snapshot
from tests.test_crash_safety import ENV, made_up_sentences, run_pipeline, start

pytest.importorskip("distributed", reason="the cluster extra is not installed: make setup-dev installs it")

DOCUMENTS = {"pertama": 0, "kedua": 1}  # document -> seed of its made-up sentences
SENTENCES = 320  # per document; 40 shared by both, so a shared sentence is translated once
SHARED = 40
PO = "locales/en/LC_MESSAGES/{}.po"

# A worker that takes half a second more per chunk: the run lasts seconds. (Dask may run a
# preload more than once, in one namespace: the method is wrapped once, the original bound early.)
SLOW_WORKER = textwrap.dedent("""
    import time
    import pipeline.mt.argos as argos
    if not getattr(argos.ArgosEngine, "slowed", False):
        def slowly(self, sentences, original=argos.ArgosEngine.translate):
            time.sleep(0.5)
            return original(self, sentences)
        argos.ArgosEngine.translate = slowly
        argos.ArgosEngine.slowed = True
""")
# A worker whose copy of the model is not the coordinator's.
OTHER_MODEL = textwrap.dedent("""
    import pipeline.mt.argos as argos
    argos._fingerprint = lambda package_dir, options: "0" * 64
""")


@pytest.fixture(scope="module")
def tiny_model() -> Path:
    return shared_tiny_argosmodel()


@pytest.fixture(scope="module")
def template(tmp_path_factory, tiny_model) -> Path:
    """Two documents, extracted and merged, the tiny model installed; each test copies it."""
    root = tmp_path_factory.mktemp("cluster-template")
    (root / "source").mkdir()
    shared = made_up_sentences(SHARED, seed=99)
    for name, seed in DOCUMENTS.items():
        own = made_up_sentences(SENTENCES - SHARED, seed=seed)
        (root / "source" / f"{name}.txt").write_text("\n\n".join(shared + own) + "\n", encoding="utf-8")
    for command in ("extract", "update"):
        assert run_pipeline(root, command).returncode == 0
    ModelStore(root).install_file(tiny_model)
    return root


@pytest.fixture(scope="module")
def local_run(template, tmp_path_factory) -> dict[str, bytes]:
    """The catalogs a plain local `translate` writes: what every cluster run must write too."""
    root = copy_project(template, tmp_path_factory.mktemp("local"))
    result = run_pipeline(root, "translate")
    assert result.returncode == 0, result.stderr
    return catalogs(root)


def copy_project(template: Path, folder: Path) -> Path:
    root = folder / "project"
    shutil.copytree(template, root, symlinks=True)
    return root


def catalogs(root: Path) -> dict[str, bytes]:
    return {name: (root / PO.format(name)).read_bytes() for name in DOCUMENTS}


def cluster_env(preload: str | None = None, tmp_path: Path | None = None) -> dict[str, str]:
    env = dict(ENV)
    if preload is not None:
        assert tmp_path is not None
        script = tmp_path / "preload_worker.py"
        script.write_text(preload, encoding="utf-8")
        env["DASK_DISTRIBUTED__WORKER__PRELOAD"] = json.dumps([str(script)])
    return env


def cached_rows(root: Path) -> int:
    found = list((root / ".cache" / "mt").glob("*.sqlite"))
    if not found:
        return 0
    try:
        with sqlite3.connect(found[0], timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM mt").fetchone()[0]
    except sqlite3.Error:  # created, table not there yet
        return 0


def wait_for(condition, process: subprocess.Popen, timeout: float = 60) -> None:
    """Until ``condition()``; fails if the run ends first."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the run ended before the test could act: {process.communicate()}"
        assert time.monotonic() < deadline, "timed out waiting for the run"
        time.sleep(0.05)


def worker_processes(coordinator: subprocess.Popen) -> list[psutil.Process]:
    """The Dask worker processes a `--workers` run started (its nannies live in its own process)."""
    children = psutil.Process(coordinator.pid).children(recursive=True)
    return [child for child in children if "spawn_main" in " ".join(child.cmdline())
            and "resource_tracker" not in " ".join(child.cmdline())]


def test_two_local_workers_write_what_a_local_run_writes(template, local_run, tmp_path):
    root = copy_project(template, tmp_path)
    # --workers on the command line wins over a scheduler named in the environment (nothing listens there).
    result = run_pipeline(root, "translate", "--workers", "2", env=dict(ENV, DASK_SCHEDULER_ADDRESS="tcp://127.0.0.1:9"))
    assert result.returncode == 0, result.stderr
    assert "on 2 local Dask workers" in result.stderr
    assert "MALLOC_TRIM_THRESHOLD_" not in result.stderr  # local workers start with glibc's default
    assert catalogs(root) == local_run
    for name in DOCUMENTS:  # every unit drafted, the shared sentences once for the run
        units = load_catalog(root / PO.format(name)).units()
        assert all(unit.state is State.MT_DRAFT for unit in units)
    assert cached_rows(root) == 2 * SENTENCES - SHARED


def test_the_model_can_be_shipped_to_the_workers(template, local_run, tmp_path):
    root = copy_project(template, tmp_path)
    result = run_pipeline(root, "translate", "--workers", "2", "--ship-model")
    assert result.returncode == 0, result.stderr
    assert catalogs(root) == local_run


def test_an_existing_cluster_is_used_through_its_scheduler(template, local_run, tmp_path):
    from distributed import LocalCluster

    root = copy_project(template, tmp_path)
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        env = dict(ENV, DASK_SCHEDULER_ADDRESS=cluster.scheduler_address)
        result = run_pipeline(root, "translate", env=env)
        assert result.returncode == 0, result.stderr
        assert f"on the Dask cluster at {cluster.scheduler_address}" in result.stderr
        # This cluster's workers have Dask's default, which halves CTranslate2's speed: the run says so.
        assert "note: 2 of 2 Dask workers run with MALLOC_TRIM_THRESHOLD_ below 1 MiB" in result.stderr
        assert catalogs(root) == local_run
        with cluster.get_client() as client:  # the run freed its model on the cluster that outlives it
            assert not any(client.run(lambda dask_worker: [n for n in dask_worker.plugins if "idpo" in n]).values())


def test_two_runs_on_one_cluster_at_once_both_finish(template, local_run, tmp_path):
    """Each run opens the model under its own name: the first to finish does not take the
    second's model away from the workers."""
    import dask
    from distributed import LocalCluster

    roots = [copy_project(template, tmp_path / name) for name in ("one", "two")]
    script = tmp_path / "slow_worker.py"
    script.write_text(SLOW_WORKER, encoding="utf-8")
    with dask.config.set({"distributed.worker.preload": [str(script)]}), \
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        env = dict(ENV, DASK_SCHEDULER_ADDRESS=cluster.scheduler_address)
        first = start([sys.executable, "-m", "pipeline", "translate", "--root", str(roots[0])], roots[0], env=env)
        wait_for(lambda: cached_rows(roots[0]) > 0, first)  # the second starts while the first is drafting
        second = start([sys.executable, "-m", "pipeline", "translate", "--root", str(roots[1])], roots[1], env=env)
        runs = [first, second]
        results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    assert [catalogs(root) for root in roots] == [local_run, local_run]


def test_a_shipped_model_damaged_on_the_worker_is_unpacked_again(template, tmp_path):
    from pipeline.mt.cluster import ModelOnWorker

    store = ModelStore(template)
    local = store.open_engine(store.choose(None))
    worker = SimpleNamespace(address="tcp://10.0.0.7:4000", local_directory=str(tmp_path),
                             state=SimpleNamespace(nthreads=1))
    ModelOnWorker.of(local, ship=True).setup(worker)
    unpacked = tmp_path / "idpo-models" / local.identity.fingerprint[:16]
    (unpacked / "model" / "model.bin").write_bytes(b"half a file")  # a copy damaged since
    plugin = ModelOnWorker.of(local, ship=True)
    plugin.setup(worker)
    assert plugin.engine is not None and plugin.engine.identity == local.identity
    assert [path.name for path in (tmp_path / "idpo-models").iterdir()] == [unpacked.name]  # no staging left


def test_a_worker_killed_mid_run_has_its_chunks_retried(template, local_run, tmp_path):
    root = copy_project(template, tmp_path)
    run = start([sys.executable, "-m", "pipeline", "translate", "--workers", "2", "--root", str(root)], root,
                env=cluster_env(SLOW_WORKER, tmp_path))
    wait_for(lambda: cached_rows(root) > 0 and len(worker_processes(run)) == 2, run)
    victim = worker_processes(run)[0]
    victim.send_signal(signal.SIGKILL)
    assert run.poll() is None  # killed while the run still had chunks to translate
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert not victim.is_running()
    assert catalogs(root) == local_run


def test_ctrl_c_keeps_the_finished_drafts_and_stops_the_workers(template, tmp_path):
    root = copy_project(template, tmp_path)
    run = start([sys.executable, "-m", "pipeline", "translate", "--workers", "2", "--root", str(root)], root,
                env=cluster_env(SLOW_WORKER, tmp_path))
    wait_for(lambda: cached_rows(root) >= 16 and len(worker_processes(run)) == 2, run)
    workers = worker_processes(run)
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 130, err
    assert "Traceback" not in err
    drafted = sum(unit.state is State.MT_DRAFT for name in DOCUMENTS
                  for unit in load_catalog(root / PO.format(name)).units())
    assert 16 <= drafted < 2 * SENTENCES  # what had come back is in the catalogs; the rest is not
    psutil.wait_procs(workers, timeout=30)
    assert not any(worker.is_running() for worker in workers)


def test_an_unreachable_scheduler_is_one_error_line_and_nothing_written(template, tmp_path):
    root = copy_project(template, tmp_path)
    before = snapshot(root)
    with socket.socket() as free:  # a port nothing listens on
        free.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{free.getsockname()[1]}"
    result = run_pipeline(root, "translate", "--scheduler", address)
    assert result.returncode == 7
    errors = [line for line in result.stderr.splitlines() if line.startswith(("error", "Traceback"))]
    assert len(errors) == 1 and errors[0].startswith(f"error: cannot reach the Dask scheduler at {address}"), \
        result.stderr
    assert snapshot(root) == before


def test_a_worker_with_another_model_is_one_error_line_and_nothing_written(template, tmp_path):
    root = copy_project(template, tmp_path)
    before = snapshot(root)
    result = run_pipeline(root, "translate", "--workers", "2", env=cluster_env(OTHER_MODEL, tmp_path))
    assert result.returncode == 7
    errors = [line for line in result.stderr.splitlines() if line.startswith(("error", "Traceback"))]
    assert len(errors) == 1 and "differs from the coordinator's" in errors[0], result.stderr
    assert snapshot(root) == before


def test_a_worker_without_the_model_folder_is_told_how_to_fix_it(tmp_path):
    from pipeline.mt.cluster import ModelOnWorker

    plugin = ModelOnWorker({}, None, 16, "f" * 64, str(tmp_path / "not-there"), None)
    worker = SimpleNamespace(address="tcp://10.0.0.7:4000", local_directory=str(tmp_path))
    with pytest.raises(EngineError, match="no model on worker tcp://10.0.0.7:4000: .*--ship-model"):
        plugin.setup(worker)


def test_without_a_cluster_dask_is_never_imported(template, tmp_path):
    root = copy_project(template, tmp_path)
    probe = textwrap.dedent("""
        import sys
        from pipeline.cli import main
        status = main(["translate", *sys.argv[1:]])
        print(sorted(name for name in sys.modules if name.split(".")[0] in ("dask", "distributed")))
        sys.exit(status)
    """)
    result = subprocess.run([sys.executable, "-c", probe, "--root", str(root)], cwd=root, env=ENV,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_ship_model_without_a_cluster_is_refused(template, tmp_path):
    root = copy_project(template, tmp_path)
    before = snapshot(root)
    result = run_pipeline(root, "translate", "--ship-model")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == "error: --ship-model needs --workers or --scheduler"
    assert snapshot(root) == before


def test_a_run_with_nothing_to_draft_never_reaches_for_the_cluster(template, tmp_path):
    root = copy_project(template, tmp_path)
    assert run_pipeline(root, "translate").returncode == 0  # every unit drafted, locally
    before = snapshot(root)
    env = dict(ENV, DASK_SCHEDULER_ADDRESS="tcp://127.0.0.1:9")  # nothing listens there
    for extra in ([], ["--workers", "2"]):
        result = run_pipeline(root, "translate", *extra, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stderr.count("nothing to draft") == len(DOCUMENTS)
        assert "Dask" not in result.stderr and "model:" not in result.stderr
    assert snapshot(root) == before
