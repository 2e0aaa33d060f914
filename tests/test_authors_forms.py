"""What authors need to write (issue 12): each form through the real outputs, and each way of getting it wrong.

The worked example uses every form at least once (a time range, an entry by several staff
and by another agency's member of staff, a member of staff whose name is not known, an
action answering two lessons), so the outputs
are read from one build of a copy of it (python-docx for the Word report, openpyxl for
the workbooks, the built site's HTML). The bad inputs are planted together in one more copy, checked once, and
each finding is asserted with its file, line, column and message.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from sarflow import clock
from sarflow.check import check
from sarflow.cli import main
from sarflow.docx.tables import action_plan_columns
from sarflow.findings import Finding
from sarflow.load import load
from sarflow.model import Action, ChronologyEntry, Imr, Repository, TimeOfDay, listed
from sarflow.outputs import imr_dir, review_dir
from sarflow.restricted.tiers import imr_status_text
from sarflow.xlsx.layout import ACTION_PLAN_FILE, CHRONOLOGY_FILE, CHRONOLOGY_SHEET, FIRST_ROW
from test_diff_repo import Repo, edit_yaml, sarflow

ROOT = Path(__file__).resolve().parents[1]
ASC = "reviews/adult-a/adult-social-care"


def copy_of_example(folder: Path) -> Path:
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repository, Path]:
    """The example and every output built from it, once for the module."""
    root = copy_of_example(tmp_path_factory.mktemp("forms"))
    out = root / "out"
    assert main(["--root", str(root), "build", "--out", str(out)]) == 0
    return load(root), out


def entries(repo: Repository, test: object) -> list[tuple[Imr, ChronologyEntry]]:
    found = [(imr, e) for imr in repo.imrs() for e in imr.chronology if test(e)]
    assert found, "the worked example should use this form"
    return found


def chronology_rows(document: docx.document.Document, repo: Repository) -> list[list[str]]:
    head = [c.title for c in repo.template.chronology_columns]
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == head)
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def merged_rows(out: Path, repo: Repository, review_id: str) -> list[dict[str, Any]]:
    """The review's merged chronology, each row by the keys of the template's columns (the Agency column is left out)."""
    ws = openpyxl.load_workbook(review_dir(out, review_id) / CHRONOLOGY_FILE)[CHRONOLOGY_SHEET]
    keys = {c.title: c.key for c in repo.template.chronology_columns}
    head = [keys.get(c.value) for c in ws[1]]
    return [{k: v for k, v in zip(head, row, strict=True) if k} for row in ws.iter_rows(min_row=2, values_only=True)]


def word_report(repo: Repository, out: Path, imr: Imr) -> docx.document.Document:
    folder = imr_dir(out, imr.review_id, imr.agency_id)
    return docx.Document(str(next(folder.glob("*.docx"))))


# --- Time ranges ----------------------------------------------------------------------------------


def test_a_time_range_is_printed_as_written_and_sorted_by_its_start(built: tuple[Repository, Path]) -> None:
    repo, out = built
    keys = [c.key for c in repo.template.chronology_columns]
    for imr, entry in entries(repo, lambda e: e.time is not None and e.time.end is not None):
        row = chronology_rows(word_report(repo, out, imr), repo)[imr.chronology.index(entry)]
        assert row[keys.index("time")] == str(entry.time)
        ws = openpyxl.load_workbook(imr_dir(out, imr.review_id, imr.agency_id) / CHRONOLOGY_FILE)[CHRONOLOGY_SHEET]
        cell = ws.cell(imr.chronology.index(entry) + 2, keys.index("time") + 1)
        assert (cell.value, cell.data_type) == (str(entry.time), "s")
        times = [r["time"] for r in merged_rows(out, repo, imr.review_id)
                 if r["date"] == dt.datetime.combine(entry.date, dt.time()) and r["time"]]
        starts = [t[:5] if isinstance(t, str) else f"{t:%H:%M}" for t in times]
        assert str(entry.time) in times and starts == sorted(starts)


@settings(deadline=None)
@given(st.times(), st.times())
def test_any_range_of_two_times_reads_back_as_written(start: dt.time, end: dt.time) -> None:
    text = f"{start:%H:%M}-{end:%H:%M}"
    read = clock.read(text)
    assert read == TimeOfDay(start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0))
    assert str(read) == text
    assert read.reversed == (f"{end:%H:%M}" <= f"{start:%H:%M}")


@settings(deadline=None)
@given(st.integers(24, 99), st.integers(0, 59), st.times())
def test_an_hour_past_23_is_named_in_the_message(hours: int, minutes: int, other: dt.time) -> None:
    text = f"{other:%H:%M}-{hours}:{minutes:02d}"
    assert clock.read(text) is None
    message, hint = clock.explain(text)
    assert f"{hours}:{minutes:02d} does not exist" in message and '"14:00-15:30"' in hint


# --- Several staff, and another agency's -----------------------------------------------------------


def test_several_staff_and_another_agencys_are_printed_in_the_report_and_the_workbooks(built: tuple[Repository, Path]) -> None:
    repo, out = built
    keys = [c.key for c in repo.template.chronology_columns]
    several = entries(repo, lambda e: len(e.by) > 1 and any(s.agency for s in e.by))
    for imr, entry in several:
        other = next(s for s in entry.by if s.agency)
        assert other.agency in repo.review(imr.review_id).imrs and other.agency != imr.agency_id
        shown = listed(entry.by)
        assert shown == ", ".join(s.text for s in entry.by) and other.text in shown
        row = chronology_rows(word_report(repo, out, imr), repo)[imr.chronology.index(entry)]
        assert row[keys.index("by")] == shown
        ws = openpyxl.load_workbook(imr_dir(out, imr.review_id, imr.agency_id) / CHRONOLOGY_FILE)[CHRONOLOGY_SHEET]
        assert ws.cell(imr.chronology.index(entry) + 2, keys.index("by") + 1).value == shown
        assert shown in [r["by"] for r in merged_rows(out, repo, imr.review_id)]


def test_each_id_of_a_list_keeps_its_own_place(built: tuple[Repository, Path]) -> None:
    repo, _ = built
    for _, entry in entries(repo, lambda e: len(e.by) > 1):
        columns = [s.at.col for s in entry.by]
        assert len({s.at for s in entry.by}) == len(entry.by) and columns == sorted(columns)


# Any agency id the schemas allow (review.yml's agencies, the folder names), as an author names its staff in `by`.
AGENCY_IDS = st.from_regex(json.loads((ROOT / "schema" / "review.schema.json").read_text(encoding="utf-8"))
                           ["$defs"]["slug"]["pattern"], fullmatch=True)
# Each way of writing `by` with two of another agency's staff ({0}: its DN1, {1}: its DN9) among the IMR's own.
BY_FORMS = ["{0}, {1}", "[TM1, {0}, {1}]", "TM1 and {0} and {1}", "{0} & SW2; {1}", "TM1/{0}/{1}"]


@pytest.fixture(scope="module")
def with_other_agency(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_of_example(tmp_path_factory.mktemp("other-agency"))


@settings(deadline=None, max_examples=20)
@given(agency=AGENCY_IDS, form=st.sampled_from(BY_FORMS))
@example(agency="police-2", form=BY_FORMS[0]).via("the id that was split at its slash")
@example(agency="fire-and-rescue", form=BY_FORMS[2]).via("the id that was split at its `and`")
def test_another_agencys_staff_are_found_whatever_its_id(with_other_agency: Path, agency: str, form: str) -> None:
    """`police-2/DN1` was split at the slash (an id ending in a digit), `fire-and-rescue/DN1` at "and"."""
    root = with_other_agency
    review = root / "reviews" / "adult-a"
    assume(not (ROOT / "reviews" / "adult-a" / agency).exists())
    for folder in [p for p in review.iterdir() if p.is_dir() and not (ROOT / "reviews" / "adult-a" / p.name).exists()]:
        shutil.rmtree(folder)  # the agency of the example before
    shutil.copytree(ROOT / "reviews" / "adult-a" / "acute-trust", review / agency)
    imr = (review / agency / "imr.yml").read_text(encoding="utf-8")
    (review / agency / "imr.yml").write_text(imr.replace("agency: acute-trust\n", f"agency: {agency}\n"), encoding="utf-8")
    listed = (ROOT / "reviews" / "adult-a" / "review.yml").read_text(encoding="utf-8")
    (review / "review.yml").write_text(listed.replace("stage:", f"  - {{id: {agency}, name: Other Agency}}\nstage:", 1),
                                       encoding="utf-8")
    by = form.format(f"{agency}/DN1", f"{agency}/DN9")
    chronology = (ROOT / ASC / "chronology.yml").read_text(encoding="utf-8")
    (root / ASC / "chronology.yml").write_text(chronology.replace("    by: [TM1, SW2, acute-trust/DN1]", f"    by: {by}"),
                                               encoding="utf-8")
    repo = load(root)
    entry = next(e for e in repo.review("adult-a").imrs["adult-social-care"].chronology  # type: ignore[union-attr]
                 if any(s.id == "DN9" for s in e.by))
    assert [(s.agency, s.id) for s in entry.by if s.agency] == [(agency, "DN1"), (agency, "DN9")]
    line = next(n for n, text in enumerate((root / ASC / "chronology.yml").read_text(encoding="utf-8").split("\n"), 1)
                if text == f"    by: {by}")
    found = [f for f in check(repo, [root / ASC]) if (f.span.path, f.span.line) == (f"{ASC}/chronology.yml", line)]
    assert [(f.code, f.message) for f in found] == [
        ("unknown-person", f"`{agency}/DN9` is not an id in the personnel list of reviews/adult-a/{agency}/imr.yml")]


# --- A member of staff whose name is not known -----------------------------------------------------


def test_a_name_not_known_is_printed_so_and_never_taken_for_a_name(built: tuple[Repository, Path]) -> None:
    repo, out = built
    unnamed = [(imr, p) for imr in repo.imrs() for p in imr.personnel if p.name is None]
    assert unnamed, "the worked example should have a member of staff whose name is not known"
    head = [c.title for c in repo.template.personnel_columns]
    keys = [c.key for c in repo.template.personnel_columns]
    for imr, person in unnamed:
        assert person.as_written("name").casefold() == repo.template.not_known.casefold()
        table = next(t for t in word_report(repo, out, imr).tables if [c.text for c in t.rows[0].cells] == head)
        row = next(r for r in table.rows[1:] if r.cells[keys.index("id")].text == person.id)
        assert row.cells[keys.index("name")].text == repo.template.not_known
        assert any(person.id in [s.text for s in e.by] for e in imr.chronology)
        text = " ".join(s.text for s in imr.sections.values())
        assert repo.template.not_known in text  # the example's own words "... is not known"
    assert not [f for f in check(repo) if f.code == "real-name"]


# --- An action answering several lessons -----------------------------------------------------------


def answering_several(repo: Repository) -> tuple[Imr, Action]:
    found = [(imr, a) for imr in repo.imrs() for a in imr.actions if len(a.lesson) > 1]
    assert found, "the worked example should have an action answering two lessons"
    return found[0]


def test_an_action_answering_two_lessons_in_the_report_the_workbook_and_on_the_site(built: tuple[Repository, Path]) -> None:
    repo, out = built
    imr, action = answering_several(repo)
    shown = listed(action.lesson)
    assert shown == ", ".join(ref.text for ref in action.lesson) and len(action.lesson) == 2
    columns = action_plan_columns(repo.template)
    table = next(t for t in word_report(repo, out, imr).tables if [c.text for c in t.rows[0].cells] == [c.title for c in columns])
    row = next(r for r in table.rows[1:] if r.cells[0].text == str(action.no))
    assert row.cells[[c.key for c in columns].index("recommendation")].text.endswith(f"(Lessons {shown})")
    plan = repo.template.action_plan
    ws = openpyxl.load_workbook(imr_dir(out, imr.review_id, imr.agency_id) / ACTION_PLAN_FILE)[plan.sheet]
    keys = [c.key for c in plan.workbook_columns]
    cell = ws.cell(FIRST_ROW + imr.actions.index(action), keys.index("lesson") + 1)
    assert (cell.value, ws.cell(cell.row, keys.index("no") + 1).value) == (shown, action.no)
    page = (out / "site" / "actions" / "index.html").read_text(encoding="utf-8")
    assert f"Lessons {shown} of the IMR" in page


def test_the_site_shows_none_of_the_chronology(built: tuple[Repository, Path]) -> None:
    repo, out = built
    pages = "".join(p.read_text(encoding="utf-8") for p in (out / "site").rglob("*.html") if "reference" not in p.parts)
    staff = [s.text for imr in repo.imrs() for e in imr.chronology for s in e.by if s.agency]
    times = [str(e.time) for imr in repo.imrs() for e in imr.chronology if e.time and e.time.end]
    assert staff and times and not [t for t in staff + times if t in pages]


def test_a_list_of_lessons_goes_out_and_comes_back_through_the_workbook(
    built: tuple[Repository, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, out = built
    imr, several = answering_several(repo)
    root = copy_of_example(tmp_path / "returned")
    actions = root / "reviews" / imr.review_id / imr.agency_id / "actions.yml"
    before = actions.read_bytes()
    workbook = imr_dir(out, imr.review_id, imr.agency_id) / ACTION_PLAN_FILE
    target = f"{imr.review_id}/{imr.agency_id}"
    assert main(["--root", str(root), "import", "action-plan", str(workbook), target, "--write"]) == 0
    assert "nothing to change" in capsys.readouterr().out and actions.read_bytes() == before
    plan = repo.template.action_plan
    book = openpyxl.load_workbook(workbook)
    keys = [c.key for c in plan.workbook_columns]
    one = next(a for a in imr.actions if len(a.lesson) == 1)
    two = [ref.text for ref in several.lesson]
    book[plan.sheet].cell(FIRST_ROW + imr.actions.index(one), keys.index("lesson") + 1).value = ", ".join(two)
    book[plan.sheet].cell(FIRST_ROW + imr.actions.index(several), keys.index("lesson") + 1).value = two[0]
    returned = tmp_path / "Returned.xlsx"
    book.save(returned)
    assert main(["--root", str(root), "import", "action-plan", str(returned), target, "--write"]) == 0, capsys.readouterr()
    said = capsys.readouterr().out
    assert f"{one.lesson[0].text} -> {', '.join(two)}" in said and f"{', '.join(two)} -> {two[0]}" in said
    assert f"    lesson: [{', '.join(two)}]\n" in actions.read_text(encoding="utf-8")
    again = load(root).review(imr.review_id).imrs[imr.agency_id]  # type: ignore[union-attr]
    lessons = {a.no: [ref.text for ref in a.lesson] for a in again.actions}
    assert (lessons[one.no], lessons[several.no]) == (two, two[:1])
    assert not [f for f in check(load(root), [actions]) if f.severity.value == "error"]


# --- What `sarflow diff` tells the panel ------------------------------------------------------------


def test_the_diff_json_gives_ranges_and_lists_as_they_are(built: tuple[Repository, Path], tmp_path: Path) -> None:
    repo, _ = built
    imr, action = answering_several(repo)
    entry = next(e for _, e in entries(repo, lambda e: len(e.by) > 1 and e.time is not None and e.time.end is not None))
    lessons = [ref.text for ref in action.lesson]
    folder = copy_of_example(tmp_path / "diff") / "reviews" / imr.review_id / imr.agency_id
    git = Repo(folder.parents[2])
    git.commit("the example")
    later = TimeOfDay(entry.time.start, (dt.datetime.combine(entry.date, entry.time.end) + dt.timedelta(minutes=30)).time())  # type: ignore[union-attr,arg-type]
    staff = [s.text for s in entry.by][1:]

    def chronology(data: Any) -> None:
        item = next(i for i in data["entries"] if str(i.get("time")) == str(entry.time))
        item["time"], item["by"] = str(later), staff

    edit_yaml(folder / "chronology.yml", chronology)
    edit_yaml(folder / "actions.yml", lambda data: next(a for a in data["actions"] if a["no"] == action.no).update(lesson=lessons[:1]))
    git.commit("the meeting ran on; the action answers one lesson")
    code, out, err = sarflow(git.root, "diff", "--format", "json", "HEAD~1", "HEAD")
    assert (code, err) == (0, "")
    (changes,) = json.loads(out)["reviews"][0]["imrs"]
    (changed,) = changes["chronology"]["changed"]
    titles = {c.key: c.title for c in repo.template.chronology_columns}
    assert changed["entry"]["time"] == str(later) and set(changed["fields"]) == {titles["time"], titles["by"]}
    (lesson,) = [c for a in changes["actions"]["changed"] if a["no"] == action.no for c in a["changes"]]
    assert (lesson["key"], lesson["old"], lesson["new"]) == ("lesson", lessons, lessons[:1])


# --- The scaffold's examples -----------------------------------------------------------------------


COMMENTED_KEY = re.compile(r"^( *)# ( *(?:- )?(?!yaml-language-server)[a-z_][\w-]*:(?: .*)?)$", re.M | re.I)  # a key's line of an example


def test_the_scaffold_shows_an_example_of_each_list_that_is_valid_once_uncommented(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_of_example(tmp_path / "new")
    assert main(["--root", str(root), "new", "imr", "adult-a", "police", "--name", "Northbridge Police"]) == 0
    capsys.readouterr()
    folder = root / "reviews" / "adult-a" / "police"
    written = {name: (folder / name).read_text(encoding="utf-8") for name in ("imr.yml", "chronology.yml", "actions.yml")}
    assert not [f for f in check(load(root), [folder]) if f.severity.value == "error"]
    examples = {name: [line for line in text.split("\n") if line.lstrip().startswith("# ") and ":" in line
                       and not line.startswith("# yaml-language-server")] for name, text in written.items()}
    for name, key in (("imr.yml", "author:"), ("imr.yml", "approved_by:"), ("imr.yml", "- name:"), ("imr.yml", "- id:"),
                      ("imr.yml", "GP:"), ("imr.yml", "author-independent:"), ("chronology.yml", "- date:"), ("actions.yml", "- no:")):
        assert [line for line in examples[name] if line.lstrip("# ").startswith(key)], (name, key)
    assert not [line for lines in examples.values() for line in lines if "{" in line.split("#")[1]], "a flow-style example"
    for name, text in written.items():  # the author selects each example's lines and presses Ctrl+/ (removes `# `)
        (folder / name).write_text(COMMENTED_KEY.sub(r"\1\2", text), encoding="utf-8")
    repo = load(root)
    imr = repo.review("adult-a").imrs["police"]  # type: ignore[union-attr]
    assert (len(imr.family), len(imr.personnel), len(imr.chronology), len(imr.actions)) == (1, 1, 1, 1)
    assert imr.author and imr.approved_by and imr.abbreviations and imr.quality_assurance.answers
    assert imr.chronology[0].by[0].text == imr.personnel[0].id and imr.actions[0].lesson
    found = check(repo, [folder])
    assert [f.code for f in found if f.severity.value == "error"] == ["unknown-lesson"]  # lessons.md has none yet
    placeholders = {f.span for f in found if f.code == "placeholder"}
    assert {imr.author.span("name"), imr.personnel[0].span("name"), imr.chronology[0].span("event")} <= placeholders


# --- Each bad input, planted in one copy of the example and checked once -----------------------------

PLANTED = [
    # (file, the example's text, what the author wrote instead)
    (f"{ASC}/chronology.yml", '    time: "11:05"', '    time: "15:30-14:00"'),
    (f"{ASC}/chronology.yml", '    time: "14:00"', '    time: "25:00-26:00"'),
    (f"{ASC}/chronology.yml", "    by: OT1\n  - date: 2024-03-19", "    by: [OT1, acute-trst/DN1]\n  - date: 2024-03-19"),
    (f"{ASC}/chronology.yml", "    by: [TM1, SW2, acute-trust/DN1]", "    by: [TM1, TM7, acute-trust/TVN2]"),
    (f"{ASC}/chronology.yml", "    outcome: Mr B agreed to a visit on 14 February 2024.\n    by: SW1",
     "    outcome: Mr B agreed to a visit on 14 February 2024.\n    by: []"),
    ("reviews/adult-a/review.yml", "    short_code: RMP\n", "    short_code: RMP\n  - id: police\n    name: Northbridge Police\n"),
    (f"{ASC}/chronology.yml", "    outcome: The bed was never put up.\n    by: RC1\n",
     "    outcome: The bed was never put up.\n    by: [RC1, police/PC1]\n"),
    (f"{ASC}/imr.yml", "    date_of_birth: 1947-03-12\n", "    date_of_birth: not known\n"),
    (f"{ASC}/imr.yml", "    name: Megan Doyle\n", ""),
    (f"{ASC}/chronology.yml", "  - date: 2024-06-28\n", "  - date: TBC\n"),
    (f"{ASC}/actions.yml", "    lesson: L2\n", "    lesson: [L2, L9]\n"),
    (f"{ASC}/actions.yml", "    lesson: L4\n", "    lesson:\n      - L4\n      - Hannah Pryce\n"),
]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Finding]]:
    root = copy_of_example(tmp_path_factory.mktemp("planted"))
    for rel, before, after in PLANTED:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(before) == 1, before
        path.write_text(text.replace(before, after), encoding="utf-8")
    return root, check(load(root))


def planted_at(root: Path, rel: str, written: str, token: str | None) -> tuple[str, int, int]:
    """Where the planted text is: its file, line, and the column of `token` in it (of its value, if None)."""
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if written.strip() in text)
    key = written.strip().split(":", 1)[0]
    return rel, line, lines[line - 1].index(token) + 1 if token else lines[line - 1].index(key) + len(key) + 3


def finding(planted: tuple[Path, list[Finding]], code: str, written: str, token: str | None = None,
            rel: str = f"{ASC}/chronology.yml") -> Finding:
    root, findings = planted
    where = planted_at(root, rel, written, token)
    hits = [f for f in findings if (f.span.path, f.span.line, f.span.col) == where]
    assert [f.code for f in hits] == [code], [str(f) for f in hits]
    return hits[0]


def test_a_reversed_time_range(planted: tuple[Path, list[Finding]]) -> None:
    found = finding(planted, "time-range-reversed", '    time: "15:30-14:00"')
    assert found.message == "the time range 15:30-14:00 ends before it starts"
    assert 'write time: "14:00-15:30"' in (found.hint or "")


def test_a_range_of_hours_that_do_not_exist(planted: tuple[Path, list[Finding]]) -> None:
    found = finding(planted, "bad-format", '    time: "25:00-26:00"')
    assert found.message == ("`25:00-26:00` is not a time on the 24-hour clock: 25:00 does not exist "
                             "(hours run from 00 to 23, minutes from 00 to 59)")
    assert '"14:00-15:30"' in (found.hint or "")


def test_an_unknown_agency_before_the_slash(planted: tuple[Path, list[Finding]]) -> None:
    found = finding(planted, "unknown-agency", "    by: [OT1, acute-trst/DN1]", "acute-trst/DN1")
    assert found.message == "`acute-trst` in `acute-trst/DN1` is not an agency of this review"
    assert (found.hint or "").startswith("did you mean acute-trust? Write `acute-trust/DN1`")


def test_an_agency_of_the_review_whose_imr_is_not_there_yet(planted: tuple[Path, list[Finding]]) -> None:
    found = finding(planted, "unknown-agency", "    by: [RC1, police/PC1]", "police/PC1")
    assert found.message == "`police/PC1` names police, which has no IMR in this review yet, so its staff cannot be looked up"
    assert (found.hint or "").startswith("leave police/PC1 out of `by` until police's IMR lists them under personnel")


def test_an_unknown_id_in_a_list_and_in_another_agencys_list(planted: tuple[Path, list[Finding]]) -> None:
    own = finding(planted, "unknown-person", "    by: [TM1, TM7, acute-trust/TVN2]", "TM7")
    assert own.message == "`TM7` is not an id in the personnel list of imr.yml"
    assert (own.hint or "").startswith("did you mean TM1? Otherwise add TM7 under personnel")
    other = finding(planted, "unknown-person", "    by: [TM1, TM7, acute-trust/TVN2]", "acute-trust/TVN2")
    assert other.message == "`acute-trust/TVN2` is not an id in the personnel list of reviews/adult-a/acute-trust/imr.yml"
    assert (other.hint or "").startswith("did you mean acute-trust/TVN1? Otherwise ask the author of acute-trust's IMR")


def test_an_empty_list_of_staff(planted: tuple[Path, list[Finding]]) -> None:
    found = finding(planted, "empty-value", "    by: []")
    assert found.message == "`by` is an empty list"
    assert found.hint == "put at least one value between the brackets, or delete the line"


def test_an_unknown_lesson_in_a_list(planted: tuple[Path, list[Finding]]) -> None:
    found = finding(planted, "unknown-lesson", "    lesson: [L2, L9]", "L9", rel=f"{ASC}/actions.yml")
    assert found.message == "`L9` is not a lesson in lessons.md"
    assert (found.hint or "").startswith("name one of the lessons (L1, L2, L3 or L4)")


def test_a_restricted_value_in_any_item_of_a_list_of_lessons(planted: tuple[Path, list[Finding]]) -> None:
    root, findings = planted
    lines = (root / ASC / "actions.yml").read_text(encoding="utf-8").split("\n")
    line = lines.index("      - Hannah Pryce") + 1
    here = [f for f in findings if (f.span.path, f.span.line) == (f"{ASC}/actions.yml", line)]
    assert {(f.code, f.span.col, f.severity.value) for f in here} == {("unknown-lesson", 9, "error"), ("real-name", 9, "error")}
    name = next(f for f in here if f.code == "real-name")
    assert name.message.startswith("`Hannah Pryce` is the real name of SW1") and "shown on the status site" in name.message
    imr = load(root).review("adult-a").imrs["adult-social-care"]  # type: ignore[union-attr]
    assert ("Hannah Pryce", 9) in [(text, at.col) for at, text in imr_status_text(imr) if at.line == line]


def test_not_known_in_a_date_says_to_leave_it_out(planted: tuple[Path, list[Finding]]) -> None:
    found = finding(planted, "bad-date", "    date_of_birth: not known", rel=f"{ASC}/imr.yml")
    assert found.message == "`not known` is not a date"
    assert found.hint == ("if the date is not known, leave `date_of_birth` out: delete the line; otherwise write it "
                          "year-month-day, e.g. 2025-03-14")
    entry = finding(planted, "bad-date", "  - date: TBC")
    assert entry.message == "`TBC` is not a date"
    assert entry.hint == "if the day is not known, give the month, e.g. 2024-03, or the year, e.g. 2024, and add `approximate: true`"


def test_a_missing_name_says_it_may_be_not_known(planted: tuple[Path, list[Finding]]) -> None:
    root, findings = planted
    lines = (root / ASC / "imr.yml").read_text(encoding="utf-8").split("\n")
    line = lines.index("  - id: CA1") + 1
    (found,) = [f for f in findings if (f.span.path, f.span.line, f.code) == (f"{ASC}/imr.yml", line, "missing-key")]
    assert found.message == "this member of staff has no `name`"
    assert "or not known if your agency does not know it" in (found.hint or "")
