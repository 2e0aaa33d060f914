"""Rule 6 and the IMR's own facts: the QA form, the sign-off and the date of submission.

The quality-assurance form must be answered in full before an IMR is submitted
(until then an unanswered criterion is a reminder); a submitted IMR names its author
and the date it was sent, and an approved one its approver too. The keys of the
sign-off come from the template.
"""

from __future__ import annotations

from typing import Any

from sarflow.check.context import Context
from sarflow.dates import uk
from sarflow.template import Column
from sarflow.words import listing, plural


def check(ctx: Context) -> None:
    imr = ctx.the_imr
    doc = imr.documents.get("imr.yml")
    if doc is None or not isinstance(doc.data, dict):
        return
    data: dict[str, Any] = doc.data
    agency = data.get("agency")
    if isinstance(agency, str) and agency.strip() and agency.strip() != imr.agency_id:
        ctx.report("agency-mismatch", f"`agency: {agency}` does not match the folder name {imr.agency_id}", doc.span("agency"),
                   f"write `agency: {imr.agency_id}`, or move the files to the folder reviews/{imr.review_id}/{agency}/")
    _quality_assurance(ctx, data)
    status = imr.status
    if imr.sent:
        _sign_off(ctx, data, status)
        if imr.submitted is None and data.get("submitted") is None:
            ctx.report("submitted-date-missing", f"the IMR is {status} but has no date of submission", doc.span("status"),
                       "add `submitted:` with the date it was sent to the panel, e.g. 2026-03-04")
    if imr.submitted is not None and imr.submitted > ctx.today:
        ctx.report("submitted-in-future", f"the date of submission {uk(imr.submitted)} is after today ({uk(ctx.today)})",
                   doc.span("submitted"), "check the date: write the day the IMR was actually sent")


def _quality_assurance(ctx: Context, data: dict[str, Any]) -> None:
    imr = ctx.the_imr
    doc = imr.documents["imr.yml"]
    criteria = [c.id for c in ctx.repo.template.criteria]
    answers = imr.quality_assurance.answers
    given_form = data.get("quality_assurance")
    raw = given_form if isinstance(given_form, dict) else {}
    for criterion in criteria:
        answer = answers.get(criterion)
        given = raw.get(criterion)
        if answer is not None and answer.answer is None and isinstance(given, dict) and given.get("answer") is None:
            ctx.report("qa-unanswered", f"the quality-assurance criterion `{criterion}` has no answer", answer.at,
                       'add `answer: yes` or `answer: no`, with a comment where it helps')
    absent = [c for c in criteria if c not in answers and c not in raw]
    if absent:
        where = doc.key_span("quality_assurance") if "quality_assurance" in data else doc.span()
        ctx.report("qa-unanswered", f"the quality-assurance form has no answer for {plural(len(absent), 'criterion', 'criteria')} "
                   f"of {len(criteria)}: {listing(absent, 'and')}", where,
                   f"answer each under quality_assurance in imr.yml before the IMR is submitted: a line `{absent[0]}:`, "
                   "and under it, indented two more spaces, `answer: yes` (or no) and `comment:` with a sentence")


def _sign_off(ctx: Context, data: dict[str, Any], status: str | None) -> None:
    """The template's sign-off fields a submitted (author's) or approved (all) IMR must fill in."""
    doc = ctx.the_imr.documents["imr.yml"]
    needed = [c for c in ctx.repo.template.sign_off if c.key != "submitted"
              and (status == "approved" or not c.key.startswith("approved_by."))]
    missing = [c for c in needed if not _filled(data, c.key.split("."))]
    if missing:
        named = [f"{c.key} ({c.title.rstrip(':')})" for c in missing]
        ctx.report("sign-off-incomplete", f"the IMR is {status} but its sign-off has no {listing(named, 'and')}", doc.span("status"),
                   f"in imr.yml, write {_nested(missing)}"
                   + ("" if status == "approved" else ", or set the status back to draft"))


def _nested(missing: list[Column]) -> str:
    """`approved_by.name` as an author writes it: `name:` under `approved_by:`, not a key with a dot."""
    parts = []
    for parent in dict.fromkeys(c.key.split(".")[0] for c in missing):
        children = [c.key.split(".", 1)[1] for c in missing if c.key.startswith(parent + ".")]
        if children:
            parts.append(f"{listing([f'`{child}:`' for child in children], 'and')} under `{parent}:` (indented by two spaces)")
        else:
            parts.append(f"`{parent}:`")
    return listing(parts, "and")


def _filled(data: Any, keys: list[str]) -> bool:
    for key in keys:
        if not isinstance(data, dict):
            return False
        data = data.get(key)
    return isinstance(data, str) and bool(data.strip())
