"""The project's exception hierarchy.

Library code raises these; only the CLI turns them into one
``error: file:line: what`` line and an exit status (see ``pipeline.cli``).
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every error the pipeline reports to a user.

    ``path`` and ``line`` say where the problem is, when there is a place.
    ``exit_code`` is the CLI's exit status for this kind of error (2 is
    left to argparse's usage errors, 130 to Ctrl-C).
    """

    exit_code = 1
    meaning = "error"  # what the exit status says, in `--help` and the README

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class InputError(PipelineError):
    """A source document cannot be read (encoding, binary data, not a file)."""

    exit_code = 3
    meaning = "bad input"


class CatalogError(PipelineError):
    """A .po/.pot file is malformed or does not belong where it is."""

    exit_code = 4
    meaning = "bad catalog"


class OutOfDateError(PipelineError):
    """A catalog no longer matches its source; the message names what to run."""

    exit_code = 5
    meaning = "catalog out of date (run make update)"


class IncompleteError(PipelineError):
    """A strict render was refused because units are not reviewed."""

    exit_code = 6
    meaning = "not complete enough (--strict/--keep)"


class EngineError(PipelineError):
    """The MT engine cannot run (no model installed, corrupt package...)."""

    exit_code = 7
    meaning = "MT engine"


class NoModelError(EngineError):
    """No MT model is installed or shipped for the language pair (not a broken one)."""


class LockedError(PipelineError):
    """Another pipeline run holds the lock on the same catalog."""

    exit_code = 8
    meaning = "locked by another run"


USAGE_EXIT = 2  # argparse's
INTERRUPTED_EXIT = 130  # Ctrl-C, as shells report SIGINT


def exit_statuses() -> list[tuple[int, str]]:
    """Every exit status of the CLI with its meaning, read off the error classes."""
    statuses = {0: "done", USAGE_EXIT: "usage", INTERRUPTED_EXIT: "interrupted"}
    pending = [PipelineError]
    while pending:
        cls = pending.pop(0)
        if "exit_code" in vars(cls):  # a subclass that keeps its parent's status adds nothing
            statuses.setdefault(cls.exit_code, cls.meaning)
        pending.extend(cls.__subclasses__())
    return sorted(statuses.items())


def exit_status_summary() -> str:
    """"0 done, 1 error, 2 usage, ...": the list `--help` and the README show."""
    return ", ".join(f"{code} {meaning}" for code, meaning in exit_statuses())
