"""Scaffold a new review, or a new agency's IMR inside a review.

The files load cleanly at once and carry short guidance in comments, which no output
shows. Nothing that exists is ever overwritten; the only change to an existing file is
adding a new agency to the review's list, by adding lines (sarflow.yamltext), so that
the panel's diff shows the agency and nothing else.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from sarflow import scaffold, yamltext
from sarflow.commands import repository_root
from sarflow.dates import today
from sarflow.errors import SarflowError, UsageError
from sarflow.load import board_template
from sarflow.load.records import review as review_record
from sarflow.load.yamlfile import read_yaml
from sarflow.model import SHORT_CODE
from sarflow.root import SLUG
from sarflow.words import short_code


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    review = kinds.add_parser("review", help="a new Safeguarding Adults Review folder")
    review.add_argument("review_id", help="the folder name, e.g. adult-b (lowercase, digits, hyphens)")
    imr = kinds.add_parser("imr", help="a new agency's IMR inside a review")
    imr.add_argument("review_id")
    imr.add_argument("agency_id", help="the agency's folder name, e.g. police")
    imr.add_argument("--name", help="the agency's full name, added to review.yml if it is not listed yet")
    imr.add_argument("--due", type=dt.date.fromisoformat, help="the date the IMR is due (YYYY-MM-DD)")
    imr.add_argument("--code", help="the agency's short code, e.g. ASC, by which the review's combined action plan "
                                    "refers to its actions (ASC-3); default: made from its name")


def run(args: argparse.Namespace) -> int:
    root = repository_root(args)
    ids = [args.review_id] + ([args.agency_id] if args.kind == "imr" else [])
    for value in ids:
        if not SLUG.match(value):
            raise UsageError(f"{value!r} is not a valid id: use lowercase letters, digits and single hyphens")
    if args.kind == "imr" and args.code is not None and not SHORT_CODE.match(args.code):
        raise UsageError(f"{args.code!r} is not a short code: write 2 to 6 capital letters or digits, starting with a letter, e.g. ASC")
    folder = root / "reviews" / args.review_id
    if args.kind == "review":
        _create(folder, {"review.yml": _review_yml(args.review_id)})
        return 0
    if not (folder / "review.yml").is_file():
        raise UsageError(f"there is no review {args.review_id} (reviews/{args.review_id}/review.yml)")
    template = board_template(root)
    doc = read_yaml(folder / "review.yml", f"reviews/{args.review_id}/review.yml")
    review = review_record(doc, args.review_id, folder)
    files = scaffold.imr_files(template, args.agency_id, [q.id for q in review.terms_of_reference.questions if q.id])
    _create(folder / args.agency_id, files)
    if review.agency(args.agency_id) is None:
        name = args.name or args.agency_id.replace("-", " ").title()
        code = args.code or short_code(name, [a.short_code for a in review.agencies if a.short_code])
        _list_agency(folder / "review.yml", args.agency_id, name, code, args.due)
        print(f"added {args.agency_id} to the agencies in reviews/{args.review_id}/review.yml")
    return 0


def _create(folder: Path, files: dict[str, str]) -> None:
    if folder.exists():
        raise UsageError(f"{folder} already exists; nothing was changed")
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"created {folder / name}")


def _list_agency(review_file: Path, agency_id: str, name: str, code: str, due: dt.date | None) -> None:
    """Add the agency to review.yml by adding lines only: the authors' words, layout and comments stay as they are."""
    written = {"id": yamltext.scalar(agency_id), "name": yamltext.scalar(name), "short_code": yamltext.scalar(code),
               "imr_due": (due or today() + dt.timedelta(weeks=8)).isoformat()}  # a date, read back as one
    text = review_file.read_text(encoding="utf-8")
    changed = yamltext.add_item(text, "agencies", written)
    if changed is None:
        item = ", ".join(f"{key}: {value}" for key, value in written.items())
        raise SarflowError(f"{review_file} lists its agencies on one line; add {{{item}}} to them")
    review_file.write_text(changed, encoding="utf-8")


def _review_yml(review_id: str) -> str:
    on = today().isoformat()
    return f"""# yaml-language-server: $schema=../../schema/review.schema.json
# One Safeguarding Adults Review. Replace each value below; VS Code explains every key
# as you type. Dates are written year-month-day, e.g. 2026-03-14.
reference: {yamltext.scalar(review_id.upper())}
subject:
  name: {scaffold.SUBJECT_NAME}   # the anonymised name used in every document
  deceased: false
basis: mandatory           # mandatory (Care Act s44(1)) or discretionary (s44(4))
referral:
  date: {on}
  source: {scaffold.REFERRAL_SOURCE}
  summary: >-
    {scaffold.REFERRAL_SUMMARY}
period:
  from: {on}
  to: {on}
terms_of_reference:
  scope: >-
    {scaffold.SCOPE}
  questions:
    - id: Q1
      text: {scaffold.FIRST_QUESTION}
agencies: []               # add agencies with: sarflow new imr {review_id} <agency-id> --name "..."
stage: referral
"""
