"""The whole life cycle as a hypothesis state machine: no human work is ever lost.

Random sequences of source edits (insert, delete, modify, move sentences;
split, join, insert, delete, move paragraphs; reflow), reviewer edits
(reviewed translations, drafts of their own, post-edited MT drafts), MT
runs (the real MT stage, masker and cache included, with a fake engine
behind its interface, sometimes a newer model re-drafting) and updates, all
run in-process through ``pipeline.stages``, the functions the CLI calls.

After every step:
  - every piece of human work is where it belongs: attached to its msgid as
    it was, or fuzzy with that msgid as the previous msgid, or obsolete;
  - the .pot and .po pass ``msgfmt -c`` and load strictly;
  - after a stage, running it again changes no byte.
"""

from __future__ import annotations

import shutil
import tempfile
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from pipeline import stages
from pipeline.catalog import State, Unit, load_catalog, save_catalog
from pipeline.mt.engine import ModelIdentity
from pipeline.project import Project
from tests.reliability import msgfmt_check

DOMAIN = "doc"
SOURCE = f"source/{DOMAIN}.txt"
POT = f"locales/{DOMAIN}.pot"
PO = f"locales/en/LC_MESSAGES/{DOMAIN}.po"

# Words of four letters or more with a vowel: the splitter reads "word." as
# a sentence end, and no word is an abbreviation, a number or a list marker.
WORDS = (
    "negara", "anggota", "kerjasama", "forum", "regional", "kejahatan", "manusia", "perdagangan",
    "penyelundupan", "imigran", "pengungsi", "perbatasan", "hukum", "penegakan", "bersama", "upaya",
    "masalah", "jaringan", "kriminal", "pertemuan", "menteri", "laporan", "kawasan", "keamanan", "bantuan",
    "kapasitas", "identifikasi", "informasi", "dalam", "untuk", "dengan", "yang", "telah", "akan", "juga",
    "tidak", "hanya", "tetapi", "sangat", "lebih",
)

sentences = st.lists(st.sampled_from(WORDS), min_size=3, max_size=9).map(
    lambda words: " ".join([words[0].capitalize(), *words[1:]]) + "."
)
paragraphs = st.lists(sentences, min_size=1, max_size=4)
widths = st.integers(min_value=30, max_value=90)


class FakeEngine:
    """An MT engine behind the stage's interface: marks its output with its version."""

    def __init__(self, version: str):
        self.identity = ModelIdentity("fake", "fake-id_en", version, version * 64)

    def translate(self, batch: Sequence[str]) -> list[str]:
        return [f"[mt v{self.identity.version}] {sentence}" for sentence in batch]


@dataclass(frozen=True)
class Work:
    """A piece of human work the catalog must keep: its text and its state."""

    msgstr: str
    state: State
    obsolete: bool = False


class LifeCycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="idpo-lifecycle-"))
        self.project = Project(self.root)
        (self.root / "source").mkdir()
        self.paragraphs: list[list[str]] = []
        self.width = 70
        self.blank_lines = True
        self.work: dict[tuple[str | None, str], Work] = {}  # the ledger, by unit key
        self.edits = 0

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    # -- the stages, as the CLI runs them ----------------------------------------

    def write_source(self) -> None:
        texts = [textwrap.fill(" ".join(p), self.width, break_long_words=False) for p in self.paragraphs]
        (self.root / SOURCE).write_text(("\n\n" if self.blank_lines else "\n").join(texts) + "\n", encoding="utf-8")

    def extract(self) -> bool:
        document = stages.read_document(self.project, self.root / SOURCE)
        return stages.save(self.project, stages.extract(document), self.root / POT)

    def update(self) -> bool:
        merged, _ = stages.merge_catalog(self.project, DOMAIN)
        return stages.save(self.project, merged, self.root / PO)

    def translate(self, version: str, redraft: bool) -> bool:
        """The MT stage as `translate` wires it (masker, cache), with a fake engine behind it."""
        catalog = stages.load_translation(self.project, DOMAIN)
        with stages.open_mt(self.project, engine=FakeEngine(version)) as mt:
            mt.draft(catalog, redraft=redraft)
        return stages.save(self.project, catalog, self.root / PO)

    def catalog_units(self) -> tuple[list[Unit], list[Unit]]:
        catalog = load_catalog(self.root / PO, language="en")
        return catalog.units(), catalog.obsolete_units()

    # -- steps ------------------------------------------------------------------

    @initialize(document=st.lists(paragraphs, min_size=1, max_size=4), width=widths)
    def start(self, document: list[list[str]], width: int) -> None:
        self.paragraphs, self.width = document, width
        self.write_source()
        self.extract()
        self.update()

    # Four rules, so that "review, edit, update" comes up often; an edit step
    # makes one to three source edits of the kinds below.

    @rule(data=st.data())
    def edit_source(self, data) -> None:
        for _ in range(data.draw(st.integers(1, 3), label="edits")):
            edit = data.draw(st.sampled_from(SOURCE_EDITS), label="edit")
            edit(self, data)
            self.paragraphs = [p for p in self.paragraphs if p] or [[data.draw(sentences)]]
        self.write_source()

    def insert_sentence(self, data) -> None:
        paragraph = data.draw(st.sampled_from(self.paragraphs))
        paragraph.insert(data.draw(st.integers(0, len(paragraph))), data.draw(sentences))

    def delete_sentence(self, data) -> None:
        paragraph = data.draw(st.sampled_from(self.paragraphs))
        paragraph.pop(data.draw(st.integers(0, len(paragraph) - 1)))

    def modify_sentence(self, data) -> None:
        """Change one word: the kind of edit update carries over as fuzzy."""
        paragraph = data.draw(st.sampled_from(self.paragraphs))
        index = data.draw(st.integers(0, len(paragraph) - 1))
        words = paragraph[index].removesuffix(".").split(" ")
        words[data.draw(st.integers(1, len(words) - 1))] = data.draw(st.sampled_from(WORDS))
        paragraph[index] = " ".join(words) + "."

    def move_sentence(self, data) -> None:
        source = data.draw(st.sampled_from(self.paragraphs))
        sentence = source.pop(data.draw(st.integers(0, len(source) - 1)))
        target = data.draw(st.sampled_from(self.paragraphs))
        target.insert(data.draw(st.integers(0, len(target))), sentence)

    def insert_paragraph(self, data) -> None:
        self.paragraphs.insert(data.draw(st.integers(0, len(self.paragraphs))), data.draw(paragraphs))

    def delete_paragraph(self, data) -> None:
        self.paragraphs.pop(data.draw(st.integers(0, len(self.paragraphs) - 1)))

    def move_paragraph(self, data) -> None:
        paragraph = self.paragraphs.pop(data.draw(st.integers(0, len(self.paragraphs) - 1)))
        self.paragraphs.insert(data.draw(st.integers(0, len(self.paragraphs))), paragraph)

    def split_or_join_paragraphs(self, data) -> None:
        index = data.draw(st.integers(0, len(self.paragraphs) - 1))
        paragraph = self.paragraphs[index]
        if len(paragraph) > 1 and data.draw(st.booleans(), label="split"):
            cut = data.draw(st.integers(1, len(paragraph) - 1))
            self.paragraphs[index : index + 1] = [paragraph[:cut], paragraph[cut:]]
        elif index + 1 < len(self.paragraphs):
            self.paragraphs[index : index + 2] = [paragraph + self.paragraphs[index + 1]]

    def reflow(self, data) -> None:
        self.width, self.blank_lines = data.draw(widths), data.draw(st.booleans())

    @rule()
    def run_update(self) -> None:
        self.extract()
        self.update()
        self.follow_work_through_update()
        assert not self.extract() and not self.update(), "re-running extract and update changed a byte"

    @rule(version=st.sampled_from(["1", "2"]), redraft=st.booleans())
    def run_mt(self, version: str, redraft: bool) -> None:
        self.translate(version, redraft)
        assert not self.translate(version, redraft), "re-running translate changed a byte"
        self.check_work_in_place()
        units, _ = self.catalog_units()
        assert all(u.state is not State.UNTRANSLATED for u in units), "MT left a unit without a draft"

    @rule(data=st.data())
    def review(self, data) -> None:
        """A reviewer edits some units: approves, writes a draft, or post-edits an MT draft."""
        catalog = load_catalog(self.root / PO, language="en")
        units = catalog.units()
        chosen = data.draw(st.lists(st.sampled_from(units), min_size=1, max_size=4, unique_by=lambda u: u.key))
        for unit in chosen:
            self.edits += 1
            action = data.draw(st.sampled_from(["approve", "draft", "post-edit"]))
            if action == "post-edit" and unit.state is State.MT_DRAFT:
                # Change the machine's own words: the mark stays as history of a person's translation.
                unit.set_translation(f"{unit.msgstr} (edit {self.edits})", reviewed=False)
                assert unit.post_edited and unit.state is State.TRANSLATED, unit
            else:
                unit.set_translation(f"Edit {self.edits}: {unit.msgid}", reviewed=action == "approve")
        save_catalog(catalog, self.root / PO)
        for unit in chosen:
            saved = load_catalog(self.root / PO).get(unit.msgid, unit.msgctxt)
            assert saved.has_human_work, f"{saved} does not count as human work"
            self.work[saved.key] = Work(saved.msgstr, saved.state)

    # -- invariants ---------------------------------------------------------------

    def check_work_in_place(self) -> None:
        """Nothing but update moves human work: each piece is exactly where it was."""
        units, obsolete = self.catalog_units()
        active = {u.key: u for u in units}
        gone = {u.key: u for u in obsolete}
        for key, work in self.work.items():
            unit = (gone if work.obsolete else active).get(key)
            assert unit is not None and (unit.msgstr, unit.state) == (work.msgstr, work.state), (
                f"human work on {key[1]!r} changed: {work} -> {unit}"
            )

    def follow_work_through_update(self) -> None:
        """Each piece of work is kept, carried as fuzzy with its msgid as previous, or obsolete."""
        units, obsolete = self.catalog_units()
        active = {u.key: u for u in units}
        gone = {u.key: u for u in obsolete}
        followed: dict[tuple[str | None, str], Work] = {}
        for key, work in self.work.items():
            kept = active.get(key)
            carried = [u for u in units if u.previous_msgid == key[1] and u.msgstr == work.msgstr]
            if kept is not None and kept.msgstr == work.msgstr:
                assert kept.state is work.state, f"{kept} was {work.state}"
                followed[key] = Work(work.msgstr, work.state)
            elif carried:
                for unit in carried:
                    assert unit.state is State.NEEDS_UPDATE, unit
                    followed[unit.key] = Work(unit.msgstr, State.NEEDS_UPDATE)
            elif key in gone and gone[key].msgstr == work.msgstr:
                followed[key] = Work(work.msgstr, gone[key].state, obsolete=True)
            else:
                raise AssertionError(f"human work on {key[1]!r} ({work.msgstr!r}) was silently dropped")
        self.work = followed

    @invariant()
    def catalogs_are_valid(self) -> None:
        if not (self.root / PO).exists():
            return
        msgfmt_check(self.root / POT, self.root / PO)
        self.check_work_in_place()


SOURCE_EDITS = (
    LifeCycle.insert_sentence, LifeCycle.delete_sentence, LifeCycle.modify_sentence, LifeCycle.move_sentence,
    LifeCycle.insert_paragraph, LifeCycle.delete_paragraph, LifeCycle.move_paragraph,
    LifeCycle.split_or_join_paragraphs, LifeCycle.reflow,
)

LifeCycle.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TestLifeCycle = LifeCycle.TestCase
