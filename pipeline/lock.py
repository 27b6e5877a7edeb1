"""One writer at a time per project: an advisory lock on locales/.lock.

Every command that writes catalogs holds it for its whole run; the review
page takes it around each save. A second run waits up to ``timeout``
seconds, then refuses with a message naming the lock file. The kernel
releases the lock when a process dies, so a crash never leaves it stuck;
the next holder removes the temporary files such a crash left behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import LockedError, PipelineError
from pipeline.fileio import sweep_temporary_files

LOCK_NAME = ".lock"
POLL_SECONDS = 0.1


@contextmanager
def project_lock(locales_dir: Path, *, timeout: float = 10.0, shown: str | None = None) -> Iterator[None]:
    locales_dir = Path(locales_dir)
    if not locales_dir.is_dir():
        # No catalogs yet, so nothing to protect; creating locales/ here
        # would write into a project whose command is about to be refused.
        yield
        return
    path = locales_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise PipelineError(f"cannot open the lock file: {error.strerror}", shown or str(path)) from None
    try:
        _acquire(fd, timeout, shown or str(path))
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        sweep_temporary_files(locales_dir)  # every writer of locales/ holds this lock
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _acquire(fd: int, timeout: float, shown: str) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = _holder(fd)
                raise LockedError(
                    f"another pipeline run{holder} is writing these catalogs; "
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
