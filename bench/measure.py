"""Timing commands fairly: subprocesses, alternated, medians after a warm-up.

Each run is a fresh process, so start-up and imports count as a user feels
them. Wall time comes from ``time.perf_counter`` around the process; CPU time
and peak resident memory from GNU time (``/usr/bin/time``) run between the
bench and the command. Not from the bench's own ``os.wait4``: on Linux a
child's ``ru_maxrss`` starts at its parent's resident size when it execs, so
every command would seem to use at least as much memory as the bench itself
(which holds the workloads); GNU time is a 1 MB process. Without GNU time
the wait4 figures are used and the peak RSS is marked as a floor.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class CommandFailed(Exception):
    """A measured command exited non-zero; carries the end of its stderr."""


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds
    peak_rss_mb: float
    stderr: str = field(default="", repr=False, compare=False)  # its end, for commands that report counts


@dataclass
class Command:
    """A command line and the untimed step that resets its inputs before each run."""

    name: str
    argv: Sequence[str]
    prepare: Callable[[], None] = lambda: None
    cwd: Path | None = None
    env: dict[str, str] | None = None  # added to the environment
    any_status: bool = False  # a non-zero exit is an answer, not a failure (``check``)


@dataclass
class Result:
    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_rss_mb(self) -> float:
        return statistics.median(s.peak_rss_mb for s in self.samples)


GNU_TIME = shutil.which("time", path="/usr/bin:/bin")
RSS_IS_FLOOR = GNU_TIME is None  # see the module docstring
STDERR_KEPT = 4000  # bytes of a command's stderr kept (the end)


def run_once(command: Command) -> Sample:
    """Run ``command`` once after its ``prepare`` step; stdout is discarded."""
    command.prepare()
    env = {**os.environ, **command.env} if command.env else None
    with tempfile.NamedTemporaryFile("w+", suffix=".time") as usage_file, tempfile.TemporaryFile() as stderr_file:
        argv = [GNU_TIME, "-q", "-f", "%U %S %M", "-o", usage_file.name, *command.argv] if GNU_TIME else command.argv
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=command.cwd, env=env, stdout=subprocess.DEVNULL, stderr=stderr_file)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr_file.seek(0)
        stderr = stderr_file.read()[-STDERR_KEPT:].decode("utf-8", "replace")
        if process.returncode != 0 and not command.any_status:
            raise CommandFailed(f"{command.name}: {' '.join(map(str, command.argv))} "
                                f"exited {process.returncode}\n{stderr}")
        if GNU_TIME:
            user, system, peak_kb = usage_file.read().split()[-3:]
            return Sample(wall, float(user) + float(system), int(peak_kb) / 1024, stderr)
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stderr)


def run_sequence(steps: Sequence[Command], *, runs: int, warmup: int = 1,
                 prepare: Callable[[], None] = lambda: None) -> list[list[Sample]]:
    """Run dependent ``steps`` one after the other, ``warmup + runs`` times;
    ``prepare`` restores the starting state before each time through."""
    measured = []
    for round_number in range(warmup + runs):
        prepare()
        samples = [run_once(step) for step in steps]
        if round_number >= warmup:
            measured.append(samples)
    return measured


def compare(commands: Sequence[Command], *, runs: int, warmup: int = 1) -> dict[str, Result]:
    """Run every command ``warmup + runs`` times, interleaved.

    Round k runs the commands in an order rotated by k, so a burst of load
    from other jobs on the machine, or a warm page cache, falls on all of
    them alike rather than on whichever always runs first.
    """
    results = {c.name: Result(c.name) for c in commands}
    for round_number in range(warmup + runs):
        shift = round_number % len(commands)
        for command in [*commands[shift:], *commands[:shift]]:
            sample = run_once(command)
            if round_number >= warmup:
                results[command.name].samples.append(sample)
    return results
