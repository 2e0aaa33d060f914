"""What a build does beside check: the Word reports' text is read before check's errors are known, yet
every report still carries the errors of its own files, however the guess of what is up to date
turns out, and a check whose process dies is made again in the build.

The reports are read back with python-docx; the guess (`Cache.peek`) is wrong on purpose: a report
whose files are unchanged gets an error (as one does when a restricted name appears in another
review), with its neighbours' texts read ahead in front of it.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx as python_docx
import pytest

import sarflow.docx as reports_module
from conftest import ROOT
from sarflow.cache import Cache
from sarflow.cli import main
from sarflow.docx import Reports, file_name
from sarflow.findings import Span, error
from sarflow.load import BOARD_FILE, load
from sarflow.model import Imr, Repository
from sarflow.outputs import ERRORS_MARK, FileErrors, imr_dir


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("beside") / "repo"
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def report_text(repo: Repository, imr: Imr, out: Path) -> str:
    review = repo.review(imr.review_id)
    assert review is not None
    document = python_docx.Document(str(imr_dir(out, imr.review_id, imr.agency_id) / file_name(review, imr)))
    return "\n".join([p.text for p in document.paragraphs] + [p.text for s in document.sections for p in s.header.paragraphs])


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The IMRs whose text pandoc reads, as it reads them (the real reads, counted)."""
    seen: list[str] = []
    real: Callable[..., Any] = reports_module.read_texts

    def counted(imrs: list[Imr], *rest: Any) -> Any:
        seen.extend(f"{imr.review_id}/{imr.agency_id}" for imr in imrs)
        return real(imrs, *rest)

    monkeypatch.setattr(reports_module, "read_texts", counted)
    return seen


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_report_guessed_up_to_date_is_built_with_the_errors_check_then_finds(
    example: Path, tmp_path: Path, read: list[str], monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    repo = load(example)
    imrs = [imr for imr in repo.imrs() if imr.readable]
    first, rest = imrs[0], imrs[1:]
    out = tmp_path / "out"
    cache = Cache(out, example)
    assert reports_module.build(repo, imrs, out, FileErrors(example, BOARD_FILE), jobs, cache) == []
    assert ERRORS_MARK not in report_text(repo, first, out)
    for imr in rest:  # so that their text is read ahead, in front of the first one's
        cache.forget(f"docx/{imr.review_id}/{imr.agency_id}")
    read.clear()
    monkeypatch.setattr(reports_module, "AHEAD", 1)  # the texts read ahead fill the room for more

    wrong = error("time-format", "a time without its colon", Span(f"reviews/{first.review_id}/{first.agency_id}/chronology.yml", 3, 9))
    again = Cache(out, example)
    found: list[object] = []
    with Reports(repo, imrs, out, jobs, again) as reports:
        reports.read_ahead()
        builder = threading.Thread(target=lambda: found.append(reports.build(FileErrors(example, BOARD_FILE, (wrong,)))),
                                   daemon=True)
        builder.start()
        builder.join(timeout=300)
        assert not builder.is_alive(), "the build waits for a text it never starts reading"
    assert found == [[]]
    assert sorted(read) == sorted(f"{imr.review_id}/{imr.agency_id}" for imr in imrs)  # each read once, no more
    assert again.hits == [] and set(again.recorded) == {f"docx/{imr.review_id}/{imr.agency_id}" for imr in imrs}
    assert ERRORS_MARK in report_text(repo, first, out)
    assert all(ERRORS_MARK not in report_text(repo, imr, out) for imr in rest)


def test_a_report_read_ahead_but_up_to_date_after_all_is_left_as_it_is(example: Path, tmp_path: Path, read: list[str]) -> None:
    repo = load(example)
    imrs = [imr for imr in repo.imrs() if imr.readable]
    out = tmp_path / "out"
    assert reports_module.build(repo, imrs, out, None, 2, Cache(out, example)) == []
    read.clear()
    again = Cache(out, example)
    with Reports(repo, imrs, out, 2, again) as reports:
        reports.read_ahead()
        assert reports.build(None) == []
    assert read == [] and sorted(again.hits) == sorted(f"docx/{imr.review_id}/{imr.agency_id}" for imr in imrs)


def test_a_check_whose_process_dies_is_made_again_by_the_build(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sarflow.commands import build

    root = tmp_path / "repo"
    shutil.copytree(example, root)
    chronology = root / "reviews" / "adult-a" / "acute-trust" / "chronology.yml"
    chronology.write_text(chronology.read_text(encoding="utf-8").replace('time: "13:42"', "time: 1342", 1), encoding="utf-8")
    parent, real = os.getpid(), build.check_kept

    def dies_when_forked(*args: Any, **options: Any) -> Any:
        if os.getpid() != parent:
            os._exit(3)
        return real(*args, **options)

    monkeypatch.setattr(build, "check_kept", dies_when_forked)
    out = tmp_path / "out"
    assert main(["--root", str(root), "build", str(root / "reviews/adult-a/acute-trust"), "--only", "docx", "--jobs", "2", "--out", str(out)]) == 1
    said = capsys.readouterr().err
    assert "reviews/adult-a/acute-trust/chronology.yml:" in said and "Traceback" not in said
    repo = load(root)
    assert ERRORS_MARK in report_text(repo, repo.review("adult-a").imrs["acute-trust"], out)  # type: ignore[union-attr]
