"""No symbolic link under reviews/ or site/ is ever followed, whatever it points to.

Each case plants a link as a careless or hostile author could commit it: a section file
pointing at /etc/passwd, /proc/self/environ or the repository's .git/config, and, just
as refused, a link to another file inside the repository. `check` must fail naming the
link (file:line), the IMR must not be built, nothing the link points to may reach an
output, and `diff` and `redline` must report the link instead of crashing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sarflow.load import load
from test_diff_repo import Repo, sarflow

ROOT = Path(__file__).resolve().parents[1]
IMR = "reviews/adult-a/gp-practice"
OTHER = "reviews/adult-a/acute-trust"


@pytest.fixture
def site_repo(tmp_repo: Path) -> Path:
    """tmp_repo with what the site is built from, too."""
    shutil.copytree(ROOT / "site", tmp_repo / "site")
    shutil.copy(ROOT / "mkdocs.yml", tmp_repo / "mkdocs.yml")
    return tmp_repo


def link_error(path: str) -> str:
    return f"{path}:1:1: error[symbolic-link]: {path} is a symbolic link; sarflow never follows a link"


def outputs_hold(folder: Path, marker: bytes) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and marker in p.read_bytes()]


# (where the link points, seen from the IMR folder; text that only the target holds)
TARGETS = {
    "/etc/passwd": ("/etc/passwd", b"root:"),
    "/proc/self/environ": ("/proc/self/environ", b"PATH="),
    ".git/config": ("../../../.git/config", b"sarflow-test-remote"),
    "a file inside the repository": ("../acute-trust/narrative.md", None),
    "a missing file": ("no-such-file.md", None),
}


@pytest.mark.parametrize("case", sorted(TARGETS))
def test_a_section_file_that_is_a_link_is_refused_and_never_reaches_the_report(tmp_repo: Path, case: str) -> None:
    target, marker = TARGETS[case]
    (tmp_repo / ".git").mkdir()
    (tmp_repo / ".git" / "config").write_text('[remote "origin"]\n\turl = sarflow-test-remote\n', encoding="utf-8")
    section = tmp_repo / IMR / "narrative.md"
    marker = marker or (tmp_repo / OTHER / "narrative.md").read_bytes().split(b"\n")[-2]
    section.unlink()
    os.symlink(target, section)
    code, out, _ = sarflow(tmp_repo, "check")
    assert code == 1
    assert link_error(f"{IMR}/narrative.md") in out
    assert [line for line in out.splitlines() if line.startswith(f"{IMR}/narrative.md:")] == [
        line for line in out.splitlines() if link_error(f"{IMR}/narrative.md") in line
    ], "one finding for the link, and no other about the file (it is not missing, and not read)"
    code, out, _ = sarflow(tmp_repo, "check", str(tmp_repo / IMR))
    assert code == 1 and link_error(f"{IMR}/narrative.md") in out, "checking the IMR alone reports it too"
    build = tmp_repo / "build"
    code, _, err = sarflow(tmp_repo, "build", "--only", "docx", str(tmp_repo / IMR))
    assert code == 1 and "not building adult-a/gp-practice" in err
    assert not list(build.rglob("*.docx"))
    assert outputs_hold(build, marker) == []


# Every place a link could stand under reviews/ and site/, as (the link, what it points to).
PLACES = {
    "board.yml": ("reviews/board.yml", "adult-a/review.yml"),
    "review.yml": ("reviews/adult-a/review.yml", "../board.yml"),
    "a review folder": ("reviews/adult-b", "adult-a"),
    "an IMR folder": ("reviews/adult-a/police", "gp-practice"),
    "an IMR data file": (f"{IMR}/actions.yml", "../acute-trust/actions.yml"),
    "a picture in an IMR subfolder": (f"{IMR}/pictures/plan.png", "/etc/hostname"),
    "an IMR subfolder": (f"{IMR}/pictures", "/etc"),
    "a hidden file": (f"{IMR}/.notes.md", "../acute-trust/narrative.md"),
    "a site page": ("site/leak.md", "../reviews/adult-a/gp-practice/narrative.md"),
    "a theme template": ("site/overrides/partials/leak.html", "/etc/passwd"),
}


@pytest.mark.parametrize("case", sorted(PLACES))
def test_a_link_anywhere_under_reviews_or_site_is_one_error_naming_it(site_repo: Path, case: str) -> None:
    shown, target = PLACES[case]
    link = site_repo / shown
    if link.is_file():
        link.unlink()
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link)
    code, out, _ = sarflow(site_repo, "check")
    assert code == 1
    assert out.count("error[symbolic-link]") == 1 and link_error(shown) in out, out


def test_a_linked_review_or_imr_folder_is_not_loaded(tmp_repo: Path) -> None:
    os.symlink("adult-a", tmp_repo / "reviews" / "adult-b")
    os.symlink("gp-practice", tmp_repo / "reviews" / "adult-a" / "police")
    repo = load(tmp_repo)
    ids = [r.id for r in repo.reviews]
    assert "adult-b" not in ids and "adult-a" in ids
    assert "police" not in repo.review("adult-a").imrs


def test_a_linked_reviews_folder_is_a_set_up_error(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "reviews", tmp_path / "real-reviews")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    os.symlink("real-reviews", tmp_path / "reviews")
    code, out, err = sarflow(tmp_path, "check")
    assert code == 2 and out == ""
    assert "reviews is a symbolic link" in err and "Traceback" not in err


def test_a_link_under_site_is_never_published(site_repo: Path) -> None:
    narrative = (site_repo / IMR / "narrative.md").read_text(encoding="utf-8")
    sentence = next(line for line in narrative.splitlines() if len(line) > 40 and not line.startswith(("#", "<")))
    os.symlink("../reviews/adult-a/gp-practice/narrative.md", site_repo / "site" / "leak.md")
    code, _, err = sarflow(site_repo, "build", "--only", "site")
    assert code == 1
    assert "site/leak.md is a symbolic link: the site is not built" in err
    assert not (site_repo / "build" / "site").exists()
    assert outputs_hold(site_repo / "build", sentence[:40].encode()) == []


@pytest.fixture
def linked_history(tmp_repo: Path) -> Repo:
    """A repository whose last commit replaces a section file with a link to /etc/passwd."""
    repo = Repo(tmp_repo)
    repo.commit("the example")
    section = tmp_repo / IMR / "narrative.md"
    section.unlink()
    os.symlink("/etc/passwd", section)
    repo.commit("narrative.md made a link")
    return repo


def test_diff_reports_a_committed_link_instead_of_crashing(linked_history: Repo) -> None:
    code, out, err = sarflow(linked_history.root, "diff", "HEAD~1", "HEAD")
    assert code == 0, err
    assert f"{IMR}/narrative.md is a symbolic link, which sarflow never follows, so its changes are not listed" in out
    assert "root:" not in out


def test_redline_reports_a_committed_link_and_writes_nothing(linked_history: Repo) -> None:
    code, _out, err = sarflow(linked_history.root, "redline", "HEAD~1", "HEAD", "adult-a/gp-practice")
    assert code == 1
    assert link_error(f"{IMR}/narrative.md") in err and "not written" in err and "Traceback" not in err
    assert not (linked_history.root / "build" / "redline").exists()
