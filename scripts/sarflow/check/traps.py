"""The YAML traps: values that YAML reads differently from what the author wrote.

An unquoted `true` or `false` is a boolean where text may be meant, and `01/02/1981` is
text that could mean 1 February or (the US way) 2 January. (YAML 1.2, which sarflow and
the editor read, has no other such traps: `14:30` and `no` are text; see
sarflow.yamlloader.) The loader keeps the original text of every plain value, so the
message can quote exactly what the author typed. A UK date is never converted: the hint
suggests the UK reading and asks the author to confirm it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sarflow.dates import uk_long
from sarflow.load.yamlfile import Scalar

_UK_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$")

Explanation = tuple[str, str, str]  # code, message, hint


def explain(key: str, value: Any, scalar: Scalar | None) -> Explanation | None:
    """The trap behind a value the schema refused, if it is one of the known traps."""
    if scalar is not None and not scalar.quoted and scalar.tag.endswith(":bool"):
        return _boolean(key, scalar.text, value)
    if isinstance(value, str) and (match := _UK_DATE.match(value.strip())):
        return _uk_date(key, value.strip(), match)
    return None


def _boolean(key: str, text: str, value: Any) -> Explanation:
    return (
        "yaml-boolean",
        f"`{text}` without quotes is read by YAML as {str(value).lower()}, not as the text \"{text}\"",
        f'put it in double quotes: {key}: "{text}"',
    )


def _uk_date(key: str, text: str, match: re.Match[str]) -> Explanation:
    day, month, year = int(match.group(1)), int(match.group(3)), match.group(4)
    message = f"`{text}` is written day/month/year; dates are written year-month-day"
    if len(year) == 2:
        return "uk-date", message, f"write it year-month-day with the year in full (sarflow cannot tell which century '{year}' means)"
    try:
        meant = dt.date(int(year), month, day)
    except ValueError:
        return ("uk-date", f"`{text}` is not a real date, and dates are written year-month-day",
                "check the day and month, then write it year-month-day, e.g. 1981-02-01")
    return (
        "uk-date",
        message,
        f"if you mean {uk_long(meant)}, write {key}: {meant.isoformat()}; please check the day and month, "
        "as sarflow never converts a date for you",
    )
