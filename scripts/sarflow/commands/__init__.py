"""One module per command (see sarflow.cli); what they share lives here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
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


def concluded(trial: Trial, source: str, target: str, path: Path, raw: bytes, text: str, write: bool) -> int:
    """An import's end, once its changes are shown: refused on a new error of check, else written
    (with `write`) or only shown; its warnings are printed either way. The exit code."""
    from sarflow.imports import changes

    for warning in trial.warnings:
        print(warning)  # each line made safe by its __str__ (sarflow.printed)
    if trial.errors:
        say(f"sarflow check would find {len(trial.errors)} new error(s) in the result:", file=sys.stderr)
        return refused(trial.errors, source, target)
    if not write:
        say(f"Nothing written: run again with --write to change {target}.")
        return 0
    changes.write(path, raw, text)
    say(f"Written {target}: review the change with `git diff` and open a pull request.")
    return 0


def refused(problems: Sequence[object], source: str, target: str) -> int:
    """Each problem of an import, then that nothing was written; exit code 1."""
    for problem in problems:
        print(problem, file=sys.stderr)  # each line made safe by its __str__ (sarflow.printed)
    say(f"sarflow import: {len(problems)} problem(s) in {source}; nothing was written to {target}", file=sys.stderr)
    return 1
