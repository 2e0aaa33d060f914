"""The Markdown of several IMRs is read in one pandoc run, and each IMR still meets the limits on its own.

Reading in one run gives the very text that reading alone gives; a hostile IMR among
others is stopped with its own error, naming its section, while the reports of the IMRs
read before and after it in the same run are built.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarflow import docx as report
from sarflow import limits
from sarflow.cache import Cache
from sarflow.docx import batches
from sarflow.findings import Severity
from sarflow.load import load
from sarflow.word import pandoc

ROOT = Path(__file__).resolve().parents[1]


def reading_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many IMRs each reading run of pandoc was given (the runs themselves are real)."""
    seen: list[int] = []
    real = pandoc._run

    def counted(args: list[str], stdin: bytes) -> bytes:
        if args[:1] == ["lua"] and b'"imrs"' in stdin:
            seen.append(len(json.loads(stdin)["imrs"]))
        return real(args, stdin)

    monkeypatch.setattr(pandoc, "_run", counted)
    return seen


sections = st.dictionaries(
    st.sampled_from(["introduction", "narrative", "analysis", "lessons"]),
    st.text(alphabet="ab *_[]#-\n1.", max_size=60),
    max_size=4,
)


@settings(max_examples=15, deadline=None)
@given(st.lists(sections, min_size=1, max_size=pandoc.READ_AT_ONCE + 3))
def test_reading_several_imrs_in_one_run_gives_what_reading_each_alone_gives(texts: list[dict[str, str]]) -> None:
    together = pandoc.read_many(texts)
    alone = [pandoc.read_many([text])[0] for text in texts[:3]]  # each alone: a run of its own
    assert together[:3] == alone
    assert all(not isinstance(read, pandoc.PandocError) for read in together)
    assert [sorted(read[1]) for read in together if not isinstance(read, pandoc.PandocError)] == [sorted(t) for t in texts]


def test_a_run_that_comes_to_the_text_limit_ends_and_the_rest_are_read_in_another(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.PANDOC_TEXT_MB.variable, "1")
    texts = [{"narrative": f"IMR {n}: " + "word " * 20_000} for n in range(5)]  # each under the limit, two over it
    runs = reading_runs(monkeypatch)
    reads = pandoc.read_many(texts)
    assert runs[0] == 5 and len(runs) > 1, runs
    assert reads == [pandoc.read_many([text])[0] for text in texts]


def test_the_example_s_reports_are_read_in_one_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = load(ROOT)
    runs = reading_runs(monkeypatch)
    found = report.build(repo, repo.imrs(), tmp_path, jobs=1)
    assert not [f for f in found if f.severity is Severity.ERROR]
    assert runs == [len(repo.imrs())]
    assert len(list((tmp_path / "reviews").rglob("*.docx"))) == len(repo.imrs())


def test_a_hostile_imr_among_others_is_stopped_alone_and_the_others_are_built(
    tmp_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(limits.PANDOC_SECONDS.variable, "3")
    repo = load(tmp_repo)
    imrs = repo.imrs()
    hostile = imrs[len(imrs) // 2]
    (hostile.folder / "narrative.md").write_text("[" * 1_000_000 + "\n", encoding="utf-8")
    repo = load(tmp_repo)
    runs = reading_runs(monkeypatch)
    found = [f for f in report.build(repo, repo.imrs(), tmp_repo / "build", jobs=1) if f.severity is Severity.ERROR]
    where = (hostile.folder / "narrative.md").relative_to(tmp_repo).as_posix()
    assert [(f.code, str(f.span)) for f in found] == [("docx-timed-out", f"{where}:1:1")]
    built = {(p.parent.parent.name, p.parent.name) for p in (tmp_repo / "build" / "reviews").rglob("*.docx")}
    assert built == {(imr.review_id, imr.agency_id) for imr in imrs if imr is not hostile}
    assert runs[0] == len(imrs) and 1 in runs, runs  # the hostile one read again alone


@pytest.mark.parametrize(("count", "jobs"), [(1, 1), (5, 2), (16, 2), (40, 2), (40, 1), (3, 8)])
def test_the_reports_are_shared_among_the_jobs_in_order(count: int, jobs: int) -> None:
    imrs: list[Any] = list(range(count))
    made = batches(imrs, jobs)
    assert [i for batch in made for i in batch] == imrs
    assert all(0 < len(batch) <= pandoc.READ_AT_ONCE for batch in made)
    assert len(made) >= min(jobs, count)


def test_only_the_reports_not_up_to_date_are_read(tmp_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the cache, a report left as it is costs no reading: the one IMR changed is read alone."""
    out = tmp_repo / "build"
    repo = load(tmp_repo)
    report.build(repo, repo.imrs(), out, jobs=1, cache=Cache(out, tmp_repo))
    changed = repo.imrs()[-1]
    with (changed.folder / "narrative.md").open("a", encoding="utf-8") as narrative:
        narrative.write("\nOne more sentence.\n")
    repo = load(tmp_repo)
    runs = reading_runs(monkeypatch)
    cache = Cache(out, tmp_repo)
    assert report.build(repo, repo.imrs(), out, jobs=2, cache=cache) == []
    assert runs == [1]
    assert cache.recorded == [f"docx/{changed.review_id}/{changed.agency_id}"]
    assert len(cache.hits) == len(repo.imrs()) - 1
