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


class CatalogError(PipelineError):
    """A .po/.pot file is malformed or does not belong where it is."""

    exit_code = 4


class OutOfDateError(PipelineError):
    """A catalog no longer matches its source; the message names what to run."""

    exit_code = 5


class IncompleteError(PipelineError):
    """A strict render was refused because units are not reviewed."""

    exit_code = 6


class EngineError(PipelineError):
    """The MT engine cannot run (no model installed, corrupt package...)."""

    exit_code = 7


class LockedError(PipelineError):
    """Another pipeline run holds the lock on the same catalog."""

    exit_code = 8
