"""Commands of the core stages: segment, extract, update, english."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline import stages
from pipeline.cli.common import (
    add_document_options,
    add_project_options,
    counted,
    project_of,
    read,
    say,
    whole_number,
    writing,
)
from pipeline.errors import IncompleteError
from pipeline.wording import are, count

ORDER = 10


def register(commands: argparse._SubParsersAction) -> None:
    segment = commands.add_parser("segment", help="print a document's sentences, blocks separated by blank lines")
    segment.add_argument("file", type=Path, metavar="FILE", help="a .txt, .md or .html file")
    add_document_options(segment, many=False)
    segment.set_defaults(handler=run_segment, root=Path.cwd(), language="en")

    extract = commands.add_parser("extract", help="write locales/<doc>.pot from source/<doc>.*")
    add_project_options(extract)
    add_document_options(extract)
    extract.set_defaults(handler=run_extract)

    update = commands.add_parser("update", help="create or merge locales/<lang>/LC_MESSAGES/<doc>.po from the .pot")
    add_project_options(update)
    update.add_argument("documents", nargs="*", metavar="DOC", help="document by name or path (default: all)")
    update.add_argument("--purge", action="store_true", help="drop obsolete units (#~) instead of keeping them")
    update.set_defaults(handler=run_update)

    english = commands.add_parser("english", help="render build/<lang>/<doc>.* from the catalogs")
    add_project_options(english)
    add_document_options(english)
    english.add_argument("--strict", action="store_true",
                         help="refuse each document not fully reviewed (the others are still rendered)")
    english.add_argument("--keep", type=whole_number(0, 100), default=0, metavar="N",
                         help="refuse a document where under N%% of sentences have a person's English "
                         "(reviewed, or translated not reviewed yet)")
    english.add_argument("--keep-counts-drafts", action="store_true",
                         help="with --keep, count unreviewed MT drafts as English too (the old behaviour)")
    english.add_argument("--mark-untranslated", action="store_true",
                         help="wrap sentences left in Indonesian in [[id: …]]")
    english.add_argument("--width", type=whole_number(0), default=80,
                         help="wrap plain-text paragraphs (0: one line each)")
    english.set_defaults(handler=run_english)


def run_segment(args: argparse.Namespace) -> int:
    from pipeline.document import format_segments

    document = read(project_of(args), args.file, args)
    sys.stdout.write(format_segments(document))
    return 0


# extract, update and english read and check every document before they
# write anything, so one bad input stops the run with nothing half done.


def run_extract(args: argparse.Namespace) -> int:
    project = project_of(args)
    documents = [read(project, path, args) for path in counted(project.select(args.documents), "extract: reading")]
    with stages.locked(project, [project.pot_path(document.domain) for document in documents]):
        for document in documents:
            template = stages.extract(document)
            target = project.pot_path(document.domain)
            changed = stages.save(project, template, target)
            say(f"{project.display_path(target)}: {count(len(template), 'unit')}{'' if changed else ' (unchanged)'}")
    return 0


def run_update(args: argparse.Namespace) -> int:
    project = project_of(args)
    domains = [Path(path).stem for path in project.select(args.documents)]
    with stages.locked(project, [project.po_path(domain) for domain in domains]):
        _update(project, domains, args.purge)
    return 0


def _update(project, domains: list[str], purge: bool) -> None:
    """Merge every catalog before writing any: a broken one stops the run with nothing half done."""
    merged_catalogs = [(domain, *stages.merge_catalog(project, domain, purge=purge))
                       for domain in counted(domains, "update: merging")]
    for domain, merged, report in merged_catalogs:
        po = project.po_path(domain)
        changed = stages.save(project, merged, po)
        say(
            f"{project.display_path(po)}: {report.kept} kept, {report.fuzzy} fuzzy, {report.new} new, "
            f"{report.revived} revived, {report.obsolete} obsolete, {report.dropped_drafts} stale MT drafts dropped"
            f"{'' if changed else ' (unchanged)'}"
        )


def run_english(args: argparse.Namespace) -> int:
    from pipeline.catalog import State
    from pipeline.fileio import write_if_changed
    from pipeline.render import RenderOptions, render

    project = project_of(args)
    options = RenderOptions(args.mark_untranslated, args.strict, args.keep, args.width, args.keep_counts_drafts)
    rendered, refused = [], []
    for path in counted(project.select(args.documents), "english: rendering"):
        document = read(project, path, args)
        catalog = stages.load_translation(project, document.domain)
        try:
            rendered.append((project.output_path(path), render(document, catalog, options)))
        except IncompleteError as refusal:  # a policy, not broken input: the complete documents still render
            refused.append((project.output_path(path), refusal))
    for target, result in rendered:
        shown = project.display_path(target)
        with writing(shown):
            write_if_changed(target, result.data)  # an HTML page in its own encoding
        counts = ", ".join(f"{result.states[s]} {s}" for s in State)
        say(f"{shown}: {count(result.total, 'sentence')}: {counts}")
        if drafts := result.states[State.MT_DRAFT]:
            say(f"  note: {count(drafts, 'sentence')} {are(drafts)} unreviewed machine "
                f"{'draft' if drafts == 1 else 'drafts'}")
        if translated := result.states[State.TRANSLATED]:
            say(f"  note: {count(translated, 'sentence')} {are(translated)} not reviewed yet (a person's translation)")
        if changed := result.states[State.NEEDS_UPDATE]:
            say(f"  note: {count(changed, 'sentence')} changed in the source since their "
                "translation: shown in Indonesian until a reviewer updates them (make review)")
    for target, incomplete in refused:
        say(f"error: {incomplete}")
        if target.is_file():  # an earlier rendering would publish what the policy holds back
            with writing(project.display_path(target)):
                target.unlink()
            say(f"  removed {project.display_path(target)}, an earlier rendering of that document")
    return IncompleteError.exit_code if refused else 0
