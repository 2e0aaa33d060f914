"""A version of actions.yml in the git history larger than sarflow reads is skipped, unread, with a warning.

An action plan pasted over with 2.1 MB (over the real 2 MB limit), committed and then
put back, must not be read by the status history: git is asked for its size, the
warning names the file, the commit and its date, the statuses come from the other
versions and `sarflow build` still builds the site and exits 0. A plan too large now
is refused by the loader as well.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import sarflow.git
from helpers import edit_yaml
from sarflow import limits
from sarflow.cli import main
from sarflow.findings import Severity
from sarflow.history import read_history
from sarflow.load import load

ROOT = Path(__file__).resolve().parents[1]
AGENCY = "adult-social-care"
PLAN = f"reviews/adult-a/{AGENCY}/actions.yml"
DAYS = (dt.date(2026, 1, 10), dt.date(2026, 2, 20), dt.date(2026, 4, 2))


def git(root: Path, *args: str, day: dt.date | None = None) -> str:
    env = {**os.environ}
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day.isoformat()}T12:00:00+00:00"
    done = subprocess.run(["git", "-C", str(root), "-c", "user.name=IMR Author", "-c", "user.email=author@example.org",
                           "-c", "commit.gpgsign=false", *args], capture_output=True, text=True, check=True, env=env)
    return done.stdout.strip()


def pasted_plan() -> str:
    """An actions.yml just over the size limit: a plan of thousands of actions."""
    item = "  - no: {n}\n    recommendation: Recommendation {n}\n    status: In progress\n"
    count = limits.FILE_MB() * limits.MB // len(item.format(n=1000)) + 500
    return "actions:\n" + "".join(item.format(n=n) for n in range(1, count + 1))


def set_first_status(root: Path, status: str) -> None:
    edit_yaml(root / PLAN, lambda data: data["actions"][0].__setitem__("status", status))


@pytest.fixture(scope="module")
def pasted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], str]:
    """The example committed; its plan pasted over (2.1 MB) and committed; then put back, with action 1 completed."""
    root = tmp_path_factory.mktemp("pasted")
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    git(root, "init", "-q", "-b", "main")
    set_first_status(root, "Not started")
    original = (root / PLAN).read_text(encoding="utf-8")
    commits = []
    for day, step in zip(DAYS, ("as it was", "pasted over", "put back"), strict=True):
        if step == "pasted over":
            (root / PLAN).write_text(pasted_plan(), encoding="utf-8")
        elif step == "put back":
            (root / PLAN).write_text(original, encoding="utf-8")
            set_first_status(root, "Completed")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"the plan {step}", day=day)
        commits.append(git(root, "rev-parse", "HEAD"))
    return root, commits, git(root, "rev-parse", f"{commits[1]}:{PLAN}")


def test_the_large_version_is_skipped_unread_with_a_warning(pasted, monkeypatch: pytest.MonkeyPatch) -> None:
    root, commits, large_blob = pasted
    asked: list[tuple[str, bytes]] = []
    real = sarflow.git.output

    def recorded(where: Path, *args: str, stdin: bytes | None = None, timeout: float | None = None) -> bytes | None:
        asked.append((" ".join(args), stdin or b""))
        return real(where, *args, stdin=stdin, timeout=timeout)

    monkeypatch.setattr(sarflow.git, "output", recorded)
    history = read_history(root)
    read = b"".join(stdin for command, stdin in asked if command == "cat-file --batch")
    checked = b"".join(stdin for command, stdin in asked if command == "cat-file --batch-check")
    assert large_blob.encode() in checked and large_blob.encode() not in read
    assert [(w.severity, w.code, str(w.span)) for w in history.warnings] == [
        (Severity.WARNING, "history-file-too-large", f"{PLAN}:1:1")
    ]
    message = history.warnings[0].message
    assert f"committed on 20/02/2026 ({commits[1][:7]})" in message and "larger than the 2 MB sarflow reads" in message
    changes = history.changes("adult-a", AGENCY, 1)  # the versions either side of the skipped one, as committed
    assert [(c.date, c.old, c.new, c.commit) for c in changes] == [
        (DAYS[0], None, "Not started", commits[0]),
        (DAYS[2], "Not started", "Completed", commits[2]),
    ]


def test_the_site_is_still_built_and_the_build_exits_0(pasted, capsys: pytest.CaptureFixture[str]) -> None:
    root, _commits, _ = pasted
    out = root / "build"
    assert main(["--root", str(root), "build", "--only", "site", "--out", str(out)]) == 0
    said = capsys.readouterr().err
    assert f"{PLAN}:1:1: warning[history-file-too-large]: in the git history, the version committed" in said
    assert (out / "site" / "index.html").is_file()


def test_a_plan_too_large_now_is_refused_by_the_loader_and_skipped_by_the_history(tmp_repo: Path) -> None:
    (tmp_repo / PLAN).write_text(pasted_plan(), encoding="utf-8")
    git(tmp_repo, "init", "-q", "-b", "main")
    git(tmp_repo, "add", "-A")
    git(tmp_repo, "commit", "-q", "-m", "pasted", day=DAYS[0])
    assert [f.code for f in load(tmp_repo).all_findings() if f.span.path == PLAN] == ["file-too-large"]
    assert [w.code for w in read_history(tmp_repo).warnings] == ["history-file-too-large"]
