"""The translation memory at project scale: one index build per run, then cheap lookups.

    .venv/bin/python bench/memory_bench.py                     # 100 documents x 1,000 units; writes bench/MEMORY.md
    .venv/bin/python bench/memory_bench.py --documents 10 --output /tmp/m.md

A scratch project gets ``--documents`` catalogs of ``--units`` sentences each
(Indonesian sentences of ``../shared/corpora/train`` of every length from 10 to
200 characters, distinct until the corpus runs out, then repeated in later
documents; every other one translated by a person), written to
disk as `update` writes them. Measured: the build (reading every catalog, as
`translate` and the review page do), the rebuild after one catalog changed (the
review page after a save), exact lookups (what `translate` asks), and fuzzy
lookups (what the review page asks) against the peer a naive design would use,
a full rapidfuzz scan of every sentence per lookup (``process.extract``, the
same scorer and cutoff), with how often the index finds the scan's best match,
for short and long sentences and two kinds of edit.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

from rapidfuzz import fuzz, process  # noqa: E402

from pipeline.catalog import Catalog, save_catalog  # noqa: E402
from pipeline.memory import FUZZY_CUTOFF, ProjectMemory, TranslationMemory, normalised  # noqa: E402
from pipeline.project import Project  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "train"


def sentences(count: int, seed: int = 1) -> list[str]:
    lines = []
    for path in sorted(CORPUS.glob("*.id")):
        lines += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if 10 <= len(line) <= 200]
    unique = list(dict.fromkeys(lines))
    random.Random(seed).shuffle(unique)
    # Past the corpus's distinct sentences, later documents repeat earlier ones (as a
    # real project's boilerplate does); a document never holds one twice.
    return [unique[index % len(unique)] for index in range(count)]


def write_project(root: Path, texts: list[str], documents: int) -> None:
    per_document = len(texts) // documents
    for number in range(documents):
        catalog = Catalog.new(f"doc{number:03d}", language="en")
        for index, text in enumerate(texts[number * per_document:(number + 1) * per_document]):
            catalog.add(text, msgstr=f"English of {index}." if index % 2 == 0 else "",
                        flags=[] if index % 4 == 0 else (["fuzzy"] if index % 2 == 0 else []))
        save_catalog(catalog, Project(root).po_path(f"doc{number:03d}"))


def word_dropped(text: str, rng: random.Random) -> str:
    """One word dropped: what an author's small edit looks like."""
    words = text.split()
    del words[rng.randrange(len(words))]
    return " ".join(words)


def letter_changed(text: str, rng: random.Random) -> str:
    """One letter changed: a typo fixed, a plural, a suffix."""
    index = rng.randrange(len(text))
    return text[:index] + ("a" if text[index] != "a" else "e") + text[index + 1:]


SHORT = 40  # characters: below, a sentence has too few telling words for the word index


def timed(function, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(documents: int, units: int) -> str:
    texts = sentences(documents * units)
    rng = random.Random(2)
    with tempfile.TemporaryDirectory(prefix="memory-bench-") as scratch:
        root = Path(scratch)
        (root / "source").mkdir()
        write_project(root, texts, documents)
        project = Project(root)
        build_s = timed(lambda: TranslationMemory.of_project(project), repeat=1)
        live = ProjectMemory(project)
        memory = live.current()
        touched = project.po_path("doc000")
        touched.write_bytes(touched.read_bytes().replace(b"English of 0.", b"English of zero."))
        rebuild_s = timed(live.current, repeat=1)
    exact_queries = [rng.choice(texts) for _ in range(10_000)]  # half of them translated somewhere
    exact_s = timed(lambda: [memory.exact(q) for q in exact_queries])
    translated = [m.source for m in memory._all]
    choices = [normalised(s) for s in translated]
    queries = {}
    for kind, edit in (("one word dropped", word_dropped), ("one letter changed", letter_changed)):
        for size, fits in ((f"short (< {SHORT} chars)", lambda t: len(t) < SHORT and len(t.split()) > 2),
                           (f"long (>= {SHORT} chars)", lambda t: len(t) >= SHORT)):
            pool = [t for t in translated if fits(t)]
            queries[f"{size}, {kind}"] = [edit(t, rng) for t in rng.sample(pool, min(150, len(pool)))]
    every = [q for group in queries.values() for q in group]
    memory.similar(every[0])  # the word index is built on the first fuzzy lookup
    index_s = timed(lambda: [memory.similar(q) for q in every])
    scan_s = timed(lambda: [process.extract(q, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=3)
                            for q in every], repeat=1)
    rows = []
    for name, group in queries.items():
        same = 0
        for query in group:
            scanned = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            found = memory.similar(query, limit=1)
            agree = bool(found and scanned and found[0].score == round(scanned[1], 1))
            same += (scanned is None and not found) or agree
        rows.append(f"| {name} | {same} of {len(group)} ({same / len(group):.0%}) |")
    per_s = len(every)
    return "\n".join([
        f"# Translation memory: {documents} documents x {units} units ({len(memory):,} translated units)",
        "",
        "Made by `.venv/bin/python bench/memory_bench.py"
        + (f" --documents {documents} --units {units}`" if (documents, units) != (50, 1000) else "`")
        + f" on {time.strftime('%Y-%m-%d')}; medians of 3 runs (1 for the builds and the scan).",
        "",
        "| what | time | per lookup | vs a full scan per lookup |",
        "|---|---|---|---|",
        f"| build: read {documents} catalogs, index {len(memory):,} memories | {build_s:.2f} s | | once per run |",
        f"| rebuild after one catalog changed (review page after a save) | {rebuild_s:.2f} s | | |",
        f"| exact lookups (translate), 10,000 | {exact_s * 1000:.0f} ms | {exact_s / 10_000 * 1e6:.1f} µs | |",
        f"| fuzzy lookups (review page), {per_s}, index | {index_s:.2f} s | {index_s / per_s * 1000:.2f} ms | "
        f"{scan_s / index_s:.0f}x faster |",
        f"| fuzzy lookups, {per_s}, full rapidfuzz scan (peer) | {scan_s:.2f} s | "
        f"{scan_s / per_s * 1000:.2f} ms | 1x |",
        "",
        "How often the index finds the full scan's best match (the same score, or nothing where the scan "
        "finds nothing), by query kind; each query is a translated sentence with one edit:",
        "",
        "| queries | same best match |",
        "|---|---|",
        *rows,
        "",
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "MEMORY.md")
    args = parser.parse_args()
    text = run(args.documents, args.units)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
