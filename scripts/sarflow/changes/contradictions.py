"""Quality-assurance answers that sarflow check's own findings contradict.

An answer changed to "yes" is the author's word that a criterion is met; where check finds
the opposite for the same IMR ("Report is completed within agreed timescale: no → yes"
while the IMR is 270 days late), the summary flags it, so that the panel does not read a
ticked box as settled. CONTRADICTED_BY says which findings contradict which criterion:
codes of the registry, or a family of them.
"""

from __future__ import annotations

from sarflow.changes.model import ReviewChanges
from sarflow.check import check
from sarflow.check.registry import CODES
from sarflow.findings import Finding
from sarflow.model import Repository


def _family(name: str) -> tuple[str, ...]:
    codes = tuple(code.code for code in CODES.values() if code.family == name)
    assert codes, f"no family {name!r} in the registry"
    return codes


# A criterion (the template's id) and the findings that say a "yes" to it is wrong.
CONTRADICTED_BY: dict[str, tuple[str, ...]] = {
    "within-timescale": ("imr-late",),
    "chronology-complete": _family("Chronology"),
    "action-plan-measurable": ("action-incomplete",),
}


def flag_contradictions(repo: Repository | None, reviews: list[ReviewChanges]) -> None:
    """Flag each quality-assurance answer changed to "yes" that check's findings for its IMR contradict."""
    for review in reviews:
        now = repo.review(review.review_id) if repo else None
        for changes in review.imrs:
            imr = now.imrs.get(changes.agency_id) if now else None
            answered = [q for q in changes.quality_assurance
                        if q.answer and q.answer.new == "yes" and q.criterion in CONTRADICTED_BY]
            if repo is None or imr is None or not answered:
                continue
            findings = check(repo, [imr.folder])
            for q in answered:
                found = [f for f in findings if f.code in CONTRADICTED_BY[q.criterion]]
                if found:
                    q.flags.append(_flag(found))


def _flag(found: list[Finding]) -> str:
    more = f" (and {len(found) - 1} more of its findings)" if len(found) > 1 else ""
    return f"answered yes, but sarflow check finds {found[0].code}: {found[0].message}{more}"
