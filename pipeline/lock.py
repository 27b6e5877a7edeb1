"""One writer at a time per file: an advisory lock per catalog.

A run takes the lock of a catalog (or of any file it rewrites under
``locales/``) only around its read-modify-write of that file, so runs on
different documents never wait for each other, and a long ``translate``
holds a catalog only while it saves it. The lock is ``flock`` on a hidden
file beside the target (``.<name>.lock``); the kernel releases it when a
process dies, so a crash never leaves it stuck, and the next holder removes
the temporary file such a crash left behind. A run that writes several files
takes their locks in one order (sorted paths), so two runs cannot deadlock.

A writer that finds the lock taken waits up to ``timeout`` seconds, then
refuses with a message naming the file.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from pipeline.errors import LockedError, PipelineError
from pipeline.fileio import sweep_temporary_files

LOCK_SUFFIX = ".lock"
POLL_SECONDS = 0.05
DEFAULT_TIMEOUT = 30.0  # seconds a command waits for another run's write (PIPELINE_LOCK_TIMEOUT)


def default_timeout() -> float:
    return float(os.environ.get("PIPELINE_LOCK_TIMEOUT", DEFAULT_TIMEOUT))


def lock_path(target: Path) -> Path:
    """The lock file of ``target``: hidden beside it, so it moves with the project."""
    target = Path(target)
    return target.with_name(f".{target.name}{LOCK_SUFFIX}")


@contextmanager
def file_lock(target: Path, *, timeout: float | None = None, shown: str | None = None) -> Iterator[None]:
    """Hold ``target``'s lock; ``shown`` names the target in errors."""
    target = Path(target)
    shown = shown or str(target)
    path = lock_path(target)
    if not target.parent.is_dir():
        # No folder, so no file yet and nothing to protect; creating the folder here
        # would write into a project whose command may be about to be refused.
        yield
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise PipelineError(f"cannot open the lock file {path.name}: {error.strerror}", shown) from None
    try:
        _acquire(fd, default_timeout() if timeout is None else timeout, shown)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        sweep_temporary_files(target)  # every writer of target holds this lock
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def file_locks(targets: Iterable[Path], *, timeout: float | None = None,
               shown: Callable[[Path], str] = str) -> Iterator[None]:
    """Hold the locks of several files, taken in sorted order (no two runs can deadlock)."""
    with ExitStack() as stack:
        for target in sorted({Path(t).absolute() for t in targets}):
            stack.enter_context(file_lock(target, timeout=timeout, shown=shown(target)))
        yield


def _acquire(fd: int, timeout: float, shown: str) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockedError(
                    f"another pipeline run{_holder(fd)} is writing this file; "
                    f"waited {timeout:g} s, try again when it has finished",
                    shown,
                ) from None
            time.sleep(POLL_SECONDS)


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except OSError:
        return ""
    return f" (process {pid})" if pid.isdigit() else ""
