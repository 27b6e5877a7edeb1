"""`idpo translate` and `idpo model` from the command line, on the seed document."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from pipeline.catalog import State, load_catalog, save_catalog
from pipeline.cli import main
from pipeline.progress import Progress
from tests import test_bad_input
from tests.reliability import leave_writable_lock_files, run_cli, snapshot
from tests.test_bad_input import damaged_package, make_read_only, run_unprivileged

REPO = Path(__file__).resolve().parent.parent
world_readable_project = test_bad_input.world_readable_project  # a fixture: a project user "nobody" can read
PO = Path("locales/en/LC_MESSAGES/bali-process.po")
HEAVY = ("argostranslate", "torch", "stanza", "spacy", "ctranslate2", "sentencepiece")


def _prepare(root: Path) -> Path:
    assert main(["extract", "--root", str(root)]) == 0
    assert main(["update", "--root", str(root)]) == 0
    return root / PO


def test_no_model_fails_clearly_and_leaves_the_catalog_alone(project, capsys):
    po = _prepare(project)
    before = po.read_bytes()
    assert main(["translate", "--root", str(project)]) == 7
    err = capsys.readouterr().err
    assert "error: no id->en translation model installed" in err and "idpo model install" in err
    assert po.read_bytes() == before


def test_a_finished_catalog_needs_no_model(project, capsys):
    """`make english` runs translate first: a project with nothing left to draft must not need a model."""
    from pipeline.catalog import save_catalog

    po = _prepare(project)
    catalog = load_catalog(po)
    units = catalog.units()
    for unit in units[1:]:
        unit.set_translation("Reviewed.", reviewed=True)
    units[0].set_translation("Old translation.", reviewed=False)
    units[0]._entry.previous_msgid = "Kalimat lama."  # needs update, as update leaves a changed sentence
    save_catalog(catalog, po)
    before = po.read_bytes()
    assert main(["translate", "--root", str(project)]) == 0
    assert "no MT model installed" in capsys.readouterr().err
    assert main(["translate", "--root", str(project), "--no-suggest"]) == 0
    assert "nothing to draft" in capsys.readouterr().err
    assert po.read_bytes() == before


def test_translate_drafts_every_sentence_then_a_rerun_changes_no_byte(tiny_project, capsys):
    po = _prepare(tiny_project)
    assert main(["translate", "--root", str(tiny_project)]) == 0
    catalog = load_catalog(tiny_project / PO)
    assert {u.state for u in catalog.units()} == {State.MT_DRAFT}
    assert {u.mt.identity for u in catalog.units()} == {"argos/translate-id_en/0.0.1"}
    err = capsys.readouterr().err
    assert "model: argos translate-id_en 0.0.1 (models/installed/translate-id_en-0_0_1)" in err
    assert f"{len(catalog)} drafted" in err
    assert f"{len(catalog)}/{len(catalog)} sentences (100%)" in err  # line-based progress: not a terminal

    before = po.read_bytes()
    assert main(["translate", "--root", str(tiny_project)]) == 0
    assert po.read_bytes() == before
    assert "nothing to draft" in capsys.readouterr().err


def test_after_update_only_the_changed_sentence_is_translated(tiny_project, capsys):
    _prepare(tiny_project)
    main(["translate", "--root", str(tiny_project)])
    source = tiny_project / "source" / "bali-process.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("pencucian uang", "pencucian dana"),
                      encoding="utf-8")
    _prepare(tiny_project)
    capsys.readouterr()
    assert main(["translate", "--root", str(tiny_project)]) == 0
    assert "1 drafted, 0 re-drafted, 0 suggestions; 1 sentence: 0 from the cache, 1 translated" \
        in capsys.readouterr().err


def test_the_shipped_model_is_used_without_an_install_step(project, tiny_package, capsys):
    (project / "models").mkdir()
    shutil.copy(tiny_package, project / "models")
    _prepare(project)
    assert main(["translate", "--root", str(project)]) == 0
    assert (project / "models" / "installed" / "translate-id_en-0_0_1" / "metadata.json").is_file()
    assert main(["model", "list", "--root", str(project)]) == 0
    out = capsys.readouterr().out
    assert "* translate-id_en-0_0_1" in out and "0.0.1" in out and "id->en" in out


def test_model_install_reports_a_corrupt_file(project, tmp_path, capsys):
    bad = tmp_path / "broken.argosmodel"
    bad.write_bytes(b"PK\x03\x04 truncated")
    assert main(["model", "install", "--root", str(project), str(bad)]) == 7
    assert f"error: {bad}: corrupt or truncated package" in capsys.readouterr().err


def test_ctrl_c_keeps_the_finished_drafts(tiny_project, monkeypatch, capsys):
    from pipeline.mt.argos import ArgosEngine

    monkeypatch.setattr("pipeline.translate.CHUNK_SENTENCES", 5)
    real = ArgosEngine.submit
    waits = []

    def interrupted_while_waiting_for_the_second_chunk(self, sentences):
        collect = real(self, sentences)

        def wait():
            waits.append(len(sentences))
            if len(waits) == 2:
                raise KeyboardInterrupt
            return collect()

        return wait

    monkeypatch.setattr(ArgosEngine, "submit", interrupted_while_waiting_for_the_second_chunk)
    _prepare(tiny_project)
    assert main(["translate", "--root", str(tiny_project)]) == 130
    catalog = load_catalog(tiny_project / PO)  # a whole, valid file
    assert sum(u.state is State.MT_DRAFT for u in catalog.units()) == 5


def test_progress_is_a_bar_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    progress = Progress("doc.po", stream)
    progress.start(40)
    progress.advance(25)
    progress.advance(15)
    progress.close()
    assert "40/40" in stream.getvalue() and "sentences/s" in stream.getvalue()
    assert "\r" in stream.getvalue()  # redrawn in place


LAZY_PROBE = textwrap.dedent("""
    import sys
    from pipeline.cli import main
    for argv in ({commands}):
        try:
            main(argv)
        except SystemExit:
            pass
    print("heavy modules:", *(name for name in {heavy} if name in sys.modules))
""")


def test_light_commands_never_import_the_mt_engine(tiny_project):
    """--help, stats, check and english must not pay for argostranslate/torch."""
    _prepare(tiny_project)
    main(["translate", "--root", str(tiny_project)])
    root = str(tiny_project)
    commands = [["--help"], ["translate", "--help"], ["model", "--help"], ["english", "--root", root]]
    for name, extra in (("stats", []), ("check", ["--no-spellcheck"])):
        commands.append([name, "--root", root, *extra])
    probe = LAZY_PROBE.format(commands=", ".join(map(repr, commands)) + ",", heavy=HEAVY)
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "heavy modules:"


def test_nothing_is_written_outside_the_project(tiny_package, project, tmp_path):
    """argostranslate creates ~/.local/share/argos-translate on import unless pointed elsewhere."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ARGOS_"))}
    env.update(HOME=str(home), PYTHONPATH=str(REPO))
    for argv in (["extract"], ["update"], ["model", "install", str(tiny_package)], ["translate"], ["model", "list"]):
        result = subprocess.run([sys.executable, "-m", "pipeline", *argv, "--root", str(project)], env=env,
                                cwd=project, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
    assert list(home.iterdir()) == []
    assert (project / ".cache" / "argos").is_dir() and (project / ".cache" / "mt").is_dir()


# -- catalogs that cannot be written ---------------------------------------------


def test_translate_into_a_read_only_catalog_folder_is_one_error_line(world_readable_project, tiny_package):
    root = world_readable_project
    assert run_cli(root, "model", "install", str(tiny_package))[0] == 0
    (root / ".cache").mkdir(mode=0o777)  # the MT cache stays writable: only locales/ is read-only
    (root / ".cache").chmod(0o777)
    make_read_only(root / "locales")
    leave_writable_lock_files(root)
    before = snapshot(root)
    result = run_unprivileged(root, "translate")
    assert result.returncode == 1, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith(("error", "Traceback"))] == [
        f"error: {PO.as_posix()}: cannot write: Permission denied"]
    assert snapshot(root) == before


def test_a_checkpoint_that_cannot_be_written_is_one_error_line(tiny_project, monkeypatch, capsys):
    import errno

    from pipeline import stages

    monkeypatch.setattr("pipeline.translate.CHUNK_SENTENCES", 5)
    monkeypatch.setattr("pipeline.translate._Checkpoints.tick", lambda self: self.save([0]))  # save after each chunk
    real_save = stages.save_catalog
    calls = []

    def full_disk_once(*args, **kwargs):  # the checkpoint fails; the final save finds room again
        calls.append(1)
        if len(calls) == 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_save(*args, **kwargs)

    _prepare(tiny_project)
    monkeypatch.setattr(stages, "save_catalog", full_disk_once)  # every save goes through the stage layer
    assert main(["translate", "--root", str(tiny_project)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == f"error: {PO.as_posix()}: cannot write: No space left on device"
    catalog = load_catalog(tiny_project / PO)  # the final save kept the first chunk's drafts
    assert sum(u.state is State.MT_DRAFT for u in catalog.units()) == 5


# -- a damaged model -----------------------------------------------------------------


def test_damaged_weights_name_the_model_relative_to_the_project(project, tiny_package, tmp_path, capsys):
    package = damaged_package(tiny_package, tmp_path, "weights")
    assert main(["model", "install", "--root", str(project), str(package)]) == 0
    _prepare(project)
    assert main(["translate", "--root", str(project)]) == 7
    assert capsys.readouterr().err.splitlines()[-1].startswith(
        "error: models/installed/translate-id_en-0_0_1/model: cannot load the CTranslate2 model (corrupt package?): ")


def test_a_failed_translate_leaves_no_empty_cache(project, tiny_package, tmp_path):
    package = damaged_package(tiny_package, tmp_path, "weights")
    assert main(["model", "install", "--root", str(project), str(package)]) == 0
    _prepare(project)
    assert main(["translate", "--root", str(project)]) == 7
    cache = project / ".cache" / "mt"
    assert not cache.exists() or list(cache.iterdir()) == []


def test_a_failed_install_leaves_no_empty_packages_folder(project, tiny_package, tmp_path):
    package = damaged_package(tiny_package, tmp_path, "truncated")
    assert main(["model", "install", "--root", str(project), str(package)]) == 7
    assert not (project / "models").exists()


def test_a_broken_model_is_an_engine_error_even_when_only_suggestions_are_due(tiny_project, capsys):
    """Not "no model installed": the model is there and cannot load, whatever there is to do."""
    _prepare(tiny_project)
    assert main(["translate", "--root", str(tiny_project)]) == 0
    po = tiny_project / PO
    catalog = load_catalog(po)
    for unit in catalog.units():
        unit.set_translation(unit.msgstr, reviewed=True)  # a person's work everywhere...
    save_catalog(catalog, po)
    source = tiny_project / "source" / "bali-process.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("pencucian uang", "pencucian dana"),
                      encoding="utf-8")
    _prepare(tiny_project)  # ...so one sentence needs update, and only a suggestion is due
    installed = next((tiny_project / "models" / "installed").iterdir())
    (installed / "sentencepiece.model").write_bytes(b"not a sentencepiece model")
    capsys.readouterr()
    assert main(["translate", "--root", str(tiny_project)]) == 7
    assert "no MT model installed" not in capsys.readouterr().err
