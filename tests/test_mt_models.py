"""Argos packages: install from a file or the index, refuse corrupt ones, choose, load, translate."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import EngineError
from pipeline.mt.argos import DecodingOptions, redecode_stutters
from pipeline.mt.engine import Translation
from pipeline.mt.models import PACKAGES_DIR, ModelStore
from pipeline.repetition import stutters
from tests.argos_tiny import build_tiny_argosmodel


def test_install_unpacks_into_the_project_and_lists_the_version(project, tiny_package):
    store = ModelStore(project)
    model = store.install_file(tiny_package)
    assert model.path == project / PACKAGES_DIR / "translate-id_en-0_0_1"
    assert (model.path / "model" / "model.bin").is_file()
    assert (model.name, model.version, model.from_code, model.to_code) == ("translate-id_en", "0.0.1", "id", "en")
    assert store.installed() == [model]
    assert [p.name for p in (project / PACKAGES_DIR).iterdir()] == ["translate-id_en-0_0_1"]  # no staging left


def test_reinstalling_replaces_the_package(tiny_project, tiny_package):
    store = ModelStore(tiny_project)
    marker = store.installed()[0].path / "stale-file"
    marker.write_text("from the old copy")
    store.install_file(tiny_package)
    assert not marker.exists()
    assert len(store.installed()) == 1


def test_the_argos_engine_translates_a_batch_through_ctranslate2(tiny_project):
    store = ModelStore(tiny_project)
    engine = store.open_engine(store.choose())
    sentences = ["Pertemuan di Bali pada tahun ZX0.", "Kerjasama regional, ZX1 dan ZX2!", "Ω ⟦ok⟧ a_b"]
    translations = engine.translate(sentences)
    assert [t.text for t in translations] == sentences  # the tiny model copies its input
    assert all(t.score is not None and t.score <= 0 for t in translations)  # mean log-probability per token
    assert (engine.identity.engine, engine.identity.model, engine.identity.version) == (
        "argos", "translate-id_en", "0.0.1")


def test_the_fingerprint_tells_two_packages_with_one_name_apart(tiny_project, mangling_package):
    store = ModelStore(tiny_project)
    copying = store.open_engine(store.choose()).identity
    again = store.open_engine(store.choose()).identity
    mangling = store.open_engine(store.install_file(mangling_package)).identity
    assert copying == again
    assert copying.fingerprint != mangling.fingerprint
    assert copying.cache_name != mangling.cache_name


def _rezip(source: Path, target: Path, *, drop: str = "", extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            if not drop or not item.filename.endswith(drop):
                new.writestr(item, old.read(item))
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return target


def _random_bytes(source: Path, target: Path) -> Path:
    target.write_bytes(b"not a zip at all")
    return target


def _truncated(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes()[:5000])
    return target


def _flip_a_byte(source: Path, target: Path) -> Path:
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo("translate-id_en-0_0_1/model/model.bin")
    data[info.header_offset + 30 + len(info.filename) + 100] ^= 0xFF  # inside the compressed model.bin
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize(
    "make_bad, message",
    [
        (_random_bytes, "corrupt or truncated"),
        (_truncated, "corrupt or truncated"),
        (_flip_a_byte, "corrupt"),
        (lambda src, dst: _rezip(src, dst, drop="model/model.bin"), "model/model.bin is missing"),
        (lambda src, dst: _rezip(src, dst, drop="sentencepiece.model"), "sentencepiece.model is missing"),
        (lambda src, dst: _rezip(src, dst, extra={"../evil.txt": b"x"}), "unsafe paths"),
        (lambda src, dst: _rezip(src, dst, extra={"other/metadata.json": b"{}"}), "one top-level folder"),
    ],
    ids=["random-bytes", "truncated", "bad-checksum", "no-model", "no-sentencepiece", "zip-slip", "two-folders"],
)
def test_a_corrupt_package_is_refused_and_nothing_is_installed(project, tiny_package, tmp_path, make_bad, message):
    bad = make_bad(tiny_package, tmp_path / "bad.argosmodel")
    with pytest.raises(EngineError, match=message) as caught:
        ModelStore(project).install_file(bad)
    assert caught.value.path == str(bad)
    assert not (project / PACKAGES_DIR.parts[0]).exists()  # not even an empty models/installed/
    assert not (tmp_path.parent / "evil.txt").exists()


def test_a_missing_package_file_is_bad_input_and_installs_nothing(project, tmp_path, capsys):
    from pipeline.cli import main

    missing = tmp_path / "not-downloaded.argosmodel"
    assert main(["model", "install", str(missing), "--root", str(project)]) == 3  # bad input, like a missing source
    assert capsys.readouterr().err.strip() == f"error: {missing}: no such file"
    assert main(["model", "install", str(tmp_path), "--root", str(project)]) == 3
    assert capsys.readouterr().err.strip() == f"error: {tmp_path}: not a file"
    assert not (project / PACKAGES_DIR.parts[0]).exists()


def test_a_package_whose_model_cannot_load_fails_clearly(project, tiny_package, tmp_path):
    garbage = _rezip(tiny_package, tmp_path / "a.argosmodel", drop="model/model.bin",
                     extra={"translate-id_en-0_0_1/model/model.bin": b"\0" * 64})
    store = ModelStore(project)
    engine = store.open_engine(store.install_file(garbage))
    with pytest.raises(EngineError, match="cannot load the CTranslate2 model"):
        engine.translate(["Halo."])


def test_no_model_is_one_clear_error(project):
    with pytest.raises(EngineError, match=r"(?s)no id->en translation model installed.*model install"):
        ModelStore(project).choose()


def test_a_shipped_package_is_installed_on_first_use(project, tiny_package):
    (project / "models").mkdir()
    shutil.copy(tiny_package, project / "models")
    store = ModelStore(project)
    assert store.current().installed is False
    model = store.choose()
    assert model.installed and model.path.parent == project / PACKAGES_DIR
    assert store.current() == model


def test_the_newest_id_en_package_is_chosen_and_model_picks_another(project, tiny_package, tmp_path):
    store = ModelStore(project)
    store.install_file(tiny_package)
    newer = store.install_file(build_tiny_argosmodel(tmp_path, version="0.0.10"))
    assert store.choose() == newer  # 0.0.10 > 0.0.1: versions compare as versions, not strings
    assert store.choose("translate-id_en-0_0_1").version == "0.0.1"
    assert store.choose("translate-id_en 0.0.1").version == "0.0.1"
    with pytest.raises(EngineError, match="no installed model 'nope'.*translate-id_en-0_0_1"):
        store.choose("nope")


def test_a_newer_shipped_package_wins_over_an_older_installed_one(project, tiny_package, tmp_path):
    store = ModelStore(project)
    store.install_file(tiny_package)
    (project / "models").mkdir(exist_ok=True)
    build_tiny_argosmodel(project / "models", version="0.1.0")
    assert store.choose().version == "0.1.0"


def test_installing_from_the_index_offline_says_so(project):
    with pytest.raises(EngineError, match="offline") as caught:
        ModelStore(project).install_from_index("translate-id_en", index_url="http://127.0.0.1:9/index.json")
    assert caught.value.path == "http://127.0.0.1:9/index.json"


@pytest.fixture
def package_index(tiny_package, tmp_path):
    """A local HTTP server standing in for Argos's index (no network needed)."""
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(tiny_package, served / "tiny.argosmodel")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(served), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    entry = {"package_version": "0.0.1", "argos_version": "1.11", "from_code": "id", "from_name": "Indonesian",
             "to_code": "en", "to_name": "English", "type": "translate", "links": [f"{base}/tiny.argosmodel"]}
    (served / "index.json").write_text(json.dumps([entry]))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"{base}/index.json"
    server.shutdown()


def test_installing_from_the_index_downloads_and_installs(project, package_index):
    store = ModelStore(project)
    model = store.install_from_index("translate-id_en", index_url=package_index)
    assert model.installed and model.version == "0.0.1"
    assert list((project / ".cache" / "argos").rglob("*.argosmodel")) == []  # the download is removed
    with pytest.raises(EngineError, match="no package 'translate-xx_yy'.*translate-id_en"):
        store.install_from_index("translate-xx_yy", index_url=package_index)


@pytest.mark.parametrize("text, expected", [
    ("the forum forum forum and", True),
    ("drug drug, drug drug", True),
    ("Help help HELP.", True),
    ("help help", False),
    ("1 1 1 and ZX0 ZX0 ZX0", False),  # numbers and placeholders are not words that loop
    ("the forum, the forum, the forum", False),  # phrases: the no-repeat-4-gram rule's job
])
def test_a_word_three_times_in_a_row_is_a_stutter(text, expected):
    assert stutters(text) is expected


def test_only_stuttering_drafts_are_decoded_again_and_kept_only_when_the_loop_is_gone():
    asked = []

    def redecode(sources):
        asked.append(list(sources))
        return [Translation("the forum and", -0.9), Translation("still still still", -1.2)]

    sources = ["Forum ini.", "Ya ya ya.", "Forum itu.", "Tolong."]
    drafts = [Translation(text, -0.5) for text in ("This forum.", "Yes yes yes.", "the forum forum forum",
                                                   "help help help")]
    fixed = redecode_stutters(sources, drafts, redecode)
    assert [t.text for t in fixed] == ["This forum.", "Yes yes yes.", "the forum and", "help help help"]
    assert asked == [["Forum itu.", "Tolong."]]  # a source that repeats itself may be copied as it is


def test_the_repetition_guard_reaches_ctranslate2(tiny_project):
    store = ModelStore(tiny_project)
    model = store.choose()
    looping = "Bali Process Bali Process Bali Process."
    unguarded = store.open_engine(model, options=DecodingOptions(no_repeat_ngram_size=0))
    guarded = store.open_engine(model)
    assert unguarded.translate([looping])[0].text == looping  # the tiny model copies its input...
    assert guarded.translate([looping])[0].text != looping  # ...unless a 4-gram of pieces would repeat
    assert unguarded.identity.fingerprint != guarded.identity.fingerprint  # and the cache tells them apart
