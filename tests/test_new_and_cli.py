"""`sarflow new` scaffolds files that load cleanly and never overwrites; the CLI basics work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sarflow import __version__
from sarflow.cli import main
from sarflow.load import load


def test_new_review_then_imr_load_cleanly(tmp_repo: Path) -> None:
    assert main(["--root", str(tmp_repo), "new", "review", "adult-b"]) == 0
    assert main(["--root", str(tmp_repo), "new", "imr", "adult-b", "police", "--name", "Northbridge Constabulary", "--due", "2027-01-15"]) == 0
    repo = load(tmp_repo)
    assert [str(f) for f in repo.all_findings() if "adult-b" in f.span.path] == []
    review = repo.review("adult-b")
    assert review is not None
    imr = review.imrs["police"]
    assert imr.status == "draft"
    assert set(imr.sections) == set(repo.template.section_files)
    assert not any(section.written for section in imr.sections.values())  # only guidance comments
    assert [h.title for h in imr.sections["analysis"].headings] == ["Q1", "Good practice"]
    agency = review.agency("police")
    assert agency is not None and agency.name == "Northbridge Constabulary" and str(agency.imr_due) == "2027-01-15"


def test_new_imr_keeps_the_review_files_comments(tmp_repo: Path) -> None:
    review_file = tmp_repo / "reviews/adult-a/review.yml"
    comments = [line for line in review_file.read_text(encoding="utf-8").split("\n") if line.lstrip().startswith("#")]
    assert main(["--root", str(tmp_repo), "new", "imr", "adult-a", "housing", "--name", "Northbridge Homes"]) == 0
    after = review_file.read_text(encoding="utf-8")
    assert all(comment in after for comment in comments)
    repo = load(tmp_repo)
    assert [str(f) for f in repo.all_findings() if "housing" in f.span.path or "review.yml" in f.span.path] == []
    assert [h.title.split()[0] for h in repo.review("adult-a").imrs["housing"].sections["analysis"].headings] == [
        "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Good"
    ]


@pytest.mark.parametrize(
    "argv",
    [["new", "review", "adult-a"], ["new", "imr", "adult-a", "gp-practice"]],
)
def test_new_refuses_to_overwrite(tmp_repo: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in (tmp_repo / "reviews").rglob("*") if p.is_file()}
    assert main(["--root", str(tmp_repo), *argv]) == 2
    assert "already exists; nothing was changed" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in (tmp_repo / "reviews").rglob("*") if p.is_file()} == before


def test_new_refuses_an_id_that_is_not_a_slug(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_repo), "new", "review", "Adult_C"]) == 2
    assert "'Adult_C' is not a valid id" in capsys.readouterr().err
    assert not (tmp_repo / "reviews/Adult_C").exists()


def test_help_and_version() -> None:
    for argv in (["--version"], ["--help"]):
        result = subprocess.run([sys.executable, "-m", "sarflow", *argv], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: sarflow")
    version = subprocess.run([sys.executable, "-m", "sarflow", "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"sarflow {__version__}"


# Which command modules a run of sarflow imported, printed by the child process itself.
_IMPORTED = (
    "import sys\nfrom sarflow.cli import main\n"
    "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    "print(sorted(m for m in sys.modules if m.startswith('sarflow.commands.')), file=sys.stderr)"
)


@pytest.mark.parametrize(
    ("argv", "imported"),
    [
        (["--version"], []),
        (["--help"], []),
        (["schemas", "--help"], ["sarflow.commands.schemas"]),
        (["import", "--help"], ["sarflow.commands.import_", "sarflow.commands.import_action_plan", "sarflow.commands.import_chronology",
                                "sarflow.commands.import_imr"]),
    ],
)
def test_only_the_command_that_runs_is_imported(argv: list[str], imported: list[str]) -> None:
    """`sarflow --version` and `--help` start without loading any command, and a command loads only itself."""
    result = subprocess.run([sys.executable, "-c", _IMPORTED, *argv], capture_output=True, text=True, check=False)
    assert result.stderr.strip().splitlines()[-1] == str(imported), result.stderr
    assert result.stdout.startswith("usage: sarflow" if "--help" in argv else "sarflow ")


def test_outside_a_repository_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 2
    assert "no reviews/ folder" in capsys.readouterr().err
