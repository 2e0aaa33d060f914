"""Write the check reference (site/reference/checks.md) from the registry of codes and check/reference.yml.

Run this after adding or changing a finding code. With --check nothing is written: it
exits 1 when the page differs from what the registry and reference.yml give (as a test
does), or 0 when it follows them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarflow.check import reference
from sarflow.commands import repository_root
from sarflow.outputs import atomic_write
from sarflow.printed import say


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the page differs")


def run(args: argparse.Namespace) -> int:
    return generate(repository_root(args), check_only=args.check)


def generate(root: Path, check_only: bool) -> int:
    if not reference.differs(root):
        say(f"{reference.PAGE} already follows the registry and check/reference.yml")
        return 0
    if check_only:
        say(f"{reference.PAGE}: does not follow the registry and check/reference.yml", file=sys.stderr)
        say("the page is generated: make the change in scripts/sarflow/check/reference.yml (or the registry), "
            "run `sarflow reference` to write the page, then commit both", file=sys.stderr)
        return 1
    text = reference.page()
    atomic_write(root / reference.PAGE, lambda temporary: temporary.write_text(text, encoding="utf-8"))
    say(f"updated {reference.PAGE}")
    return 0
