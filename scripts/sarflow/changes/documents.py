"""Which IMRs' Word reports a change alters beyond their own files, found by building both.

An IMR's report is made from more than its folder: the template (sections, standard
paragraphs, QA criteria, the action plan's columns), the board's settings and the review's
review.yml (its terms of reference, the agencies). A change to any of them can change an
approved IMR's report while its files, and so the list of changes, stay the same. So
whenever one of them differs, each IMR's report is composed from both sides (by the Word
report's own `imr_document`, the same version stamp on both so that only content counts)
and compared; where they differ, the causes are named. A change of sarflow's own code is
not built both ways: the documents are composed by the version of sarflow that runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sarflow.changes.model import DocumentChange, FileChange, ReviewChanges
from sarflow.docx import imr_document
from sarflow.docx.version import Version
from sarflow.model import Imr, Repository, Review

OWN_FILES = "its own files"
BOARD = "reviews/board.yml"
_UNVERSIONED = Version(tracked=False)  # both sides stamped alike: only their content is compared


def documents_changed(
    base: Repository | None, head: Repository | None, reviews: list[ReviewChanges], outside: list[FileChange]
) -> list[DocumentChange]:
    """Every IMR in both revisions whose Word report differs, where something besides its own files changed."""
    if base is None or head is None:
        return []
    shared = _template_causes(base, head, outside)
    if _data(base.board_document) != _data(head.board_document):
        shared.append(BOARD)
    own = {(r.review_id, i.agency_id) for r in reviews for i in r.imrs if i.state == "changed"}
    found = []
    for old_review, new_review, old, new in _pairs(base, head):
        causes = shared + ([f"reviews/{new_review.id}/review.yml"] if _data(old_review.document) != _data(new_review.document) else [])
        if not causes or not (old.readable and new.readable):
            continue
        before = _composed(old, old_review, base)
        if before == _composed(new, new_review, head):
            continue
        changed_own = (new.review_id, new.agency_id) in own
        if changed_own and before == _composed(old, new_review, head):
            continue  # its own files made all the difference: the list of changes has them
        found.append(DocumentChange(new.review_id, new_review.reference or new.review_id, new.agency_id,
                                    new_review.agency_name(new.agency_id), old.status, causes + ([OWN_FILES] if changed_own else [])))
    return found


def _template_causes(base: Repository, head: Repository, outside: list[FileChange]) -> list[str]:
    """The template's file, when the template differs (as the files changed outside reviews/ name it)."""
    if base.template == head.template:
        return []
    named = [f.path for f in outside if f.path.startswith("schema/templates/")]
    return named or [f"the template {head.template.id}"]


def _pairs(base: Repository, head: Repository) -> Iterator[tuple[Review, Review, Imr, Imr]]:
    for new_review in head.reviews:
        old_review = base.review(new_review.id)
        if old_review is None:
            continue
        for agency_id, new in new_review.imrs.items():
            if (old := old_review.imrs.get(agency_id)) is not None:
                yield old_review, new_review, old, new


def _composed(imr: Imr, review: Review, repo: Repository) -> str:
    """The report's content as text to compare; a report that cannot be composed compares as its reason."""
    try:
        document, _ = imr_document(imr, review, repo.board, repo.template, _UNVERSIONED)
    except Exception as exc:  # noqa: BLE001 - an IMR read with another template may not compose: that is a difference
        return f"not composed: {type(exc).__name__}: {exc}"
    return json.dumps(document["blocks"], sort_keys=True)


def _data(document: object) -> object:
    return getattr(document, "data", None)
