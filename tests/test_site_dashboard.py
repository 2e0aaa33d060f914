"""The board's dashboard and a review's timescale, read from the built HTML and checked against the data.

Every expectation is worked out here from the loaded example, board.yml's meetings and
settings, and the dates in the files, independently of sarflow.status: the four
headline figures and where they lead, what changed since the last board meeting, what
the board's rules put before it, the twelve months of trends, a review's expected
completion (with and without an extension), and the dates of its stages. The bad
inputs of review.yml's and board.yml's new fields are reported by check at their line.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
from pathlib import Path

import pytest

from helpers import BuiltSite
from sarflow.cli import main
from sarflow.dates import today, uk, uk_long
from sarflow.load import load
from sarflow.model import Action, Imr, Repository
from test_site_figures import tables

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(built_site: BuiltSite) -> Path:
    """The example's site as each engine builds it (conftest's `built_site`: one build per engine)."""
    return built_site.folder


def everything(example: Repository) -> list[tuple[Imr, Action]]:
    return [(imr, a) for imr in example.imrs() for a in imr.actions]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(html: str, heading_id: str) -> str:
    """The HTML from the <h2> with this id to the next <h2>."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h2", start)
    return html[start:end if end > 0 else len(html)]


def test_the_four_figures_count_the_data_and_lead_to_their_lists(site: Path, example: Repository) -> None:
    on, done = today(), example.template.action_plan.completed
    html = (site / "index.html").read_text(encoding="utf-8")
    tiles = {label: (int(n), href) for href, n, label in re.findall(
        r'<li><a href="([^"]+)"><span class="sar-tile__figure">(\d+)</span> <span class="sar-tile__label">([^<]+)</span>',
        html)}
    completing = next(i for i, s in enumerate(example.template.stages) if s.completes)
    order = [s.id for s in example.template.stages]
    open_reviews = sum(order.index(r.stage) < completing for r in example.reviews)
    late = sum(
        1 for r in example.reviews for agency in r.agencies
        if (imr := r.imrs.get(agency.id)) is None or (imr.status not in ("submitted", "approved")
        and agency.imr_due < on) or (imr is not None and imr.submitted and imr.submitted > agency.imr_due)
    )
    overdue = sum(a.is_overdue(on, done) for _, a in everything(example))
    completed = sum(a.status == done and a.date_completed and a.date_completed.year == on.year
                    for _, a in everything(example))
    year = on.year
    expected = {
        "open review" if open_reviews == 1 else "open reviews": (open_reviews, "reviews/"),
        "late IMR" if late == 1 else "late IMRs": (late, "#late-imrs"),
        "overdue action" if overdue == 1 else "overdue actions": (overdue, "#overdue-actions"),
        f"action{'' if completed == 1 else 's'} completed in {year}": (completed, "#actions-completed-this-year"),
    }
    assert tiles == expected
    found = tables(site, "index.html")
    assert len(found["Overdue actions, most overdue first"]["rows"]) == overdue
    assert len(found["Late IMRs"]["rows"]) == late
    assert len(found[f"Actions completed in {year}"]["rows"]) == completed
    for _, href in expected.values():
        if href.startswith("#"):
            assert f'id="{href[1:]}"' in html


def test_since_the_last_board_meeting_lists_what_changed_after_it(site: Path, example: Repository) -> None:
    on, done = today(), example.template.action_plan.completed
    meeting = max(m for m in example.board.meetings if m < on)
    html = section((site / "index.html").read_text(encoding="utf-8"), "since-the-last-board-meeting")
    shown = text_of(html)
    assert f"Since the board met on {uk_long(meeting)}, up to {uk_long(on)}" in shown

    def after(day: dt.date | None) -> bool:
        return day is not None and meeting < day <= on

    stages = sum(after(d) for r in example.reviews for d in r.stage_dates.values())
    returned = sum(imr.status in ("submitted", "approved") and after(imr.submitted) for imr in example.imrs())
    completed = sum(a.status == done and after(a.date_completed) for _, a in everything(example))
    newly = sum(a.is_overdue(on, done) and after(a.target_date) for _, a in everything(example))
    updates = [(imr, a, u) for imr, a in everything(example) for u in a.updates if after(u.date)]
    for title, n in (("Reviews that moved to a new stage", stages), ("IMRs returned", returned),
                     ("Actions completed", completed), ("Actions newly overdue", newly),
                     ("New progress updates", len(updates))):
        assert f"{title}: {n}" in shown
    assert updates, "the example should have an update since the last meeting"
    for _, _action, update in updates:
        assert f"{uk_long(update.date)}: {' '.join(update.text.split())[:30]}" in shown


def test_a_board_without_meetings_is_told_how_to_list_them(tmp_path: Path) -> None:
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    board = tmp_path / "reviews" / "board.yml"
    board.write_text(re.sub(r"^meetings:.*\n", "", board.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    assert load(tmp_path).board.meetings == ()
    assert main(["--root", str(tmp_path), "build", "--only", "site", "--out", str(tmp_path / "out")]) == 0
    shown = text_of((tmp_path / "out" / "site" / "index.html").read_text(encoding="utf-8"))
    assert "No board meeting before today is listed" in shown and "(meetings)" in shown


def test_the_boards_rules_put_long_overdue_actions_and_late_reviews_before_it(site: Path, example: Repository) -> None:
    on, done, board = today(), example.template.action_plan.completed, example.board
    rows = tables(site, "index.html")["For the board's decision"]["rows"]
    actions = [r for r in rows if r["Action"]]
    long_overdue = [a for _, a in everything(example)
                    if a.is_overdue(on, done) and (on - a.target_date).days > board.escalate_overdue_days]
    assert long_overdue, "the example should have an action overdue past the board's limit"
    for action in long_overdue:
        row = next(r for r in actions if r["Action"].startswith(f"{action.no}: "))
        assert f"Overdue by {(on - action.target_date).days} days" in row["Why"]
    completing = next(i for i, s in enumerate(example.template.stages) if s.completes)
    order = [s.id for s in example.template.stages]
    for review in example.reviews:
        if review.completed or order.index(review.stage) >= completing:
            continue  # a completed review is past nothing
        months = board.expected_months
        due = review.extension.to if review.extension else dt.date(
            review.decision_date.year + (review.decision_date.month + months - 1) // 12,
            (review.decision_date.month + months - 1) % 12 + 1, review.decision_date.day)
        late = (on - due).days
        listed = [r for r in rows if r["Agency"] == "The whole review" and r["Review"].startswith(review.reference)]
        assert bool(listed) == (late > 0)
        if late > 0:
            assert listed[0]["Why"].startswith(f"{late} days past its expected completion on {uk_long(due)}")


def test_twelve_months_of_trends_end_with_the_figures_of_today(site: Path, example: Repository) -> None:
    on, done = today(), example.template.action_plan.completed
    title = next(c for c in tables(site, "index.html") if c.startswith("Actions at the end of each month"))
    rows = tables(site, "index.html")[title]["rows"]
    assert len(rows) == 12
    months = [dt.datetime.strptime(r["Month"], "%B %Y").date() for r in rows]
    assert months[-1] == on.replace(day=1)
    assert all((b.year - a.year) * 12 + b.month - a.month == 1 for a, b in itertools.pairwise(months))
    last = rows[-1]
    actions = [a for _, a in everything(example)]
    assert int(last["Open"]) == sum(a.status != done for a in actions)
    assert int(last["Overdue"]) == sum(a.is_overdue(on, done) for a in actions)
    assert int(last["Completed"]) == sum(a.status == done for a in actions)
    for row in rows:  # an action completed by a month's end was completed in or before it
        end = dt.datetime.strptime(row["Month"], "%B %Y").date()
        assert int(row["Completed"]) <= sum(a.status == done and (a.date_completed is None or
                                                                a.date_completed.replace(day=1) <= end)
                                            for a in actions)


def facts(site: Path, page: str) -> dict[str, str]:
    html = (site / page).read_text(encoding="utf-8")
    block = re.search(r'<dl class="sar-facts">(.*?)</dl>', html, re.S).group(1)
    return {t: text_of(d) for t, d in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S)}


def test_a_review_shows_its_decision_expected_completion_and_dated_stages(site: Path, example: Repository) -> None:
    on = today()
    for review in example.reviews:
        shown = facts(site, f"reviews/{review.id}/index.html")
        decision = review.decision_date
        assert shown["Decision to hold the review"] == uk_long(decision)
        months = example.board.expected_months
        month = decision.month - 1 + months
        expected = dt.date(decision.year + month // 12, month % 12 + 1, decision.day)
        assert shown["Expected completion"].startswith(f"{uk_long(expected)} ({months} months after the decision)")
        late = (on - expected).days
        completing = next(i for i, s in enumerate(example.template.stages) if s.completes)
        done = review.completed is not None or [s.id for s in example.template.stages].index(review.stage) >= completing
        assert (f"{late} days past it" in shown["Expected completion"]) == (late > 0 and not done)
        assert ("Completed" in shown["Expected completion"]) == done
        for stage, day in review.stage_dates.items():
            label = stage.replace("imrs", "IMRs").replace("-", " ")
            assert f"{label[:1].upper() + label[1:]}: {uk_long(day)}" in shown["Stages reached"]


def test_an_extension_moves_the_expected_completion_and_says_why(tmp_path: Path) -> None:
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    review = load(tmp_path).reviews[0]
    path = review.folder / "review.yml"
    later = today() + dt.timedelta(days=40)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "decision_date:", f"extension:\n  to: {later.isoformat()}\n  reason: Waiting for the criminal trial to end.\n"
                          "decision_date:"), encoding="utf-8")
    assert main(["--root", str(tmp_path), "build", "--only", "site", "--out", str(tmp_path / "out")]) == 0
    shown = facts(tmp_path / "out" / "site", f"reviews/{review.id}/index.html")
    assert f"extended to {uk_long(later)}: Waiting for the criminal trial to end." in shown["Expected completion"]
    assert "past it" not in shown["Expected completion"]
    rows = tables(tmp_path / "out" / "site", "index.html")["For the board's decision"]["rows"]
    assert not [r for r in rows if r["Agency"] == "The whole review"]
    reviews = tables(tmp_path / "out" / "site", "reviews/index.html")["Reviews"]["rows"]
    assert reviews[0]["Expected completion"] == uk(later)


BAD_REVIEW_FIELDS = {
    "a date the UK way": ("decision_date: 2025-12-15", "decision_date: 15/12/2025", "decision_date"),
    "an extension without its reason": ("decision_date:", "extension: {to: 2026-09-30}\ndecision_date:", "extension"),
    "a stage the template lacks": ("  scoping: 2025-12-15", "  scopeing: 2025-12-15", "scopeing"),
}


@pytest.mark.parametrize("case", sorted(BAD_REVIEW_FIELDS))
def test_a_mistake_in_the_timescale_is_an_error_at_its_line(tmp_repo: Path, capsys, case: str) -> None:
    old, new, key = BAD_REVIEW_FIELDS[case]
    review = load(tmp_repo).reviews[0]
    path = review.folder / "review.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = next(n for n, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if key in ln)
    assert main(["--root", str(tmp_repo), "check"]) == 1
    out = capsys.readouterr().out
    assert re.search(rf"reviews/{review.id}/review.yml:{line}:\d+: error\[", out), out


def test_a_meeting_date_the_uk_way_is_an_error_in_board_yml(tmp_repo: Path, capsys) -> None:
    board = tmp_repo / "reviews" / "board.yml"
    board.write_text(board.read_text(encoding="utf-8").replace("2026-03-12", "12/03/2026"), encoding="utf-8")
    assert main(["--root", str(tmp_repo), "check"]) == 1
    out = capsys.readouterr().out
    line = next(n for n, ln in enumerate(board.read_text(encoding="utf-8").splitlines(), start=1) if "12/03/2026" in ln)
    assert re.search(rf"reviews/board.yml:{line}:\d+: error\[", out), out
