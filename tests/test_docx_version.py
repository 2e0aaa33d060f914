"""The version a report states: the last commit of its inputs, uncommitted changes, or none.

Each case builds a copy of the example in a scratch git repository (or outside git) and
reads the footer and title page back with python-docx.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import docx
import pytest

from sarflow import docx as report
from sarflow.dates import uk, uk_long
from sarflow.docx.version import version_of
from sarflow.load import load
from sarflow.model import Imr, Repository

COMMITTED = dt.date(2026, 1, 15)


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_AUTHOR_DATE": f"{COMMITTED.isoformat()}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{COMMITTED.isoformat()}T12:00:00+00:00",
    }
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout.strip()


@pytest.fixture
def committed(tmp_repo: Path) -> Path:
    git(tmp_repo, "init", "-q")
    git(tmp_repo, "add", "reviews", "schema")
    git(tmp_repo, "commit", "-q", "-m", "example")
    return tmp_repo


def first(repo: Repository) -> Imr:
    return repo.imrs()[0]


def footer_and_title_page(repo: Repository, imr: Imr, out: Path) -> tuple[str, str]:
    assert report.build(repo, [imr], out) == []
    path = out / "reviews" / imr.review_id / imr.agency_id / report.file_name(repo.review(imr.review_id), imr)
    document = docx.Document(str(path))
    footer = "".join(p.text for p in document.sections[0].footer.paragraphs)
    page = []
    for p in document.paragraphs:
        if p.style.name.startswith("Heading"):
            break
        page.append(p.text)
    return footer, "\n".join(page)


def test_outside_git_the_report_says_not_under_version_control(tmp_repo: Path) -> None:
    repo = load(tmp_repo)
    version = version_of(tmp_repo, report.inputs(repo, first(repo)))
    assert str(version) == "not under version control"
    footer, page = footer_and_title_page(repo, first(repo), tmp_repo / "build")
    assert "Version: not under version control" in footer and "Version: not under version control" in page


def test_a_committed_imr_shows_the_commit_and_its_date(committed: Path) -> None:
    repo = load(committed)
    short = git(committed, "rev-parse", "--short", "HEAD")
    version = version_of(committed, report.inputs(repo, first(repo)))
    assert str(version) == f"commit {short}, {uk(COMMITTED)}"
    footer, page = footer_and_title_page(repo, first(repo), committed / "build")
    assert f"Version: commit {short}, {uk(COMMITTED)} | Page" in footer
    assert f"Date: {uk_long(COMMITTED)}" in page


def test_a_changed_file_shows_uncommitted_changes_for_that_imr_only(committed: Path) -> None:
    repo = load(committed)
    changed, other = repo.imrs()[0], repo.imrs()[1]
    with (changed.folder / "narrative.md").open("a", encoding="utf-8") as section:
        section.write("\nOne more sentence.\n")
    assert str(version_of(committed, report.inputs(repo, changed))).startswith("uncommitted changes (last commit ")
    assert not version_of(committed, report.inputs(repo, other)).changed
    footer, _ = footer_and_title_page(load(committed), changed, committed / "build")
    assert "Version: uncommitted changes" in footer


def test_a_new_file_in_the_imr_folder_counts_as_an_uncommitted_change(committed: Path) -> None:
    repo = load(committed)
    (first(repo).folder / "plan.png").write_bytes(b"")
    assert version_of(committed, report.inputs(repo, first(repo))).changed


def test_a_change_to_the_review_changes_every_imrs_version(committed: Path) -> None:
    repo = load(committed)
    review_file = first(repo).folder.parent / "review.yml"
    review_file.write_text(review_file.read_text("utf-8") + "\n", encoding="utf-8")
    assert all(version_of(committed, report.inputs(repo, imr)).changed for imr in repo.imrs())
