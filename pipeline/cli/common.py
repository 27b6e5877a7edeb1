"""Options and helpers shared by the command modules."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from pipeline.document import Boilerplate, Document
from pipeline.progress import Progress
from pipeline.project import Project
from pipeline.stages import read_document, writing

T = TypeVar("T")

__all__ = ["add_document_options", "add_project_options", "project_of", "read", "say", "whole_number", "writing"]


def add_project_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project root (default: current folder)")
    parser.add_argument("--language", default="en", help="target language of the catalogs (default: en)")


def add_document_options(parser: argparse.ArgumentParser, *, many: bool = True) -> None:
    """Arguments naming documents and how to read them."""
    if many:
        parser.add_argument(
            "documents", nargs="*", metavar="DOC", help="document in source/ by name or path (default: all)"
        )
    parser.add_argument("--encoding", help="source encoding when it is not UTF-8 (e.g. cp1252)")
    parser.add_argument(
        "--boilerplate",
        choices=[b.value for b in Boilerplate],
        default=Boilerplate.DROP.value,
        help="site chrome such as 'Posting Komentar': drop it (default), keep it untranslated, or translate it",
    )


def whole_number(low: int, high: int | None = None):
    """An argparse type: an integer from ``low`` (to ``high``); anything else is a usage error (exit 2)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < low or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"{low} or more"
            raise argparse.ArgumentTypeError(f"must be {bounds}, not {value}")
        return value
    return parse


def project_of(args: argparse.Namespace) -> Project:
    return Project(args.root.resolve(), language=args.language)


MAX_WARNINGS = 5  # a page from the web may hold hundreds of slips: the first few, then a count


def read(project: Project, path: Path, args: argparse.Namespace) -> Document:
    """One document, read with the command's --encoding and --boilerplate; what the
    reader repaired (malformed HTML) is said as warnings."""
    document = read_document(project, path, encoding=args.encoding, boilerplate=Boilerplate(args.boilerplate))
    for note in document.warnings[:MAX_WARNINGS]:
        say(f"warning: {document.path}{f':{note.line}' if note.line else ''}: {note.message}")
    if len(document.warnings) > MAX_WARNINGS:
        more = len(document.warnings) - MAX_WARNINGS
        say(f"warning: {document.path}: {more} more like these; the page is read as a browser would read it")
    return document


def say(message: str) -> None:
    """Progress and summaries go to stderr, so stdout stays pipeable."""
    print(message, file=sys.stderr)


def counted(items: Sequence[T], label: str, unit: str = "documents") -> Iterator[T]:
    """``items``, with a progress bar (or lines, off a terminal) once the loop has taken 2 s:
    a project of hundreds of documents, or one very long one, takes that long to read."""
    return Progress(label, unit=unit, quiet_below_s=2.0).over(items)
