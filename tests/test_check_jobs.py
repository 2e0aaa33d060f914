"""`sarflow check --jobs N` checks the reviews in N processes side by side and finds exactly what one process finds,
in the same order; a build's repository, already loaded, is checked without loading it again.

The example has two reviews, fewer than a share is worth, so these tests copy them into a board of six and let
every review be a share of its own.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sarflow.check import check, reporters, rules, shares
from sarflow.cli import main
from sarflow.dates import today
from sarflow.errors import SarflowError
from sarflow.load import load
from sarflow.recheck import check_kept

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Six reviews, with mistakes in some: a name of one review's staff in another's text, a file that cannot be read."""
    for name in ("reviews", "schema"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for copy in ("adult-b", "adult-c"):
        shutil.copytree(tmp_path / "reviews/adult-a", tmp_path / "reviews" / copy)
    for copy in ("adult-e", "adult-f"):
        shutil.copytree(tmp_path / "reviews/adult-d", tmp_path / "reviews" / copy)
    with (tmp_path / "reviews/adult-e/housing/chronology.yml").open("a", encoding="utf-8") as text:
        text.write("  - date: [\n")
    imr = tmp_path / "reviews/adult-f/housing/imr.yml"
    imr.write_text(imr.read_text(encoding="utf-8").replace(
        "\npersonnel:\n", "\npersonnel:\n  - {id: HO9, name: Jocasta Fernihough, role: Housing officer}\n"), encoding="utf-8")
    with (tmp_path / "reviews/adult-b/gp-practice/narrative.md").open("a", encoding="utf-8") as text:
        text.write("\nJocasta Fernihough phoned the surgery.\n")
    monkeypatch.setattr(shares, "REVIEWS_A_JOB", 1)
    return tmp_path


def run(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), "check", *args])
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("form", ["text", "json"])
def test_two_processes_find_what_one_finds(board: Path, form: str) -> None:
    alone = run(board, "--format", form, "--jobs", "1")
    shutil.rmtree(board / "build")
    assert run(board, "--format", form, "--jobs", "2") == alone
    assert run(board, "--format", form, "--jobs", "3") == alone  # every review's findings kept from the run before
    assert "Jocasta Fernihough" in alone[1] and "adult-e/housing/chronology.yml" in alone[1]
    if form == "json":
        assert alone[1] == reporters.as_json(check(load(board)))


def test_a_loaded_repository_is_checked_as_the_files_are(board: Path) -> None:
    alone = check_kept(board, None, today(), jobs=1)
    shutil.rmtree(board / "build")
    assert check_kept(board, None, today(), jobs=2, repo=load(board)) == alone
    shutil.rmtree(board / "build")
    assert check_kept(board, [board / "reviews/adult-b"], today(), jobs=2, repo=load(board)) == [
        f for f in alone if f.span.path.startswith("reviews/adult-b/")]


def test_what_stops_a_process_stops_the_check_as_it_would_alone(board: Path) -> None:
    settings = board / "reviews/board.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("template: SAR9 V3", "template: SAR9 V9"), encoding="utf-8")
    alone = run(board, "--jobs", "1")
    assert alone[0] == 2 and "unknown-template" in alone[2]
    assert run(board, "--jobs", "2") == alone


def test_a_rule_that_fails_after_its_share_said_who_it_names_stops_the_check_as_it_would_alone(
    board: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A share says who its IMRs name, then runs its rules; one that fails there stops the check with its own
    words, even when the share's process has ended before it was told who is restricted (the telling is held
    back here a while, so that it always has)."""
    def fails(ctx: object) -> None:
        raise SarflowError("a rule could not read this review")

    monkeypatch.setattr(rules, "IMR_RULES", (fails, *rules.IMR_RULES))
    alone = run(board, "--jobs", "1")
    assert alone[0] != 0 and "a rule could not read this review" in alone[2], alone
    shutil.rmtree(board / "build", ignore_errors=True)
    real = Connection.send

    def late(self: Connection, value: object) -> None:
        if isinstance(value, list):  # who is restricted, told to a share by the check's own process
            time.sleep(0.5)
        real(self, value)

    monkeypatch.setattr(Connection, "send", late)
    assert run(board, "--jobs", "3") == alone


@pytest.mark.parametrize("jobs", ["0", "two", "-1"])
def test_jobs_is_a_whole_number_of_one_or_more(tmp_repo: Path, jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--root", str(tmp_repo), "check", f"--jobs={jobs}"])
    assert stopped.value.code == 2
    assert f"'{jobs}' is not a number of reviews to check at once: write 1 or more, e.g. --jobs 2" in capsys.readouterr().err


@given(reviews=st.integers(0, 40), jobs=st.integers(1, 8), outside=st.booleans())
def test_each_review_is_in_one_share_and_the_rest_in_the_first(reviews: int, jobs: int, outside: bool) -> None:
    names = [f"r{n}" for n in range(reviews)]
    places = [ROOT / "mkdocs.yml"] if outside else []
    dealt = shares._shares(names, places, ROOT, jobs)
    assert 1 <= len(dealt) <= max(1, min(jobs, reviews // shares.REVIEWS_A_JOB))
    assert sorted(name for share, _ in dealt for name in share) == sorted(names)
    for n, (share, folders) in enumerate(dealt):
        assert folders == [ROOT / "reviews" / name for name in share] + (places if n == 0 else [])
