"""The YAML traps: values that YAML reads differently from what the author wrote.

An unquoted `14:30` is read as the number 870 (minutes, in base 60), an unquoted `no`
as false, and `01/02/1981` is text that could mean 1 February or (the US way)
2 January. The loader keeps the original text of every plain value, so the message
can quote exactly what the author typed. A UK date is never converted: the hint
suggests the UK reading and asks the author to confirm it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sarflow.dates import uk_long
from sarflow.load.yamlfile import Scalar

_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
_UK_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$")

Explanation = tuple[str, str, str]  # code, message, hint


def explain(key: str, value: Any, scalar: Scalar | None) -> Explanation | None:
    """The trap behind a value the schema refused, if it is one of the known traps."""
    if scalar is not None and not scalar.quoted:
        if scalar.tag.endswith((":int", ":float")) and (match := _TIME.match(scalar.text)):
            return _unquoted_time(key, scalar.text, value, match)
        if scalar.tag.endswith(":bool"):
            return _boolean(key, scalar.text, value)
    if isinstance(value, str) and (match := _UK_DATE.match(value.strip())):
        return _uk_date(key, value.strip(), match)
    return None


def _unquoted_time(key: str, text: str, value: Any, match: re.Match[str]) -> Explanation:
    hours, minutes = int(match.group(1)), match.group(2)
    if hours > 23 or int(minutes) > 59:
        return (
            "unquoted-time",
            f"`{text}` without quotes is read by YAML as the number {value}, and it is not a time on the 24-hour clock",
            "check the time: write it between 00:00 and 23:59, in double quotes, "
            f'e.g. {key}: "{min(hours, 23):02d}:{minutes if int(minutes) < 60 else "00"}"',
        )
    return (
        "unquoted-time",
        f"`{text}` without quotes is read by YAML as the number {value}, not as a time",
        f'put the time in double quotes: {key}: "{hours:02d}:{minutes}"',
    )


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
