"""Fixtures shared by the whole suite: a scratch project and a real Chromium."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests explore new examples on every run here; in CI (CI=true) they replay a fixed
# sequence, so a merge is judged on the code, not on the draw. A failure prints its example.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# The MT fixtures (tiny_package, mangling_package, tiny_project) live with
# the tiny-model helpers and are shared with every test module from here.
pytest_plugins = ["tests.mt_support"]

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "bali-process.txt"
CHROMIUM = "/usr/bin/chromium"
# Without these flags Chromium keeps trying to reach Google's hosts, which a
# closed network refuses many times per second.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh project root holding the seed document and the glossary."""
    (tmp_path / "source").mkdir()
    shutil.copy(SEED, tmp_path / "source" / SEED.name)
    (tmp_path / "locales").mkdir()
    shutil.copy(REPO / "locales" / "glossary.csv", tmp_path / "locales" / "glossary.csv")
    return tmp_path


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup` (installs Debian's chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def review_server(root: Path) -> Iterator[str]:
    """The review page of the project at ``root`` on a free port, served by Werkzeug in a
    thread as `make review` serves it; yields its base URL."""
    from werkzeug.serving import make_server

    from pipeline.project import Project
    from pipeline.review.web import create_app

    httpd = make_server("127.0.0.1", 0, create_app(Project(root)), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.port}"
    finally:
        httpd.shutdown()
        thread.join()

