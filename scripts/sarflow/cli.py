"""The `sarflow` command line: a thin dispatcher to one module per command.

Each module in `sarflow.commands` declares its arguments and a `run(args)` that
returns the exit code: 0 clean, 1 problems found, 2 usage or environment error. A
command stops by raising a `SarflowError`, which is printed here, once, with the
exit code it carries. No traceback reaches an author: anything unexpected is reported
as an internal error with the request to tell the board's administrator.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sarflow import __version__, limits
from sarflow.collector import seldom
from sarflow.errors import USAGE_OR_ENVIRONMENT, SarflowError
from sarflow.printed import lines, say

# Every command, in the order `--help` lists them: its name, its module under sarflow.commands
# and the line `--help` shows for it. A command's module is imported only when it runs, so that
# `sarflow --version`, `--help` and each command start without loading the others.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("new", "new", "scaffold a new review or a new agency's IMR"),
    ("check", "check", "check the review files and explain any problems"),
    ("build", "build", "build the Word reports, Excel workbooks and status site into build/"),
    ("serve", "serve", "preview the status site at http://127.0.0.1:8000 while you edit"),
    ("board-paper", "board_paper", "write the Word paper for a board meeting from the status of every review"),
    ("diff", "diff", "summarise what changed between two revisions (for a pull request)"),
    ("redline", "redline", "one IMR as a Word document with the changes between two revisions tracked"),
    ("import", "import_", "bring an agency's Word IMR, chronology workbook or returned Action Plan into the repository"),
    ("annual-report", "annual_report", "write the reviews part of the board's annual report for a financial year (e.g. 2025-26)"),
    ("schemas", "schemas", "generate the schemas' lists from the template (--check: only say whether they differ)"),
    ("reference", "reference", "write the check reference page from the registry of codes (--check: only say whether it differs)"),
)


def parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The command line; only the `chosen` command's module is imported and given its arguments.

    Without `chosen` the parser knows every command by name and help line, which is all that
    `--version`, `--help` and finding which command was asked for need.
    """
    top = argparse.ArgumentParser(
        prog="sarflow",
        description="Safeguarding Adults Reviews kept as code: check the review files, "
        "build the Word reports, the Excel action plans and the board's status site.",
    )
    top.add_argument("--version", action="version", version=f"sarflow {__version__}")
    top.add_argument("--root", type=Path, default=None, help="the review repository (default: found from the current folder)")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name, help_line in COMMANDS:
        if name != chosen:
            sub.add_parser(name, help=help_line, add_help=False)
            continue
        module = importlib.import_module(f"sarflow.commands.{module_name}")
        command = sub.add_parser(name, help=help_line, description=module.__doc__)
        module.add_arguments(command)
        command.set_defaults(run=module.run, command_name=name)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    asked, _ = parser().parse_known_args(argv)  # --version and --help end here
    if not asked.command:
        parser().print_help()
        return USAGE_OR_ENVIRONMENT
    args = parser(asked.command).parse_args(argv)
    try:
        limits.check_settings()
        with seldom():
            return int(args.run(args))
    except SarflowError as exc:
        print(lines(f"sarflow {args.command_name}: {exc}"), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return USAGE_OR_ENVIRONMENT
    except Exception as exc:  # the last line of defence for authors: never a traceback
        say(
            f"sarflow: internal error ({type(exc).__name__}: {exc}). Nothing was written. "
            "Please tell the board's sarflow administrator; run with SARFLOW_DEBUG=1 for details.",
            file=sys.stderr,
        )
        if os.environ.get("SARFLOW_DEBUG"):
            raise
        return USAGE_OR_ENVIRONMENT
