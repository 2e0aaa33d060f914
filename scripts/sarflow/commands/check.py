"""Check the review files and say, in plain English, what to fix and where.

Prints every problem with its file:line:col and a hint, errors first, grouped by file,
and a count at the end; with --format github, also every finding into the run's summary
page (the file GitHub names in GITHUB_STEP_SUMMARY). Give one or more PATHs (a review folder, an IMR folder or single files) to
check only the reviews they are in: a change to one file of a review can cause a problem in
another (a question renamed in review.yml, an abbreviation taken out of imr.yml's glossary), so
every file of those reviews is checked and reported, and only those reviews are read (with the
people each IMR's imr.yml names, which are restricted everywhere); reviews/board.yml stands for
every review. What each review's check found is kept in build/.cache and used again while
nothing it follows from has changed (delete that folder to check everything afresh); the reviews that
must be checked again are checked in --jobs processes side by side (default: one for each core). With --since REV (the pull request's check
gives it the point where the branch left main), every line changed since REV in an IMR that
was submitted or approved then is marked too: a warning, or an error for an approved IMR
when the board freezes them (approved_frozen in reviews/board.yml). Exit status: 0 when there are no errors (warnings allowed, unless
--strict), 1 when problems are found, 2 for a usage or environment error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sarflow.check import reporters
from sarflow.commands import repository_root
from sarflow.dates import today
from sarflow.errors import UsageError
from sarflow.findings import Finding, errors
from sarflow.jobs import cores, count
from sarflow.recheck import check_kept
from sarflow.scope import Scope, affected, outside

FORMATS = {"text": reporters.text, "github": reporters.github, "json": reporters.as_json}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="only the reviews these paths are in (a review folder, an IMR folder or single files); "
                             "reviews/board.yml stands for every review")
    parser.add_argument("--format", choices=tuple(FORMATS), default="text",
                        help="text for people (default), github for workflow annotations, json for tools")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--jobs", type=count("reviews to check"), default=None, metavar="N",
                        help=f"how many processes check the reviews side by side (default: one for each core, here {cores()}; "
                             "a few reviews are checked in one)")
    parser.add_argument("--since", metavar="REV",
                        help="also mark every line changed since the git revision REV (e.g. where a pull request's branch "
                             "left main) in an IMR that was submitted or approved then: its sign-off no longer covers it")


def run(args: argparse.Namespace) -> int:
    root = repository_root(args)
    if problem := outside(root, args.paths):
        raise UsageError(problem)
    places = affected(root, args.paths) if args.paths else None
    findings = check_kept(root, places, today(), args.jobs or cores())
    if args.since:  # lines changed since a revision: read from git every time, never kept
        from sarflow.changes.since import signed_off_changes
        from sarflow.load import load

        scope = Scope(root, places)
        changed = signed_off_changes(load(root, ()), args.since)  # only each IMR's status is read, from its imr.yml
        findings = _errors_first(findings + [f for f in changed if scope.keeps(f)])
    if args.format == "github":
        sys.stdout.write(reporters.github(findings, root))
        if summary_file := os.environ.get("GITHUB_STEP_SUMMARY"):
            with open(summary_file, "a", encoding="utf-8") as out:
                out.write(reporters.job_summary(findings))
    else:
        sys.stdout.write(FORMATS[args.format](findings))
    return 1 if errors(findings) or (args.strict and findings) else 0


def _errors_first(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f in errors(findings)] + [f for f in findings if f not in errors(findings)]
