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
from sarflow.errors import USAGE_OR_ENVIRONMENT, SarflowError
from sarflow.printed import lines, say

# Module names under sarflow.commands, in the order `--help` lists them.
COMMANDS = ("new", "check", "build", "serve", "diff", "redline", "import_", "schemas")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="sarflow",
        description="Safeguarding Adults Reviews kept as code: check the review files, "
        "build the Word reports, the Excel action plans and the board's status site.",
    )
    top.add_argument("--version", action="version", version=f"sarflow {__version__}")
    top.add_argument("--root", type=Path, default=None, help="the review repository (default: found from the current folder)")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"sarflow.commands.{name}")
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.__doc__)
        module.add_arguments(command)
        command.set_defaults(run=module.run, command_name=module.NAME)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not getattr(args, "run", None):
        parser().print_help()
        return USAGE_OR_ENVIRONMENT
    try:
        limits.check_settings()
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
