"""Progress of a long step (MT, a cold spell check): a tqdm bar on a terminal, a few plain lines elsewhere.

A bar redrawn in place is noise in a CI log or a file, so when the stream is
not a terminal the same count, rate and ETA are printed as a line every
``LINE_EVERY_S`` seconds and at the end. A step that may as well be instant
(``quiet_below_s``) shows nothing unless it lasts that long.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from typing import TextIO, TypeVar

T = TypeVar("T")

LINE_EVERY_S = 15.0


class Progress:
    """Counts things done: ``start(total)``, ``advance(n)``..., ``close()``."""

    def __init__(self, label: str, stream: TextIO | None = None, *, unit: str = "sentences",
                 quiet_below_s: float = 0.0):
        self.label, self.unit, self.quiet_below_s = label, unit, quiet_below_s
        self.stream = stream or sys.stderr
        self.total = self.done = 0
        self._bar = None
        self._lines = 0
        self._start = self._last_line = time.monotonic()

    def start(self, total: int) -> None:
        self.total, self.done, self._lines = total, 0, 0
        self._start = self._last_line = time.monotonic()
        if total and _is_terminal(self.stream):
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=self.label, unit=f" {self.unit}", file=self.stream,
                             dynamic_ncols=True, smoothing=0.1, delay=self.quiet_below_s)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self._bar is not None:
            self._bar.update(count)
        elif self.total and time.monotonic() - self._last_line >= max(LINE_EVERY_S, self._first_line_s()):
            self._print_line()

    def over(self, items: Sequence[T]) -> Iterator[T]:
        """``items`` one by one, each counted once the caller is done with it."""
        self.start(len(items))
        for item in items:
            yield item
            self.advance()
        self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self.total and self.done and (self._lines or time.monotonic() - self._start >= self.quiet_below_s):
            self._print_line()
        self.total = 0

    def _first_line_s(self) -> float:
        return self.quiet_below_s if not self._lines else 0.0

    def _print_line(self) -> None:
        self._last_line = now = time.monotonic()
        self._lines += 1
        elapsed = max(now - self._start, 1e-9)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate else 0.0
        percent = 100 * self.done // self.total
        print(f"{self.label}: {self.done}/{self.total} {self.unit} ({percent}%), {rate:.1f}/s, "
              f"ETA {_clock(eta)}", file=self.stream, flush=True)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
