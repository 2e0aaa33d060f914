"""The Recommendations and Learning pages, built for real by MkDocs, against the data they are made from.

Every figure is worked out here from the loaded example (the responses, the linked agencies'
actions and the board's own, their statuses and ratings): none is typed in. The "recurring"
flag is shown on a copy of the example in which an earlier review's actions are all completed
and a later review makes a recommendation of the same theme.
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from helpers import edit_yaml
from sarflow.cli import main
from sarflow.dates import today, uk
from sarflow.load import load
from sarflow.model import Action, Recommendation, Repository, Review
from test_site_confidentiality import leaks, restricted
from test_site_figures import rag, tables

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("outcomes")
    assert main(["--root", str(ROOT), "build", "--only", "site", "--out", str(out)]) == 0
    return out / "site"


def anchors(site: Path, page: str) -> list[tuple[str, str, Path]]:
    """Each link of a built page inside its article: its text, its address, and the file the address serves
    (a folder's index.html), however MkDocs wrote the address."""
    html = (site / page).read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    found = []
    for href, inner in re.findall(r'<a\s[^>]*?href="([^"#]*)"[^>]*>(.*?)</a>', article, re.S):
        if not href or "://" in href or href.startswith(("mailto:", "/")):
            continue
        target = ((site / page).parent / unescape(href)).resolve()
        found.append((" ".join(unescape(re.sub(r"<[^>]+>", " ", inner)).split()), href,
                      target / "index.html" if target.is_dir() or href.endswith("/") else target))
    return found


def heading(path: Path) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", re.search(r"<h1[^>]*>(.*?)</h1>", path.read_text("utf-8"), re.S)[1])).split())


def carried_by(review: Review, recommendation: Recommendation) -> list[Action]:
    linked = [review.linked_action(link) for link in recommendation.links]
    return [a for a in linked if a is not None] + recommendation.board_actions


def with_recommendations(example: Repository) -> list[Review]:
    found = [r for r in example.reviews if r.recommendations is not None]
    assert found, "the example has no review with recommendations"
    return found


def test_the_recommendations_page_shows_each_response_progress_and_rating(site: Path, example: Repository) -> None:
    completed = example.template.action_plan.completed
    rows = tables(site, "recommendations/index.html")["Recommendations of every review"]["rows"]
    expected = [(r, rec) for r in with_recommendations(example) for rec in r.recommendations.recommendations]
    assert len(rows) == len(expected)
    decisions = set()
    for row, (review, rec) in zip(rows, expected, strict=True):
        assert row["No"] == rec.id and row["Review"].startswith(review.reference)
        assert rec.response is not None and rec.response.decision
        decisions.add(rec.response.decision)
        assert row["Response"].startswith(f"{rec.response.decision.capitalize()} {uk(rec.response.date)}")
        if rec.response.reason:
            assert " ".join(rec.response.reason.split()) in row["Response"]
        actions = carried_by(review, rec)
        done = sum(a.status == completed for a in actions)
        assert row["Progress"] == f"{done} of {len(actions)} action{'' if len(actions) == 1 else 's'} completed"
        imrs = {id(a): imr for imr in review.imrs.values() for a in imr.actions}  # a board action has no IMR
        ratings = {rag(a, imrs.get(id(a)), completed, today(), example.board) for a in actions}
        assert row["RAG"] == next((r for r in ("Red", "Amber", "Green") if r in ratings), "No actions")
    assert {"accepted", "not accepted"} <= decisions, "the example should show a recommendation not accepted"


def test_each_reviews_page_lists_its_findings_and_every_action_with_its_latest_update(site: Path, example: Repository) -> None:
    for review in with_recommendations(example):
        page = f"recommendations/{review.id}/index.html"
        found = tables(site, page)
        text = (site / page).read_text(encoding="utf-8")
        assert all(f"<dt>{f.id}</dt>" in text for f in review.recommendations.findings)
        for rec in review.recommendations.recommendations:
            actions = carried_by(review, rec)
            if not actions:
                assert f"{rec.id}: its actions: no action carries it out yet" in " ".join(text.split())
                continue
            rows = found[f"{rec.id}: its actions"]["rows"]
            assert len(rows) == len(actions)
            for row, action in zip(rows, actions, strict=True):
                assert row["Target date"] == uk(action.target_date) and row["Status"].startswith(action.status)
                latest = action.latest_update()
                assert row["Latest update"] == (f"{uk(latest.date)} {' '.join(latest.text.split())}" if latest else "No update yet")
            board = [row for row in rows if row["By"] == example.board.name]
            assert [row["Action"] for row in board] == [f"{example.board.short_name}-{a.no}" for a in rec.board_actions]


def test_the_learning_page_counts_each_theme_across_reviews(site: Path, example: Repository) -> None:
    completed = example.template.action_plan.completed
    rows = {r["Theme"]: r for r in tables(site, "learning/index.html")["Themes across reviews"]["rows"]}
    assert set(rows) == {t.name for t in example.board.themes}
    for theme in example.board.themes:
        recs = [(r, rec) for r in with_recommendations(example) for rec in r.recommendations.recommendations
                if theme.id in {t.text for t in rec.themes}]
        actions = [a for r, rec in recs for a in carried_by(r, rec)]
        row = rows[theme.name]
        assert row["Recommendations"] == str(len(recs))
        assert row["Actions completed"] == f"{sum(a.status == completed for a in actions)} of {len(actions)}"
        named = [r for r in example.reviews if theme.id in {t.text for t in r.themes}
                 | {t.text for rec in (r.recommendations.recommendations if r.recommendations else []) for t in rec.themes}]
        assert row["Reviews"] == (", ".join(f"{r.reference}: {r.subject.name}" for r in named) or "None")
        assert row["Recurring"] == "No"  # the example's only review with actions still has some open


def test_each_reviews_page_links_to_its_recommendations_and_to_the_learning_page(site: Path, example: Repository) -> None:
    for review in example.reviews:
        links = anchors(site, f"reviews/{review.id}/index.html")
        to_recommendations = [(text, target) for text, _, target in links if "recommendation" in text]
        to_learning = [target for _, _, target in links if target == (site / "learning" / "index.html").resolve()]
        if review.recommendations is None:
            assert to_recommendations == []
        else:
            count = len(review.recommendations.recommendations)
            ((text, target),) = to_recommendations
            assert text == f"{count} recommendation{'' if count == 1 else 's'}, with the board's response and progress"
            assert target.is_file() and heading(target) == f"Recommendations of {review.reference}: {review.subject.name}"
        assert bool(to_learning) == bool(review.themes)
        assert all(target.is_file() for target in to_learning)


def test_every_link_of_the_learning_and_recommendations_pages_resolves(site: Path, example: Repository) -> None:
    pages = ["learning/index.html", "recommendations/index.html",
             *(f"recommendations/{r.id}/index.html" for r in with_recommendations(example))]
    for page in pages:
        links = anchors(site, page)
        assert links, page
        broken = [(text, href) for text, href, target in links if not target.is_file()]
        assert broken == [], page
    reviews = {target for _, _, target in anchors(site, "learning/index.html")}
    named = {(site / "reviews" / r.id / "index.html").resolve() for r in example.reviews
             if r.themes or (r.recommendations and any(rec.themes for rec in r.recommendations.recommendations))}
    assert named and named <= reviews


def test_the_new_pages_show_no_restricted_value(site: Path, example: Repository) -> None:
    pages = site / "recommendations", site / "learning"
    found = [problem for folder in pages for problem in leaks(folder, restricted(example))]
    assert not found, "\n".join(found)


def test_a_theme_that_returns_after_an_earlier_reviews_actions_were_all_completed_is_recurring(tmp_path: Path) -> None:
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    repo = load(tmp_path)
    earlier = with_recommendations(repo)[0]
    later = next(r for r in repo.reviews if r.recommendations is None and r.imrs)
    completed = repo.template.action_plan.completed

    def complete(data) -> None:
        for action in data["actions"]:
            action["status"], action["date_completed"] = completed, "2026-11-30"

    def complete_board(data) -> None:
        for rec in data["recommendations"]:
            for action in rec.get("board_actions", []):
                action["status"], action["date_completed"] = completed, "2026-11-30"

    for imr in earlier.imrs.values():
        edit_yaml(imr.folder / "actions.yml", complete)
    edit_yaml(earlier.folder / "recommendations.yml", complete_board)
    theme = earlier.recommendations.recommendations[0].themes[0].text
    imr = next(i for i in later.imrs.values() if i.actions)
    (later.folder / "recommendations.yml").write_text(
        "findings:\n  - {id: F1, text: The same gap again.}\nrecommendations:\n"
        f"  - {{id: R1, finding: F1, text: Relaunch the protocol again., themes: [{theme}], to: [board],\n"
        f"     response: {{decision: accepted, date: 2026-11-01}}, actions: [{imr.agency_id}/{imr.actions[0].no}]}}\n",
        encoding="utf-8")
    assert main(["--root", str(tmp_path), "build", "--only", "site", "--out", str(tmp_path / "out")]) == 0
    site = tmp_path / "out" / "site"
    rows = tables(site, "recommendations/index.html")["Recommendations of every review"]["rows"]
    flagged = [r for r in rows if "Recurring" in r["Recommendation"]]
    assert [r["Review"] for r in flagged] == [f"{later.reference}: {later.subject.name}"]
    assert f"Shares a theme with {earlier.reference}" in flagged[0]["Recommendation"]
    name = next(t.name for t in repo.board.themes if t.id == theme)
    learning = {r["Theme"]: r for r in tables(site, "learning/index.html")["Themes across reviews"]["rows"]}
    assert learning[name]["Recurring"] == f"Recurring in R1 of {later.reference}"
    recurring = [target for text, _, target in anchors(site, "learning/index.html") if text.startswith("Recurring")]
    assert recurring == [(site / "recommendations" / later.id / "index.html").resolve()] and recurring[0].is_file()
