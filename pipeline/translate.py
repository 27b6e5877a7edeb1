"""Translate: give every unit without human work a machine draft.

Which units the engine writes to:

    untranslated                  gets a draft (fuzzy + ``# mt:`` mark + ``# mt-raw:``)
    MT draft nobody edited        kept; re-drafted with ``redraft`` (a new model,
                                  glossary or masking); with the same model the
                                  cache gives the same text, so nothing changes
    MT draft a person edited      never touched (``update.has_human_work``)
    needs update                  keeps the old human translation; the fresh
                                  draft is offered beside it in a comment
                                  ``# mt-suggestion: ...`` (``suggest``)
    reviewed                      never touched

Protected spans are masked before MT and restored after
(``pipeline.mt.masking``). A span the engine lost is appended to the draft
and named in ``# mt-mask-lost: ...`` so a reviewer puts it in place.

Sentences go to the engine once per distinct masked text, shortest first so
batches hold sentences of similar length, in chunks: after each chunk the
drafts are in the catalog and in the cache, and ``checkpoint`` is called
every ``checkpoint_every_s`` seconds so the caller can save.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.catalog import Catalog, State, Unit
from pipeline.errors import EngineError
from pipeline.mt.cache import TranslationCache
from pipeline.mt.engine import Engine, ModelIdentity
from pipeline.mt.masking import Masked, Masker, unmask
from pipeline.update import has_human_work

SUGGESTION_PREFIX = "mt-suggestion: "
MASK_LOST_PREFIX = "mt-mask-lost: "
OWN_PREFIXES = (SUGGESTION_PREFIX, MASK_LOST_PREFIX)
CHUNK_SENTENCES = 64  # sentences per engine call: granularity of progress, cache commits and saves
CHECKPOINT_EVERY_S = 30.0


@dataclass
class DraftReport:
    drafted: int = 0  # untranslated units that got a draft
    redrafted: int = 0  # MT drafts written again (``redraft``)
    suggested: int = 0  # needs-update units offered a fresh draft in a comment
    stale: int = 0  # MT drafts by another model, left as they are (no ``redraft``)
    masks_lost: int = 0  # drafts where the engine lost a protected span
    sentences: int = 0  # distinct masked sentences the drafts needed
    cached: int = 0  # ... answered by the cache
    translated: int = 0  # ... sent to the engine


@dataclass(frozen=True)
class _Job:
    unit: Unit
    masked: Masked
    kind: str  # "draft", "redraft" or "suggest"


def draft_catalog(
    catalog: Catalog,
    engine: Engine,
    *,
    masker: Masker | None = None,
    cache: TranslationCache | None = None,
    redraft: bool = False,
    suggest: bool = True,
    progress: Callable[[int], None] | None = None,
    checkpoint: Callable[[], None] | None = None,
    checkpoint_every_s: float = CHECKPOINT_EVERY_S,
    on_plan: Callable[[int], None] | None = None,
) -> DraftReport:
    """Fill ``catalog`` in place with drafts from ``engine``; see the module notes.

    ``on_plan`` is told how many sentences will go to the engine before the
    first one does (to size a progress bar); ``progress`` after each chunk.
    """
    identity = engine.identity
    report = DraftReport()
    jobs = _plan(catalog, identity, masker or Masker(), redraft, suggest, report)
    waiting: dict[str, list[_Job]] = defaultdict(list)
    for job in jobs:
        if job.masked.needs_engine:
            waiting[job.masked.text].append(job)
        else:  # only numbers, markers, links: nothing to translate
            _apply(job, job.masked.text, identity, report)
    report.sentences = len(waiting)
    known = cache.lookup(waiting) if cache is not None else {}
    report.cached = len(known)
    for text, translation in known.items():
        for job in waiting.pop(text):
            _apply(job, translation, identity, report)

    todo = sorted(waiting, key=lambda text: (len(text), text))
    if on_plan is not None:
        on_plan(len(todo))
    last_save = time.monotonic()
    for start in range(0, len(todo), CHUNK_SENTENCES):
        chunk = todo[start:start + CHUNK_SENTENCES]
        translations = engine.translate(chunk)
        if len(translations) != len(chunk):
            raise EngineError(f"the engine returned {len(translations)} translations for {len(chunk)} sentences")
        if cache is not None:
            cache.store(zip(chunk, translations))
        for text, translation in zip(chunk, translations):
            for job in waiting[text]:
                _apply(job, translation, identity, report)
        report.translated += len(chunk)
        if progress is not None:
            progress(len(chunk))
        if checkpoint is not None and time.monotonic() - last_save >= checkpoint_every_s:
            checkpoint()
            last_save = time.monotonic()
    return report


def has_work(catalog: Catalog, *, redraft: bool = False, suggest: bool = True) -> bool:
    """True when some unit would go to the engine (so a model is needed at all)."""
    return any(_job_kind(unit, redraft, suggest) for unit in catalog.units())


def _plan(catalog: Catalog, identity: ModelIdentity, masker: Masker, redraft: bool, suggest: bool,
          report: DraftReport) -> list[_Job]:
    jobs = []
    for unit in catalog.units():
        kind = _job_kind(unit, redraft, suggest)
        if kind is not None:
            jobs.append(_Job(unit, masker.mask(unit.msgid), kind))
        elif unit.state is State.MT_DRAFT and not has_human_work(unit) and not identity.same_model(unit.mt):
            report.stale += 1
    return jobs


def _job_kind(unit: Unit, redraft: bool, suggest: bool) -> str | None:
    state = unit.state
    if state is State.UNTRANSLATED:
        return "draft"
    if state is State.MT_DRAFT and redraft and not has_human_work(unit):
        return "redraft"
    if state is State.NEEDS_UPDATE and suggest:
        return "suggest"
    return None


def _apply(job: _Job, translation: str, identity: ModelIdentity, report: DraftReport) -> None:
    restored = unmask(translation, job.masked)
    unit = job.unit
    if job.kind == "suggest":
        _set_own_comment(unit, SUGGESTION_PREFIX, _one_line(restored.text))
        report.suggested += 1
        return
    unit.set_mt_draft(restored.text, identity.mark(restored.text))
    lost = " | ".join(span.replacement for span in restored.lost)
    _set_own_comment(unit, SUGGESTION_PREFIX, None)
    _set_own_comment(unit, MASK_LOST_PREFIX,
                     f"{_one_line(lost)} (appended at the end; move into place)" if lost else None)
    report.masks_lost += bool(restored.lost)
    if job.kind == "draft":
        report.drafted += 1
    else:
        report.redrafted += 1


def _set_own_comment(unit: Unit, prefix: str, text: str | None) -> None:
    """Replace this stage's comment line ``prefix``; the reviewer's lines stay as they are."""
    lines = [line for line in unit.translator_comment.splitlines() if not line.startswith(prefix)]
    if text is not None:
        lines.append(prefix + text)
    unit.set_translator_comment("\n".join(lines))


def _one_line(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")
