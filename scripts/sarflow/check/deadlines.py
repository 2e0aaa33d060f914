"""Rule 7: an IMR past its due date and not yet submitted is late, and says by how much.

The due date is the agency's imr_due in review.yml. An agency that has no folder yet
is late too, and is reported against its line in review.yml.
"""

from __future__ import annotations

import datetime as dt

from sarflow.check.context import Context
from sarflow.dates import uk_long
from sarflow.findings import Span
from sarflow.words import plural


def check(ctx: Context) -> None:
    imr = ctx.the_imr
    agency = ctx.review.agency(imr.agency_id)
    if not ctx.readable("imr.yml") or agency is None or agency.imr_due is None:
        return  # an unreadable imr.yml says nothing about whether the IMR was sent
    if not imr.sent and ctx.today > agency.imr_due:
        _late(ctx, agency.imr_due, imr.documents["imr.yml"].span("status"), "the IMR")


def check_review(ctx: Context) -> None:
    """Agencies listed in review.yml whose IMR folder does not exist yet."""
    for agency in ctx.review.agencies:
        if agency.id and agency.id not in ctx.review.imrs and agency.imr_due and ctx.today > agency.imr_due:
            _late(ctx, agency.imr_due, agency.span("imr_due"), f"the IMR of {agency.id} (no folder yet)")


def _late(ctx: Context, due: dt.date, where: Span, what: str) -> None:
    days = (ctx.today - due).days
    ctx.report("imr-late", f"{what} was due on {uk_long(due)} and is late by {plural(days, 'day')}", where,
               "submit it (set `status: submitted` and the date under `submitted:`), or agree a new due date with "
               "the panel and change imr_due in review.yml")
