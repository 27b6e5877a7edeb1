"""The interface between the MT stage and an engine.

An engine translates a batch of already segmented sentences and says who it
is. The identity goes into every draft (``# mt: engine=... model=...
version=...``) and names the translation cache, so its ``fingerprint`` covers
everything that changes the output: the model files and the decoding
settings. Two packages that happen to share a name and a version therefore
never share cached translations.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from pipeline.catalog import MTMark


@dataclass(frozen=True)
class Translation:
    """An engine's output for one sentence, with its score when the engine gives one."""

    text: str
    score: float | None = None  # mean log-probability per token: near 0 is confident, -2 is lost


def as_translation(item: str | Translation) -> Translation:
    """Engines may answer with plain strings (no score)."""
    return item if isinstance(item, Translation) else Translation(item)


@dataclass(frozen=True)
class ModelIdentity:
    engine: str  # "argos"
    model: str  # package name, e.g. "translate-id_en"
    version: str  # package version, e.g. "0.1.0"
    fingerprint: str  # hex digest of the model files and decoding settings

    def mark(self, raw: str, score: float | None = None) -> MTMark:
        """The provenance written beside a draft whose text is ``raw``."""
        # Rounded as the `# mt:` line writes it, so a mark read back equals the one written.
        return MTMark(self.engine, self.model, self.version, raw, None if score is None else round(score, 2))

    @property
    def label(self) -> str:
        return f"{self.engine} {self.model} {self.version}"

    @property
    def cache_name(self) -> str:
        """A file-name-safe name for this model's cache."""
        name = f"{self.engine}-{self.model}-{self.version}-{self.fingerprint[:16]}"
        return re.sub(r"[^A-Za-z0-9._-]", "_", name)

    def same_model(self, mark: MTMark) -> bool:
        """True when ``mark`` was written by this engine, model and version."""
        return (mark.engine, mark.model, mark.version) == (self.engine, self.model, self.version)


class Engine(Protocol):
    """What the MT stage needs from an engine."""

    identity: ModelIdentity

    def translate(self, sentences: Sequence[str]) -> Sequence[str | Translation]:
        """One translation per sentence, in order. Sentences come pre-segmented."""
        ...


def translate_chunks(engine: Engine, chunks: Iterable[Sequence[str]]) -> Iterator[list[Translation]]:
    """The translations of each chunk, in order.

    An engine with ``submit(sentences)`` (start translating; return a function
    that waits for the result) gets the next chunk before the current one is
    collected, so its workers do not idle while the caller stores results
    or while the last, shortest batches of a chunk finish.
    """
    submit = getattr(engine, "submit", None)
    if submit is None:
        for chunk in chunks:
            yield [as_translation(item) for item in engine.translate(chunk)]
        return
    pending: deque[Callable[[], Sequence[str | Translation]]] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) > 1:
            yield [as_translation(item) for item in pending.popleft()()]
    while pending:
        yield [as_translation(item) for item in pending.popleft()()]


def finished_chunks(engine: Engine, chunks: Sequence[Sequence[str]]) -> Iterator[tuple[int, list[Translation]]]:
    """``(index, translations)`` of each chunk as it finishes.

    An engine with ``translate_unordered(chunks)`` (a cluster, whose workers
    finish in any order) yields them as they come, so a slow or retried chunk
    holds nothing back; any other engine answers in order.
    """
    unordered = getattr(engine, "translate_unordered", None)
    if unordered is not None:
        for index, items in unordered(chunks):
            yield index, [as_translation(item) for item in items]
        return
    yield from enumerate(translate_chunks(engine, chunks))
