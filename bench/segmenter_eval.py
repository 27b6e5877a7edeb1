"""Measure the sentence splitter on UD Indonesian-GSD dev.

UD-GSD's sentences carry no document or paragraph marks, so runs of
``--group`` consecutive gold units (in file order) are joined with one space
into a paragraph, the paragraph is split, and each position between two
words is scored: a boundary the splitter puts there that is not gold is a
false positive, a gold boundary it misses is a false negative. Positions
between paragraphs are never scored.

Two golds are scored:

strict    the UD units as they are. Some units hold more than one sentence
          ("... Jepang. Hal ini ..."); a split there counts as a false
          positive.
adjusted  the UD units plus the sentence boundaries inside them that a
          person marked in the data file (lines whose id is "+"), so that
          a correct split inside a two-sentence unit is not held against
          the splitter.

Run: .venv/bin/python bench/segmenter_eval.py [--errors]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "ud-id-gsd-dev.txt"
DEFAULT_GROUP = 10
CONTINUATION = "+"

Unit = list[str]  # a gold unit: its sentences in the adjusted gold


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, name: str) -> str:
        return (
            f"{name:9} P={self.precision:.4f} R={self.recall:.4f} F1={self.f1:.4f}"
            f"  (tp={self.true_positives} fp={self.false_positives} fn={self.false_negatives})"
        )


def read_units(path: Path = DATA) -> list[Unit]:
    """Read the derived data file: ``sent_id TAB text``; '+' continues a unit."""
    units: list[Unit] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        sent_id, _, text = line.partition("\t")
        if not text or (sent_id == CONTINUATION and not units):
            raise ValueError(f"{path}:{number}: expected 'sent_id<TAB>text'")
        if sent_id == CONTINUATION:
            units[-1].append(text)
        else:
            units.append([text])
    return units


def read_conllu_units(path: Path) -> list[Unit]:
    """The ``# text =`` lines of a CoNLL-U file, one unit each (strict gold)."""
    prefix = "# text = "
    lines = path.read_text(encoding="utf-8").splitlines()
    return [[line[len(prefix) :]] for line in lines if line.startswith(prefix)]


def boundary_offsets(pieces: Iterable[str]) -> set[int]:
    """Offsets of the spaces between consecutive pieces joined by ' '."""
    offsets, position = set(), -1
    for piece in pieces:
        if position >= 0:
            offsets.add(position)
        position += len(piece) + 1
    return offsets


def score(
    units: list[Unit],
    split: Callable[[str], list[str]],
    group: int = DEFAULT_GROUP,
    adjusted: bool = False,
) -> Score:
    """Boundary precision/recall of ``split`` over paragraphs of ``group`` units."""
    result = Score()
    for start in range(0, len(units), group):
        chunk = units[start : start + group]
        sentences = [s for unit in chunk for s in unit] if adjusted else [" ".join(unit) for unit in chunk]
        text = " ".join(sentences)
        gold = boundary_offsets(sentences)
        found = boundary_offsets(split(text))
        result.true_positives += len(gold & found)
        result.false_positives += len(found - gold)
        result.false_negatives += len(gold - found)
        result.errors += [_describe("FP", text, at) for at in sorted(found - gold)]
        result.errors += [_describe("FN", text, at) for at in sorted(gold - found)]
    return result


def _describe(kind: str, text: str, at: int, width: int = 45) -> str:
    return f"{kind}: …{text[max(0, at - width) : at]} ‖ {text[at + 1 : at + 1 + width]}…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--errors", action="store_true", help="list every false positive and negative")
    add("--group", type=int, default=DEFAULT_GROUP, help="gold units per paragraph (default %(default)s)")
    add("--data", type=Path, default=DATA, help="derived data file (default: tests/data/ud-id-gsd-dev.txt)")
    add("--conllu", type=Path, help="score the strict gold straight from a .conllu file instead")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from pipeline.segmenter import split_sentences

    units = read_conllu_units(args.conllu) if args.conllu else read_units(args.data)
    golds = {"strict": False} if args.conllu else {"strict": False, "adjusted": True}
    print(f"{len(units)} gold units in paragraphs of {args.group}")
    for name, adjusted in golds.items():
        result = score(units, split_sentences, args.group, adjusted)
        print(result.line(name))
        if args.errors:
            print("\n".join(f"  {error}" for error in result.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
