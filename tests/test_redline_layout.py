"""The redline tracks words, not layout, and leaves Track Changes on for the panel's own edits.

A reflow (a section's sentences rewrapped onto other lines, the same words) is no tracked
change at all, where it made 28 of 32 revisions; and word/settings.xml switches tracking on,
so that a panel member who edits the redline in Word is tracked too.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from lxml import etree

from sarflow.model import Repository
from test_diff_repo import Repo, sarflow

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def redline_of(repo: Repo, base: str, ident: str, out: Path) -> Path:
    code, _, err = sarflow(repo.root, "redline", base, "HEAD", ident, "-o", str(out))
    assert code == 0, err
    return out


def test_a_reflow_is_no_tracked_change(tmp_repo: Path, example: Repository, tmp_path: Path) -> None:
    imr = max(example.imrs(), key=lambda i: len(i.sections["narrative"].text))
    repo = Repo(tmp_repo)
    base = repo.commit("the worked example")
    narrative = tmp_repo / "reviews" / imr.review_id / imr.agency_id / "narrative.md"
    text = narrative.read_text(encoding="utf-8")
    lines = text.split("\n")
    prose = [n for n, line in enumerate(lines[:-1]) if line and lines[n + 1] and not line.startswith(("#", "<", "-", ">"))
             and not lines[n + 1].startswith(("#", "<", "-", ">"))]
    assert prose, "the narrative has a paragraph of several lines"
    for n in reversed(prose[:3]):  # two lines of a paragraph joined into one
        lines[n : n + 2] = [f"{lines[n]} {lines[n + 1]}"]
    long = max(range(len(lines)), key=lambda n: len(lines[n]))  # and the longest line broken in two
    head, _, tail = lines[long].rpartition(" ")
    lines[long : long + 1] = [head, tail]
    narrative.write_text("\n".join(lines), encoding="utf-8")
    assert narrative.read_text(encoding="utf-8").split() == text.split()  # the same words, other lines
    repo.commit("reflowed")
    body = docx.Document(str(redline_of(repo, base, f"{imr.review_id}/{imr.agency_id}", tmp_path / "r.docx"))).element.body
    assert body.findall(f".//{{{W}}}ins") == [] and body.findall(f".//{{{W}}}del") == []


def test_track_changes_is_switched_on(tmp_repo: Path, example: Repository, tmp_path: Path) -> None:
    imr = example.imrs()[0]
    repo = Repo(tmp_repo)
    base = repo.commit("the worked example")
    narrative = tmp_repo / "reviews" / imr.review_id / imr.agency_id / "narrative.md"
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\nA sentence added.\n", encoding="utf-8")
    repo.commit("a sentence")
    out = redline_of(repo, base, f"{imr.review_id}/{imr.agency_id}", tmp_path / "r.docx")
    with zipfile.ZipFile(out) as archive:
        settings = etree.fromstring(archive.read("word/settings.xml"))
    assert settings.find(f"{{{W}}}trackRevisions") is not None
    assert docx.Document(str(out)).element.body.findall(f".//{{{W}}}ins")  # and the change itself is tracked
