"""A change outside an IMR's own files that alters its Word report: named in the summary and
the JSON (found by building both sides, not by path), and given a redline that names the cause.

Each case commits, in a throwaway copy of the worked example, a change an administrator or
the board could make (a quality-assurance criterion deleted from the template, a question of
the terms of reference reworded, a page of the site), or compares with a revision whose
template this version of sarflow cannot read, and reads what the panel sees.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
import pytest
from lxml import etree

from sarflow.load import load
from sarflow.model import Repository
from test_diff_repo import Repo, copy_example, sarflow

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = "schema/templates/sar9-v3.yml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def texts(body: etree._Element, tag: str) -> str:
    return " ".join(t.text or "" for t in body.iter(f"{W}{tag}"))


@pytest.fixture(scope="module")
def criterion_deleted(tmp_path_factory: pytest.TempPathFactory, example: Repository) -> tuple[Repo, str, str, str]:
    """The template loses its second quality-assurance criterion, which every IMR's report lists."""
    root = tmp_path_factory.mktemp("criterion")
    copy_example(ROOT, root)
    repo = Repo(root)
    base = repo.commit("the worked example")
    criterion = example.template.criteria[1]
    path = root / TEMPLATE
    lines = path.read_text(encoding="utf-8").split("\n")
    (line,) = [x for x in lines if f"id: {criterion.id}," in x]
    path.write_text("\n".join(x for x in lines if x != line), encoding="utf-8")
    head = repo.commit("a criterion deleted from the template")
    return repo, base, head, criterion.text


def test_a_template_change_names_every_imr_whose_report_it_changes(criterion_deleted, example: Repository) -> None:
    repo, base, head, _ = criterion_deleted
    code, out, err = sarflow(repo.root, "diff", base, head)
    assert code == 0, err
    lines = out.split("\n")
    imrs = [(review, imr) for review in example.reviews for imr in review.imrs.values()]  # every review's
    start = lines.index(next(x for x in lines if x.startswith("**They change the Word reports of")))
    assert lines[start] == f"**They change the Word reports of {len(imrs)} IMRs** (built both ways and compared; " \
                           "a redline of each is attached to the run):"
    listed = lines[start + 2:start + 2 + len(imrs)]
    assert sorted(listed) == sorted(f"- {r.reference} ({r.id}): {r.agency_name(i.agency_id)} ({i.status}): changed by {TEMPLATE}"
                                    for r, i in imrs)
    assert lines.index(f"- changed: {TEMPLATE}") < start < lines.index("No changes to the review files.")
    code, out, err = sarflow(repo.root, "diff", base, head, "--format", "json")
    assert sorted((d["review_id"], d["agency_id"], tuple(d["causes"])) for d in json.loads(out)["documents_changed"]) == \
        sorted((i.review_id, i.agency_id, (TEMPLATE,)) for _, i in imrs)


def test_every_imr_whose_report_changed_gets_a_redline_naming_the_cause(criterion_deleted, example: Repository, tmp_path: Path) -> None:
    repo, base, head, text = criterion_deleted
    code, _, err = sarflow(repo.root, "redline", base, head, "-o", str(tmp_path))
    assert code == 0, err
    written = sorted(tmp_path.rglob("*.docx"))
    assert sorted(p.parent.name for p in written) == sorted(i.agency_id for i in example.imrs())
    for path in written:
        body = docx.Document(str(path)).element.body
        first = " ".join(texts(p, "t") for p in list(body.iter(f"{W}p"))[:8])
        assert f"This report was changed by: {TEMPLATE}." in first
        assert text in texts(body, "delText")  # the criterion's row is shown deleted
        assert text not in texts(body, "t")


def test_a_reworded_question_names_the_review_file_as_the_cause(tmp_repo: Path, example: Repository) -> None:
    repo = Repo(tmp_repo)
    base = repo.commit("the worked example")
    path = tmp_repo / "reviews/adult-a/review.yml"
    question = example.reviews[0].terms_of_reference.questions[0]
    first_words = " ".join((question.text or "").split()[:4])
    text = path.read_text(encoding="utf-8")
    assert first_words.split()[-1] in text
    path.write_text(re.sub(r"How well did your agency recognise", "How far did your agency recognise", text, count=1), encoding="utf-8")
    head = repo.commit("question reworded")
    code, out, err = sarflow(tmp_repo, "diff", base, head, "--format", "json")
    assert code == 0, err
    found = json.loads(out)
    assert {d["agency_id"] for d in found["documents_changed"]} == set(example.reviews[0].imrs)
    assert all(d["causes"] == ["reviews/adult-a/review.yml"] for d in found["documents_changed"])
    assert found["outside_reviews"] == []
    code, out, _ = sarflow(tmp_repo, "diff", base, head)
    assert f"### Word reports changed by files other than the IMRs' own: {len(example.reviews[0].imrs)} IMRs" in out


def test_a_change_to_the_site_changes_no_report(tmp_repo: Path) -> None:
    repo = Repo(tmp_repo)
    shutil.copytree(ROOT / "site", tmp_repo / "site")
    base = repo.commit("the worked example")
    (tmp_repo / "site" / "help.md").write_text("# Help\n\nRewritten.\n", encoding="utf-8")
    head = repo.commit("a page of the site")
    code, out, err = sarflow(tmp_repo, "diff", base, head, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["documents_changed"] == [] and json.loads(out)["signed_off_changed"] == []


def test_a_revision_whose_template_this_sarflow_cannot_read_is_explained_not_a_crash(tmp_repo: Path, tmp_path: Path) -> None:
    """An older template lacked a key sarflow now needs ('the template is missing good_practice')."""
    repo = Repo(tmp_repo)
    path = tmp_repo / TEMPLATE
    current = path.read_text(encoding="utf-8")
    path.write_text("\n".join(x for x in current.split("\n") if not x.startswith("good_practice:")), encoding="utf-8")
    with pytest.raises(Exception, match="good_practice"):
        load(tmp_repo)
    base = repo.commit("an older template")
    path.write_text(current, encoding="utf-8")
    narrative = tmp_repo / "reviews/adult-a/gp-practice/narrative.md"
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\nA sentence added later.\n", encoding="utf-8")
    head = repo.commit("the template as it is now, and a sentence")
    code, out, err = sarflow(tmp_repo, "diff", base, head)
    assert code == 0, err
    (note,) = [x for x in out.split("\n") if x.startswith("⚠ the template at ")]
    assert "cannot be read by this version of sarflow" in note and "good\\_practice" in note
    assert "read with the current template" in note
    assert "Sections changed" in out
    code, out, err = sarflow(tmp_repo, "redline", base, head, "adult-a/gp-practice", "-o", str(tmp_path / "r.docx"))
    assert code == 0, err
    body = docx.Document(str(tmp_path / "r.docx")).element.body
    assert "cannot be read by this version of sarflow" in texts(body, "t")
    assert "A sentence added later." in texts(body, "t")
