"""Commands that tell reviewers and authors what is left and what looks wrong: check, stats."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from pipeline.cli.common import add_document_options, add_project_options, project_of, read, say
from pipeline.errors import PipelineError
from pipeline.wording import count

ORDER = 30
WORD_LIST = "spelling-id.txt"
SPELLING_CACHE = Path(".cache") / "spellcheck-id.json"  # under the project root: `make clean` keeps it


def register(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "check",
        help="QA checks on the catalogs, and a spell check of the Indonesian sources",
        description="Report what looks wrong in the English (grouped by unit) and probable typos in the "
        "Indonesian. Exit status 1 when errors remain on reviewed units; warnings never fail. "
        "Silence a check for one unit with a translator comment '# qa-skip: CHECK'.",
    )
    add_project_options(check)
    add_document_options(check)
    check.add_argument("--json", action="store_true", help="print the findings as JSON on stdout")
    check.add_argument("--strict", action="store_true",
                       help="errors in units not reviewed yet (MT drafts, unapproved translations) fail the check too")
    check.add_argument("--no-spellcheck", action="store_true", help="skip the spell check of the sources")
    check.set_defaults(handler=run_check)

    stats = commands.add_parser(
        "stats", help="units and words per state, %% reviewed, QA findings, post-edit distance, MT models"
    )
    add_project_options(stats)
    add_document_options(stats)  # the sources are read to say when a catalog is behind its document
    stats.add_argument("--json", action="store_true", help="print the figures as JSON on stdout")
    stats.set_defaults(handler=run_stats)


def run_check(args: argparse.Namespace) -> int:
    from pipeline.glossary import load_glossary
    from pipeline.qa import check_catalog

    project = project_of(args)
    terms_file = project.glossary_path
    glossary = load_glossary(terms_file, project.display_path(terms_file))
    documents = [read(project, path, args) for path in project.select(args.documents)]
    findings = {}
    for document in documents:
        catalog = _catalog(project, document.domain, required=False)
        if catalog is not None:
            _say_if_stale(project, document, catalog)
            findings[catalog.path] = check_catalog(catalog, glossary)
    typos, seconds = ([], 0.0) if args.no_spellcheck else _spellcheck(project, documents, glossary)
    flat = [f for found in findings.values() for f in found]
    failing = [f for f in flat if f.blocking or (args.strict and f.severity == "error")]
    if args.json:
        print(json.dumps(_check_json(findings, typos, failing, seconds), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(_check_report(findings, typos))
    say(_summary(flat, failing, typos, seconds, args.no_spellcheck))
    return 1 if failing else 0


def _say_if_stale(project, document, catalog) -> None:
    """The figures and findings are the catalog's: say so when the source has moved on."""
    from pipeline import stages

    missing = stages.sentences_without_unit(document, catalog)
    if missing:
        say(f"note: {project.display_path(project.po_path(document.domain))}: {count(len(missing), 'sentence')} "
            f"of {document.path} {'has' if len(missing) == 1 else 'have'} no unit (the source changed since "
            f"`make update`, e.g. {_shorten(missing[0], 60)}); run `make update` first")


def _spellcheck(project, documents, glossary) -> tuple[list, float]:
    from pipeline.progress import Progress
    from pipeline.spellcheck import DICTIONARY, Speller, check_documents, load_word_list

    started = time.perf_counter()
    if not Path(str(DICTIONARY) + ".dic").is_file():
        say(f"note: no spell check: {DICTIONARY}.dic is missing (run `make setup`: it installs hunspell-id)")
        return [], 0.0
    speller = Speller(
        accepted=load_word_list(project.locales_dir / WORD_LIST),
        cache_path=project.root / SPELLING_CACHE,
    )
    # Shown only when slow: a cold cache costs minutes on a long document, a warm one nothing.
    progress = Progress("spell check", unit="words", quiet_below_s=2.0)
    typos = check_documents(documents, speller, glossary, progress=progress)
    speller.save_cache()
    return typos, time.perf_counter() - started


def _catalog(project, domain: str, *, required: bool):
    from pipeline.stages import load_translation

    po = project.po_path(domain)
    if not po.is_file() and not required:
        say(f"note: {project.display_path(po)} does not exist yet; run `make update` (source checked only)")
        return None
    return load_translation(project, domain)


def _check_report(findings: dict, typos: list) -> str:
    lines = []
    for catalog_path, found in findings.items():
        by_unit: dict = {}
        for finding in found:
            by_unit.setdefault(finding.key, []).append(finding)
        for unit_findings in by_unit.values():
            first = unit_findings[0]
            where = f"{catalog_path}:{first.entry_line}" if first.entry_line else catalog_path
            draft = "  [not reviewed yet: not blocking]" if first.draft else ""
            lines.append(f"{where} ({first.location}){draft}")
            lines.append(f"  {_shorten(first.msgid)}")
            lines += [f"  {f.severity:<7} {f.check:<16} {f.message}" for f in unit_findings]
            lines.append("")
    if typos:
        lines.append("Possible typos in the Indonesian source (for its author; never blocking):")
        for typo in typos:
            hint = f"  did you mean: {', '.join(typo.suggestions)}" if typo.suggestions else ""
            lines.append(f"  {typo.location}:{typo.column}: {typo.word}{hint}")
        lines.append("")
    return "".join(line + "\n" for line in lines)


def _check_json(findings: dict, typos: list, failing: list, seconds: float) -> dict:
    flat = [dict(f.to_dict(), catalog=path) for path, found in findings.items() for f in found]
    return {
        "findings": flat,
        "spelling": [typo.to_dict() for typo in typos],
        "summary": {
            "catalogs": list(findings),
            "errors": sum(1 for f in flat if f["severity"] == "error"),
            "warnings": sum(1 for f in flat if f["severity"] == "warning"),
            "failing": len(failing),
            "typos": len(typos),
            "spellcheck_seconds": round(seconds, 2),
        },
    }


def _summary(flat: list, failing: list, typos: list, seconds: float, skipped: bool) -> str:
    """The last line: the verdict first, and "passed" only when no error is left anywhere."""
    errors = [f for f in flat if f.severity == "error"]
    in_drafts = sum(1 for f in errors if f.draft)
    warnings = len(flat) - len(errors)
    units = len({(f.location, f.key) for f in flat})
    spelling = ("spell check skipped" if skipped
                else f"{count(len(typos), 'possible typo')} in the source ({seconds:.1f} s)")
    found = f"{count(warnings, 'warning')} in {count(units, 'unit')}; {spelling}"
    if failing:
        return f"check FAILED: {count(len(failing), 'error')} to fix; {found}"
    if in_drafts:
        return (f"check: no errors in reviewed units, {count(in_drafts, 'error')} in units not reviewed yet "
                f"(they do not block without --strict); {found}")
    return f"check passed: no errors; {found}"





def _shorten(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def run_stats(args: argparse.Namespace) -> int:
    from pipeline.glossary import load_glossary
    from pipeline.stats import catalog_stats, combine

    project = project_of(args)
    terms_file = project.glossary_path
    glossary = load_glossary(terms_file, project.display_path(terms_file))
    per_document = []
    for path in project.select(args.documents):
        domain = Path(path).stem
        catalog = _catalog(project, domain, required=True)
        try:
            _say_if_stale(project, read(project, path, args), catalog)
        except PipelineError as exc:  # the figures are the catalog's: a source that cannot be read does not stop them
            say(f"note: cannot compare {domain}'s catalog with its source: {exc}")
        per_document.append(catalog_stats(catalog, glossary, name=domain))
    total = combine(per_document)
    _warn_about_orphans(project)
    if args.json:
        data = {"documents": [s.to_dict() for s in per_document], "total": total.to_dict()}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(_stats_table(per_document, total))
    return 0


def _warn_about_orphans(project) -> None:
    """Templates whose document left source/: their .po is kept (it may hold
    reviewed work), but a reader of the figures should know it is not counted."""
    domains = {path.stem for path in project.documents()}
    for pot in sorted(project.locales_dir.glob("*.pot")):
        if pot.stem not in domains:
            say(f"warning: {project.display_path(pot)}: no document {pot.stem}.* in source/ any more; "
                "its catalogs are not counted (delete them if the document is gone for good)")


def _stats_table(per_document: list, total) -> str:
    from tabulate import tabulate

    from pipeline.catalog import State

    headers = ["document", "units", "words", *(str(s) for s in State), "reviewed %", "QA err/warn",
               "weak drafts", "post-edit chars/words", "drafts accepted"]
    rows = [_stats_row(s, State) for s in per_document]
    if len(per_document) > 1:
        rows.append(_stats_row(total, State))
    notes = ["", "cells per state: units/words (source words, counted as pocount does)",
             "weak drafts: MT drafts flagged mt-degenerate (loops, Indonesian left, odd length, low score); "
             "review them first (make review, order: weakest first)",
             "post-edit: share of characters / words reviewers changed in accepted MT drafts"]
    notes += [f"MT model {identity}: {count(units, 'unit')}" for identity, units in sorted(total.models.items())]
    return tabulate(rows, headers=headers, disable_numparse=True) + "\n" + "\n".join(notes)


def _stats_row(stats, states) -> list[str]:
    post = stats.post_edit
    distances = "-" if post.char_distance is None else f"{post.char_distance:.1%} / {post.word_distance:.1%}"
    accepted = f"{post.units} ({post.unchanged} unedited)" if post.units else "0"
    cells = [f"{stats.states[s].units}/{stats.states[s].words}" for s in states]
    return [stats.name, str(stats.units), str(stats.words), *cells, f"{stats.reviewed_percent:.1f}%",
            f"{stats.qa_errors}/{stats.qa_warnings}", str(stats.weak_drafts), distances, accepted]
