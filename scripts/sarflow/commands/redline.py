"""Write one IMR's Word document with the changes between two revisions as tracked changes.

BASE and HEAD are git revisions (for example origin/main and the pull request's
branch); REVIEW/AGENCY names the IMR (for example adult-a/acute-trust). The document is
the IMR's Word report at HEAD, with every word removed or added since BASE shown as a
tracked change by the author of the HEAD commit, so a panel member who reviews in Word
sees exactly what changed and can accept or reject it there. It is written to
build/redline/ unless -o names the file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarflow.changes.redline import redline
from sarflow.changes.revisions import RevisionError, require_repository, resolve
from sarflow.commands import repository_root
from sarflow.docx.pandoc import PandocError
from sarflow.load import SLUG
from sarflow.outputs import atomic_write

NAME = "redline"
HELP = "one IMR as a Word document with the changes between two revisions tracked"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("base", metavar="BASE", help="the revision before the change, e.g. origin/main")
    parser.add_argument("head", metavar="HEAD", help="the revision after the change, e.g. HEAD or a branch")
    parser.add_argument("imr", metavar="REVIEW/AGENCY", help="the IMR, e.g. adult-a/acute-trust")
    parser.add_argument("-o", "--output", type=Path, default=None, help="the .docx to write (default: under build/redline/)")


def run(args: argparse.Namespace) -> int:
    root = repository_root(args)
    review_id, _, agency_id = args.imr.strip("/").partition("/")
    if not (SLUG.match(review_id) and SLUG.match(agency_id)):
        print(f"sarflow redline: {args.imr!r} does not name an IMR: write REVIEW/AGENCY, e.g. adult-a/acute-trust", file=sys.stderr)
        return 2
    try:
        require_repository(root)
        base, head = resolve(root, args.base), resolve(root, args.head)
        made = redline(root, base, head, review_id, agency_id)
    except (RevisionError, PandocError) as exc:
        print(f"sarflow redline: {exc}", file=sys.stderr)
        return 2
    for finding in made.findings:
        print(finding, file=sys.stderr)
    if made.docx is None:
        print(f"sarflow redline: not written: the IMR {review_id}/{agency_id} at {head.label} cannot be built (see above)", file=sys.stderr)
        return 1
    target = args.output or root / "build" / "redline" / review_id / agency_id / made.name
    atomic_write(target, lambda temporary: temporary.write_bytes(made.docx))  # type: ignore[arg-type]
    print(f"wrote {target}")
    return 0
