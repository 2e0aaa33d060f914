"""sarflow.collector: a command runs the cycle collector seldom, and leaves it as it was after, even
when the command fails (tests, and a program that calls `sarflow.cli.main`, go on in the same process)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from sarflow.cli import main
from sarflow.collector import THRESHOLDS, seldom


def test_seldom_inside_and_as_it_was_after_even_on_an_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), seldom():
        assert gc.get_threshold() == THRESHOLDS
        raise RuntimeError
    assert gc.get_threshold() == before


def test_a_command_leaves_the_collector_as_it_found_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = gc.get_threshold()
    assert main(["--root", str(tmp_path), "check"]) != 0  # no review repository here: an error, said plainly
    assert gc.get_threshold() == before
    assert "Traceback" not in capsys.readouterr().err
