"""Commands of the translation memory: tm import (tm export is `idpo tmx`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.cli.common import add_project_options, project_of, say, writing
from pipeline.wording import count

ORDER = 45


def register(commands: argparse._SubParsersAction) -> None:
    memory = commands.add_parser("tm", help="the translation memory that translate fills sentences from")
    actions = memory.add_subparsers(dest="action", metavar="ACTION", required=True)
    load = actions.add_parser(
        "import", help="add a TMX file (Indonesian -> English pairs) to the project's memory, locales/tm/",
        description="Check a TMX file and keep a copy in locales/tm/, where every later `translate` (exact "
        "matches, as translated-not-reviewed units) and the review page (fuzzy suggestions) use it. "
        "A unit marked <prop type=\"x-state\">translated</prop> counts as not reviewed; units marked as MT drafts, "
        "units with inline codes (<bpt>, <ph>...) and units without both texts are left out and counted.")
    add_project_options(load)
    load.add_argument("file", type=Path, metavar="FILE.tmx")
    load.add_argument("--replace", action="store_true",
                      help="replace a memory already imported under the same file name")
    load.set_defaults(handler=run_tm_import)


def run_tm_import(args: argparse.Namespace) -> int:
    from pipeline.errors import InputError
    from pipeline.fileio import read_input, write_atomic
    from pipeline.lock import file_lock
    from pipeline.memory import TM_DIR, read_tmx

    project = project_of(args)
    shown = project.display_path(args.file)
    data = read_input(args.file, shown)
    reading = read_tmx(data, shown, target=project.language)
    if not reading.memories:
        raise InputError(f"no usable translation unit ({_left_out(reading.skipped) or 'the file has none'})", shown)
    target = project.locales_dir / TM_DIR / f"{args.file.stem}.tmx"
    kept = project.display_path(target)
    with file_lock(target, shown=kept), writing(kept):
        if target.is_file() and target.read_bytes() != data and not args.replace:
            raise InputError(f"{kept} holds another memory of that name; rename the file, or pass --replace", shown)
        write_atomic(target, data)
    reviewed = sum(memory.reviewed for memory in reading.memories)
    say(f"{kept}: {count(len(reading.memories), 'pair')} ({reviewed} reviewed); "
        "`make translate` fills exact matches from it, the review page suggests close ones")
    if reading.skipped:
        say(f"  note: left out {_left_out(reading.skipped)}")
    return 0


def _left_out(skipped) -> str:
    return ", ".join(f"{count(number, 'unit')} {reason}" for reason, number in skipped.most_common())
