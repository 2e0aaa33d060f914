"""The panel's summary of a change, gathered from both revisions: what `sarflow diff` prints
and what `sarflow redline` makes a document for.

Both sides are loaded (`revisions.loaded`), compared record by record (`compare`), the files
outside reviews/ listed (`outside`), quality-assurance answers that check contradicts
flagged (`contradictions`), and every IMR's report built both ways where anything
besides its own files changed (`documents`). Last, each submitted or approved IMR that the
change alters is named: its sign-off covered words that are no longer the same.
"""

from __future__ import annotations

from pathlib import Path

from sarflow.changes.compare import compare
from sarflow.changes.contradictions import flag_contradictions
from sarflow.changes.documents import OWN_FILES, documents_changed
from sarflow.changes.model import DocumentChange, ReviewChanges, SignedOff, Summary
from sarflow.changes.outside import outside_reviews
from sarflow.changes.revisions import Revision, loaded
from sarflow.model import Repository, is_sent


def summarise(root: Path, base: Revision, head: Revision) -> Summary:
    with loaded(root, base) as before, loaded(root, head) as after:
        reviews = compare(before.repo, after.repo)
        flag_contradictions(after.repo, reviews)
        outside = outside_reviews(root, base, head)
        documents = documents_changed(before.repo, after.repo, reviews, outside)
        return Summary(reviews, outside, documents, signed_off(before.repo, reviews, documents),
                       [s.note for s in (before, after) if s.note])


def signed_off(base: Repository | None, reviews: list[ReviewChanges], documents: list[DocumentChange]) -> list[SignedOff]:
    """Each IMR submitted or approved before the change whose files or report the change alters."""
    found: dict[tuple[str, str], SignedOff] = {}
    for review in reviews:
        old_review = base.review(review.review_id) if base else None
        for imr in review.imrs:
            old = old_review.imrs.get(imr.agency_id) if old_review else None
            if old is not None and old.status and is_sent(old.status) and imr.state != "added":
                approved = old.approved_by.date if old.approved_by else None
                why = "the IMR was removed" if imr.state == "removed" else OWN_FILES
                found[(imr.review_id, imr.agency_id)] = SignedOff(imr.review_id, review.reference, imr.agency_id, imr.agency,
                                                                  old.status, approved, why)
    for document in documents:
        key = (document.review_id, document.agency_id)
        if key in found or not (document.status and is_sent(document.status)):
            continue
        old_review = base.review(document.review_id) if base else None
        old = old_review.imrs.get(document.agency_id) if old_review else None
        approved = old.approved_by.date if old and old.approved_by else None
        found[key] = SignedOff(document.review_id, document.reference, document.agency_id, document.agency, document.status,
                               approved, ", ".join(document.causes))
    return list(found.values())
