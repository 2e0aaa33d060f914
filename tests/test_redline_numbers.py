"""`sarflow redline` and the Word report's paragraph numbers.

The report numbers each paragraph of a numbered section (6.1, 6.2...). A paragraph
added renumbers those after it, which is not the author's change and is not tracked;
but a figure an author wrote at the start of a paragraph ("2.5 mg of bisoprolol") is
text like any other, and changing it must show as a tracked change wherever it is:
in a list, in a table cell, or in a numbered paragraph.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from lxml import etree

from sarflow.load import load
from test_diff_repo import Repo, sarflow

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LIST = "The plan agreed at discharge:\n\n- {dose} mg of bisoprolol each morning.\n\n- {units} units of insulin at night.\n"
FIGURE = "{litres} litres of fluid a day was the target set by the dietitian."
ADDED = "A paragraph added at the start of the section by the scripted test."


def _text(element: etree._Element, tag: str = "t") -> str:
    return "".join(t.text or "" for t in element.iter(f"{{{W}}}{tag}"))


def _marked(paragraph: etree._Element, kind: str) -> list[str]:
    return [_text(c, "t" if kind == "ins" else "delText") for c in paragraph.findall(f".//w:{kind}", NS)]


@dataclass
class Story:
    root: Path
    ident: str
    name: str
    body: etree._Element


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Story:
    where = tmp_path_factory.mktemp("redline-numbers")
    for name in ("reviews", "schema"):
        shutil.copytree(root / name, where / name)
    repo = Repo(where)
    imr = next(i for i in load(where).imrs() if i.sections["narrative"].text.strip())
    folder = where / "reviews" / imr.review_id / imr.agency_id
    narrative = folder / "narrative.md"
    original = narrative.read_text(encoding="utf-8").rstrip("\n")
    narrative.write_text(f"{original}\n\n{FIGURE.format(litres='1.5')}\n\n{LIST.format(dose='2.5', units='10.5')}", encoding="utf-8")
    base = repo.commit("a figure at the start of a paragraph and of list items")
    # The head: a paragraph added first (every paragraph after it is renumbered) and the figures changed.
    narrative.write_text(f"{ADDED}\n\n{original}\n\n{FIGURE.format(litres='2.5')}\n\n{LIST.format(dose='5.0', units='12.5')}", encoding="utf-8")
    repo.commit("new figures")
    out = where / "numbers.docx"
    code, _, err = sarflow(where, "redline", base, "HEAD", f"{imr.review_id}/{imr.agency_id}", "-o", str(out))
    assert code == 0, err
    return Story(where, f"{imr.review_id}/{imr.agency_id}", out.name, docx.Document(str(out)).element.body)


@pytest.fixture(scope="module")
def redline(story: Story) -> etree._Element:
    return story.body


def _paragraph(body: etree._Element, needle: str) -> etree._Element:
    return next(p for p in body.iter(f"{{{W}}}p") if needle in _text(p) + _text(p, "delText"))


def test_a_figure_changed_at_the_start_of_a_list_item_is_tracked(redline: etree._Element) -> None:
    body = redline
    dose = _paragraph(body, "mg of bisoprolol")
    assert _marked(dose, "del") == ["2.5"] and _marked(dose, "ins") == ["5.0"]
    units = _paragraph(body, "units of insulin")
    assert _marked(units, "del") == ["10.5"] and _marked(units, "ins") == ["12.5"]


def test_a_figure_changed_at_the_start_of_a_numbered_paragraph_is_tracked(redline: etree._Element) -> None:
    body = redline
    figure = _paragraph(body, "litres of fluid")
    assert _marked(figure, "del") == ["1.5"] and _marked(figure, "ins") == ["2.5"]
    assert re.match(r"\d+\.\d+ ", _text(figure)), "the paragraph keeps its own number, untracked"


def test_renumbered_paragraphs_are_not_tracked_changes(redline: etree._Element) -> None:
    body = redline
    added = _paragraph(body, ADDED)
    assert re.fullmatch(r"\d+\.1 " + re.escape(ADDED), "".join(_marked(added, "ins")))
    paragraphs = list(body.iter(f"{{{W}}}p"))
    after = paragraphs[paragraphs.index(added) + 1 : paragraphs.index(_paragraph(body, "litres of fluid"))]
    numbered = [p for p in after if re.match(r"\d+\.\d+ ", _text(p))]
    assert numbered, "the paragraphs after the new one are numbered"
    assert not [p for p in numbered if p.findall(".//w:ins", NS) or p.findall(".//w:del", NS)]


def test_output_into_an_existing_folder_or_a_file_that_is_not_a_word_document(story: Story, tmp_path: Path) -> None:
    """-o may name a folder that exists (the document goes into it under its own name); a file
    that is not .docx is refused before anything is built, and nothing is left behind."""
    code, out, err = sarflow(story.root, "redline", "HEAD~1", "HEAD", story.ident, "-o", str(tmp_path))
    assert code == 0, err
    (written,) = tmp_path.iterdir()
    assert written.suffix == ".docx" and "(changes " in written.name and f"wrote {written}" in out
    code, out, err = sarflow(story.root, "redline", "HEAD~1", "HEAD", story.ident, "-o", str(tmp_path / "changes.txt"))
    assert code == 2 and out == ""
    assert "-o must name a .docx file or an existing folder" in err and "changes.txt" in err
    assert list(tmp_path.iterdir()) == [written]
