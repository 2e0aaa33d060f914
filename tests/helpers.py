"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML


def edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    """Change a review file as an author would: comments, key order and quotes kept."""
    yaml = YAML()
    yaml.preserve_quotes = True
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def column_titled(ws: Any, title: str, row: int) -> str:
    """The letter of the column headed `title` in `row`: the review's combined plan leads with
    columns of its own (the reference and the agency), so a template column's place differs."""
    for cell in ws[row]:
        if cell.value == title:
            return cell.column_letter
    raise AssertionError(f"no column headed {title!r} in row {row} of {ws.title}")
