"""Nothing sarflow prints carries author text raw: no line it prints can start a workflow command.

A review reference holding a line break and `::error ...` used to print a line that a
GitHub runner obeys. The properties here generate hostile values (random control
characters, line breaks, Unicode separators and bidirectional controls around
`::error`, `::add-mask::` and `##[error]`), plant them in the review files as an author
could, run the commands the workflow runs (check as text and as annotations, build,
diff, and an Action Plan import's preview) and read every line they print.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from sarflow.load import load
from sarflow.outputs import imr_dir
from sarflow.printed import escaped, line
from sarflow.xlsx.layout import ACTION_PLAN_FILE, FIRST_ROW
from test_diff_repo import Repo, edit_yaml, sarflow

ROOT = Path(__file__).resolve().parents[1]
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
ANNOTATION = re.compile(r"::(error|warning) file=[^\s,:]*,line=\d+,col=\d+,title=[a-z0-9-]+::\S")
COMMANDS = ["::error file=x,line=1::pwned", "::add-mask::", "##[error]pwned", "::stop-commands::x", "::set-output name=a::b"]
BREAKS = ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c"]

hostile = st.lists(
    st.one_of(
        st.sampled_from(COMMANDS),
        st.sampled_from(BREAKS),
        st.sampled_from(["\x1b[2J", "\x00", "\x07", "\x7f", "\x9b", "\u202e", "\u2066", "\ufeff", "\t", " ", "  "]),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=4),
        st.sampled_from(["Adult B", "SAR 13", "Police"]),
    ),
    min_size=2, max_size=8,
).map("".join).filter(lambda v: v.strip() and any(b in v for b in BREAKS) and "::" in v)


def assert_printed_safely(output: str, annotations: bool = False) -> None:
    """No line may start (after spaces) with `::` or `##[`, except check's own annotations; no control character."""
    assert not UNSAFE.search(output), f"a control character was printed: {output!r}"
    for printed in output.split("\n"):
        text = printed.lstrip()
        if text.startswith("::") and annotations and ANNOTATION.match(text):
            continue
        assert not text.startswith(("::", "##[")), f"this printed line starts a workflow command: {printed!r}"


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))))
def test_a_printed_line_never_holds_a_control_character_nor_starts_a_command(text: str) -> None:
    shown = line(text)
    assert "\n" not in shown
    assert_printed_safely(shown)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp"))))
def test_ordinary_text_is_printed_as_written(text: str) -> None:
    assert escaped(text) == text


def test_each_kind_of_break_and_control_is_shown_as_an_escape() -> None:
    assert line("SAR12\n::error file=x::pwned") == "SAR12\\n::error file=x::pwned"
    assert line("  ::error::x") == "  \\x3a:error::x" and line("##[error]x") == "\\x23#[error]x"
    assert escaped("a\r\x1b[2J\u2028\u202eb\x85") == "a\\r\\x1b[2J\\u2028\\u202eb\\x85"


@pytest.fixture(scope="module")
def workbook_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("printed-build")
    code, _, err = sarflow(ROOT, "build", "--only", "xlsx", "--out", str(out))
    assert code == 0, err
    return out


def plant(root: Path, value: str) -> str:
    """Put `value` in the fields whose text reaches a message or summary; returns the IMR (review/agency)."""
    review = root / "reviews" / "adult-a"
    value = DoubleQuotedScalarString(value)  # written with escapes, as an editor could; any other style may not hold it

    def review_fields(data) -> None:
        data["reference"] = value
        data["agencies"][0]["name"] = value

    edit_yaml(review / "review.yml", review_fields)
    agency = load(root).reviews[0].agencies[0].id
    imr = review / agency

    def action_fields(data) -> None:
        first = data["actions"][0]
        first.update(status=value, lesson=value, recommendation=value, lead_officer=value)

    edit_yaml(imr / "actions.yml", action_fields)
    edit_yaml(imr / "chronology.yml", lambda data: data["entries"][0].update(source=value))
    with (imr / "analysis.md").open("a", encoding="utf-8") as section:
        section.write(f"\n## Q99 {value}\n\nAn answer.\n")
    return f"adult-a/{agency}"


# Each example runs five commands: few examples, and no shrinking (a failure names its value as it is).
@settings(max_examples=5, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(value="SAR12\n::error file=x::pwned")  # the issue's own case
@given(value=hostile)
def test_no_command_prints_a_line_that_starts_a_workflow_command(value: str, workbook_build: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("reviews", "schema"):
            shutil.copytree(ROOT / name, root / name)
        repo = Repo(root)
        base = repo.commit("the example")
        ident = plant(root, value)
        head = repo.commit("hostile values")
        reference = load(root).reviews[0].reference  # as YAML read it back: it normalises some line breaks
        runs = {
            "check": sarflow(root, "check"),
            "check --format github": sarflow(root, "check", "--format", "github"),
            "build": sarflow(root, "build", "--only", "xlsx", "--out", str(root / "out")),
            "diff": sarflow(root, "diff", base, head),
        }
        book = openpyxl.load_workbook(imr_dir(workbook_build, *ident.split("/")) / ACTION_PLAN_FILE)
        plan = load(ROOT).template.action_plan
        column = [c.key for c in plan.columns].index("recommendation") + 1
        book[plan.sheet].cell(FIRST_ROW, column, ILLEGAL_CHARACTERS_RE.sub("", value) or "x")
        book.save(root / "Returned.xlsx")
        shutil.rmtree(root / "reviews")
        shutil.copytree(ROOT / "reviews", root / "reviews")
        runs["import"] = sarflow(root, "import", "action-plan", str(root / "Returned.xlsx"), ident)
    assert line(f"{reference} (adult-a)") in runs["build"][1], "the reference is printed, escaped"
    for command, (_, out, err) in runs.items():
        assert "Traceback" not in err, command
        assert_printed_safely(out + err, annotations=command == "check --format github")
