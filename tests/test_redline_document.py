"""`sarflow redline` on a throwaway git repository built by scripted commits, one per kind of change.

The redline of the whole history is read back with python-docx and lxml: each kind of
change is a w:ins or w:del in the right place with the author and date of the commit
that made it, and accepting every change gives the HEAD document while rejecting every
change gives the BASE one (both composed by the Word report itself).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from lxml import etree
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from sarflow.changes.redline import mark_whole_changes
from sarflow.changes.revisions import checked_out, resolve
from sarflow.dates import entry_date, uk
from sarflow.docx import imr_document
from sarflow.docx.tables import TICK
from sarflow.docx.version import version_of
from sarflow.load import load
from sarflow.model import Imr, Repository
from sarflow.word import pandoc
from sarflow.word.finish import finish
from sarflow.word.ooxml import rewrite
from sarflow.word.reference import cached_reference
from test_diff_repo import Repo, copy_example, edit_yaml, sarflow, shorten_and_extend

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
SENTENCE = "A paragraph added by the scripted redline test."
ANSWER = "An answer sentence added by the scripted redline test."
REVIEWER, WHEN, WHEN_UTC = "Sam Reviewer", "2026-03-05T14:30:00+01:00", "2026-03-05T13:30:00Z"
NEW_SOURCE = "Scripted redline record"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


class Story:
    """The scripted history and the redline of all of it, computed from the loaded example."""

    def __init__(self, root: Path, example: Repository) -> None:
        self.repo = Repo(root)
        self.example = example
        self.imr: Imr = max(example.imrs(), key=lambda i: (len(i.actions), len(i.chronology)))
        self.folder = root / "reviews" / self.imr.review_id / self.imr.agency_id
        self.ident = f"{self.imr.review_id}/{self.imr.agency_id}"
        self.base = self.repo.commit("The worked example", "2026-03-01T09:00:00+00:00")


def _text(element: etree._Element, *tags: str) -> str:
    return "".join(t.text or "" for t in element.iter(*(w(x) for x in tags)))


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory, root: Path, example: Repository) -> Story:
    where = tmp_path_factory.mktemp("redline")
    copy_example(root, where)
    s = Story(where, example)
    imr, folder = s.imr, s.folder

    # A section: its first prose line removed, a paragraph added at the end.
    s.removed_line = shorten_and_extend(folder / "narrative.md", SENTENCE)
    s.repo.commit("section", "2026-03-02T09:00:00+00:00")

    # A terms-of-reference answer: a sentence added under the first Q heading.
    s.question = next(h for h in imr.sections["analysis"].headings if h.level == 2 and h.title.startswith("Q"))
    lines = (folder / "analysis.md").read_text(encoding="utf-8").split("\n")
    lines.insert(s.question.span.line, ANSWER + "\n")
    (folder / "analysis.md").write_text("\n".join(lines), encoding="utf-8")
    s.repo.commit("answer", "2026-03-02T10:00:00+00:00")

    # Chronology: one entry removed, one added, one outcome rewritten.
    s.removed_entry, s.changed_entry = imr.chronology[1], next(e for e in imr.chronology[2:] if e.outcome)
    changed_at = imr.chronology.index(s.changed_entry)

    def chronology(data):
        data["entries"][changed_at]["outcome"] = "Outcome rewritten by the redline test."
        data["entries"].insert(4, {"date": "2024-03-05", "time": DoubleQuotedScalarString("15:20"), "source": NEW_SOURCE, "event": "Scripted."})
        del data["entries"][1]

    edit_yaml(folder / "chronology.yml", chronology)
    s.repo.commit("chronology", "2026-03-03T09:00:00+00:00")

    # Actions: the last removed, one added, one open action's status changed.
    s.removed_action = imr.actions[-1]
    s.followed = next(a for a in imr.actions if a.status != "Completed" and a is not s.removed_action)
    s.new_status = next(x for x in example.template.action_plan.statuses if x != s.followed.status)

    def actions(data):
        for item in data["actions"]:
            if item["no"] == s.followed.no:
                item["status"] = s.new_status
        del data["actions"][-1]
        data["actions"].append({"no": 99, "recommendation": "Scripted redline recommendation", "lead_officer": "Head of Quality",
                                "target_date": dt.date(2027, 6, 30), "status": example.template.action_plan.statuses[0]})

    edit_yaml(folder / "actions.yml", actions)
    s.repo.commit("actions", "2026-03-04T09:00:00+00:00")

    # Quality assurance: the first answer flipped. IMR status: back to submitted.
    s.criterion = example.template.criteria[0]
    s.old_answer = imr.quality_assurance.answers[s.criterion.id].answer
    s.old_status = imr.status
    s.new_imr_status = "submitted" if imr.status != "submitted" else "draft"

    def quality(data):
        data["quality_assurance"][s.criterion.id]["answer"] = DoubleQuotedScalarString("no" if s.old_answer == "yes" else "yes")
        data["status"] = s.new_imr_status

    edit_yaml(folder / "imr.yml", quality)
    s.repo.git("-c", f"user.name={REVIEWER}", "add", "-A")
    s.repo.git("-c", f"user.name={REVIEWER}", "commit", "-q", "-m", "quality and status", "--date", WHEN)
    s.head = s.repo.git("rev-parse", "HEAD")

    s.output = where / "out" / "redline.docx"
    code, out, err = sarflow(where, "redline", s.base, "HEAD", s.ident, "-o", str(s.output))
    assert code == 0, err
    assert str(s.output) in out
    s.document = docx.Document(str(s.output))
    s.body = s.document.element.body
    return s


def changes(element: etree._Element, kind: str) -> list[etree._Element]:
    return element.findall(f".//w:{kind}", NS) if kind in ("ins", "del") else []


def paragraph_with(body: etree._Element, needle: str) -> etree._Element:
    return next(p for p in body.iter(w("p")) if needle in _text(p, "t", "delText"))


def row_with(body: etree._Element, needle: str) -> etree._Element:
    return next(r for r in body.iter(w("tr")) if needle in _text(r, "t", "delText"))


def test_every_change_carries_the_author_and_date_of_the_commit_that_made_it(story: Story) -> None:
    marks = [*changes(story.body, "ins"), *changes(story.body, "del")]
    assert marks
    commits = {("Jo Author", f"2026-03-0{day}T{hour}:00:00Z") for day, hour in (("2", "09"), ("2", "10"), ("3", "09"), ("4", "09"))}
    assert {(m.get(w("author")), m.get(w("date"))) for m in marks} == {*commits, (REVIEWER, WHEN_UTC)}
    section = changes(paragraph_with(story.body, SENTENCE), "ins")
    assert {(m.get(w("author")), m.get(w("date"))) for m in section} == {("Jo Author", "2026-03-02T09:00:00Z")}
    ids = [m.get(w("id")) for m in marks]
    assert len(ids) == len(set(ids)), "each tracked change has an id of its own"


def test_a_section_paragraph_added_and_a_sentence_removed(story: Story) -> None:
    added = paragraph_with(story.body, SENTENCE)
    assert _text(added.find("w:ins", NS), "t") == SENTENCE  # its number is Word's numbering, not text
    assert added.find("w:pPr/w:numPr/w:numId", NS) is not None
    assert added.find("w:pPr/w:rPr/w:ins", NS) is not None, "the whole paragraph is marked as inserted"
    removed = paragraph_with(story.body, story.removed_line.split()[-1])
    deleted = " ".join(_text(d, "delText") for d in changes(removed, "del"))
    assert " ".join(deleted.split()) == " ".join(story.removed_line.split())


def test_a_terms_of_reference_answer_is_inserted_under_its_question(story: Story) -> None:
    paragraphs = list(story.body.iter(w("p")))
    headings = [i for i, p in enumerate(paragraphs) if p.xpath("w:pPr/w:pStyle[@w:val='Heading1' or @w:val='Heading2']")]
    question = story.question.title.split()[0] + " "
    heading = next(i for i in headings if _text(paragraphs[i], "t").startswith(question))
    following = next(i for i in headings if i > heading)
    answer = next(i for i, p in enumerate(paragraphs) if ANSWER in _text(p, "t"))
    assert heading < answer < following
    assert ANSWER in _text(paragraphs[answer].find("w:ins", NS), "t")


def test_chronology_rows_removed_added_and_changed(story: Story) -> None:
    removed = story.removed_entry
    row = next(r for r in story.body.iter(w("tr")) if r.find("w:trPr/w:del", NS) is not None and entry_date(removed) in _text(r, "delText"))
    assert removed.source in _text(row, "delText") and _text(row, "t") == ""
    added = row_with(story.body, NEW_SOURCE)
    assert added.find("w:trPr/w:ins", NS) is not None
    assert "05/03/2024" in _text(added, "t") and NEW_SOURCE in "".join(_text(i, "t") for i in changes(added, "ins"))
    changed = row_with(story.body, "Outcome rewritten by the redline test.")
    assert changed.find("w:trPr/w:ins", NS) is None and changed.find("w:trPr/w:del", NS) is None
    assert "rewritten by the redline test" in " ".join(_text(i, "t") for i in changes(changed, "ins"))
    assert changes(changed, "del"), "the old outcome is shown as deleted"


def test_action_plan_rows_and_a_status_change(story: Story) -> None:
    added = row_with(story.body, "Scripted redline recommendation")
    assert added.find("w:trPr/w:ins", NS) is not None
    removed = next(
        r for r in story.body.iter(w("tr"))
        if r.find("w:trPr/w:del", NS) is not None and _text(r, "delText").startswith(str(story.removed_action.no))
    )
    assert story.removed_action.lead_officer in _text(removed, "delText")
    row = next(r for r in story.body.iter(w("tr"))
               if _text(r.find("w:tc", NS), "t") == str(story.followed.no) and uk(story.followed.target_date) in _text(r, "t"))
    assert story.new_status in [_text(i, "t") for i in changes(row, "ins")]
    assert story.followed.status in [_text(d, "delText") for d in changes(row, "del")]
    assert uk(story.followed.target_date) in _text(row, "t")  # unchanged cells stay as they were


def test_quality_assurance_tick_moves_and_the_imr_status_changes(story: Story) -> None:
    row = row_with(story.body, story.criterion.text)
    cells = row.findall("w:tc", NS)
    yes, no = (1, 2) if story.old_answer == "yes" else (2, 1)
    assert _text(cells[yes], "delText") == TICK and _text(cells[yes], "t") == ""
    assert "".join(_text(i, "t") for i in changes(cells[no], "ins")) == TICK
    title = paragraph_with(story.body, "IMR status:")
    assert [_text(d, "delText") for d in changes(title, "del")] == [story.old_status.capitalize()]
    assert [_text(i, "t") for i in changes(title, "ins")] == [story.new_imr_status.capitalize()]


def _view(body: etree._Element, accept: bool) -> list[str]:
    """The document's paragraphs with every change accepted (or rejected), numbers left out."""
    drop, _keep = ("del", "ins") if accept else ("ins", "del")
    texts = []
    for p in body.iter(w("p")):
        if p.find("w:pPr/w:pStyle[@w:val='ErrorsNotice']", NS) is not None:
            continue  # the redline's own notice on the cover (what changed it, a sign-off it no longer has)
        row = next(p.iterancestors(w("tr")), None)
        if p.find(f"w:pPr/w:rPr/w:{drop}", NS) is not None or (row is not None and row.find(f"w:trPr/w:{drop}", NS) is not None):
            continue
        kept = [t.text or "" for t in p.iter(w("t"), w("delText")) if not any(a.tag == w(drop) for a in t.iterancestors())]
        texts.append(re.sub(r"^\d+(\.\d+)+ ", "", "".join(kept)))
    return texts


def _plain(root: Path, revision: str, ident: str) -> list[str]:
    """The Word report of one revision, as the docx builder composes it, read back the same way."""
    review_id, agency_id = ident.split("/")
    version = version_of(root, root / "reviews" / review_id / agency_id)
    with checked_out(root, resolve(root, revision)) as folder:
        repo = load(folder)
        review = repo.review(review_id)
        document, _ = imr_document(review.imrs[agency_id], review, repo.board, repo.template, version)
        data = pandoc.write_docx(document, cached_reference(repo.template, folder / "cache"), folder)
    body = docx.Document(io.BytesIO(rewrite(finish(data, "", epoch=0), {"word/document.xml": mark_whole_changes}))).element.body
    return _view(body, accept=True)


def test_accepting_every_change_gives_head_and_rejecting_gives_base(story: Story) -> None:
    assert _view(story.body, accept=True) == _plain(story.repo.root, "HEAD", story.ident)
    assert _view(story.body, accept=False) == _plain(story.repo.root, story.base, story.ident)


def test_an_unchanged_imr_has_no_tracked_change(story: Story, tmp_path: Path) -> None:
    other = next(i for i in story.example.imrs() if i.agency_id != story.imr.agency_id)
    out = tmp_path / "same.docx"
    code, _, err = sarflow(story.repo.root, "redline", story.base, "HEAD", f"{other.review_id}/{other.agency_id}", "-o", str(out))
    assert code == 0, err
    body = docx.Document(str(out)).element.body
    assert not changes(body, "ins") and not changes(body, "del")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("HEAD~1", "HEAD", "adult-a"), "does not name an IMR: write REVIEW/AGENCY"),
        (("HEAD~1", "HEAD", "adult-a/no-such-agency"), "there is no IMR adult-a/no-such-agency at HEAD"),
        (("no-such-branch", "HEAD", "adult-a/x"), "unknown revision 'no-such-branch'"),
    ],
)
def test_usage_errors(story: Story, arguments: tuple[str, ...], message: str) -> None:
    code, out, err = sarflow(story.repo.root, "redline", *arguments)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_outside_git_is_a_usage_error(tmp_repo: Path) -> None:
    code, _, err = sarflow(tmp_repo, "redline", "HEAD~1", "HEAD", "adult-a/gp-practice")
    assert code == 2 and "is not inside a git repository" in err


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (make test installs it)")
def test_libreoffice_opens_the_redline_and_shows_both_versions(story: Story, tmp_path: Path) -> None:
    done = subprocess.run(
        [shutil.which("soffice"), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(story.output)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    shown = " ".join((tmp_path / "redline.txt").read_text(encoding="utf-8-sig").split())
    assert SENTENCE in shown  # LibreOffice shows the insertion ...
    assert " ".join(story.removed_line.split()) in shown  # ... and, with changes shown, the deletion


def test_without_an_imr_every_changed_imr_gets_a_redline(story: Story, tmp_path: Path) -> None:
    code, out, err = sarflow(story.repo.root, "redline", f"{story.head}~1", "HEAD", "-o", str(tmp_path))
    assert code == 0, err
    (written,) = tmp_path.rglob("*.docx")  # only the chosen IMR changed in the last commit
    assert written.parent == tmp_path / story.imr.review_id / story.imr.agency_id
    assert written.name.endswith(f"(changes {resolve(story.repo.root, 'HEAD~1').short} to {story.head[:7]}).docx")
    assert str(written) in out
    code, out, _ = sarflow(story.repo.root, "redline", "HEAD", "HEAD")
    assert code == 0 and "no IMR changed" in out
