"""The MT stage: who gets a draft, how it is marked, masks, cache and call counts."""

from __future__ import annotations

import pytest

from pipeline.catalog import MASK_LOST_PREFIX, SUGGESTION_PREFIX, MTMark, State, load_catalog, save_catalog
from pipeline.errors import EngineError
from pipeline.mt.cache import TranslationCache
from pipeline.mt.masking import Masker
from pipeline.mt.models import ModelStore
from pipeline.translate import draft_catalog, draft_catalogs, has_work
from tests.mt_support import CountingEngine, catalog_of

OLD_MARK = MTMark("argos", "translate-id_en", "0.9", "Old draft.")


def _every_state():
    """One unit per state, plus an MT draft a reviewer edited and one from an older model."""
    catalog = catalog_of("Kalimat baru.")
    catalog.add("Kalimat ditinjau.", msgstr="Reviewed sentence.")
    catalog.add("Kalimat berubah lagi.", msgstr="Old human translation.", flags=["fuzzy"],
                previous_msgid="Kalimat berubah.")
    edited = catalog.add("Draf diedit.")
    edited.set_mt_draft("Old draft.", OLD_MARK)
    edited.set_translation("Draft a reviewer improved.", reviewed=False)
    stale = catalog.add("Draf lama.")
    stale.set_mt_draft("Old draft.", OLD_MARK)
    return catalog


def _entry_texts(catalog):
    return {u.msgid: str(u._entry) for u in catalog.units()}


def test_only_units_without_human_work_get_a_draft():
    catalog = _every_state()
    before = _entry_texts(catalog)
    engine = CountingEngine()
    report = draft_catalog(catalog, engine, suggest=False)

    new = catalog.get("Kalimat baru.")
    assert new.state is State.MT_DRAFT and new.msgstr == "KALIMAT BARU."
    assert new.mt == MTMark("fake", "fake", "1", "KALIMAT BARU.")
    assert not new.has_human_work
    for msgid in ("Kalimat ditinjau.", "Kalimat berubah lagi.", "Draf diedit.", "Draf lama."):
        assert _entry_texts(catalog)[msgid] == before[msgid]
    assert engine.sentences == ["Kalimat baru."]
    assert (report.drafted, report.redrafted, report.stale) == (1, 0, 1)


def test_redraft_rewrites_untouched_drafts_only():
    catalog = _every_state()
    before = _entry_texts(catalog)
    report = draft_catalog(catalog, CountingEngine(), redraft=True, suggest=False)
    stale = catalog.get("Draf lama.")
    assert stale.msgstr == "DRAF LAMA." and stale.mt.version == "1"
    for msgid in ("Kalimat ditinjau.", "Kalimat berubah lagi.", "Draf diedit."):
        assert _entry_texts(catalog)[msgid] == before[msgid]
    assert (report.drafted, report.redrafted) == (1, 1)


def test_a_unit_needing_update_is_offered_the_draft_beside_its_translation():
    catalog = _every_state()
    report = draft_catalog(catalog, CountingEngine())
    unit = catalog.get("Kalimat berubah lagi.")
    assert unit.state is State.NEEDS_UPDATE
    assert unit.msgstr == "Old human translation." and unit.previous_msgid == "Kalimat berubah."
    assert unit.translator_comment == SUGGESTION_PREFIX + "KALIMAT BERUBAH LAGI."
    assert report.suggested == 1
    draft_catalog(catalog, CountingEngine(str.lower))
    assert unit.translator_comment == SUGGESTION_PREFIX + "kalimat berubah lagi."  # replaced, not added


def test_has_work_says_whether_a_model_is_needed():
    catalog = catalog_of("Satu.")
    assert has_work(catalog)
    draft_catalog(catalog, CountingEngine())
    assert not has_work(catalog)
    assert has_work(catalog, redraft=True)


def test_masks_survive_the_real_argos_path(tiny_project):
    store = ModelStore(tiny_project)
    engine = store.open_engine(store.choose())
    source = "Pertemuan Bali Process pada 26 Juni 2015 dihadiri 1.250 orang, lihat www.baliprocess.net.[1]"
    catalog = catalog_of(source)
    report = draft_catalog(catalog, engine, masker=Masker([("Bali Process", "Bali Process")]))
    unit = catalog.get(source)
    # The copying model gives the masked text back; every span returns in its English form.
    assert unit.msgstr == ("Pertemuan Bali Process pada 26 June 2015 dihadiri 1,250 orang, "
                           "lihat www.baliprocess.net.[1]")
    assert unit.mt.engine == "argos" and unit.mt.version == "0.0.1"
    assert MASK_LOST_PREFIX not in unit.translator_comment
    assert report.masks_lost == 0


def test_a_model_that_mangles_masks_never_loses_a_span(project, mangling_package):
    store = ModelStore(project)
    engine = store.open_engine(store.install_file(mangling_package))
    source = "Pada tahun 2010 anggota mencapai 50 negara.[1]"
    catalog = catalog_of(source)
    report = draft_catalog(catalog, engine)
    unit = catalog.get(source)
    assert unit.state is State.MT_DRAFT
    for span in ("2010", "50", "[1]"):
        assert span in unit.msgstr
    assert unit.translator_comment.startswith(MASK_LOST_PREFIX + "2010 | 50 | [1]")
    assert report.masks_lost == 1
    assert not unit.has_human_work  # the appended spans are part of the raw draft


def test_the_mask_lost_note_goes_when_a_redraft_keeps_every_span(project, mangling_package, tiny_package):
    store = ModelStore(project)
    catalog = catalog_of("Pada tahun 2010.")
    draft_catalog(catalog, store.open_engine(store.install_file(mangling_package)))
    assert MASK_LOST_PREFIX in catalog.get("Pada tahun 2010.").translator_comment
    draft_catalog(catalog, store.open_engine(store.install_file(tiny_package)), redraft=True)
    assert catalog.get("Pada tahun 2010.").translator_comment == ""


def test_sentences_of_spans_only_never_reach_the_engine():
    catalog = catalog_of("[1]", "26 Juni 2015.")
    engine = CountingEngine()
    draft_catalog(catalog, engine)
    assert engine.calls == []
    assert [u.msgstr for u in catalog.units()] == ["[1]", "26 June 2015."]


def test_one_distinct_sentence_goes_to_the_engine_once():
    catalog = catalog_of("Pada 2001 negara.", "Pada 2002 negara.")  # the same once masked
    engine = CountingEngine()
    report = draft_catalog(catalog, engine)
    assert engine.sentences == ["Pada ZX0 negara."]
    assert [u.msgstr for u in catalog.units()] == ["PADA 2001 NEGARA.", "PADA 2002 NEGARA."]
    assert (report.sentences, report.translated) == (1, 1)


def test_catalogs_of_one_run_share_the_engine_and_their_reports_add_up():
    first = catalog_of("Kalimat sama.", "Hanya di pertama.")
    second = catalog_of("Hanya di kedua.", "Kalimat sama.")
    engine = CountingEngine()
    saved = []
    reports = draft_catalogs([first, second], engine, checkpoint=saved.append, checkpoint_every_s=0)
    assert sorted(engine.sentences) == ["Hanya di kedua.", "Hanya di pertama.", "Kalimat sama."]  # once each
    assert [u.msgstr for u in second.units()] == ["HANYA DI KEDUA.", "KALIMAT SAMA."]
    assert [(r.sentences, r.translated, r.cached) for r in reports] == [(2, 2, 0), (2, 1, 1)]
    assert sum(r.translated for r in reports) == len(engine.sentences)
    assert saved == [[0, 1]]  # one chunk: both catalogs changed, saved at its checkpoint


def test_chunks_that_come_back_out_of_order_give_the_same_drafts(monkeypatch):
    sentences = [f"Kalimat nomor {word}." for word in "abcdefghij"]

    class Unordered(CountingEngine):
        def translate_unordered(self, chunks):
            yield from reversed([(index, self.translate(chunk)) for index, chunk in enumerate(chunks)])

    monkeypatch.setattr("pipeline.translate.CHUNK_SENTENCES", 3)
    in_order, reversed_order = catalog_of(*sentences), catalog_of(*sentences)
    draft_catalog(in_order, CountingEngine())
    draft_catalog(reversed_order, Unordered())
    assert _entry_texts(reversed_order) == _entry_texts(in_order)


def test_a_rerun_is_answered_by_the_cache(tmp_path, tiny_project):
    store = ModelStore(tiny_project)
    engine = store.open_engine(store.choose())
    sentences = [f"Kalimat nomor {word} di sini." for word in ("satu", "dua", "tiga")]
    first, second = catalog_of(*sentences), catalog_of(*sentences)
    with TranslationCache.for_model(tmp_path, engine.identity) as cache:
        report = draft_catalog(first, engine, cache=cache)
        assert (report.cached, report.translated) == (0, 3)
    engine.translate = None  # the model must not be asked again
    with TranslationCache.for_model(tmp_path, engine.identity) as cache:
        report = draft_catalog(second, engine, cache=cache)
    assert (report.cached, report.translated) == (3, 0)
    assert first.to_text() == second.to_text()


def test_after_one_edit_in_ten_thousand_units_one_sentence_is_translated(tmp_path):
    words = ["".join("abcdefghij"[int(d)] for d in f"{n:05d}") for n in range(10_000)]  # digits would be masked
    sentences = [f"Kalimat {word} tentang kerjasama regional." for word in words]
    engine = CountingEngine()
    with TranslationCache(tmp_path / "cache.sqlite") as cache:
        draft_catalog(catalog_of(*sentences), engine, cache=cache)
        assert len(engine.sentences) == 10_000
        sentences[5000] = "Satu kalimat yang diubah."
        engine.calls.clear()
        report = draft_catalog(catalog_of(*sentences), engine, cache=cache)
    assert engine.sentences == ["Satu kalimat yang diubah."]
    assert (report.cached, report.translated) == (9_999, 1)


def test_finished_chunks_are_kept_when_the_run_is_interrupted(tmp_path, monkeypatch):
    monkeypatch.setattr("pipeline.translate.CHUNK_SENTENCES", 2)
    monkeypatch.setattr("pipeline.translate.MAX_SAVE_SHARE", 1.0)
    sentences = [f"Kalimat {word}." for word in ("satu", "dua", "tiga", "empat", "lima")]
    catalog = catalog_of(*sentences)
    path = tmp_path / "doc.po"
    saves = []

    class Interrupted(CountingEngine):
        def translate(self, batch):
            if len(self.calls) == 2:
                raise KeyboardInterrupt
            return super().translate(batch)

    def checkpoint():
        saves.append(save_catalog(catalog, path))

    with TranslationCache(tmp_path / "cache.sqlite") as cache, pytest.raises(KeyboardInterrupt):
        draft_catalog(catalog, Interrupted(), cache=cache, checkpoint=checkpoint, checkpoint_every_s=0)
    assert saves == [True, True]  # a save after each finished chunk (the interval is 0 here)
    on_disk = load_catalog(path)
    assert sum(u.state is State.MT_DRAFT for u in on_disk.units()) == 4
    with TranslationCache(tmp_path / "cache.sqlite") as cache:
        assert len(cache) == 4


def test_slow_saves_are_made_less_often(monkeypatch):
    """Saving must not eat the run: here each save "takes" 1 s, so after one, 9 chunks pass unsaved."""
    clock = [0.0]
    monkeypatch.setattr("pipeline.translate.time.monotonic", lambda: clock[0])
    monkeypatch.setattr("pipeline.translate.CHUNK_SENTENCES", 1)
    saves = []

    class OneSecondPerSentence(CountingEngine):
        def translate(self, batch):
            clock[0] += 1.0
            return super().translate(batch)

    def save():
        saves.append(clock[0])
        clock[0] += 1.0

    draft_catalog(catalog_of(*[f"Kalimat {w}." for w in "abcdefghijklmnopqrstuvwxy"]), OneSecondPerSentence(),
                  checkpoint=save, checkpoint_every_s=2)
    assert saves == [2.0, 12.0, 22.0]  # asked every 2 s; done every 10 s, so a 1 s save is 10% of the time


def test_an_engine_returning_the_wrong_count_is_an_engine_error():
    class Short(CountingEngine):
        def translate(self, batch):
            return super().translate(batch)[:-1]

    with pytest.raises(EngineError, match="returned 1 translations for 2 sentences"):
        draft_catalog(catalog_of("Satu kalimat.", "Dua kalimat."), Short())


def test_drafting_is_deterministic(tiny_project):
    store = ModelStore(tiny_project)
    engine = store.open_engine(store.choose())
    source = ["Forum ini dibentuk pada tahun 2002.", "Bali Process adalah forum.", "Lihat [1]."]
    texts = []
    for _ in range(2):
        catalog = catalog_of(*source)
        draft_catalog(catalog, engine)
        texts.append(catalog.to_text())
    assert texts[0] == texts[1]


class _QueueingEngine(CountingEngine):
    """Records when chunks are submitted and collected, as a pipelined engine sees them."""

    def __init__(self):
        super().__init__()
        self.events = []

    def submit(self, sentences):
        self.events.append(("submit", sentences[0]))

        def collect():
            self.events.append(("collect", sentences[0]))
            return self.translate(sentences)

        return collect


def test_a_pipelined_engine_gets_the_next_chunk_before_the_last_is_collected(monkeypatch):
    monkeypatch.setattr("pipeline.translate.CHUNK_SENTENCES", 2)
    texts = [f"Kalimat {word}." for word in ("satu", "dua", "tiga", "empat", "lima")]
    catalog, engine = catalog_of(*texts), _QueueingEngine()
    draft_catalog(catalog, engine)
    one, three, five = "Kalimat dua.", "Kalimat satu.", "Kalimat empat."  # shortest first, two a chunk
    first = [("submit", one), ("submit", three), ("collect", one),
             ("submit", five), ("collect", three), ("collect", five)]
    assert engine.events == first
    assert [u.msgstr for u in catalog.units()] == [t.upper() for t in texts]  # each to its own unit
