"""Schema errors and the YAML traps, each from a small failing input, with its exact message and position."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from sarflow import clock
from sarflow.check import check, schema
from sarflow.findings import Finding, Severity
from sarflow.load import load
from sarflow.model import Repository

GP = "reviews/adult-a/gp-practice"
LINE = {
    "actions.yml": "# yaml-language-server: $schema=../../../schema/actions.schema.json\n",
    "chronology.yml": "# yaml-language-server: $schema=../../../schema/chronology.schema.json\n",
    "imr.yml": "# yaml-language-server: $schema=../../../schema/imr.schema.json\n",
}


def write(root: Path, name: str, body: str, *, schema_line: bool = True) -> str:
    """Replace one of the draft IMR's files; the schema line is added so positions start on line 2."""
    rel = f"{GP}/{name}"
    (root / rel).write_text((LINE[name] if schema_line else "") + body, encoding="utf-8")
    return rel


def found(root: Path, rel: str, code: str | None = None) -> list[Finding]:
    """The findings in the file `rel` (with `code`); every one names that file."""
    hits = check(load(root), [root / rel])
    assert all(f.span.path == rel for f in hits)
    return [f for f in hits if code is None or f.code == code]


def one(root: Path, rel: str, code: str) -> Finding:
    hits = found(root, rel, code)
    assert len(hits) == 1, [str(f) for f in found(root, rel)]
    return hits[0]


def at(finding: Finding) -> tuple[int, int, str]:
    return finding.span.line, finding.span.col, finding.message


# Each small failing input that check answers with one finding: the file, what is written in it (after
# its schema line), the code, the line, column and message, and what its hint says (None: not asserted).
ONE_FINDING = {
    "unknown key, the nearest suggested": (
        "actions.yml", "actions:\n  - no: 1\n    recommendation: Train staff\n    target_dte: 2026-09-30\n",
        "unknown-key", (5, 5, "unknown key `target_dte`: did you mean `target_date`?"), "rename it to target_date"),
    "unknown key, nothing near: the keys listed": (
        "actions.yml", "actions:\n  - no: 1\n    recommendation: Train staff\n    zzz: 1\n",
        "unknown-key", (5, 5, "unknown key `zzz`"), "the keys allowed here are: no, recommendation, lesson"),
    "missing keys name the record": (
        "chronology.yml", "entries:\n  - date: 2024-05-01\n    by: GP1\n",
        "missing-key", (3, 5, "this chronology entry has no `source` or `event`"), "add `source:` and `event:` — "),
    "missing top-level key": ("actions.yml", "{}\n", "missing-key", (2, 1, "the file has no `actions`"), None),
    "a number in quotes": (
        "actions.yml", 'actions:\n  - no: "1"\n    recommendation: Train staff\n',
        "wrong-type", (3, 9, "`no` should be a whole number, but `1` is text"), "write a whole number without quotes, e.g. 1"),
    "a file that is a list": (
        "actions.yml", "- no: 1\n",
        "wrong-type", (2, 1, "the file should hold a set of keys and values, but it holds a list"), None),
    "a value not in the list, the near miss suggested": (
        "imr.yml", "agency: gp-practice\nstatus: Draft\n",
        "not-allowed", (3, 9, "`Draft` is not one of the allowed values for `status`: draft, submitted or approved"),
        'did you mean "draft"? Write it exactly so, with the same capitals'),
    "a pattern, in the schema's own words": (
        "imr.yml", "agency: gp-practice\nstatus: draft\npersonnel:\n  - {id: dn 1, name: A Person, role: Nurse}\n",
        "bad-format", (5, 10, "`dn 1` is not written the way `id` needs"),
        "Start with a capital letter, then letters and a number, with no spaces, e.g. DN1."),
    "a date in another form": (
        "actions.yml", "actions:\n  - no: 1\n    recommendation: Train staff\n    target_date: 2026/09/30\n",
        "bad-date", (5, 18, "`2026/09/30` is not a date written year-month-day"),
        "Write a date that exists, as year-month-day, e.g. 2025-03-14."),
    "a date with a time": (
        "actions.yml", "actions:\n  - no: 1\n    recommendation: Train staff\n    target_date: 2026-09-30 10:30\n",
        "bad-date", (5, 18, "`2026-09-30 10:30` has a time in it; `target_date` takes only a date"), None),
    "a number too small": (
        "actions.yml", "actions:\n  - no: 0\n    recommendation: Train staff\n",
        "too-small", (3, 9, "`no` must be 1 or more, not 0"), None),
    "a value of neither allowed form": (
        "imr.yml", "agency: gp-practice\nstatus: draft\nfamily:\n  - name: Mr B\n    date_of_death: unknown\n",
        "invalid-value", (6, 20, "`unknown` is not accepted for `date_of_death`"), "Write n/a for someone who is alive"),
}


@pytest.mark.parametrize("case", list(ONE_FINDING))
def test_a_small_failing_input_gets_its_one_finding_at_its_place(tmp_repo: Path, case: str) -> None:
    name, body, code, where, hint = ONE_FINDING[case]
    finding = one(tmp_repo, write(tmp_repo, name, body), code)
    assert at(finding) == where and finding.severity is Severity.ERROR
    assert hint is None or hint in (finding.hint or "")


def test_misspelt_qa_criterion_is_one_message(tmp_repo: Path) -> None:
    body = 'agency: gp-practice\nstatus: draft\nquality_assurance:\n  legal-advise: {answer: "yes"}\n'
    rel = write(tmp_repo, "imr.yml", body)
    hits = [f for f in found(tmp_repo, rel) if f.span.line == 5]
    assert [(f.code, at(f)) for f in hits] == [("unknown-key", (5, 3, "unknown key `legal-advise`: did you mean `legal-advice`?"))]


def test_misspelt_key_that_is_also_missing_is_one_message(tmp_repo: Path) -> None:
    rel = write(tmp_repo, "actions.yml", "action: []\n")
    assert [(f.code, at(f)) for f in found(tmp_repo, rel)] == [
        ("unknown-key", (2, 1, "unknown key `action`: did you mean `actions`?"))
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [('    recommendation: ""\n', "`recommendation` is empty"), ("    recommendation:\n", "`recommendation` has no value")],
)
def test_empty_values(tmp_repo: Path, line: str, message: str) -> None:
    rel = write(tmp_repo, "actions.yml", "actions:\n  - no: 1\n" + line)
    finding = one(tmp_repo, rel, "empty-value")
    assert finding.span.line == 4 and finding.message == message


def test_missing_schema_line_gives_the_exact_line(tmp_repo: Path) -> None:
    rel = write(tmp_repo, "chronology.yml", "entries: []\n", schema_line=False)
    finding = one(tmp_repo, rel, "schema-line")
    assert at(finding) == (1, 1, "the file does not start with the line that tells VS Code which schema it follows")
    assert finding.hint == "add this as the first line: # yaml-language-server: $schema=../../../schema/chronology.schema.json"
    assert finding.severity is Severity.WARNING


def test_schema_line_naming_another_schema(tmp_repo: Path) -> None:
    rel = f"{GP}/chronology.yml"
    (tmp_repo / rel).write_text("# yaml-language-server: $schema=../../../schema/actions.schema.json\nentries: []\n", encoding="utf-8")
    finding = one(tmp_repo, rel, "schema-line")
    assert finding.message == "the first line names the schema `../../../schema/actions.schema.json`, but this file follows chronology.schema.json"


@pytest.mark.parametrize(
    ("named", "wrong"),
    [("../../../schema/chronology.schema.json", False), ("../../../reviews/../schema/chronology.schema.json", False),
     ("../../schema/chronology.schema.json", True), ("../../../site/chronology.schema.json", True)],
)
def test_schema_line_naming_the_right_schema_file_by_another_path(tmp_repo: Path, named: str, wrong: bool) -> None:
    """The schema line is right when its path leads to the schema file, however it gets there, and wrong
    when the file of that name it leads to is another (one folder too few, or another folder)."""
    rel = f"{GP}/chronology.yml"
    (tmp_repo / rel).write_text(f"# yaml-language-server: $schema={named}\nentries: []\n", encoding="utf-8")
    assert bool(found(tmp_repo, rel, "schema-line")) is wrong


def test_board_and_review_files_are_validated(tmp_repo: Path) -> None:
    board = tmp_repo / "reviews/board.yml"
    board.write_text(board.read_text(encoding="utf-8").replace("short_name:", "shortname:"), encoding="utf-8")
    finding = one(tmp_repo, "reviews/board.yml", "unknown-key")
    assert finding.message == "unknown key `shortname`: did you mean `short_name`? (and 1 more finding that follows from this)"
    assert [f.message for f in finding.follows] == ["the file has no `short_name`"]
    review = tmp_repo / "reviews/adult-a/review.yml"
    review.write_text(review.read_text(encoding="utf-8").replace("basis: mandatory", "basis: Mandatory"), encoding="utf-8")
    line = review.read_text(encoding="utf-8").split("\n").index("basis: Mandatory") + 1
    finding = one(tmp_repo, "reviews/adult-a/review.yml", "not-allowed")
    assert at(finding) == (line, 8, "`Mandatory` is not one of the allowed values for `basis`: mandatory or discretionary")


# --- The YAML traps -------------------------------------------------------------------------------


def test_time_needs_no_quotes(tmp_repo: Path) -> None:
    """YAML 1.2, which sarflow reads as the editor does, has no numbers in base 60: `14:30` is the time as written."""
    rel = write(tmp_repo, "chronology.yml", "entries:\n  - date: 2024-05-01\n    time: 14:30\n    source: GP record\n    event: Seen\n")
    assert found(tmp_repo, rel) == []
    imr = load(tmp_repo).review("adult-a").imrs["gp-practice"]  # type: ignore[union-attr]
    assert imr.chronology[0].time == clock.read("14:30")


def test_time_with_one_digit_for_the_hour(tmp_repo: Path) -> None:
    rel = write(tmp_repo, "chronology.yml", "entries:\n  - date: 2024-05-01\n    time: 9:05\n    source: GP record\n    event: Seen\n")
    finding = one(tmp_repo, rel, "bad-format")
    assert at(finding) == (4, 11, "`9:05` is not written the way a time is")
    assert (finding.hint or "").startswith('write time: "09:05"')


def test_time_written_as_a_number_without_a_colon(tmp_repo: Path) -> None:
    rel = write(tmp_repo, "chronology.yml", "entries:\n  - date: 2024-05-01\n    time: 1430\n    source: GP record\n    event: Seen\n")
    finding = one(tmp_repo, rel, "wrong-type")
    assert at(finding) == (4, 11, "`time` should be text, but `1430` is a number")
    # not time: "1430"
    assert finding.hint == "Write the time on the 24-hour clock with two digits for the hour, e.g. 14:30 or 09:05, or a range such as 14:00-15:30."


@pytest.mark.parametrize("word", ["true", "false", "True", "FALSE"])
def test_boolean_where_text_is_meant(tmp_repo: Path, word: str) -> None:
    body = f"agency: gp-practice\nstatus: draft\nfamily:\n  - name: Mr B\n    relationship: {word}\n"
    rel = write(tmp_repo, "imr.yml", body)
    finding = one(tmp_repo, rel, "yaml-boolean")
    meaning = word.lower()
    assert at(finding) == (6, 19, f'`{word}` without quotes is read by YAML as {meaning}, not as the text "{word}"')
    assert finding.hint == f'put it in double quotes: relationship: "{word}"'


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "No"])
def test_yes_no_on_and_off_are_text(tmp_repo: Path, word: str) -> None:
    """In YAML 1.2 (sarflow's reading and the editor's) only true and false are booleans."""
    body = (f"agency: gp-practice\nstatus: draft\nfamily:\n  - name: Mr B\n    relationship: {word}\n"
            f"quality_assurance:\n  legal-advice:\n    answer: yes\n    comment: {word}\n")
    rel = write(tmp_repo, "imr.yml", body)
    assert [str(f) for f in found(tmp_repo, rel) if f.severity is Severity.ERROR] == []
    imr = load(tmp_repo).review("adult-a").imrs["gp-practice"]  # type: ignore[union-attr]
    assert imr.family[0].relationship == word
    assert imr.quality_assurance.answers["legal-advice"].answer == "yes"


@pytest.mark.parametrize(("written", "meant"), [("true", True), ("yes", True), ("false", False), ("no", False), ('"yes"', True)])
def test_deceased_is_true_false_yes_or_no(tmp_repo: Path, written: str, meant: bool) -> None:
    path = tmp_repo / "reviews/adult-a/review.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("deceased: true", f"deceased: {written}"), encoding="utf-8")
    assert [str(f) for f in check(load(tmp_repo), [path]) if f.severity is Severity.ERROR] == []
    assert load(tmp_repo).review("adult-a").subject.deceased is meant  # type: ignore[union-attr]


def test_uk_date_is_never_guessed(tmp_repo: Path) -> None:
    body = "agency: gp-practice\nstatus: draft\nfamily:\n  - name: Adult 2\n    date_of_birth: 01/02/1981\n"
    rel = write(tmp_repo, "imr.yml", body)
    finding = one(tmp_repo, rel, "uk-date")
    assert at(finding) == (6, 20, "`01/02/1981` is written day/month/year; dates are written year-month-day")
    assert finding.hint == (
        "if you mean 1 February 1981, write date_of_birth: 1981-02-01; please check the day and month, "
        "as sarflow never converts a date for you"
    )
    assert (tmp_repo / rel).read_text(encoding="utf-8").endswith("01/02/1981\n")  # nothing rewritten
    assert found(tmp_repo, rel, "bad-date") == []


def test_uk_date_with_two_digit_year(tmp_repo: Path) -> None:
    body = "agency: gp-practice\nstatus: draft\nfamily:\n  - name: Adult 1\n    date_of_death: 17/11/09\n"
    rel = write(tmp_repo, "imr.yml", body)
    finding = one(tmp_repo, rel, "uk-date")
    assert at(finding) == (6, 20, "`17/11/09` is written day/month/year; dates are written year-month-day")
    assert finding.hint == "write it year-month-day with the year in full (sarflow cannot tell which century '09' means)"


def test_impossible_date_is_reported_once(tmp_repo: Path) -> None:
    rel = write(tmp_repo, "actions.yml", "actions:\n  - no: 1\n    recommendation: Train staff\n    target_date: 2025-02-30\n")
    hits = [f for f in found(tmp_repo, rel) if f.span.line == 5]
    assert [(f.code, at(f)) for f in hits] == [("impossible-date", (5, 18, "`2025-02-30` is not a real date"))]


def test_quoted_impossible_date(tmp_repo: Path) -> None:
    rel = write(tmp_repo, "actions.yml", 'actions:\n  - no: 1\n    recommendation: Train staff\n    target_date: "2025-02-30"\n')
    hits = [f for f in found(tmp_repo, rel) if f.span.line == 5]
    assert [(f.code, at(f)) for f in hits] == [("impossible-date", (5, 18, "`2025-02-30` is not a real date"))]


def test_unquoted_year_is_an_approximate_date(tmp_repo: Path) -> None:
    body = "entries:\n  - date: 2024\n    approximate: true\n    source: GP record\n    event: Letters about missed reviews\n    by: GP1\n"
    rel = write(tmp_repo, "chronology.yml", body)
    assert [str(f) for f in found(tmp_repo, rel)] == []


# --- The validators ------------------------------------------------------------------------------


WRONG = (12, "", None, True, "2025-02-30", "x", [], {})


def _variants(data: object, path: tuple = ()) -> list[tuple[tuple, object]]:
    """(where, replacement) for every value of `data`: one of the wrong kinds of value in turn, and an unknown key."""
    out: list[tuple[tuple, object]] = []
    if isinstance(data, dict):
        out.append(((*path, "zz_unknown"), "x"))
        for key, value in data.items():
            out += _variants(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _variants(value, (*path, i))
    out.append((path, WRONG[len(out) % len(WRONG)]))
    return out


def _replaced(data: object, path: tuple, value: object) -> object:
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replaced(copy[path[0]] if path[0] in copy or isinstance(copy, list) else None, path[1:], value)
    return copy


def test_each_validator_is_compiled_once_and_judges_as_the_schema_does(example: Repository, root: Path) -> None:
    """The compiled validators inline the schemas' $refs (for speed); they must judge exactly as the schemas do."""

    def judged(validator: Draft202012Validator, instance: object) -> list[tuple]:
        return sorted((tuple(map(str, e.absolute_path)), e.validator, e.message, e.schema.get("description"),
                       e.schema.get("patternErrorMessage"), e.schema.get("title"))
                      for e in validator.iter_errors(instance))

    documents = [example.board_document, example.review("adult-a").document]
    documents += example.review("adult-a").imrs["gp-practice"].documents.values()
    compared = 0
    for document in documents:
        path = schema.schema_file(root, document)
        assert path is not None
        compiled = schema._validator(path)
        assert schema._validator(path) is compiled, "compiled once, then reused"
        assert "$ref" not in json.dumps(compiled.schema)
        plain = Draft202012Validator(json.loads(path.read_text(encoding="utf-8")), format_checker=Draft202012Validator.FORMAT_CHECKER)
        data = schema._prepared(Path(document.path).name, document.data)
        for where, value in _variants(data):
            instance = _replaced(data, where, value)
            assert judged(compiled, instance) == judged(plain, instance), (document.path, where, value)
            compared += 1
    assert compared > 200


def test_the_fast_validator_passes_only_what_jsonschema_passes(example: Repository, root: Path) -> None:
    """jsonschema-rs answers first; where it finds a file valid, jsonschema must find nothing wrong either.

    Every value of every kind of file in turn is replaced by a wrong one (and by values that
    Python's and Rust's patterns read differently: Unicode digits, a final line break, a key
    that is a number), and wherever the fast path passes the result, jsonschema must too."""
    tricky = ("٢٠٢٤-٠١-٠١", "2024-01-01\n", "Q1\n", "2024-02-29", "2023-02-29", float("nan"), 10**30, -(10**30), "\ud800")
    documents = [example.board_document, *(r.document for r in example.reviews), *(r.recommendations_document for r in example.reviews)]
    documents += [d for imr in example.imrs() for d in imr.documents.values()]
    passed = failed = 0
    for document in documents:
        if document is None or document.data is None:
            continue
        path = schema.schema_file(root, document)
        assert path is not None
        plain = Draft202012Validator(json.loads(path.read_text(encoding="utf-8")), format_checker=Draft202012Validator.FORMAT_CHECKER)
        data = schema._prepared(Path(document.path).name, document.data)
        variants = [*_variants(data), *((where, value) for where, _ in _variants(data)[::7] for value in tricky)]
        variants += [((*where[:-1], 1), "x") for where, _ in _variants(data) if where and where[-1] == "zz_unknown"]  # a key that is a number
        for where, value in [((), data), *variants]:
            instance = _replaced(data, where, value)
            if schema._passes(path, instance):
                passed += 1
                assert not list(plain.iter_errors(instance)), (document.path, where, value)
            else:
                failed += 1
    assert passed > 100 and failed > 100


def test_a_key_written_with_a_dot_is_shown_nested(tmp_repo: Path) -> None:
    """`approved_by.name:` is how messages name the key; the hint says how YAML writes it, not "rename it to approved_by"."""
    rel = write(tmp_repo, "imr.yml", "agency: gp-practice\nstatus: draft\napproved_by.name: Marcus Ellery\n")
    finding = one(tmp_repo, rel, "unknown-key")
    assert at(finding) == (4, 1, "unknown key `approved_by.name`: `name` goes under `approved_by:`, on a line of its own")
    assert finding.hint == "write `approved_by:` on this line and `name: Marcus Ellery` on the next, indented by two more spaces"
    path = tmp_repo / rel
    path.write_text(path.read_text(encoding="utf-8").replace("approved_by.name: Marcus Ellery", "approved_by:\n  name: Marcus Ellery"),
                    encoding="utf-8")
    assert found(tmp_repo, rel, "unknown-key") == []


def _prepared_by_path(name: str, data: object) -> object:
    """What the schema is shown, worked out the plain way: every value with its path (the reference for the test below)."""

    def walk(value: object, path: tuple[object, ...]) -> object:
        if isinstance(value, dict):
            return {k: walk(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*path, i)) for i, v in enumerate(value)]
        if isinstance(value, dt.datetime):
            return value.isoformat(sep=" ")
        if isinstance(value, dt.date):
            return value.isoformat()
        if name == "chronology.yml" and len(path) == 3 and path[2] == "date" and type(value) is int and 1000 <= value <= 9999:
            return str(value)
        return value

    return walk(data, ())


_leaves = (st.text(max_size=5) | st.integers(-20, 20_000) | st.booleans() | st.none() | st.floats(allow_nan=False)
           | st.dates() | st.datetimes())
_data = st.recursive(_leaves, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.sampled_from(["date", "event", "entries", "no"]), inner, max_size=4), max_leaves=25)


@settings(max_examples=300)
@given(st.sampled_from(["chronology.yml", "imr.yml"]), _data)
@example("chronology.yml", {"entries": [{"date": 2024, "event": "x"}, {"date": 999}, {"date": 12000}], "date": 2024})
def test_the_data_the_schema_is_shown_is_what_a_walk_with_every_path_gives(name: str, data: object) -> None:
    assert schema._prepared(name, data) == _prepared_by_path(name, data)
