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

Sentences go to the engine once per distinct masked text, shortest first so
batches hold sentences of similar length, in chunks: after each chunk the
drafts are in the catalog and in the cache, and ``checkpoint`` is called
every ``checkpoint_every_s`` seconds (less often when saving is slow) so
the caller can save. A crash loses no translation: what the last save
missed is in the cache, and the next run takes it from there.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.catalog import MASK_LOST_PREFIX, SUGGESTION_PREFIX, TM_PREFIX, Catalog, State, Unit
from pipeline.errors import EngineError
from pipeline.memory import TranslationMemory
from pipeline.mt.cache import TranslationCache
from pipeline.mt.engine import Engine, ModelIdentity, Translation, translate_chunks
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
    waiting = _waiting_sentences(catalog, identity, masker or Masker(), redraft, suggest, report)
    report.sentences = len(waiting)
    if cache is not None:
        known = cache.lookup(waiting)
        report.cached = len(known)
        for text, translation in known.items():
            _apply_all(waiting.pop(text), translation, identity, report)
    todo = sorted(waiting, key=lambda text: (len(text), text))
    if on_plan is not None:
        on_plan(len(todo))
    checkpoints = _Checkpoints(checkpoint, checkpoint_every_s)
    chunks = [todo[start:start + CHUNK_SENTENCES] for start in range(0, len(todo), CHUNK_SENTENCES)]
    for chunk, translations in zip(chunks, translate_chunks(engine, chunks), strict=True):
        _store(chunk, translations, cache)
        for text, translation in zip(chunk, translations, strict=True):
            _apply_all(waiting[text], translation, identity, report)
        report.translated += len(chunk)
        if progress is not None:
            progress(len(chunk))
        checkpoints.tick()
    return report


def _waiting_sentences(catalog: Catalog, identity: ModelIdentity, masker: Masker, redraft: bool, suggest: bool,
                       report: DraftReport) -> dict[str, list[_Job]]:
    """The jobs by masked sentence; jobs with nothing to translate are done on the spot."""
    waiting: dict[str, list[_Job]] = defaultdict(list)
    for job in _plan(catalog, identity, masker, redraft, suggest, report):
        if job.masked.needs_engine:
            waiting[job.masked.text].append(job)
        else:  # only numbers, markers, links: the draft is the source with its spans restored
            _apply(job, Translation(job.masked.text), identity, report)
    return waiting


def _store(chunk: list[str], translations: list[Translation], cache: TranslationCache | None) -> None:
    if len(translations) != len(chunk):
        raise EngineError(f"the engine returned {len(translations)} translations for {len(chunk)} sentences")
    if cache is not None:
        cache.store(zip(chunk, translations, strict=True))


class _Checkpoints:
    """Calls ``save`` every ``every_s`` seconds at most, and never so often that saving
    takes more than MAX_SAVE_SHARE of the time."""

    def __init__(self, save: Callable[[], None] | None, every_s: float):
        self.save, self.every_s = save, every_s
        self.last = time.monotonic()
        self.cost = 0.0  # seconds the last save took

    def tick(self) -> None:
        now = time.monotonic()
        if self.save is None or now - self.last < max(self.every_s, self.cost / MAX_SAVE_SHARE):
            return
        self.save()
        self.last, self.cost = now, time.monotonic() - now


def fill_from_memory(catalog: Catalog, memory: TranslationMemory, origin: str) -> int:
    """Give each untranslated unit a person's translation of the same sentence from elsewhere in the
    project (``origin`` is this catalog's own document, left out): translated, not reviewed, with a
    ``# tm:`` line saying where it comes from. Returns how many units were filled; MT is never asked
    for them."""
    filled = 0
    for unit in catalog.units():
        if unit.state is not State.UNTRANSLATED or unit.has_human_work:
            continue
        found = memory.exact(unit.msgid, not_from=origin)
        if found is None:
            continue
        unit.set_translation(found.target, reviewed=False)
        quality = "reviewed" if found.reviewed else "not reviewed"
        lines = [line for line in unit.translator_comment.split("\n") if line and not line.startswith(TM_PREFIX)]
        unit.set_translator_comment("\n".join([*lines, f"{TM_PREFIX}{found.origin} ({quality} there)"]))
        filled += 1
    return filled


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


def _apply_all(jobs: list[_Job], translation: Translation, identity: ModelIdentity, report: DraftReport) -> None:
    for job in jobs:
        _apply(job, translation, identity, report)


def _apply(job: _Job, translation: Translation, identity: ModelIdentity, report: DraftReport) -> None:
    restored = unmask(translation.text, job.masked)
    unit = job.unit
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
