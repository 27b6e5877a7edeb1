"""Command-line interface: one subcommand per stage.

Each module of this package registers its subcommands (``register``) and
imports its stage lazily in the handler, so ``--help`` and light commands
never pay for heavy imports (argostranslate pulls in torch). Only this
package knows about exit codes; library errors become one line
``error: file:line: what``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from pipeline.errors import INTERRUPTED_EXIT, PipelineError, exit_status_summary

PROGRAM = "idpo"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="Indonesian documents -> gettext catalogs -> reviewed English and bilingual output.",
        epilog=f"Exit status: {exit_status_summary()}.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _command_modules():
        module.register(commands)
    _explain(commands)
    return parser


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows an option's default unless its help already says it, or it is an off switch."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        switch = isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction))
        if "default" in text or switch or action.default is None or action.default is argparse.SUPPRESS \
                or not action.option_strings:
            return text
        return super()._get_help_string(action) or text


def _explain(commands: argparse._SubParsersAction) -> None:
    """Every command's --help opens with what it does (its one-line help, unless it has more) and
    shows defaults; the same for subcommands such as `model install`."""
    helps = {action.dest: action.help or "" for action in commands._choices_actions}
    for name, parser in commands.choices.items():
        parser.formatter_class = _HelpFormatter
        if not parser.description and helps.get(name):
            parser.description = helps[name][:1].upper() + helps[name][1:] + "."
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                _explain(action)


def _command_modules():
    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_") and m.name != "common"]
    modules = [importlib.import_module(f"{__name__}.{name}") for name in names]
    return sorted(modules, key=lambda module: (module.ORDER, module.__name__))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted; files already written are complete", file=sys.stderr)
        return INTERRUPTED_EXIT
    except BrokenPipeError:
        return 1
