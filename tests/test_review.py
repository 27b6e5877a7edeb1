"""The review page: its HTTP API (Flask test client) and the page in a real Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pipeline.catalog import SUGGESTION_PREFIX, Catalog, MTMark, State, load_catalog, save_catalog
from pipeline.document import Boilerplate
from pipeline.errors import PipelineError
from pipeline.extract import extract
from pipeline.project import Project
from pipeline.reader import read_document
from pipeline.review import serve
from pipeline.review.web import create_app
from pipeline.update import merge
from tests.conftest import review_server

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "build" / "screenshots"
DOMAIN = "bali-process"
DRAFTED = 4  # the first units get a fake machine draft
PAYLOAD_ID = 'Halo <script>window.pwned = "msgid"</script> dunia.'
PAYLOAD_STR = '<img src=x onerror="window.pwned = \'msgstr\'"><script>window.pwned = "msgstr"</script>'


def fake_mark(text: str) -> MTMark:
    return MTMark("fake", "test-id_en", "0.1", text)


def build_catalogs(root: Path) -> Path:
    """The seed's .pot and .po, as `make update` writes them, with a few fake MT drafts."""
    project = Project(root)
    source = project.source_dir / f"{DOMAIN}.txt"
    document = read_document(source, display_path=project.display_path(source), boilerplate=Boilerplate.DROP)
    template = extract([document], DOMAIN)
    save_catalog(template, project.pot_path(DOMAIN))
    catalog, _ = merge(template, None, language="en")
    for number, unit in enumerate(catalog.units()[:DRAFTED], start=1):
        unit.set_mt_draft(f"Machine draft {number}.", fake_mark(f"Machine draft {number}."))
    save_catalog(catalog, project.po_path(DOMAIN))
    return project.po_path(DOMAIN)


def rebuild_after_source_change(root: Path, old: str, new: str) -> None:
    """What `make extract update` does after an author edits the source."""
    source = root / "source" / f"{DOMAIN}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    project = Project(root)
    document = read_document(source, display_path=project.display_path(source))
    template = extract([document], DOMAIN)
    merged, _ = merge(template, load_catalog(project.po_path(DOMAIN)), language="en")
    save_catalog(merged, project.po_path(DOMAIN))


def write_payload_catalog(root: Path) -> Path:
    catalog = Catalog.new("payload", language="en")
    catalog.add(PAYLOAD_ID, locations=[("source/payload.txt", 1)], comment="block 1 (paragraph), sentence 1 of 1")
    catalog.get(PAYLOAD_ID).set_mt_draft(PAYLOAD_STR, fake_mark(PAYLOAD_STR))
    path = Project(root).po_path("payload")
    save_catalog(catalog, path)
    return path


def units_of(path: Path):
    return load_catalog(path).units()


def change_on_disk(path: Path, index: int, text: str) -> None:
    """Another reviewer (or tool) changes one unit in the file."""
    catalog = load_catalog(path)
    catalog.units()[index].set_translation(text, reviewed=True)
    save_catalog(catalog, path)


def msgfmt_check(path: Path) -> None:
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- the HTTP API ---------------------------------------------------------------

@pytest.fixture
def po(project) -> Path:
    return build_catalogs(project)


@pytest.fixture
def client(project, po):
    app = create_app(Project(project))
    app.testing = True
    return app.test_client()


def token_of(client, domain: str = DOMAIN) -> str:
    page = client.get(f"/doc/{domain}")
    assert page.status_code == 200
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', page.get_data(as_text=True)).group(1)


def post(client, unit, action: str, text: str = "", *, token: str, version: str | None = None, domain=DOMAIN,
         **extra):
    return client.post(
        f"/api/doc/{domain}/units/{unit.uid}",
        json={"action": action, "text": text, "version": version or unit.version, **extra},
        headers={"X-CSRF-Token": token},
    )


def test_the_page_lists_every_unit_with_its_context_and_progress(client, po):
    html = client.get(f"/doc/{DOMAIN}").get_data(as_text=True)
    units = units_of(po)
    assert html.count("data-unit ") == len(units)
    assert "block 1 (paragraph), sentence 2 of 5" in html
    assert 'class="neighbour before"' in html and 'class="neighbour after"' in html
    assert "Machine draft 1." in html and '<span class="engine">fake/test-id_en/0.1</span>' in html
    assert f"0 / {len(units)} units" in html
    assert DOMAIN in client.get("/").get_data(as_text=True)


def test_filters_by_state_and_text(client, po):
    html = client.get(f"/doc/{DOMAIN}?state=mt-draft").get_data(as_text=True)
    assert html.count("data-unit ") == DRAFTED
    html = client.get(f"/doc/{DOMAIN}?state=reviewed").get_data(as_text=True)
    assert html.count("data-unit ") == 0 and "No unit matches" in html
    html = client.get(f"/doc/{DOMAIN}?q=Machine+draft+3").get_data(as_text=True)
    assert html.count("data-unit ") == 1


def english_of_length(length: int) -> str:
    """Plain English words, none repeated, about ``length`` characters: a draft nothing flags."""
    words = ("regional cooperation between member countries focuses on smuggling trafficking borders "
             "migration identity crime networks dialogue exchange information routes methods practice "
             "investigation agreement procedures bilateral multilateral partners programmes").split()
    text = ""
    for word in words:
        if len(text) >= length:
            break
        text = f"{text} {word}".strip()
    return text.capitalize() + "."


def test_weakest_drafts_come_first_when_asked(client, po, monkeypatch):
    monkeypatch.setattr("pipeline.qa.MT_SCORE_FLOOR", -5.0)  # only the loop flags a draft here
    catalog = load_catalog(po)
    drafts = catalog.units()[:DRAFTED]
    scored = {0: -0.3, 1: -1.2, 2: -0.6}  # unit 3 stutters: flagged whatever its score
    for index, score in scored.items():
        text = english_of_length(len(drafts[index].msgid))
        drafts[index].set_mt_draft(text, MTMark("fake", "test-id_en", "0.1", text, score))
    looping = "The forum forum forum."
    drafts[3].set_mt_draft(looping, MTMark("fake", "test-id_en", "0.1", looping, -0.2))
    save_catalog(catalog, po)
    html = client.get(f"/doc/{DOMAIN}?order=weakest").get_data(as_text=True)
    uids = re.findall(r'id="u-(u[0-9a-f]{16})"', html)
    expected = [drafts[i].uid for i in (3, 1, 2, 0)]  # flagged, then by score, lowest first
    assert uids[:DRAFTED] == expected and len(uids) == len(catalog.units())
    assert "score -1.20" in html and 'value="weakest" selected' in html
    flagged = client.get(f"/doc/{DOMAIN}?check=mt-degenerate").get_data(as_text=True)
    assert re.findall(r'id="u-(u[0-9a-f]{16})"', flagged) == [drafts[3].uid]


def test_review_changes_only_the_edited_unit_and_the_revision_date(client, po, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # a revision date unlike the file's
    before = po.read_text(encoding="utf-8")
    target = units_of(po)[6]
    response = post(client, target, "review", "Reviewed by a person.", token=token_of(client))
    assert response.status_code == 200, response.get_json()
    after = po.read_text(encoding="utf-8")

    old_entries, new_entries = before.split("\n\n"), after.split("\n\n")
    assert len(old_entries) == len(new_entries)
    changed = [i for i, (a, b) in enumerate(zip(old_entries, new_entries, strict=False)) if a != b]
    assert len(changed) == 2 and changed[0] == 0  # the header, and one unit
    header_changes = set(old_entries[0].splitlines()) ^ set(new_entries[0].splitlines())
    assert {line.split(":")[0] for line in header_changes} == {'"PO-Revision-Date'}
    assert '"PO-Revision-Date: 2023-11-14 22:13+0000\\n"' in new_entries[0]
    assert 'msgstr "Reviewed by a person."' in new_entries[changed[1]]
    assert target.msgid.split()[0] in new_entries[changed[1]]

    unit = load_catalog(po).get(target.msgid, target.msgctxt)
    assert unit.state is State.REVIEWED and unit.msgstr == "Reviewed by a person."
    assert response.get_json()["progress"]["reviewed_units"] == 1
    msgfmt_check(po)


def test_save_keeps_an_edit_unapproved_and_revert_restores_the_draft(client, po):
    token = token_of(client)
    draft = units_of(po)[0]
    saved = post(client, draft, "save", "A person's better draft.", token=token).get_json()["unit"]
    unit = units_of(po)[0]
    assert unit.fuzzy and unit.msgstr == "A person's better draft." and unit.mt.raw == "Machine draft 1."
    assert saved["edited"] and saved["version"] == unit.version

    reverted = post(client, unit, "revert", token=token).get_json()["unit"]
    unit = units_of(po)[0]
    assert unit.state is State.MT_DRAFT and unit.msgstr == "Machine draft 1." and not reverted["edited"]
    msgfmt_check(po)


def test_save_with_unchanged_text_changes_nothing(client, po):
    """Pressing Save on a reviewed unit must not take the approval back."""
    token = token_of(client)
    target = units_of(po)[6]
    assert post(client, target, "review", "Approved.", token=token).status_code == 200
    before = po.read_bytes()
    reviewed = units_of(po)[6]
    response = post(client, reviewed, "save", "Approved.\r\n", token=token)  # as a browser sends it
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["unit"]["state"] == "reviewed"
    assert po.read_bytes() == before


def test_a_saved_translation_not_approved_is_translated_not_needs_update(client, po):
    token = token_of(client)
    target = units_of(po)[DRAFTED]  # untranslated
    saved = post(client, target, "save", "A person's translation.", token=token).get_json()["unit"]
    assert saved["state"] == "translated" and not saved["edited"]  # the state says it; no extra badge
    assert units_of(po)[DRAFTED].state is State.TRANSLATED
    html = client.get(f"/doc/{DOMAIN}?state=translated").get_data(as_text=True)
    assert html.count("data-unit ") == 1 and "translated, not reviewed" in html
    assert 'class="unit state-translated' in html


@pytest.mark.parametrize("action", ["save", "review"])
def test_line_breaks_around_the_text_are_dropped_so_msgfmt_accepts_the_catalog(client, po, action):
    """A stray Enter in the textarea (the browser sends CRLF) must not end up in the msgstr."""
    token = token_of(client)
    target = units_of(po)[6]
    assert "\n" not in target.msgid
    response = post(client, target, action, "\r\nFirst line,\r\nsecond line.\r\n\r\n", token=token,
                    confirmed=True)  # approving a line break the source lacks asks first (another test)
    assert response.status_code == 200, response.get_json()
    assert load_catalog(po).get(target.msgid, target.msgctxt).msgstr == "First line,\nsecond line."
    msgfmt_check(po)

def test_refused_actions_leave_the_file_alone(client, po):
    token, before = token_of(client), po.read_bytes()
    untranslated = units_of(po)[DRAFTED]
    assert post(client, untranslated, "revert", token=token).status_code == 400  # no MT draft
    assert post(client, untranslated, "review", "  ", token=token).status_code == 400  # empty
    assert post(client, untranslated, "publish", "x", token=token).status_code == 400
    bad = client.post(f"/api/doc/{DOMAIN}/units/{untranslated.uid}", data="text",
                      headers={"X-CSRF-Token": token})
    assert bad.status_code == 400
    assert po.read_bytes() == before


@pytest.mark.parametrize("header", [None, "", "forged-token"])
def test_writes_without_the_session_token_are_refused(client, po, header):
    token_of(client)  # the session has a token, the request does not carry it
    before = po.read_bytes()
    unit = units_of(po)[0]
    headers = {} if header is None else {"X-CSRF-Token": header}
    response = client.post(f"/api/doc/{DOMAIN}/units/{unit.uid}",
                           json={"action": "review", "text": "x", "version": unit.version}, headers=headers)
    assert response.status_code == 403
    assert po.read_bytes() == before


def test_another_sessions_token_is_refused(project, po):
    app = create_app(Project(project))
    theirs, ours = app.test_client(), app.test_client()
    unit = units_of(po)[0]
    response = post(ours, unit, "review", "x", token=token_of(theirs))
    assert response.status_code == 403


def test_a_stale_save_is_refused_with_both_versions_and_nothing_lost(client, po):
    token = token_of(client)
    seen = units_of(po)[1]  # what the reviewer loaded
    change_on_disk(po, 1, "Their translation.")
    response = post(client, seen, "review", "My translation.", token=token)
    assert response.status_code == 409
    body = response.get_json()
    assert body["theirs"]["msgstr"] == "Their translation." and body["theirs"]["state"] == "reviewed"
    assert body["yours"] == "My translation."
    assert units_of(po)[1].msgstr == "Their translation."  # their work is kept

    mine = post(client, seen, "review", "My translation.", token=token, version=body["theirs"]["version"])
    assert mine.status_code == 200  # deliberately on top of theirs
    assert units_of(po)[1].msgstr == "My translation."


def test_edits_of_different_units_do_not_conflict(client, po):
    token = token_of(client)
    seen = units_of(po)[2]
    change_on_disk(po, 3, "Someone else's unit.")
    assert post(client, seen, "review", "Mine.", token=token).status_code == 200
    units = units_of(po)
    assert units[2].msgstr == "Mine." and units[3].msgstr == "Someone else's unit."


def test_a_sentence_changed_by_update_meanwhile_is_a_conflict(client, po, project):
    token = token_of(client)
    seen = units_of(po)[0]
    rebuild_after_source_change(project, "tidak hanya terfokus", "tidak lagi hanya terfokus")
    response = post(client, seen, "review", "My translation.", token=token)
    assert response.status_code == 409
    assert response.get_json()["theirs"] is None and response.get_json()["yours"] == "My translation."


def test_a_save_waits_for_another_pipeline_run_then_refuses(client, po, project, monkeypatch):
    from pipeline.lock import file_lock
    from pipeline.review import workspace

    monkeypatch.setattr(workspace, "LOCK_WAIT", 0.2)
    token, before = token_of(client), po.read_bytes()
    with file_lock(po):  # as `make update` holds it while it writes the catalog
        response = post(client, units_of(po)[0], "review", "Mine.", token=token)
    assert response.status_code == 423 and "another pipeline run" in response.get_json()["error"]
    assert po.read_bytes() == before


TRAVERSALS = [
    "/doc/..%2F..%2Fsecret",
    "/doc/%2E%2E%2F%2E%2E%2Fsecret",
    "/doc/%252e%252e%252fsecret",
    "/doc/..",
    "/doc/%2Fetc%2Fpasswd",
    "/doc/%2F" + "tmp",
    "/doc/..%5C..%5Csecret",
    "/doc/bali-process.pot",
    "/doc/evil",
    "/doc/../../secret",
    "/doc//etc/passwd",
    "/static/../web.py",
    "/static/..%2Fweb.py",
    "/static/%2e%2e/workspace.py",
    "/static//etc/passwd",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_no_request_reads_outside_locales(client, project, url):
    (project / "secret.po").write_text('msgid ""\nmsgstr "TOP-SECRET"\n', encoding="utf-8")
    (Project(project).po_path("evil")).symlink_to(project / "secret.po")  # a link out of locales/
    response = client.get(url)
    assert response.status_code in (404, 308), url
    assert b"TOP-SECRET" not in response.data and b"root:" not in response.data
    assert b"import" not in response.data


@pytest.mark.parametrize("domain", ["..%2F..%2Fsecret", "%2Ftmp%2Fsecret", "evil", "..", "bali-process.pot"])
def test_no_request_writes_outside_locales(client, project, po, domain):
    secret = project / "secret.po"
    shutil.copy(po, secret)
    (Project(project).po_path("evil")).symlink_to(secret)
    before = secret.read_bytes()
    unit = units_of(po)[0]
    response = client.post(f"/api/doc/{domain}/units/{unit.uid}",
                           json={"action": "review", "text": "pwned", "version": unit.version},
                           headers={"X-CSRF-Token": token_of(client)})
    assert response.status_code == 404
    assert secret.read_bytes() == before


def test_a_source_linked_outside_the_project_gives_no_context(client, project, tmp_path_factory):
    """The neighbouring sentences come from source/; a symlink there must not show a file outside."""
    source = project / "source" / f"{DOMAIN}.txt"
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text(source.read_text(encoding="utf-8").replace("saja. ", "saja. TOP-SECRET rahasia. ", 1),
                       encoding="utf-8")
    source.unlink()
    source.symlink_to(outside)
    html = client.get(f"/doc/{DOMAIN}").get_data(as_text=True)
    assert html.count("data-unit ") == len(units_of(Project(project).po_path(DOMAIN)))
    assert "TOP-SECRET" not in html


def test_text_is_escaped(client, project):
    write_payload_catalog(project)
    html = client.get("/doc/payload").get_data(as_text=True)
    assert "<script>window.pwned" not in html and "<img src=x" not in html
    assert "Halo &lt;script&gt;window.pwned = &#34;msgid&#34;&lt;/script&gt; dunia." in html
    assert "&lt;img src=x onerror=" in html


def test_headers_forbid_foreign_hosts_and_inline_script(client):
    page = client.get("/")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "SameSite=Strict" in page.headers.get("Set-Cookie", "SameSite=Strict")
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400  # DNS rebinding
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_a_broken_catalog_is_reported_with_its_line(client, po, project):
    write_payload_catalog(project)  # a second, sound catalog
    po.write_text(po.read_text(encoding="utf-8") + 'msgid "Rusak"\nmsgstr "Broken\n', encoding="utf-8")
    response = client.get(f"/doc/{DOMAIN}")
    assert response.status_code == 422
    assert re.search(r"bali-process\.po:\d+: syntax error: unterminated string", response.get_data(as_text=True))
    home = client.get("/")  # the others stay reachable, the broken one names its line
    assert home.status_code == 200
    page = home.get_data(as_text=True)
    assert re.search(r"bali-process\.po:\d+: syntax error: unterminated string", page)
    assert 'href="/doc/payload"' in page


def test_serve_reports_a_port_in_use(project):
    import socket

    with (
        socket.create_server(("127.0.0.1", 0)) as taken,
        pytest.raises(PipelineError, match="cannot listen on 127.0.0.1"),
    ):
        serve(Project(project), "127.0.0.1", taken.getsockname()[1], announce=lambda _: None)


# -- the page in Chromium ---------------------------------------------------------

@pytest.fixture
def server(project, po):
    """The app on a free port, served by Werkzeug in a thread, as `make review` does."""
    write_payload_catalog(project)
    with review_server(project) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    yield page
    context.close()
    expected = ("a status of 409", "a status of 428")  # a conflict, a question the test provoked
    assert [e for e in errors if not any(text in e for text in expected)] == []  # no script error, no CSP violation


def screenshot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=False)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / name, SCREENSHOTS / name)


def test_a_reviewer_edits_and_approves_a_unit_in_chromium(server, page, po, tmp_path):
    page.goto(f"{server}/doc/{DOMAIN}")
    total = len(units_of(po))
    assert page.locator("[data-unit]").count() == total
    screenshot(page, tmp_path, "review.png")

    target = units_of(po)[1]
    card = page.locator(f"#u-{target.uid}")
    field = card.locator("textarea")
    field.fill("Member states also cooperate in identifying problems linked to transnational crime.")
    assert card.get_attribute("class").count("dirty") == 1
    field.press("Control+Enter")
    expect(page.locator("[data-figure=units]").first).to_have_text(f"1 / {total} units")
    assert card.locator("[data-state]").text_content() == "reviewed"
    assert page.evaluate("document.activeElement.closest('[data-unit]').id") == f"u-{units_of(po)[2].uid}"
    screenshot(page, tmp_path, "review-after-approve.png")

    unit = load_catalog(po).get(target.msgid, target.msgctxt)
    assert unit.state is State.REVIEWED
    assert unit.msgstr == "Member states also cooperate in identifying problems linked to transnational crime."
    msgfmt_check(po)


def test_keyboard_moves_between_units(server, page, po):
    page.goto(f"{server}/doc/{DOMAIN}")
    ids = [f"u-{u.uid}" for u in units_of(po)]
    current = "document.querySelector('[data-unit].current')?.id"
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.evaluate(current) == ids[1]
    page.keyboard.press("k")
    assert page.evaluate(current) == ids[0]
    page.keyboard.press("Enter")
    page.keyboard.press("Alt+ArrowDown")
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    assert page.evaluate(current) == ids[1]
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    assert page.evaluate(current) == ids[2]


def test_filters_in_chromium(server, page):
    page.goto(f"{server}/doc/{DOMAIN}")
    page.select_option("select[name=state]", "mt-draft")
    page.wait_for_url("**state=mt-draft**")
    assert page.locator("[data-unit]").count() == DRAFTED


def test_a_conflict_is_shown_and_resolved_in_chromium(server, page, po, tmp_path):
    page.goto(f"{server}/doc/{DOMAIN}")
    target = units_of(po)[0]
    change_on_disk(po, 0, "Their translation, saved meanwhile.")
    card = page.locator(f"#u-{target.uid}")
    card.locator("textarea").fill("My translation.")
    card.locator("[data-action=save]").click()
    conflict = card.locator("[data-conflict]")
    conflict.wait_for(state="visible")
    assert "Their translation, saved meanwhile." in conflict.locator("[data-theirs]").text_content()
    assert conflict.locator("[data-yours]").text_content() == "My translation."
    assert card.locator("textarea").input_value() == "My translation."  # nothing lost
    screenshot(page, tmp_path, "review-conflict.png")

    conflict.locator("[data-resolve=mine]").click()  # keeps my text and saves it: no second key press
    card.locator("[data-message].ok").wait_for()
    assert units_of(po)[0].msgstr == "My translation." and units_of(po)[0].state is State.TRANSLATED
    assert conflict.is_hidden()


def test_typing_while_a_save_is_in_flight_is_kept_and_a_second_save_waits(server, page, po, project, monkeypatch):
    """The reviewer types on (or presses Ctrl+S again) before the server answers: nothing is lost,
    and no second request goes out to come back as a false conflict."""
    from pipeline.lock import file_lock
    from pipeline.review import workspace

    monkeypatch.setattr(workspace, "LOCK_WAIT", 30.0)
    page.goto(f"{server}/doc/{DOMAIN}")
    target = units_of(po)[DRAFTED]
    card = page.locator(f"#u-{target.uid}")
    field = card.locator("textarea")
    posts: list[str] = []
    page.on("request", lambda r: r.method == "POST" and posts.append(r.url))
    field.fill("First part.")
    with file_lock(po):  # the server waits for it: the save stays in flight
        card.locator("[data-action=save]").click()
        expect(card.locator("[data-message]")).to_have_text("saving…")
        expect(card.locator("[data-action=save]")).to_be_disabled()
        field.press("End")
        field.press_sequentially(" Second part.")
        field.press("Control+s")  # ignored while the first save is in flight
        field.press("Control+Enter")
    expect(card.locator("[data-message]")).to_contain_text("saved; what you typed since is not saved")
    assert field.input_value() == "First part. Second part."
    assert "dirty" in card.get_attribute("class") and "conflicted" not in card.get_attribute("class")
    assert len(posts) == 1
    assert units_of(po)[DRAFTED].msgstr == "First part."
    expect(card.locator("[data-action=save]")).to_be_enabled()
    field.press("Control+s")
    expect(card.locator("[data-message]")).to_have_text("saved")
    assert units_of(po)[DRAFTED].msgstr == "First part. Second part."
    assert "dirty" not in card.get_attribute("class")


def test_script_in_the_catalog_stays_text_in_chromium(server, page, project):
    page.goto(f"{server}/doc/payload")
    card = page.locator("[data-unit]")
    assert card.locator(".source").text_content() == PAYLOAD_ID
    assert card.locator("textarea").input_value() == PAYLOAD_STR
    card.locator("[data-action=save]").click()  # the script redraws the unit from JSON
    card.locator("[data-message].ok").wait_for()
    change_on_disk(Project(project).po_path("payload"), 0, PAYLOAD_STR + " <b>x</b>")
    card.locator("[data-action=review]").click()  # the conflict panel shows their text
    card.locator("[data-conflict]").wait_for(state="visible")
    assert PAYLOAD_STR in card.locator("[data-theirs]").text_content()
    assert page.evaluate("window.pwned") is None
    assert page.locator("img[src=x], [data-unit] b").count() == 0


def test_text_saved_with_ctrl_s_is_a_persons_translation_in_every_export(server, page, po, project):
    """Ctrl+S on a reviewed unit or on a draft: a person's translation, not reviewed; never an MT draft."""
    from tests.test_provenance import exports, what_exports_say

    client = create_app(Project(project)).test_client()
    reviewed = units_of(po)[0]
    assert post(client, reviewed, "review", reviewed.msgstr, token=token_of(client), confirmed=True).status_code == 200
    page.goto(f"{server}/doc/{DOMAIN}")
    for index, text in ((0, "A reviewer changed the approved text."), (1, "A reviewer changed the draft.")):
        card = page.locator(f"#u-{units_of(po)[index].uid}")
        card.locator("textarea").fill(text)
        card.locator("textarea").press("Control+s")
        expect(card.locator("[data-state]")).to_have_text("translated, not reviewed")
        expect(card.locator("[data-edited]")).to_be_visible()  # post-edited from the MT draft
    units = units_of(po)
    assert [(u.state, u.post_edited) for u in units[:2]] == [(State.TRANSLATED, True)] * 2
    outputs = exports(project)
    for text in ("A reviewer changed the approved text.", "A reviewer changed the draft."):
        assert what_exports_say(outputs, text) == {"html": "translated", "markdown": "person", "tmx": "translated",
                                                   "xliff": ("translated", None), "review": "translated"}



def unit_with(po: Path, words: str):
    return next(unit for unit in units_of(po) if words in unit.msgid)


def test_silencing_a_check_from_the_page_writes_qa_skip_and_shows_it(client, po):
    token = token_of(client)
    target = unit_with(po, "50 negara")
    reviewed = post(client, target, "review", "Forty members.", token=token, confirmed=True).get_json()["unit"]
    assert "numbers" in {f["check"] for f in reviewed["findings"]}
    unit = load_catalog(po).get(target.msgid, target.msgctxt)
    silenced = post(client, unit, "silence", unit.msgstr, token=token, check="numbers").get_json()["unit"]
    assert silenced["silenced"] == ["numbers"] and "numbers" not in {f["check"] for f in silenced["findings"]}
    unit = load_catalog(po).get(target.msgid, target.msgctxt)
    assert "qa-skip: numbers" in unit.translator_comment and unit.state is State.REVIEWED  # approval kept
    html = client.get(f"/doc/{DOMAIN}").get_data(as_text=True)
    assert 'data-unsilence="numbers"' in html
    back = post(client, unit, "unsilence", unit.msgstr, token=token, check="numbers").get_json()["unit"]
    assert back["silenced"] == [] and "qa-skip" not in load_catalog(po).get(target.msgid).translator_comment
    refused = post(client, load_catalog(po).get(target.msgid), "silence", "", token=token, check="no-such-check")
    assert refused.status_code == 400 and "no QA check named" in refused.get_json()["error"]


def test_approving_a_text_with_qa_errors_asks_first_and_writes_nothing_until_confirmed(client, po):
    token = token_of(client)
    target = unit_with(po, "50 negara")
    before = po.read_bytes()
    asked = post(client, target, "review", "A text that lost the number.", token=token)
    assert asked.status_code == 428 and {f["check"] for f in asked.get_json()["confirm"]} >= {"numbers"}
    assert po.read_bytes() == before
    done = post(client, target, "review", "A text that lost the number.", token=token, confirmed=True)
    assert done.status_code == 200 and unit_with(po, "50 negara").state is State.REVIEWED
    clean = units_of(po)[7]
    assert post(client, clean, "save", "Saved without approval.", token=token).status_code == 200  # saves never ask


def changed_with_a_fresh_draft(po, project, draft: str) -> str:
    """A reviewed sentence ("50 negara") whose source then changed ("51 negara"), with a fresh
    MT draft beside it as `translate` leaves one; its new msgid."""
    old = unit_with(po, "50 negara").msgid
    catalog = load_catalog(po)
    catalog.get(old).set_translation("The old approved text, 50 members.", reviewed=True)
    save_catalog(catalog, po)
    new = old.replace("50 negara", "51 negara")
    rebuild_after_source_change(project, "50 negara", "51 negara")
    catalog = load_catalog(po)
    unit = catalog.get(new)
    assert unit.state is State.NEEDS_UPDATE
    unit.set_stage_note(SUGGESTION_PREFIX, draft)
    save_catalog(catalog, po)
    return new


def test_a_changed_source_shows_a_word_diff_and_the_fresh_draft_to_take(client, po, project):
    changed_with_a_fresh_draft(po, project, "A fresh machine draft of the new sentence.")
    html = client.get(f"/doc/{DOMAIN}?state=needs-update").get_data(as_text=True)
    diff = html.split("data-diff", 1)[1].split("</p>", 1)[0]
    assert "<del>50</del> <ins>51</ins>" in diff and diff.count("<del>") == 1
    assert "A fresh machine draft of the new sentence." in html and "data-use-suggestion" in html


def test_the_fresh_draft_is_taken_into_the_field_and_questions_come_as_a_dialog_in_chromium(server, page, po,
                                                                                            project):
    new = changed_with_a_fresh_draft(po, project, "A fresh draft without the number.")
    page.goto(f"{server}/doc/{DOMAIN}?state=needs-update")
    card = page.locator(f"#u-{load_catalog(po).get(new).uid}")
    card.locator("[data-use-suggestion]").click()
    assert card.locator("textarea").input_value() == "A fresh draft without the number."
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    card.locator("[data-action=review]").click()
    card.locator("[data-message].ok").wait_for()
    assert "QA errors" in dialogs[0] and "numbers" in dialogs[0]
    assert load_catalog(po).get(new).state is State.REVIEWED
    card.locator("[data-silence=numbers]").click()
    expect(card.locator("[data-silenced]")).to_contain_text("numbers")
    assert "qa-skip: numbers" in load_catalog(po).get(new).translator_comment
