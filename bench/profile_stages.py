"""Profile extract and update in process with cProfile.

    .venv/bin/python bench/profile_stages.py extract source/bali-process.txt
    .venv/bin/python bench/profile_stages.py update locales/x.pot locales/en/LC_MESSAGES/x.po

The update profile merges into memory and renders the text but writes
nothing, so the catalog on disk stays as it was. ``summary`` groups the time
by module (where to look) and lists the functions that spend most of it
themselves (what to change).
"""

from __future__ import annotations

import cProfile
import pstats
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

TOP = 10


def profile_extract(source: Path) -> pstats.Stats:
    """read_document + extract + the POT's text, as ``idpo extract`` does them."""
    from pipeline.extract import extract
    from pipeline.reader import read_document

    def work() -> None:
        document = read_document(Path(source))
        extract([document], document.domain).to_text()

    return _profile(work)


def profile_update(template: Path, catalog: Path) -> pstats.Stats:
    """load both catalogs + merge + the merged catalog's text, as ``idpo update`` does them."""
    from pipeline.catalog import load_catalog
    from pipeline.update import merge

    def work() -> None:
        merged, _ = merge(load_catalog(Path(template)), load_catalog(Path(catalog)), language="en")
        merged.to_text()

    return _profile(work)


def _profile(work) -> pstats.Stats:
    profiler = cProfile.Profile()
    profiler.runcall(work)
    return pstats.Stats(profiler)


def summary(stats: pstats.Stats, top: int = TOP) -> str:
    """Two Markdown tables: own time per module, and the top functions by own time."""
    entries = stats.stats  # (file, line, function) -> (primitive calls, calls, own, cumulative, callers)
    total = sum(own for _, _, own, _, _ in entries.values()) or 1.0
    by_module: dict[str, float] = defaultdict(float)
    for (file, _, _), (_, _, own, _, _) in entries.items():
        by_module[_module(file)] += own
    modules = sorted(by_module.items(), key=lambda item: -item[1])[:top]
    functions = sorted(entries.items(), key=lambda item: -item[1][2])[:top]
    lines = [f"Total {total:.2f} s under the profiler.\n", "| module | own time s | share |", "|---|---|---|"]
    lines += [f"| {name} | {own:.2f} | {own / total:.0%} |" for name, own in modules]
    lines += ["", "| function | calls | own time s | share | with callees s |", "|---|---|---|---|---|"]
    for (file, line, function), (_, calls, own, cumulative, _) in functions:
        lines.append(f"| `{_module(file)}:{line} {function}` | {calls:,} | {own:.2f} | "
                     f"{own / total:.0%} | {cumulative:.2f} |")
    return "\n".join(lines)


def _module(file: str) -> str:
    """``pipeline/reader.py``, ``polib.py``, ``re/__init__.py``, ``(built-in)``."""
    if file == "~":
        return "(built-in)"
    path = Path(file)
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        pass
    parts = path.parts
    if "site-packages" in parts:
        return Path(*parts[parts.index("site-packages") + 1 :]).as_posix()
    stdlib = [i for i, part in enumerate(parts) if part.startswith("python3")]
    return Path(*parts[stdlib[-1] + 1 :]).as_posix() if stdlib else path.name


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "extract":
        stats = profile_extract(Path(argv[1]))
    elif len(argv) == 3 and argv[0] == "update":
        stats = profile_update(Path(argv[1]), Path(argv[2]))
    else:
        print("usage: profile_stages.py extract SOURCE | update POT PO", file=sys.stderr)
        return 2
    print(summary(stats, top=25))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
