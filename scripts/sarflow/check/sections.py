"""Sections still holding only the guidance comments: a reminder while drafting, an error once submitted.

The analysis and the lessons have their own, more precise completeness rules (each
question, each lesson), so they are left to those.
"""

from __future__ import annotations

from sarflow.check.context import Context
from sarflow.findings import Span

OWN_RULES = ("analysis", "lessons")


def check(ctx: Context) -> None:
    imr = ctx.the_imr
    for section_id, name in ctx.repo.template.section_files.items():
        section = imr.sections.get(section_id)
        if section is None or section.written or section_id in OWN_RULES:
            continue
        title = ctx.repo.template.section(section_id).title
        ctx.report("section-empty", f"{name} ({title}) has not been written yet", Span(section.span.path, 1, 1),
                   "write the section below the guidance comment (the comment itself is not printed)")
