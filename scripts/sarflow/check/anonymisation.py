"""Rule 8: nothing in the text identifies a person who should not be identifiable.

Staff appear in the text by their ids (SW1), never by name; family members by their
anonymised names. What is restricted, and every form it may be written in, is known by
one module, sarflow.restricted; this rule reports what it finds, where it is. The
review's own status text (review.yml) and each IMR's text are read:
- in status-tier text (the action plan, the terms of reference, the agencies' names:
  what the status site shows) a restricted value is always an error;
- in section text (the Markdown sections, the chronology, the QA comments: only the
  panel reads them) it is a warning or an error as the board decides (reviews/board.yml,
  settings.anonymisation).
"""

from __future__ import annotations

from sarflow.check import text
from sarflow.check.context import Context
from sarflow.check.text import Joined, Passage
from sarflow.restricted import Found
from sarflow.restricted.tiers import Tier, review_status_text

# What is certainly what it is said to be; the rest only looks like it (a postcode may be a code of another kind).
_CERTAIN = ("real-name", "date-of-birth", "address", "email-address")
_REMOVE = "remove it: the report identifies people only by their anonymised names and staff ids"
_HINTS = {
    "email-address": "remove it, or describe it, e.g. 'the team's shared inbox'",
    "nhs-number": _REMOVE,
    "ni-number": _REMOVE,
    "phone-number": "remove it, or describe it, e.g. 'her daughter's mobile number'",
    "postcode": "keep addresses in the family table in imr.yml; in the text say e.g. 'her flat'",
    "address": "keep addresses in the family table in imr.yml; in the text say e.g. 'her flat'",
    "date-of-birth": "keep dates of birth in the family table in imr.yml; in the text give an age instead, e.g. aged 78",
    "real-name": "staff are named in the text only by their ids; signatories only in the sign-off of imr.yml",
}


def check(ctx: Context) -> None:
    imr = ctx.the_imr
    _report(ctx, text.joined([*text.sections(imr, ctx.repo.template), *text.section_data(imr, ctx.chronology), *text.status_data(imr)]))


def check_review(ctx: Context) -> None:
    """review.yml's status text: the reference, the subject's name, the terms of reference, the agencies' names."""
    _report(ctx, text.joined(Passage(value, at, False, Tier.STATUS) for at, value in review_status_text(ctx.review)))


def _report(ctx: Context, written: Joined) -> None:
    here = f"{ctx.imr.review_id}/{ctx.imr.agency_id}" if ctx.imr else None
    for found in ctx.the_restricted.find(written.text, here):
        passage = written.passage(found.start)
        message, hint = _described(found, passage.tier, here)
        ctx.report(found.code, message, written.at(found.start), hint, passage.tier)


def _described(found: Found, tier: Tier, here: str | None) -> tuple[str, str]:
    message = f"`{found.text}` is {found.what}" if found.code in _CERTAIN else (
        f"`{found.text}` looks like {found.what}")
    if found.where and found.where != here:
        message += f" in {found.where}"
    if found.code == "real-name" and found.instead:
        message += "; staff are named in the text only by their ids"
        hint = f"write {found.instead} instead"
    else:
        hint = _HINTS[found.code]
    if found.disguised:
        message += " (written with hidden characters or look-alike letters)"
    if tier is Tier.STATUS:
        message += "; this field is shown on the status site, so it is always an error"
    return message, hint
