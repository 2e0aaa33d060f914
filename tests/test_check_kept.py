"""`sarflow check` keeps each review's findings under build/.cache and reuses them only while nothing they follow from
has changed: the files of the review, the board, the people every IMR names, the schemas, today's date, sarflow itself.

Every test compares what the command prints with a check of the same files from scratch.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import sarflow.load
from sarflow.check import check, reporters
from sarflow.cli import main
from sarflow.load import load

GP = "reviews/adult-a/gp-practice"


def checked(root: Path, *paths: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--root", str(root), "check", "--format", "json", *(str(root / p) for p in paths)])
    return code, out.getvalue()


def afresh(root: Path) -> str:
    return reporters.as_json(check(load(root)))


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the loader parses from now on, as the author sees their paths."""
    files: list[str] = []
    real = sarflow.load.read_yaml

    def reading(path: Path, shown: str) -> Any:
        files.append(shown)
        return real(path, shown)

    monkeypatch.setattr(sarflow.load, "read_yaml", reading)
    return files


def test_nothing_changed_reads_nothing(tmp_repo: Path, read: list[str]) -> None:
    first = checked(tmp_repo)
    assert read, "the first check reads the files"
    read.clear()
    assert checked(tmp_repo) == first
    assert read == []
    assert first[1] == afresh(tmp_repo)


def test_an_edit_rereads_only_its_review(tmp_repo: Path, read: list[str]) -> None:
    checked(tmp_repo)
    with (tmp_repo / GP / "narrative.md").open("a", encoding="utf-8") as text:
        text.write("\nThe GP saw her on the ward with the OT.\n")  # OT is in no glossary
    read.clear()
    out = checked(tmp_repo)[1]
    whole = {shown for shown in read if not shown.endswith(("board.yml", "/review.yml", "/imr.yml"))}  # what all share
    assert whole and all(shown.startswith("reviews/adult-a/") for shown in whole), whole
    assert out == afresh(tmp_repo) and "`OT` is used" in out


def test_a_name_added_in_another_review_is_found(tmp_repo: Path) -> None:
    """The people every imr.yml names are restricted everywhere: a change in adult-d's re-checks adult-a's text."""
    with (tmp_repo / GP / "narrative.md").open("a", encoding="utf-8") as text:
        text.write("\nJocasta Fernihough phoned the surgery.\n")
    before = checked(tmp_repo)[1]
    assert "Jocasta Fernihough" not in before
    imr = tmp_repo / "reviews/adult-d/housing/imr.yml"
    text = imr.read_text(encoding="utf-8")
    assert "\npersonnel:\n" in text
    imr.write_text(text.replace("\npersonnel:\n", "\npersonnel:\n  - {id: HO9, name: Jocasta Fernihough, role: Housing officer}\n"),
                   encoding="utf-8")
    after = checked(tmp_repo)[1]
    assert after == afresh(tmp_repo)
    assert any(f["file"] == f"{GP}/narrative.md" and f["code"] == "real-name" for f in json.loads(after))


def test_damaged_entries_are_discarded(tmp_repo: Path) -> None:
    first = checked(tmp_repo)
    entries = sorted((tmp_repo / "build/.cache/outputs").glob("*.json"))
    assert entries
    garbage = [b"", b"{", b"[]", json.dumps({"format": 1}).encode(), b"\xff\xfe"]
    for n, entry in enumerate(entries):
        kept = json.loads(entry.read_bytes())
        if n % 2:  # the right shape, but findings that are not findings
            kept["data"] = [{"severity": "fatal"}]
            entry.write_text(json.dumps(kept), encoding="utf-8")
        else:
            entry.write_bytes(garbage[n % len(garbage)])
    assert checked(tmp_repo) == first
    assert checked(tmp_repo) == first  # and written afresh


def test_a_later_day_is_checked_again(tmp_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SARFLOW_TODAY", "2026-11-26")
    first = checked(tmp_repo)[1]
    monkeypatch.setenv("SARFLOW_TODAY", "2027-01-26")
    later = checked(tmp_repo)[1]
    assert later != first and later == afresh(tmp_repo)  # an IMR is later, an action more overdue


def test_a_change_to_the_board_checks_every_review(tmp_repo: Path) -> None:
    for review in ("adult-a/gp-practice", "adult-d/housing"):
        with (tmp_repo / "reviews" / review / "narrative.md").open("a", encoding="utf-8") as text:
            text.write("\nThe OT came the next day.\n")
    before = checked(tmp_repo)[1]
    assert {f["file"] for f in json.loads(before) if "`OT`" in f["message"]} == {
        "reviews/adult-a/gp-practice/narrative.md", "reviews/adult-d/housing/narrative.md"}
    board = tmp_repo / "reviews/board.yml"
    board.write_text(board.read_text(encoding="utf-8").replace("settings:\n", "common_abbreviations: [OT]\nsettings:\n"),
                     encoding="utf-8")
    after = checked(tmp_repo)[1]
    assert after == afresh(tmp_repo) and "`OT`" not in after


def test_a_linked_output_folder_is_not_written_through(tmp_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (tmp_repo / "build").symlink_to(elsewhere, target_is_directory=True)
    assert checked(tmp_repo)[1] == afresh(tmp_repo)
    assert list(elsewhere.iterdir()) == []


def test_a_scoped_check_reuses_and_agrees(tmp_repo: Path) -> None:
    checked(tmp_repo)
    code, out = checked(tmp_repo, f"{GP}/narrative.md")
    assert json.loads(out) == [f for f in json.loads(afresh(tmp_repo)) if f["file"].startswith("reviews/adult-a/")]
    shutil.rmtree(tmp_repo / "build")
    assert checked(tmp_repo, f"{GP}/narrative.md") == (code, out)


def test_what_is_in_no_review_is_kept_too(tmp_repo: Path, root: Path) -> None:
    """reviews/board.yml, a file or a link directly in reviews/, mkdocs.yml and site/: one more entry, re-checked when they change."""
    shutil.copy(root / "mkdocs.yml", tmp_repo / "mkdocs.yml")
    shutil.copytree(root / "site", tmp_repo / "site", symlinks=True)
    assert checked(tmp_repo)[1] == afresh(tmp_repo)
    (tmp_repo / "reviews/notes.txt").write_text("minutes\n", encoding="utf-8")
    (tmp_repo / "reviews/adult-z").symlink_to(tmp_repo / "reviews/adult-a", target_is_directory=True)
    out = checked(tmp_repo)[1]
    assert out == afresh(tmp_repo)
    assert {"reviews/notes.txt", "reviews/adult-z"} <= {f["file"] for f in json.loads(out)}
    (tmp_repo / "site/extra.js").write_text("import(\"https://cdn.example.com/x.js\");\n", encoding="utf-8")  # a third party
    out = checked(tmp_repo)[1]
    assert out == afresh(tmp_repo) and "site/extra.js" in {f["file"] for f in json.loads(out)}


def test_who_is_restricted_in_an_unchanged_review_is_kept(tmp_repo: Path, read: list[str]) -> None:
    """After an edit to one review, the others' imr.yml files are read once for who they name, then kept."""
    narrative = tmp_repo / GP / "narrative.md"
    checked(tmp_repo)
    for n, sentence in enumerate(("The GP wrote to her.", "Bartholomew Quince visited her.")):  # housing's TO1, in adult-d
        with narrative.open("a", encoding="utf-8") as text:
            text.write(f"\n{sentence}\n")
        read.clear()
        out = checked(tmp_repo)[1]
        other = [shown for shown in read if shown.startswith("reviews/adult-d/")]
        assert (bool(other) if n == 0 else other == []), other
    assert any(f["file"] == f"{GP}/narrative.md" and f["code"] == "real-name" and "adult-d/housing" in f["message"]
               for f in json.loads(out))
    assert out == afresh(tmp_repo)
    for entry in (tmp_repo / "build/.cache/outputs").glob("*.json"):  # damaged: read again, never trusted
        kept = json.loads(entry.read_bytes())
        if kept["name"].startswith("check/people/"):
            kept["data"] = [{"where": "adult-d/housing", "staff": [[None]], "signatories": [], "family": []}]
            entry.write_text(json.dumps(kept), encoding="utf-8")
    with narrative.open("a", encoding="utf-8") as text:
        text.write("\nShe was seen again.\n")
    assert checked(tmp_repo)[1] == afresh(tmp_repo)
