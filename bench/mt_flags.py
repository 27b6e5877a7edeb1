"""Does `mt-degenerate` catch the worst machine drafts? Measured, and its score floor chosen.

    .venv/bin/python bench/mt_flags.py                      # shipped model; writes bench/MT_FLAGS.md
    .venv/bin/python bench/mt_flags.py --output /tmp/f.md --limit 200

Every sentence of each test set is drafted by the MT stage exactly as
`make translate` drafts it (masking, the shipped model, the repetition guard),
then scored against its reference with sacrebleu's sentence chrF. "Worst"
means the bottom decile by sentence chrF. The score floor of the check is
chosen on the training recipe's dev split (the F1 of "flagged" against
"worst"), never on FLORES-200 devtest, which is only reported. The shipped
document has no reference: its flagged drafts are listed instead.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

import sacrebleu  # noqa: E402

from pipeline import qa, stages  # noqa: E402
from pipeline.catalog import Catalog  # noqa: E402
from pipeline.mt.models import ModelStore  # noqa: E402
from pipeline.project import Project  # noqa: E402

SETS = {  # name: path prefix of .id/.en files
    "recipe dev split (chooses the floor)": ROOT / "training" / "work" / "dev",
    "FLORES-200 devtest": ROOT.parent / "shared" / "eval" / "flores200-devtest",
}
FLOORS = (-0.5, -0.6, -0.7, -0.8, -0.9, -1.0, -1.1, -1.2, -1.4)
WORST_SHARE = 0.1


@dataclass(frozen=True)
class Draft:
    source: str
    text: str
    score: float | None
    chrf: float | None  # against the reference, when there is one


def drafts_of(package: Path, sources: Sequence[str], references: Sequence[str] | None,
              glossary: Path | None = None) -> list[Draft]:
    """Each source drafted by the MT stage in a scratch project with ``package`` (and ``glossary``) installed."""
    catalog = Catalog.new("bench", language="en")
    unique = list(dict.fromkeys(sources))
    for source in unique:
        catalog.add(source)
    with tempfile.TemporaryDirectory(prefix="mt-flags-") as scratch:
        project = Project(Path(scratch))
        ModelStore(project.root).install_file(package)
        if glossary is not None and glossary.is_file():
            project.locales_dir.mkdir()
            project.glossary_path.write_bytes(glossary.read_bytes())
        with stages.open_mt(project) as mt:
            mt.draft(catalog)
    reference_of = dict(zip(sources, references, strict=True)) if references else {}
    drafts = []
    for unit in catalog.units():
        reference = reference_of.get(unit.msgid)
        chrf = sacrebleu.sentence_chrf(unit.msgstr, [reference]).score if reference is not None else None
        drafts.append(Draft(unit.msgid, unit.msgstr, unit.mt.score if unit.mt else None, chrf))
    return drafts


def flagged(draft: Draft, floor: float) -> list[str]:
    qa_floor, qa.MT_SCORE_FLOOR = qa.MT_SCORE_FLOOR, floor
    try:
        return qa.degenerate_reasons(draft.source, draft.text, draft.score)
    finally:
        qa.MT_SCORE_FLOOR = qa_floor


def catch(drafts: list[Draft], floor: float) -> dict:
    ranked = sorted(drafts, key=lambda d: d.chrf if d.chrf is not None else 0.0)
    worst = {id(d) for d in ranked[: max(1, round(len(ranked) * WORST_SHARE))]}
    flags = {id(d) for d in drafts if flagged(d, floor)}
    hits = len(worst & flags)
    recall, precision = hits / len(worst), (hits / len(flags) if flags else 0.0)
    f1 = 2 * recall * precision / (recall + precision) if hits else 0.0
    return {"floor": floor, "flagged": len(flags), "share": len(flags) / len(drafts), "recall": recall,
            "precision": precision, "f1": f1}


def reasons_count(drafts: list[Draft], floor: float) -> Counter:
    counts: Counter = Counter()
    for draft in drafts:
        for reason in flagged(draft, floor):
            counts[reason.split(" (")[0].split(" is ")[0]] += 1
    return counts


def report(package: Path, limit: int | None) -> str:
    lines = [f"# Does `mt-degenerate` catch the worst drafts? (`{package.name}`)", "",
             f"Made by `.venv/bin/python bench/mt_flags.py{f' --limit {limit}' if limit else ''}`. "
             f"Worst = the bottom {WORST_SHARE:.0%} of drafts by sentence chrF (sacrebleu). Recall: share of "
             "the worst drafts flagged; precision: share of flagged drafts among the worst.", ""]
    chosen = qa.MT_SCORE_FLOOR
    for name, prefix in SETS.items():
        if not prefix.with_suffix(".id").is_file():
            lines += [f"## {name}", "", f"not measured: {prefix}.id is missing", ""]
            continue
        sources = prefix.with_suffix(".id").read_text(encoding="utf-8").splitlines()[:limit]
        references = prefix.with_suffix(".en").read_text(encoding="utf-8").splitlines()[:limit]
        drafts = drafts_of(package, sources, references)
        rows = [catch(drafts, floor) for floor in FLOORS]
        if "chooses" in name:
            chosen = max(rows, key=lambda row: row["f1"])["floor"]
        lines += [f"## {name}: {len(drafts)} drafts", "",
                  "| score floor | flagged | share flagged | recall (worst flagged) | precision | F1 |",
                  "|---|---|---|---|---|---|"]
        for row in rows:
            mark = " (chosen)" if row["floor"] == chosen and "chooses" in name else ""
            lines.append(f"| {row['floor']}{mark} | {row['flagged']} | {row['share']:.0%} | {row['recall']:.0%} | "
                         f"{row['precision']:.0%} | {row['f1']:.2f} |")
        counts = reasons_count(drafts, chosen)
        lines += ["", f"Reasons at the floor {chosen}: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()), ""]
    lines += _shipped_document(package, chosen)
    return "\n".join(lines) + "\n"


def _shipped_document(package: Path, floor: float) -> list[str]:
    from pipeline.reader import read_document

    source = next(iter(sorted((ROOT / "source").glob("*.txt"))), None)
    if source is None:
        return []
    document = read_document(source, display_path=f"source/{source.name}")
    sentences = [segment.text for block in document.translatable_blocks() for segment in block.segments]
    drafts = drafts_of(package, sentences, None, Project(ROOT).glossary_path)  # as `make translate` drafts it
    flagged_drafts = [(d, flagged(d, floor)) for d in drafts if flagged(d, floor)]
    lines = [f"## The shipped document, `source/{source.name}`: {len(flagged_drafts)} of {len(drafts)} drafts "
             f"flagged (floor {floor})", ""]
    lines += [f"- {d.text} — *{'; '.join(reasons)}*" for d, reasons in flagged_drafts]
    return lines + [""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--argosmodel", type=Path, help="default: the shipped models/*.argosmodel")
    parser.add_argument("--limit", type=int, help="first N sentences of each set (a quick run)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "MT_FLAGS.md")
    args = parser.parse_args()
    package = args.argosmodel or max((ROOT / "models").glob("translate-id_en-*.argosmodel"))
    text = report(package, args.limit)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
