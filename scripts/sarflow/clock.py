"""Times of day as authors write them: "14:30", or a range "14:00-15:30" (24-hour clock, in quotes).

The one definition of the form: the loader reads times with `read`, the chronology
schema's pattern is generated from `PATTERN` (sarflow.schemas), and check explains a
time that does not fit it with `explain`, naming the part that is wrong.
"""

from __future__ import annotations

import datetime as dt
import re

from sarflow.model import TimeOfDay

_CLOCK = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]"
PATTERN = rf"^{_CLOCK}(?:-{_CLOCK})?$"
EXAMPLES = ("14:30", "14:00-15:30")
_FORM = re.compile(rf"^({_CLOCK})(?:-({_CLOCK}))?$")
_LOOSE = re.compile(r"(\d{1,2})[:.](\d{2})")  # one time as an author may write it, right or wrong
_RANGE = re.compile(r"\s*(?:-|–|—|\bto\b)\s*")
HINT = ('a time is written HH:MM on the 24-hour clock, in double quotes, e.g. "09:05", and a range as two times '
        'joined by a hyphen, e.g. "14:00-15:30"; leave `time` out if it is not known')


def read(text: str) -> TimeOfDay | None:
    """The time or range `text` says, or None when it is not written in the form (see `explain`)."""
    match = _FORM.match(text.strip())
    if match is None:
        return None
    start, end = match.groups()
    return TimeOfDay(dt.time.fromisoformat(start), dt.time.fromisoformat(end) if end else None)


def explain(text: str) -> tuple[str, str]:
    """What is wrong with `text` as a time, and how to write it: (message, hint)."""
    shown = text.strip()
    parts = _RANGE.split(shown)
    times = [m for part in parts if (m := _LOOSE.fullmatch(part))]
    if len(times) != len(parts) or len(parts) > 2:
        return f"`{shown}` is not a time", HINT
    clock = [(int(m.group(1)), int(m.group(2))) for m in times]
    for part, (hours, minutes) in zip(parts, clock, strict=True):
        if hours > 23 or minutes > 59:
            return (f"`{shown}` is not a time on the 24-hour clock: {part} does not exist "
                    "(hours run from 00 to 23, minutes from 00 to 59)", f"check the time: {HINT}")
    written = "-".join(f"{hours:02d}:{minutes:02d}" for hours, minutes in clock)
    return f"`{shown}` is not written the way a time is", f'write time: "{written}"; {HINT}'
