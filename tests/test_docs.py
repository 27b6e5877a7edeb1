"""The README stays honest: its commands, its targets and CI agree with the code."""

from __future__ import annotations

import re

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")


def two_commands() -> list[str]:
    block = README.split("## The two commands", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]


def phony_targets() -> list[str]:
    return re.search(r"^\.PHONY:(.*)$", MAKEFILE, re.MULTILINE).group(1).split()


def test_the_readme_names_two_commands_and_ci_runs_the_test_one():
    main_command, test_command = two_commands()
    assert main_command == "make english"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in [line.strip() for line in ci.splitlines()]


def test_every_make_target_is_documented():
    documented = set(re.findall(r"^\| `make ([\w-]+)`", README, re.MULTILINE))
    assert set(phony_targets()) - {"help"} <= documented


def test_every_documented_target_exists():
    documented = set(re.findall(r"^\| `make ([\w-]+)`", README, re.MULTILINE))
    assert documented <= set(phony_targets())


def test_the_exit_statuses_in_help_and_readme_come_from_the_error_classes():
    from pipeline.cli import build_parser
    from pipeline.errors import PipelineError, exit_status_summary, exit_statuses

    statuses = dict(exit_statuses())
    for cls in [PipelineError, *PipelineError.__subclasses__()]:
        assert statuses[cls.exit_code], cls  # every error class's status has a meaning
    summary = exit_status_summary()
    assert " ".join(build_parser().epilog.split()) == f"Exit status: {summary}."
    assert f"these exit statuses: {summary}." in " ".join(README.split())
