"""The git history of the review files, on a scripted repository, and what the site shows of it.

A copy of the example is committed as an author would, moving one action from "Not
started" to "In progress" to "Completed" on set dates. The history must give those
moves (date, old, new, commit) and the IMR's last-updated date; an unversioned folder,
a repository with nothing committed and uncommitted edits give no history at all.
Small scripted plans show an action renumbered, reworded, taken out and put back,
a status first left out, and two merged branches.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from ruamel.yaml import YAML

import sarflow.git
from sarflow.cli import main
from sarflow.dates import uk
from sarflow.history import StatusChange, read_history
from sarflow.load import load

ROOT = Path(__file__).resolve().parents[1]
DAYS = (dt.date(2026, 1, 10), dt.date(2026, 2, 20), dt.date(2026, 4, 2))


def git(root: Path, *args: str, day: dt.date | None = None) -> str:
    env = {**os.environ}
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day.isoformat()}T12:00:00+00:00"
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=IMR Author", "-c", "user.email=author@example.org",
         "-c", "commit.gpgsign=false", *args],
        capture_output=True, text=True, check=True, env=env,
    )
    return done.stdout.strip()


def copy_of_example(root: Path) -> Path:
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def busiest(root: Path):
    return max(load(root).imrs(), key=lambda imr: len(imr.actions))


def set_status(actions_file: Path, status: str) -> None:
    yaml = YAML()
    yaml.preserve_quotes = True
    data = yaml.load(actions_file.read_text(encoding="utf-8"))
    data["actions"][0]["status"] = status
    with actions_file.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


@pytest.fixture(scope="module")
def scripted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, list[str]]:
    """The example committed three times; the busiest IMR's first action moves each time."""
    root = copy_of_example(tmp_path_factory.mktemp("history"))
    imr = busiest(root)
    actions_file = imr.folder / "actions.yml"
    git(root, "init", "-q", "-b", "main")
    commits = []
    for day, status in zip(DAYS, ("Not started", "In progress", "Completed"), strict=True):
        set_status(actions_file, status)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"action 1: {status}", day=day)
        commits.append(git(root, "rev-parse", "HEAD"))
    return root, imr, commits


def test_status_changes_are_read_from_git_with_date_old_new_and_commit(scripted) -> None:
    root, imr, commits = scripted
    first = imr.actions[0]
    found = read_history(root)
    assert found.changes(imr.review_id, imr.agency_id, first.no) == [
        StatusChange(DAYS[0], None, "Not started", commits[0]),
        StatusChange(DAYS[1], "Not started", "In progress", commits[1]),
        StatusChange(DAYS[2], "In progress", "Completed", commits[2]),
    ]
    for other in imr.actions[1:]:
        assert found.changes(imr.review_id, imr.agency_id, other.no) == [
            StatusChange(DAYS[0], None, other.status, commits[0])
        ]


def test_last_updated_is_the_newest_commit_touching_the_imr(scripted) -> None:
    root, imr, _ = scripted
    found = read_history(root)
    assert found.updated(imr.review_id, imr.agency_id) == DAYS[2]
    for other in load(root).imrs():
        if other.agency_id != imr.agency_id:
            assert found.updated(other.review_id, other.agency_id) == DAYS[0]


def test_one_log_walk_one_size_check_and_one_blob_read_for_the_whole_repository(scripted, monkeypatch: pytest.MonkeyPatch) -> None:
    root, _, _ = scripted
    calls: list[list[str]] = []
    real = subprocess.run

    def counted(command, *args, **kwargs):
        calls.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(sarflow.git.subprocess, "run", counted)  # every git call of the history goes through it
    read_history(root)
    assert len(load(root).imrs()) > 1
    assert [c[c.index("-c") + 2 : c.index("-c") + 4] for c in calls] == [
        ["log", "--first-parent"], ["cat-file", "--batch-check"], ["cat-file", "--batch"]]


def test_the_actions_page_shows_when_the_status_moved(scripted, tmp_path: Path) -> None:
    root, imr, commits = scripted
    assert main(["--root", str(root), "build", "--only", "site", "--out", str(tmp_path)]) == 0
    page = (tmp_path / "site" / "actions" / "index.html").read_text(encoding="utf-8")
    assert f'<span class="sar-date">{uk(DAYS[1])}</span> Not started to In progress' in page
    assert f"<code>{commits[2][:7]}</code>" in page
    review = (tmp_path / "site" / "reviews" / imr.review_id / "index.html").read_text(encoding="utf-8")
    assert uk(DAYS[2]) in review


def test_uncommitted_changes_add_no_history(scripted, tmp_path: Path) -> None:
    root, imr, _ = scripted
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(root), str(clone))
    set_status(clone / imr.folder.relative_to(root) / "actions.yml", "Not started")
    assert read_history(clone).changes(imr.review_id, imr.agency_id, imr.actions[0].no)[-1].new == "Completed"


def test_a_folder_that_is_not_a_git_repository_has_no_history(tmp_path: Path) -> None:
    root = copy_of_example(tmp_path)
    found = read_history(root)
    assert found.last_changed == {} and found.status_changes == {}
    imr = busiest(root)
    assert found.changes(imr.review_id, imr.agency_id, imr.actions[0].no) == []
    assert main(["--root", str(root), "build", "--only", "site", "--out", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "site" / "actions" / "index.html").read_text(encoding="utf-8")
    assert "None recorded" in page and "not committed yet" in (
        tmp_path / "out" / "site" / "reviews" / imr.review_id / "index.html"
    ).read_text(encoding="utf-8")


def test_a_repository_with_nothing_committed_has_no_history(tmp_path: Path) -> None:
    root = copy_of_example(tmp_path)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    found = read_history(root)
    assert found.last_changed == {} and found.status_changes == {}


def commit_plan(root: Path, day: dt.date, actions: list[dict], message: str) -> str:
    """Write reviews/sar-x/police/actions.yml with these actions and commit it on `day`; returns the commit."""
    path = root / "reviews" / "sar-x" / "police" / "actions.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"actions": actions}, sort_keys=False), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, day=day)
    return git(root, "rev-parse", "HEAD")


def plan(*actions: tuple[int, str, str | None]) -> list[dict]:
    """Actions from (number, recommendation, status or None for no status)."""
    return [{"no": n, "recommendation": text, **({"status": status} if status else {})} for n, text, status in actions]


def moves(found, number: int) -> list[tuple[dt.date, str | None, str | None]]:
    return [(c.date, c.old, c.new) for c in found.changes("sar-x", "police", number)]


D = [dt.date(2026, 3, d) for d in range(1, 10)]


def test_a_status_first_left_out_then_set_moves_from_not_logged(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    commit_plan(tmp_path, D[0], plan((1, "Audit discharges", None)), "plan")
    commit_plan(tmp_path, D[1], plan((1, "Audit discharges", "In progress")), "status")
    assert moves(read_history(tmp_path), 1) == [(D[0], None, ""), (D[1], "", "In progress")]


def test_renumbering_the_plan_keeps_each_action_its_own_history(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    commit_plan(tmp_path, D[0], plan((1, "Audit discharges", "Not started"), (2, "Train staff", "Not started")), "plan")
    # a new action 1 is inserted; the old ones become 2 and 3, and training starts in the same commit
    commit_plan(tmp_path, D[1], plan((1, "Revise the protocol", "Not started"), (2, "Audit discharges", "Not started"),
                                     (3, "Train staff", "In progress")), "insert an action")
    found = read_history(tmp_path)
    assert moves(found, 1) == [(D[1], None, "Not started")]
    assert moves(found, 2) == [(D[0], None, "Not started")]
    assert moves(found, 3) == [(D[0], None, "Not started"), (D[1], "Not started", "In progress")]


def test_an_action_reworded_keeps_its_history_by_its_number(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    commit_plan(tmp_path, D[0], plan((1, "Audit discharges", "Not started")), "plan")
    commit_plan(tmp_path, D[1], plan((1, "Audit every discharge  of the quarter", "Completed")), "reworded")
    assert moves(read_history(tmp_path), 1) == [(D[0], None, "Not started"), (D[1], "Not started", "Completed")]


def test_an_action_removed_and_put_back_shows_both(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    commit_plan(tmp_path, D[0], plan((1, "Audit discharges", "In progress"), (2, "Train staff", "Not started")), "plan")
    commit_plan(tmp_path, D[1], plan((2, "Train staff", "Not started")), "remove 1")
    commit_plan(tmp_path, D[2], plan((1, "Audit discharges", "Completed"), (2, "Train staff", "Not started")), "put back")
    found = read_history(tmp_path)
    assert moves(found, 1) == [(D[0], None, "In progress"), (D[1], "In progress", None), (D[2], None, "Completed")]
    assert moves(found, 2) == [(D[0], None, "Not started")]


def test_a_merged_branch_counts_when_it_landed_and_branches_never_contradict(tmp_path: Path) -> None:
    """Two pull requests from the same base each move one action; each branch's file holds the other's old status."""
    git(tmp_path, "init", "-q", "-b", "main")
    base = plan((1, "Audit discharges", "Not started"), (2, "Train staff", "Not started"))
    commit_plan(tmp_path, D[0], base, "plan")
    git(tmp_path, "checkout", "-q", "-b", "first")
    commit_plan(tmp_path, D[1], plan((1, "Audit discharges", "In progress"), (2, "Train staff", "Not started")), "a")
    git(tmp_path, "checkout", "-q", "main")
    git(tmp_path, "checkout", "-q", "-b", "second")
    commit_plan(tmp_path, D[2], plan((1, "Audit discharges", "Not started"), (2, "Train staff", "Completed")), "b")
    git(tmp_path, "checkout", "-q", "main")
    git(tmp_path, "merge", "-q", "--no-ff", "first", "-m", "merge first", day=D[3])
    git(tmp_path, "merge", "-q", "--no-ff", "second", "-m", "merge second", day=D[4])
    found = read_history(tmp_path)
    assert moves(found, 1) == [(D[0], None, "Not started"), (D[3], "Not started", "In progress")]
    assert moves(found, 2) == [(D[0], None, "Not started"), (D[4], "Not started", "Completed")]
    assert found.updated("sar-x", "police") == D[4]
    assert [c.commit for c in found.changes("sar-x", "police", 2)][-1] == git(tmp_path, "rev-parse", "HEAD")


def test_the_actions_page_shows_an_action_taken_out_and_put_back(tmp_path: Path) -> None:
    root = copy_of_example(tmp_path / "repo")
    imr = busiest(root)
    actions_file = imr.folder / "actions.yml"
    original = actions_file.read_text(encoding="utf-8")
    yaml_rt = YAML()
    yaml_rt.preserve_quotes = True
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "example", day=DAYS[0])
    data = yaml_rt.load(original)
    last = data["actions"].pop()
    del data["actions"][0]["status"]
    with actions_file.open("w", encoding="utf-8") as handle:
        yaml_rt.dump(data, handle)
    git(root, "commit", "-q", "-am", "take the last action out; first action's status not logged", day=DAYS[1])
    actions_file.write_text(original, encoding="utf-8")
    git(root, "commit", "-q", "-am", "put it back", day=DAYS[2])
    assert main(["--root", str(root), "build", "--only", "site", "--out", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "site" / "actions" / "index.html").read_text(encoding="utf-8")
    not_logged = load(root).template.action_plan.not_logged
    assert f'<span class="sar-date">{uk(DAYS[1])}</span> removed from the action plan' in page
    assert f'<span class="sar-date">{uk(DAYS[2])}</span> put back as {last["status"]}' in page
    first = imr.actions[0].status
    assert f'<span class="sar-date">{uk(DAYS[1])}</span> {first} to {not_logged}' in page
    assert f'<span class="sar-date">{uk(DAYS[2])}</span> {not_logged} to {first}' in page
