"""`sarflow board-paper [--meeting DATE]`: the Word paper for a board meeting, under build/board/.

The paper is made from the status tier only (see sarflow.paper). Without --meeting it
is for the board's next meeting listed in reviews/board.yml (or today, when none is);
its figures are today's (SARFLOW_TODAY pins the day). It runs the checks first, as
build does: an error in the files is shown and the command exits 1, but the paper is
still written, because the board meets whether or not an agency's file is right; its page
headers then say it was built from files with errors, as an IMR report's do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from sarflow.check import check
from sarflow.commands import repository_root
from sarflow.dates import today, uk_long
from sarflow.errors import UsageError
from sarflow.findings import errors
from sarflow.load import load
from sarflow.outputs import ERRORS_MARK, output_folder
from sarflow.paper import write
from sarflow.printed import say
from sarflow.word.pandoc import PandocError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--meeting", type=_day, default=None, metavar="DATE",
                        help="the meeting the paper is for, as year-month-day (e.g. 2026-12-10); "
                             "default: the board's next meeting in reviews/board.yml")
    parser.add_argument("--out", type=Path, default=None, help="the output folder (default: build/ in the repository)")


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: write it as year-month-day, e.g. 2026-12-10") from None


def run(args: argparse.Namespace) -> int:
    root = repository_root(args)
    return board_paper(root, args.out or root / "build", args.meeting)


def board_paper(root: Path, out: Path, meeting: dt.date | None) -> int:
    """Write the paper; 0 when the files are free of errors, 1 when check found some."""
    folder = output_folder(out)
    repo = load(root)
    failing = errors(check(repo, None))
    for finding in failing:
        print(finding, file=sys.stderr)
    if meeting and repo.board and meeting not in repo.board.meetings:
        say(f"sarflow board-paper: {uk_long(meeting)} is not one of the board's meetings in reviews/board.yml "
            "(the paper is still written for it)", file=sys.stderr)
    try:
        path = write(repo, folder, today(), meeting, ERRORS_MARK if failing else "")
    except (PandocError, OSError) as exc:
        raise UsageError(f"the board paper was not written: {exc}") from exc
    say(f"wrote {path.relative_to(folder.parent) if path.is_relative_to(folder.parent) else path}")
    if failing:
        say(f"sarflow board-paper: check found {len(failing)} error(s) in the files (above); the paper shows "
            "what could be read", file=sys.stderr)
    return 1 if failing else 0
