"""Quality-assurance answers that sarflow check's own findings contradict.

An answer changed to "yes" is the author's word that a criterion is met; where check finds
the opposite for the same IMR ("Report is completed within agreed timescale: no → yes"
while the IMR is 270 days late), the summary flags it, so that the panel does not read a
ticked box as settled. Which findings contradict which criterion is the template's to say
(`contradicted_by` under each criterion of schema/templates/<id>.yml): codes of the
registry, or a family of them.
"""

from __future__ import annotations

from sarflow.changes.model import ReviewChanges
from sarflow.check import check
from sarflow.check.registry import CODES
from sarflow.findings import Finding
from sarflow.model import Repository
from sarflow.template import Template


def contradicted_by(template: Template) -> dict[str, frozenset[str]]:
    """Each criterion that findings can contradict, with the codes that do (a family stands for its codes)."""
    return {c.id: frozenset(code.code for code in CODES.values() if code.code in c.contradicted_by or code.family in
                            c.contradicted_by) for c in template.criteria if c.contradicted_by}


def flag_contradictions(repo: Repository | None, reviews: list[ReviewChanges]) -> None:
    """Flag each quality-assurance answer changed to "yes" that check's findings for its IMR contradict."""
    if repo is None:
        return
    codes = contradicted_by(repo.template)
    for review in reviews:
        now = repo.review(review.review_id)
        for changes in review.imrs:
            imr = now.imrs.get(changes.agency_id) if now else None
            answered = [q for q in changes.quality_assurance if q.answer and q.answer.new == "yes" and q.criterion in codes]
            if imr is None or not answered:
                continue
            findings = check(repo, [imr.folder])
            for q in answered:
                found = [f for f in findings if f.code in codes[q.criterion]]
                if found:
                    q.flags.append(_flag(found))


def _flag(found: list[Finding]) -> str:
    more = f" (and {len(found) - 1} more of its findings)" if len(found) > 1 else ""
    return f"answered yes, but sarflow check finds {found[0].code}: {found[0].message}{more}"
