"""The limits: each read from its environment variable when set, refused when that is not a number, and documented.

The reference page's table of limits gives each one's default and variable; it is
checked against `sarflow.limits`, so that the page cannot drift from what ships.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sarflow import limits
from sarflow.cli import main

PAGE = Path(__file__).resolve().parents[1] / "site/reference/checks.md"


def test_a_limit_is_its_default_unless_its_variable_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for limit in limits.LIMITS:
        monkeypatch.delenv(limit.variable, raising=False)
        assert limit() == limit.default
        monkeypatch.setenv(limit.variable, " 7 ")
        assert limit() == 7 and limit.shown() == f"7 {limit.unit}"


@pytest.mark.parametrize("setting", ["abc", "0", "-5", "1.5", "2 MB"])
def test_a_limit_set_to_something_else_stops_the_command_before_any_work(
    setting: str, tmp_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(limits.PANDOC_SECONDS.variable, setting)
    assert main(["--root", str(tmp_repo), "build", "--only", "docx", "--out", str(tmp_repo / "build")]) == 2
    said = capsys.readouterr().err
    assert f"{limits.PANDOC_SECONDS.variable}={setting!r} is not a limit: give a whole number of seconds" in said
    assert not (tmp_repo / "build").exists()


def test_the_reference_page_lists_every_limit_with_its_default() -> None:
    rows = re.findall(r"^\| [^|]+ \| ([^|]+) \| `(SARFLOW_LIMIT_\w+)` \|$", PAGE.read_text(encoding="utf-8"), re.M)
    assert sorted((variable, default.strip()) for default, variable in rows) == sorted(
        (limit.variable, f"{limit.default} {limit.unit}") for limit in limits.LIMITS
    )
