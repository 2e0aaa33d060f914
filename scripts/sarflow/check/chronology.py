"""Rule 4: the chronology is dated within the review and in order (its `by` ids: see personnel.py).

An approximate date (a month or a year) spans a range, so it is compared by its
range: an entry for March 2024 is in order after 14 March 2024 and before 20 March.
Entries of one day are in order by their times (a range by its start). Only the first
entry out of order is reported, since one misplaced entry would otherwise make every
later one look wrong. A time range must end after it starts; how a time is written
at all is the schema's (sarflow.clock).
"""

from __future__ import annotations

import calendar
import datetime as dt

from sarflow.check.context import Context
from sarflow.dates import entry_date, uk
from sarflow.model import ChronologyEntry, TimeOfDay


def check(ctx: Context) -> None:
    if not ctx.readable("chronology.yml"):
        return
    imr = ctx.the_imr
    period = ctx.review.period
    previous: ChronologyEntry | None = None
    out_of_order_reported = False
    for entry in imr.chronology:
        if entry.time and entry.time.reversed:
            _reversed_range(ctx, entry, entry.time)
        if entry.date is None:
            continue
        first, last = _range(entry)
        if entry.precision != "day" and not entry.approximate:
            written = f"{entry.date:%Y-%m}" if entry.precision == "month" else str(entry.date.year)
            ctx.report("approximate-not-marked", f"the date {written} gives only the {entry.precision}, "
                       "but the entry is not marked approximate", entry.span("date"),
                       "add `approximate: true` to the entry, or give the full date")
        if period and period.start and last < period.start:
            ctx.report("outside-period", f"this entry ({entry_date(entry)}) is before the period under review "
                       f"({uk(period.start)} to {uk(period.end)})", entry.span("date"), _OUTSIDE_HINT)
        elif period and period.end and first > period.end:
            ctx.report("outside-period", f"this entry ({entry_date(entry)}) is after the period under review "
                       f"({uk(period.start)} to {uk(period.end)})", entry.span("date"), _OUTSIDE_HINT)
        if previous is not None and not out_of_order_reported and _before(entry, previous):
            out_of_order_reported = True
            ctx.report("chronology-order", f"this entry ({_when(entry)}) is earlier than the entry before it "
                       f"({_when(previous)}, line {previous.at.line})", entry.span("date"),
                       "keep the chronology in date order: move this entry up to where it belongs, or check its date")
        previous = entry


_OUTSIDE_HINT = ("check the date; if the entry is deliberately outside the period (earlier contact the terms "
                 "of reference ask for), it can stay: this is only a warning")


def _range(entry: ChronologyEntry) -> tuple[dt.date, dt.date]:
    assert entry.date is not None
    if entry.precision == "year":
        return entry.date, dt.date(entry.date.year, 12, 31)
    if entry.precision == "month":
        days = calendar.monthrange(entry.date.year, entry.date.month)[1]
        return entry.date, entry.date.replace(day=days)
    return entry.date, entry.date


def _before(entry: ChronologyEntry, previous: ChronologyEntry) -> bool:
    """True when `entry` certainly happened before `previous` (overlapping ranges are in order)."""
    _first, last = _range(entry)
    prev_first, _ = _range(previous)
    if last < prev_first:
        return True
    same_day = entry.precision == previous.precision == "day" and entry.date == previous.date
    time, previous_time = entry.time, previous.time
    return same_day and time is not None and previous_time is not None and time.start < previous_time.start


def _reversed_range(ctx: Context, entry: ChronologyEntry, time: TimeOfDay) -> None:
    start, end = f"{time.start:%H:%M}", f"{time.end:%H:%M}" if time.end else ""
    if start == end:
        ctx.report("time-range-reversed", f"the time range {time} starts and ends at the same time", entry.span("time"),
                   f'write it as one time: time: "{start}"')
        return
    ctx.report("time-range-reversed", f"the time range {time} ends before it starts", entry.span("time"),
               f'if you meant {end} to {start}, write time: "{end}-{start}"; if the contact went on past midnight, '
               "give the time it started and say in the event when it ended")


def _when(entry: ChronologyEntry) -> str:
    return f"{entry_date(entry)} {entry.time}" if entry.time and entry.precision == "day" else entry_date(entry)
