"""Incremental builds: a change rebuilds exactly the outputs made from what it changed.

The example is built once into a scratch git repository; each case starts from a copy of
that built repository (at the same path, so that nothing but the case's change differs),
makes one change as a user would (an author's edit, a commit, a new day, the board's
administrator editing board.yml or the template, someone deleting or editing an output
by hand, a damaged cache) and builds again. Which outputs were made afresh is read from
the files themselves (a rewritten file has a new inode and modification time), not from
what the cache says.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT
from helpers import edit_yaml
from sarflow.cli import main

TODAY = dt.date(2026, 12, 2)
IMR = "adult-a/acute-trust"  # the IMR the authors' cases edit
OTHERS = ("adult-a/adult-social-care", "adult-a/gp-practice", "adult-d/adult-social-care", "adult-d/housing")
ALL_IMRS = (IMR, *OTHERS)
ALL = {*(f"docx/{i}" for i in ALL_IMRS), *(f"xlsx/{i}" for i in ALL_IMRS), "xlsx/adult-a", "xlsx/adult-d", "site"}


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Board", "GIT_AUTHOR_EMAIL": "board@example.invalid",
           "GIT_COMMITTER_NAME": "Board", "GIT_COMMITTER_EMAIL": "board@example.invalid",
           "GIT_AUTHOR_DATE": "2026-11-20T12:00:00+00:00", "GIT_COMMITTER_DATE": "2026-11-20T12:00:00+00:00"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, committed and built once, kept aside (each case works on a copy at `work`)."""
    base = tmp_path_factory.mktemp("incremental")
    work = base / "work"
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, work / name)
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "The example")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SARFLOW_TODAY", TODAY.isoformat())
        assert main(["--root", str(work), "build", "--jobs", "2"]) == 0
    work.rename(base / "pristine")
    return base / "pristine"


@pytest.fixture
def work(pristine: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the built example, where it was built."""
    target = pristine.parent / "work"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(pristine, target, symlinks=True)
    monkeypatch.setenv("SARFLOW_TODAY", TODAY.isoformat())
    return target


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    """Each output file (the documents and the site) and its inode and modification time."""
    found = {}
    for path in [*(out / "reviews").rglob("*"), *(out / "site").rglob("*")]:
        if path.is_file():
            status = path.stat()
            found[path.relative_to(out).as_posix()] = (status.st_ino, status.st_mtime_ns)
    return found


def output(path: str) -> str:
    """The output a file belongs to, named from its place: docx/<review>/<agency>, xlsx/<review>[/<agency>], site."""
    parts = path.split("/")
    if parts[0] == "site":
        return "site"
    kind = "docx" if path.endswith(".docx") else "xlsx"
    return f"{kind}/{'/'.join(parts[1:-1])}"


def rebuilt(root: Path, capsys: pytest.CaptureFixture[str], expected_code: int = 0) -> set[str]:
    """Build, and name the outputs the build wrote afresh (a file rewritten, added or removed)."""
    before = stamps(root / "build")
    capsys.readouterr()
    code = main(["--root", str(root), "build", "--jobs", "2"])
    said = capsys.readouterr()
    assert code == expected_code, said.err
    assert "Traceback" not in said.err + said.out
    after = stamps(root / "build")
    return {output(path) for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed_rebuilds_nothing_and_says_so(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = stamps(work / "build")
    capsys.readouterr()
    assert main(["--root", str(work), "build", "--jobs", "2"]) == 0
    said = capsys.readouterr().out
    assert stamps(work / "build") == before
    assert "sarflow build: built" not in said
    assert "sarflow build: nothing has changed since the last build, so nothing was built again" in said


def set_target_date(data: dict) -> None:  # type: ignore[type-arg]  # ruamel's loaded YAML
    data["actions"][0]["target_date"] = dt.date(2027, 1, 31)


def change_scope(data: dict) -> None:  # type: ignore[type-arg]  # ruamel's loaded YAML
    data["terms_of_reference"]["scope"] += " The panel also looks at the hospital discharge."


def rename_board(data: dict) -> None:  # type: ignore[type-arg]  # ruamel's loaded YAML
    data["name"] = "Southbridge Safeguarding Adults Board"


CASES: dict[str, tuple[Callable[[Path], object], set[str]]] = {
    # An author's edits: only what is made from the changed file.
    "a sentence added to a narrative": (
        lambda root: append(root / "reviews" / IMR / "narrative.md", "A sentence added to the narrative.\n"),
        {f"docx/{IMR}"}),
    "a narrative emptied but for a comment, an error (the site counts the sections written)": (
        lambda root: (root / "reviews" / IMR / "narrative.md").write_text("<!-- to be written -->\n", encoding="utf-8"),
        {f"docx/{IMR}", f"xlsx/{IMR}", "xlsx/adult-a", "site"}),
    "an action's target date": (
        lambda root: edit_yaml(root / "reviews" / IMR / "actions.yml", set_target_date),
        {f"docx/{IMR}", f"xlsx/{IMR}", "xlsx/adult-a", "site"}),
    "a chronology entry added": (
        lambda root: append(root / "reviews" / IMR / "chronology.yml",
                            '  - {date: 2025-11-01, source: "Ward notes", event: "An entry added by the author."}\n'),
        {f"docx/{IMR}", f"xlsx/{IMR}", "xlsx/adult-a"}),
    "an error in a section (the workbooks, made from other files, are marked)": (  # the site counts answers
        lambda root: replace(root / "reviews" / IMR / "analysis.md", "## Q1 ", "## Q9 "),
        {f"docx/{IMR}", f"xlsx/{IMR}", "xlsx/adult-a", "site"}),
    # The panel's and the board's files.
    "the review's terms of reference": (
        lambda root: edit_yaml(root / "reviews" / "adult-a" / "review.yml", change_scope),
        {*(f"docx/{i}" for i in ALL_IMRS[:3]), *(f"xlsx/{i}" for i in ALL_IMRS[:3]), "xlsx/adult-a", "site"}),
    "the board's name": (
        lambda root: edit_yaml(root / "reviews" / "board.yml", rename_board),
        {*(f"docx/{i}" for i in ALL_IMRS), "site"}),
    "the template (the administrator's comment)": (
        lambda root: append(root / "schema" / "templates" / "sar9-v3.yml", "# The board's own comment.\n"),
        ALL),
    # Outputs and the cache damaged by hand.
    "a Word report deleted": (
        lambda root: next((root / "build" / "reviews" / IMR).glob("*.docx")).unlink(),
        {f"docx/{IMR}"}),
    "a review's workbook edited by hand": (
        lambda root: (root / "build" / "reviews" / "adult-d" / "Action Plan.xlsx").write_bytes(b"edited in Excel"),
        {"xlsx/adult-d"}),
    "a site page edited by hand": (
        lambda root: append(root / "build" / "site" / "index.html", "<p>edited</p>"),
        {"site"}),
    "every cache entry garbled": (
        lambda root: [entry.write_bytes(b"\x00garbage{") for entry in (root / "build" / ".cache" / "outputs").iterdir()],
        ALL),
}


@pytest.mark.parametrize("case", CASES)
def test_a_change_rebuilds_exactly_what_is_made_from_it(work: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    change, expected = CASES[case]
    change(work)
    assert rebuilt(work, capsys, expected_code=1 if "error" in case else 0) == expected
    assert rebuilt(work, capsys, expected_code=1 if "error" in case else 0) == set()  # and then it is up to date


def test_a_narrative_saved_while_the_build_runs_is_built_again(
    work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sarflow.commands import build

    loaded = build.load

    def saved_just_after_reading(root: Path) -> object:
        repo = loaded(root)
        append(work / "reviews" / IMR / "narrative.md", "A sentence saved while the build ran.\n")
        return repo

    append(work / "reviews" / IMR / "narrative.md", "A sentence saved before the build.\n")  # so that it builds
    monkeypatch.setattr(build, "load", saved_just_after_reading)
    assert rebuilt(work, capsys) == {f"docx/{IMR}"}  # made from the narrative as it was read, without the new sentence
    monkeypatch.setattr(build, "load", loaded)
    assert rebuilt(work, capsys) == {f"docx/{IMR}"}


def test_a_new_day_rebuilds_the_documents_which_rate_the_actions_on_the_day(
    work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Word report counts the days an action is overdue, and the Action Plan's RAG column is the rating of
    the day of the build; the site is built again only if its pages changed."""
    monkeypatch.setenv("SARFLOW_TODAY", (TODAY + dt.timedelta(days=1)).isoformat())
    made = rebuilt(work, capsys)
    documents = ALL - {"site"}
    assert documents <= made <= ALL


def test_a_commit_rebuilds_the_report_whose_version_it_makes(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    append(work / "reviews" / IMR / "narrative.md", "A sentence added to the narrative.\n")
    assert rebuilt(work, capsys) == {f"docx/{IMR}"}  # version 1, with uncommitted changes
    git(work, "commit", "-q", "-am", "A sentence added")
    assert f"docx/{IMR}" in (made := rebuilt(work, capsys))  # version 2
    assert made <= {f"docx/{IMR}", "site"}  # the site shows when an IMR last changed
    git(work, "commit", "-q", "--allow-empty", "-m", "A commit that changes no review's file")
    assert rebuilt(work, capsys) <= {"site"}


def build_said(root: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--root", str(root), "build", "--jobs", "2", *options])
    said = capsys.readouterr()
    assert "Traceback" not in said.err + said.out
    return code, said.out, said.err


REPEATED = "nothing has changed since the last build, so nothing was built again"


def test_a_build_with_nothing_changed_says_again_what_the_last_one_said(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Check's errors are never hidden by a repeated build: it prints them again, with the summary and the exit code."""
    replace(work / "reviews" / IMR / "analysis.md", "## Q1 ", "## Q9 ")
    first = build_said(work, capsys)
    again = build_said(work, capsys)
    assert first[0] == again[0] == 1
    assert REPEATED not in first[1] and REPEATED in again[1]
    assert "error[" in first[2] and again[2] == first[2]  # the errors, the count, what was marked
    summary = [line for line in first[1].splitlines() if not line.startswith("sarflow build:")]
    assert summary and [line for line in again[1].splitlines() if not line.startswith("sarflow build:")] == summary


def edit_site_page(root: Path) -> None:
    page = next((root / "site").rglob("*.md"))
    append(page, "\nA line the board added.\n")


def commit_nothing(root: Path) -> None:
    git(root, "commit", "-q", "--allow-empty", "-m", "A commit")


def stage_a_change(root: Path) -> None:
    append(root / "reviews" / IMR / "narrative.md", "A sentence, committed.\n")
    git(root, "commit", "-q", "-am", "A sentence")


# Everything a build reads, changed one at a time: none of these may be answered by repeating the last build.
READ_CHANGES: dict[str, Callable[[Path], object]] = {
    "a narrative": lambda root: append(root / "reviews" / IMR / "narrative.md", "A sentence.\n"),
    "a new file in an IMR's folder": lambda root: (root / "reviews" / IMR / "picture.png").write_bytes(b"\x89PNG"),
    "the board's file": lambda root: edit_yaml(root / "reviews" / "board.yml", rename_board),
    "a page of the board's own on the site": edit_site_page,
    "a schema": lambda root: append(next((root / "schema").glob("*.json")), "\n"),
    "the site's configuration": lambda root: append(root / "mkdocs.yml", "\n# a comment\n"),
    "a commit": commit_nothing,
    "a committed change": stage_a_change,
    "an output deleted": lambda root: next((root / "build" / "reviews" / IMR).glob("*.docx")).unlink(),
    "an output edited": lambda root: append(root / "build" / "site" / "index.html", "<p>edited</p>"),
    "the build's record garbled": lambda root: [
        entry.write_bytes(b"{\"format\": 1, garbage") for entry in (root / "build" / ".cache" / "outputs").iterdir()],
}


@pytest.mark.parametrize("case", READ_CHANGES)
def test_a_change_to_anything_a_build_reads_or_wrote_builds_again(
    work: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert REPEATED in build_said(work, capsys)[1]
    READ_CHANGES[case](work)
    assert REPEATED not in build_said(work, capsys)[1]
    assert REPEATED in build_said(work, capsys)[1]  # and once built, the next is repeated again


def test_other_options_or_a_new_day_build_again(
    work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert REPEATED not in build_said(work, capsys, "--only", "site")[1]  # not what the whole build was asked
    assert REPEATED in build_said(work, capsys, "--only", "site")[1]
    assert REPEATED not in build_said(work, capsys, "reviews/adult-d")[1]
    monkeypatch.setenv("SARFLOW_TODAY", (TODAY + dt.timedelta(days=1)).isoformat())
    assert REPEATED not in build_said(work, capsys, "reviews/adult-d")[1]


def test_a_build_that_could_not_make_an_output_is_not_repeated(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Word report that could not be built (a picture from outside its folder) is tried again by the next build."""
    append(work / "reviews" / IMR / "narrative.md", "![A picture](../../board.yml)\n")
    first = build_said(work, capsys)
    assert first[0] == 1 and REPEATED not in first[1]
    second = build_said(work, capsys)
    assert second[0] == 1 and REPEATED not in second[1] and second[2].count("board.yml") >= 1
