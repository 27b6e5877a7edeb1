"""The review page: reviewers read, edit and approve units in a browser.

``create_app`` (in ``web``) builds the Flask app, which the tests drive;
``serve`` runs it with Werkzeug's threaded server, as ``idpo review`` does.
"""

from __future__ import annotations

import ipaddress
import os
import socket

from pipeline.errors import PipelineError
from pipeline.project import Project


def serve(project: Project, host: str, port: int, *, announce=print) -> None:
    """Serve the review page until interrupted."""
    from werkzeug.serving import make_server

    from pipeline.review.web import create_app

    app = create_app(project, loopback_only=is_loopback(host))
    listener = _listen(host, port)  # our own socket: werkzeug would sys.exit on a taken port
    server = make_server(host, port, app, threaded=True, fd=listener.fileno())
    listener.close()  # the server holds its own duplicate
    announce(f"review page on http://{_url_host(host)}:{server.port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    finally:
        server.server_close()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        reason = (os.strerror(exc.errno) if exc.errno else str(exc)).lower()
        raise PipelineError(f"cannot listen on {host}:{port}: {reason}; choose another --port or --host") from None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
