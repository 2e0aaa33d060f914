"""`sarflow redline` and the Word report's paragraph numbers.

The report numbers each paragraph of a numbered section (6.1, 6.2...). In the redline the
numbers are Word's own numbering (w:numPr on the paragraph, a definition "6.%1" in
numbering.xml), never text: a paragraph added renumbers those after it without a tracked
change, and rejecting it in Word numbers them as before;
but a figure an author wrote at the start of a paragraph ("2.5 mg of bisoprolol") is
text like any other, and changing it must show as a tracked change wherever it is:
in a list, in a table cell, or in a numbered paragraph.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from lxml import etree

from sarflow.load import load
from test_diff_repo import Repo, copy_example, sarflow

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
    numbering: etree._Element


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Story:
    where = tmp_path_factory.mktemp("redline-numbers")
    copy_example(root, where)
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
    with zipfile.ZipFile(out) as package:
        numbering = etree.fromstring(package.read("word/numbering.xml"))
    return Story(where, f"{imr.review_id}/{imr.agency_id}", out.name, docx.Document(str(out)).element.body, numbering)


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


def _number_id(paragraph: etree._Element) -> str | None:
    found = paragraph.find("w:pPr/w:numPr/w:numId", NS)
    return None if found is None else found.get(f"{{{W}}}val")


def _level_text(numbering: etree._Element, number_id: str) -> str:
    abstract = numbering.find(f"w:num[@w:numId='{number_id}']/w:abstractNumId", NS).get(f"{{{W}}}val")
    return numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl/w:lvlText", NS).get(f"{{{W}}}val")


def _untracked(paragraph: etree._Element) -> str:
    """The paragraph's text outside any tracked change."""
    return "".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t") if not any(a.tag == f"{{{W}}}ins" for a in t.iterancestors()))


def test_a_figure_changed_at_the_start_of_a_numbered_paragraph_is_tracked(story: Story) -> None:
    figure = _paragraph(story.body, "litres of fluid")
    assert _marked(figure, "del") == ["1.5"] and _marked(figure, "ins") == ["2.5"]
    assert _number_id(figure), "the paragraph keeps its number, as Word's numbering"
    assert _untracked(figure).startswith(" litres of fluid"), "and no number written as text"


def test_an_inserted_paragraph_is_numbered_by_word_and_renumbers_the_rest_untracked(story: Story) -> None:
    body = story.body
    added = _paragraph(body, ADDED)
    assert "".join(_marked(added, "ins")) == ADDED, "the number is not text, so not part of the insertion"
    number_id = _number_id(added)
    assert number_id and re.fullmatch(r"\d+\.%1", _level_text(story.numbering, number_id))
    assert added.find("w:pPr/w:rPr/w:ins", NS) is not None, "rejecting the insertion removes the paragraph and its number"
    paragraphs = list(body.iter(f"{{{W}}}p"))
    after = paragraphs[paragraphs.index(added) + 1 : paragraphs.index(_paragraph(body, "litres of fluid"))]
    numbered = [p for p in after if _number_id(p) == number_id]
    assert numbered, "the paragraphs after the new one are numbered in the same sequence"
    assert not [p for p in numbered if p.findall(".//w:ins", NS) or p.findall(".//w:del", NS)]
    numbered_anywhere = [p for p in body.iter(f"{{{W}}}p") if (n := _number_id(p)) and re.fullmatch(r"\d+\.%1", _level_text(story.numbering, n))]
    assert len(numbered_anywhere) > len(numbered) and not [p for p in numbered_anywhere if re.match(r"\d+\.\d+ ", _untracked(p))]


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
