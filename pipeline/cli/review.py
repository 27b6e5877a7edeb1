"""The ``review`` command: serve the review page."""

from __future__ import annotations

import argparse

from pipeline.cli.common import add_project_options, project_of, say, whole_number

ORDER = 40


def register(commands: argparse._SubParsersAction) -> None:
    review = commands.add_parser(
        "review", help="serve the review page: edit, approve and check units in a browser"
    )
    add_project_options(review)
    review.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1; anything else exposes the catalogs)")
    review.add_argument("--port", type=whole_number(0, 65535), default=8000, help="port to listen on (default: 8000)")
    review.set_defaults(handler=run_review)


def run_review(args: argparse.Namespace) -> int:
    from pipeline.review import is_loopback, serve

    if not is_loopback(args.host):
        say(f"warning: listening on {args.host}: anyone who can reach it can edit the catalogs")
    try:
        serve(project_of(args), args.host, args.port, announce=say)
    except KeyboardInterrupt:
        say("review page stopped")
    return 0
