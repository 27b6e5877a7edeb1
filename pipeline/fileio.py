"""Reading inputs with clear errors; atomic writes (a reader of the target
sees the old or the new file, never half of one)."""

from __future__ import annotations

import glob
import os
import re
import tempfile
from pathlib import Path

from pipeline.errors import InputError

TEMP_SUFFIX = ".tmp"
# ".<target name>.<mkstemp's 8 random characters>.tmp"
_MKSTEMP_PART = r"\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX)


def read_input(path: Path, shown: str) -> bytes:
    """The bytes of an input file; InputError naming ``shown`` when it cannot be read."""
    path = Path(path)
    if path.is_dir():
        raise InputError("is a folder, not a document", shown)
    if path.exists() and not path.is_file():
        # a named pipe would block the read forever, a device never end it
        raise InputError("not a regular file (a pipe, socket or device)", shown)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", shown) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", shown) from None


def write_atomic(path: Path, content: str | bytes, *, durable: bool = True) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename.

    The temporary file sits in the same folder so the rename is atomic, and
    is flushed to disk first (unless ``durable`` is False, for files that
    can be rebuilt) so a crash never leaves a truncated file.
    """
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
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


def sweep_temporary_files(target: Path) -> list[Path]:
    """Remove the temporary files that killed writers of ``target`` left beside it.

    kill -9 or a power cut skips write_atomic's clean-up. Call this only
    while holding the lock every writer of ``target`` takes: then no
    temporary file of ``target`` belongs to a live write.
    """
    target = Path(target)
    removed = []
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*{TEMP_SUFFIX}"):
        if re.fullmatch(re.escape(f".{target.name}") + _MKSTEMP_PART, leftover.name) and leftover.is_file():
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write only when the bytes differ, so unchanged outputs keep their mtime (text as UTF-8)."""
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
