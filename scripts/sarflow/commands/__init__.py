"""One module per command (see sarflow.cli); what they share lives here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sarflow.errors import UsageError
from sarflow.printed import say
from sarflow.root import SLUG, find_root

if TYPE_CHECKING:
    from sarflow.imports.trial import Trial
    from sarflow.model import Imr, Repository, Review


def repository_root(args: argparse.Namespace) -> Path:
    """The review repository: --root if given, else found from the current folder."""
    return args.root.resolve() if args.root else find_root(Path.cwd())


def review_and_agency(target: str) -> tuple[str, str]:
    """REVIEW/AGENCY as the import commands take it (reviews/ in front is allowed)."""
    parts = target.strip("/").removeprefix("reviews/").split("/")
    if len(parts) != 2 or not all(SLUG.match(p) for p in parts):
        raise UsageError(f"{target!r} is not REVIEW/AGENCY, e.g. adult-a/police")
    return parts[0], parts[1]


def imr_of(repo: Repository, target: str) -> tuple[Review, Imr]:
    """The review and the existing IMR folder that `target` names, or a usage error listing those there are."""
    review_id, agency_id = review_and_agency(target)
    review = repo.review(review_id)
    if review is None or agency_id not in review.imrs:
        known = ", ".join(f"{r.id}/{a}" for r in repo.reviews for a in r.imrs) or "none"
        raise UsageError(f"there is no IMR folder reviews/{review_id}/{agency_id}/ (known: {known})")
    return review, review.imrs[agency_id]


def agency_names(review: Review) -> list[tuple[str, ...]]:
    """Each agency of the review as its id and name (a folder not listed in review.yml as its id):
    how a workbook that holds several agencies' rows names them."""
    names: list[tuple[str, ...]] = [(a.id, a.name) if a.name else (a.id,) for a in review.agencies if a.id]
    return names + [(folder,) for folder in review.imrs if review.agency(folder) is None]


def concluded(trial: Trial, source: str, target: str, write: bool, save: Callable[[], None], *, draft: bool = False,
              to_write: str | None = None) -> int:
    """An import's end, once what it would write is shown; the exit code. Check's new warnings are printed either way.

    An import into an IMR that is there already (its action plan, its chronology) changes
    files the panel has read: a new error of check refuses it, and nothing is written
    (exit 1); the agency corrects its workbook, which it keeps, and sends it again. A
    Word IMR is a `draft`, the first form of the IMR in the repository, whose author
    settles in it what check reports: it is written (with `write`) all the same, its
    errors listed, and the exit code is 1 while any remains, as `sarflow build`'s is for
    a document made from files with errors. Without `write`, only shown (`to_write` says
    how to write it).
    """
    if trial.warnings:
        say(f"sarflow check would find {len(trial.warnings)} new warning(s), which do not stop the import:")
    for warning in trial.warnings:
        print(warning)  # each line made safe by its __str__ (sarflow.printed)
    if trial.errors and not draft:
        say(f"sarflow check would find {len(trial.errors)} new error(s) in the result:", file=sys.stderr)
        return refused(trial.errors, source, target)
    for error in trial.errors:
        print(error, file=sys.stderr)
    if trial.errors:
        say(f"sarflow check would find {len(trial.errors)} error(s) for the author to settle: a Word IMR comes in as "
            "a draft, written with them, and check reports each until it is settled", file=sys.stderr)
    if not write:
        say(f"Nothing written: run again with --write to {to_write or f'change {target}'}.")
        return 1 if trial.errors else 0
    save()
    say(f"Written {target}: review it with `git status` and `git diff`, settle what check reports, and open a pull "
        "request." if draft else f"Written {target}: review the change with `git diff` and open a pull request.")
    return 1 if trial.errors else 0


def refused(problems: Sequence[object], source: str, target: str) -> int:
    """Each problem of an import, then that nothing was written; exit code 1."""
    for problem in problems:
        print(problem, file=sys.stderr)  # each line made safe by its __str__ (sarflow.printed)
    say(f"sarflow import: {len(problems)} problem(s) in {source}; nothing was written to {target}", file=sys.stderr)
    return 1
