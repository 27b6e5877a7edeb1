"""Translate: give every unit without human work a machine draft.

Which units the engine writes to:

    untranslated                  gets a draft (fuzzy + ``# mt:`` mark + ``# mt-raw:``)
    MT draft nobody edited        kept; re-drafted with ``redraft`` (a new model,
                                  glossary or masking); with the same model the
                                  cache gives the same text, so nothing changes
    a person's work               never touched (``Unit.has_human_work``: reviewed,
                                  translated, post-edited drafts included)
    needs update                  keeps the old human translation; the fresh
                                  draft is offered beside it in a comment
                                  ``# mt-suggestion: ...`` (``suggest``)
    reviewed                      never touched

Protected spans are masked before MT and restored after
(``pipeline.mt.masking``). A span the engine lost is appended to the draft
and named in ``# mt-mask-lost: ...`` so a reviewer puts it in place.

Sentences go to the engine once per distinct masked text of the whole run
(all its catalogs), shortest first so batches hold sentences of similar
length, in chunks: after each chunk the drafts are in the catalogs and in
the cache, and ``checkpoint`` is called every ``checkpoint_every_s``
seconds (less often when saving is slow) so the caller can save. Chunks
may come back in any order (a cluster returns them as they finish); the
drafts do not depend on it. A crash loses no translation: what the last save
missed is in the cache, and the next run takes it from there.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.catalog import MASK_LOST_PREFIX, SUGGESTION_PREFIX, TM_PREFIX, Catalog, State, Unit
from pipeline.errors import EngineError
from pipeline.memory import TranslationMemory
from pipeline.mt.cache import TranslationCache
from pipeline.mt.engine import Engine, ModelIdentity, Translation, finished_chunks
from pipeline.mt.masking import Masked, Masker, unmask

CHUNK_SENTENCES = 64  # sentences per engine call: granularity of progress, cache commits and saves
CHECKPOINT_EVERY_S = 30.0
MAX_SAVE_SHARE = 0.1  # saving a 10K-unit catalog takes seconds: keep checkpoints under 10% of the run


@dataclass
class DraftReport:
    drafted: int = 0  # untranslated units that got a draft
    redrafted: int = 0  # MT drafts written again (``redraft``)
    suggested: int = 0  # needs-update units offered a fresh draft in a comment
    stale: int = 0  # MT drafts by another model, left as they are (no ``redraft``)
    masks_lost: int = 0  # drafts where the engine lost a protected span
    sentences: int = 0  # distinct masked sentences the drafts needed
    cached: int = 0  # ... answered by the cache
    translated: int = 0  # ... sent to the engine (a sentence of several catalogs counts in the first)


@dataclass(frozen=True)
class _Job:
    unit: Unit
    masked: Masked
    kind: str  # "draft", "redraft" or "suggest"
    catalog: int  # index of the unit's catalog in the run
    report: DraftReport  # that catalog's


def draft_catalog(catalog: Catalog, engine: Engine, *, checkpoint: Callable[[], None] | None = None,
                  **options) -> DraftReport:
    """``draft_catalogs`` for one catalog; ``checkpoint`` takes no argument."""
    save = None if checkpoint is None else (lambda changed: checkpoint())
    return draft_catalogs([catalog], engine, checkpoint=save, **options)[0]


def draft_catalogs(
    catalogs: Sequence[Catalog],
    engine: Engine,
    *,
    masker: Masker | None = None,
    cache: TranslationCache | None = None,
    redraft: bool = False,
    suggest: bool = True,
    progress: Callable[[int], None] | None = None,
    checkpoint: Callable[[list[int]], None] | None = None,
    checkpoint_every_s: float = CHECKPOINT_EVERY_S,
    on_plan: Callable[[int], None] | None = None,
) -> list[DraftReport]:
    """Fill ``catalogs`` in place with drafts from ``engine``, one report each; see the module notes.

    Sentences of all the catalogs share the chunks (a sentence found in two
    documents goes to the engine once), so an engine that works on several
    chunks at a time (a cluster) is kept busy across documents. ``on_plan`` is
    told how many sentences will go to the engine before the first one does
    (to size a progress bar); ``progress`` after each chunk; ``checkpoint``
    the indexes of the catalogs changed since its last call.
    """
    identity = engine.identity
    reports = [DraftReport() for _ in catalogs]
    changed: set[int] = set()
    waiting = _waiting_sentences(catalogs, identity, masker or Masker(), redraft, suggest, reports, changed)
    for jobs in waiting.values():
        for index in {job.catalog for job in jobs}:
            reports[index].sentences += 1
    if cache is not None:
        for text, translation in cache.lookup(waiting).items():
            _apply_all(waiting.pop(text), translation, identity, changed, cached=True)
    todo = sorted(waiting, key=lambda text: (len(text), text))
    if on_plan is not None:
        on_plan(len(todo))
    checkpoints = _Checkpoints(checkpoint, checkpoint_every_s, changed)
    chunks = [todo[start:start + CHUNK_SENTENCES] for start in range(0, len(todo), CHUNK_SENTENCES)]
    for index, translations in finished_chunks(engine, chunks):
        chunk = chunks[index]
        _store(chunk, translations, cache)
        for text, translation in zip(chunk, translations, strict=True):
            _apply_all(waiting[text], translation, identity, changed)
        if progress is not None:
            progress(len(chunk))
        checkpoints.tick()
    return reports


def _waiting_sentences(catalogs: Sequence[Catalog], identity: ModelIdentity, masker: Masker, redraft: bool,
                       suggest: bool, reports: list[DraftReport], changed: set[int]) -> dict[str, list[_Job]]:
    """The jobs by masked sentence; jobs with nothing to translate are done on the spot."""
    waiting: dict[str, list[_Job]] = defaultdict(list)
    for index, (catalog, report) in enumerate(zip(catalogs, reports, strict=True)):
        for job in _plan(catalog, index, identity, masker, redraft, suggest, report):
            if job.masked.needs_engine:
                waiting[job.masked.text].append(job)
            else:  # only numbers, markers, links: the draft is the source with its spans restored
                _apply(job, Translation(job.masked.text), identity)
                changed.add(index)
    return waiting


def _store(chunk: list[str], translations: list[Translation], cache: TranslationCache | None) -> None:
    if len(translations) != len(chunk):
        raise EngineError(f"the engine returned {len(translations)} translations for {len(chunk)} sentences")
    if cache is not None:
        cache.store(zip(chunk, translations, strict=True))


class _Checkpoints:
    """Calls ``save`` with the catalogs changed since its last call every ``every_s`` seconds
    at most, and never so often that saving takes more than MAX_SAVE_SHARE of the time."""

    def __init__(self, save: Callable[[list[int]], None] | None, every_s: float, changed: set[int]):
        self.save, self.every_s, self.changed = save, every_s, changed
        self.last = time.monotonic()
        self.cost = 0.0  # seconds the last save took

    def tick(self) -> None:
        now = time.monotonic()
        if self.save is None or now - self.last < max(self.every_s, self.cost / MAX_SAVE_SHARE):
            return
        self.save(sorted(self.changed))
        self.changed.clear()
        self.last, self.cost = now, time.monotonic() - now


@dataclass
class MemoryReport:
    filled: int = 0  # untranslated units given a person's translation of the same sentence
    replaced_drafts: int = 0  # MT drafts nobody edited, replaced by one
    refreshed: int = 0  # earlier memory fills nobody edited, given a better one (reviewed, or newer)

    @property
    def changed(self) -> int:
        return self.filled + self.replaced_drafts + self.refreshed


def fill_from_memory(catalog: Catalog, memory: TranslationMemory, origin: str) -> MemoryReport:
    """Give each unit with no person's work a person's translation of the same sentence from
    elsewhere in the project (``origin`` is this catalog's document): untranslated units, MT
    drafts nobody edited (a person beats the machine) and earlier fills nobody edited, when
    the memory now holds a better one. They become translated, not reviewed, with a ``# tm:``
    line saying where the text comes from; MT is never asked for them."""
    report = MemoryReport()
    for unit in catalog.units():
        kind = _memory_job(unit)
        if kind is None:
            continue
        found = memory.exact(unit.msgid, not_at=(origin, unit.uid))
        if found is None:
            continue
        where = f"{found.origin} ({'reviewed' if found.reviewed else 'not reviewed'} there)"
        if kind == "refreshed" and found.target == unit.msgstr and (unit.stage_note(TM_PREFIX) or "").startswith(where):
            continue
        unit.set_memory_fill(found.target, where)
        setattr(report, kind, getattr(report, kind) + 1)
    return report


def _memory_job(unit: Unit) -> str | None:
    """Which MemoryReport count a fill of ``unit`` goes to; None when a person's work is there."""
    if unit.state is State.UNTRANSLATED:
        return "filled"
    if unit.state is State.MT_DRAFT:
        return "replaced_drafts"
    if unit.state is State.TRANSLATED and unit.from_memory:
        return "refreshed"
    return None


def has_work(catalog: Catalog, *, redraft: bool = False, suggest: bool = True) -> bool:
    """True when some unit would go to the engine (so a model is needed at all)."""
    return any(_job_kind(unit, redraft, suggest) for unit in catalog.units())


def _plan(catalog: Catalog, index: int, identity: ModelIdentity, masker: Masker, redraft: bool, suggest: bool,
          report: DraftReport) -> list[_Job]:
    jobs = []
    for unit in catalog.units():
        kind = _job_kind(unit, redraft, suggest)
        if kind is not None:
            jobs.append(_Job(unit, masker.mask(unit.msgid), kind, index, report))
        elif unit.state is State.MT_DRAFT and unit.mt is not None and not identity.same_model(unit.mt):
            report.stale += 1
    return jobs


def _job_kind(unit: Unit, redraft: bool, suggest: bool) -> str | None:
    state = unit.state
    if state is State.UNTRANSLATED:
        return "draft"
    if state is State.MT_DRAFT and redraft:
        return "redraft"
    if state is State.NEEDS_UPDATE and suggest:
        return "suggest"
    return None


def _apply_all(jobs: list[_Job], translation: Translation, identity: ModelIdentity, changed: set[int], *,
               cached: bool = False) -> None:
    """One sentence's translation into every unit that waits for it. Each catalog counts the
    sentence once: the first catalog that needs a sentence the engine translated counts it
    as translated, the others as from the cache (as a run of one catalog after the other
    would), so the reports add up to what the engine was sent."""
    counted: set[int] = set()
    for job in jobs:
        _apply(job, translation, identity)
        changed.add(job.catalog)
        if job.catalog not in counted:
            if cached or counted:
                job.report.cached += 1
            else:
                job.report.translated += 1
            counted.add(job.catalog)


def _apply(job: _Job, translation: Translation, identity: ModelIdentity) -> None:
    restored = unmask(translation.text, job.masked)
    unit, report = job.unit, job.report
    if job.kind == "suggest":
        unit.set_stage_note(SUGGESTION_PREFIX, restored.text)
        report.suggested += 1
        return
    unit.set_mt_draft(restored.text, identity.mark(restored.text, translation.score))
    lost = " | ".join(span.replacement for span in restored.lost)
    unit.set_stage_note(SUGGESTION_PREFIX, None)
    note = f"{lost} (put back by guess, at the end or beside its pair; check the place)" if lost else None
    unit.set_stage_note(MASK_LOST_PREFIX, note)
    report.masks_lost += bool(restored.lost)
    if job.kind == "draft":
        report.drafted += 1
    else:
        report.redrafted += 1
