"""Atomic file writes: a reader of the target sees the old or the new file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, content: str | bytes, *, durable: bool = True) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename.

    The temporary file sits in the same folder so the rename is atomic, and
    is flushed to disk first (unless ``durable`` is False, for files that
    can be rebuilt) so a crash never leaves a truncated file.
    """
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            if durable:
                os.fsync(tmp.fileno())
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, content: str) -> bool:
    """Write only when the bytes differ, so unchanged outputs keep their mtime."""
    path = Path(path)
    if path.is_file() and path.read_bytes() == content.encode("utf-8"):
        return False
    write_atomic(path, content)
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
