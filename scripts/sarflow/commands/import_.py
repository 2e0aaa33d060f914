"""Bring an agency's returned Action Plan workbook back into its actions.yml.

`sarflow import action-plan "Action Plan.xlsx" adult-a/police` reads the workbook,
checks every row and shows what would change in reviews/adult-a/police/actions.yml;
add --write to change the file (its comments and layout are kept), then open a pull
request. The workbook may be the one `sarflow build` made, the review's workbook for
all agencies (only this agency's rows are read) or one in the template's own layout.
Nothing is written while any problem remains, and an import never removes anything:
an action or progress update missing from the workbook is kept and listed, and an
update whose text was edited (same action, same date) is shown as a change. A file
larger, denser or stranger than any action plan (a zip bomb, an XML bomb, a sheet
declaring millions of cells) is refused as a whole, saying so, before it is read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarflow.commands import repository_root
from sarflow.errors import UsageError
from sarflow.load import SLUG, load
from sarflow.printed import say

NAME = "import"
HELP = "bring a returned Action Plan workbook back into actions.yml"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    plan = kinds.add_parser(
        "action-plan",
        help="an agency's returned Action Plan.xlsx",
        description=__doc__,
    )
    plan.add_argument("file", type=Path, metavar="FILE.xlsx", help="the returned workbook")
    plan.add_argument("target", metavar="REVIEW/AGENCY", help="whose actions.yml to update, e.g. adult-a/police")
    plan.add_argument("--write", action="store_true", help="change actions.yml (without it, only show the changes)")


def run(args: argparse.Namespace) -> int:
    # openpyxl is imported here, not at start-up: every other command would pay for it
    from sarflow.imports import changes
    from sarflow.imports.sheets import read_workbook
    from sarflow.imports.workbook import CARRIED, read_action_plan

    root = repository_root(args)
    parts = args.target.strip("/").removeprefix("reviews/").split("/")
    if len(parts) != 2 or not all(SLUG.match(p) for p in parts):
        raise UsageError(f"{args.target!r} is not REVIEW/AGENCY, e.g. adult-a/police")
    review_id, agency_id = parts
    repo = load(root)
    review = repo.review(review_id)
    if review is None or agency_id not in review.imrs:
        known = ", ".join(f"{r.id}/{a}" for r in repo.reviews for a in r.imrs) or "none"
        raise UsageError(f"there is no IMR folder reviews/{review_id}/{agency_id}/ (known: {known})")
    imr = review.imrs[agency_id]
    everyone = [(a.id, a.name) if a.name else (a.id,) for a in review.agencies if a.id]
    everyone += [(folder,) for folder in review.imrs if review.agency(folder) is None]
    names = next(n for n in everyone if n[0] == agency_id)
    shown_book = str(args.file)
    book = read_workbook(args.file, shown_book)
    returned = read_action_plan(book, shown_book, repo.template.action_plan, names, everyone)
    plan, problems = changes.plan_changes(imr, returned)
    problems = returned.problems + problems
    if not problems and not returned.actions and returned.other_agencies and imr.actions:
        say(
            f"sarflow import: {shown_book} has no rows for {names[-1]} (its Agency column names only other agencies)",
            file=sys.stderr,
        )
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)  # each line made safe by its __str__ (sarflow.printed)
    target = imr.documents[changes.ACTIONS_FILE].path
    if problems:
        say(f"sarflow import: {len(problems)} problem(s) in {shown_book}; nothing was written to {target}", file=sys.stderr)
        return 1
    if returned.other_agencies:
        say(f"(skipped {returned.other_agencies} row(s) of other agencies)")
    for column in repo.template.action_plan.columns:
        if column.key in CARRIED and column.key not in returned.columns:
            say(f"(the workbook has no {column.title!r} column: those values are kept from {target})")
    if plan.empty:
        say(f"{target} already matches {shown_book}: nothing to change")
        for line in changes.not_in_workbook(plan):
            say(line)
        return 0
    say(f"{target}: changes from {shown_book}")
    print(changes.render(plan, target))  # each line made safe by render (sarflow.printed)
    if not args.write:
        say(f"Nothing written: run again with --write to change {target}.")
        return 0
    changes.write(root / target, target, plan)
    say(f"Written {target}: review the change with `git diff` and open a pull request.")
    return 0
