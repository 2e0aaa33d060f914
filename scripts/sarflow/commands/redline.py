"""Write an IMR's Word document with the changes between two revisions as tracked changes.

BASE and HEAD are git revisions (for example origin/main and the pull request's
branch); REVIEW/AGENCY names the IMR (for example adult-a/acute-trust). The document is
the IMR's Word report at HEAD, with every word removed or added since BASE shown as a
tracked change by the author of the commit that made it (by name, never an e-mail
address), so a panel member who reviews in Word sees exactly what changed and can accept or reject it there. It is written under
build/redline/ unless -o names the file or a folder for it. Without REVIEW/AGENCY, every IMR that changed
gets one (-o then names the folder), including every IMR whose report changed because of
a file outside its folder (the template, the board's or the review's settings), with that
cause named on its cover; CI attaches them to each pull request's run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarflow.changes.model import Summary
from sarflow.changes.redline import redline
from sarflow.changes.revisions import Revision, require_repository, resolve
from sarflow.changes.summary import summarise
from sarflow.commands import repository_root
from sarflow.errors import UsageError
from sarflow.outputs import atomic_write, output_folder
from sarflow.printed import say
from sarflow.root import SLUG


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("base", metavar="BASE", help="the revision before the change, e.g. origin/main")
    parser.add_argument("head", metavar="HEAD", help="the revision after the change, e.g. HEAD or a branch")
    parser.add_argument("imr", metavar="REVIEW/AGENCY", nargs="?", help="the IMR, e.g. adult-a/acute-trust (default: every IMR that changed)")
    parser.add_argument("-o", "--output", type=Path, default=None,
                        help="the .docx to write or an existing folder to write it into; without REVIEW/AGENCY, "
                        "the folder for every changed IMR (default: build/redline/)")


def run(args: argparse.Namespace) -> int:
    root = repository_root(args)
    wanted: list[tuple[str, str]] = []
    if args.imr:
        review_id, _, agency_id = args.imr.strip("/").partition("/")
        if not (SLUG.match(review_id) and SLUG.match(agency_id)):
            raise UsageError(f"{args.imr!r} does not name an IMR: write REVIEW/AGENCY, e.g. adult-a/acute-trust")
        wanted.append((review_id, agency_id))
        if args.output and not args.output.is_dir() and args.output.suffix.lower() != ".docx":
            raise UsageError(f"-o must name a .docx file or an existing folder, not {str(args.output)!r}")
    require_repository(root)
    base, head = resolve(root, args.base), resolve(root, args.head)
    summary = summarise(root, base, head)
    if not args.imr:
        wanted = changed_imrs(summary)
        if not wanted:
            say(f"no IMR changed between {base.label} and {head.label}")
    causes = {(d.review_id, d.agency_id): d.causes for d in summary.documents}
    failed = sum(write(root, base, head, ident, args.output, single=bool(args.imr), causes=causes.get(ident, [])) for ident in wanted)
    return 1 if failed else 0


def changed_imrs(summary: Summary) -> list[tuple[str, str]]:
    """Every IMR that exists at HEAD and whose files or Word report differ from BASE."""
    own = [(imr.review_id, imr.agency_id) for review in summary.reviews for imr in review.imrs if imr.state != "removed"]
    return list(dict.fromkeys([*own, *((d.review_id, d.agency_id) for d in summary.documents)]))


def write(root: Path, base: Revision, head: Revision, ident: tuple[str, str], output: Path | None, single: bool,
          causes: list[str]) -> bool:
    """Write one IMR's redline; True when it could not be built (the reasons are printed).

    For a single IMR, `output` is the file, or a folder to write it into; for every
    changed IMR, the folder under which each goes in <review>/<agency>/.
    """
    review_id, agency_id = ident
    made = redline(root, base, head, review_id, agency_id, causes)
    for finding in made.findings:
        print(finding, file=sys.stderr)
    docx = made.docx
    if docx is None:
        say(f"sarflow redline: not written: the IMR {review_id}/{agency_id} at {head.label} cannot be built (see above)", file=sys.stderr)
        return True
    if output is not None and single:
        target = output / made.name if output.is_dir() else output
    else:
        target = (output or output_folder(root / "build") / "redline") / review_id / agency_id / made.name
    atomic_write(target, docx)
    say(f"wrote {target}")
    return False
