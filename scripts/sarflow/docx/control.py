"""Document control: the cover's details, the mark of an IMR not yet approved, the history.

A panel member must be able to tell, from any page, whether what they hold is final:
an IMR that is not approved is marked DRAFT or SUBMITTED beside the template's marking
in every page header (`status_mark`, put there by `sarflow.word.finish`) and on the
cover. The cover gives the IMR's status, its dates of submission and approval and its
version; the document history lists every version (`sarflow.docx.version`) with its
date and the IMR's status then. No commit author is ever named.
"""

from __future__ import annotations

from sarflow.dates import today, uk
from sarflow.docx.version import Version
from sarflow.model import Imr
from sarflow.word.nodes import Node, header, para, space, strong, styled, table, text

NOT_RECORDED = "not yet recorded"
APPROVED = "approved"
# What the mark on the cover says of each status that is not approved; no status is a draft.
_MARKS = {
    "submitted": ("SUBMITTED", "sent to the SAR panel, not yet approved"),
    "draft": ("DRAFT", "still being written, not for circulation as final"),
}
HISTORY_TITLE = "Document history"
HISTORY_HEAD = ("Version", "Date", "Status then", "Commit")
UNCOMMITTED = "not yet committed"


def status_mark(imr: Imr) -> str:
    """DRAFT or SUBMITTED for an IMR that is not approved; nothing for an approved one."""
    return "" if imr.status == APPROVED else _MARKS.get(imr.status or "draft", _MARKS["draft"])[0]


def status_name(status: str | None) -> str:
    return status.capitalize() if status else NOT_RECORDED


def cover_mark(imr: Imr) -> list[Node]:
    """The cover's mark under the agency's name, e.g. "DRAFT: still being written ..."."""
    if imr.status == APPROVED:
        return []
    mark, meaning = _MARKS.get(imr.status or "draft", _MARKS["draft"])
    return [styled("Subtitle", [para(strong(f"{mark}:"), space(), text(meaning))])]


def cover_details(imr: Imr, version: Version) -> list[tuple[str, str | None]]:
    """The IMR's own details on the cover: status, dates and version (label, value)."""
    approved = imr.approved_by.date if imr.approved_by else None
    return [
        ("IMR status", status_name(imr.status or imr.as_written("status") or None)),
        ("Date of submission", uk(imr.submitted) if imr.submitted else "not yet submitted"),
        ("Date of approval", uk(approved) if approved else "not yet approved"),
        ("Version", str(version)),
    ]


def history(imr: Imr, version: Version) -> list[Node]:
    """The "Document history" heading and table: one row per committed version, newest last,
    and one for the changes not yet committed."""
    rows = [[str(r.number), uk(r.date), status_name(r.status), r.commit] for r in version.history]
    if version.changed or (version.tracked and not version.history):
        rows.append([UNCOMMITTED, uk(today()), status_name(imr.status), ""])
    if not rows:
        return []
    return [header(1, HISTORY_TITLE, "document-history"), table(HISTORY_HEAD, rows, [1.4, 1.2, 1.3, 1.1])]
