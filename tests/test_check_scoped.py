"""`sarflow check PATH ...` (and the pre-commit hook, which passes the staged files) checks the
reviews the paths are in, reads only those, and finds there exactly what the whole check finds.

A change to one file of a review can cause a problem in another of its files, so the reviews the
paths are in are checked whole; a review no path is in is neither read nor reported (only its IMRs'
imr.yml, for the people they name, are read: what is restricted is restricted everywhere).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sarflow.load
from sarflow.check import check, reporters
from sarflow.cli import main
from sarflow.load import load
from sarflow.scope import Scope, affected

ROOT = Path(__file__).resolve().parents[1]
TRUST, ASC, GP = "reviews/adult-a/acute-trust", "reviews/adult-a/adult-social-care", "reviews/adult-a/gp-practice"
HOUSING = "reviews/adult-d/housing"


def scoped(root: Path, *paths: str) -> tuple[int, list[dict[str, Any]]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--root", str(root), "check", "--format", "json", *(str(root / p) for p in paths)])
    return code, json.loads(out.getvalue())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def copy(into: Path) -> Path:
    for name in ("reviews", "schema"):
        shutil.copytree(ROOT / name, into / name)
    return into


def plant(root: Path) -> Path:
    """Mistakes whose findings fall in files other than the one changed, in both reviews."""
    edit(root / "reviews/adult-a/review.yml", "- id: Q2", "- id: Q12")  # every IMR's analysis answers a Q2 that is gone
    edit(root / TRUST / "imr.yml", "- id: DN1", "- id: DN7")  # the social workers' chronology names acute-trust/DN1
    with (root / GP / "narrative.md").open("a", encoding="utf-8") as text:  # a name from the other review's staff
        text.write("\nLeofric Ambersley was told the next day.\n")
    with (root / HOUSING / "chronology.yml").open("a", encoding="utf-8") as text:
        text.write("  - date: [\n")
    return root


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return plant(copy(tmp_path_factory.mktemp("planted")))


def test_a_question_renamed_in_review_yml_is_found_in_the_analyses(planted: Path) -> None:
    code, found = scoped(planted, "reviews/adult-a/review.yml")
    assert code == 1
    assert {f["file"] for f in found if "Q2" in f["message"]} >= {f"{TRUST}/analysis.md", f"{ASC}/analysis.md"}


def test_a_staff_id_renamed_is_found_in_another_agencys_chronology(planted: Path) -> None:
    _, found = scoped(planted, f"{TRUST}/imr.yml")
    assert any(f["file"] == f"{ASC}/chronology.yml" and "acute-trust/DN1" in f["message"] for f in found), found


def test_a_name_from_another_review_is_still_restricted(planted: Path) -> None:
    _, found = scoped(planted, f"{GP}/narrative.md")
    assert any(f["file"] == f"{GP}/narrative.md" and f["code"] == "real-name" and "adult-d/housing" in f["message"]
               for f in found), found


def test_an_untouched_review_is_neither_read_nor_reported(planted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real_yaml, real_section = sarflow.load.read_yaml, sarflow.load.read_section

    def reading_yaml(path: Path, shown: str) -> Any:
        read.append(shown)
        return real_yaml(path, shown)

    def reading_section(path: Path, shown: str, section_id: str) -> Any:
        read.append(shown)
        return real_section(path, shown, section_id)

    monkeypatch.setattr(sarflow.load, "read_yaml", reading_yaml)
    monkeypatch.setattr(sarflow.load, "read_section", reading_section)
    shutil.rmtree(planted / "build", ignore_errors=True)  # what earlier checks kept (sarflow.recheck): read afresh
    _, found = scoped(planted, f"{GP}/narrative.md")
    assert found and all(f["file"].startswith("reviews/adult-a/") for f in found)
    assert not any(f"{HOUSING}/chronology.yml" == f["file"] for f in found)  # its broken YAML is not reported
    other = [shown for shown in read if shown.startswith("reviews/adult-d/")]
    assert other and all(shown.endswith(("/review.yml", "/imr.yml")) for shown in other), other
    assert any(shown.startswith("reviews/adult-a/") and shown.endswith(".md") for shown in read)


def test_board_yml_stands_for_every_review(planted: Path) -> None:
    _, found = scoped(planted, "reviews/board.yml")
    assert {f["file"].split("/")[1] for f in found} == {"adult-a", "adult-d"}


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "reviews").rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def wholes(planted: Path) -> Iterator[dict[Path, list[Any]]]:
    yield {root: check(load(root)) for root in (ROOT, planted)}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), which=st.sampled_from(["example", "planted"]))
def test_a_scoped_check_finds_what_the_whole_check_finds_there(data: st.DataObject, which: str, planted: Path,
                                                               wholes: dict[Path, list[Any]]) -> None:
    root = ROOT if which == "example" else planted
    chosen = data.draw(st.lists(st.sampled_from(_files(root)), min_size=1, max_size=4, unique=True))
    code, found = scoped(root, *chosen)
    scope = Scope(root, affected(root, [root / p for p in chosen]))
    expected = json.loads(reporters.as_json([f for f in wholes[root] if scope.keeps(f)]))
    assert found == expected
    assert code == (1 if any(f["severity"] == "error" for f in expected) else 0)

