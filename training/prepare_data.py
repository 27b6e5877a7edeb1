"""Prepare the id->en training corpus: normalise, deduplicate, filter, split.

Reads every `<name>.id` / `<name>.en` pair in the corpus directory, and writes
`train.id|en`, `dev.id|en` (with `.corpus`: each line's corpus name) and
`data_stats.json` into the work directory.

FLORES-200 devtest is the public benchmark: if its path is given, any pair
whose source or target line appears in it is dropped (decontamination only;
it is never used for training or model selection).
"""

import argparse
import json
import random
import re
import unicodedata
from pathlib import Path

MAX_CHARS = 400
MAX_RATIO = 3.0
RATIO_MIN_CHARS = 12  # very short pairs ("Ya." / "Yes.") are left out of the ratio test
MIN_LATIN_SHARE = 0.9
DEV_SIZE = 500
DEV_SOURCES_EXCLUDED = {"wordnet-bahasa-definitions"}  # dev is sentences, not glosses

WHITESPACE = re.compile(r"\s+")


def normalise(line: str) -> str:
    """Unicode NFC and single spaces, so duplicates and SentencePiece see one form."""
    return WHITESPACE.sub(" ", unicodedata.normalize("NFC", line)).strip()


def latin_share(text: str) -> float:
    """Share of the letters that are Latin script (both sides should be)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    latin = sum(1 for ch in letters if "LATIN" in unicodedata.name(ch, ""))
    return latin / len(letters)


def rejection_reason(src: str, tgt: str) -> str | None:
    """Why a pair is filtered out, or None when it is kept."""
    if not src or not tgt:
        return "empty"
    if len(src) > MAX_CHARS or len(tgt) > MAX_CHARS:
        return "too_long"
    longer, shorter = max(len(src), len(tgt)), min(len(src), len(tgt))
    if longer >= RATIO_MIN_CHARS and longer / shorter > MAX_RATIO:
        return "length_ratio"
    if latin_share(src) < MIN_LATIN_SHARE or latin_share(tgt) < MIN_LATIN_SHARE:
        return "script"
    return None


def read_pairs(corpus_dir: Path) -> list[tuple[str, str, str]]:
    """(corpus name, source, target) for every line of every parallel file."""
    pairs = []
    for src_path in sorted(corpus_dir.glob("*.id")):
        tgt_path = src_path.with_suffix(".en")
        src_lines = src_path.read_text(encoding="utf-8").splitlines()
        tgt_lines = tgt_path.read_text(encoding="utf-8").splitlines()
        if len(src_lines) != len(tgt_lines):
            raise SystemExit(f"{src_path}: {len(src_lines)} lines but {tgt_path} has {len(tgt_lines)}")
        pairs += [(src_path.stem, s, t) for s, t in zip(src_lines, tgt_lines, strict=True)]
    return pairs


def benchmark_lines(paths: list[Path]) -> set[str]:
    lines = set()
    for path in paths:
        if path.exists():
            lines |= {normalise(line) for line in path.read_text(encoding="utf-8").splitlines()}
    return lines


def clean(pairs, banned: set[str]) -> tuple[list[tuple[str, str, str]], dict[str, int]]:
    kept, seen, counts = [], set(), {}
    for corpus, raw_src, raw_tgt in pairs:
        src, tgt = normalise(raw_src), normalise(raw_tgt)
        reason = rejection_reason(src, tgt)
        if reason is None and (src in banned or tgt in banned):
            reason = "benchmark_overlap"
        if reason is None and (src, tgt) in seen:
            reason = "duplicate"
        if reason:
            counts[reason] = counts.get(reason, 0) + 1
            continue
        seen.add((src, tgt))
        kept.append((corpus, src, tgt))
    return kept, counts


def split_dev(pairs, seed: int):
    """Random dev set from sentence corpora; no dev source line also occurs in train."""
    rng = random.Random(seed)
    candidates = [i for i, (corpus, _, _) in enumerate(pairs) if corpus not in DEV_SOURCES_EXCLUDED]
    dev_index = set(rng.sample(candidates, DEV_SIZE))
    dev = [pairs[i] for i in sorted(dev_index)]
    dev_sources = {src for _, src, _ in dev}
    train = [p for i, p in enumerate(pairs) if i not in dev_index and p[1] not in dev_sources]
    return train, dev


def write_side(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus-dir", type=Path, default=Path("../shared/corpora/train"))
    parser.add_argument("--benchmark", type=Path, nargs="*",
                        default=[Path("../shared/eval/flores200-devtest.id"),
                                 Path("../shared/eval/flores200-devtest.en")])
    parser.add_argument("--work-dir", type=Path, default=Path("training/work"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    pairs = read_pairs(args.corpus_dir)
    if not pairs:
        raise SystemExit(f"{args.corpus_dir}: no *.id/*.en files found")
    kept, rejected = clean(pairs, benchmark_lines(args.benchmark))
    train, dev = split_dev(kept, args.seed)
    rng = random.Random(args.seed)
    rng.shuffle(train)

    args.work_dir.mkdir(parents=True, exist_ok=True)
    for name, split in (("train", train), ("dev", dev)):
        write_side(args.work_dir / f"{name}.id", [src for _, src, _ in split])
        write_side(args.work_dir / f"{name}.en", [tgt for _, _, tgt in split])
        write_side(args.work_dir / f"{name}.corpus", [corpus for corpus, _, _ in split])
    per_corpus = {}
    for corpus, _, _ in train:
        per_corpus[corpus] = per_corpus.get(corpus, 0) + 1
    stats = {"read": len(pairs), "rejected": rejected, "train": len(train), "dev": len(dev),
             "train_per_corpus": per_corpus}
    (args.work_dir / "data_stats.json").write_text(json.dumps(stats, indent=2) + "\n")
    print(json.dumps(stats, indent=2))


if __name__ == "__main__":
    main()
