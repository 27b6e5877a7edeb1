"""Commands of the MT stage: translate, model install, model list.

Everything MT-related (argostranslate, ctranslate2, sentencepiece, tqdm) is
imported inside the handlers, so other commands never pay for it.
"""

from __future__ import annotations

import argparse
import os
from contextlib import ExitStack
from pathlib import Path

from pipeline import stages
from pipeline.cli.common import add_project_options, project_of, say, whole_number
from pipeline.errors import PipelineError
from pipeline.wording import count

ORDER = 20


def register(commands: argparse._SubParsersAction) -> None:
    translate = commands.add_parser(
        "translate",
        help="fill units that have no translation with Argos MT drafts (fuzzy, marked with the model)",
        description="Draft every unit without a human translation with the Argos model; reviewed and "
        "edited units are never touched. Translations are cached in .cache/mt/, so a re-run only "
        "translates sentences that changed.",
    )
    add_project_options(translate)
    translate.add_argument("documents", nargs="*", metavar="DOC", help="document by name or path (default: all)")
    translate.add_argument("--model", metavar="ID",
                           help="installed model to use (default: the newest id->en model, installing the "
                           "shipped one from models/ if needed; see `model list`)")
    translate.add_argument("--redraft", action="store_true",
                           help="also re-draft MT drafts nobody edited (after a new model or glossary); "
                           "human work is never touched")
    translate.add_argument("--no-memory", dest="memory", action="store_false",
                           help="do not fill sentences from people's translations in the project's other catalogs "
                           "and locales/tm/*.tmx")
    translate.add_argument("--no-suggest", dest="suggest", action="store_false",
                           help="do not offer a fresh draft (# mt-suggestion) beside translations that need update")
    translate.add_argument("--threads", type=whole_number(1), metavar="N",
                           help="CPU cores to use (default: all available)")
    translate.add_argument("--batch-size", type=whole_number(1), default=16, metavar="N",
                           help="sentences per CTranslate2 batch (default: 16)")
    cluster = translate.add_argument_group(
        "on a Dask cluster", "MT only: this process still reads and writes every file (needs the 'cluster' extra: "
        "make translate WORKERS=N installs it)")
    where = cluster.add_mutually_exclusive_group()
    where.add_argument("--workers", type=whole_number(1), metavar="N",
                       help="translate on N local worker processes, one core each")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="translate on the Dask cluster of this scheduler, e.g. tcp://10.0.0.5:8786 "
                       "(default: $DASK_SCHEDULER_ADDRESS, unless --workers is given)")
    cluster.add_argument("--ship-model", action="store_true",
                         help="send the model to the workers once, instead of each opening it from this "
                         "project's models/installed/ folder at the same path")
    translate.set_defaults(handler=run_translate)

    model = commands.add_parser("model", help="install and list Argos translation models")
    actions = model.add_subparsers(dest="action", metavar="ACTION", required=True)
    install = actions.add_parser("install", help="install an .argosmodel file, or a package from the Argos index")
    add_project_options(install)
    source = install.add_mutually_exclusive_group(required=True)
    source.add_argument("path", nargs="?", type=Path, metavar="PATH", help="a downloaded .argosmodel file")
    source.add_argument("--from-index", metavar="ID",
                        help="download from the Argos index (online), e.g. translate-id_en")
    install.set_defaults(handler=run_model_install)
    listing = actions.add_parser("list", help="installed and shipped models; * marks the one translate uses")
    add_project_options(listing)
    listing.set_defaults(handler=run_model_list)


def run_translate(args: argparse.Namespace) -> int:
    from pipeline.translate import has_work

    project = project_of(args)
    cluster = _cluster(args)
    # Each catalog is read now and saved by merging: reviewers keep saving while MT runs.
    shared = [stages.SharedCatalog(project, Path(path).stem) for path in project.select(args.documents)]
    filled = _fill_from_memory(project, shared) if args.memory else []
    pending = [c for c in shared if has_work(c.catalog, redraft=args.redraft, suggest=args.suggest)]
    with ExitStack() as stack:
        # A cluster is reached, and the model opened on every worker, before anything is written,
        # and only when there is something to draft.
        mt = _open_mt(stack, project, args, cluster) if cluster and pending else None
        _save_fills(project, filled)
        for catalog in shared:
            if catalog not in pending:
                say(f"{project.display_path(catalog.path)}: nothing to draft")
        if pending:  # only then is a model needed: a finished project translates without one
            mt = mt or _open_mt_if_needed(stack, project, pending, args)
            if mt is not None:
                _draft(project, pending, mt, args)
    return 0


def _cluster(args: argparse.Namespace) -> stages.Cluster | None:
    # The environment's scheduler is a default: --workers on the command line wins over it.
    scheduler = args.scheduler or (None if args.workers else os.environ.get("DASK_SCHEDULER_ADDRESS") or None)
    if args.ship_model and not (args.workers or scheduler):
        raise PipelineError("--ship-model needs --workers or --scheduler")
    if not (args.workers or scheduler):
        return None
    return stages.Cluster(workers=args.workers, scheduler=scheduler, ship_model=args.ship_model)


def _fill_from_memory(project, shared: list[stages.SharedCatalog]) -> list:
    """Sentences people translated elsewhere in the project, taken before any MT (in memory:
    ``_save_fills`` writes them); the catalogs that changed, with their reports."""
    from pipeline.progress import Progress
    from pipeline.translate import fill_from_memory

    # 100 catalogs of 1,000 units take seconds to read: a bar shows when it is that slow.
    memory = stages.open_memory(project, progress=Progress("translation memory", unit="files", quiet_below_s=2))
    for problem in memory.problems:
        say(f"note: {problem} (left out of the translation memory)")
    if not len(memory):
        return []
    reports = [(catalog, fill_from_memory(catalog.catalog, memory, catalog.path.stem)) for catalog in shared]
    return [(catalog, report) for catalog, report in reports if report.changed]


def _save_fills(project, filled: list) -> None:
    for catalog, report in filled:
        catalog.save()
        parts = [f"{count(report.filled, 'unit')} filled"]
        if report.replaced_drafts:
            parts.append(f"{count(report.replaced_drafts, 'MT draft')} replaced")
        if report.refreshed:
            parts.append(f"{count(report.refreshed, 'earlier fill')} updated")
        say(f"{project.display_path(catalog.path)}: {', '.join(parts)} from the translation memory "
            "(translated, not reviewed; see the '# tm:' lines)")


def _open_mt_if_needed(stack: ExitStack, project, shared: list[stages.SharedCatalog], args: argparse.Namespace):
    """The MT stage; None (with a note) when no model is installed and only suggestions were wanted."""
    from pipeline.errors import NoModelError
    from pipeline.translate import has_work

    try:
        return _open_mt(stack, project, args, None)
    except NoModelError:  # a broken model is an error whatever there is to do
        if args.model or any(has_work(c.catalog, redraft=args.redraft, suggest=False) for c in shared):
            raise
        say("note: no MT model installed, so the units that need update get no fresh draft beside them")
        return None


def _open_mt(stack: ExitStack, project, args: argparse.Namespace, cluster: stages.Cluster | None):
    from pipeline.mt.argos import Threads

    threads = Threads.for_cores(args.threads) if args.threads else None
    mt = stack.enter_context(stages.open_mt(project, model=args.model, threads=threads, batch_size=args.batch_size,
                                            cluster=cluster))
    where = project.display_path(mt.model.path) if mt.model else "an engine of the caller's"
    say(f"model: {mt.engine.identity.label} ({where}){f', on {cluster.where}' if cluster else ''}")
    for note in getattr(mt.engine, "notes", ()):
        say(f"note: {note}")
    return mt


def _draft(project, shared: list[stages.SharedCatalog], mt, args: argparse.Namespace) -> None:
    """One MT run over all the catalogs: their sentences share the engine's chunks."""
    from pipeline.progress import Progress

    progress = Progress(project.display_path(shared[0].path) if len(shared) == 1 else f"{len(shared)} catalogs")

    def checkpoint(changed: list[int]) -> None:
        for index in changed:
            shared[index].save()

    try:
        reports = mt.draft_all([c.catalog for c in shared], redraft=args.redraft, suggest=args.suggest,
                               progress=progress.advance, on_plan=progress.start, checkpoint=checkpoint)
    finally:
        # Also on Ctrl-C or an engine failure: every unit in memory is whole, so the drafts
        # finished so far are kept (the write itself is atomic).
        progress.close()
        _save_all(shared)
    for catalog, report in zip(shared, reports, strict=True):
        _say_report(project, catalog, report)


def _save_all(shared: list[stages.SharedCatalog]) -> None:
    """Save every catalog, even after one fails (a full disk may spare a smaller file); then
    raise the first failure."""
    failures = []
    for catalog in shared:
        try:
            catalog.save()
        except Exception as exc:  # noqa: BLE001  re-raised below, after the others are saved
            failures.append(exc)
    if failures:
        raise failures[0]


def _say_report(project, shared: stages.SharedCatalog, report) -> None:
    shown = project.display_path(shared.path)
    say(f"{shown}: {report.drafted} drafted, {report.redrafted} re-drafted, {count(report.suggested, 'suggestion')}; "
        f"{count(report.sentences, 'sentence')}: {report.cached} from the cache, {report.translated} translated"
        f"{'' if shared.written else ' (unchanged)'}")
    if shared.yielded:
        say(f"  note: {count(shared.yielded, 'unit')} that someone else saved while MT ran "
            f"{'keeps its' if shared.yielded == 1 else 'keep their'} version (no draft written over it)")
    if report.masks_lost:
        say(f"  note: in {count(report.masks_lost, 'draft')} the model lost a number, link or markup; it was put "
            "back by guess (see the '# mt-mask-lost' comments; `make check` flags them)")
    if report.stale:
        say(f"  note: {count(report.stale, 'MT draft')} {'comes' if report.stale == 1 else 'come'} from another "
            "model; `translate --redraft` re-drafts them")


def run_model_install(args: argparse.Namespace) -> int:
    from pipeline.mt.models import ModelStore

    project = project_of(args)
    store = ModelStore(project.root, target=args.language)
    model = store.install_from_index(args.from_index) if args.from_index else store.install_file(args.path)
    say(f"installed {model.label} ({model.from_code}->{model.to_code}) in {project.display_path(model.path)}")
    return 0


def run_model_list(args: argparse.Namespace) -> int:
    from pipeline.mt.models import NO_MODEL_HELP, ModelStore

    project = project_of(args)
    store = ModelStore(project.root, target=args.language)
    installed = store.installed()
    ids = {(m.name, m.version) for m in installed}
    models = installed + [m for m in store.shipped() if (m.name, m.version) not in ids]
    current = store.current()
    if not models:
        say(NO_MODEL_HELP.format(source=store.source, target=store.target))
        return 0
    print(f"  {'ID':<32} {'PAIR':<8} {'VERSION':<12} WHERE")
    for model in models:
        where = project.display_path(model.path) + ("" if model.installed else " (shipped; installed on first use)")
        print(f"{'*' if model == current else ' '} {model.id:<32} {model.from_code + '->' + model.to_code:<8} "
              f"{model.version:<12} {where}")
    return 0
