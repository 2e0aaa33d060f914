"""Scripted git repositories for the diff and redline tests, and how `sarflow diff` treats
the repository itself: not a git repository, an unknown revision, no main branch, a review
repository inside a larger one, and author text that tries to format the summary.

The helpers here (Repo, edit_yaml, sarflow...) are imported by test_diff_summary.py and
test_redline_*.py.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from sarflow.cli import main
from sarflow.load.markdown import strip_comments

AUTHOR = ("Jo Author", "jo.author@example.org")


class Repo:
    """A git repository in a temporary folder, committed to by the test as an author would."""

    def __init__(self, root: Path) -> None:
        self.root = root
        if not (root / ".git").exists():
            self.git("init", "-q", "-b", "main")

    @classmethod
    def clone(cls, source: Path, target: Path) -> Repo:
        subprocess.run(["git", "clone", "-q", str(source), str(target)], check=True, capture_output=True)
        return cls(target)

    def git(self, *arguments: str) -> str:
        done = subprocess.run(
            ["git", "-c", f"user.name={AUTHOR[0]}", "-c", f"user.email={AUTHOR[1]}", "-c", "commit.gpgsign=false", *arguments],
            cwd=self.root, check=True, capture_output=True, text=True,
        )
        return done.stdout.strip()

    def commit(self, message: str, date: str | None = None) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, *(["--date", date] if date else []))
        return self.git("rev-parse", "HEAD")


def copy_example(source: Path, target: Path) -> Path:
    for name in ("reviews", "schema"):
        shutil.copytree(source / name, target / name)
    return target


def edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    """Change a YAML file's data as an author would, keeping its comments and layout."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)


def shorten_and_extend(section: Path, added: str) -> str:
    """The author's edit of a section: its first line of running text removed, `added` as a paragraph at the end;
    the line removed."""
    text = section.read_text(encoding="utf-8")
    removed = first_prose_line(text)
    section.write_text(text.replace(removed + "\n", "", 1).rstrip("\n") + "\n\n" + added + "\n", encoding="utf-8")
    return removed


def first_prose_line(text: str) -> str:
    """The first line of running text in a section: no heading, no guidance comment."""
    visible = strip_comments(text).split("\n")
    original = text.split("\n")
    return next(o for o, v in zip(original, visible, strict=False) if v.strip() and o == v and not v.startswith("#"))


def prose_words(text: str) -> int:
    """Words as a reader counts them: whitespace-separated, with at least one letter or digit."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def sarflow(root: Path, *arguments: str) -> tuple[int, str, str]:
    """Run the command line in this process; (exit code, standard output, standard error)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), *arguments])
    return code, out.getvalue(), err.getvalue()


def test_outside_a_git_repository_is_a_usage_error(tmp_repo: Path) -> None:
    code, out, err = sarflow(tmp_repo, "diff")
    assert code == 2 and out == ""
    assert "is not inside a git repository" in err and "git init" in err
    assert "Traceback" not in err


def test_an_unknown_revision_is_a_usage_error(tmp_repo: Path) -> None:
    repo = Repo(tmp_repo)
    repo.commit("example")
    for arguments in (("no-such-branch",), ("HEAD", "no-such-branch")):
        code, out, err = sarflow(tmp_repo, "diff", *arguments)
        assert code == 2 and out == ""
        assert "unknown revision 'no-such-branch'" in err and "git log --oneline" in err


def test_an_option_is_never_taken_for_a_revision(tmp_repo: Path) -> None:
    Repo(tmp_repo).commit("example")
    code, _, err = sarflow(tmp_repo, "diff", "--", "--output=/tmp/x")
    assert code == 2
    assert "is not a revision" in err


def test_without_main_the_working_tree_is_compared_with_head(tmp_repo: Path) -> None:
    repo = Repo(tmp_repo)
    repo.git("checkout", "-q", "-b", "trunk")
    head = repo.commit("example")
    repo.git("branch", "-q", "-D", "main") if "main" in repo.git("branch", "--list", "main") else None
    imr = next(p for p in sorted((tmp_repo / "reviews").glob("*/*/imr.yml")))
    edit_yaml(imr, lambda data: data.update(status="draft" if data["status"] != "draft" else "submitted"))
    code, out, err = sarflow(tmp_repo, "diff")
    assert code == 0, err
    assert f"Comparing `{head[:7]}` (HEAD) with the working tree." in out
    assert "- **IMR Status: " in out


def test_origin_main_is_the_base_when_there_is_no_local_main(tmp_repo: Path, tmp_path: Path) -> None:
    origin = Repo(tmp_repo)
    base = origin.commit("example")
    clone = Repo.clone(tmp_repo, tmp_path / "clone")
    clone.git("checkout", "-q", "-b", "feature")
    clone.git("branch", "-q", "-D", "main")
    code, out, err = sarflow(clone.root, "diff")
    assert code == 0, err
    assert f"Comparing `{base[:7]}` (the merge-base of HEAD and origin/main) with the working tree." in out


def test_a_review_repository_in_a_subfolder_and_a_revision_before_the_reviews(tmp_path: Path, root: Path) -> None:
    repo = Repo(tmp_path)
    (tmp_path / "README.md").write_text("a larger repository\n", encoding="utf-8")
    empty = repo.commit("before the reviews")
    copy_example(root, tmp_path / "safeguarding")
    head = repo.commit("the reviews")
    code, out, err = sarflow(tmp_path / "safeguarding", "diff", empty, head)
    assert code == 0, err
    assert ": new review" in out and ": new IMR" in out


def test_author_text_cannot_format_the_summary(tmp_repo: Path) -> None:
    repo = Repo(tmp_repo)
    base = repo.commit("example")
    chronology = next(p for p in sorted((tmp_repo / "reviews").glob("*/*/chronology.yml")))
    hostile = "<img src=x onerror=alert(1)> [click](https://example.org) **bold**"
    edit_yaml(chronology, lambda data: data["entries"].append({"date": "2024-05-01", "source": hostile, "event": "x"}))
    head = repo.commit("hostile source")
    code, out, err = sarflow(tmp_repo, "diff", base, head)
    assert code == 0, err
    line = next(x for x in out.split("\n") if x.startswith("  - added: 01/05/2024"))
    assert not re.search(r"(?<!\\)[<>\[\]()*]", line.split(", ", 1)[1])  # every special character escaped
    assert r"\<img src=x onerror=alert\(1\)\> \[click\]\(https:\/\/example.org\) \*\*bold\*\*" in line
