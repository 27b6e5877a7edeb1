"""Progress of a long MT run: a tqdm bar on a terminal, a few plain lines elsewhere.

A bar redrawn in place is noise in a CI log or a file, so when the stream is
not a terminal the same count, rate and ETA are printed as a line every
``LINE_EVERY_S`` seconds and at the end.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

LINE_EVERY_S = 15.0


class Progress:
    """Counts sentences sent to the engine: ``start(total)``, ``advance(n)``..., ``close()``."""

    def __init__(self, label: str, stream: TextIO | None = None):
        self.label = label
        self.stream = stream or sys.stderr
        self.total = self.done = 0
        self._bar = None
        self._start = self._last_line = time.monotonic()

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self._start = self._last_line = time.monotonic()
        if total and _is_terminal(self.stream):
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=self.label, unit=" sentences", file=self.stream,
                             dynamic_ncols=True, smoothing=0.1)

    def advance(self, count: int) -> None:
        self.done += count
        if self._bar is not None:
            self._bar.update(count)
        elif self.total and time.monotonic() - self._last_line >= LINE_EVERY_S:
            self._print_line()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self.total and self.done:
            self._print_line()
        self.total = 0

    def _print_line(self) -> None:
        self._last_line = now = time.monotonic()
        elapsed = max(now - self._start, 1e-9)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate else 0.0
        percent = 100 * self.done // self.total
        print(f"{self.label}: {self.done}/{self.total} sentences ({percent}%), {rate:.1f}/s, "
              f"ETA {_clock(eta)}", file=self.stream, flush=True)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
