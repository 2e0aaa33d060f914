"""Every hint that proposes a replacement is applied, as compilers test their fix-its: the finding must go, and no new error come.

Each bad input is written into a copy of the worked example; the hint's proposal
(a line in backticks, `key: value`, "rename it to ...", "did you mean ...?", "write the
line as ...") is read the way an author would read it and made on the finding's line.
The named cases are the hints issue 12 found making things worse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import rewrite
from sarflow.check import check
from sarflow.findings import Finding, Severity
from sarflow.load import load

ASC = "reviews/adult-a/adult-social-care"
TRUST = "reviews/adult-a/acute-trust"
GP = "reviews/adult-a/gp-practice"

Edit = Callable[[str], str]  # the finding's line, as the author corrects it


def proposal(finding: Finding, line: str) -> str | None:
    """The line as the hint says to write it, or None when the hint proposes no replacement."""
    hint = finding.hint or ""
    indent = line[: len(line) - len(line.lstrip(" -"))]
    key = line.strip(" -").split(":", 1)[0]
    if m := re.search(r"rename it to (\S+)", hint):
        return line.replace(f"{key}:", f"{m.group(1)}:", 1)
    if m := re.search(r'did you mean "([^"]+)"\? Write it exactly so', hint):
        return f"{indent}{key}: {m.group(1)}"
    if m := re.search(r"did you mean (\S+)\? Otherwise", hint):
        return f"{indent}{key}: {m.group(1)}"
    if m := re.search(r"write the line as `([^`]+)`", hint):
        return m.group(1)
    if m := re.search(r"`(" + re.escape(key) + r": [^`]+)`", hint):
        return indent + m.group(1)
    if m := re.search(r"(?:double quotes:|write) (" + re.escape(key) + r": (?:\"[^\"]*\"|\S+?))(?:;|$)", hint):
        return indent + m.group(1)
    return None


def errors_in(root: Path, rel: str) -> set[tuple[str, str]]:
    return {(f.code, f.message) for f in check(load(root), [root / rel]) if f.severity is Severity.ERROR}


def the_finding(root: Path, rel: str, code: str) -> Finding:
    found = [f for f in check(load(root), [root / rel]) if f.code == code and f.span.path == rel]
    assert found, f"no {code} in {rel}"
    return found[0]


def apply(root: Path, rel: str, finding: Finding) -> str | None:
    path = root / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    fixed = proposal(finding, lines[finding.span.line - 1])
    if fixed is not None:
        lines[finding.span.line - 1] = fixed
        path.write_text("\n".join(lines), encoding="utf-8")
    return fixed


CASES = [
    # (file, what the author wrote in place of what, code of the finding)
    (f"{ASC}/chronology.yml", ("  - date: 2024-02-15", "  - date: 15/02/2024"), "uk-date"),
    (f"{ASC}/chronology.yml", ("    outcome: Mr B agreed", "    outcom: Mr B agreed"), "unknown-key"),
    (f"{ASC}/chronology.yml", ("    outcome: Mr B agreed to a visit on 14 February 2024.\n    by: SW1",
                               "    outcome: [Mr B agreed to a visit on 14 February 2024, SW1 to visit]\n    by: SW1"), "wrong-type"),
    (f"{ASC}/chronology.yml", ("    outcome: Mr B agreed to a visit on 14 February 2024.\n    by: SW1",
                               "    outcome: Mr B agreed to a visit on 14 February 2024.\n    by: sw1"), "unknown-person"),
    (f"{ASC}/imr.yml", ("status: approved", "status: Approved"), "not-allowed"),
    (f"{ASC}/imr.yml", ("    relationship: Son\n", "    relationship: true\n"), "yaml-boolean"),
    (f"{ASC}/actions.yml", ("    status: Completed\n    date_completed: 2026-06-19", "    status: completed\n    date_completed: 2026-06-19"),
     "action-status"),
    (f"{ASC}/analysis.md", ("## Q2 Mental capacity", "## Question 2 Mental capacity"), "heading-form"),
    (f"{ASC}/lessons.md", ("## L2 Assuming capacity", "## Lesson 2: Assuming capacity"), "heading-form"),
    ("reviews/board.yml", ("short_name: NSAB", "shortname: NSAB"), "unknown-key"),
]


@pytest.mark.parametrize(("rel", "change", "code"), CASES, ids=[f"{c[2]}:{c[1][1].strip()[:30]}" for c in CASES])
def test_the_proposed_fix_clears_the_finding(tmp_repo: Path, rel: str, change: tuple[str, str], code: str) -> None:
    before = errors_in(tmp_repo, rel)
    path = tmp_repo / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(change[0]) == 1
    path.write_text(text.replace(change[0], change[1]), encoding="utf-8")
    finding = the_finding(tmp_repo, rel, code)
    fixed = apply(tmp_repo, rel, finding)
    assert fixed is not None, f"the hint proposes nothing to write: {finding}"
    after = check(load(tmp_repo), [tmp_repo / rel])
    assert not [f for f in after if f.code == code and f.span.line == finding.span.line], (str(finding), fixed)
    assert errors_in(tmp_repo, rel) <= before, (str(finding), fixed)


# The hints issue 12 found making things worse, each now either a fix that works or no fix at all.


def test_a_list_in_by_is_read_as_a_list_not_quoted_into_invalid_yaml(tmp_repo: Path) -> None:
    rel = f"{ASC}/chronology.yml"
    path = tmp_repo / rel
    path.write_text(path.read_text(encoding="utf-8").replace("officer advised\".\n    by: TM1", "officer advised\".\n    by: [DS1, SW1]"),
                    encoding="utf-8")
    finding = the_finding(tmp_repo, rel, "unknown-person")
    assert finding.message == "`DS1` is not an id in the personnel list of imr.yml"
    assert not [f for f in check(load(tmp_repo), [tmp_repo / rel]) if f.code == "wrong-type"]


def test_an_impossible_time_is_not_quoted_as_if_it_were_right(tmp_repo: Path) -> None:
    rel = f"{ASC}/chronology.yml"
    rewrite(tmp_repo, rel, '    time: "14:00"', "    time: 25:00")
    finding = the_finding(tmp_repo, rel, "bad-format")
    assert "25:00" not in (finding.hint or "") and "24-hour clock" in (finding.hint or "")


def test_end_time_is_not_renamed_to_time(tmp_repo: Path) -> None:
    rel = f"{ASC}/chronology.yml"
    rewrite(tmp_repo, rel, '    time: "10:30"', '    time: "10:30"\n    end_time: "11:15"')
    finding = the_finding(tmp_repo, rel, "unknown-key")
    assert "rename" not in (finding.hint or "") and "did you mean" not in finding.message


def test_the_sign_off_hint_shows_the_keys_nested(tmp_repo: Path) -> None:
    rel = f"{ASC}/imr.yml"
    path = tmp_repo / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  name: Marcus Ellery\n", ""), encoding="utf-8")
    finding = the_finding(tmp_repo, rel, "sign-off-incomplete")
    assert "approved_by.name" not in (finding.hint or "")
    assert "`name:` under `approved_by:`" in (finding.hint or "")


def test_no_hint_cites_the_readme(tmp_repo: Path) -> None:
    (tmp_repo / f"{GP}/actions.yml").write_text("", encoding="utf-8")
    (tmp_repo / "reviews/board.yml").unlink()
    for finding in load(tmp_repo).all_findings():
        assert "README" not in (finding.hint or ""), str(finding)


def test_utf16_is_called_utf16(tmp_repo: Path) -> None:
    for encoding in ("utf-16", "utf-16-le"):
        path = tmp_repo / f"{GP}/chronology.yml"
        path.write_bytes((tmp_repo / f"{TRUST}/chronology.yml").read_text(encoding="utf-8").encode(encoding))
        found = [f for f in load(tmp_repo).all_findings() if f.span.path == f"{GP}/chronology.yml"]
        assert [f.code for f in found] == ["not-utf8"]
        assert "UTF-16" in found[0].message and "1252" not in (found[0].hint or "")


def test_a_mistyped_personnel_id_is_never_proposed(tmp_repo: Path) -> None:
    rel = f"{TRUST}/imr.yml"
    rewrite(tmp_repo, rel, "  - id: ED1\n", "  - id: ED 1\n")
    for finding in check(load(tmp_repo), [tmp_repo / TRUST]):
        assert "ED 1?" not in (finding.hint or ""), str(finding)
