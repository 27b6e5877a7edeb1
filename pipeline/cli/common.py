"""Options and helpers shared by the command modules."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.document import Boilerplate, Document
from pipeline.errors import PipelineError
from pipeline.project import Project


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


def project_of(args: argparse.Namespace) -> Project:
    return Project(args.root.resolve(), language=args.language)


def read(project: Project, path: Path, args: argparse.Namespace) -> Document:
    from pipeline.reader import read_document

    project.check_inside(path)
    return read_document(
        path,
        display_path=project.display_path(path),
        encoding=args.encoding,
        boilerplate=Boilerplate(args.boilerplate),
    )


def say(message: str) -> None:
    """Progress and summaries go to stderr, so stdout stays pipeable."""
    print(message, file=sys.stderr)


@contextmanager
def writing(shown: str) -> Iterator[None]:
    """A file that cannot be written (permissions, a folder in the way, a
    full disk) becomes one error line naming it; writes are atomic, so the
    old file is still whole."""
    try:
        yield
    except OSError as exc:
        raise PipelineError(f"cannot write: {exc.strerror or exc}", shown) from None
