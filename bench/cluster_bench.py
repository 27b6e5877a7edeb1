"""The MT stage on Dask workers against the local run, on the same cores.

    .venv/bin/python bench/cluster_bench.py                   # shipped model, 400 sentences; writes bench/CLUSTER.md
    .venv/bin/python bench/cluster_bench.py --sentences 100 --runs 1 --output /tmp/c.md

Four ways to draft the same catalog, each the MT stage as `translate` wires it
(``stages.open_mt``: masker, a fresh cache so every sentence reaches the model),
in this one process and session, alternating:

  local, 1 thread     one CTranslate2 worker of one thread (the peer of one Dask worker)
  local, 2 threads    what `idpo translate` does on this 2-core machine
  Dask, 1 worker      `--workers 1`: one process, one thread
  Dask, 2 workers     `--workers 2`: two processes, one thread each

Start-up (starting the local cluster and opening the model on each worker) is
timed apart from drafting. The overhead per chunk is measured twice: a task
whose chunk is empty, there and back (Dask's cost alone), and (Dask 1 worker -
local 1 thread) / chunks (noisier: the difference of two long runs). The
sentences are FLORES-200 devtest's Indonesian side, used as ordinary text
(nothing is scored).
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

from bench.mt_throughput import DEFAULT_SENTENCES, _catalog, default_package  # noqa: E402
from pipeline import stages  # noqa: E402
from pipeline.mt.argos import Threads  # noqa: E402
from pipeline.mt.models import ModelStore  # noqa: E402
from pipeline.project import Project  # noqa: E402
from pipeline.translate import CHUNK_SENTENCES  # noqa: E402

WAYS = {  # name -> open_mt options
    "local, 1 thread": dict(threads=Threads(1, 1)),
    "local, 2 threads": dict(threads=Threads(2, 1)),
    "Dask, 1 worker": dict(cluster=stages.Cluster(workers=1)),
    "Dask, 2 workers": dict(cluster=stages.Cluster(workers=2)),
}


ROUND_TRIPS = 30


def draft_once(package_root: Path, sentences: list[str], options: dict) -> tuple[float, float, float | None]:
    """(start-up s, drafting s, median round trip of an empty chunk s) of one run in a fresh
    project with the model installed; no round trip for a local run."""
    with tempfile.TemporaryDirectory(prefix="cluster-bench-") as scratch:
        root = Path(scratch) / "project"
        shutil.copytree(package_root, root, symlinks=True)
        started = time.perf_counter()
        with stages.open_mt(Project(root), **options) as mt:
            ready = time.perf_counter()
            mt.draft(_catalog(sentences))
            done = time.perf_counter()
            trips = []
            for _ in range(ROUND_TRIPS if "cluster" in options else 0):
                before = time.perf_counter()
                mt.engine.translate([])  # one task with nothing to translate: Dask's cost alone
                trips.append(time.perf_counter() - before)
    return ready - started, done - ready, statistics.median(trips) if trips else None


def measure(package: Path, sentences: list[str], runs: int) -> dict[str, list[tuple]]:
    times: dict[str, list[tuple]] = {name: [] for name in WAYS}
    with tempfile.TemporaryDirectory(prefix="cluster-bench-model-") as scratch:
        template = Path(scratch) / "template"
        (template / "locales").mkdir(parents=True)
        shutil.copy(Project(ROOT).glossary_path, Project(template).glossary_path)
        ModelStore(template).install_file(package)
        draft_once(template, sentences[:CHUNK_SENTENCES], WAYS["local, 2 threads"])  # warm the file cache
        order = list(WAYS)
        for run in range(runs):
            for name in order if run % 2 == 0 else reversed(order):
                times[name].append(draft_once(template, sentences, WAYS[name]))
                startup, drafting, _ = times[name][-1]
                print(f"  {name}: start-up {startup:.2f} s, drafting {drafting:.2f} s", file=sys.stderr, flush=True)
    return times


def report(model: str, sentences: int, runs: int, times: dict[str, list[tuple]]) -> str:
    median = {name: (statistics.median(t[0] for t in got), statistics.median(t[1] for t in got))
              for name, got in times.items()}
    trip = statistics.median(t[2] for got in times.values() for t in got if t[2] is not None)
    peer = median["local, 2 threads"][1]
    chunks = math.ceil(sentences / CHUNK_SENTENCES)
    lines = [
        "# MT on Dask workers against the local run",
        "",
        f"Made by `.venv/bin/python bench/cluster_bench.py --sentences {sentences} --runs {runs}` on "
        f"{datetime.date.today()}: model `{model}`, {sentences} FLORES-200 devtest sentences "
        f"({chunks} chunks of {CHUNK_SENTENCES}), {len(os.sched_getaffinity(0))} cores, medians of {runs} runs.",
        "",
        "| run | start-up s | drafting s | sentences/s | vs local 2 threads |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, (startup, drafting) in median.items():
        lines.append(f"| {name} | {startup:.2f} | {drafting:.2f} | {sentences / drafting:.1f} | "
                     f"{peer / drafting:.2f}x |")
    overhead = (median["Dask, 1 worker"][1] - median["local, 1 thread"][1]) / chunks
    per_core = sentences / median["Dask, 1 worker"][1]
    scaling = median["Dask, 1 worker"][1] / median["Dask, 2 workers"][1]
    lines += [
        "",
        f"Overhead per chunk: a task with an empty chunk takes {trip * 1000:.1f} ms there and back (median of "
        f"{ROUND_TRIPS} per cluster run); (Dask 1 worker - local 1 thread) / {chunks} chunks is "
        f"{overhead * 1000:.0f} ms, against {median['local, 1 thread'][1] / chunks * 1000:.0f} ms of model time "
        "per chunk.",
        f"One worker per core drafts {per_core:.1f} sentences/s; two workers on two cores are "
        f"{scaling:.2f}x one.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--argosmodel", type=Path, help="the package to run (default: the shipped model)")
    parser.add_argument("--sentences", type=int, default=400)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "CLUSTER.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cluster-bench-pkg-") as work:
        package = args.argosmodel or default_package(Path(work))
        sentences = [line.strip() for line in DEFAULT_SENTENCES.read_text(encoding="utf-8").splitlines()
                     if line.strip()][:args.sentences]
        times = measure(package, sentences, args.runs)
    model = package.name.removesuffix(".argosmodel")
    text = report(model, len(sentences), args.runs, times)
    args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
