"""`sarflow build --shard K/N`: N shares of the documents are disjoint and together the unsharded build.

A CI matrix builds one share per job and gathers them; the gathered documents must be
the ones a single build makes, byte for byte, and each job must pick the same share
on whatever runner it lands.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from sarflow.cli import main
from sarflow.model import Imr, Repository
from sarflow.shard import Shard, parse

DOCUMENTS = ["--only", "docx", "--only", "xlsx"]


def built(out: Path, *extra: str) -> dict[Path, bytes]:
    code = main(["--root", str(ROOT), "build", *DOCUMENTS, "--out", str(out), "--jobs", "1", *extra])
    assert code == 0
    return {p.relative_to(out): p.read_bytes() for p in sorted((out / "reviews").rglob("*.*x"))}


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, bytes]:
    """The documents of one unsharded build."""
    return built(tmp_path_factory.mktemp("whole"))


@pytest.mark.parametrize("count", [3])
def test_the_shares_are_disjoint_and_together_are_the_unsharded_build_byte_for_byte(
    whole: dict[Path, bytes], count: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shares = [built(tmp_path / str(k), "--shard", f"{k}/{count}") for k in range(1, count + 1)]
    said = capsys.readouterr().err
    gathered: dict[Path, bytes] = {}
    for share in shares:
        assert not set(share) & set(gathered), "a document was built by two shares"
        gathered.update(share)
    assert gathered == whole
    for k in range(1, count + 1):
        assert f"sarflow build: shard {k}/{count} builds " in said
    assert not any((tmp_path / str(k) / "site").exists() for k in range(1, count + 1)), "a share builds no site"


ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)


@settings(deadline=None)  # under load a case can take longer than hypothesis's default 200 ms
@given(
    reviews=st.dictionaries(ids, st.lists(ids, min_size=1, max_size=5, unique=True), min_size=1, max_size=12),
    added=st.dictionaries(ids, st.lists(ids, min_size=1, max_size=5, unique=True), min_size=1, max_size=4),
    count=st.integers(min_value=1, max_value=9),
)
def test_every_imr_falls_in_one_share_and_adding_reviews_moves_no_other(
    example: Repository, reviews: dict[str, list[str]], added: dict[str, list[str]], count: int
) -> None:
    model = example.imrs()[0]
    board = [replace(model, review_id=r, agency_id=a) for r, agencies in reviews.items() for a in agencies]
    more = board + [replace(model, review_id=r, agency_id=a) for r, agencies in added.items() if r not in reviews for a in agencies]

    def owners(imrs: list[Imr], pick: str) -> dict[tuple[str, str], list[int]]:
        found: dict[tuple[str, str], list[int]] = {}
        for k in range(1, count + 1):
            for imr in getattr(Shard(k, count), pick)(imrs):
                found.setdefault((imr.review_id, imr.agency_id), []).append(k)
        return found

    for pick in ("reports", "workbooks"):
        before, after = owners(board, pick), owners(more, pick)
        assert sorted(before) == sorted((i.review_id, i.agency_id) for i in board)
        assert all(len(ks) == 1 for ks in after.values()), "an IMR in two shares"
        assert {key: after[key] for key in before} == before, "adding a review moved another's documents"
    workbooks = owners(more, "workbooks")
    for review in {imr.review_id for imr in more}:
        assert len({k for (r, _), (k,) in workbooks.items() if r == review}) == 1, "a review's workbooks split"


def test_each_run_on_any_machine_picks_the_same_share(example: Repository) -> None:
    """The share does not hang on Python's per-process hash seed (as hash() of a string does)."""
    program = (
        "import sys; from pathlib import Path; from sarflow.load import load; from sarflow.shard import Shard; "
        "repo = load(Path(sys.argv[1])); "
        "print([[f'{i.review_id}/{i.agency_id}' for i in getattr(Shard(k, 3), p)(repo.imrs())] "
        "for p in ('reports', 'workbooks') for k in (1, 2, 3)])"
    )
    here = [[f"{i.review_id}/{i.agency_id}" for i in getattr(Shard(k, 3), p)(example.imrs())]
            for p in ("reports", "workbooks") for k in (1, 2, 3)]
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", program, str(ROOT)], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=60)
        assert done.stdout.strip() == str(here)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("0/2", "K must be from 1 to 2 (--shard 1/2 to --shard 2/2)"),
        ("3/2", "K must be from 1 to 2 (--shard 1/2 to --shard 2/2)"),
        ("-1/3", "K must be from 1 to 3 (--shard 1/3 to --shard 3/3)"),
        ("1/0", "N must be 1 or more, e.g. --shard 1/4 for the first of four"),
        ("a/b", "write K/N, the K-th of N shares, e.g. --shard 1/4"),
        ("2", "write K/N, the K-th of N shares, e.g. --shard 1/4"),
        ("", "write K/N, the K-th of N shares, e.g. --shard 1/4"),
        ("1/2/3", "write K/N, the K-th of N shares, e.g. --shard 1/4"),
    ],
)
def test_a_share_that_is_not_k_of_n_is_refused_saying_how_to_write_it(
    value: str, hint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--root", str(ROOT), "build", "--shard", value])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert f"sarflow build: error: argument --shard: {value!r} " in err and hint in err
    with pytest.raises(ValueError):
        parse(value)


def test_the_site_is_not_split_into_shares(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--root", str(ROOT), "build", "--only", "site", "--shard", "1/2", "--out", str(tmp_path)])
    assert code == 2
    assert "build the site once, without --shard (sarflow build --only site)" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_a_shard_without_only_builds_its_documents_and_no_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--root", str(ROOT), "build", "--shard", "1/1", "--out", str(tmp_path), str(ROOT / "reviews/adult-d")])
    assert code == 0
    assert "the site is built once, by sarflow build --only site" in capsys.readouterr().err
    assert list((tmp_path / "reviews").rglob("*.docx")) and not (tmp_path / "site").exists()
