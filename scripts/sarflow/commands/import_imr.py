"""Bring an IMR written in the board's Word template into the repository as the IMR's files.

`sarflow import imr "Police IMR.docx" adult-a/police` reads the document (tracked
changes accepted, and said so), finds the template's sections by their headings and
shows what it would write into reviews/adult-a/police/: each text section in its
Markdown file, one sentence per line; the family, staff, abbreviations,
quality-assurance form and sign-off in imr.yml; the chronology, where it is a table,
in chronology.yml. Whatever has no place goes into unplaced.md with the reason, never
dropped. Add --write to write the files (all of them or none); a file that is there
already is replaced only with --force. The agency must be listed in review.yml. The
result is checked as `sarflow check` would check it, and each finding left for the
author to settle (an unanswered question, a staff id the glossary lacks) is listed,
with what the new IMR brings to light elsewhere in the review (its agency's missing
short code, say).

Unlike the workbook imports, which refuse a change that would bring a new error into
an IMR the panel has already read, this one writes the IMR with its errors: it is the
IMR's first form in the repository, a draft whose author settles in it what check
reports (a Word document nearly always leaves something), and refusing it would leave
them only the agency's Word document to correct and import again. The exit code says
so, as `sarflow build`'s does for a document made from files with errors: 1 while any
error remains, written or not, 0 when only warnings do. A .doc, .pdf, .odt or
password-protected file, a document that is not an IMR, and a table whose cells are
merged or whose columns are not the template's are refused, naming the file or the
table and saying how to put it right, and nothing is written.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from sarflow.commands import concluded, refused, review_and_agency
from sarflow.errors import SarflowError, UsageError
from sarflow.findings import relative
from sarflow.load import load, load_imr
from sarflow.model import Repository, Review
from sarflow.printed import say

if TYPE_CHECKING:
    from sarflow.imports.trial import Trial

KIND = "imr"
HELP = "an IMR written in the Word template (.docx): its sections and tables as the IMR's files"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE.docx", help="the Word document")
    parser.add_argument("target", metavar="REVIEW/AGENCY", help="whose IMR folder to write, e.g. adult-a/police")
    parser.add_argument("--write", action="store_true", help="write the files (without it, only show what it would write)")
    parser.add_argument("--force", action="store_true", help="with --write, replace files that are there already")


def run(root: Path, args: argparse.Namespace) -> int:
    return import_imr(root, args.file, args.target, write=args.write, force=args.force)


def import_imr(root: Path, file: Path, target: str, write: bool = False, force: bool = False) -> int:
    """Show (and with `write`, make) the IMR folder `target` that the Word document `file` becomes; the exit code."""
    from sarflow.imports import imrfiles
    from sarflow.imports.imr import report, sort_document
    from sarflow.imports.word import read_document

    review_id, agency_id = review_and_agency(target)
    repo = load(root)
    review = repo.review(review_id)
    if review is None:
        raise UsageError(f"there is no review folder reviews/{review_id}/ (known: {', '.join(r.id for r in repo.reviews) or 'none'})")
    folder = review.folder / agency_id
    shown_folder = relative(folder, root)
    if review.agency(agency_id) is None:
        raise UsageError(f"{agency_id} is not an agency of reviews/{review_id}/review.yml; add it under `agencies:` "
                         f"first (`- {{id: {agency_id}, name: ..., short_code: ..., imr_due: ...}}`), then import again")
    shown = str(file)
    document = read_document(file, shown)
    imported = sort_document(document.ast, shown, repo.template, review, repo.board)
    if imported.problems:
        return refused(imported.problems, shown, f"{shown_folder}/")
    if document.tracked:
        say(f"{shown} has {document.tracked} tracked change(s): they are accepted, so the text is as it reads with "
            "every change accepted; check it against the document")
    say(f"{shown}: the template's sections and tables")
    for line in report(imported, repo.template):
        say(line)
    questions = [q.id for q in review.terms_of_reference.questions if q.id]
    written = imrfiles.files(imported, repo.template, agency_id, questions, file.name)
    there = [name for name in written if (folder / name).exists()]
    say("Files: " + ", ".join(f"{name}{' (there already)' if name in there else ''}" for name in written))
    if write and there and not force:
        say(f"sarflow import: {shown_folder}/ already has {', '.join(there)}; nothing was written. Run again with "
            "--force to replace them (git keeps the old ones)", file=sys.stderr)
        return 1
    replace = f" (add --force to replace the {len(there)} file(s) there already)" if there and not force else ""
    return concluded(_rehearse(repo, review, agency_id, written), shown, f"{shown_folder}/", write,
                     lambda: imrfiles.write_all(folder, written), draft=True, to_write=f"write {shown_folder}/{replace}")


def _rehearse(repo: Repository, review: Review, agency_id: str, written: dict[str, str]) -> Trial:
    """What check finds in the IMR the files make, read as sarflow reads them (from a copy of the folder),
    and what it newly finds elsewhere in the review because of it (another agency's `by` naming its staff)."""
    from sarflow.check import check  # here, not above: `sarflow import --help` need not load every rule
    from sarflow.imports.trial import Trial, as_found, newly_found
    from sarflow.imports.workbook import Problem

    folder = review.folder / agency_id
    with tempfile.TemporaryDirectory(prefix="sarflow-import-") as scratch:
        copy = Path(scratch) / relative(folder, repo.root)
        copy.mkdir(parents=True)
        for name, text in written.items():
            (copy / name).write_text(text, encoding="utf-8")
        imr = dataclasses.replace(load_imr(Path(scratch), review.id, copy, repo.template), folder=folder)
    unread = [f for f in imr.findings if f.code in ("yaml-syntax", "bad-value", "not-utf8", "duplicate-key")]
    if unread:
        raise SarflowError(f"the files made from the document would not read back cleanly ({unread[0]}); nothing "
                           "was written. Please tell the board's sarflow administrator")
    changed = dataclasses.replace(review, imrs={**review.imrs, agency_id: imr})
    trial = dataclasses.replace(repo, reviews=[changed if r is review else r for r in repo.reviews])
    inside = relative(folder, repo.root) + "/"

    # every finding in the folder is the draft's to settle; elsewhere, only those the import brings
    before = [as_found(f) for f in check(repo, [review.folder]) if not f.span.path.startswith(inside)]
    new = newly_found(before, check(trial, [review.folder]), as_found)
    return Trial.of([Problem(str(f.span), f.message, f.hint, f.code, f.severity) for f in new])

