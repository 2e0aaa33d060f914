"""Summarise what changed in the review files between two revisions, for the panel.

BASE and HEAD are git revisions (a branch such as origin/main, a tag, a commit).
Without them the summary compares the point where this branch left main with the
working tree, uncommitted edits included; with BASE alone, BASE with the working
tree. Per review and agency it lists the sections changed (in words added and
removed, and each changed sentence old beside new, the words removed ~~struck~~ and those
added in **bold**), terms-of-reference answers, chronology entries (each changed column
old -> new), actions and their status, target date and lead officer, quality-assurance
answers (flagged where an answer changed to "yes" and check's own findings say otherwise),
sign-off and the IMR's status. A change to a submitted or approved IMR is flagged first:
its sign-off no longer covers the words. Files changed outside reviews/ (mkdocs.yml,
site/, the template, the tool, the workflows) come next, under a warning, with the IMRs
whose Word reports they change (each report is built from both revisions and compared):
they change how the documents and the site are built, so the board's administrators must
review them. A report changed by the board's or the review's settings is named too.
CI writes it into the pull request's job summary (with --max-bytes, so that GitHub
shows it: a longer one is cut at a line, with a note).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sarflow.changes.render import JSON_FORMAT, JSON_VERSION, as_json, markdown, smallest_cut
from sarflow.changes.revisions import WORKING_TREE, Revision, default_base, require_repository, resolve
from sarflow.changes.summary import summarise
from sarflow.commands import repository_root
from sarflow.errors import UsageError

JSON_HELP = f"""\
JSON (--format json): one object
  format "{JSON_FORMAT}", version {JSON_VERSION} (raised only when a key is renamed or removed),
  base, head: {{revision: as given, commit: the full hash, null for the working tree}},
  notes: [text] (a revision read with the current template, when its own could not be read),
  outside_reviews: [{{path, state}}] (files changed outside reviews/, paths under the repository),
  documents_changed: [{{review_id, reference, agency_id, agency, status (before), causes: [what changed it]}}]
    (IMRs whose Word report differs beyond their own files' changes; "its own files" among the causes
    when they changed too),
  signed_off_changed: [{{review_id, reference, agency_id, agency, status (before), approved (date), why}}]
    (submitted or approved IMRs the change alters),
  reviews: a list, each
    review_id, reference, state ("added", "removed" or "changed"),
    review: [change] (review.yml fields), text: [words] (subject, scope, referral, questions),
    unreadable: [review.yml, when it could not be read],
    imrs: a list, each
      review_id, agency_id, agency (its name), state, status: change or null,
      sections: [words] (name: the file), answers: [words] (name: the question id),
      chronology: {{added, removed: [entry],
                    changed: [{{entry, was (the entry as found before), fields: [column titles],
                               changes: [change] (each column old -> new, dates as printed)}}]}},
      actions: {{added, removed: [action],
                 changed: [{{no, was (the number before, if renumbered, else null),
                            changes: [change], fields: [column titles of other text changed],
                            updates: [dates of new progress updates], updates_edited,
                            recommendation (its first words), flags: [what the panel should question]}}]}},
      quality_assurance: [{{criterion (its id), text, answer: change or null, comment_changed}}],
      sign_off: [change], other: [counts of family, personnel, abbreviations changed],
      unreadable: [files whose changes cannot be told]
  change: {{field (its title), key (in the data, e.g. target_date), old, new}}
    (old and new are lists for a field that takes several ids, e.g. lesson: ["L1", "L3"])
  words: {{name, title, state, added, removed, moved}} (numbers of words)
  entry: {{date, shown_date, time ("14:30", or a range "14:00-15:30"), source}}
  action: {{no, recommendation (its first words), status, target_date, lead_officer}}
Dates are ISO (2026-03-14); null where a value is not set. Sections are told in words
added and removed; a changed chronology column or followed action field is quoted old -> new.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = JSON_HELP
    parser.add_argument("base", nargs="?", metavar="BASE", help="the revision before the change (default: the merge-base of HEAD and main)")
    parser.add_argument("head", nargs="?", metavar="HEAD", help="the revision after the change (default: the working tree)")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown", help="Markdown for people (default) or JSON for tools")
    parser.add_argument("--max-bytes", type=int, default=None, metavar="N",
                        help="cut the Markdown at a whole line to at most N bytes, with a note (GitHub shows at most 1 MiB)")


def revisions(root: Path, base: str | None, head: str | None) -> tuple[Revision, Revision]:
    """The two states to compare, as the arguments name them."""
    require_repository(root)
    before = resolve(root, base) if base else default_base(root)
    after = resolve(root, head) if head else Revision(WORKING_TREE)
    return before, after


def run(args: argparse.Namespace) -> int:
    root = repository_root(args)
    if args.max_bytes is not None and args.max_bytes < (least := smallest_cut(args.max_bytes)):
        raise UsageError(f"--max-bytes must be at least {least}, to leave room for the note that the summary was cut")
    base, head = revisions(root, args.base, args.head)
    summary = summarise(root, base, head)
    sys.stdout.write(as_json(summary, base, head) if args.format == "json" else markdown(summary, base, head, args.max_bytes))
    return 0
