"""`sarflow check` on the command line: the three formats, the exit codes, PATHs and the pre-commit hook."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sarflow.check import check, reporters
from sarflow.cli import main
from sarflow.findings import Severity, Span, error, warning
from sarflow.load import load
from sarflow.model import Repository

GP = "reviews/adult-a/gp-practice"
TRUST = "reviews/adult-a/acute-trust"


def run(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--root", str(root), "check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_example_passes_and_ends_with_the_count(root: Path, example: Repository, capsys: pytest.CaptureFixture[str]) -> None:
    findings = check(example)
    code, out, _ = run(root, capsys=capsys)
    assert code == 0
    assert out.rstrip("\n").split("\n")[-1] == reporters.summary(findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    files = len({f.span.path for f in findings})
    assert reporters.summary(findings) == f"0 errors, {warnings} warning{'s' * (warnings != 1)} in {files} file{'s' * (files != 1)}"


def test_strict_fails_on_warnings(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(root, "--strict", capsys=capsys)[0] == 1
    assert run(root, "--strict", str(root / "reviews/adult-d"), capsys=capsys)[:2] == (0, "no problems found\n")


def test_errors_fail_and_text_is_grouped_by_file(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_repo / GP / "actions.yml").write_text("actions:\n  - no: 1\n    recommendation: Train staff\n    target_dte: 2026-09-30\n",
                                              encoding="utf-8")
    code, out, _ = run(tmp_repo, str(tmp_repo / GP), capsys=capsys)
    assert code == 1
    assert out.startswith(f"{GP}/actions.yml:4:5: error[unknown-key]: unknown key `target_dte`: did you mean `target_date`?\n"
                          "    hint: rename it to target_date\n\n"), "errors come first"
    assert f"\n{GP}/actions.yml:1:1: warning[schema-line]: " in out
    groups = out.rstrip("\n").split("\n\n")
    heads = [re.match(r"^(\S+?):\d+:\d+: (\w+)", group).groups() for group in groups[:-1]]
    severities = [severity for _, severity in heads]
    assert severities == sorted(severities), "errors before warnings"
    for severity in ("error", "warning"):
        paths = [path for path, s in heads if s == severity]
        assert paths == sorted(set(paths)), "one block per file, in order"
    paths = [path for path, _ in heads]
    assert all(line.startswith((path, "    hint: ")) for path, group in zip(paths, groups, strict=False) for line in group.split("\n"))
    assert re.fullmatch(r"1 error, \d+ warnings in \d+ files", groups[-1])


def test_github_format(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_repo / GP / "actions.yml").write_text(
        '# yaml-language-server: $schema=../../../schema/actions.schema.json\nactions:\n  - no: 1\n    recommendation: x\n    "50%\\nsure": 1\n',
        encoding="utf-8")
    code, out, _ = run(tmp_repo, "--format", "github", str(tmp_repo / GP / "actions.yml"), capsys=capsys)
    assert code == 1
    line = next(row for row in out.split("\n") if "title=unknown-key" in row)
    assert line == (
        f"::error file={GP}/actions.yml,line=5,col=5,title=unknown-key::unknown key `50%25\\nsure`. "
        "The keys allowed here are: no, recommendation, lesson, key_actions, evidence, key_outcome, lead_officer, "
        "target_date, status, date_completed, comment, updates"
    )
    assert re.fullmatch(r"1 error, \d+ warnings? in \d+ files?", out.rstrip("\n").split("\n")[-1])  # and the review's warnings


def test_github_escapes_properties_and_data() -> None:
    findings = [
        warning("imr-late", "late by 3 days", Span("reviews/a,b/c:d.yml", 2, 3), "submit it"),
        error("raw-html", "100% wrong\r\nhere", Span("x.md", 1, 1)),
    ]
    assert reporters.github(findings).split("\n")[:2] == [
        "::warning file=reviews/a%2Cb/c%3Ad.yml,line=2,col=3,title=imr-late::late by 3 days. Submit it",
        "::error file=x.md,line=1,col=1,title=raw-html::100%25 wrong\\r\\nhere",
    ]


def test_json_format(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(tmp_repo, "--format", "json", str(tmp_repo / GP), capsys=capsys)
    data = json.loads(out)
    expected = check(load(tmp_repo), [tmp_repo / GP])
    assert code == 0
    assert data == [
        {"severity": f.severity.value, "code": f.code, "message": f.message, "hint": f.hint,
         "file": f.span.path, "line": f.span.line, "col": f.span.col, "follows": []}
        for f in expected
    ]
    assert data and set(data[0]) == {"severity", "code", "message", "hint", "file", "line", "col", "follows"}


def test_a_missing_path_is_a_usage_error(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(root, "no/such/folder", capsys=capsys)
    assert code == 2 and out == "" and "sarflow check: no/such/folder does not exist" in err


def test_a_path_outside_reviews_is_a_usage_error(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(root, str(tmp_path), capsys=capsys)  # a sibling folder, wherever the clone lives
    assert code == 2 and out == "" and f"{tmp_path} is not inside" in err


def test_unknown_format_is_a_usage_error(root: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--root", str(root), "check", "--format", "xml"])
    assert exit_.value.code == 2


def test_missing_schema_is_an_environment_error(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_repo / "schema/actions.schema.json").unlink()
    code, _out, err = run(tmp_repo, capsys=capsys)
    assert code == 2 and "actions.schema.json cannot be read" in err


def test_not_a_repository_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, capsys=capsys)[0] == 2


def test_module_entry_point(root: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "sarflow", "check", "--format", "json"], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert all(item["severity"] == "warning" for item in json.loads(done.stdout))


def test_pre_commit_hook(root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "sarflow-check")
    assert hook["language"] == "python" and hook["entry"] == "sarflow check"
    pattern = re.compile(hook["files"])
    files = [p.relative_to(root).as_posix() for p in (root / "reviews").rglob("*") if p.is_file()]
    assert files and all(pattern.search(f) for f in files if f.endswith((".yml", ".md")))
    assert not pattern.search("README.md") and not pattern.search("scripts/sarflow/cli.py")
    monkeypatch.chdir(root)  # pre-commit runs the hook at the top of the repository, with the staged files
    staged = [f for f in files if f.startswith("reviews/adult-d/")]  # the review with nothing to say
    assert main(["check", *hook.get("args", []), *staged]) == 0
    assert capsys.readouterr().out == "no problems found\n"


def test_pre_commit_hook_sees_a_problem_a_staged_file_causes_elsewhere(tmp_repo: Path, capsys: pytest.CaptureFixture[str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Taking an abbreviation out of imr.yml's glossary leaves it unexplained in the sections: the hook must say so."""
    hooks = yaml.safe_load((Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "sarflow-check")
    imr = tmp_repo / TRUST / "imr.yml"
    glossary = load(tmp_repo).review("adult-a").imrs["acute-trust"].abbreviations
    word = next(w for w in glossary if f"\n  {w}:" in imr.read_text(encoding="utf-8"))
    imr.write_text(re.sub(rf"\n  {re.escape(word)}:[^\n]*", "", imr.read_text(encoding="utf-8")), encoding="utf-8")
    staged = [f"{TRUST}/imr.yml"]
    monkeypatch.chdir(tmp_repo)
    code = main(["check", *hook.get("args", []), *(staged if hook.get("pass_filenames", True) else [])])
    out = capsys.readouterr().out
    assert code == 0  # a warning does not stop the commit
    assert re.search(rf"^{TRUST}/\w+\.(md|yml):\d+:\d+: warning\[abbreviation-missing\]: `{re.escape(word)}` is used", out, re.M), out



@pytest.mark.parametrize("command", ["check", "build"])
def test_check_and_build_refuse_the_same_paths(root: Path, tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """One rule says what a PATH may be: the two commands agree on a missing path and one outside reviews/."""
    for path, said in (("no/such/folder", "no/such/folder does not exist"), (str(tmp_path), f"{tmp_path} is not inside")):
        assert main(["--root", str(root), command, "--out" if command == "build" else "--strict", *(
            [str(tmp_path / "out")] if command == "build" else []), path]) == 2
        assert f"sarflow {command}: {said}" in capsys.readouterr().err
