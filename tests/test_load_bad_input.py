"""Every bad input of the foundation issue gets a plain message with file:line:col, never a traceback."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import pytest

from sarflow.findings import Finding, Severity
from sarflow.load import load

IMR = "reviews/adult-a/adult-social-care"


def findings_for(root: Path, path: str) -> list[Finding]:
    repo = load(root)
    return [f for f in repo.all_findings() if f.span.path == path]


def only(root: Path, path: str, code: str) -> Finding:
    found = [f for f in findings_for(root, path) if f.code == code]
    assert len(found) == 1, [str(f) for f in findings_for(root, path)]
    assert found[0].severity is Severity.ERROR
    return found[0]


def test_yaml_syntax_error_names_line_and_column(tmp_repo: Path) -> None:
    text = "actions:\n  - no: 1\n    recommendation: Train staff: all of them\n"
    (tmp_repo / IMR / "actions.yml").write_text(text, encoding="utf-8")
    finding = only(tmp_repo, f"{IMR}/actions.yml", "yaml-syntax")
    assert (finding.span.line, finding.span.col) == (3, 32)
    assert "colon" in finding.message and "quotes" in (finding.hint or "")


def test_tab_indentation_is_explained(tmp_repo: Path) -> None:
    (tmp_repo / IMR / "actions.yml").write_text("actions:\n\t- no: 1\n", encoding="utf-8")
    finding = only(tmp_repo, f"{IMR}/actions.yml", "yaml-syntax")
    assert finding.span.line == 2
    assert "tab" in finding.message


def test_file_that_is_not_utf8_names_the_byte(tmp_repo: Path) -> None:
    (tmp_repo / IMR / "imr.yml").write_bytes(b"agency: adult-social-care\nstatus: draft\nauthor: {name: Ren\xe9e}\n")
    finding = only(tmp_repo, f"{IMR}/imr.yml", "not-utf8")
    assert finding.message == "byte 0xE9 at line 3, column 19 is not valid UTF-8 text"
    assert (finding.span.line, finding.span.col) == (3, 19)
    assert "UTF-8" in (finding.hint or "")


def test_empty_file(tmp_repo: Path) -> None:
    (tmp_repo / IMR / "chronology.yml").write_text("", encoding="utf-8")
    finding = only(tmp_repo, f"{IMR}/chronology.yml", "empty-file")
    assert finding.message == "the file is empty"
    assert (finding.span.line, finding.span.col) == (1, 1)


def test_file_of_only_comments(tmp_repo: Path) -> None:
    (tmp_repo / IMR / "chronology.yml").write_text("# yaml-language-server: $schema=x\n# nothing yet\n", encoding="utf-8")
    finding = only(tmp_repo, f"{IMR}/chronology.yml", "empty-file")
    assert finding.message == "the file holds only comments and no data"


def test_alias_bomb_is_refused_with_bounded_memory(tmp_repo: Path) -> None:
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    (tmp_repo / IMR / "actions.yml").write_text("\n".join(levels) + "\n", encoding="utf-8")
    tracemalloc.start()
    finding = only(tmp_repo, f"{IMR}/actions.yml", "yaml-alias")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (finding.span.line, finding.span.col) == (2, 10)  # the first *a0
    assert peak < 50 * 1024 * 1024  # expanded, it would be 10**12 strings


def test_twenty_megabyte_file_is_refused(tmp_repo: Path) -> None:
    with (tmp_repo / IMR / "chronology.yml").open("w", encoding="utf-8") as out:
        out.write("entries:\n")
        line = "  - {date: 2024-01-01, source: x, event: " + "y" * 200 + "}\n"
        for _ in range(20 * 1024 * 1024 // len(line) + 1):
            out.write(line)
    finding = only(tmp_repo, f"{IMR}/chronology.yml", "file-too-large")
    assert finding.message.startswith("the file is 20.0 MB")


def test_bom_and_crlf_are_accepted(tmp_repo: Path) -> None:
    file = tmp_repo / IMR / "actions.yml"
    original = load(tmp_repo).review("adult-a").imrs["adult-social-care"]
    text = file.read_text(encoding="utf-8")
    file.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    section = tmp_repo / IMR / "analysis.md"
    section.write_bytes(b"\xef\xbb\xbf" + section.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    imr = load(tmp_repo).review("adult-a").imrs["adult-social-care"]
    assert imr.findings == []
    assert [a.no for a in imr.actions] == [a.no for a in original.actions]
    assert [a.span("status") for a in imr.actions] == [a.span("status") for a in original.actions]
    assert [h.title for h in imr.sections["analysis"].headings] == [h.title for h in original.sections["analysis"].headings]


def test_impossible_date_is_an_error_at_its_position(tmp_repo: Path) -> None:
    file = tmp_repo / IMR / "imr.yml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text + "submitted_again: 2025-02-30\n", encoding="utf-8")
    finding = only(tmp_repo, f"{IMR}/imr.yml", "impossible-date")
    assert finding.span.line == text.count("\n") + 1
    assert finding.span.col == 18
    assert finding.message == "`2025-02-30` is not a real date"


@pytest.mark.parametrize(
    ("written", "code"),
    [("!!int abc", "bad-value"), ("!!bool maybe", "bad-value"), ("!!float x", "bad-value"), ("!!timestamp abc", "impossible-date")],
)
def test_a_value_marked_with_a_type_it_cannot_have_is_an_error_at_its_position(tmp_repo: Path, written: str, code: str) -> None:
    file = tmp_repo / IMR / "imr.yml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text + f"submitted_again: {written}\n", encoding="utf-8")
    finding = only(tmp_repo, f"{IMR}/imr.yml", code)
    assert (finding.span.line, finding.span.col) == (text.count("\n") + 1, 18)
    assert written.split()[1] in finding.message
    if code == "bad-value":  # what to do about it, not about a date
        assert finding.hint == f"remove the `{written.split()[0]}` before the value, or put the value in double quotes, so that it is read as text"
        assert "date" not in finding.message + finding.hint


def test_duplicate_key_names_the_first(tmp_repo: Path) -> None:
    (tmp_repo / IMR / "imr.yml").write_text("agency: adult-social-care\nstatus: draft\nstatus: approved\n", encoding="utf-8")
    finding = only(tmp_repo, f"{IMR}/imr.yml", "duplicate-key")
    assert finding.message == "`status` appears twice here; the first is on line 2"
    assert (finding.span.line, finding.span.col) == (3, 1)


def test_folder_id_that_is_not_a_slug(tmp_repo: Path) -> None:
    shutil.copytree(tmp_repo / "reviews/adult-a", tmp_repo / "reviews/Adult B")
    finding = only(tmp_repo, "reviews/Adult B", "bad-folder-name")
    assert finding.message == "the review folder name 'Adult B' is not a valid id"
    assert "adult-b" in (finding.hint or "")


def test_agency_folder_not_listed_in_review(tmp_repo: Path) -> None:
    shutil.copytree(tmp_repo / IMR, tmp_repo / "reviews/adult-a/adult-social-cares")
    finding = only(tmp_repo, "reviews/adult-a/adult-social-cares", "unlisted-agency")
    assert finding.message == "the folder adult-social-cares/ is not an agency listed in reviews/adult-a/review.yml"
    assert finding.hint == "did you mean adult-social-care? rename the folder"


@pytest.mark.parametrize(
    ("where", "home"),
    [
        ("reviews/adult-a/chronology.yml", "reviews/<review-id>/<agency-id>/chronology.yml"),
        ("reviews/review.yml", "reviews/<review-id>/review.yml"),
        (f"{IMR}/notes.docx", None),
    ],
)
def test_file_in_the_wrong_place(tmp_repo: Path, where: str, home: str | None) -> None:
    (tmp_repo / where).write_text("entries: []\n", encoding="utf-8")
    finding = only(tmp_repo, where, "misplaced-file")
    assert finding.hint == (f"move it to {home}" if home else "sarflow does not read it: move it out of reviews/ or delete it")


def test_missing_section_file(tmp_repo: Path) -> None:
    (tmp_repo / IMR / "lessons.md").unlink()
    finding = only(tmp_repo, f"{IMR}/lessons.md", "missing-file")
    assert finding.message == "the IMR folder reviews/adult-a/adult-social-care/ has no lessons.md"


def test_cli_reports_load_errors_without_traceback(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sarflow.cli import main

    (tmp_repo / IMR / "actions.yml").write_bytes(b"\xff\xfe")
    code = main(["--root", str(tmp_repo), "build", "--only", "xlsx", "--out", str(tmp_repo / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{IMR}/actions.yml:1:1: error[not-utf8]" in err
    assert "Traceback" not in err


def test_unknown_template_names_the_line(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sarflow.cli import main

    board = tmp_repo / "reviews/board.yml"
    text = board.read_text(encoding="utf-8").replace("template: SAR9 V3", "template: SAR9 V4")
    board.write_text(text, encoding="utf-8")
    line = text.split("\n").index("template: SAR9 V4") + 1
    assert main(["--root", str(tmp_repo), "build", "--only", "xlsx", "--out", str(tmp_repo / "out")]) == 2
    err = capsys.readouterr().err
    assert f"reviews/board.yml:{line}:11: error[unknown-template]: the template 'SAR9 V4' is not in schema/templates/" in err
    assert "(known: SAR9 V3)" in err
    assert not (tmp_repo / "out").exists()
