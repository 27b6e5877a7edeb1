"""Run the benchmarks and write bench/RESULTS.md.

    .venv/bin/python bench/run.py                 # everything (~15 min on 2 cores)
    .venv/bin/python bench/run.py --quick         # tiny workloads, one run each
    .venv/bin/python bench/run.py --only merge    # one section

Sections (issue 7): extraction against txt2po and po4a, merge against
``msgmerge --previous``, MT throughput and the incremental re-run (once the
MT stage exists), start-up, memory on a 100K-unit catalog, and a profile of
where extract and update spend their time. Every figure is the median of
``--runs`` runs after ``--warmup`` runs, the tools of a section alternating.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

import measure  # noqa: E402  # bench/ is a folder of scripts, not a package
import workloads  # noqa: E402
from measure import Command, Result  # noqa: E402

DEFAULT_OUTPUT = BENCH / "RESULTS.md"
SECTIONS = ("extract", "merge", "mt", "incremental", "startup", "memory", "profile")


@dataclass(frozen=True)
class Sizes:
    large_sentences: int | None  # None: the whole corpus
    small_documents: int
    merge_units: int
    incremental_units: int
    memory_units: int
    mt_sentences: int


# 1,000 MT sentences: with 300 (about 2 s a run) the ratio scattered from 0.79 to 0.98 between runs.
FULL = Sizes(None, 1000, 24_000, 10_000, 100_000, 1000)
QUICK = Sizes(300, 10, 300, 200, 1_000, 20)


@dataclass
class Bench:
    """What every section needs: corpus, scratch folder, run counts, tools."""

    corpus: workloads.Corpus
    work: Path
    sizes: Sizes
    runs: int
    warmup: int
    python: str
    model_file: Path | None = None  # --argosmodel
    tiny_model: bool = False  # set when argos_package had to build the tiny test model

    def pipeline(
        self, name: str, *args: str, cwd: Path, prepare: Callable[[], None] = lambda: None, **options
    ) -> Command:
        """``python -m pipeline ARGS`` run in ``cwd``, importing this checkout's pipeline."""
        env = {"PYTHONPATH": str(ROOT)}
        return Command(name, [self.python, "-m", "pipeline", *args], cwd=cwd, prepare=prepare, env=env, **options)

    def compare(self, commands: Sequence[Command]) -> dict[str, Result]:
        return measure.compare(commands, runs=self.runs, warmup=self.warmup)

    @cached_property
    def single_sentences(self) -> list[str]:
        return self.corpus.single_sentences()

    @cached_property
    def argos_package(self) -> Path:
        """The .argosmodel the MT sections use: ``--argosmodel``, else the
        project's shipped model, else the tiny test model (built offline)."""
        if self.model_file is not None:
            return self.model_file
        from pipeline.mt.models import ModelStore

        shipped = ModelStore(ROOT).shipped()
        if shipped:
            return max(shipped, key=lambda model: model.version).path
        from tests.argos_tiny import build_tiny_argosmodel

        self.tiny_model = True
        return build_tiny_argosmodel(self.work / "tiny-model")

    @property
    def quick(self) -> bool:
        return self.sizes == QUICK


# --- tools -------------------------------------------------------------------


def tool(name: str) -> str | None:
    """A peer's executable: the virtualenv's first (txt2po), then PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name)


def tool_version(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return "not installed"
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else "?"


def count_units(pot: Path) -> int:
    """Entries in a .pot, header excluded: every entry has one ``msgid`` line."""
    text = pot.read_text(encoding="utf-8")
    return max(0, len(re.findall(r"^msgid ", text, re.MULTILINE)) - 1)


def missing_row(name: str, columns: int) -> list[str]:
    return [name, "not installed (run `make setup`)"] + [""] * (columns - 2)


# --- Markdown ------------------------------------------------------------------


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def seconds(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}"


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}×" if base else "–"


def verdict(holds: bool) -> str:
    return "met" if holds else "NOT met"


TIMING_HEADER = ("tool", "wall s", "÷ pipeline", "CPU s", "peak RSS MB")


def timing_cells(result: Result, base: Result) -> list[str]:
    return [seconds(result.wall), ratio(result.wall, base.wall), seconds(result.cpu), f"{result.peak_rss_mb:.0f}"]


# --- 1. extraction -------------------------------------------------------------


def extraction(bench: Bench) -> str:
    sentences = list(bench.corpus.sentences[: bench.sizes.large_sentences])
    large = bench.work / "extract-large"
    workloads.write_sources(large, {"large": workloads.hard_wrapped(sentences)})
    small = bench.work / "extract-small"
    names = [f"doc-{n:04d}" for n in range(1, bench.sizes.small_documents + 1)]
    texts = workloads.small_documents(sentences, bench.sizes.small_documents)
    workloads.write_sources(small, dict(zip(names, texts, strict=True)))
    size_kb = (large / "source" / "large.txt").stat().st_size / 1024
    parts = [
        "## 1. Extraction: source → POT\n",
        (f"Workloads: the corpus's {len(sentences):,} distinct sentences as one hard-wrapped document "
         f"({size_kb:,.0f} KB, paragraphs of {workloads.SENTENCES_PER_PARAGRAPH} sentences, blank lines "
         f"between them), and the same sentences as {len(names):,} small documents. txt2po and po4a make "
         "one unit per paragraph (they split on blank lines only); the pipeline makes one per sentence.\n"),
    ]
    goals = []
    for label, root, sources in (("one large document", large, ["source/large.txt"]),
                                 (f"{len(names):,} small documents", small, [f"source/{n}.txt" for n in names])):
        rows, results = _extraction_rows(bench, root, sources)
        parts += [f"### {label}\n", table(("tool", "units", *TIMING_HEADER[1:]), rows) + "\n"]
        goals += _extraction_goals(label, results)
    parts += ["Goals (pipeline time ÷ peer time): " + "; ".join(goals) + ".\n"]
    return "\n".join(parts)


def _extraction_rows(bench: Bench, root: Path, sources: list[str]) -> tuple[list[list[str]], dict[str, Result]]:
    commands = [bench.pipeline("pipeline", "extract", "--root", ".", cwd=root,
                               prepare=lambda: _remove(root.glob("locales/*.pot")))]
    txt2po, po4a = tool("txt2po"), tool("po4a-updatepo")
    if txt2po:
        # txt2po converts a folder to a folder, one POT per document.
        # It exits 0 even when it could not write, so a unit count of 0 is the sign.
        argv = [txt2po, "-P", "--progress=none", "-i", "source", "-o", "peers/txt2po"]
        if len(sources) == 1:
            argv = [txt2po, "-P", "--progress=none", "-i", sources[0], "-o", "peers/txt2po/large.pot"]
        commands.append(Command("txt2po", argv, cwd=root, prepare=lambda: _reset(root / "peers" / "txt2po")))
    if po4a:
        # po4a-updatepo gathers all masters into one POT.
        masters = [arg for source in sources for arg in ("-m", source)]
        commands.append(Command("po4a-updatepo",
                                [po4a, "-f", "text", "-M", "UTF-8", *masters, "-p", "peers/po4a/all.pot"],
                                cwd=root, prepare=lambda: _reset(root / "peers" / "po4a")))
    results = bench.compare(commands)
    units = {name: sum(count_units(p) for p in root.glob(pattern))
             for name, pattern in (("pipeline", "locales/*.pot"), ("txt2po", "peers/txt2po/*.pot"),
                                   ("po4a-updatepo", "peers/po4a/*.pot"))}
    base = results["pipeline"]
    rows = [[name, f"{units[name]:,}", *timing_cells(result, base)] for name, result in results.items()]
    rows += [missing_row(name, 6) for name, path in (("txt2po", txt2po), ("po4a-updatepo", po4a)) if not path]
    return rows, results


def _extraction_goals(label: str, results: dict[str, Result]) -> list[str]:
    goals = []
    for peer, short, limit, strict in (("txt2po", "txt2po", 2.0, False), ("po4a-updatepo", "po4a", 1.0, True)):
        if peer in results:
            wall, cpu = _ratios(results["pipeline"], results[peer])
            holds = wall < limit if strict else wall <= limit
            goals.append(f"{label}: ÷ {short} {wall:.2f}, CPU {cpu:.2f} "
                         f"(goal {'<' if strict else '≤'} {limit:g}: {verdict(holds)})")
    return goals


def _ratios(mine: Result, peer: Result) -> tuple[float, float]:
    """The pipeline's wall and CPU time as multiples of a peer's."""
    return mine.wall / peer.wall, (mine.cpu / peer.cpu if peer.cpu else float("nan"))


def _reset(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def _remove(paths) -> None:
    for path in list(paths):
        path.unlink()


# --- 2. merge ----------------------------------------------------------------


@dataclass(frozen=True)
class Decisions:
    """What a merge did with the edited and inserted sentences."""

    edits: int  # edited sentences that are units of both catalogs
    right: int  # fuzzy, previous msgid = the sentence it came from, its translation
    wrong: int  # fuzzy with another sentence's translation
    untranslated: int
    inserted: int
    false_fuzzy: int  # inserted sentences given some old translation
    kept: int  # unchanged sentences still reviewed with their translation
    unchanged: int


def merge_section(bench: Bench) -> str:
    single = bench.single_sentences
    count = bench.sizes.merge_units
    base, spare = single[:count], single[count:]
    revision = workloads.revise(base, spare, bench.corpus.vocabulary)
    root = bench.work / "merge"
    old_po, new_pot, translated = _translated_project(root, "merge", base, revision.sentences, bench.corpus.english)
    po = root / "locales" / "en" / "LC_MESSAGES" / "merge.po"
    commands = [bench.pipeline("pipeline update", "update", "--root", ".", "merge", cwd=root,
                               prepare=lambda: shutil.copy(old_po, po))]
    msgmerge = tool("msgmerge")
    if msgmerge:
        commands.append(Command("msgmerge --previous", [msgmerge, "--quiet", "--previous", "-o", "peer.po",
                                                         str(old_po), str(new_pot)], cwd=root))
    results = bench.compare(commands)
    outputs = {"pipeline update": po, "msgmerge --previous": root / "peer.po"}
    decisions = {name: _decisions(outputs[name], base, revision, bench.corpus.english) for name in results}
    header = (*TIMING_HEADER, "edited → fuzzy, right source", "→ wrong source", "→ untranslated",
              "inserted → false fuzzy", "unchanged kept")
    rows = []
    base_result = results["pipeline update"]
    for name, result in results.items():
        d = decisions[name]
        rows.append([name, *timing_cells(result, base_result), f"{d.right:,} / {d.edits:,}", f"{d.wrong:,}",
                     f"{d.untranslated:,}", f"{d.false_fuzzy:,} / {d.inserted:,}", f"{d.kept:,} / {d.unchanged:,}"])
    if not msgmerge:
        rows.append(missing_row("msgmerge --previous", len(header)))
    lines = [
        "## 2. Merge: update a translated catalog to a revised source\n",
        (f"Workload: {count:,} single-sentence units ({translated:,} with a reviewed translation, the corpus's "
         f"English side), then a revision with {len(revision.edits):,} sentences edited (one or two words "
         f"changed, inserted or deleted), {len(revision.deleted):,} deleted and {len(revision.inserted):,} "
         "inserted, re-extracted. Both tools merge the same old .po with the same new .pot.\n"),
        table(header, rows) + "\n",
    ]
    if "msgmerge --previous" in results:
        value, cpu = _ratios(base_result, results["msgmerge --previous"])
        mine, peer = decisions["pipeline update"], decisions["msgmerge --previous"]
        better = mine.right >= peer.right and mine.false_fuzzy <= peer.false_fuzzy
        lines.append(f"Goals: pipeline ÷ msgmerge {value:.2f}, CPU {cpu:.2f} (goal ≤ 1: {verdict(value <= 1)}); "
                     "fuzzy decisions "
                     f"same or better (more right, no more false): {verdict(better)}.\n")
    return "\n".join(lines)


def _translated_project(root: Path, name: str, old: list[str], new: list[str], english: dict[str, str]):
    """Old catalog (reviewed translations) for ``old`` and a fresh template for ``new``."""
    workloads.write_sources(root, {name: workloads.hard_wrapped(old)})
    workloads.extract_template(root, name)
    po, translated = workloads.translate_catalog(root, name, english)
    old_po = root / f"{name}-old.po"
    shutil.copy(po, old_po)
    workloads.write_sources(root, {name: workloads.hard_wrapped(new)})
    new_pot = workloads.extract_template(root, name)
    return old_po, new_pot, translated


def _decisions(path: Path, base: list[str], revision: workloads.Revision, english: dict[str, str]) -> Decisions:
    from pipeline.catalog import load_catalog

    units = {unit.msgid: unit for unit in load_catalog(path).units()}
    edits = [(old, new) for old, new in revision.edits if new in units and english.get(old)]
    right = wrong = untranslated = 0
    for old, new in edits:
        unit = units[new]
        if not unit.msgstr:
            untranslated += 1
        elif unit.fuzzy and unit.previous_msgid == old and unit.msgstr == english[old]:
            right += 1
        else:
            wrong += 1
    inserted = [units[s] for s in revision.inserted if s in units]
    touched = {old for old, _ in revision.edits} | set(revision.deleted)
    unchanged = [units[s] for s in base if s not in touched and s in units and english.get(s)]
    kept = sum(1 for u in unchanged if not u.fuzzy and u.msgstr == english[u.msgid])
    return Decisions(len(edits), right, wrong, untranslated, len(inserted),
                     sum(1 for u in inserted if u.msgstr), kept, len(unchanged))


# --- 3. MT and 4. incremental ---------------------------------------------------


def mt_section(bench: Bench) -> str:
    script = BENCH / "mt_throughput.py"
    if not script.is_file():
        return "## 3. MT throughput\n\npending: MT stage (issue 3): no bench/mt_throughput.py yet.\n"
    sentences = bench.work / "mt-sentences.txt"
    sentences.write_text("\n".join(bench.corpus.sentences[: bench.sizes.mt_sentences]) + "\n", encoding="utf-8")
    argv = [bench.python, str(script), "--argosmodel", str(bench.argos_package), "--sentences-file", str(sentences),
            "--sentences", str(bench.sizes.mt_sentences), "--runs", str(bench.runs), "--warmup", str(bench.warmup)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise measure.CommandFailed(f"mt_throughput.py exited {done.returncode}\n{done.stderr[-2000:]}")
    return "\n".join([
        "## 3. MT throughput\n",
        f"`bench/mt_throughput.py` on the first {bench.sizes.mt_sentences:,} corpus sentences, in one process: the "
        "pipeline's MT stage (`draft_catalog`: masking, SentencePiece, chunks, restoring, marks) against raw "
        "`ctranslate2.Translator.translate_batch` on the same loaded model and sentences."
        + (" The model is the tiny copying test model, so the ratio is the pipeline's overhead against an "
           "unusually cheap model." if bench.tiny_model else "") + "\n",
        done.stdout.strip() + "\n",
    ])


def incremental_section(bench: Bench) -> str:
    root = bench.work / "incremental"
    workloads.write_sources(root, {})
    if "translate" not in _subcommands(bench, root):
        return "## 4. Incremental re-run\n\npending: MT stage (issue 3): no `translate` command yet.\n"
    count = bench.sizes.incremental_units
    base = bench.single_sentences[:count]
    changed = list(base)
    changed[count // 2] = workloads.edit_sentence(base[count // 2], random.Random(workloads.SEED),
                                                  bench.corpus.vocabulary)
    model = _translated_by_model(bench, root, "incremental", base)
    before = bench.work / "incremental-before"
    shutil.rmtree(before, ignore_errors=True)
    for folder in ("locales", ".cache"):
        shutil.copytree(root / folder, before / folder)

    def back_to_before() -> None:
        for folder in ("locales", ".cache"):
            shutil.rmtree(root / folder)
            shutil.copytree(before / folder, root / folder)
        (root / "source" / "incremental.txt").write_text(workloads.hard_wrapped(changed), encoding="utf-8")

    steps = [bench.pipeline(name, name, "--root", ".", cwd=root) for name in ("extract", "update", "translate")]
    runs = measure.run_sequence(steps, runs=bench.runs, warmup=bench.warmup, prepare=back_to_before)
    sent = sorted({_sentences_translated(samples[-1].stderr) for samples in runs})
    rows = []
    for index, step in enumerate(steps):
        result = Result(step.name, [samples[index] for samples in runs])
        rows.append([f"idpo {step.name}", seconds(result.wall), seconds(result.cpu), f"{result.peak_rss_mb:.0f}"])
    total = Result("total", [measure.Sample(sum(s.wall for s in samples), sum(s.cpu for s in samples),
                                            max(s.peak_rss_mb for s in samples)) for samples in runs])
    rows.append(["**extract + update + translate**", f"**{seconds(total.wall)}**", seconds(total.cpu),
                 f"{total.peak_rss_mb:.0f}"])
    return "\n".join([
        "## 4. Incremental re-run\n",
        (f"Workload: a {count:,}-sentence document already extracted, merged and drafted by {model} (cache "
         "filled), then one sentence edited; `make translate` runs the three stages.\n"),
        table(("stage", "wall s", "CPU s", "peak RSS MB"), rows) + "\n",
        (f"Sentences sent to the model per run: {', '.join(map(str, sent))} "
         f"(goal: 1: {verdict(sent == [1])}).\n"),
    ])


def _translated_by_model(bench: Bench, root: Path, name: str, sentences: list[str]) -> str:
    """Source, template and a catalog fully drafted under the model's identity.

    The drafts come from a copying stand-in that carries the installed
    model's identity, and go to the same cache the ``translate`` command
    uses: the state a finished ``make translate`` leaves, without spending
    minutes of model time on set-up.
    """
    from pipeline import stages
    from pipeline.catalog import load_catalog
    from pipeline.mt.models import ModelStore
    from pipeline.project import Project

    workloads.write_sources(root, {name: workloads.hard_wrapped(sentences)})
    subprocess.run([bench.python, "-m", "pipeline", "model", "install", str(bench.argos_package), "--root", "."],
                   cwd=root, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    workloads.extract_template(root, name)
    po, _ = workloads.translate_catalog(root, name, {})
    store = ModelStore(root)
    model = store.choose(None)
    identity = store.open_engine(model).identity

    class CopyingEngine:
        def translate(self, batch: Sequence[str]) -> list[str]:
            return list(batch)

    engine = CopyingEngine()
    engine.identity = identity
    catalog = load_catalog(po)
    project = Project(root)
    with stages.open_mt(project, engine=engine) as mt:  # the cache `translate` reads, under the model's identity
        mt.draft(catalog)
    stages.save(project, catalog, po)
    return f"`{model.label}`" + (" (the tiny copying test model: the wall time is the pipeline's, not a real "
                                 "model's)" if bench.tiny_model else "")


def _sentences_translated(report: str) -> int:
    """From translate's summary: "...; 10000 sentences: 9999 from the cache, 1 translated"."""
    found = re.findall(r"(\d+) translated", report)
    return sum(map(int, found)) if found else 0


# --- 5. start-up ---------------------------------------------------------------


def startup_section(bench: Bench) -> str:
    root = _seed_project(bench.work / "seed")
    commands = [Command("python -c pass", [bench.python, "-c", "pass"], cwd=root),
                bench.pipeline("idpo --help", "--help", cwd=root)]
    available = _subcommands(bench, root)
    if "stats" in available:
        commands.append(bench.pipeline("idpo stats", "stats", "--root", ".", cwd=root))
    if "check" in available:
        commands.append(bench.pipeline("idpo check --no-spellcheck", "check", "--no-spellcheck", "--root", ".",
                                       cwd=root, any_status=True))
        if not bench.quick:  # the first spell check of a source takes long: not for a smoke run
            commands.append(bench.pipeline("idpo check (spell-check cache warm)", "check", "--root", ".",
                                           cwd=root, any_status=True))
            cold = _seed_project(bench.work / "seed-cold")
            cold_cache = cold / ".cache" / "spellcheck-id.json"
            commands.append(bench.pipeline("idpo check (spell-check cache cold)", "check", "--root", ".", cwd=cold,
                                           any_status=True, prepare=lambda: cold_cache.unlink(missing_ok=True)))
    results = bench.compare(commands)
    base = results["python -c pass"]
    rows = [[name, seconds(r.wall), ratio(r.wall, base.wall), seconds(r.cpu), f"{r.peak_rss_mb:.0f}"]
            for name, r in results.items()]
    rows += [[f"idpo {name}", "pending: command not built yet", "", "", ""]
             for name in ("stats", "check") if name not in available]
    return "\n".join([
        "## 5. Start-up\n",
        ("On the seed document (`source/bali-process.txt`, its catalogs freshly extracted and untranslated). "
         "`check` also spell-checks the Indonesian source, with a cache of look-ups in `.cache/`; the cold "
         "row deletes that cache before each run.\n"),
        table(("command", "wall s", "÷ python -c pass", "CPU s", "peak RSS MB"), rows) + "\n",
    ])


def _seed_project(root: Path) -> Path:
    """A project holding the seed document, extracted and merged (untranslated)."""
    from pipeline.project import Project

    seed = ROOT / "source" / "bali-process.txt"
    workloads.write_sources(root, {"bali-process": seed.read_text(encoding="utf-8")})
    glossary = Project(ROOT).glossary_path
    if glossary.is_file():
        shutil.copy(glossary, Project(root).glossary_path)
    workloads.extract_template(root, "bali-process")
    workloads.translate_catalog(root, "bali-process", {})
    return root


def _subcommands(bench: Bench, root: Path) -> set[str]:
    done = subprocess.run([bench.python, "-m", "pipeline", "--help"], cwd=root, capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return set(re.findall(r"^    (\w[\w-]*)", done.stdout, re.MULTILINE))


# --- 6. memory -----------------------------------------------------------------

MEMORY_GOAL_MB = 500


def memory_section(bench: Bench) -> str:
    count = bench.sizes.memory_units
    pairs = workloads.variants(bench.single_sentences, bench.corpus.english, count + count // 50)
    english = dict(pairs)
    base, spare = [s for s, _ in pairs[:count]], [s for s, _ in pairs[count:]]
    revision = workloads.revise(base, spare, bench.corpus.vocabulary)
    root = bench.work / "memory"
    old_po, new_pot, translated = _translated_project(root, "memory", base, revision.sentences, english)
    po = root / "locales" / "en" / "LC_MESSAGES" / "memory.po"
    extract = bench.pipeline("extract", "extract", "--root", ".", cwd=root, prepare=lambda: new_pot.unlink())
    update = bench.pipeline("update", "update", "--root", ".", "memory", cwd=root,
                            prepare=lambda: shutil.copy(old_po, po))
    results = {**bench.compare([extract]), **bench.compare([update])}
    rows = [[name, seconds(r.wall), seconds(r.cpu), f"{r.peak_rss_mb:.0f}"] for name, r in results.items()]
    peak = max(r.peak_rss_mb for r in results.values())
    return "\n".join([
        "## 6. Memory on a large catalog\n",
        (f"Workload: {count:,} distinct sentences (the corpus repeated with numbered phrases in front), "
         f"{translated:,} with a reviewed translation, revised as in section 2 "
         f"({len(revision.edits):,} edited, {len(revision.deleted):,} deleted, "
         f"{len(revision.inserted):,} inserted).\n"),
        table(("stage", "wall s", "CPU s", "peak RSS MB"), rows) + "\n",
        f"Goal: peak RSS ≤ {MEMORY_GOAL_MB} MB: {verdict(peak <= MEMORY_GOAL_MB)} ({peak:.0f} MB).\n",
    ])


# --- 7. profile ------------------------------------------------------------------


def profile_section(bench: Bench) -> str:
    import profile_stages

    root = bench.work / "profile"
    sentences = list(bench.corpus.sentences[: bench.sizes.large_sentences])
    workloads.write_sources(root, {"large": workloads.hard_wrapped(sentences)})
    count = bench.sizes.merge_units
    single = bench.single_sentences
    revision = workloads.revise(single[:count], single[count:], bench.corpus.vocabulary)
    old_po, new_pot, _ = _translated_project(root, "merge", single[:count], revision.sentences, bench.corpus.english)
    parts = ["## 7. Where the time goes (cProfile, one in-process run)\n"]
    for title, stats in (
        (f"extract, one large document ({len(sentences):,} sentences)",
         profile_stages.profile_extract(root / "source" / "large.txt")),
        (f"update, the merge workload ({count:,} units)", profile_stages.profile_update(new_pot, old_po)),
    ):
        parts += [f"### {title}\n", profile_stages.summary(stats) + "\n"]
    return "\n".join(parts)


# --- the report ------------------------------------------------------------------

SECTION_FUNCTIONS: dict[str, Callable[[Bench], str]] = {
    "extract": extraction,
    "merge": merge_section,
    "mt": mt_section,
    "incremental": incremental_section,
    "startup": startup_section,
    "memory": memory_section,
    "profile": profile_section,
}


def machine_notes(load_at_start: tuple[float, float, float], note: str | None) -> str:
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    load = ", ".join(f"{value:.2f}" for value in load_at_start)
    end = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    lines = [
        "## Machine\n",
        f"- CPU: {_cpu_model()}, {cores} cores ({usable} usable by this process); memory {_memory_gb():.0f} GB",
        f"- load average (1, 5, 15 min) at start: {load}; at end: {end}",
        f"- {platform.platform()}, Python {platform.python_version()}",
        (f"- peers: {tool_version([tool('txt2po') or 'txt2po', '--version'])}; "
         f"{tool_version([tool('po4a-updatepo') or 'po4a-updatepo', '--version'])}; "
         f"{tool_version([tool('msgmerge') or 'msgmerge', '--version'])}"),
        "- wall time: perf_counter around each process; CPU (user + system) and peak RSS: "
        + ("GNU time" if not measure.RSS_IS_FLOOR else "os.wait4 (no /usr/bin/time: each peak RSS is at least "
           "the bench's own, a floor, not a figure)"),
        ("- The machine may be shared: a load average above the core count means other jobs competed for "
         "the CPUs, which slows and spreads wall times; CPU seconds are less affected. Tools of a section "
         "were measured alternately, so they shared the same conditions."),
    ]
    if note:
        lines.append(f"- {note}")
    return "\n".join(lines) + "\n"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gb() -> float:
    try:
        found = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        return int(found.group(1)) / 1024**2 if found else 0.0
    except OSError:
        return 0.0


def command_line(argv: Sequence[str]) -> str:
    python = Path(sys.executable)
    try:
        python = python.relative_to(ROOT)
    except ValueError:
        pass
    return shlex.join([str(python), "bench/run.py", *argv])


def git_revision() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    return done.stdout.strip() or "unknown"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=workloads.DEFAULT_CORPUS,
                        help="folder of *.id (and *.en) files (default: ../shared/corpora/train)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="Markdown file to write")
    parser.add_argument("--quick", action="store_true",
                        help="tiny workloads, one run and no warm-up: checks the bench works, measures nothing")
    parser.add_argument("--runs", type=int, help="measured runs per figure (default 5; 1 with --quick)")
    parser.add_argument("--warmup", type=int, help="unmeasured runs first (default 1; 0 with --quick)")
    parser.add_argument("--only", action="append", choices=SECTIONS, help="run this section only (repeatable)")
    parser.add_argument("--workdir", type=Path, help="build workloads here and keep them (default: a temporary folder)")
    parser.add_argument("--note", help="a line added to the machine notes")
    parser.add_argument("--argosmodel", type=Path,
                        help="an id->en .argosmodel for the MT sections (default: the tiny test model, built offline)")
    args = parser.parse_args(argv)
    args.runs = args.runs or (1 if args.quick else 5)
    args.warmup = args.warmup if args.warmup is not None else (0 if args.quick else 1)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    load_at_start = os.getloadavg()
    try:
        corpus = workloads.load_corpus(args.corpus)
    except workloads.CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    sizes = QUICK if args.quick else FULL
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        work = args.workdir or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        bench = Bench(corpus, work.resolve(), sizes, args.runs, args.warmup, sys.executable, args.argosmodel)
        sections = []
        for name in args.only or SECTIONS:
            print(f"bench: {name} ...", file=sys.stderr, flush=True)
            try:
                sections.append(SECTION_FUNCTIONS[name](bench))
            except measure.CommandFailed as error:
                failed = True
                sections.append(f"## {name}\n\nFAILED: {error}\n")
                print(f"error: {error}", file=sys.stderr)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = [
        "# Benchmark results\n",
        f"Written by `{command_line(argv)}` (`make bench`) on {stamp}, commit {git_revision()}. "
        f"Every figure is the median of {args.runs} run(s) after {args.warmup} warm-up run(s); each run is a "
        "fresh process, so start-up counts. \"÷ pipeline\" is a tool's wall time divided by the pipeline's."
        + (" **Quick run: tiny workloads, not a measurement.**" if args.quick else "") + "\n",
        machine_notes(load_at_start, args.note),
    ]
    args.output.write_text("\n".join(header + sections), encoding="utf-8")
    print(f"bench: wrote {args.output}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
