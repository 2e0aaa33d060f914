"""Rule 2: actions flow from lessons; every action names a lesson of lessons.md, and every lesson leads somewhere.

The template's section 8 says every recommendation flows from a lesson in section 7,
so an action naming a lesson that does not exist is an error, and a lesson that
leads to no action is worth a second look (a warning). An action may answer several
lessons (`lesson: [L1, L3]`); each is checked where it is written.
"""

from __future__ import annotations

from sarflow.check import headings
from sarflow.check.context import Context
from sarflow.check.headings import LESSON_HEADING
from sarflow.findings import Span
from sarflow.model import Heading, Ref, Section
from sarflow.words import listing, nearest

LESSON = "lesson"  # the action's field that names its lesson (the template's table says whether it is required)


def check(ctx: Context) -> None:
    imr = ctx.the_imr
    section = imr.sections.get("lessons")
    if section is None:
        return
    lessons, meant = _lessons(ctx, section)
    if not lessons and not meant:
        ctx.report("no-lessons", "lessons.md has no lessons yet", Span(section.span.path, 1, 1),
                   "add one heading per lesson, `## L1 <the lesson in a sentence>`, with what your agency learnt under it")
    if not ctx.readable("actions.yml"):
        return
    named = set()
    for action in imr.actions:
        number = f"action {action.no}" if action.no is not None else "this action"
        if not action.lesson:
            if LESSON not in action.spans and ctx.repo.template.action_plan.field(LESSON).required:
                ctx.report("action-without-lesson", f"{number} does not say which lesson it comes from", action.at,
                           f"add `lesson: L<n>` naming its lesson in lessons.md{_known(lessons)}")
            continue
        for lesson in action.lesson:
            named.add(lesson.text)
            if lesson.text not in lessons and lesson.text not in meant:  # a lesson meant is reported at its heading
                _unknown(ctx, lesson, lessons)
    for lesson_id, heading in lessons.items():
        if lesson_id not in named:
            ctx.report("lesson-without-action", f"lesson {lesson_id} leads to no action in actions.yml", heading.span,
                       f"add an action with `lesson: {lesson_id}`, or say in the lesson why no action is needed")


def _unknown(ctx: Context, lesson: Ref, lessons: dict[str, Heading]) -> None:
    near = nearest(lesson.text, list(lessons))
    hint = (f"did you mean {near}? " if near else "") + f"name one of the lessons{_known(lessons)}, or add the lesson to lessons.md"
    if not lessons:
        hint = f"lessons.md has no lessons yet: add the lesson there as `## {lesson.text} <the lesson in a sentence>`"
    ctx.report("unknown-lesson", f"`{lesson.text}` is not a lesson in lessons.md", lesson.at, hint)


def _lessons(ctx: Context, section: Section) -> tuple[dict[str, Heading], set[str]]:
    """The lessons by id, and the ids of lessons whose heading is not written the way sarflow reads it."""
    lessons: dict[str, Heading] = {}
    for heading in section.headings:
        if heading.level != 2:
            continue
        match = LESSON_HEADING.match(heading.title)
        if match and match.group(1) in lessons:
            ctx.report("duplicate-lesson", f"there are two lessons {match.group(1)}; the first is on line "
                       f"{lessons[match.group(1)].span.line}", heading.span, "number the lessons L1, L2, L3 and so on")
        elif match:
            lessons[match.group(1)] = heading
    meant: set[str] = set()
    misses = {miss.span.line: miss for miss in headings.near_misses(section, "L") if miss.meant not in lessons}
    for miss in misses.values():
        headings.report(ctx, miss, f"lesson {miss.meant}")
        meant.add(miss.meant)
    for heading in section.headings:
        if heading.level == 2 and not LESSON_HEADING.match(heading.title) and heading.span.line not in misses:
            ctx.report("lesson-heading", f"the heading `## {heading.title}` is not read as a lesson", heading.span,
                       "start each lesson's heading with L and its number, e.g. `## L1 Self-neglect needs an early response`")
    return lessons, meant


def _known(lessons: dict[str, Heading]) -> str:
    return f" ({listing(list(lessons))})" if lessons else ""
