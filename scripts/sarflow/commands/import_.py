"""Bring what agencies send back into the repository: `sarflow import KIND FILE REVIEW/AGENCY`.

Each kind is a module of its own (import_action_plan, import_chronology, import_imr):
without --write it shows what it would change; with --write it changes the files,
only when `sarflow check` accepts the result, and never half of them.
"""

from __future__ import annotations

import argparse
import importlib

from sarflow.commands import repository_root

KINDS = ("import_action_plan", "import_chronology", "import_imr")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    for name in KINDS:
        module = importlib.import_module(f"sarflow.commands.{name}")
        kind = kinds.add_parser(module.KIND, help=module.HELP, description=module.__doc__)
        module.add_arguments(kind)
        kind.set_defaults(import_kind=module)


def run(args: argparse.Namespace) -> int:
    return int(args.import_kind.run(repository_root(args), args))
