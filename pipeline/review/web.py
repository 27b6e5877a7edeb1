"""The review page: a small Flask app over a ``Workspace``.

Pages are rendered by Jinja (autoescaped); the script only enhances them
(keyboard, saving without a reload) and writes text with ``textContent``.
Every write needs the session's CSRF token in ``X-CSRF-Token``; the session
cookie is SameSite=Strict; a Content-Security-Policy allows only the app's
own script and style. When bound to a loopback address, only loopback Host
names are accepted, so a web page cannot reach the app by DNS rebinding.
"""

from __future__ import annotations

import hmac
import math
import secrets
from pathlib import PurePosixPath

from flask import Blueprint, Flask, current_app, jsonify, render_template, request, session
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException, SecurityError

from pipeline.catalog import State
from pipeline.errors import CatalogError, LockedError, PipelineError
from pipeline.project import Project
from pipeline.review.workspace import (
    Action,
    Edit,
    NeedsConfirmation,
    RefusedEdit,
    StaleEdit,
    UnknownDocument,
    Workspace,
)

PAGE_SIZE = 100
MAX_REQUEST_BYTES = 1 << 20
CSRF_HEADER = "X-CSRF-Token"
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
STATE_LABELS = {
    State.UNTRANSLATED: "untranslated",
    State.MT_DRAFT: "MT draft",
    State.NEEDS_UPDATE: "needs update",
    State.TRANSLATED: "translated, not reviewed",
    State.REVIEWED: "reviewed",
}
ANY_FINDING = "*"
ORDERS = {"document": "document order", "weakest": "weakest MT drafts first"}
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

pages = Blueprint("review", __name__)


def create_app(project: Project, *, loopback_only: bool = True, secret_key: bytes | None = None) -> Flask:
    """The review app for ``project``; ``loopback_only`` refuses non-local Host names."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_bytes(32),  # sessions last as long as the server
        SESSION_COOKIE_NAME="idpo-review",  # cookies ignore ports: keep clear of other local apps
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        TRUSTED_HOSTS=LOOPBACK_HOSTS if loopback_only else None,
    )
    app.extensions["review.workspace"] = Workspace(project)
    app.jinja_env.globals.update(csrf_token=csrf_token, state_label=lambda s: STATE_LABELS[State(s)],
                                 tags_of=tags_of)
    app.jinja_env.filters["sentence"] = shown_sentence
    app.register_blueprint(pages)
    return app


def workspace() -> Workspace:
    return current_app.extensions["review.workspace"]


def _from_html(locations) -> bool:
    """Whether a unit comes from an HTML page (its ``#:`` places, "source/x.html:12")."""
    from pipeline.reader import HTML_SUFFIXES

    return any(PurePosixPath(place.rsplit(":", 1)[0]).suffix.lower() in HTML_SUFFIXES for place in locations)


def shown_sentence(text: str | None, locations) -> Markup:
    """A source sentence on the page: an HTML page's inline markup rendered (bold as bold;
    only known inline elements, no attribute: ``html_inline.display_html``), any other text
    as it is; escaped either way."""
    from pipeline.html_inline import display_html

    if text is None:
        return Markup("")
    return Markup(display_html(text)) if _from_html(locations) else escape(text)


def tags_of(unit) -> str | None:
    """An HTML sentence's msgid with its tags, when it has any: what the translation must keep."""
    from pipeline.html_inline import TAG

    return unit.msgid if _from_html(unit.locations) and TAG.search(unit.msgid) else None


# -- security -----------------------------------------------------------------

def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


@pages.before_app_request
def refuse_writes_without_token():
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    expected = session.get("csrf")
    sent = request.headers.get(CSRF_HEADER, "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        return jsonify(error="missing or wrong CSRF token; reload the page"), 403
    return None


@pages.after_app_request
def security_headers(response):
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


# -- pages --------------------------------------------------------------------

@pages.get("/")
def index():
    space = workspace()
    documents, broken = [], []
    for domain in space.domains():
        try:
            documents.append(space.document(domain))
        except CatalogError as error:  # one half-edited catalog must not hide the others
            broken.append((domain, str(error)))
    return render_template("index.html", documents=documents, broken=broken,
                           root=space.project.display_path(space.catalog_dir))


@pages.get("/doc/<domain>")
def document(domain: str):
    view = workspace().document(domain)
    chosen = _filters()
    shown = [u for u in view.units if _matches(u, chosen)]
    if chosen["order"] == "weakest":
        shown.sort(key=lambda unit: unit.weakness)
    pages_count = max(1, math.ceil(len(shown) / PAGE_SIZE))
    page = min(chosen["page"], pages_count)
    first = (page - 1) * PAGE_SIZE
    units = shown[first : first + PAGE_SIZE]
    space = workspace()
    return render_template(
        "document.html",
        doc=view,
        units=units,
        suggestions={unit.uid: space.suggestions(domain, unit) for unit in units},
        memory_problems=space.memory().problems,
        filters=chosen,
        first=first,
        matching=len(shown),
        page=page,
        pages_count=pages_count,
        states=list(State),
        any_finding=ANY_FINDING,
        orders=ORDERS,
    )


@pages.post("/api/doc/<domain>/units/<uid>")
def edit(domain: str, uid: str):
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error="expected a JSON object"), 400
    try:
        action = Action(str(payload.get("action")))
    except ValueError:
        return jsonify(error=f"action must be one of {', '.join(a.value for a in Action)}"), 400
    text, version, check = payload.get("text", ""), payload.get("version"), payload.get("check", "")
    if not isinstance(text, str) or not isinstance(version, str) or not isinstance(check, str):
        return jsonify(error="text, version and check must be strings"), 400
    change = Edit(action, text, version, check, confirmed=payload.get("confirmed") is True)
    try:
        unit, progress = workspace().edit(domain, uid, change)
    except StaleEdit as stale:
        theirs = stale.theirs.to_json() if stale.theirs else None
        return jsonify(error=stale.message, theirs=theirs, yours=text), 409
    except NeedsConfirmation as asked:  # the page asks the reviewer, then sends "confirmed"
        return jsonify(error=asked.message, confirm=[vars(f) for f in asked.findings]), 428
    return jsonify(unit=unit.to_json(), progress=progress.to_json())


def _filters() -> dict:
    state = request.args.get("state", "")
    page = request.args.get("page", "1")
    order = request.args.get("order", "document")
    return {
        "order": order if order in ORDERS else "document",
        "state": state if state in {s.value for s in State} else "",
        "check": request.args.get("check", "")[:100],
        "q": request.args.get("q", "")[:200],
        "page": int(page) if page.isdigit() and 0 < int(page) < 10**6 else 1,
    }


def _matches(unit, chosen: dict) -> bool:
    if chosen["state"] and unit.state != chosen["state"]:
        return False
    check = chosen["check"]
    if check == ANY_FINDING and not unit.findings:
        return False
    if check and check != ANY_FINDING and all(f.check != check for f in unit.findings):
        return False
    needle = chosen["q"].casefold()
    return not needle or needle in unit.msgid.casefold() or needle in unit.msgstr.casefold()


# -- errors -------------------------------------------------------------------

@pages.app_errorhandler(UnknownDocument)
def not_found(error: CatalogError):
    return _error(404, error.message)


@pages.app_errorhandler(RefusedEdit)
def refused(error: RefusedEdit):
    return _error(400, error.message)


@pages.app_errorhandler(LockedError)
def locked(error: LockedError):
    """``make update`` or ``make translate`` is writing: the reviewer retries."""
    return _error(423, str(error))


@pages.app_errorhandler(CatalogError)
def broken_catalog(error: CatalogError):
    """A catalog half-edited in another editor: the page names the file and line to fix."""
    return _error(422, str(error))


@pages.app_errorhandler(PipelineError)
def pipeline_error(error: PipelineError):
    """E.g. a catalog half-edited in another editor, or a malformed glossary."""
    return _error(500, str(error))


@pages.app_errorhandler(SecurityError)
def foreign_host(error: SecurityError):
    """A Host name other than loopback: refused before routing, so plain text."""
    return "unknown Host: open the review page on http://127.0.0.1", 400, {"Content-Type": "text/plain"}


@pages.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    return _error(error.code or 500, error.description or error.name)


def _error(status: int, message: str):
    if request.path.startswith("/api/"):
        return jsonify(error=message), status
    return render_template("error.html", status=status, message=message), status

