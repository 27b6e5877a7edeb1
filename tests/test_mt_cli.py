"""`idpo translate` and `idpo model` from the command line, on the seed document."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path


from pipeline.catalog import State, load_catalog
from pipeline.cli import main
from pipeline.mt.progress import Progress

REPO = Path(__file__).resolve().parent.parent
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
    units[0].set_translation("Old translation.", reviewed=False)  # fuzzy without a mark: needs update
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
    assert "1 drafted, 0 re-drafted, 0 suggestions; 1 sentences: 0 from the cache, 1 translated" \
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
    real = ArgosEngine.translate
    calls = []

    def interrupted(self, sentences):
        calls.append(len(sentences))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, sentences)

    monkeypatch.setattr(ArgosEngine, "translate", interrupted)
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
