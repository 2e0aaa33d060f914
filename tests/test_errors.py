"""One error type: every exception sarflow raises is a SarflowError, printed once by the CLI with its exit code.

A maintainer who breaks the template file gets a set-up error (exit 2) that names the
file and line, never "internal error".
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sarflow.cli import main

PACKAGE = Path(__file__).resolve().parents[1] / "scripts/sarflow"
TEMPLATE = "schema/templates/sar9-v3.yml"


def test_every_exception_class_is_a_sarflow_error() -> None:
    """A class deriving straight from Exception anywhere but errors.py would escape the CLI's one handler."""
    stray = []
    for file in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(getattr(b, "id", None) in ("Exception", "BaseException") for b in node.bases):
                stray.append(f"{file.relative_to(PACKAGE)}: {node.name}")
    assert stray == ["errors.py: SarflowError"]


def run(root: Path, *argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(root), *argv])
    return code, capsys.readouterr().err


def break_template(root: Path, old: str, new: str) -> None:
    path = root / TEMPLATE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, needle: str) -> int:
    lines = (root / TEMPLATE).read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


@pytest.mark.parametrize("command", [["check"], ["build", "--only", "xlsx"], ["new", "imr", "adult-a", "housing"]])
def test_a_template_that_is_not_yaml_is_a_set_up_error_naming_its_line(
    tmp_repo: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # an unclosed quote, as a maintainer editing a section title might leave it
    text = (tmp_repo / TEMPLATE).read_text(encoding="utf-8")
    title = next(line for line in text.split("\n") if line.strip().startswith("title:"))
    break_template(tmp_repo, title, title.replace("title: ", 'title: "', 1))
    code, err = run(tmp_repo, *command, capsys=capsys)
    assert code == 2, err
    assert "internal error" not in err
    assert f"sarflow {command[0]}: {TEMPLATE}:" in err and "error[yaml-syntax]" in err
    assert not (tmp_repo / "reviews/adult-a/housing").exists()


def test_a_tab_in_the_template_names_the_line(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_template(tmp_repo, "\n  sheet:", "\n\tsheet:")
    code, err = run(tmp_repo, "check", capsys=capsys)
    assert code == 2 and "internal error" not in err
    assert f"{TEMPLATE}:{line_of(tmp_repo, chr(9) + 'sheet:')}:" in err


def test_a_template_not_saved_as_utf8_is_a_set_up_error(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_repo / TEMPLATE
    path.write_bytes(path.read_bytes().replace(b"Safeguarding", "Safeguarding \u00a3".encode("cp1252"), 1))
    code, err = run(tmp_repo, "check", capsys=capsys)
    assert code == 2 and "internal error" not in err
    assert f"{TEMPLATE}:" in err and "error[not-utf8]" in err


def test_a_template_missing_a_part_names_it(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_template(tmp_repo, "\naction_plan:", "\naction_plan_renamed:")
    code, err = run(tmp_repo, "check", capsys=capsys)
    assert code == 2 and "internal error" not in err
    assert f"{TEMPLATE}:" in err and "error[missing-key]: the file has no `action_plan`" in err


def test_an_unknown_template_is_reported_with_its_code(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    board = tmp_repo / "reviews/board.yml"
    board.write_text(board.read_text(encoding="utf-8").replace("SAR9 V3", "SAR9 V4"), encoding="utf-8")
    code, err = run(tmp_repo, "check", capsys=capsys)
    assert code == 2
    assert "reviews/board.yml:" in err and "error[unknown-template]: the template 'SAR9 V4' is not in schema/templates/" in err


def test_a_usage_error_is_printed_once_with_the_command_name(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(tmp_repo, "import", "action-plan", "nowhere.xlsx", "adult-a", capsys=capsys)
    assert code == 2
    assert err == "sarflow import: 'adult-a' is not REVIEW/AGENCY, e.g. adult-a/police\n"
