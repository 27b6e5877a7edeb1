"""A reviewer keeps working in the real review page (Chromium) while `translate`
runs, on another document or on the same one: the save goes through at once,
and translate's later saves merge around it instead of writing over it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from pipeline.catalog import State, load_catalog
from pipeline.mt.models import ModelStore
from pipeline.project import Project
from tests.argos_tiny import shared_tiny_argosmodel
from tests.conftest import review_server
from tests.reliability import msgfmt_check
from tests.test_crash_safety import ENV, made_up_sentences, run_pipeline

# translate made slow on purpose (half a second per chunk of 10 sentences, saving after
# each), so the reviewer's save lands in the middle of the run on any machine.
SLOW_TRANSLATE = textwrap.dedent("""
    import sys, time
    import pipeline.translate as stage
    stage.CHUNK_SENTENCES = 10
    stage.draft_catalogs.__kwdefaults__["checkpoint_every_s"] = 0.0
    engine_chunks = stage.finished_chunks
    def slowly(engine, chunks):
        for number, finished in enumerate(engine_chunks(engine, chunks)):
            if number == 1:
                print("drafting", flush=True)
            time.sleep(0.5)
            yield finished
    stage.finished_chunks = slowly
    from pipeline.cli import main
    sys.exit(main(["translate", *sys.argv[1:]]))
""")
SENTENCES = 100
# The longest sentence goes to the engine last, so translate has not drafted it yet when
# the reviewer saves it: a save that translate then wrote over would be lost.
LONGEST = "Kalimat terakhir ini sengaja dibuat jauh lebih panjang daripada semua kalimat lain di dokumen."


@pytest.fixture(scope="module")
def tiny_model() -> Path:
    return shared_tiny_argosmodel()


@pytest.fixture
def root(tmp_path: Path, tiny_model: Path) -> Path:
    """Two documents, alpha and beta, extracted and merged, and the tiny model installed."""
    root = tmp_path / "project"
    (root / "source").mkdir(parents=True)
    for number, domain in enumerate(("alpha", "beta")):
        sentences = made_up_sentences(SENTENCES, seed=number)
        (root / "source" / f"{domain}.txt").write_text("\n\n".join([*sentences, LONGEST]) + "\n", encoding="utf-8")
    for command in ("extract", "update"):
        assert run_pipeline(root, command).returncode == 0
    ModelStore(root).install_file(tiny_model)
    return root


@pytest.fixture
def server(root: Path):
    with review_server(root) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def po(root: Path, domain: str) -> Path:
    return Project(root).po_path(domain)


def translating(root: Path, domain: str) -> subprocess.Popen:
    """translate on ``domain``, returned once it has saved its first drafts."""
    process = subprocess.Popen([sys.executable, "-c", SLOW_TRANSLATE, domain, "--root", str(root)], cwd=root,
                               env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "drafting", process.stderr.read()
    return process


def review_in_the_page(page, server: str, root: Path, domain: str, text: str) -> None:
    """The reviewer opens the document, types a translation of LONGEST and approves it."""
    unit = load_catalog(po(root, domain)).get(LONGEST)
    page.goto(f"{server}/doc/{domain}?q={quote('Kalimat terakhir')}")  # the page lists 100 units at a time
    card = page.locator(f"#u-{unit.uid}")
    card.locator("textarea").fill(text)
    card.locator("textarea").press("Control+Enter")
    expect(card.locator("[data-message]")).to_have_text("reviewed ✓")
    expect(card.locator("[data-state]")).to_have_text("reviewed")


def finished(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return out + err


def test_a_save_on_one_document_goes_through_while_another_is_translated(root, server, page):
    translate = translating(root, "beta")
    review_in_the_page(page, server, root, "alpha", "The last sentence, reviewed.")
    assert translate.poll() is None, "translate ended before the reviewer saved: make it slower"
    finished(translate)
    alpha = load_catalog(po(root, "alpha"))
    assert alpha.get(LONGEST).state is State.REVIEWED
    assert alpha.get(LONGEST).msgstr == "The last sentence, reviewed."
    beta = load_catalog(po(root, "beta"))
    assert all(unit.state is State.MT_DRAFT for unit in beta.units())


def test_a_save_on_the_document_being_translated_is_kept_and_translate_works_around_it(root, server, page):
    translate = translating(root, "alpha")
    review_in_the_page(page, server, root, "alpha", "The last sentence, reviewed mid-run.")
    assert translate.poll() is None, "translate ended before the reviewer saved: make it slower"
    report = finished(translate)
    msgfmt_check(po(root, "alpha"))
    alpha = load_catalog(po(root, "alpha"))
    kept = alpha.get(LONGEST)
    assert (kept.state, kept.msgstr) == (State.REVIEWED, "The last sentence, reviewed mid-run.")
    others = [unit for unit in alpha.units() if unit.msgid != LONGEST]
    assert len(others) == SENTENCES and all(unit.state is State.MT_DRAFT for unit in others)
    assert "1 unit that someone else saved while MT ran keeps its version" in report
