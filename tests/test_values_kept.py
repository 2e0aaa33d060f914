"""No value the author wrote is lost in silence: a `#` that cuts a value short, and a staff id given twice.

The `#` property is tested on the loader from the author's side: any text with ` #` in
it, written after a key without quotes, is warned about at the `#` (YAML keeps only
what comes before it); the same text in quotes is read whole, without a warning; a
note written as one (two spaces, `#`, a space) is left alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarflow.cli import main
from sarflow.findings import Severity
from sarflow.load.yamlfile import read_yaml

IMR = "reviews/adult-a/acute-trust"
# Words an author writes: a letter, then letters, digits and the punctuation of a record's
# name (a value of digits alone would be read as a number).
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
WORD = st.builds(
    str.__add__, st.sampled_from(LETTERS), st.text(alphabet=st.sampled_from(LETTERS + "0123456789()./"), max_size=11)
)
WORDS = st.lists(WORD, min_size=1, max_size=5).map(" ".join)


def read(tmp_path: Path, text: str):
    path = tmp_path / "chronology.yml"
    path.write_text(text, encoding="utf-8")
    return read_yaml(path, "chronology.yml")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=WORDS, after=WORDS, tight=st.booleans())
def test_a_hash_inside_an_unquoted_value_is_a_warning_at_the_hash(tmp_path: Path, before: str, after: str, tight: bool) -> None:
    lost = f"#{after}" if tight else f"# {after}"
    line = f"  - source: {before} {lost}"
    doc = read(tmp_path, f"entries:\n{line}\n    event: Seen.\n")
    assert doc.data["entries"][0]["source"] == before  # what YAML keeps
    found = [f for f in doc.findings if f.code == "comment-in-value"]
    assert len(found) == 1, [str(f) for f in doc.findings]
    warning = found[0]
    assert warning.severity is Severity.WARNING
    assert (warning.span.line, warning.span.col) == (2, line.index("#") + 1)
    assert "everything after # is read as a comment" in warning.message and lost in warning.message
    assert f'source: "{before} {lost}"' in (warning.hint or "")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=WORDS, after=WORDS)
def test_the_same_value_in_quotes_is_read_whole(tmp_path: Path, before: str, after: str) -> None:
    doc = read(tmp_path, f'entries:\n  - source: "{before} #{after}"\n    event: Seen.\n')
    assert doc.data["entries"][0]["source"] == f"{before} #{after}"
    assert not [f for f in doc.findings if f.code == "comment-in-value"]


@pytest.mark.parametrize("text", [
    "entries:\n  - source: Ward record  # the night staff's\n    event: Seen.\n",
    "entries:\n  - source: Ward record\t# a note\n    event: Seen.\n",
    "entries:\n  - source: Ward record\n    action:   # to be added\n    event: Seen.\n",
    "entries:\n  # a note on a line of its own #2\n  - source: Ward record\n    event: Seen.\n",
])
def test_a_note_written_as_one_is_left_alone(tmp_path: Path, text: str) -> None:
    assert [str(f) for f in read(tmp_path, text).findings if f.code == "comment-in-value"] == []


@pytest.mark.parametrize(("line", "kept"), [
    ("  - source: Ward 12 nursing record #2 (night staff)", "Ward 12 nursing record"),
    ("  - source: GP letter # 2", "GP letter"),  # one space before the #: not a note
    ("  - date: 2024-03-01 #approx", None),  # a date, cut short, is still a date
    ("  - source: #2 from the ward", None),  # nothing is left of the value at all
])
def test_each_way_a_hash_cuts_a_value(tmp_path: Path, line: str, kept: str | None) -> None:
    doc = read(tmp_path, f"entries:\n{line}\n    event: Seen.\n")
    found = [f for f in doc.findings if f.code == "comment-in-value"]
    assert [(f.span.line, f.span.col) for f in found] == [(2, line.index("#") + 1)]
    if kept is not None:
        assert doc.data["entries"][0]["source"] == kept


def test_the_example_writes_its_notes_as_notes(example) -> None:
    assert [str(f) for f in example.all_findings() if f.code == "comment-in-value"] == []


def test_check_reports_the_hash_at_its_line_and_column(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_repo / IMR / "chronology.yml"
    text = path.read_text(encoding="utf-8")
    old = "source: Ward nursing record"
    assert old in text
    path.write_text(text.replace(old, "source: Ward 12 nursing record #2 (night staff)", 1), encoding="utf-8")
    line_no = text[: text.index(old)].count("\n") + 1
    col = text.split("\n")[line_no - 1].index("source:") + len("source: Ward 12 nursing record ") + 1
    assert main(["--root", str(tmp_repo), "check", str(tmp_repo / IMR)]) == 0  # a warning only
    out = capsys.readouterr().out
    assert (f"{IMR}/chronology.yml:{line_no}:{col}: warning[comment-in-value]: everything after # is read as a "
            "comment: `#2 (night staff)` is left out and the value is only `Ward 12 nursing record`") in out
    assert 'put the value in quotes: source: "Ward 12 nursing record #2 (night staff)"' in out


@pytest.mark.parametrize("second", ["ED1", "ed1"])
def test_a_staff_id_given_twice_is_an_error(tmp_repo: Path, capsys: pytest.CaptureFixture[str], second: str) -> None:
    path = tmp_repo / IMR / "imr.yml"
    text = path.read_text(encoding="utf-8")
    first_line = text.split("\n").index("  - id: ED1") + 1
    added = f"  - id: {second}\n    name: Dr Locum\n    role: Locum registrar\n  - id: ED2\n"
    path.write_text(text.replace("  - id: ED2\n", added, 1), encoding="utf-8")
    second_line = path.read_text(encoding="utf-8").split("\n").index(f"  - id: {second}", first_line) + 1
    assert main(["--root", str(tmp_repo), "check", str(tmp_repo / IMR)]) == 1
    out = capsys.readouterr().out
    assert (f"{IMR}/imr.yml:{second_line}:9: error[duplicate-person]: the id `{second}` is given to two members "
            f"of staff; the first is on line {first_line}") in out
