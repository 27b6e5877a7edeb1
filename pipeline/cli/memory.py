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
        "Units marked <prop type=\"x-state\"> other than reviewed count as not reviewed.")
    add_project_options(load)
    load.add_argument("file", type=Path, metavar="FILE.tmx")
    load.set_defaults(handler=run_tm_import)


def run_tm_import(args: argparse.Namespace) -> int:
    from pipeline.errors import InputError
    from pipeline.fileio import read_input, write_atomic
    from pipeline.lock import file_lock
    from pipeline.memory import TM_DIR, read_tmx

    project = project_of(args)
    shown = project.display_path(args.file)
    data = read_input(args.file, shown)
    memories = read_tmx(args.file, shown, target=project.language)
    if not memories:
        raise InputError(f"no translation unit with both an Indonesian and an {project.language} variant", shown)
    target = project.locales_dir / TM_DIR / f"{args.file.stem}.tmx"
    with file_lock(target, shown=project.display_path(target)), writing(project.display_path(target)):
        write_atomic(target, data)
    reviewed = sum(memory.reviewed for memory in memories)
    say(f"{project.display_path(target)}: {count(len(memories), 'pair')} ({reviewed} reviewed); "
        "`make translate` fills exact matches from it, the review page suggests close ones")
    return 0
