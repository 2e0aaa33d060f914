"""`sarflow redline` on a paragraph moved within a section and a lesson deleted whole.

A moved paragraph is not a move in Word's sense (w:moveFrom, w:moveTo) here:
the panel sees it deleted where it was and inserted where it now is, and accepting
every change gives the new version. A lesson deleted whole shows its heading and
every paragraph deleted, paragraph marks included, so that accepting leaves no
empty heading behind.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from lxml import etree

from sarflow.load import load
from test_diff_repo import Repo, copy_example, first_prose_line, sarflow
from test_redline_document import NS, _plain, _text, _view, w


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory, root: Path) -> dict:
    where = tmp_path_factory.mktemp("redline-moves")
    copy_example(root, where)
    repo = Repo(where)
    imr = next(i for i in load(where).imrs() if len([h for h in i.sections["lessons"].headings if h.level == 2]) >= 2)
    base = repo.commit("The worked example")
    folder = where / "reviews" / imr.review_id / imr.agency_id
    narrative = folder / "narrative.md"
    text = narrative.read_text(encoding="utf-8")
    lines = text.split("\n")
    start = lines.index(first_prose_line(text))
    end = next(n for n in range(start, len(lines) + 1) if n == len(lines) or not lines[n].strip())
    paragraph, last = "\n".join(lines[start:end]), lines[end - 1]
    assert end - start >= 2, "a paragraph of several sentences, one per line"
    narrative.write_text(text.replace(paragraph + "\n\n", "", 1).rstrip("\n") + "\n\n" + paragraph + "\n", encoding="utf-8")
    lesson = next(h for h in imr.sections["lessons"].headings if h.level == 2)
    lessons = folder / "lessons.md"
    kept = lessons.read_text(encoding="utf-8").split("\n")
    following = next(h.span.line for h in imr.sections["lessons"].headings if h.level == 2 and h.span.line > lesson.span.line)
    lessons.write_text("\n".join(kept[: lesson.span.line - 1] + kept[following - 1 :]), encoding="utf-8")
    repo.commit("a sentence moved to the end, the first lesson withdrawn", "2026-03-05T09:00:00+00:00")  # the date _plain shows
    ident = f"{imr.review_id}/{imr.agency_id}"
    out = where / "moves.docx"
    code, _, err = sarflow(where, "redline", base, "HEAD", ident, "-o", str(out))
    assert code == 0, err
    return {"body": docx.Document(str(out)).element.body, "line": last, "lesson": lesson, "root": where, "base": base, "ident": ident}


def _plain_text(text: str) -> str:
    """Text as written in Markdown: Word's typographic quotes made straight, spaces single."""
    return " ".join(text.translate(str.maketrans("‘’“”", "''\"\"")).split())


def _paragraphs(body: etree._Element, needle: str) -> list[etree._Element]:
    return [p for p in body.iter(w("p")) if _plain_text(needle) in _plain_text(_text(p, "t") + _text(p, "delText"))]


def test_a_moved_paragraph_is_deleted_where_it_was_and_inserted_where_it_is(moved: dict) -> None:
    needle = " ".join(moved["line"].split()[-6:])
    found = _paragraphs(moved["body"], needle)
    assert len(found) == 2
    was, now = found
    assert was.find("w:pPr/w:rPr/w:del", NS) is not None and not _text(was, "t").strip()
    assert now.find("w:pPr/w:rPr/w:ins", NS) is not None and not _text(now, "delText").strip()


def test_a_lesson_deleted_whole_leaves_nothing_when_accepted(moved: dict) -> None:
    heading = _paragraphs(moved["body"], moved["lesson"].title)
    assert heading and all(p.find("w:pPr/w:rPr/w:del", NS) is not None and not _text(p, "t").strip() for p in heading)
    for paragraph in [p for p in moved["lesson"].body.split("\n") if p.strip()]:
        (gone,) = _paragraphs(moved["body"], " ".join(paragraph.split()[-5:]))
        assert gone.find("w:pPr/w:rPr/w:del", NS) is not None


def test_accepting_gives_head_and_rejecting_gives_base(moved: dict) -> None:
    body = moved["body"]
    assert _view(body, accept=True) == _plain(moved["root"], "HEAD", moved["ident"])
    assert _view(body, accept=False) == _plain(moved["root"], moved["base"], moved["ident"])
