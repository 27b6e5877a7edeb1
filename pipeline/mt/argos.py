"""The Argos Translate backend: an installed Argos package, run in batches.

Argos's own ``translate()`` splits text into sentences with Stanza or spaCy
(a model downloaded at run time) and translates each input line on its own.
The pipeline has already segmented the text, so this backend takes what the
package holds, its CTranslate2 model and SentencePiece model, and sends whole
batches of sentences to ``Translator.translate_batch``. Decoding settings
are Argos's (beam 4, unknown tokens copied from the source) but for the
length penalty, 2.0 instead of 0.2, plus a guard against the loops small
models fall into ("the forum forum forum"): no 4-gram of pieces may repeat,
and a draft that still stutters a word three times is decoded again with a
repetition penalty. All were chosen on the training recipe's dev split
(guard: chrF 44.5 -> 45.3, sentences that stutter 14 -> 0 of 500; length
penalty: 45.9 -> 47.3; `models/README.md`).

Importing this module imports ctranslate2 and sentencepiece; only
``pipeline.mt.models`` does, when a model is loaded.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import ctranslate2
import sentencepiece

from pipeline.errors import EngineError
from pipeline.mt.engine import ModelIdentity, Translation
from pipeline.repetition import stutters

ENGINE_NAME = "argos"


PACKAGE_FIELDS = ("type", "from_code", "to_code", "package_version", "target_prefix")
DEFAULT_BATCH_SIZE = 16  # sentences per CTranslate2 batch; sub-batches run on parallel workers


@dataclass(frozen=True)
class DecodingOptions:
    """Settings that change the output, and so belong to the model's identity."""

    beam_size: int = 4  # Argos's default
    # Argos uses 0.2, which leaves this project's model a sixth shorter than the references;
    # 2.0 was best on the recipe's dev split (chrF 45.9 -> 47.3, length 0.85 -> 0.93 of the
    # references; the plateau runs from 1.6 to 3.0).
    length_penalty: float = 2.0
    no_repeat_ngram_size: int = 4  # 0 turns the guard off (Argos's own behaviour)
    stutter_penalty: float = 1.5  # repetition penalty of the second decoding of a stuttering draft; 1 = none
    scored: bool = True  # drafts carry the engine's score (a cache from before had none)


@dataclass(frozen=True)
class Threads:
    """CTranslate2 threads: ``workers`` translate batches in parallel, each with ``per_worker`` threads.

    On a small machine parallel workers beat one multi-threaded worker: the
    decoder's matrices are too small to keep two threads busy, and OpenMP
    threads spin when another process holds the second core.
    """

    workers: int
    per_worker: int = 1

    @classmethod
    def for_cores(cls, cores: int | None = None) -> Threads:
        cores = cores or len(os.sched_getaffinity(0))
        return cls(workers=max(1, min(cores, 4)), per_worker=max(1, cores // 4))


class ArgosEngine:
    """Translates batches of sentences with one installed Argos package."""

    def __init__(self, package, *, threads: Threads | None = None, options: DecodingOptions | None = None,
                 batch_size: int = DEFAULT_BATCH_SIZE, shown: str | None = None):
        """``package``: an ``argostranslate.package.Package`` (an installed package folder);
        ``shown``: the folder as error messages name it (default: its full path)."""
        self.package_dir = Path(package.package_path)
        self.shown = shown or str(self.package_dir)
        self.options = options or DecodingOptions()
        self.batch_size = batch_size
        self.threads = threads or Threads.for_cores()
        self._target_prefix = package.target_prefix or ""
        self._fields = {name: getattr(package, name) for name in PACKAGE_FIELDS}
        self._processor = _load_sentencepiece(self.package_dir, self.shown)
        self._translator = None  # loaded on first use: a run answered by the cache never needs it
        name = f"{package.type}-{package.from_code}_{package.to_code}"
        self.identity = ModelIdentity(ENGINE_NAME, name, package.package_version or "0",
                                      _fingerprint(self.package_dir, self.options))

    def package_fields(self) -> dict:
        """What this engine read from the Argos package besides its files (to open it elsewhere)."""
        return dict(self._fields)

    def translate(self, sentences: Sequence[str]) -> list[Translation]:
        return self.submit(sentences)()

    def submit(self, sentences: Sequence[str]) -> Callable[[], list[Translation]]:
        """Queue ``sentences`` on CTranslate2's workers; the returned function waits for them."""
        if not sentences:
            return list
        pieces = self.tokenize(sentences)
        try:
            results = self.translator.translate_batch(pieces, asynchronous=True, **self.decoding_arguments(pieces))
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"CTranslate2 failed: {exc}", self.shown) from None

        def collect() -> list[Translation]:
            try:
                drafts = [self._translation(result.result()) for result in results]
                return redecode_stutters(sentences, drafts, self._decode_without_repeats)
            except (RuntimeError, ValueError) as exc:
                raise EngineError(f"CTranslate2 failed: {exc}", self.shown) from None

        return collect

    def _decode_without_repeats(self, sentences: Sequence[str]) -> list[Translation]:
        if self.options.stutter_penalty == 1:
            return []
        pieces = self.tokenize(sentences)
        results = self.translator.translate_batch(pieces, repetition_penalty=self.options.stutter_penalty,
                                                  **self.decoding_arguments(pieces))
        return [self._translation(result) for result in results]

    def _translation(self, result) -> Translation:
        """The best hypothesis, and its mean log-probability per token: CTranslate2 divides the
        summed log-probabilities by length ** length_penalty, counting the end token."""
        pieces = result.hypotheses[0]
        length = len(pieces) + 1
        score = result.scores[0] * length ** self.options.length_penalty / length if result.scores else None
        return Translation(self.detokenize(pieces), score)

    # -- the steps, public so a benchmark can time the model alone ---------------
    def tokenize(self, sentences: Sequence[str]) -> list[list[str]]:
        return self._processor.encode(list(sentences), out_type=str)

    def decoding_arguments(self, pieces: list[list[str]]) -> dict:
        longest = max((len(p) for p in pieces), default=0)
        arguments: dict[str, Any] = dict(
            beam_size=self.options.beam_size,
            length_penalty=self.options.length_penalty,
            max_batch_size=self.batch_size,
            replace_unknowns=True,
            return_scores=self.options.scored,  # each draft's score goes into its `# mt:` line
            no_repeat_ngram_size=self.options.no_repeat_ngram_size,
            # CTranslate2's default of 256 tokens would cut long sentences short.
            max_decoding_length=max(256, 2 * longest + 16),
        )
        if self._target_prefix:
            arguments["target_prefix"] = [[self._target_prefix]] * len(pieces)
        return arguments

    def detokenize(self, pieces: list[str]) -> str:
        if self._target_prefix and pieces[:1] == [self._target_prefix]:
            pieces = pieces[1:]
        return self._processor.decode(pieces).strip()

    @property
    def translator(self):
        """The CTranslate2 translator (public for benchmarks that call it directly)."""
        if self._translator is None:
            self._translator = _load_translator(self.package_dir / "model", self.threads, f"{self.shown}/model")
        return self._translator


def redecode_stutters(sources: Sequence[str], drafts: list[Translation],
                      redecode: Callable[[Sequence[str]], list[Translation]]) -> list[Translation]:
    """``drafts`` with each one that stutters (and whose source does not) replaced by ``redecode``'s
    output for its source, unless that stutters too or ``redecode`` gives nothing back."""
    looping = [i for i, (source, draft) in enumerate(zip(sources, drafts, strict=True))
               if stutters(draft.text) and not stutters(source)]
    if not looping:
        return drafts
    fixed = list(drafts)
    for index, again in zip(looping, redecode([sources[i] for i in looping]), strict=False):
        if not stutters(again.text):
            fixed[index] = again
    return fixed


def _load_sentencepiece(package_dir: Path, shown: str):
    path = package_dir / "sentencepiece.model"
    if not path.is_file():
        detail = "BPE packages (bpe.model) are not supported" if (package_dir / "bpe.model").exists() else "missing"
        raise EngineError(f"no sentencepiece.model in the package: {detail}", shown)
    try:
        return sentencepiece.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError) as exc:
        raise EngineError(f"cannot load the SentencePiece model: {exc}", f"{shown}/{path.name}") from None


def _load_translator(model_dir: Path, threads: Threads, shown: str):
    try:
        return ctranslate2.Translator(
            str(model_dir),
            device="cpu",
            compute_type="default",  # the type the package was saved in (int8 for Argos's packages)
            inter_threads=threads.workers,
            intra_threads=threads.per_worker,
        )
    except (OSError, RuntimeError, ValueError, IndexError) as exc:  # CTranslate2 raises all of these
        raise EngineError(f"cannot load the CTranslate2 model (corrupt package?): {exc}", shown) from None


def output_files(package_dir: Path) -> list[Path]:
    """The package's files that shape the output: the tokenizer and the CTranslate2 model."""
    return [path for path in sorted(package_dir.rglob("*"))
            if path.is_file() and (path.name == "sentencepiece.model" or path.parent.name == "model")]


def _fingerprint(package_dir: Path, options: DecodingOptions) -> str:
    """Digest of every file that shapes the output, plus the decoding settings."""
    digest = hashlib.sha256(repr(sorted(asdict(options).items())).encode())
    for path in output_files(package_dir):
        digest.update(path.relative_to(package_dir).as_posix().encode())
        with path.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()
