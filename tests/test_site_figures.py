"""The status site's figures, read from the built HTML and checked against the loaded example.

The site is built once (`sarflow build --only site`) into a temporary folder. Every
expectation is computed here from the model, the template and git, independently of
sarflow.status.figures: days since referral, IMRs returned and late, actions by status
and RAG, overdue and stale actions, IMR progress, last-updated dates.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections import Counter
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from helpers import BuiltSite
from sarflow.dates import today, uk, uk_long
from sarflow.model import Action, Board, Imr, Repository, Review
from sarflow.rating import key

ROOT = Path(__file__).resolve().parents[1]


class Tables(HTMLParser):
    """Every <table> of a page: its caption, headings and rows of cell text (whitespace collapsed)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append({"caption": "", "headers": [], "rows": []})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif self._cell is not None:
            self._cell.append(" ")  # <br>, <li>, a badge...: words on either side stay apart

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            table = self.tables[-1]
            if not table["headers"]:
                table["headers"] = self._row
            else:
                table["rows"].append(dict(zip(table["headers"], self._row, strict=True)))
            self._row = None

    def handle_data(self, data: str) -> None:
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


def tables(site: Path, page: str) -> dict[str, dict]:
    parser = Tables()
    parser.feed((site / page).read_text(encoding="utf-8"))
    return {t["caption"]: t for t in parser.tables}


@pytest.fixture(scope="module")
def site(built_site: BuiltSite) -> Path:
    """The example's site as each engine builds it (conftest's `built_site`: one build per engine)."""
    return built_site.folder


def name_of(review: Review, agency_id: str) -> str:
    agency = review.agency(agency_id)
    return agency.name if agency and agency.name else agency_id


def actions_of(review: Review) -> list[tuple[Imr, Action]]:
    return [(imr, a) for imr in review.imrs.values() for a in imr.actions]


def days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def quiet(action: Action, imr: Imr | None, on: dt.date) -> int | None:
    """Days since the action's newest dated update, or since its IMR was submitted before the first
    (a board action has no IMR)."""
    dated = [u.date for u in action.updates if u.date]
    since = max(dated) if dated else imr.submitted if imr else None
    return (on - since).days if since else None


def stale(action: Action, imr: Imr | None, done: str, on: dt.date, board: Board) -> bool:
    days = quiet(action, imr, on)
    overdue = action.status != done and action.target_date is not None and action.target_date < on
    return action.status != done and ((days is not None and days > board.stale_update_days)
                                      or (overdue and not action.updates))


def rag(action: Action, imr: Imr | None, done: str, on: dt.date, board: Board) -> str:
    """As a board reads it: Red overdue; Amber due within amber_days or gone quiet; Green otherwise."""
    if action.status == done:
        return "Green"
    if action.target_date is not None and action.target_date < on:
        return "Red"
    soon = action.target_date is not None and (action.target_date - on).days <= board.amber_days
    return "Amber" if soon or stale(action, imr, done, on, board) else "Green"


def git_date(*args: str) -> dt.date | None:
    done = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%cs", *args], capture_output=True, text=True)
    return dt.date.fromisoformat(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def test_home_shows_each_review_with_its_figures(site: Path, example: Repository) -> None:
    on = today()
    rows = tables(site, "index.html")["Reviews"]["rows"]
    assert len(rows) == len(example.reviews)
    done = example.template.action_plan.statuses[-1]
    for review, row in zip(example.reviews, rows, strict=True):
        assert row["Review"].startswith(review.reference)
        assert row["Days since referral"] == str((on - review.referral.date).days)
        returned = sum(imr.status in ("submitted", "approved") for imr in review.imrs.values())
        assert row["IMRs returned"] == f"{returned} of {len(review.agencies)}"
        period = f"{uk(review.period.start)} to {uk(review.period.end)}"
        assert row["Period under review"] == period
        statuses = Counter(a.status for _, a in actions_of(review))
        for status, n in statuses.items():
            assert f"{n} {status}" in row["Actions by status"]
        rags = Counter(rag(a, imr, done, on, example.board) for imr, a in actions_of(review))
        for label in ("Red", "Amber", "Green"):
            assert (f"{label} {rags[label]}" in row["RAG"]) == (rags[label] > 0)


def test_late_imrs_are_flagged_with_days_late(site: Path, example: Repository) -> None:
    on = today()
    rows = {r["Review"]: r for r in tables(site, "index.html")["Reviews"]["rows"]}
    checked = 0
    for review in example.reviews:
        row = next(v for k, v in rows.items() if k.startswith(review.reference))
        for agency in review.agencies:
            imr = review.imrs.get(agency.id)
            returned = imr is not None and imr.status in ("submitted", "approved")
            end = imr.submitted if returned else on
            late = (end - agency.imr_due).days if end and end > agency.imr_due else 0
            flagged = f"{agency.name}: {days(late)} late"
            assert (flagged in row["Late IMRs"]) == (late > 0), (agency.id, row["Late IMRs"])
            checked += late > 0
    assert checked, "the example should have a late IMR to show"


def test_overdue_actions_come_first_on_the_home_page(site: Path, example: Repository) -> None:
    on = today()
    expected = sorted(
        ((on - a.target_date).days, name_of(r, imr.agency_id), a.no)
        for r in example.reviews for imr, a in actions_of(r) if a.is_overdue(on, example.template.action_plan.completed)
    )
    assert expected, "the example should have an overdue action"
    rows = tables(site, "index.html")["Overdue actions, most overdue first"]["rows"]
    shown = [(int(r["Days overdue"].split()[0]), r["Agency"], int(r["No"])) for r in rows]
    assert shown == sorted(expected, key=lambda e: -e[0])
    html = (site / "index.html").read_text(encoding="utf-8")
    assert html.index('id="overdue-actions"') < html.index('id="reviews"')


def test_the_review_page_shows_terms_of_reference_imrs_and_the_action_plan(site: Path, example: Repository) -> None:
    template = example.template
    for review in example.reviews:
        page = f"reviews/{review.id}/index.html"
        html = (site / page).read_text(encoding="utf-8")
        text = " ".join(html.split())
        for question in review.terms_of_reference.questions:
            assert f"<dt>{question.id}</dt>" in html
            assert html_escape(" ".join(question.text.split())) in text
        found = tables(site, page)
        imrs = {r["Agency"]: r for r in found["IMRs"]["rows"]}
        assert set(imrs) == {a.name for a in review.agencies}
        for agency_id, imr in review.imrs.items():
            row = imrs[name_of(review, agency_id)]
            written = sum(s in imr.sections and imr.sections[s].written for s in template.section_files)
            analysis = imr.sections.get("analysis")
            answered = sum(
                bool(analysis and (h := analysis.heading(q.id)) and h.body.strip())
                for q in review.terms_of_reference.questions
            )
            criteria = sum(
                c.id in imr.quality_assurance.answers and imr.quality_assurance.answers[c.id].answer is not None
                for c in template.criteria
            )
            signed = all(p and p.name and p.job_title for p in (imr.author, imr.approved_by))
            assert row["Status"] == imr.status.capitalize()
            assert f"{written} of {len(template.section_files)} sections written" in row["Progress"]
            assert f"{answered} of {len(review.terms_of_reference.questions)} terms-of-reference" in row["Progress"]
            assert f"{criteria} of {len(template.criteria)} quality-assurance criteria" in row["Progress"]
            assert f"signed off: {'yes' if signed else 'no'}" in row["Progress"]
            dates = [imr.submitted, *(p.date for p in (imr.author, imr.approved_by) if p),
                     *(d for a in imr.actions for d in (a.date_completed, *(u.date for u in a.updates)))]
            data = max((d for d in dates if d), default=None)
            # the day the change reached the board's main line (a merge made after midnight counts then)
            recorded = git_date("--first-parent", "-m", "--", f"reviews/{review.id}/{agency_id}")
            assert row["Last update"] == (uk(data) if data else f"{uk(recorded)} (date recorded)" if recorded
                                          else "None yet")
        plan = found["The review's action plan, all agencies"]["rows"]
        done, on = template.action_plan.statuses[-1], today()
        assert Counter(r["Status"] for r in plan) == Counter(
            f"{a.status} {rag(a, imr, done, on, example.board)}" for imr, a in actions_of(review)
        )


def test_progress_bar_has_a_text_equivalent(site: Path, example: Repository) -> None:
    review = example.reviews[0]
    html = (site / f"reviews/{review.id}/index.html").read_text(encoding="utf-8")
    bars = re.findall(r'<progress max="100" value="(\d+)" aria-label="([^"]+)">(\d+)%</progress>', html)
    assert len(bars) == len(review.imrs)
    for value, label, text in bars:
        assert value == text and label.startswith("Progress of the ")


def test_actions_page_lists_every_action_with_its_latest_update_and_stale_flag(site: Path, example: Repository) -> None:
    on = today()
    stale_days = example.board.stale_update_days
    done = example.template.action_plan.statuses[-1]
    rows = tables(site, "actions/index.html")["All actions"]["rows"]
    flagged = 0
    everything = [(r, imr, a) for r in example.reviews for imr, a in actions_of(r)]
    assert len(rows) == len(everything)
    by_key = {(r["Review"], r["Agency"], r["No"]): r for r in rows}
    for review, imr, action in everything:
        row = by_key[(review.reference or review.id, name_of(review, imr.agency_id), str(action.no))]
        latest = max((u for u in action.updates if u.date), key=lambda u: u.date, default=None)
        if latest:
            assert row["Latest update"].startswith(uk(latest.date))
            assert " ".join(latest.text.split())[:40] in row["Latest update"]
        else:
            assert row["Latest update"].startswith("No update yet")
        is_stale = stale(action, imr, done, on, example.board)
        flag = f"No update for {quiet(action, imr, on)} days" if action.updates else "Overdue with no update"
        assert (flag in row["Latest update"]) == is_stale
        flagged += is_stale
        late = action.is_overdue(on, done)
        assert row["Days overdue"] == (days((on - action.target_date).days) if late else "Not overdue")
        assert row["Status"] == f"{action.status} {rag(action, imr, done, on, example.board)}"
    shown = [r["Days overdue"] for r in rows]
    overdue_days = [int(d.split()[0]) for d in shown if d != "Not overdue"]
    assert [d != "Not overdue" for d in shown] == sorted((d != "Not overdue" for d in shown), reverse=True)
    assert overdue_days == sorted(overdue_days, reverse=True)
    lede = (site / "index.html").read_text(encoding="utf-8")
    assert f"{flagged} action{'s' if flagged != 1 else ''} without an update for more than {stale_days} days" in lede


def test_agency_pages_gather_imrs_and_actions_across_reviews(site: Path, example: Repository) -> None:
    agencies = {a.id: a.name for r in example.reviews for a in r.agencies}
    for agency_id, name in agencies.items():
        found = tables(site, f"agencies/{agency_id}/index.html")
        requested = [r for r in example.reviews if r.agency(agency_id)]
        assert len(found["IMRs"]["rows"]) == len(requested)
        actions = [a for r in requested if agency_id in r.imrs for a in r.imrs[agency_id].actions]
        assert len(found.get(f"Actions of {name}", {"rows": []})["rows"]) == len(actions)
    index = tables(site, "agencies/index.html")["Agencies"]["rows"]
    assert sorted(r["Agency"] for r in index) == sorted(agencies.values())


def test_charts_are_images_with_the_figures_in_words_and_in_a_table(site: Path, example: Repository) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    charts = re.findall(r'<div class="sar-chart" role="img" aria-labelledby="([^" ]+) ([^"]+)">(.*?)</div><figcaption>',
                        html, re.S)
    assert len(charts) == 3  # the trends, then actions by status per review and per agency
    for title_id, desc_id, body in charts:
        assert f'id="{title_id}"' in body and f'id="{desc_id}"' in body
    found = tables(site, "index.html")
    per_review = found["Actions by status, per review (the figures of the chart)"]["rows"]
    for review, row in zip(example.reviews, per_review, strict=True):
        counts = Counter(a.status for _, a in actions_of(review))
        assert row["Total"] == str(sum(counts.values()))
        for status, n in counts.items():
            assert row[status] == str(n)
            assert f"{n} {status}" in charts[1][2]
    assert "<script" not in charts[1][2] and "cdn" not in html.lower()


def test_navigation_holds_index_pages_only(site: Path, example: Repository) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    tabs = re.findall(r'class="md-tabs__link">\s*(?:<[^>]+>\s*)*([^<]+?)\s*<', html)
    nav_items = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    assert tabs == [next(iter(item)) for item in nav_items]  # one tab for each top-level entry of mkdocs.yml's nav
    nav = html[html.index('data-md-component="tabs"'):html.index('data-md-component="content"')]
    for review in example.reviews:
        assert f"reviews/{review.id}/" not in nav
        assert (site / "reviews" / review.id / "index.html").is_file()
    for agency in example.reviews[0].agencies:
        assert f"agencies/{agency.id}/" not in nav
    reviews_index = (site / "reviews/index.html").read_text(encoding="utf-8")
    assert all(f'href="{r.id}/"' in reviews_index for r in example.reviews)


def test_hand_written_pages_are_staged_as_they_are(site: Path) -> None:
    staged = site.parent / "site-src"
    for page in (ROOT / "site").rglob("*.md"):
        inside = page.relative_to(ROOT / "site")
        assert (staged / inside).read_bytes() == page.read_bytes()
    assert not (staged / "overrides").exists()
    assert (site / "help" / "index.html").is_file()


def facts(site: Path, page: str) -> dict[str, str]:
    """The facts at the top of a review or agency page: term -> text (tags dropped, whitespace collapsed)."""
    html = (site / page).read_text(encoding="utf-8")
    block = re.search(r'<dl class="sar-facts">(.*?)</dl>', html, re.S).group(1)
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S)
    return {term: " ".join(re.sub(r"<[^>]+>", " ", text).split()) for term, text in pairs}


def test_the_review_page_states_its_referral_period_returns_and_actions(site: Path, example: Repository) -> None:
    on, done = today(), example.template.action_plan.statuses[-1]
    for review in example.reviews:
        shown = facts(site, f"reviews/{review.id}/index.html")
        ago = (on - review.referral.date).days
        assert shown["Referral received"] == f"{uk_long(review.referral.date)} ({days(ago)} ago)"
        assert shown["Period under review"] == f"{uk_long(review.period.start)} to {uk_long(review.period.end)}"
        returned = sum(imr.status in ("submitted", "approved") for imr in review.imrs.values())
        late = 0
        for agency in review.agencies:
            imr = review.imrs.get(agency.id)
            end = imr.submitted if imr is not None and imr.status in ("submitted", "approved") else on
            late += bool(end and end > agency.imr_due)
        expected = f"{returned} of {len(review.agencies)} requested"
        assert shown["IMRs returned"] == expected + (f" ({late} late IMR{'s' if late != 1 else ''})" if late else "")
        rags = Counter(rag(a, imr, done, on, example.board) for imr, a in actions_of(review))
        for label in ("Red", "Amber", "Green"):
            assert (f"{label} {rags[label]}" in shown["Actions"]) == (rags[label] > 0)


def test_each_agency_is_summed_up_across_reviews_on_its_page_and_the_index(site: Path, example: Repository) -> None:
    on = today()
    index = {r["Agency"]: r for r in tables(site, "agencies/index.html")["Agencies"]["rows"]}
    for agency_id in {a.id for r in example.reviews for a in r.agencies}:
        requested = [r for r in example.reviews if r.agency(agency_id)]
        imrs = [r.imrs[agency_id] for r in requested if agency_id in r.imrs]
        returned = sum(imr.status in ("submitted", "approved") for imr in imrs)
        actions = [a for imr in imrs for a in imr.actions]
        overdue = sum(a.is_overdue(on, example.template.action_plan.completed) for a in actions)
        late = 0
        for review in requested:
            imr, due = review.imrs.get(agency_id), review.agency(agency_id).imr_due
            end = imr.submitted if imr is not None and imr.status in ("submitted", "approved") else on
            late += bool(end and end > due)
        shown = facts(site, f"agencies/{agency_id}/index.html")
        assert shown["IMRs returned"] == f"{returned} of {len(requested)} requested"
        assert shown["Overdue actions"] == str(overdue)
        for status, n in Counter(a.status for a in actions).items():
            assert f"{n} {status}" in shown["Actions"]
        row = index[name_of(requested[0], agency_id)]
        assert row["Reviews"] == str(len(requested)) and row["IMRs returned"] == f"{returned} of {len(requested)}"
        assert row["Late IMRs"] == str(late) and row["Overdue actions"] == str(overdue)


def test_the_boards_help_is_apart_from_the_authors_check_reference(site: Path) -> None:
    help_page = (site / "help" / "index.html").read_text(encoding="utf-8")
    content = help_page[help_page.index('data-md-component="content"'):]
    assert "board.yml" not in content and "stale_update_days" not in content and "error[" not in content
    assert 'href="../reference/checks/"' in content  # the authors' page is one link away, not the board's help
    checks = (site / "reference" / "checks" / "index.html").read_text(encoding="utf-8")
    assert "error[" in checks


def test_every_page_that_shows_a_rating_shows_its_key(site: Path, example: Repository) -> None:
    """Wherever a RAG rating is shown (a Red, Amber or Green tag), the key is on the page too, in the
    board's words and with its settings (sarflow.rating: the same key as the paper's and the workbooks')."""
    meanings = [html_escape(f"{meaning}", quote=False) for _, meaning in key(example.board)]
    assert str(example.board.amber_days) in meanings[1] and str(example.board.stale_update_days) in meanings[1]
    rated = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if re.search(r'class="sar-badge sar-badge--(red|amber|green)"', text):
            rated.append(page.relative_to(site).as_posix())
            assert 'class="sar-key"' in text and all(m in text for m in meanings), page
    assert {"index.html", "actions/index.html", "reviews/index.html"} <= set(rated), rated
