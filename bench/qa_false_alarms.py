"""How often does each QA check fire on translations people made and published?

    .venv/bin/python bench/qa_false_alarms.py                  # writes bench/QA_FALSE_ALARMS.md
    .venv/bin/python bench/qa_false_alarms.py --pairs 500 --output /tmp/qa.md

The training corpora (`../shared/corpora/train`) are human translations
published by their projects (news, documentation, help, Wikipedia, Bible,
Tatoeba). Taken as reviewed units, nearly every finding on them is a false
alarm: a check that fires there would block or distract reviewers. Each
error-level check should stay under 1 %. Pairs are sampled evenly from each
corpus except the WordNet glosses (definitions, not translations of one
another's sentences), with a fixed seed.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

from pipeline.catalog import Catalog  # noqa: E402
from pipeline.qa import CHECKS, ERROR, check_unit  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora" / "train"
LEFT_OUT = {"wordnet-bahasa-definitions"}
GOAL = 0.01  # error-level checks


def sample_pairs(total: int, seed: int = 1) -> list[tuple[str, str, str]]:
    """(corpus, Indonesian, English), ``total`` spread evenly over the corpora."""
    corpora = sorted(p.stem for p in CORPORA.glob("*.id") if p.stem not in LEFT_OUT)
    rng = random.Random(seed)
    per_corpus = max(1, total // len(corpora))
    pairs = []
    for name in corpora:
        sources = (CORPORA / f"{name}.id").read_text(encoding="utf-8").splitlines()
        targets = (CORPORA / f"{name}.en").read_text(encoding="utf-8").splitlines()
        chosen = rng.sample(range(len(sources)), min(per_corpus, len(sources)))
        pairs += [(name, sources[i].strip(), targets[i].strip()) for i in chosen if sources[i].strip()]
    return pairs


def findings_of(pairs: list[tuple[str, str, str]]) -> tuple[Counter, dict[str, list[tuple[str, str, str]]]]:
    counts: Counter = Counter()
    examples: dict[str, list[tuple[str, str, str]]] = {}
    for corpus, source, target in pairs:
        catalog = Catalog.new("qa-bench", language="en")
        unit = catalog.add(source, msgstr=target)
        for check in {f.check: f for f in check_unit(unit, ())}.values():
            counts[check.check] += 1
            examples.setdefault(check.check, []).append((corpus, source, check.message))
    return counts, examples


def report(pairs: list[tuple[str, str, str]], counts: Counter, examples: dict) -> str:
    total = len(pairs)
    lines = ["# QA checks on published human translations", "",
             f"Made by `.venv/bin/python bench/qa_false_alarms.py --pairs {total}`: {total} pairs from "
             f"{len({c for c, _, _ in pairs})} corpora of `../shared/corpora/train`, each checked as a reviewed "
             "unit (no glossary). Every finding here is presumed a false alarm.", "",
             "| check | severity | pairs flagged | rate | goal |", "|---|---|---|---|---|"]
    for name, check in sorted(CHECKS.items(), key=lambda item: (-counts[item[0]], item[0])):
        rate = counts[name] / total
        goal = ("< 1 %: met" if rate < GOAL else "< 1 %: NOT met") if check.severity == ERROR else ""
        lines.append(f"| {name} | {check.severity} | {counts[name]} | {rate:.1%} | {goal} |")
    lines += ["", "## Examples (first three per check)", ""]
    for name in sorted(examples, key=lambda n: -counts[n]):
        lines.append(f"- **{name}**")
        lines += [f"  - {corpus}: {source[:120]} — *{message[:160]}*" for corpus, source, message in examples[name][:3]]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3000)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "QA_FALSE_ALARMS.md")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        raise SystemExit(f"{CORPORA}: not found (the shared corpora sit beside the project)")
    pairs = sample_pairs(args.pairs)
    text = report(pairs, *findings_of(pairs))
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
