"""`sarflow build --jobs N`: the Word reports and workbooks made several at once are the ones made one by one."""

from __future__ import annotations

import importlib
import os
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT
from sarflow.cli import main
from sarflow.load import load


def built(out: Path, jobs: str, capsys: pytest.CaptureFixture[str]) -> tuple[dict[Path, bytes], str, str]:
    code = main(["--root", str(ROOT), "build", "--only", "docx", "--only", "xlsx", "--out", str(out), "--jobs", jobs])
    said = capsys.readouterr()
    assert code == 0, said.err
    return {p.relative_to(out): p.read_bytes() for p in sorted((out / "reviews").rglob("*.*x"))}, said.out, said.err


def test_reports_and_workbooks_built_at_once_are_those_built_one_by_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alone = built(tmp_path / "one", "1", capsys)
    together = built(tmp_path / "three", "3", capsys)
    example = load(ROOT)
    imrs, reviews = len(example.imrs()), len(example.reviews)
    assert Counter(p.suffix for p in alone[0]) == {".docx": imrs, ".xlsx": 2 * (imrs + reviews)}  # two workbooks each
    assert together == alone  # the same files, bytes and messages, in the same order


@pytest.mark.parametrize("jobs", ["0", "-1", "two", ""])
def test_a_number_of_jobs_that_is_not_one_or_more_is_refused(jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--root", str(ROOT), "build", "--jobs", jobs])
    assert stopped.value.code == 2
    assert f"argument --jobs: {jobs!r} is not a number of IMRs to build at once: write 1 or more" in capsys.readouterr().err


@pytest.mark.parametrize("dies_in", ["sarflow.docx.build_imr", "sarflow.xlsx.books.workbooks"])
def test_a_build_process_that_dies_leaves_the_rest_to_the_build_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, dies_in: str
) -> None:
    """A copy of the build's process that dies while making one report or workbook (killed, out of memory)
    takes nothing with it: the build makes that one and the rest itself, the same files and messages."""
    alone = built(tmp_path / "one", "1", capsys)
    module, _, name = dies_in.rpartition(".")
    parent, real = os.getpid(), getattr(importlib.import_module(module), name)

    def dies_when_forked(*args: object) -> object:
        if os.getpid() != parent:
            os._exit(9)
        return real(*args)

    monkeypatch.setattr(importlib.import_module(module), name, dies_when_forked)
    assert built(tmp_path / "two", "2", capsys) == alone
