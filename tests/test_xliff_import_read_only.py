"""`xliff import` into a catalog folder that cannot be written: one error line, nothing changed.

(Beside tests/test_exchange.py, whose owner may fold it in; the read-only
helpers are those of tests/test_bad_input.py.)
"""

from __future__ import annotations

from tests import test_bad_input
from tests.reliability import DOMAIN, leave_writable_lock_files, run_cli, snapshot
from tests.test_bad_input import make_read_only, run_unprivileged

world_readable_project = test_bad_input.world_readable_project  # a fixture: a project user "nobody" can read


def test_xliff_import_into_a_read_only_catalog_folder_is_one_error_line(world_readable_project):
    root = world_readable_project
    assert run_cli(root, "xliff", "export", DOMAIN)[0] == 0
    xlf = root / "build" / "bilingual" / f"{DOMAIN}.xlf"
    text = xlf.read_text(encoding="utf-8")
    assert "Reviewed: " in text  # make_project's reviewed units
    xlf.write_text(text.replace("Reviewed: ", "Revised: ", 1), encoding="utf-8")
    make_read_only(root / "locales")
    leave_writable_lock_files(root)
    before = snapshot(root)
    result = run_unprivileged(root, "xliff", "import", str(xlf))
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"error: locales/en/LC_MESSAGES/{DOMAIN}.po: cannot write: Permission denied\n"
    assert snapshot(root) == before
