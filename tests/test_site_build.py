"""How the site build behaves around the edges: an unreadable IMR, a broken or missing
mkdocs.yml (the previous site stays whole), a page missing from the navigation, and the
staging folder that `sarflow serve` watches (only changed pages rewritten, stale ones removed).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sarflow.cli import main
from sarflow.dates import today
from sarflow.load import load
from sarflow.site import STAGING, engine, prepare

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A writable copy of everything the site is built from."""
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def build(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(root), "build", "--only", "site", "--out", str(root / "out")])
    return code, capsys.readouterr().err


def test_an_unreadable_imr_is_named_and_shown_without_figures(repo_copy: Path, capsys) -> None:
    imr = max(load(repo_copy).imrs(), key=lambda i: len(i.actions))
    (imr.folder / "actions.yml").write_text("actions:\n  - no: 1\n    status: [unclosed\n", encoding="utf-8")
    code, err = build(repo_copy, capsys)
    assert code == 1 and f"not building {imr.review_id}/{imr.agency_id}" in err
    review = (repo_copy / "out/site/reviews" / imr.review_id / "index.html").read_text(encoding="utf-8")
    assert "Files cannot be read" in review
    others = sum(len(i.actions) for i in load(repo_copy).imrs() if (i.review_id, i.agency_id) != (imr.review_id, imr.agency_id))
    actions = (repo_copy / "out/site/actions/index.html").read_text(encoding="utf-8")
    assert actions.count("<tr><td") == others


def test_a_missing_mkdocs_yml_is_reported_and_nothing_else_breaks(repo_copy: Path, capsys) -> None:
    (repo_copy / "mkdocs.yml").unlink()
    code, err = build(repo_copy, capsys)
    assert code == 1
    assert ("mkdocs.yml:1:1: error[site-build]: the status site was not built: mkdocs.yml, the site's configuration, "
            "cannot be read at the top of the repository (No such file or directory)") in err


def test_when_mkdocs_fails_the_previous_site_stays_whole(repo_copy: Path, capsys) -> None:
    assert build(repo_copy, capsys)[0] == 0
    before = sorted(p.relative_to(repo_copy / "out/site") for p in (repo_copy / "out/site").rglob("*"))
    config = repo_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("name: material", "name: no-such-theme"), encoding="utf-8")
    code, err = build(repo_copy, capsys)
    assert code == 1 and "MkDocs could not build the status site" in err and "no-such-theme" in err
    after = sorted(p.relative_to(repo_copy / "out/site") for p in (repo_copy / "out/site").rglob("*"))
    assert after == before
    assert not [p for p in (repo_copy / "out").iterdir() if p.name.startswith(".site")]


def test_a_nav_page_not_written_yet_is_left_out_of_the_navigation(repo_copy: Path, capsys) -> None:
    for page in (repo_copy / "site").rglob("*.md"):
        if page.name != "help.md":
            page.unlink()
    assert build(repo_copy, capsys)[0] == 0
    home = (repo_copy / "out/site/index.html").read_text(encoding="utf-8")
    assert 'href="help/"' in home and "reference/" not in home


def test_staging_rewrites_only_what_changed_and_removes_what_is_gone(repo_copy: Path) -> None:
    out = repo_copy / "out"
    prepare(load(repo_copy), out)
    staging = out / STAGING
    times = {p: p.stat().st_mtime_ns for p in staging.rglob("*.md")}
    prepare(load(repo_copy), out)
    assert {p: p.stat().st_mtime_ns for p in staging.rglob("*.md")} == times
    review = load(repo_copy).reviews[0]
    shutil.rmtree(review.folder)
    prepare(load(repo_copy), out)
    assert not (staging / "reviews" / review.id).exists()
    assert (staging / "index.md").is_file() and (staging / "help.md").is_file()


def test_done_means_the_templates_completed_status_not_a_fixed_word(repo_copy: Path, capsys) -> None:
    """A template whose actions end "Closed": a closed action past its target date is green, not overdue."""
    template = repo_copy / "schema" / "templates" / "sar9-v3.yml"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "statuses: [Not started, In progress, Completed]", "statuses: [Not started, In progress, Closed]").replace(
        "completed: Completed ", "completed: Closed "), encoding="utf-8")
    for actions in [*(repo_copy / "reviews").rglob("actions.yml"), *(repo_copy / "reviews").rglob("recommendations.yml")]:
        actions.write_text(actions.read_text(encoding="utf-8").replace("status: Completed", "status: Closed"),
                           encoding="utf-8")
    assert main(["--root", str(repo_copy), "schemas"]) == 0  # as a maintainer does after changing the template
    repo = load(repo_copy)
    assert repo.template.action_plan.completed == "Closed"
    closed = [a for imr in repo.imrs() for a in imr.actions if a.status == "Closed"]
    assert closed and all(a.target_date < today() for a in closed), "the example should have actions closed late or on time in the past"
    assert build(repo_copy, capsys)[0] == 0
    home = (repo_copy / "out/site/index.html").read_text(encoding="utf-8")
    overdue = home[home.index("Overdue actions, most overdue first"):home.index('id="late-imrs"')]
    for action in closed:
        assert html.escape(" ".join(action.recommendation.split())) not in overdue
    open_overdue = sum(a.status != "Closed" and a.target_date < today() for imr in repo.imrs() for a in imr.actions)
    assert overdue.count("<tr><td") == open_overdue
    actions = (repo_copy / "out/site/actions/index.html").read_text(encoding="utf-8")
    assert actions.count('Closed<br><span class="sar-badge sar-badge--green">Green</span>') == len(closed)


OUTSIDE_SETTINGS = {
    "fonts": (("  font: false", "  # font: false"), "theme:", "loaded from Google Fonts"),
    "repository": (("site_dir: build/site\n", "site_dir: build/site\nrepo_url: https://github.com/board/sars\n"),
                   "repo_url:", "ask GitHub"),
    "analytics": (("extra:\n", "extra:\n  analytics:\n    provider: google\n    property: G-XXXXXXX\n"),
                  "analytics:", "analytics service"),
    "script": (("  - javascripts/tables.js\n", "  - javascripts/tables.js\n  - https://cdn.example.org/chart.js\n"),
               "https://cdn.example.org/chart.js", "loads https://cdn.example.org/chart.js from another site"),
}


@pytest.mark.parametrize("case", sorted(OUTSIDE_SETTINGS))
def test_a_setting_that_fetches_from_another_site_is_refused_with_its_line(repo_copy: Path, capsys, case: str) -> None:
    (old, new), marker, words = OUTSIDE_SETTINGS[case]
    assert build(repo_copy, capsys)[0] == 0
    before = (repo_copy / "out/site/index.html").read_bytes()
    config = repo_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    config.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if marker in t)
    code, err = build(repo_copy, capsys)
    assert code == 1
    assert re.search(rf"mkdocs.yml:{line}:\d+: error\[site-build\]: the status site was not built: ", err) and words in err, err
    assert (repo_copy / "out/site/index.html").read_bytes() == before


def test_a_full_build_whose_site_fails_midway_leaves_the_previous_site_whole(repo_copy: Path, capsys) -> None:
    out = repo_copy / "out"
    assert main(["--root", str(repo_copy), "build", "--out", str(out)]) == 0
    site = out / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    board = repo_copy / "reviews" / "board.yml"  # a change every page would show
    board.write_text(board.read_text(encoding="utf-8").replace("\nname: ", "\nname: Renamed ", 1), encoding="utf-8")
    assert load(repo_copy).board.name.startswith("Renamed ")
    # a theme template that fails on the Actions page only, after MkDocs has written other pages
    template = repo_copy / "site/overrides/main.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n{% block content %}{{ super() }}"
                        '{% if page.url == "actions/" %}{{ page.no_such.thing }}{% endif %}{% endblock %}\n',
                        encoding="utf-8")
    workbook = next((out / "reviews").rglob("Action Plan.xlsx"))
    workbook.unlink()
    code = main(["--root", str(repo_copy), "build", "--out", str(out)])
    assert code == 1 and "MkDocs could not build the status site" in capsys.readouterr().err
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not [p.name for p in out.iterdir() if p.name.startswith(".site")]
    assert workbook.is_file(), "the other outputs are still built"


def test_a_build_stopped_by_ctrl_c_leaves_no_half_site_behind(repo_copy: Path, capsys, monkeypatch) -> None:
    assert build(repo_copy, capsys)[0] == 0
    site = repo_copy / "out/site"
    before = sorted(p.relative_to(site) for p in site.rglob("*"))

    real = subprocess.run

    def interrupted(command, *args, **kwargs):
        if "mkdocs" not in command:
            return real(command, *args, **kwargs)  # git, for the history
        Path(command[command.index("-d") + 1], "index.html").write_text("half a site", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(engine.subprocess, "run", interrupted)
    with (repo_copy / "site" / "help.md").open("a", encoding="utf-8") as page:
        page.write("\nA line added, so that the site is built again.\n")
    assert build(repo_copy, capsys)[0] == 2
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
    assert not [p.name for p in (repo_copy / "out").iterdir() if p.name.startswith(".site")]


def test_the_new_site_takes_the_old_ones_place_in_one_step(tmp_path: Path) -> None:
    site, fresh = tmp_path / "site", tmp_path / ".site-new"
    site.mkdir()
    (site / "old.html").write_text("old", encoding="utf-8")
    fresh.mkdir()
    (fresh / "new.html").write_text("new", encoding="utf-8")
    assert engine._exchange(fresh, site), "Linux swaps two folders atomically (renameat2)"
    assert [p.name for p in site.iterdir()] == ["new.html"] and [p.name for p in fresh.iterdir()] == ["old.html"]


def test_the_stale_flag_follows_the_boards_setting(repo_copy: Path, capsys) -> None:
    """A board that wants updates every 30 days sees more actions flagged than at the example's setting."""
    repo = load(repo_copy)
    done = repo.template.action_plan.statuses[-1]

    def stale(days: int) -> int:
        count = 0
        for imr in repo.imrs():
            for action in imr.actions:
                dated = [u.date for u in action.updates if u.date]
                since = max(dated) if dated else imr.submitted
                overdue = action.target_date is not None and action.target_date < today()
                quiet = since is not None and (today() - since).days > days
                count += action.status != done and (quiet or (overdue and not action.updates))
        return count

    setting = 30
    assert stale(setting) != stale(repo.board.stale_update_days), "pick a setting that changes what is flagged"
    board = repo_copy / "reviews" / "board.yml"
    text = board.read_text(encoding="utf-8")
    board.write_text(text.replace(f"stale_update_days: {repo.board.stale_update_days}", f"stale_update_days: {setting}"),
                     encoding="utf-8")
    assert load(repo_copy).board.stale_update_days == setting
    assert build(repo_copy, capsys)[0] == 0
    actions = (repo_copy / "out/site/actions/index.html").read_text(encoding="utf-8")
    assert actions.count("sar-badge--stale") == stale(setting)
    assert f"no update has come for more than {setting} days" in actions
    home = (repo_copy / "out/site/index.html").read_text(encoding="utf-8")
    assert f"{stale(setting)} action{'s' if stale(setting) != 1 else ''} without an update for more than {setting} days" in home
