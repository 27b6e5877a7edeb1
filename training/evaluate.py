"""Evaluate the packaged model: sacrebleu chrF/BLEU, copy-source baseline, speed.

Scores the shipped artefact itself, two ways:

- through the MT stage: the .argosmodel is installed into a scratch project
  and each sentence goes through the pipeline's own Masker and ArgosEngine
  (the settings of `make translate`: beam 4, length penalty 2.0, the
  repetition guard, placeholders for numbers and URLs, 2 CPU threads as on
  the project's machines). These are the headline figures;
- as Argos itself runs the package (int8, beam 4, length penalty 0.2, no
  masking, no guard), which also works where the pipeline is not installed
  (the GPU recipe's machine).

FLORES-200 devtest is used here and only here; the recipe's held-out dev
split is scored beside it.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import ctranslate2
import sacrebleu
import sentencepiece as spm

STAGE_CHUNK = 64  # sentences per engine call, as pipeline.translate sends them

BEAM_SIZE = 4
LENGTH_PENALTY = 0.2
MAX_BATCH_SIZE = 32
SAMPLES_SHOWN = 5


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def unpack(archive: Path, destination: Path) -> Path:
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(destination)
    (folder,) = [p for p in destination.iterdir() if p.is_dir()]
    return folder


def translate_with_the_mt_stage(archive: Path, sources: list[str], threads: int,
                                length_penalty: float | None = None) -> tuple[list[str], float]:
    """English for each line as `make translate` drafts it (or with another ``length_penalty``),
    and the wall time of translation alone."""
    from pipeline.mt.argos import DecodingOptions, Threads
    from pipeline.mt.engine import translate_chunks
    from pipeline.mt.masking import Masker, unmask
    from pipeline.mt.models import ModelStore

    options = DecodingOptions() if length_penalty is None else DecodingOptions(length_penalty=length_penalty)
    with tempfile.TemporaryDirectory() as project:
        store = ModelStore(Path(project))
        engine = store.open_engine(store.install_file(archive), threads=Threads.for_cores(threads), options=options)
        masked = [Masker().mask(source) for source in sources]
        order = sorted((i for i, m in enumerate(masked) if m.needs_engine), key=lambda i: len(masked[i].text))
        chunks = [[masked[i].text for i in order[first:first + STAGE_CHUNK]]
                  for first in range(0, len(order), STAGE_CHUNK)]
        start = time.perf_counter()
        raw = dict(zip(order, (t.text for chunk in translate_chunks(engine, chunks) for t in chunk), strict=True))
        seconds = time.perf_counter() - start
    return [unmask(raw.get(i, m.text), m).text for i, m in enumerate(masked)], seconds


def translate_as_argos(archive_or_folder: Path, sources: list[str], threads: int) -> tuple[list[str], float]:
    """English for each line as Argos runs the package, and the wall time of translation alone."""
    if archive_or_folder.is_dir():
        return translate(archive_or_folder, sources, threads)
    with tempfile.TemporaryDirectory() as scratch:
        return translate(unpack(archive_or_folder, Path(scratch)), sources, threads)


def translate(package: Path, sources: list[str], threads: int) -> tuple[list[str], float]:
    """English for each source line, and the wall time of translation alone (Argos's settings).

    Batches are formed by length and each may decode at most twice its
    longest input plus 16 pieces: a badly trained model can otherwise loop to
    256 pieces on every sentence, which only costs time (such output scores
    no better for being longer).
    """
    sp = spm.SentencePieceProcessor(model_file=str(package / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(package / "model"), device="cpu", compute_type="int8",
                                        intra_threads=threads)
    tokens = sp.encode(sources, out_type=str)
    order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
    hypotheses: list[list[str]] = [[] for _ in tokens]
    start = time.perf_counter()
    for first in range(0, len(order), MAX_BATCH_SIZE):
        batch = order[first:first + MAX_BATCH_SIZE]
        longest = max(len(tokens[i]) for i in batch)
        results = translator.translate_batch([tokens[i] for i in batch], beam_size=BEAM_SIZE,
                                             length_penalty=LENGTH_PENALTY, replace_unknowns=True,
                                             max_decoding_length=2 * longest + 16)
        for index, result in zip(batch, results, strict=True):
            hypotheses[index] = result.hypotheses[0]
    seconds = time.perf_counter() - start
    return [sp.decode(pieces) for pieces in hypotheses], seconds


def scores(hypotheses: list[str], references: list[str]) -> dict:
    return {"chrF": round(sacrebleu.corpus_chrf(hypotheses, [references]).score, 1),
            "BLEU": round(sacrebleu.corpus_bleu(hypotheses, [references]).score, 1)}


def evaluate_set(package: Path, source: Path, reference: Path, threads: int, how=translate_as_argos) -> dict:
    sources, references = read_lines(source), read_lines(reference)
    hypotheses, seconds = how(package, sources, threads)
    return {"sentences": len(sources), "model": scores(hypotheses, references),
            "copy_source_baseline": scores(sources, references),
            "sentences_per_second": round(len(sources) / seconds, 1),
            "samples": list(zip(sources, hypotheses, references, strict=True))[:SAMPLES_SHOWN]}


def report(archive: Path, results: dict, command: str, threads: int) -> str:
    size_mb = archive.stat().st_size / 1e6
    lines = [f"# Evaluation of `{archive.name}`", "",
             f"Generated by `{command}` (sacrebleu {sacrebleu.__version__}, "
             f"ctranslate2 {ctranslate2.__version__}, int8, beam {BEAM_SIZE}, {threads} CPU threads, "
             f"{platform.machine()}, load average at start {os.getloadavg()[0]:.1f}).", "",
             f"Package size: {size_mb:.1f} MB.", ""]
    for how, title in (("stage", "Through the MT stage (`make translate`'s masking, decoding and guard)"),
                       ("argos", "As Argos runs the package (no masking, no repetition guard)")):
        lines += [f"## {title}", "",
                  "| test set | sentences | chrF | BLEU | copy-source chrF | copy-source BLEU | sentences/s |",
                  "|---|---|---|---|---|---|---|"]
        for name, by_how in results.items():
            result = by_how[how]
            model, baseline = result["model"], result["copy_source_baseline"]
            lines.append(f"| {name} | {result['sentences']} | {model['chrF']} | {model['BLEU']} | "
                         f"{baseline['chrF']} | {baseline['BLEU']} | {result['sentences_per_second']} |")
        lines.append("")
    lines += ["Speed is translation wall time only (model loading excluded), on a machine shared with other "
              "jobs: treat it as a lower bound.", ""]
    for name, by_how in results.items():
        lines += [f"## First {SAMPLES_SHOWN} lines of {name} (MT stage)", ""]
        for source, hypothesis, reference in by_how["stage"]["samples"]:
            lines += [f"- id: {source}", f"  - model: {hypothesis}", f"  - reference: {reference}"]
        lines.append("")
    return "\n".join(lines)


def sweep_length_penalty(archive: Path, dev: Path, penalties: list[float], threads: int) -> str:
    """Dev-split chrF/BLEU through the MT stage for each length penalty (how the stage's was chosen)."""
    sources, references = read_lines(dev.with_suffix(".id")), read_lines(dev.with_suffix(".en"))
    lines = ["| length penalty (beam 4) | dev chrF | dev BLEU | length / references' |", "|---|---|---|---|"]
    for penalty in penalties:
        hypotheses, _ = translate_with_the_mt_stage(archive, sources, threads, penalty)
        found = scores(hypotheses, references)
        ratio = sum(map(len, hypotheses)) / sum(map(len, references))
        lines.append(f"| {penalty} | {found['chrF']} | {found['BLEU']} | {ratio:.2f} |")
        print(lines[-1], flush=True)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="default: the one models/*.argosmodel")
    parser.add_argument("--benchmark", type=Path, default=Path("../shared/eval/flores200-devtest"),
                        help="path prefix of the .id/.en benchmark files")
    parser.add_argument("--work-dir", type=Path, default=Path("training/work"))
    parser.add_argument("--output", type=Path, default=Path("models/EVAL.md"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sweep-length-penalty", metavar="LIST",
                        help="only score the dev split through the MT stage for each length penalty, "
                        "e.g. 0.2,1.0,2.0 (FLORES-200 is never used to choose)")
    args = parser.parse_args()
    archive = args.model or max(Path("models").glob("translate-id_en-*.argosmodel"))
    if args.sweep_length_penalty:
        penalties = [float(value) for value in args.sweep_length_penalty.split(",")]
        print(sweep_length_penalty(archive, args.work_dir / "dev", penalties, args.threads))
        return
    sets = {"FLORES-200 devtest": args.benchmark, "recipe dev split": args.work_dir / "dev"}
    ways = {"stage": translate_with_the_mt_stage, "argos": translate_as_argos}
    results = {name: {how: evaluate_set(archive, prefix.with_suffix(".id"), prefix.with_suffix(".en"),
                                        args.threads, way) for how, way in ways.items()}
               for name, prefix in sets.items() if prefix.with_suffix(".id").exists()}
    command = " ".join(["python", *sys.argv])
    args.output.write_text(report(archive, results, command, args.threads) + "\n", encoding="utf-8")
    summary = {name: {how: {k: v for k, v in result.items() if k != "samples"} for how, result in by_how.items()}
               for name, by_how in results.items()}
    args.output.with_suffix(".json").write_text(json.dumps(summary, indent=2) + "\n")
    print(args.output.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
