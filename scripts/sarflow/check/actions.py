"""Rule 3: the action plan's statuses, dates and numbers are ones the board can rely on.

The statuses are the template's (the Action Plan workbook counts them by exact
text), one of them meaning the action is done. A completed action needs the date it
was completed, and only a completed action has one. Once the IMR is submitted, every
action has each field the template's table marks `required` (the lesson has a rule of
its own, which also checks that the lesson exists).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from sarflow.check.context import Context
from sarflow.check.lessons import LESSON
from sarflow.dates import uk, uk_long
from sarflow.model import Action
from sarflow.template import ActionField
from sarflow.words import exactly, listing


def check(ctx: Context) -> None:
    if not ctx.readable("actions.yml"):
        return
    data = ctx.the_imr.documents["actions.yml"].data
    check_plan(ctx, ctx.the_imr.actions, data.get("actions") if isinstance(data, dict) else None,
               "every action of a submitted IMR" if ctx.the_imr.sent else None)


def check_plan(ctx: Context, actions: list[Action], written: object, due: str | None) -> None:
    """The rules of one list of actions, as loaded (`actions`) and as written (`written`, the YAML list):
    an agency's plan, or the board's own actions in recommendations.yml, which have the same fields.
    `due` names the actions that need every field the template requires (None while they need not yet)."""
    statuses = list(ctx.repo.template.action_plan.statuses)
    completed = ctx.repo.template.action_plan.completed
    referral = ctx.review.referral.date if ctx.review.referral else None
    numbers: dict[int, int] = {}
    required = [f for f in ctx.repo.template.action_plan.written if f.required and f.key != LESSON]
    items = written if isinstance(written, list) else []
    for index, action in enumerate(actions):
        item = items[index] if index < len(items) and isinstance(items[index], dict) else {}
        name = f"action {action.no}" if action.no is not None else "this action"
        if due:
            _required(ctx, item, action, name, required, due)
        if action.no is not None:
            if action.no in numbers:
                ctx.report("duplicate-action-number", f"action number {action.no} is used twice; the first is on line {numbers[action.no]}",
                           action.span("no"), "give each action its own number: 1, 2, 3 and so on")
            else:
                numbers[action.no] = action.span("no").line
        if action.status is not None and action.status not in statuses:
            ctx.report("action-status", f"`{action.status}` is not one of the action statuses: {listing(statuses)}",
                       action.span("status"), exactly(action.status, statuses))
        if action.status == completed and action.date_completed is None and item.get("date_completed") is None:
            ctx.report("completed-without-date", f"{name} is {completed} but has no date_completed", action.span("status"),
                       "add `date_completed:` with the date it was completed, e.g. 2026-06-19")
        if action.date_completed is not None:
            if action.date_completed > ctx.today:
                ctx.report("completed-in-future", f"date_completed {uk(action.date_completed)} is after today ({uk(ctx.today)})",
                           action.span("date_completed"), "check the date: an action can only be completed on or before today")
            if action.status != completed and (action.status in statuses or action.status is None):
                now = f"its status is {action.status}" if action.status else "it has no status"
                ctx.report("date-completed-not-completed", f"{name} has a date_completed but {now}",
                           action.span("date_completed"),
                           f"set `status: {completed}` if it is done, or remove date_completed until it is")
        if referral and action.target_date and action.target_date < referral:
            ctx.report("target-before-referral",
                       f"the target date {uk(action.target_date)} is before the review's referral on {uk_long(referral)}",
                       action.span("target_date"), "check the year: a target date comes after the review began")


def _required(ctx: Context, item: dict, action: Action, name: str, required: list[ActionField], due: str) -> None:
    """The required fields the action lacks or leaves empty; a field written wrong is the schema's to explain."""
    missing = [f for f in required if item.get(f.key) is None]
    if missing:
        titles = listing([f.title for f in missing], "and")
        keys = " and ".join(f"`{f.key}:`" for f in missing)
        ctx.report("action-incomplete", f"{name} has no {titles}, which {due} needs", action.at,
                   f"add {keys} to the action in {PurePosixPath(action.at.path).name}")
