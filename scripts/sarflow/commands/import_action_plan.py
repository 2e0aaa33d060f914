"""Bring an agency's returned Action Plan workbook back into its actions.yml.

`sarflow import action-plan "Action Plan.xlsx" adult-a/police` reads the workbook,
checks every row and shows what would change in reviews/adult-a/police/actions.yml;
add --write to change the file (its comments and layout are kept), then open a pull
request. The workbook may be the one `sarflow build` made, the review's workbook for
all agencies (only this agency's rows are read) or one in the template's own layout.
The change is tried first: every check of `sarflow check` runs on the review as the
workbook would leave it, and nothing is written if that adds an error; each such
finding is shown against the workbook's cell to correct (e.g. Actions!G5, action 3).
An import never removes anything: an action or progress update missing from the
workbook is kept and listed, and on a submitted or approved IMR a value emptied in
the workbook is refused unless --allow-clearing is given (the key then stays in the
file, empty, with its comments). A file larger, denser or stranger than any action
plan (a zip bomb, an XML bomb, a sheet declaring millions of cells) is refused as a
whole, saying so, before it is read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarflow.commands import agency_names, concluded, imr_of, refused
from sarflow.load import load
from sarflow.load.yamlfile import parse_yaml
from sarflow.printed import say

KIND = "action-plan"
HELP = "an agency's returned Action Plan.xlsx: the changes to actions.yml"


def add_arguments(plan: argparse.ArgumentParser) -> None:
    plan.add_argument("file", type=Path, metavar="FILE.xlsx", help="the returned workbook")
    plan.add_argument("target", metavar="REVIEW/AGENCY", help="whose actions.yml to update, e.g. adult-a/police")
    plan.add_argument("--write", action="store_true", help="change actions.yml (without it, only show the changes)")
    plan.add_argument(
        "--allow-clearing",
        action="store_true",
        help="on a submitted or approved IMR, let a value emptied in the workbook be cleared "
        "(the key stays in actions.yml with an empty value and its comments)",
    )


def run(root: Path, args: argparse.Namespace) -> int:
    return import_action_plan(root, args.file, args.target, write=args.write, allow_clearing=args.allow_clearing)


def import_action_plan(root: Path, file: Path, target: str, write: bool = False, allow_clearing: bool = False) -> int:
    """Show (and with `write`, make) what the workbook `file` changes in `target`'s actions.yml; the exit code."""
    # openpyxl is imported here, not at start-up: every other command would pay for it
    from sarflow.imports import changes
    from sarflow.imports.guard import ACTION_PLAN
    from sarflow.imports.sheets import read_workbook
    from sarflow.imports.trial import cleared, rehearse
    from sarflow.imports.workbook import carried, read_action_plan

    repo = load(root)
    review, imr = imr_of(repo, target)
    everyone = agency_names(review)
    names = next(n for n in everyone if n[0] == imr.agency_id)
    shown_book = str(file)
    book = read_workbook(file, shown_book, ACTION_PLAN)
    layout = repo.template.action_plan
    returned = read_action_plan(book, shown_book, layout, names, everyone)
    plan, problems = changes.plan_changes(imr, returned, layout)
    problems = returned.problems + problems
    if not problems and not returned.actions and returned.other_agencies and imr.actions:
        say(
            f"sarflow import: {shown_book} has no rows for {names[-1]} (its Agency column names only other agencies)",
            file=sys.stderr,
        )
        return 1
    shown = imr.documents[changes.ACTIONS_FILE].path
    if problems:
        return refused(problems, shown_book, shown)
    if returned.other_agencies:
        say(f"(skipped {returned.other_agencies} row(s) of other agencies)")
    for column in layout.workbook_columns:
        if column.key in carried(layout) and column.key not in returned.columns:
            say(f"(the workbook has no {column.title!r} column: those values are kept from {shown})")
    if plan.empty:
        say(f"{shown} already matches {shown_book}: nothing to change")
        for line in changes.not_in_workbook(plan):
            say(line)
        return 0
    path = root / shown
    raw = path.read_bytes()
    text = changes.new_text(raw, plan)
    doc = parse_yaml(text, shown)
    changes.verify(doc, plan, layout)
    say(f"{shown}: changes from {shown_book}")
    print(changes.render(plan, shown))  # each line made safe by render (sarflow.printed)
    if not allow_clearing and (clearing := cleared(plan, returned, shown_book, imr, layout)):
        return refused(clearing, shown_book, shown)
    trial = rehearse(repo, imr, doc, returned, shown_book)
    return concluded(trial, shown_book, shown, write, lambda: changes.write(path, raw, text))
