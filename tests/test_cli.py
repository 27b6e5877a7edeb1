"""Every command documents itself; the console script and python -m agree."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from pipeline.cli import build_parser


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_core_commands_exist():
    assert {"segment", "extract", "update", "english"} <= set(subcommands())


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_has_help(name, capsys):
    parser = subcommands()[name]
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: ")
    listed = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    helps = {c.dest: c.help for c in listed._choices_actions}
    assert helps.get(name), f"{name} has no one-line help in the command list"


def test_python_dash_m_and_usage_errors():
    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "extract" in result.stdout
    result = subprocess.run([sys.executable, "-m", "pipeline", "no-such-command"], capture_output=True, text=True)
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_segment_prints_sentences_with_blank_lines_between_blocks(tmp_path):
    source = tmp_path / "doc.txt"
    source.write_text("Satu. Dua.\n\nTiga.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pipeline", "segment", str(source)], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout == "Satu.\nDua.\n\nTiga.\n"


def test_a_slow_loop_over_documents_shows_its_progress_and_a_quick_one_stays_quiet(monkeypatch, capsys):
    from pipeline.cli.common import counted

    clock = [0.0]
    monkeypatch.setattr("pipeline.progress.time.monotonic", lambda: clock[0])
    for _ in counted(["a", "b", "c"], "extract: reading"):
        clock[0] += 10.0  # each document takes 10 s
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("extract: reading: 2/3 documents (66%)")  # the first line once 15 s have passed
    assert err[-1].startswith("extract: reading: 3/3 documents (100%)")
    assert list(counted(["a", "b"], "update: merging")) == ["a", "b"]
    assert capsys.readouterr().err == ""
