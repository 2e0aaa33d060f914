"""`sarflow build` runs the checks: files with errors still give documents, marked as such, and exit 1.

One copy of the example is broken as an author might break it (a time without its colon, a date
written the UK way, a second member of staff with the same id, a `#` in a source) in
one IMR only, and built once through the command line; the tests read the real Word
reports (python-docx) and workbooks (openpyxl). The other IMRs' own documents must stay
unmarked.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.document import Document
from docx.oxml.ns import qn

from sarflow.dates import uk
from sarflow.docx import file_name
from sarflow.docx.tables import action_plan_columns
from sarflow.load import load
from sarflow.model import Imr, Repository
from sarflow.outputs import ERRORS_MARK, imr_dir, review_dir
from sarflow.word.reference import ERRORS_STYLE
from sarflow.xlsx.layout import ACTION_PLAN_FILE, CHRONOLOGY_FILE, CHRONOLOGY_SHEET, FIRST_ROW, HEADER_ROW
from sarflow.xlsx.marked import ERRORS_SHEET, RED

ROOT = Path(__file__).resolve().parents[1]
BROKEN = "acute-trust"


def replace_once(path: Path, old: str, new: str, at: str) -> tuple[int, int]:
    """Replace the first `old` in the file; returns the line and column of `at` in what replaced it."""
    text = path.read_text(encoding="utf-8")
    assert old in text and at in new, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    where = text.index(old) + new.index(at)
    line_start = text.rfind("\n", 0, text.index(old)) + 1
    before = (text[:line_start] + new)[: where]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


class Built:
    def __init__(self, root: Path, out: Path, run: subprocess.CompletedProcess[str], lines: dict[str, tuple[int, int]]) -> None:
        self.root, self.out, self.run, self.lines = root, out, run, lines
        self.repo: Repository = load(root)

    def imr(self, agency_id: str) -> Imr:
        return self.repo.review("adult-a").imrs[agency_id]

    def report(self, agency_id: str) -> Document:
        imr = self.imr(agency_id)
        return docx.Document(str(imr_dir(self.out, "adult-a", agency_id) / file_name(self.repo.review("adult-a"), imr)))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("broken-repo")
    for name in ("reviews", "schema"):
        shutil.copytree(ROOT / name, root / name)
    folder = root / "reviews/adult-a" / BROKEN
    lines = {
        "time": replace_once(folder / "chronology.yml", 'time: "13:42"', "time: 1342", "1342"),
        "hash": replace_once(folder / "chronology.yml", "source: Ward nursing record", "source: Ward 12 nursing record #2 (night staff)", "#"),
        "target": replace_once(folder / "actions.yml", "target_date: 2026-12-31", "target_date: 31/12/2026", "31/"),
        "person": replace_once(
            folder / "imr.yml", "  - id: ED2\n", "  - id: ED1\n    name: Dr Locum\n    role: Locum registrar\n  - id: ED2\n", "ED1"
        ),
    }
    out = root / "out"
    run = subprocess.run(
        [sys.executable, "-m", "sarflow", "--root", str(root), "build", "--only", "docx", "--only", "xlsx", "--out", str(out)],
        capture_output=True, text=True, check=False,
    )
    return Built(root, out, run, lines)


def test_build_exits_1_and_lists_every_error(built: Built) -> None:
    assert built.run.returncode == 1, built.run.stderr
    shown = f"reviews/adult-a/{BROKEN}"
    err = built.run.stderr
    assert f"{shown}/chronology.yml:{at(built, 'time')}: error[wrong-type]" in err
    assert f"{shown}/actions.yml:{at(built, 'target')}: error[uk-date]" in err
    assert f"{shown}/imr.yml:{at(built, 'person')}: error[duplicate-person]" in err
    assert "internal error" not in err and "Traceback" not in err
    assert "warning[comment-in-value]" not in err  # warnings are counted, not listed: check lists them
    assert f"marked as built from files with errors: adult-a/{BROKEN}; the workbooks of review adult-a\n" in err


def at(built: Built, name: str) -> str:
    line, col = built.lines[name]
    return f"{line}:{col}"


def test_every_readable_imr_is_still_built(built: Built) -> None:
    for imr in built.repo.imrs():
        folder = imr_dir(built.out, imr.review_id, imr.agency_id)
        assert (folder / file_name(built.repo.review(imr.review_id), imr)).is_file(), imr.agency_id
        assert (folder / ACTION_PLAN_FILE).is_file() and (folder / CHRONOLOGY_FILE).is_file()


def first_page(document: Document) -> list[str]:
    """The text of each paragraph before the first page break."""
    texts = []
    for paragraph in document.paragraphs:
        if any(br.get(qn("w:type")) == "page" for br in paragraph._p.iter(qn("w:br"))):
            break
        texts.append(paragraph.text)
    return texts


def test_the_word_report_says_on_its_first_page_that_it_was_built_from_files_with_errors(built: Built) -> None:
    document = built.report(BROKEN)
    notice = document.paragraphs[0]
    assert notice.text == ERRORS_MARK and notice.style.name == ERRORS_STYLE
    assert all(run.bold for run in notice.runs)
    page = first_page(document)
    assert page.index(ERRORS_MARK) < next(i for i, p in enumerate(document.paragraphs) if p.style.name == "Title")
    listed = [t for t in page if t.startswith(f"reviews/adult-a/{BROKEN}/")]
    assert f"reviews/adult-a/{BROKEN}/chronology.yml:{at(built, 'time')}: `time` should be text, but `1342` is a number" in "\n".join(listed)
    assert len(listed) == len(errors_of(built, BROKEN))
    headers = {p.text for section in document.sections for p in section.header.paragraphs}
    assert any(ERRORS_MARK in h for h in headers), headers


def errors_of(built: Built, agency_id: str) -> list:
    from sarflow.check import check
    from sarflow.findings import errors

    return [f for f in errors(check(built.repo)) if f.span.path.startswith(f"reviews/adult-a/{agency_id}/")]


def test_documents_of_an_imr_without_errors_are_not_marked(built: Built) -> None:
    for imr in built.repo.review("adult-a").imrs.values():  # the review whose IMR was broken
        if imr.agency_id == BROKEN:
            continue
        document = built.report(imr.agency_id)
        assert not any(ERRORS_MARK in p.text for p in document.paragraphs), imr.agency_id
        assert not any(ERRORS_MARK in p.text for s in document.sections for p in s.header.paragraphs), imr.agency_id
        for name in (ACTION_PLAN_FILE, CHRONOLOGY_FILE):
            book = openpyxl.load_workbook(imr_dir(built.out, "adult-a", imr.agency_id) / name)
            assert ERRORS_SHEET not in book.sheetnames, (imr.agency_id, name)


def column(table, title: str) -> list[str]:
    titles = [c.text for c in table.rows[0].cells]
    return [row.cells[titles.index(title)].text for row in table.rows[1:]]


def test_a_value_that_failed_validation_is_printed_as_typed_in_the_word_report(built: Built) -> None:
    template = built.repo.template
    imr = built.imr(BROKEN)
    assert imr.chronology[0].time is None  # YAML read 1342 as a number: the model has no time
    tables = built.report(BROKEN).tables
    time_title = next(c.title for c in template.chronology_columns if c.key == "time")
    chronology = next(t for t in tables if time_title in [c.text for c in t.rows[0].cells])
    assert column(chronology, time_title)[0] == "1342"
    target_title = next(c.title for c in action_plan_columns(template) if c.key == "target_date")
    plan = next(t for t in tables if target_title in [c.text for c in t.rows[0].cells])
    assert column(plan, target_title)[0] == "31/12/2026"
    assert column(plan, target_title)[1] == uk(imr.actions[1].target_date)


def test_workbooks_built_from_files_with_errors_open_on_a_draft_sheet(built: Built) -> None:
    books = [imr_dir(built.out, "adult-a", BROKEN) / n for n in (ACTION_PLAN_FILE, CHRONOLOGY_FILE)]
    books += [review_dir(built.out, "adult-a") / n for n in (ACTION_PLAN_FILE, CHRONOLOGY_FILE)]
    for path in books:
        book = openpyxl.load_workbook(path)
        assert book.sheetnames[0] == ERRORS_SHEET and book.active.title == ERRORS_SHEET, path
        assert book[ERRORS_SHEET]["A1"].value == ERRORS_MARK
        assert [ws.title for ws in book.worksheets if ws.sheet_view.tabSelected] == [ERRORS_SHEET], path
        listed = [book[ERRORS_SHEET].cell(r, 1).value for r in range(5, book[ERRORS_SHEET].max_row + 1)]
        assert f"reviews/adult-a/{BROKEN}/chronology.yml:{at(built, 'time')}" in listed
        for ws in book.worksheets:
            assert ws.sheet_properties.tabColor.rgb.endswith(RED), (path, ws.title)
            assert ERRORS_MARK in ws.oddHeader.right.text, (path, ws.title)


def test_a_value_that_failed_validation_is_printed_as_typed_in_the_workbooks(built: Built) -> None:
    template = built.repo.template
    chronology = openpyxl.load_workbook(imr_dir(built.out, "adult-a", BROKEN) / CHRONOLOGY_FILE)
    ws = chronology[CHRONOLOGY_SHEET]
    titles = [c.value for c in ws[1]]
    time_title = next(c.title for c in template.chronology_columns if c.key == "time")
    assert ws.cell(2, titles.index(time_title) + 1).value == "1342"
    plan = openpyxl.load_workbook(imr_dir(built.out, "adult-a", BROKEN) / ACTION_PLAN_FILE)[template.action_plan.sheet]
    titles = [c.value for c in plan[HEADER_ROW]]
    target_title = next(c.title for c in template.action_plan.columns if c.key == "target_date")
    assert plan.cell(FIRST_ROW, titles.index(target_title) + 1).value == "31/12/2026"


def test_a_marked_workbook_can_still_be_imported(built: Built) -> None:
    """An agency may return a marked workbook: the import reads the template's sheet and passes over the Errors sheet."""
    clean = next(imr for imr in built.repo.imrs() if imr.agency_id != BROKEN and imr.actions)
    book = review_dir(built.out, "adult-a") / ACTION_PLAN_FILE
    assert openpyxl.load_workbook(book).sheetnames[0] == ERRORS_SHEET
    run = subprocess.run(
        [sys.executable, "-m", "sarflow", "--root", str(built.root), "import", "action-plan", str(book), f"adult-a/{clean.agency_id}"],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "nothing to change" in run.stdout
