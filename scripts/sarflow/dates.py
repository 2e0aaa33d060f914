"""Dates as every output shows them: UK style, never ISO and never US.

Data holds ISO dates; tables print 01/02/2026 and prose prints 1 February 2026.
Approximate chronology dates print only what is known, marked "(approx.)".
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sarflow.model import ChronologyEntry

APPROXIMATE = "(approx.)"
_UK = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")  # a date as `uk` writes it


def today() -> dt.date:
    """Today's date; SARFLOW_TODAY=YYYY-MM-DD pins it, so that a build can be reproduced."""
    pinned = os.environ.get("SARFLOW_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def uk(value: dt.date | None) -> str:
    """01/02/2026, for tables."""
    return value.strftime("%d/%m/%Y") if value else ""


def uk_to_iso(text: str) -> str:
    """`text` with every date written as `uk` writes it (01/02/2026) in ISO instead (2026-02-01),
    for comparing what an output shows with the data it was made from."""
    return _UK.sub(r"\3-\2-\1", text)


def is_uk(text: str) -> bool:
    """Whether `text` is one date as `uk` writes it, and nothing else."""
    return _UK.fullmatch(text) is not None


def uk_long(value: dt.date | None) -> str:
    """1 February 2026, for prose."""
    return f"{value.day} {value:%B %Y}" if value else ""


def entry_date(entry: ChronologyEntry) -> str:
    """A chronology date as known: 14/03/2024, or 03/2024 (approx.), or 2024 (approx.)."""
    if entry.date is None:
        return ""
    if entry.precision == "year":
        return f"{entry.date.year} {APPROXIMATE}"
    if entry.precision == "month":
        return f"{entry.date:%m/%Y} {APPROXIMATE}"
    return f"{uk(entry.date)} {APPROXIMATE}" if entry.approximate else uk(entry.date)
