"""Root cause first: a finding that only follows from another is folded under it.

One slip can bury the finding that matters: `personel:` for `personnel:` leaves the IMR
with no staff list, so every `by:` in the chronology and every staff id in the text is
reported as unknown, 24 errors before the one that explains them all, and on GitHub
beyond the ten annotations shown. So the consequences of
- a misspelt key (an unknown key next to a known one, "did you mean `personnel`?"):
  the findings about the data that key should have held, and the "has no `event`" of
  the schema for the entry the misspelt key is in;
- an unknown staff id used again and again (often an id renamed in imr.yml): its later
  uses;
- a period under review that ends before it starts, or on the day it starts: every
  chronology entry of the review reported outside it
are folded under their cause, which says "(and 23 more that follow from this)" and
keeps them, so that the JSON and the GitHub job summary still list every one. (A file
that cannot be read needs nothing here: the rules skip what relies on it.) Then errors
come before warnings, each in the order of the files (`ordered`). No cause is ever in
another review than what follows from it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePosixPath

from sarflow.findings import Finding, ordered
from sarflow.words import plural

# A key of an IMR's files, and the findings that follow when it is misspelt (so its data is missing).
FOLLOWS_FROM_KEY = {
    "personnel": ("unknown-person",),
    "abbreviations": ("abbreviation-missing",),
    "quality_assurance": ("qa-unanswered",),
    "actions": ("lesson-without-action",),
}
WRONG_PERIOD = ("period-reversed", "period-empty")
_NEAR_MISS = re.compile(r"^unknown key `[^`]+`: did you mean `([^`]+)`\?$")
_UNKNOWN_ID = re.compile(r"^`([^`]+)` (?:is not an id|looks like a staff id but is not) in the personnel list")


def fold(findings: list[Finding]) -> list[Finding]:
    """The findings with each consequence folded under its cause; errors first, then warnings, each by position."""
    causes: dict[Finding, list[Finding]] = {}
    folded: set[Finding] = set()
    for rank in range(3):  # the stronger cause first: a misspelt key, a wrong period, then a repeated id
        for cause in findings:
            if cause in folded or cause in causes or _rank(cause) != rank:
                continue
            consequences = [f for f in _consequences(cause, findings) if f not in folded and f not in causes]
            if consequences:
                causes[cause] = consequences
                folded.update(consequences)
    return ordered([_with(f, causes.get(f, [])) for f in findings if f not in folded])


def _rank(finding: Finding) -> int | None:
    if _NEAR_MISS.match(finding.message):
        return 0
    if finding.code in WRONG_PERIOD:
        return 1
    return 2 if finding.code == "unknown-person" else None


def _with(cause: Finding, consequences: list[Finding]) -> Finding:
    if not consequences:
        return cause
    more = plural(len(consequences), "more finding that follows", "more findings that follow")
    return replace(cause, message=f"{cause.message} (and {more} from this)",
                   follows=tuple(sorted(consequences, key=lambda f: (f.span, f.code))))


def _consequences(cause: Finding, findings: list[Finding]) -> list[Finding]:
    imr = _imr(cause)
    if (near := _NEAR_MISS.match(cause.message)) is not None:
        key = near.group(1)
        data = [f for f in findings if f.code in FOLLOWS_FROM_KEY.get(key, ()) and _imr(f) == imr]
        # the schema's "has no `event`" for the mapping the misspelt key is in: the nearest one above it
        parent = [f for f in findings if f.code == "missing-key" and f.span.path == cause.span.path
                  and f"`{key}`" in f.message and f.span <= cause.span]
        return data + sorted(parent, key=lambda f: f.span)[-1:]
    if cause.code in WRONG_PERIOD:
        review = PurePosixPath(cause.span.path).parts[:2]
        return [f for f in findings if f.code == "outside-period" and PurePosixPath(f.span.path).parts[:2] == review]
    if cause.code == "unknown-person" and (first := _UNKNOWN_ID.match(cause.message)) is not None:
        return [f for f in findings if f is not cause and f.code == "unknown-person" and _imr(f) == imr
                and (later := _UNKNOWN_ID.match(f.message)) is not None and later.group(1) == first.group(1)
                and cause.span < f.span]
    return []


def _imr(finding: Finding) -> str:
    """The IMR folder a finding is in (reviews/<review>/<agency>), or its review's folder."""
    return "/".join(PurePosixPath(finding.span.path).parts[:3])
