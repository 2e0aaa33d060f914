"""A change to an approved or submitted IMR is flagged: at the top of the summary, by
`check --since` on the changed lines (an error when the board freezes approved IMRs), and on
the redline's cover. The case is the issue's: a sentence of the approved IMR's analysis
softened from "did not consider" to "may not have fully considered".
"""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from sarflow.dates import uk
from sarflow.model import Imr, Repository
from test_diff_repo import Repo, sarflow

SOFTENED = ("did not consider", "may not have fully considered")


def approved(example: Repository) -> Imr:
    return next(i for i in example.imrs() if i.status == "approved")


@pytest.fixture
def softened(tmp_repo: Path, example: Repository) -> tuple[Repo, str, str, str, int]:
    imr = approved(example)
    repo = Repo(tmp_repo)
    base = repo.commit("the worked example")
    rel = f"reviews/{imr.review_id}/{imr.agency_id}/analysis.md"
    lines = (tmp_repo / rel).read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if SOFTENED[0] in text)
    lines[line - 1] = lines[line - 1].replace(*SOFTENED)
    (tmp_repo / rel).write_text("\n".join(lines), encoding="utf-8")
    head = repo.commit("softened")
    return repo, base, head, rel, line


def test_the_summary_flags_the_approved_imr_first(softened, example: Repository) -> None:
    repo, base, head, _, _ = softened
    imr = approved(example)
    review = example.review(imr.review_id)
    assert review is not None and imr.approved_by and imr.approved_by.date
    code, out, err = sarflow(repo.root, "diff", base, head)
    assert code == 0, err
    lines = out.split("\n")
    assert lines[4] == "### ⚠ Changes an approved IMR: the sign-off no longer covers these words"
    assert lines[6] == (f"- {review.reference} ({review.id}): {review.agency_name(imr.agency_id)}: approved on "
                        f"{uk(imr.approved_by.date)} (changed by its own files)")
    code, out, _ = sarflow(repo.root, "diff", base, head, "--format", "json")
    (flagged,) = json.loads(out)["signed_off_changed"]
    assert (flagged["agency_id"], flagged["status"], flagged["approved"]) == (imr.agency_id, "approved", imr.approved_by.date.isoformat())


def test_check_since_warns_on_the_changed_line(softened) -> None:
    repo, base, _, rel, line = softened
    code, out, err = sarflow(repo.root, "check", "--since", base)
    assert code == 0, err  # a warning: the panel decides
    (found,) = [x for x in out.split("\n") if "signed-off-changed" in x]
    assert found.startswith(f"{rel}:{line}:1: warning[signed-off-changed]: line {line} changed since {base[:7]}, when this IMR was approved")
    assert found.endswith("its sign-off no longer covers these words")
    code, out, _ = sarflow(repo.root, "check")
    assert "signed-off-changed" not in out  # without --since nothing is compared


def test_check_since_is_an_error_where_the_board_freezes_approved_imrs(softened) -> None:
    repo, base, _, rel, line = softened
    board = repo.root / "reviews/board.yml"
    text = board.read_text(encoding="utf-8")
    assert "settings:\n" in text
    board.write_text(text.replace("settings:\n", "settings:\n  approved_frozen: true\n", 1), encoding="utf-8")
    code, out, err = sarflow(repo.root, "check", "--since", base, "--format", "github")
    assert code == 1, err
    assert f"::error file={rel},line={line},col=1,title=signed-off-changed::" in out


def test_a_draft_imr_changed_is_not_flagged(tmp_repo: Path, example: Repository) -> None:
    draft = next(i for i in example.imrs() if i.status == "draft")
    repo = Repo(tmp_repo)
    base = repo.commit("the worked example")
    narrative = tmp_repo / "reviews" / draft.review_id / draft.agency_id / "narrative.md"
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    head = repo.commit("a draft changed")
    code, out, _ = sarflow(tmp_repo, "diff", base, head, "--format", "json")
    assert code == 0 and json.loads(out)["signed_off_changed"] == []
    _, out, _ = sarflow(tmp_repo, "check", "--since", base)
    assert "signed-off-changed" not in out


def test_the_redline_cover_says_the_sign_off_no_longer_covers_it(softened, example: Repository, tmp_path: Path) -> None:
    repo, base, head, _, _ = softened
    imr = approved(example)
    out = tmp_path / "r.docx"
    code, _, err = sarflow(repo.root, "redline", base, head, f"{imr.review_id}/{imr.agency_id}", "-o", str(out))
    assert code == 0, err
    first = [p.text for p in docx.Document(str(out)).paragraphs[:3]]
    assert first[0] == "CHANGED SINCE APPROVED"
    assert first[1].startswith(f"This IMR was approved at commit {base[:7]}") and "sign off again" in first[1]
