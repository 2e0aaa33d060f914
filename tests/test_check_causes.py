"""Root cause first: what follows from a misspelt key or a repeated unknown id is folded under it; errors lead.

And on GitHub: at most ten annotations of each kind, the causes among them; every
finding, folded ones too, in the job summary; a folder's finding on a file in it.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import rewrite
from sarflow.check import check, reporters
from sarflow.cli import main
from sarflow.findings import Severity
from sarflow.load import load

ASC = "reviews/adult-a/adult-social-care"


def test_a_misspelt_personnel_key_is_the_one_finding(tmp_repo: Path) -> None:
    line = rewrite(tmp_repo, f"{ASC}/imr.yml", "personnel:", "personel:")
    found = check(load(tmp_repo), [tmp_repo / ASC])
    errors = [f for f in found if f.severity is Severity.ERROR]
    assert [(f.code, f.span.path, f.span.line) for f in errors] == [("unknown-key", f"{ASC}/imr.yml", line)]
    cause = errors[0]
    assert re.search(r"did you mean `personnel`\? \(and \d+ more findings that follow from this\)$", cause.message)
    assert len(cause.follows) > 20 and {f.code for f in cause.follows} == {"unknown-person"}
    assert not [f for f in found if f.code == "unknown-person"]


def test_a_misspelt_key_of_an_entry_takes_its_missing_key(tmp_repo: Path) -> None:
    rel = f"{ASC}/chronology.yml"
    rewrite(tmp_repo, rel, "    event: Case allocated to SW1.", "    evnt: Case allocated to SW1.")
    rewrite(tmp_repo, rel, "    event: Adult A agreed by telephone to a referral to the community alarm service.\n", "")
    lines = (tmp_repo / rel).read_text(encoding="utf-8").split("\n")
    other, misspelt = lines.index("  - date: 2023-11-23") + 1, lines.index("    evnt: Case allocated to SW1.") + 1
    found = check(load(tmp_repo), [tmp_repo / rel])
    assert [(f.code, f.span.line) for f in found if f.severity is Severity.ERROR] == [
        ("missing-key", other), ("unknown-key", misspelt)  # the other entry's own missing event stays
    ]
    cause = next(f for f in found if f.code == "unknown-key")
    assert [f.code for f in cause.follows] == ["missing-key"]


def test_an_id_renamed_in_the_personnel_list_is_reported_once(tmp_repo: Path) -> None:
    rewrite(tmp_repo, f"{ASC}/imr.yml", "  - id: TM1\n", "  - id: TM2\n")
    found = check(load(tmp_repo), [tmp_repo / ASC])
    tm1 = [f for f in found if f.code == "unknown-person" and "`TM1`" in f.message]
    assert len(tm1) == 1
    assert tm1[0].follows and all("`TM1`" in f.message for f in tm1[0].follows)
    assert f"(and {len(tm1[0].follows)} more finding" in tm1[0].message


def test_errors_come_before_warnings_in_every_format(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rewrite(tmp_repo, f"{ASC}/chronology.yml", "  - date: 2024-02-08", "  - date: 2024-01-08")  # a warning, early in a file
    rewrite(tmp_repo, f"{ASC}/narrative.md", "Her husband died in 2009", "Her husband died in 2009 <br>")  # an error, later
    found = check(load(tmp_repo))
    order = [f.severity for f in found]
    assert order == sorted(order, key=lambda s: s is not Severity.ERROR) and Severity.WARNING in order
    assert main(["--root", str(tmp_repo), "check", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["severity"] for d in data] == [f.severity.value for f in found]


def test_github_annotates_ten_of_each_and_the_summary_lists_every_one(
    tmp_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rel = f"{ASC}/chronology.yml"
    path = tmp_repo / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(\n    by: )(\w+)", lambda m: f"{m.group(1)}X{m.group(2)}", text), encoding="utf-8")  # 20+ unknown ids
    rewrite(tmp_repo, f"{ASC}/imr.yml", "personnel:", "personel:")
    summary_file = tmp_repo / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    assert main(["--root", str(tmp_repo), "check", "--format", "github"]) == 1
    out = capsys.readouterr().out.split("\n")
    errors = [line for line in out if line.startswith("::error ")]
    assert 1 <= len(errors) <= reporters.ANNOTATED
    assert "title=unknown-key::unknown key `personel`: did you mean `personnel`?" in errors[0], "the cause is annotated first"
    assert len([line for line in out if line.startswith("::warning ")]) <= reporters.ANNOTATED
    found = check(load(tmp_repo))
    every = [*found, *(c for f in found for c in f.follows)]
    summary = summary_file.read_text(encoding="utf-8")
    assert len(every) > 2 * reporters.ANNOTATED
    for finding in every:
        assert f"`{finding.span}`" in summary, str(finding)


def test_a_folders_finding_is_annotated_on_a_file_in_it(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(tmp_repo / ASC, tmp_repo / "reviews/adult-a/adult-social-cares")
    assert main(["--root", str(tmp_repo), "check", "--format", "github"]) == 1
    line = next(row for row in capsys.readouterr().out.split("\n") if "title=unlisted-agency" in row)
    assert "file=reviews/adult-a/adult-social-cares/" in line and ",line=1," in line
    file = re.search(r"file=([^,]+),", line).group(1)
    assert (tmp_repo / file).is_file()


def test_the_summary_escapes_what_authors_wrote() -> None:
    from sarflow.findings import Span, error

    text = reporters.job_summary([error("raw-html", "a | b <script>", Span("x.md", 1, 1), "remove <b>")])
    assert "<script>" not in text and "&lt;script&gt;" in text and "a \\| b" in text


def test_a_wrong_period_takes_every_entry_it_puts_outside(tmp_repo: Path) -> None:
    text = (tmp_repo / "reviews/adult-a/review.yml").read_text(encoding="utf-8")
    end = re.search(r"\n  to: (\S+)", text).group(1)
    line = rewrite(tmp_repo, "reviews/adult-a/review.yml", re.search(r"\n  from: \S+", text).group(0),
                 f"\n  from: {end}") + 1
    found = check(load(tmp_repo))
    assert not [f for f in found if f.code == "outside-period"]
    cause = next(f for f in found if f.code == "period-empty")
    assert cause.span.line == line and len(cause.follows) > 10
    assert {f.code for f in cause.follows} == {"outside-period"}
