"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML


@dataclass(frozen=True)
class Engine:
    """What differs between the sites the engines build, for the tests: the one place for it."""

    search_index: str  # the search index, from the site's root
    search_entries: str  # the key of the index's list of entries (each with its "text")
    search_result: str  # a search result on the page (Zensical's are in a shadow root, which Playwright enters)


# board.yml's `site: {engine}`: the tests of the built site run on each (conftest's `built_site`).
ENGINES = {
    "material": Engine("search/search_index.json", "docs", ".md-search-result__item"),
    "zensical": Engine("search.json", "items", "[role=option]"),
}


@dataclass(frozen=True)
class BuiltSite:
    engine: str
    folder: Path  # the built site (out/site)

    @property
    def marks(self) -> Engine:
        return ENGINES[self.engine]


def edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    """Change a review file as an author would: comments, key order and quotes kept."""
    yaml = YAML()
    yaml.preserve_quotes = True
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def rewrite(root: Path, rel: str, old: str, new: str) -> int:
    """An author's edit of one file of the copy at `root`: `old` (which must be there once) becomes `new`;
    the 1-based line where it starts."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def column_titled(ws: Any, title: str, row: int) -> str:
    """The letter of the column headed `title` in `row`: the review's combined plan leads with
    columns of its own (the reference and the agency), so a template column's place differs."""
    for cell in ws[row]:
        if cell.value == title:
            return cell.column_letter
    raise AssertionError(f"no column headed {title!r} in row {row} of {ws.title}")


def template_column(repo: Any, key: str) -> str:
    """The letter of the action plan's template column `key` in an agency's Action Plan workbook (the template's order)."""
    from openpyxl.utils import get_column_letter

    keys = [c.key for c in repo.template.action_plan.columns]
    return get_column_letter(keys.index(key) + 1)


def returned(workbooks: Path, imr: Any, tmp_path: Path, edit: Callable[[Any], None], name: str = "Action Plan.xlsx") -> Path:
    """The IMR's Action Plan workbook as the agency sends it back: built by sarflow, changed by `edit`, saved as `name`."""
    import openpyxl

    from sarflow.outputs import imr_dir
    from sarflow.xlsx.layout import ACTION_PLAN_FILE

    book = openpyxl.load_workbook(imr_dir(workbooks, imr.review_id, imr.agency_id) / ACTION_PLAN_FILE)
    edit(book)
    path = tmp_path / name
    book.save(path)
    return path
