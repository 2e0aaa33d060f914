"""Rule 1: every terms-of-reference question is answered in analysis.md, under its own heading.

The template warns authors that a blank answer will be queried, and that a question
that does not apply must say so and why; the panel should not have to find that out.
The section ends with good practice, which the quality-assurance form asks about too.
"""

from __future__ import annotations

import re

from sarflow.check import headings
from sarflow.check.context import Context
from sarflow.check.headings import ANSWER_HEADING, GOOD_PRACTICE
from sarflow.findings import Span
from sarflow.model import Heading, Section
from sarflow.words import listing

_NOT_RELEVANT = re.compile(r"\b(not\s+(?:relevant|applicable)|n/?a|none)\b", re.I)
# Words that only restate "not relevant to us" and give no reason.
_FILLER = {
    "not", "relevant", "applicable", "n/a", "na", "none", "no", "this", "the", "our", "to", "for", "us", "we", "it",
    "is", "of", "question", "agency", "service", "practice", "trust", "organisation", "team",
}


def check(ctx: Context) -> None:
    imr = ctx.the_imr
    section = imr.sections.get("analysis")
    asked = [q.id for q in ctx.review.terms_of_reference.questions if q.id]
    if section is None or not asked:
        return
    answers: dict[str, Heading] = {}
    for heading in section.headings:
        match = ANSWER_HEADING.match(heading.title)
        if heading.level != 2 or not match:
            continue
        qid = match.group(1)
        if qid in answers:
            ctx.report("tor-duplicate-answer", f"{qid} is answered twice; the first answer is on line {answers[qid].span.line}",
                       heading.span, f"put the whole answer to {qid} under one heading")
            continue
        answers[qid] = heading
        if qid not in asked:
            ctx.report("tor-unknown-question", f"the terms of reference have no question {qid}", heading.span,
                       f"review.yml asks {listing(asked, 'and')}: check the number in this heading")
        elif not _body(heading):
            ctx.report("tor-empty-answer", f"nothing is written under the heading for {qid}", heading.span,
                       "write the answer; if the question does not apply to your agency, say so and why "
                       "(a blank answer will be queried)")
        elif _no_reason(_body(heading)):
            ctx.report("tor-no-reason", f"the answer to {qid} says it is not relevant but not why", heading.span,
                       "say why it does not apply, e.g. 'Not relevant: the practice had no contact with Adult A in this period'")
    meant = set()
    for miss in headings.near_misses(section, "Q"):
        if miss.meant not in answers:
            headings.report(ctx, miss, f"the answer to {miss.meant}")
            meant.add(miss.meant)
    _good_practice(ctx, section)
    for qid in asked:
        if qid not in answers and qid not in meant:
            ctx.report("tor-unanswered", f"{qid} of the terms of reference has no answer: there is no `## {qid}` heading",
                       Span(section.span.path, 1, 1),
                       f"add a heading `## {qid}` with the answer under it; if the question does not apply to your "
                       "agency, say so and why (a blank answer will be queried)")


def _good_practice(ctx: Context, section: Section) -> None:
    title = ctx.repo.template.good_practice
    heading = next((h for h in section.headings if h.level == 2 and h.title.lower().startswith(title.lower())), None)
    misses = list(headings.near_misses(section, GOOD_PRACTICE, title)) if heading is None else []
    for miss in misses:
        headings.report(ctx, miss, f"the {title.lower()}")
    if heading is None and not misses:
        ctx.report("good-practice-missing", f"analysis.md has no `## {title}` heading", Span(section.span.path, 1, 1),
                   f"add `## {title}` after the answers, with what your agency did well; "
                   "if there was none, say so and why")
    elif heading is not None and not _body(heading):
        ctx.report("good-practice-missing", f"nothing is written under `## {title}`", heading.span,
                   "say what your agency did well in this case, beyond the minimum expected; "
                   "if there was none, say so and why")


def _body(heading: Heading) -> str:
    """The answer's own words, without any sub-headings."""
    return "\n".join(line for line in heading.body.split("\n") if not line.lstrip().startswith("#")).strip()


def _no_reason(body: str) -> bool:
    if not _NOT_RELEVANT.search(body):
        return False
    words = re.findall(r"[\w/]+", body.lower())
    return all(word in _FILLER for word in words)
