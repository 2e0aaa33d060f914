"""Bring the JSON Schemas' lists (action fields and statuses, stages, QA criteria) into line with the template.

The template file under schema/templates/ is the only place these facts are written;
the schemas that VS Code and `sarflow check` use are generated from it. Run this after
changing the template. With --check nothing is written: it exits 1 and names each
schema that differs (as CI does), or 0 when they all follow the template.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarflow import schemas
from sarflow.commands import repository_root
from sarflow.findings import relative
from sarflow.load import board_template
from sarflow.printed import say


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a schema differs from the template")


def run(args: argparse.Namespace) -> int:
    return generate(repository_root(args), check_only=args.check)


def generate(root: Path, check_only: bool) -> int:
    template = board_template(root)
    shown = f"schema/templates ({template.id})"
    if check_only:
        stale = schemas.differing(root, template)
        for path in stale:
            say(f"{relative(path, root)}: does not follow {shown}", file=sys.stderr)
        if stale:
            say("run `sarflow schemas` to regenerate them, then commit the result", file=sys.stderr)
        return 1 if stale else 0
    changed = schemas.write(root, template)
    for path in changed:
        say(f"updated {relative(path, root)}")
    if not changed:
        say(f"every schema already follows {shown}")
    return 0
