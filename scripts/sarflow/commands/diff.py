"""Summarise what changed in the review files between two revisions, for the panel.

BASE and HEAD are git revisions (a branch such as origin/main, a tag, a commit).
Without them the summary compares the point where this branch left main with the
working tree, uncommitted edits included; with BASE alone, BASE with the working
tree. Per review and agency it lists the sections changed (in words added and
removed, never quoting the text), terms-of-reference answers, chronology entries,
actions and their status, target date and lead officer, quality-assurance answers,
sign-off and the IMR's status. CI writes it into the pull request's job summary.
"""

from __future__ import annotations

import argparse
import sys

from sarflow.changes.compare import compare
from sarflow.changes.render import as_json, markdown
from sarflow.changes.revisions import WORKING_TREE, Revision, RevisionError, default_base, load_revision, require_repository, resolve
from sarflow.commands import repository_root

NAME = "diff"
HELP = "summarise what changed between two revisions (for a pull request)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("base", nargs="?", metavar="BASE", help="the revision before the change (default: the merge-base of HEAD and main)")
    parser.add_argument("head", nargs="?", metavar="HEAD", help="the revision after the change (default: the working tree)")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown", help="Markdown for people (default) or JSON for tools")


def revisions(root, base: str | None, head: str | None) -> tuple[Revision, Revision]:
    """The two states to compare, as the arguments name them."""
    require_repository(root)
    before = resolve(root, base) if base else default_base(root)
    after = resolve(root, head) if head else Revision(WORKING_TREE)
    return before, after


def run(args: argparse.Namespace) -> int:
    root = repository_root(args)
    try:
        base, head = revisions(root, args.base, args.head)
        changes = compare(load_revision(root, base), load_revision(root, head))
    except RevisionError as exc:
        print(f"sarflow diff: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(as_json(changes, base, head) if args.format == "json" else markdown(changes, base, head))
    return 0
