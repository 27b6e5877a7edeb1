"""MT throughput: the pipeline's MT stage against raw CTranslate2, same model and sentences.

    .venv/bin/python bench/mt_throughput.py                    # shipped model, else the tiny one
    .venv/bin/python bench/mt_throughput.py --argosmodel X.argosmodel --sentences 300 --runs 5
    .venv/bin/python bench/mt_throughput.py --sweep            # threads x batch size, raw CTranslate2

Both sides run in this one process on one loaded ``ctranslate2.Translator``
and the same sentences:

  raw       ``Translator.translate_batch`` on the already tokenised sentences,
            one call, the stage's decoding settings: the model alone;
  pipeline  ``translate.draft_catalog`` on a catalog of those sentences:
            masking, SentencePiece, chunked engine calls, restoring, marks
            (no cache, so every sentence reaches the model).

Every figure is the median of ``--runs`` runs after ``--warmup`` runs, the two
sides alternating, and the ratio is raw time / pipeline time (goal >= 0.9).
The sentences are masked first, so raw translates exactly what the pipeline
sends. The default sentences are FLORES-200 devtest's Indonesian side (used
here as ordinary text, not for scoring). With the tiny copying test model
the ratio measures the pipeline's overhead against an unusually cheap model,
a harder test than a real one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

from pipeline import stages  # noqa: E402
from pipeline.glossary import load_glossary  # noqa: E402
from pipeline.mt.argos import DEFAULT_BATCH_SIZE, Threads  # noqa: E402
from pipeline.mt.masking import Masker  # noqa: E402
from pipeline.mt.models import ModelStore  # noqa: E402
from pipeline.project import Project  # noqa: E402

DEFAULT_SENTENCES = ROOT.parent / "shared" / "eval" / "flores200-devtest.id"
GOAL = 0.9


@dataclass(frozen=True)
class Throughput:
    model: str
    sentences: int
    threads: Threads
    batch_size: int
    raw_s: list[float]
    pipeline_s: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(self.raw_s) / statistics.median(self.pipeline_s)

    def markdown(self) -> str:
        rows = [("raw `translate_batch`", self.raw_s), ("pipeline `draft_catalog`", self.pipeline_s)]
        lines = [
            f"Model `{self.model}`, {self.sentences} sentences, {self.threads.workers} CTranslate2 workers x "
            f"{self.threads.per_worker} thread, batch {self.batch_size}, {len(self.raw_s)} runs after warm-up "
            f"(medians), {os.cpu_count()} CPUs.\n",
            "| path | median s | sentences/s |",
            "|---|---:|---:|",
        ]
        for name, times in rows:
            median = statistics.median(times)
            lines.append(f"| {name} | {median:.3f} | {self.sentences / median:.1f} |")
        verdict = "met" if self.ratio >= GOAL else "NOT met"
        lines.append(f"\nPipeline / raw throughput: **{self.ratio:.2f}x** (goal >= {GOAL}x: {verdict}).")
        return "\n".join(lines) + "\n"


def measure_throughput(package: Path, sentences: Sequence[str], *, runs: int = 5, warmup: int = 1,
                       threads: Threads | None = None, batch_size: int = DEFAULT_BATCH_SIZE) -> Throughput:
    """Install ``package`` in a scratch project and time both paths on ``sentences``."""
    with tempfile.TemporaryDirectory(prefix="mt-bench-") as scratch:
        store = ModelStore(Path(scratch))
        model = store.install_file(package)
        engine = store.open_engine(model, threads=threads, batch_size=batch_size)
        masker = Masker((t.source, t.target) for t in load_glossary(Project(ROOT).glossary_path)
                        if t.do_not_translate)
        masked = sorted({m.text for m in map(masker.mask, sentences) if m.needs_engine}, key=len)
        pieces = engine.tokenize(masked)
        arguments = engine.decoding_arguments(pieces)

        def raw() -> None:
            engine.translator.translate_batch(pieces, **arguments)

        def pipeline() -> None:
            # The MT stage as `translate` wires it (glossary masker, cache), in a fresh project each
            # run, so the cache starts empty and every sentence goes to the model.
            with tempfile.TemporaryDirectory(prefix="mt-bench-run-") as run_root:
                (Path(run_root) / "locales").mkdir()
                shutil.copy(Project(ROOT).glossary_path, Project(Path(run_root)).glossary_path)
                with stages.open_mt(Project(Path(run_root)), engine=engine) as mt:
                    mt.draft(_catalog(sentences))

        times = _alternate({"raw": raw, "pipeline": pipeline}, runs=runs, warmup=warmup)
        return Throughput(model.label, len(masked), engine.threads, batch_size, times["raw"], times["pipeline"])


def sweep(package: Path, sentences: Sequence[str], *, runs: int = 3) -> str:
    """Raw CTranslate2 sentences/s for thread layouts and batch sizes (to choose the defaults)."""
    cores = len(os.sched_getaffinity(0))
    layouts = sorted({Threads(cores, 1), Threads(1, cores), Threads.for_cores(cores)}, key=lambda t: t.workers)
    lines = ["| workers x threads | batch | sentences/s |", "|---|---:|---:|"]
    with tempfile.TemporaryDirectory(prefix="mt-sweep-") as scratch:
        store = ModelStore(Path(scratch))
        model = store.install_file(package)
        for layout in layouts:
            for batch in (8, 16, 32):
                engine = store.open_engine(model, threads=layout, batch_size=batch)
                pieces = engine.tokenize(sorted(sentences, key=len))
                arguments = engine.decoding_arguments(pieces)
                # Defaults bind this iteration's values (B023); _alternate calls it before the loop moves on.
                raw = lambda engine=engine, pieces=pieces, arguments=arguments: (
                    engine.translator.translate_batch(pieces, **arguments))
                times = _alternate({"raw": raw}, runs=runs, warmup=1)["raw"]
                lines.append(f"| {layout.workers} x {layout.per_worker} | {batch} | "
                             f"{len(pieces) / statistics.median(times):.1f} |")
    return f"Model `{model.label}`, {len(sentences)} sentences, raw `translate_batch`.\n\n" + "\n".join(lines) + "\n"


def _alternate(paths: dict[str, Callable[[], None]], *, runs: int, warmup: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in paths}
    order = list(paths)
    for run in range(warmup + runs):
        for name in order if run % 2 == 0 else reversed(order):
            started = time.perf_counter()
            paths[name]()
            if run >= warmup:
                times[name].append(time.perf_counter() - started)
    return times


def _catalog(sentences: Sequence[str]):
    from pipeline.catalog import Catalog

    catalog = Catalog.new("bench", language="en")
    for number, sentence in enumerate(dict.fromkeys(sentences), start=1):
        catalog.add(sentence, locations=[("source/bench.txt", number)])
    return catalog


def default_package(work: Path) -> Path:
    """The shipped model when the project has one, else the tiny test model."""
    shipped = ModelStore(ROOT).shipped()
    if shipped:
        return max(shipped, key=lambda m: m.version).path
    from tests.argos_tiny import build_tiny_argosmodel

    return build_tiny_argosmodel(work)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--argosmodel", type=Path, help="an id->en .argosmodel (default: shipped, else tiny)")
    parser.add_argument("--sentences-file", type=Path, default=DEFAULT_SENTENCES, help="one sentence a line")
    parser.add_argument("--sentences", type=int, default=300, help="how many lines of it (default: 300)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--sweep", action="store_true", help="time raw CTranslate2 over thread layouts and batches")
    args = parser.parse_args(argv)
    lines = args.sentences_file.read_text(encoding="utf-8").splitlines()
    sentences = [line.strip() for line in lines if line.strip()][: args.sentences]
    with tempfile.TemporaryDirectory(prefix="mt-model-") as work:
        package = args.argosmodel or default_package(Path(work))
        if args.sweep:
            print(sweep(package, sentences, runs=args.runs))
        else:
            result = measure_throughput(package, sentences, runs=args.runs, warmup=args.warmup,
                                        batch_size=args.batch_size)
            print(result.markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
