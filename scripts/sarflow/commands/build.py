"""Build the outputs into build/: Word reports, Excel workbooks and the status site.

One IMR that cannot be built does not stop the others; the run then exits 1 and
names it. An IMR whose files cannot be read is not built at all, so no output is
ever made from half its data.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sarflow.commands import repository_root
from sarflow.dates import today, uk
from sarflow.findings import Finding, errors
from sarflow.load import load
from sarflow.model import Imr, Repository
from sarflow.outputs import output_folder
from sarflow.printed import say

NAME = "build"
HELP = "build the Word reports, Excel workbooks and status site into build/"
KINDS = ("docx", "xlsx", "site")
Builder = Callable[[Repository, list[Imr], Path], list[Finding]]


def builders() -> dict[str, Builder]:
    """Each kind of output and the function that builds it into the output folder.

    A builder writes atomically, reports an IMR it cannot build as an error finding
    (and goes on with the others), and depends only on the model.
    """
    from sarflow import docx, site, xlsx

    return {
        "docx": docx.build,
        "xlsx": xlsx.build,
        "site": site.build,
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="only the reviews or IMRs under these folders")
    parser.add_argument("--only", choices=KINDS, action="append", help="build only this kind of output (repeatable)")
    parser.add_argument("--out", type=Path, default=None, help="the output folder (default: build/ in the repository)")


def selected(repo: Repository, paths: list[Path]) -> list[Imr]:
    """The IMRs under any of `paths` (all of them when no path is given)."""
    if not paths:
        return repo.imrs()
    wanted = [p.resolve() for p in paths]
    return [imr for imr in repo.imrs() if any(imr.folder.resolve().is_relative_to(w) or w.is_relative_to(imr.folder.resolve()) for w in wanted)]


def run(args: argparse.Namespace) -> int:
    root = repository_root(args)
    out = output_folder(args.out or root / "build")
    repo = load(root)
    imrs = selected(repo, args.paths)
    for finding in repo.findings:
        print(finding, file=sys.stderr)
    failed = [imr for imr in imrs if not imr.readable]
    for imr in failed:
        for finding in imr.findings:
            print(finding, file=sys.stderr)
        say(f"sarflow: not building {imr.review_id}/{imr.agency_id}: its files cannot be read (see above)", file=sys.stderr)
    readable = [imr for imr in imrs if imr.readable]
    problems: list[Finding] = []
    for kind, build in builders().items():
        if not args.only or kind in args.only:
            problems.extend(build(repo, readable, out))
    for finding in problems:
        print(finding, file=sys.stderr)
    print_summary(repo, imrs)
    return 1 if failed or problems or errors(repo.findings) else 0


def print_summary(repo: Repository, imrs: list[Imr]) -> None:
    on = today()
    for review in repo.reviews:
        mine = [imr for imr in imrs if imr.review_id == review.id]
        if not mine and imrs:
            continue
        period = f"{uk(review.period.start)} to {uk(review.period.end)}" if review.period else "period not set"
        say(f"{review.reference or review.id} ({review.id}): stage {review.stage or 'not set'}, period {period}")
        for imr in mine:
            statuses = Counter(a.status or "no status" for a in imr.actions)
            overdue = sum(a.is_overdue(on, repo.template.action_plan.completed) for a in imr.actions)
            name = review.agency_name(imr.agency_id)
            actions = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) or "no actions"
            say(
                f"  {name}: {imr.status or 'no status'}; {len(imr.chronology)} chronology entries; "
                f"{len(imr.actions)} actions ({actions}; {overdue} overdue)"
            )
