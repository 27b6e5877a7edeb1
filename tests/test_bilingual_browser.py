"""The side-by-side page in a real headless Chromium: pairs, highlight, states, phone and print layouts."""

from __future__ import annotations

from collections import Counter

import pytest
from playwright.sync_api import expect

from tests.bilingual_project import SCREENSHOTS, add_sample, prepared, run, segment_count

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

PAIRS = """() => {
  const pairs = side => [...document.querySelectorAll(`.${side} [data-pair]`)].map(e => e.dataset.pair);
  return {src: pairs("src"), tgt: pairs("tgt"),
          states: [...document.querySelectorAll(".tgt [data-state]")].map(e => e.dataset.state)};
}"""
BOX = """selector => { const r = document.querySelector(selector).getBoundingClientRect();
                   return {x: r.x, y: r.y, width: r.width, height: r.height}; }"""
HIGHLIGHT = "rgb(253, 230, 138)"  # --hl, light scheme
BACKGROUND = "selector => getComputedStyle(document.querySelector(selector)).backgroundColor"


def built_page(root, domain: str):
    assert run("bilingual", "--root", str(root), domain) == 0
    return root / "build" / "bilingual" / f"{domain}.html"


@pytest.fixture
def open_page(browser):
    """A page opener that records script errors, dialogs and any request leaving the file."""
    contexts, problems = [], []

    def opener(path, viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.on("request", lambda r: r.url.startswith("file://") or problems.append(f"request: {r.url}"))
        page.goto(path.as_uri())
        return page

    yield opener
    for context in contexts:
        context.close()
    assert problems == []  # no script error, no injected alert(), nothing fetched


def test_highlight_does_not_animate_for_readers_who_ask_for_reduced_motion(project, open_page):
    add_sample(project)
    prepared(project, "contoh")
    path = built_page(project, "contoh")
    duration = "selector => getComputedStyle(document.querySelector(selector)).transitionDuration"
    assert open_page(path).evaluate(duration, ".s") == "0.1s"
    still = open_page(path, reduced_motion="reduce")
    assert still.evaluate(duration, ".s") == "0s"
    still.hover('.src [data-pair="2.2"]')
    assert still.evaluate(BACKGROUND, '.tgt [data-pair="2.2"]') == HIGHLIGHT  # at once, no fade


def shoot(page, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def side_boxes(page, pair: str) -> tuple[dict, dict]:
    return page.evaluate(BOX, f'.src [data-pair="{pair}"]'), page.evaluate(BOX, f'.tgt [data-pair="{pair}"]')


def test_every_sentence_has_its_counterpart_and_hover_highlights_it(project, open_page):
    source = add_sample(project)
    states = prepared(project, "contoh")
    page = open_page(built_page(project, "contoh"))
    found = page.evaluate(PAIRS)
    assert found["src"] == found["tgt"] and len(found["src"]) == segment_count(project, source)
    assert Counter(found["states"]) == Counter(s.value for s in states.values())

    assert page.evaluate(BACKGROUND, '.tgt [data-pair="2.2"]') == "rgba(0, 0, 0, 0)"
    page.hover('.src [data-pair="2.2"]')
    assert "hl" in page.get_attribute('.tgt [data-pair="2.2"]', "class")
    # The colour fades in over 0.1 s: wait for it to settle rather than sample mid-transition.
    expect(page.locator('.tgt [data-pair="2.2"]')).to_have_css("background-color", HIGHLIGHT)
    assert page.locator(".hl").count() == 2  # the pair, and nothing else
    page.mouse.move(0, 0)
    assert page.locator(".hl").count() == 0

    page.focus('.tgt [data-pair="3.1"]')  # keyboard and touch reach sentences by focus
    assert "hl" in page.get_attribute('.src [data-pair="3.1"]', "class")
    assert page.get_attribute('.src [data-pair="2.2"]', "class") == "s"
    assert "<script>" in page.inner_text('.src [data-pair="2.2"]')  # the payload shows as text


def test_the_seed_side_by_side_on_desktop_phone_and_paper(project, open_page):
    prepared(project, "bali-process")
    path = built_page(project, "bali-process")
    page = open_page(path)
    found = page.evaluate(PAIRS)
    assert found["src"] == found["tgt"] and len(found["src"]) == segment_count(
        project, project / "source" / path.with_suffix(".txt").name)

    source, english = side_boxes(page, "1.1")
    assert english["x"] >= source["x"] + source["width"] and abs(english["y"] - source["y"]) < 2  # side by side
    page.hover('.src [data-pair="1.2"]')
    shoot(page, "bilingual-desktop.png")

    page.set_viewport_size(PHONE)
    source, english = side_boxes(page, "1.1")
    assert english["y"] >= source["y"] + source["height"] and abs(english["x"] - source["x"]) < 2  # stacked
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    page.mouse.move(0, 0)
    page.focus('.tgt [data-pair="1.2"]')  # a tap focuses a sentence
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "bilingual-phone.png", full_page=False)  # what a phone shows first

    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    source, english = side_boxes(page, "1.1")
    assert english["x"] >= source["x"] + source["width"]  # two columns on paper too
    assert page.evaluate("getComputedStyle(document.querySelector('.colheads')).position") == "static"
    shoot(page, "bilingual-print.png", full_page=False)
