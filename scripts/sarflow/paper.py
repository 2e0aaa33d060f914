"""The board paper: a Word document for one board meeting, from the status tier only.

It says what the status site's dashboard says, from the same figures (sarflow.status),
so that the paper and the site never disagree and neither is made from the other: the
headline figures, what the board's rules put before it for a decision, what changed
since its last meeting, each open review with its timescale, and the overdue actions
with their latest updates. Every text in it comes redacted from those figures, as on
the site. It is a board output of the shared Word layer (sarflow.word.document): the house
reference document and marking of the IMR reports, a contents page, real headings and header
rows that repeat on every page; and it is written atomically: a half-written paper never exists.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sarflow.dates import uk, uk_long
from sarflow.history import read_history
from sarflow.model import Repository
from sarflow.outputs import atomic_write
from sarflow.rating import key
from sarflow.status import dashboard
from sarflow.status.figures import ActionRow, Figures, ReviewFigures, figures
from sarflow.word.document import board_docx
from sarflow.word.nodes import Node, bullet_list, header, para, plain, strong, table, text
from sarflow.word.reference import cached_reference

FOLDER = "board"  # under build/


def paper_name(fig: Figures, meeting: dt.date) -> str:
    short = fig.board.short_name or "Board"
    return f"{short} board paper {uk_long(meeting)}.docx"


def meeting_for(fig: Figures, chosen: dt.date | None) -> dt.date:
    """The meeting the paper is for: the one chosen, else the board's next meeting from today, else today."""
    if chosen:
        return chosen
    return min((m for m in fig.board.meetings if m >= fig.today), default=fig.today)


def write(repo: Repository, out: Path, on: dt.date, meeting: dt.date | None = None, mark: str = "") -> Path:
    """Write the paper for `meeting` (see `meeting_for`) with the figures of `on`, `mark` beside the
    marking in its page headers; returns its path."""
    fig = figures(repo, on, read_history(repo.root))
    day = meeting_for(fig, meeting)
    name = paper_name(fig, day)
    reference = cached_reference(repo.template, out / ".cache" / "docx")
    title = f"{fig.board_name}: Safeguarding Adults Reviews"
    docx = board_docx(name.removesuffix(".docx"), title, opening(fig, day), body(fig, day), reference, on, mark)
    target = out / FOLDER / name
    atomic_write(target, docx)
    return target


def opening(fig: Figures, meeting: dt.date) -> list[Node]:
    return [para(text(f"Paper for the board meeting of {uk_long(meeting)}, with the figures of {uk_long(fig.today)}. "
                      "It holds status information only: stages, deadlines, progress and the action plans."))]


def body(fig: Figures, meeting: dt.date) -> list[Node]:
    """The paper's parts, in the order a board takes them."""
    return [
        header(1, "The figures"),
        *figures_table(fig),
        header(1, "For the board's decision"),
        *decisions(fig),
        header(1, "Since the last board meeting"),
        *since(fig, meeting),
        header(1, "Open reviews"),
        *open_reviews(fig),
        header(1, "Overdue actions"),
        *overdue(fig),
        header(2, "What the RAG ratings mean"),
        bullet_list([[plain(strong(name), text(f": {meaning}."))] for name, meaning in key(fig.board)]),
    ]


def figures_table(fig: Figures) -> list[Node]:
    rows = [
        ["Open reviews", str(len(dashboard.open_reviews(fig)))],
        ["Late IMRs", str(len(dashboard.late_imrs(fig)))],
        ["Overdue actions", str(len(dashboard.overdue_actions(fig)))],
        [f"Actions completed in {fig.today.year}", str(len(dashboard.completed_this_year(fig)))],
        [f"Actions without an update for more than {fig.stale_days} days", str(sum(a.stale for a in fig.actions))],
    ]
    return [table(["Figure", "Number"], rows, [4, 1], centred=[1])]


def _review(r: ReviewFigures) -> str:
    review = r.review
    subject = review.subject.name if review.subject and review.subject.name else None
    return f"{review.reference or review.id}: {subject}" if subject else (review.reference or review.id)


def _action(a: ActionRow) -> str:
    return f"{a.agency_name} action {a.action.no}"


def decisions(fig: Figures) -> list[Node]:
    found = dashboard.for_decision(fig)
    if not found:
        return [para(text("Nothing meets the board's rules for a decision."))]
    rows = [[_review(d.review), _action(d.action) if d.action else "The whole review",
             d.why[:1].upper() + d.why[1:]] for d in found]
    return [table(["Review", "What", "Why"], rows, [2, 2, 4])]


def since(fig: Figures, meeting: dt.date) -> list[Node]:
    changed = dashboard.since_last_meeting(fig, before=meeting)
    if changed is None:
        return [para(text("The board's settings list no earlier meeting, so there is nothing to compare with."))]
    parts = [
        ("Reviews that moved to a new stage",
         [f"{_review(r)} reached {stage.label} on {uk_long(day)}" for r, stage, day in changed.stage_changes]),
        ("IMRs returned", [f"{i.agency_name} ({i.review.reference or i.review.id}), submitted on "
                           f"{uk_long(i.imr.submitted if i.imr else None)}" for i in changed.imrs_returned]),
        ("Actions completed", [f"{_action(a)} ({a.review.reference or a.review.id}), completed on "
                               f"{uk_long(a.completed_on)}" for a in changed.completed]),
        ("Actions newly overdue", [f"{_action(a)} ({a.review.reference or a.review.id}), due on "
                                   f"{uk_long(a.action.target_date)}" for a in changed.newly_overdue]),
        ("New progress updates", [f"{_action(a)} ({a.review.reference or a.review.id}), {uk_long(u.date)}: {u.text}"
                                  for a, u in changed.updates]),
    ]
    out: list[Node] = [para(text(f"Since the board met on {uk_long(changed.meeting)}:"))]
    for title, items in parts:
        out.append(para(strong(f"{title}: {len(items)}")))
        if items:
            out.append(bullet_list([[plain(text(item))] for item in items]))
    return out


def open_reviews(fig: Figures) -> list[Node]:
    found = dashboard.open_reviews(fig)
    if not found:
        return [para(text("No review is open."))]
    out: list[Node] = []
    for r in found:
        scale = r.timescale
        expected = f"{uk_long(scale.due)}" if scale.due else "not known until the decision is recorded"
        if scale.extended_to:
            expected += f" (extended: {scale.reason or 'no reason given'})"
        if scale.days_past:
            expected += f", {scale.days_past} days past it"
        stage_day = next((day for stage, day in reversed(r.stage_changes) if stage.id == r.stage.id), None)
        rags = r.by_rag
        rows = [
            ["Stage", r.stage.label + (f", since {uk_long(stage_day)}" if stage_day else "")],
            ["Decision to hold the review", uk_long(scale.decision) if scale.decision else "not recorded"],
            ["Expected completion", expected],
            ["IMRs returned", f"{r.returned} of {len(r.imrs)}" + (f" ({len(r.late)} late)" if r.late else "")],
            ["Actions", ", ".join(f"{rags[name]} {name}" for name in ("Red", "Amber", "Green") if rags[name])
             or "none yet"],
        ]
        out += [header(2, _review(r)), table(None, rows, [2, 5])]
    return out


def overdue(fig: Figures) -> list[Node]:
    rows = []
    for a in dashboard.overdue_actions(fig):
        latest = a.latest
        update = f"{uk(latest.date)}: {latest.text}" if latest and latest.text else "No update yet"
        rows.append([a.review.reference or a.review.id, a.agency_name, str(a.action.no or ""),
                     a.action.recommendation or "", uk(a.action.target_date), a.status,
                     f"{a.days_overdue} day{'' if a.days_overdue == 1 else 's'}", update])
    if not rows:
        return [para(text("No action is past its target date."))]
    head = ["Review", "Agency", "No", "Recommendation", "Target date", "Status", "Days overdue", "Latest update"]
    return [table(head, rows, [1.2, 2, 0.6, 4, 1.5, 1.4, 1.3, 4])]
