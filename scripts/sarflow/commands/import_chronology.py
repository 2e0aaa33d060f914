"""Bring an agency's chronology workbook into its chronology.yml.

`sarflow import chronology Chronology.xlsx adult-a/police` reads the workbook (the
Chronology.xlsx that `sarflow build` makes, the review's merged one, of which only
this agency's rows are read, or any sheet whose title row names the chronology's
columns, in any order) and shows what would change in
reviews/adult-a/police/chronology.yml; add --write to change the file, then open a
pull request. Dates must be real Excel dates, or text in the form 2024-03-14 (2024-03
or 2024 where only the month or the year is known): 03/04/2025 typed as text could be
either of two days and is refused. An entry is matched on its date and its event, so
importing the same workbook again changes entries instead of copying them; nothing
is ever removed. The change is tried first: nothing is written if `sarflow check`
would find a new error, and its warnings (an entry outside the period under review,
say) are shown.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarflow.commands import agency_names, concluded, imr_of, refused
from sarflow.load import load
from sarflow.load.yamlfile import parse_yaml
from sarflow.printed import say

KIND = "chronology"
HELP = "an agency's chronology workbook (.xlsx): the changes to chronology.yml"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.xlsx", help="the chronology workbook")
    parser.add_argument("target", metavar="REVIEW/AGENCY", help="whose chronology.yml to update, e.g. adult-a/police")
    parser.add_argument("--write", action="store_true", help="change chronology.yml (without it, only show the changes)")


def run(root: Path, args: argparse.Namespace) -> int:
    return import_chronology(root, args.file, args.target, write=args.write)


def import_chronology(root: Path, file: Path, target: str, write: bool = False) -> int:
    """Show (and with `write`, make) what the workbook `file` changes in `target`'s chronology.yml; the exit code."""
    # openpyxl is imported here, not at start-up: every other command would pay for it
    from sarflow.imports import changes, entries
    from sarflow.imports.chronology import read_chronology
    from sarflow.imports.guard import CHRONOLOGY
    from sarflow.imports.sheets import read_workbook
    from sarflow.imports.trial import rehearse_chronology

    repo = load(root)
    review, imr = imr_of(repo, target)
    everyone = agency_names(review)
    names = next(n for n in everyone if n[0] == imr.agency_id)
    shown_book = str(file)
    returned = read_chronology(read_workbook(file, shown_book, CHRONOLOGY), shown_book, repo.template, names, everyone)
    plan, problems = entries.plan_entries(imr, returned)
    shown = imr.documents[entries.CHRONOLOGY_FILE].path
    if problems := returned.problems + problems:
        return refused(problems, shown_book, shown)
    if returned.other_agencies:
        say(f"(skipped {returned.other_agencies} row(s) of other agencies)")
    if not returned.entries and returned.other_agencies:
        say(f"sarflow import: {shown_book} has no rows for {names[-1]} (its Agency column names only other agencies)",
            file=sys.stderr)
        return 1
    for column in repo.template.chronology_columns:
        if column.key not in returned.columns:
            say(f"(the workbook has no {column.title!r} column: those values are kept from {shown})")
    if plan.empty:
        say(f"{shown} already matches {shown_book}: nothing to change")
        if plan.not_in_workbook:
            print(entries.render(plan))
        return 0
    path = root / shown
    raw = path.read_bytes() if path.is_file() else b""
    text = entries.new_text(raw, plan, imr.chronology)
    doc = parse_yaml(text, shown)
    entries.verify(doc, plan)
    say(f"{shown}: changes from {shown_book}")
    print(entries.render(plan))  # each line made safe by render (sarflow.printed)
    trial = rehearse_chronology(repo, imr, doc, plan, shown_book)
    return concluded(trial, shown_book, shown, write, lambda: changes.write(path, raw, text))
