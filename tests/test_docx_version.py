"""Document control: the version a report states, its number and the document history.

Each case builds a copy of the example in a scratch git repository (or outside git),
commits to it as a board would, and reads the footer, the cover and the history table
back with python-docx. The commit author's name and e-mail must appear nowhere.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sarflow import docx as report
from sarflow.dates import today, uk
from sarflow.docx.control import HISTORY_HEAD, UNCOMMITTED
from sarflow.docx.version import _status, version_of, versions
from sarflow.load import load
from sarflow.model import Imr, Repository
from sarflow.yamlloader import LOADER

COMMITTED = dt.date(2026, 1, 15)
AUTHOR, EMAIL = "Avery Committer", "avery.committer@example.org"


def git(root: Path, *args: str, day: dt.date = COMMITTED) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": AUTHOR, "GIT_AUTHOR_EMAIL": EMAIL,
        "GIT_COMMITTER_NAME": AUTHOR, "GIT_COMMITTER_EMAIL": EMAIL,
        "GIT_AUTHOR_DATE": f"{day.isoformat()}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{day.isoformat()}T12:00:00+00:00",
    }
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout.strip()


def commit_all(root: Path, message: str, day: dt.date) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, day=day)
    return git(root, "rev-parse", "--short", "HEAD")


@pytest.fixture
def committed(tmp_repo: Path) -> Path:
    git(tmp_repo, "init", "-q")
    commit_all(tmp_repo, "example", COMMITTED)
    return tmp_repo


def first(repo: Repository) -> Imr:
    return repo.imrs()[0]


def built(repo: Repository, imr: Imr, out: Path) -> docx.document.Document:
    assert report.build(repo, [imr], out) == []
    return docx.Document(str(out / "reviews" / imr.review_id / imr.agency_id / report.file_name(repo.review(imr.review_id), imr)))


def footer_and_cover(document: docx.document.Document) -> tuple[str, str]:
    footer = "".join(p.text for p in document.sections[0].footer.paragraphs)
    page = []
    for p in document.paragraphs:
        if p.style.name.startswith("Heading"):
            break
        page.append(p.text)
    return footer, "\n".join(page)


def history_rows(document: docx.document.Document) -> list[list[str]]:
    table = next(t for t in document.tables if tuple(c.text for c in t.rows[0].cells) == HISTORY_HEAD)
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def set_status(imr: Imr, status: str) -> None:
    path = imr.folder / "imr.yml"
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join(f"status: {status}" if line.startswith("status:") else line for line in lines) + "\n", "utf-8")


def test_outside_git_the_report_says_not_under_version_control(tmp_repo: Path) -> None:
    repo = load(tmp_repo)
    assert str(version_of(tmp_repo, first(repo).folder)) == "not under version control"
    footer, page = footer_and_cover(built(repo, first(repo), tmp_repo / "build"))
    assert "Version: not under version control" in footer and "Version: not under version control" in page


def test_each_commit_that_changes_the_imr_or_its_review_is_a_version_with_its_date_and_status_then(committed: Path) -> None:
    repo = load(committed)
    imr, other = repo.imrs()[0], repo.imrs()[1]
    original = imr.status
    commits = [git(committed, "rev-parse", "--short", "HEAD")]
    days = [COMMITTED, dt.date(2026, 2, 3), dt.date(2026, 2, 20), dt.date(2026, 3, 9)]
    set_status(imr, "draft")
    commits.append(commit_all(committed, "the IMR goes back to draft", days[1]))
    (other.folder / "narrative.md").write_text("Another agency's sentence.\n", "utf-8")
    commit_all(committed, "another IMR changes: not a version of this one", dt.date(2026, 2, 10))
    (committed / "reviews" / "board.yml").write_text((committed / "reviews" / "board.yml").read_text("utf-8") + "\n", "utf-8")
    commit_all(committed, "the board changes: not a version of any IMR", dt.date(2026, 2, 12))
    review_file = imr.folder.parent / "review.yml"
    review_file.write_text(review_file.read_text("utf-8") + "\n", "utf-8")
    commits.append(commit_all(committed, "the review changes", days[2]))
    set_status(imr, "submitted")
    commits.append(commit_all(committed, "submitted", days[3]))

    version = version_of(committed, imr.folder)
    assert [(r.number, r.commit, r.date, r.status) for r in version.history] == [
        (1, commits[0], days[0], original), (2, commits[1], days[1], "draft"),
        (3, commits[2], days[2], "draft"), (4, commits[3], days[3], "submitted"),
    ]
    assert str(version) == f"4 of {uk(days[3])}" and not version.changed
    now = load(committed)
    document = built(now, first(now), committed / "build")
    footer, cover = footer_and_cover(document)
    assert f"Version: 4 of {uk(days[3])} | Page" in footer
    assert f"Version: 4 of {uk(days[3])}" in cover and "IMR status: Submitted" in cover
    assert history_rows(document) == [
        [str(n), uk(day), status.capitalize(), commit]
        for n, (day, status, commit) in enumerate(zip(days, [original, "draft", "draft", "submitted"], commits, strict=True), start=1)
    ]


def test_no_commit_author_name_or_email_anywhere_in_the_document(committed: Path) -> None:
    repo = load(committed)
    out = committed / "build"
    built(repo, first(repo), out)
    (path,) = (out / "reviews").rglob("*.docx")
    with zipfile.ZipFile(path) as package:
        text = b"".join(package.read(name) for name in package.namelist()).decode("utf-8", "replace")
    for value in (AUTHOR, EMAIL, *AUTHOR.split(), EMAIL.split("@")[0]):
        assert value not in text


def test_a_changed_file_shows_uncommitted_changes_for_that_imr_only(committed: Path) -> None:
    repo = load(committed)
    changed, other = repo.imrs()[0], repo.imrs()[1]
    with (changed.folder / "narrative.md").open("a", encoding="utf-8") as section:
        section.write("\nOne more sentence.\n")
    assert str(version_of(committed, changed.folder)) == f"1 of {uk(COMMITTED)}, with uncommitted changes"
    assert not version_of(committed, other.folder).changed
    now = load(committed)
    document = built(now, first(now), committed / "build")
    footer, _ = footer_and_cover(document)
    assert "with uncommitted changes" in footer
    assert history_rows(document)[-1][0] == UNCOMMITTED


def test_a_new_file_in_the_imr_folder_counts_as_an_uncommitted_change(committed: Path) -> None:
    repo = load(committed)
    (first(repo).folder / "plan.png").write_bytes(b"")
    assert version_of(committed, first(repo).folder).changed


def test_a_change_to_the_review_changes_every_imrs_version_and_the_board_file_none(committed: Path) -> None:
    repo = load(committed)
    board = committed / "reviews" / "board.yml"
    board.write_text(board.read_text("utf-8") + "\n", encoding="utf-8")
    assert not any(version_of(committed, imr.folder).changed for imr in repo.imrs())
    review_file = first(repo).folder.parent / "review.yml"
    review_file.write_text(review_file.read_text("utf-8") + "\n", encoding="utf-8")
    changed = versions(committed, [imr.folder for imr in repo.imrs()])
    assert [changed[imr.folder].changed for imr in repo.imrs()] == [imr.review_id == first(repo).review_id for imr in repo.imrs()]


def test_a_repository_with_no_commit_yet_says_so(tmp_repo: Path) -> None:
    git(tmp_repo, "init", "-q")
    repo = load(tmp_repo)
    assert str(version_of(tmp_repo, first(repo).folder)) == "not yet committed"
    document = built(repo, first(repo), tmp_repo / "build")
    assert history_rows(document) == [[UNCOMMITTED, uk(today()), first(repo).status.capitalize(), ""]]


@pytest.mark.parametrize("inside", ["", "boards/northbridge"])
def test_one_walk_for_every_imr_gives_each_the_versions_of_its_own_files(tmp_repo: Path, tmp_path: Path, inside: str) -> None:
    """The build reads every IMR's versions from one walk of the history; each must be what a walk
    of that IMR's files alone gives, through merges, moves between IMRs, deletions and uncommitted
    changes, also when the review repository is a folder inside a larger git repository."""
    top = tmp_path / "top"
    root = top / inside if inside else top
    shutil.copytree(tmp_repo, root)
    git(top, "init", "-q")
    commit_all(top, "example", COMMITTED)
    imrs = [imr.folder for imr in load(root).imrs()]
    a, b, c = imrs[:3]
    (a / "narrative.md").write_text((a / "narrative.md").read_text("utf-8") + "\nMore.\n", "utf-8")
    commit_all(top, "one IMR", COMMITTED + dt.timedelta(days=1))
    git(top, "checkout", "-q", "-b", "side")
    (b / "notes.md").write_text("Notes.\n", "utf-8")
    commit_all(top, "on a branch", COMMITTED + dt.timedelta(days=2))
    git(top, "checkout", "-q", "-")
    git(top, "merge", "-q", "--no-ff", "side", "-m", "merged", day=COMMITTED + dt.timedelta(days=3))
    git(top, "mv", str(b / "notes.md"), str(c / "notes.md"))
    commit_all(top, "moved between IMRs", COMMITTED + dt.timedelta(days=4))
    (c / "notes.md").unlink()
    commit_all(top, "deleted", COMMITTED + dt.timedelta(days=5))
    (a / "extra.md").write_text("New.\n", "utf-8")  # uncommitted, untracked
    git(top, "mv", str(b / "narrative.md"), str(b / "story.md"))  # uncommitted, staged as a rename

    together = versions(root, imrs)
    assert together == {folder: version_of(root, folder) for folder in imrs}
    assert [len(together[f].history) for f in (a, b, c)] == [2, 3, 3]  # the branch's commit counts once, as its merge
    assert [together[f].changed for f in imrs] == [f in (a, b) for f in imrs]


def test_a_mistake_committed_and_mended_since_does_not_stop_the_history_being_read(committed: Path) -> None:
    """An impossible date committed in imr.yml (and put right in the next commit) used to stop every later build
    with an internal error, as the history read each version's imr.yml whole; only its status is read now."""
    repo = load(committed)
    imr = first(repo)
    path = imr.folder / "imr.yml"
    good = path.read_text("utf-8")
    set_status(imr, "draft")
    path.write_text(path.read_text("utf-8").replace("status: draft", "status: draft\nsubmitted: 2026-02-30"), "utf-8")
    slip = commit_all(committed, "a date that cannot be", dt.date(2026, 2, 3))
    path.write_text(good, "utf-8")
    mended = commit_all(committed, "mended", dt.date(2026, 2, 4))
    version = version_of(committed, imr.folder)
    assert [(r.commit, r.status) for r in version.history][1:] == [(slip, "draft"), (mended, imr.status)]
    assert history_rows(built(load(committed), imr, committed / "build"))[1][2] == "Draft"


# What a committed imr.yml's top level may hold: its status written in each way YAML allows, other keys, nesting.
_plain = st.text(alphabet="abcdefgh -_:#'\"0123456789.~", max_size=8)
_scalar = st.one_of(_plain, st.sampled_from(["submitted", "draft", "", "~", "null", "true", "12", "2026-01-15", "'approved'",
                                             '"in review"', "!!str 12", "!!int 12", "|\n  approved\n", "- x"]))
_key = st.sampled_from(["status", "agency", "status ", "'status'", '"status"', "Status", "? status\n:", "actions"])


@st.composite
def _imr_files(draw: st.DrawFn) -> str:
    lines = []
    for key in draw(st.lists(_key, max_size=5)):
        if draw(st.booleans()):
            lines.append(f"{key} {draw(_scalar)}" if key.endswith(":") else f"{key}: {draw(_scalar)}")
        else:
            lines.append(f"{key}:\n  - no: 1\n    status: nested\n  - {draw(_scalar)}")
    return draw(st.sampled_from(["", "---\n", "# yaml-language-server: $schema=x\n"])) + "\n".join(lines) + "\n"


def _status_as_pyyaml_reads_it(data: bytes) -> str | None:
    """The reference: the whole file loaded by PyYAML with sarflow's loader, its top-level `status` if it is text."""
    try:
        parsed = yaml.load(data, Loader=LOADER)
    except yaml.YAMLError:
        return None
    status = parsed.get("status") if isinstance(parsed, dict) else None
    return status.strip() if isinstance(status, str) and status.strip() else None


@settings(max_examples=400)
@given(_imr_files())
@example("status: submitted\nstatus: draft\n")
@example("status:\n  - submitted\n")
@example("agency: x\n? [a, b]\n: c\nstatus: draft\n")
@example("status: draft\n---\nstatus: approved\n")
@example("status: '  '\n")
def test_a_committed_status_is_read_as_pyyaml_reads_the_whole_file(text: str) -> None:
    data = text.encode()
    assert _status(data) == _status_as_pyyaml_reads_it(data)
