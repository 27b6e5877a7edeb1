"""The MT stage on a Dask cluster: chunks of masked sentences translated by worker processes.

Only the engine calls move. The coordinating process (``idpo translate
--workers N`` or ``--scheduler ADDRESS``) reads the catalogs, masks, plans
the chunks, and alone writes the catalogs and the MT cache, as results come
back; each chunk of the run (``translate.CHUNK_SENTENCES`` masked sentences,
from any document) is one Dask task. Each worker loads the model once: the
``ModelOnWorker`` plugin opens it when the worker joins (also a worker that
replaces a dead one) from the package folder at the coordinator's path, or
from the package files the plugin carries (``ship_model``: sent to each
worker once). The worker's model must have the coordinator's fingerprint
(model files and decoding settings), so every draft is the one a local run
writes, byte for byte.

Dask re-runs the tasks of a worker that dies on another one. A scheduler that
cannot be reached, no workers, or a worker that cannot open the model is one
EngineError before anything is translated.

Importing this module imports ``distributed``; ``pipeline.stages`` does so
only when a cluster is asked for.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import socket
import tempfile
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import SimpleNamespace

import dask
from distributed import Client, Future, LocalCluster, WorkerPlugin, as_completed, get_worker

from pipeline.errors import EngineError, PipelineError
from pipeline.mt.argos import ArgosEngine, DecodingOptions, Threads, output_files
from pipeline.mt.engine import Translation

# Dask starts worker processes with MALLOC_TRIM_THRESHOLD_=65536, so that they give
# memory back to the system; CTranslate2 allocates and frees large buffers at every
# decoding step, and with that setting it spends as long in the kernel as decoding
# (bench/CLUSTER.md). Local workers start without it; remote ones are named in a note.
KEEP_MALLOC_DEFAULT = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
SLOW_TRIM_THRESHOLD = 1 << 20
CONNECT_TIMEOUT_S = 10
WORKERS_TIMEOUT_S = 60  # how long a run waits for the first worker of an existing cluster
TASKS_PER_THREAD = 2  # chunks in flight per worker thread: one running, one queued behind it


@contextmanager
def cluster_engine(local: ArgosEngine, *, workers: int | None = None, scheduler: str | None = None,
                   ship_model: bool = False) -> Iterator[ClusterEngine]:
    """``local``'s model on ``workers`` local processes or on the cluster at ``scheduler``, every
    worker ready to translate; ``ship_model`` sends them the package files instead of its folder."""
    with ExitStack() as stack:
        client = stack.enter_context(_client(workers, scheduler))
        plugin = ModelOnWorker.of(local, ship=ship_model)
        try:
            client.register_plugin(plugin, name=plugin.name)
        except PipelineError as exc:
            raise EngineError(f"a Dask worker cannot open the model: {exc.message}", exc.path) from None
        except Exception as exc:  # whatever the worker raised, as Dask hands it back
            raise EngineError(f"a Dask worker cannot open the model: {exc}", local.shown) from None
        stack.callback(_unregister, client, plugin.name)
        engine = ClusterEngine(client, local, plugin.name)
        engine.notes += _slow_malloc_notes(client)
        yield engine


@contextmanager
def _client(workers: int | None, scheduler: str | None) -> Iterator[Client]:
    if scheduler:
        _probe(scheduler)
        try:
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
        except (OSError, ValueError, TypeError) as exc:
            raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        with client:
            try:
                client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
            except TimeoutError:
                raise EngineError(f"the Dask scheduler at {scheduler} has no workers "
                                  f"(waited {WORKERS_TIMEOUT_S} s)") from None
            yield client
        return
    # One thread per worker process: CTranslate2 then uses one core each. The workers'
    # own logs stay quiet: what goes wrong there comes back as this run's one error line.
    with dask.config.set(KEEP_MALLOC_DEFAULT), \
            LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True, dashboard_address=None,
                         silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        yield client


def _probe(scheduler: str) -> None:
    """A refused TCP connection is said at once (Dask itself retries until its timeout)."""
    if not scheduler.startswith("tcp://"):
        return
    host, _, port = scheduler.removeprefix("tcp://").rstrip("/").rpartition(":")
    if not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {exc.strerror or exc}") from None


def _slow_malloc_notes(client: Client) -> list[str]:
    thresholds = client.run(_trim_threshold)
    slow = sorted(address for address, value in thresholds.items()
                  if value and value.isdigit() and int(value) < SLOW_TRIM_THRESHOLD)
    if not slow:
        return []
    return [f"{len(slow)} of {len(thresholds)} Dask workers run with MALLOC_TRIM_THRESHOLD_ below 1 MiB "
            f"(Dask's default), which about halves CTranslate2's speed: start them with "
            f"MALLOC_TRIM_THRESHOLD_={1 << 27} (e.g. {slow[0]})"]


def _unregister(client: Client, name: str) -> None:
    """Free the model on the workers of a cluster that outlives the run."""
    try:
        client.unregister_worker_plugin(name)
    except Exception:  # the cluster is going away or has gone: nothing to free
        pass


class ClusterEngine:
    """An Engine whose chunks run as Dask tasks; ``translate_unordered`` keeps every worker busy."""

    def __init__(self, client: Client, local: ArgosEngine, plugin_name: str):
        self.client, self.plugin_name, self.shown = client, plugin_name, local.shown
        self.identity = local.identity
        self.notes: list[str] = []  # what the coordinator should tell the user about the cluster

    def translate(self, sentences: Sequence[str]) -> list[Translation]:
        return next(self.translate_unordered([sentences]))[1]

    def translate_unordered(self, chunks: Sequence[Sequence[str]]) -> Iterator[tuple[int, list[Translation]]]:
        """``(index, translations)`` as each chunk finishes, with a few chunks per worker thread in
        flight (counted again as each one finishes: workers may join or leave during the run)."""
        waiting = iter(enumerate(chunks))
        running = as_completed(with_results=False)
        index_of: dict[Future, int] = {}
        try:
            self._fill(waiting, running, index_of)
            for future in running:
                yield index_of.pop(future), self._result(future)
                self._fill(waiting, running, index_of)
        finally:  # Ctrl-C or an error: leave no work running on a cluster that outlives the run
            self.client.cancel(list(index_of))

    def _fill(self, waiting, running, index_of: dict[Future, int]) -> None:
        window = TASKS_PER_THREAD * max(1, sum(self.client.nthreads().values()))
        while len(index_of) < window:
            item = next(waiting, None)
            if item is None:
                return
            index, sentences = item
            future = self.client.submit(_translate_on_worker, list(sentences), self.plugin_name, pure=False)
            index_of[future] = index
            running.add(future)

    def _result(self, future) -> list[Translation]:
        try:
            return future.result()
        except PipelineError as exc:
            raise EngineError(f"on a Dask worker: {exc.message}", exc.path or self.shown) from None
        except Exception as exc:  # a worker that died too often (KilledWorker), a lost connection...
            raise EngineError(f"the Dask cluster failed: {type(exc).__name__}: {exc}", self.shown) from None


def _trim_threshold() -> str | None:
    """On a worker: its glibc trim setting (a function of this module, so it runs there, not here)."""
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def _translate_on_worker(sentences: list[str], plugin_name: str) -> list[Translation]:
    """The task: one chunk through the model the worker's plugin opened."""
    worker = get_worker()
    plugin = worker.plugins.get(plugin_name)
    if not isinstance(plugin, ModelOnWorker) or plugin.engine is None:  # its set-up failed when it joined
        raise EngineError(f"worker {worker.address} has not opened the model (see that worker's log)")
    return list(plugin.engine.translate(sentences))


class ModelOnWorker(WorkerPlugin):
    """Opens the coordinator's model once per worker, from a folder or from files it carries."""

    def __init__(self, package: dict, options: DecodingOptions, batch_size: int, fingerprint: str,
                 folder: str, files: bytes | None):
        self.package, self.options, self.batch_size = package, options, batch_size
        self.fingerprint, self.folder, self.files = fingerprint, folder, files
        # One name per run: two runs on one cluster never replace or remove each other's model.
        self.name = f"idpo-model-{fingerprint[:16]}-{uuid.uuid4().hex[:8]}"
        self.engine: ArgosEngine | None = None

    @classmethod
    def of(cls, local: ArgosEngine, *, ship: bool) -> ModelOnWorker:
        return cls(local.package_fields(), local.options, local.batch_size, local.identity.fingerprint,
                   str(local.package_dir), _zipped(local.package_dir) if ship else None)

    def setup(self, worker) -> None:
        folder = Path(self.folder) if self.files is None else self._unpack(Path(worker.local_directory))
        try:
            self.engine = self._open(worker, folder)
        except EngineError:
            if self.files is None:
                raise
            shutil.rmtree(folder, ignore_errors=True)  # a copy damaged since it was unpacked: once more
            self.engine = self._open(worker, self._unpack(Path(worker.local_directory)))

    def _open(self, worker, folder: Path) -> ArgosEngine:
        if not (folder / "model").is_dir():
            raise EngineError(f"no model on worker {worker.address}: {folder} is not an installed package "
                              "(install the model there, or run with --ship-model)", str(folder))
        package = SimpleNamespace(**self.package, package_path=folder)
        engine = ArgosEngine(package, threads=Threads(workers=worker.state.nthreads), options=self.options,
                             batch_size=self.batch_size, shown=f"{worker.address}:{folder}")
        if engine.identity.fingerprint != self.fingerprint:
            raise EngineError(f"the model on worker {worker.address} differs from the coordinator's "
                              "(other files or settings)", str(folder))
        engine.translator  # noqa: B018  load now: a broken model fails the start, not a task
        return engine

    def teardown(self, worker) -> None:
        self.engine = None

    def _unpack(self, local_directory: Path) -> Path:
        """The shipped files in the worker's folder: unpacked beside it and renamed into place,
        so an interrupted unpack (a full disk) never passes for a whole copy."""
        folder = local_directory / "idpo-models" / self.fingerprint[:16]
        if folder.is_dir():
            return folder
        assert self.files is not None
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        try:
            with zipfile.ZipFile(io.BytesIO(self.files)) as archive:
                archive.extractall(staging)
            os.replace(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return folder


def _zipped(package_dir: Path) -> bytes:
    """The files that make the output (what the fingerprint covers), stored, not compressed:
    CTranslate2's int8 weights hardly compress."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path in output_files(package_dir):
            archive.write(path, path.relative_to(package_dir).as_posix())
    return buffer.getvalue()
