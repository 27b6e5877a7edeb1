"""Deterministic benchmark workloads built from the Indonesian training corpus.

Every workload comes from the ``*.id`` files of a corpus folder (by default
``../shared/corpora/train``, about 32K lines), with the parallel ``*.en``
lines as the "human" translations of the merge workloads. The same corpus
and sizes always give the same bytes: files are read in name order and one
seeded random generator drives the shuffle, the edits and the variants.

Sentences are put in prose form first (capital first letter, a final stop)
because a document is a run of sentences; the corpora hold fragments
("dan bersama dengan demam") that would otherwise run together.

    hard_wrapped(sentences)       paragraphs of 5 sentences, wrapped at 72
                                  columns, blank lines between paragraphs
    small_documents(sentences)    the same sentences cut into N documents
    revise(sentences, ...)        a new version of a document: 5 % of the
                                  sentences edited (one or two words changed,
                                  inserted or deleted), 1 % deleted, 1 % new
    variants(corpus, count)       ``count`` distinct sentences with their
                                  translations, repeating the corpus with a
                                  numbered phrase in front
"""

from __future__ import annotations

import random
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "train"
SEED = 20240607
SENTENCES_PER_PARAGRAPH = 5
WRAP_WIDTH = 72
EDITED_SHARE = 0.05
DELETED_SHARE = 0.01
INSERTED_SHARE = 0.01
MIN_EDITABLE_WORDS = 4  # "Ayah saya guru." and longer: first and last word stay
_FINAL = re.compile(r"[.!?…][\"'”’)\]]*$")
_WORD = re.compile(r"[^\W\d_]{3,}")  # letters only: words an editor would type


class CorpusError(Exception):
    """The corpus folder is missing or holds no usable ``*.id`` lines."""


@dataclass(frozen=True)
class Corpus:
    sentences: tuple[str, ...]  # distinct, prose form, shuffled
    english: dict[str, str]  # Indonesian sentence -> its English line
    vocabulary: tuple[str, ...]  # words that edits insert or substitute

    def single_sentences(self) -> list[str]:
        """Sentences the pipeline's splitter keeps whole: one line, one unit,
        so an edit to it changes exactly one catalog entry."""
        from pipeline.segmenter import split_sentences

        return [s for s in self.sentences if split_sentences(s) == [s]]


@dataclass
class Revision:
    """A new version of a list of sentences, and what changed."""

    sentences: list[str]
    edits: list[tuple[str, str]] = field(default_factory=list)  # (old, new)
    deleted: list[str] = field(default_factory=list)
    inserted: list[str] = field(default_factory=list)


def load_corpus(directory: Path = DEFAULT_CORPUS) -> Corpus:
    """Read every ``*.id`` file (and its ``*.en`` twin when it has one)."""
    directory = Path(directory)
    sources = sorted(directory.glob("*.id")) if directory.is_dir() else []
    if not sources:
        raise CorpusError(
            f"no corpus at {directory}: expected *.id files (the Indonesian side of the training "
            "corpora); pass --corpus DIR"
        )
    english: dict[str, str] = {}
    for source in sources:
        twin = source.with_suffix(".en")
        ids = source.read_text(encoding="utf-8").splitlines()
        ens = twin.read_text(encoding="utf-8").splitlines() if twin.is_file() else []
        for index, line in enumerate(ids):
            sentence = prose_form(line)
            if sentence and sentence not in english:
                english[sentence] = prose_form(ens[index]) if index < len(ens) else ""
    sentences = list(english)
    random.Random(SEED).shuffle(sentences)
    return Corpus(tuple(sentences), english, _vocabulary(sentences))


def prose_form(line: str) -> str:
    """Whitespace collapsed, first letter capital, ending in a stop."""
    text = " ".join(line.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if _FINAL.search(text) else text + "."


def _vocabulary(sentences: Iterable[str]) -> tuple[str, ...]:
    words = {word.lower() for sentence in sentences for word in _WORD.findall(sentence)}
    return tuple(sorted(words))


# --- documents ---------------------------------------------------------------


def paragraphs(sentences: Sequence[str], per: int = SENTENCES_PER_PARAGRAPH) -> list[list[str]]:
    return [list(sentences[start : start + per]) for start in range(0, len(sentences), per)]


def hard_wrapped(sentences: Sequence[str], width: int = WRAP_WIDTH) -> str:
    """A plain-text document: wrapped paragraphs, a blank line between them.

    Words are never broken, not even at a hyphen ("pasien-pasien"): a reader
    joining the lines again would otherwise see two words.
    """
    wrapper = textwrap.TextWrapper(width=width, break_long_words=False, break_on_hyphens=False)
    return "\n\n".join(wrapper.fill(" ".join(p)) for p in paragraphs(sentences)) + "\n"


def small_documents(sentences: Sequence[str], count: int) -> list[str]:
    """``sentences`` cut into ``count`` hard-wrapped documents of near-equal size."""
    size, extra = divmod(len(sentences), count)
    documents, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        documents.append(hard_wrapped(sentences[start:end]))
        start = end
    return documents


# --- revisions -----------------------------------------------------------------


def revise(
    sentences: Sequence[str],
    spare: Sequence[str],
    vocabulary: Sequence[str],
    *,
    seed: int = SEED,
) -> Revision:
    """Edit 5 %, delete 1 % and insert 1 % (taken from ``spare``) of ``sentences``."""
    rng = random.Random(seed)
    editable = [i for i, s in enumerate(sentences) if len(s.split(" ")) >= MIN_EDITABLE_WORDS]
    chosen = rng.sample(editable, min(len(editable), round(len(sentences) * EDITED_SHARE)))
    others = sorted(set(range(len(sentences))) - set(chosen))
    removed = set(rng.sample(others, round(len(sentences) * DELETED_SHARE)))
    revision = Revision([])
    taken = set(sentences)
    replacements: dict[int, str] = {}
    for index in sorted(chosen):
        new = edit_sentence(sentences[index], rng, vocabulary)
        if new not in taken:
            replacements[index] = new
            taken.add(new)
            revision.edits.append((sentences[index], new))
    fresh = [s for s in spare if s not in taken][: round(len(sentences) * INSERTED_SHARE)]
    insert_before = dict(zip(sorted(rng.sample(range(len(sentences)), len(fresh))), fresh, strict=True))
    for index, sentence in enumerate(sentences):
        if index in insert_before:
            revision.sentences.append(insert_before[index])
            revision.inserted.append(insert_before[index])
        if index in removed:
            revision.deleted.append(sentence)
        else:
            revision.sentences.append(replacements.get(index, sentence))
    return revision


def edit_sentence(sentence: str, rng: random.Random, vocabulary: Sequence[str]) -> str:
    """One or two word-level edits, as an author revising the text makes them.

    The first and last words stay, so the sentence keeps its capital and its
    final stop and remains one sentence.
    """
    words = sentence.split(" ")
    for _ in range(rng.choice((1, 1, 2))):
        position = rng.randrange(1, len(words) - 1)
        operation = rng.choice(
            ("change", "insert", "delete") if len(words) > MIN_EDITABLE_WORDS else ("change", "insert"))
        if operation == "change":
            words[position] = rng.choice(vocabulary)
        elif operation == "insert":
            words.insert(position, rng.choice(vocabulary))
        else:
            del words[position]
    return " ".join(words)


# --- large catalogs ------------------------------------------------------------

VARIANT_PHRASES = (
    ("Dalam bagian {n},", "In part {n},"),
    ("Menurut catatan {n},", "According to note {n},"),
    ("Pada halaman {n},", "On page {n},"),
)


def variants(sentences: Sequence[str], english: dict[str, str], count: int) -> list[tuple[str, str]]:
    """``count`` distinct (Indonesian, English) pairs: the sentences as they
    are, then again with a numbered phrase in front, round after round."""
    pairs: list[tuple[str, str]] = []
    round_number = 0
    while len(pairs) < count:
        for sentence in sentences:
            if len(pairs) == count:
                break
            pairs.append(_variant(sentence, english.get(sentence, ""), round_number))
        round_number += 1
    return pairs


def _variant(sentence: str, translation: str, round_number: int) -> tuple[str, str]:
    if round_number == 0:
        return sentence, translation
    source_phrase, english_phrase = VARIANT_PHRASES[round_number % len(VARIANT_PHRASES)]
    number = round_number // len(VARIANT_PHRASES) + 1
    return (
        f"{source_phrase.format(n=number)} {_lower_first(sentence)}",
        f"{english_phrase.format(n=number)} {_lower_first(translation)}" if translation else "",
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- projects on disk ------------------------------------------------------------


def write_sources(root: Path, documents: dict[str, str]) -> list[Path]:
    """A pipeline project at ``root`` whose source/ holds ``documents`` (name -> text)."""
    source = Path(root) / "source"
    source.mkdir(parents=True, exist_ok=True)
    (Path(root) / "locales").mkdir(exist_ok=True)
    paths = []
    for name, text in documents.items():
        path = source / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def extract_template(root: Path, name: str) -> Path:
    """Write locales/<name>.pot for source/<name>.txt with the pipeline, in process."""
    from pipeline.catalog import POT_STAMP, save_catalog
    from pipeline.extract import extract
    from pipeline.project import Project
    from pipeline.reader import read_document

    project = Project(Path(root))
    path = project.source_dir / f"{name}.txt"
    document = read_document(path, display_path=project.display_path(path))
    target = project.pot_path(name)
    target.unlink(missing_ok=True)
    save_catalog(extract([document], name), target, stamp=POT_STAMP)
    return target


def translate_catalog(root: Path, name: str, english: dict[str, str]) -> tuple[Path, int]:
    """Write locales/en/LC_MESSAGES/<name>.po from the .pot with every unit that
    has an English line reviewed; return the path and the number translated."""
    from pipeline.catalog import load_catalog, save_catalog
    from pipeline.project import Project
    from pipeline.update import merge

    project = Project(Path(root))
    template = load_catalog(project.pot_path(name))
    catalog, _ = merge(template, None, language=project.language)
    translated = 0
    for unit in catalog.units():
        if translation := english.get(unit.msgid):
            unit.set_translation(translation, reviewed=True)
            translated += 1
    target = project.po_path(name)
    target.unlink(missing_ok=True)
    save_catalog(catalog, target)
    return target, translated
