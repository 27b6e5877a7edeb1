"""Commands of the bilingual outputs: bilingual, tmx, xliff export, xliff import."""

from __future__ import annotations

import argparse
from pathlib import Path, PurePath

from pipeline.cli.common import (
    add_document_options,
    add_project_options,
    project_of,
    read,
    say,
    writing,
)
from pipeline.errors import InputError
from pipeline.fileio import read_input
from pipeline.wording import count

ORDER = 50
BILINGUAL_DIR = "bilingual"  # under build/


def register(commands: argparse._SubParsersAction) -> None:
    bilingual = commands.add_parser(
        "bilingual",
        help="write build/bilingual/<doc>.html (side by side) and <doc>.md (Indonesian quoted, English below)",
    )
    add_project_options(bilingual)
    add_document_options(bilingual)
    bilingual.set_defaults(handler=run_bilingual)

    tmx = commands.add_parser("tmx", help="write build/bilingual/<doc>.tmx: reviewed units as TMX 1.4b")
    add_project_options(tmx)
    add_document_options(tmx)
    tmx.add_argument("--include-drafts", action="store_true",
                     help="also export translations not reviewed yet and MT drafts, marked by "
                     "<prop type=\"x-state\">translated / mt-draft</prop>")
    tmx.set_defaults(handler=run_tmx)

    xliff = commands.add_parser("xliff", help="exchange catalogs with CAT tools as XLIFF 2.0 (export, import)")
    actions = xliff.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write build/bilingual/<doc>.xlf: every unit with its state")
    add_project_options(export)
    add_document_options(export)
    export.set_defaults(handler=run_xliff_export)
    load = actions.add_parser("import", help="bring translations from XLIFF files back into their .po")
    add_project_options(load)
    load.add_argument("files", nargs="+", type=Path, metavar="FILE", help="an XLIFF 2.0 file written by xliff export")
    load.add_argument("--doc", metavar="DOC",
                      help="the document the file is for, when its <file original> does not say")
    load.set_defaults(handler=run_xliff_import)


def run_bilingual(args: argparse.Namespace) -> int:
    from pipeline.bilingual import align, render_html, render_markdown, summary
    from pipeline.fileio import write_if_changed

    project = project_of(args)
    for path in project.select(args.documents):
        document = read(project, path, args)
        alignment = align(document, _catalog(project, document.domain, args))
        page = _output(project, document.domain, ".html")
        for target, text in ((page, render_html(alignment)), (page.with_suffix(".md"), render_markdown(alignment))):
            with writing(project.display_path(target)):
                write_if_changed(target, text)
        say(f"{project.display_path(page)} and .md: {summary(alignment.states)}")
    return 0


def run_tmx(args: argparse.Namespace) -> int:
    from pipeline.catalog import State
    from pipeline.exchange import export_tmx

    def describe(catalog) -> str:
        states = [u.state for u in catalog.units()]
        drafts = f", {count(states.count(State.MT_DRAFT), 'MT draft')}" if args.include_drafts else ""
        return f"{count(states.count(State.REVIEWED), 'reviewed unit')}{drafts}"

    return _export(args, ".tmx", lambda _document, catalog: export_tmx(catalog, include_drafts=args.include_drafts),
                   describe)


def run_xliff_export(args: argparse.Namespace) -> int:
    from pipeline.exchange import export_xliff

    return _export(args, ".xlf", lambda document, catalog: export_xliff(catalog, original=document.path),
                   lambda catalog: count(len(catalog), "unit"))


def _export(args: argparse.Namespace, suffix: str, export, describe) -> int:
    """The loop tmx and xliff export share: refuse a stale catalog, write, report."""
    from pipeline.exchange import check_current
    from pipeline.fileio import write_if_changed

    project = project_of(args)
    for path in project.select(args.documents):
        document = read(project, path, args)
        catalog = _catalog(project, document.domain, args)
        check_current(document, catalog)
        target = _output(project, document.domain, suffix)
        with writing(project.display_path(target)):
            write_if_changed(target, export(document, catalog).decode("utf-8"))
        say(f"{project.display_path(target)}: {describe(catalog)}")
    return 0


def run_xliff_import(args: argparse.Namespace) -> int:
    from pipeline.exchange import apply_xliff, parse_xliff
    from pipeline.stages import locked, save

    project = project_of(args)
    for file in args.files:
        shown = project.display_path(file)
        xliffs = parse_xliff(read_input(file, shown), shown)
        domains = [args.doc or _domain_of(xliff.original, shown) for xliff in xliffs]
        for number, domain in enumerate(domains):  # before anything is written; the last would silently win
            if domain in domains[:number]:
                first = xliffs[domains.index(domain)].line
                raise InputError(f"a second <file> for document {domain} (the first is at line {first})",
                                 shown, xliffs[number].line)
        with locked(project, [project.po_path(domain) for domain in domains]):
            for xliff, domain in zip(xliffs, domains, strict=True):
                catalog = _catalog(project, domain, args)
                report = apply_xliff(xliff, catalog, shown)
                changed = save(project, catalog, project.po_path(domain))
                say(
                    f"{catalog.path}: {report.reviewed} reviewed, {report.translated} changed but not reviewed, "
                    f"{report.unchanged} unchanged, {report.untouched} without target"
                    f"{'' if changed else ' (file unchanged)'}"
                )
    return 0


def _catalog(project, domain: str, args: argparse.Namespace):
    from pipeline.stages import load_translation

    return load_translation(project, domain)


def _output(project, domain: str, suffix: str) -> Path:
    return project.build_dir / BILINGUAL_DIR / f"{domain}{suffix}"


def _domain_of(original: str | None, shown: str) -> str:
    if not original:
        raise InputError("<file> has no original attribute naming its document; pass --doc", shown)
    return PurePath(original).stem
