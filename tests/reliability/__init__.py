"""Helpers for the reliability tests: scratch projects, snapshots, msgfmt.

    root = make_project(tmp_path)        # seed document, extracted and merged
    before = snapshot(root)              # every file, link and folder
    code, err = run_cli(root, "update")  # in-process, stderr captured
    assert snapshot(root) == before      # nothing written, nothing lost
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.catalog import load_catalog, save_catalog
from pipeline.cli import main
from pipeline.project import Project

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "source" / "bali-process.txt"
DOMAIN = "bali-process"
# Run-time state, git-ignored: the catalogs' lock files (.<name>.lock, rewritten
# by every writer) and caches (deleting .cache/ only costs time).
RUNTIME_FOLDERS = (".cache",)


def is_runtime(name: str) -> bool:
    """True for a path (relative, POSIX) that is run-time state rather than project content."""
    base = name.rsplit("/", 1)[-1]
    return (name.startswith("locales/") and base.startswith(".") and base.endswith(".lock")) or \
        name.split("/")[0] in RUNTIME_FOLDERS


def make_project(root: Path, *, reviewed: int = 3) -> Path:
    """A project holding the seed, its template and catalog, ``reviewed`` units reviewed."""
    (root / "source").mkdir(parents=True)
    shutil.copy(SEED, root / "source" / SEED.name)
    (root / "locales").mkdir()
    for command in ("extract", "update"):
        code, err = run_cli(root, command)
        assert code == 0, err
    po_path = Project(root).po_path(DOMAIN)
    catalog = load_catalog(po_path)
    for unit in catalog.units()[:reviewed]:
        unit.set_translation(f"Reviewed: {unit.msgid}", reviewed=True)
    save_catalog(catalog, po_path)
    return root


def run_cli(root: Path, *args: str) -> tuple[int, str]:
    """Run ``idpo ARGS --root ROOT`` in this process; (exit status, stderr)."""
    code, _, err = run_cli_output(root, *args)
    return code, err


def run_cli_output(root: Path, *args: str) -> tuple[int, str, str]:
    """Run ``idpo ARGS --root ROOT`` in this process; (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main([*args, "--root", str(root)])
    return code, out.getvalue(), err.getvalue()


def run_cli_process(
    root: Path, *args: str, env: dict[str, str] | None = None, **options
) -> subprocess.CompletedProcess:
    """``python -m pipeline ARGS --root ROOT`` in a child process (stdout and stderr as text)."""
    command = [sys.executable, "-m", "pipeline", *args, "--root", str(root)]
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, check=False, env=full_env, cwd=root, **options)


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path under ``root`` with its kind, permissions and content or link target."""
    found: dict[str, tuple] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if is_runtime(name):
            continue
        mode = path.lstat().st_mode & 0o777
        if path.is_symlink():
            found[name] = ("link", os.readlink(path))
        elif path.is_dir():
            found[name] = ("dir", mode)
        elif path.is_file():
            found[name] = ("file", mode, path.read_bytes())
        else:
            found[name] = ("special", mode)
    return found


def files_of(found: dict[str, tuple]) -> dict[str, tuple]:
    """A snapshot without its folders: for stages that create empty folders before they fail."""
    return {name: entry for name, entry in found.items() if entry[0] != "dir"}


def msgfmt_check(*paths: Path) -> None:
    """``msgfmt -c`` on each file; raises AssertionError with msgfmt's complaint."""
    for path in paths:
        result = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"msgfmt -c {path}: {result.stderr}"


def leave_writable_lock_files(root: Path) -> None:
    """Lock files beside every catalog, writable by all, as earlier runs leave them."""
    from pipeline.lock import lock_path

    for catalog in [*(root / "locales").rglob("*.po"), *(root / "locales").rglob("*.pot")]:
        lock = lock_path(catalog)
        lock.touch()
        lock.chmod(0o666)
