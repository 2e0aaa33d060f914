"""Restricted values as authors type them, found by `sarflow check` where they are typed.

Each bad input of issue 10 is here as an author would write it into the worked example's
files: in an action's recommendation and in one of its updates (status-tier text, which
the site shows: always an error, whatever the board's setting), in the narrative (section
text: as the board chooses), and in review.yml. The property test at the end writes
restricted values drawn from written_forms.py into every status-tier field of an IMR's
action plan and of review.yml, and requires an error for each, at its field.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sarflow.check import check
from sarflow.cli import main
from sarflow.findings import Finding, Severity
from sarflow.load import load
from sarflow.model import Action, Record, Repository, Update
from written_forms import Planted, in_a_sentence

ROOT = Path(__file__).resolve().parents[1]
ASC = "reviews/adult-a/adult-social-care"
ACTIONS = f"{ASC}/actions.yml"
REVIEW = "reviews/adult-a/review.yml"
RECOMMENDATION = ("    recommendation: >-\n      Safeguarding triage decisions that a concern does not need enquiries under section 42\n"
                  "      must rest on information from the adult, the referrer and the adult's history with\n      ASC.\n")
UPDATE = "        text: Revised triage procedure approved by the Safeguarding Adults Hub management team.\n"


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def plant_in_action(root: Path, value: str) -> tuple[int, int]:
    """`value` in the first action's recommendation and in its first update; their lines (a folded value's is its key's)."""
    path = root / ACTIONS
    text = path.read_text(encoding="utf-8")
    assert RECOMMENDATION in text and UPDATE in text
    text = text.replace(RECOMMENDATION, f"    recommendation: >-\n      Ask the Hub to review this with {value} before June.\n")
    text = text.replace(UPDATE, f'        text: "Procedure approved; {value} to follow up."\n')
    path.write_text(text, encoding="utf-8")
    return line_of(path, "Ask the Hub to review") - 1, line_of(path, "Procedure approved;")


def findings(root: Path, rel: str) -> list[Finding]:
    return [f for f in check(load(root), [root / rel]) if f.span.path == rel]


# Bad input, each as issue 10 names it: in a recommendation and in an update ------------------------------------

STAFF = "Hannah Pryce"  # SW1 of Adult Social Care
BAD_IN_ACTIONS = [
    ("born 12th March 1947", "date-of-birth", "12th March 1947"),
    ("DOB 12/3/47", "date-of-birth", "12/3/47"),
    ("nb47qt", "postcode", "nb47qt"),
    ("nb4 7qt", "postcode", "nb4 7qt"),
    ("HannahPryce", "real-name", "HannahPryce"),
    ("Hannah\u200bPryce", "real-name", "HannahPryce"),
    ("Hannah Pr\u200byce", "real-name", "Hannah Pryce"),
    ("Han\u00adnah Pryce", "real-name", "Hannah Pryce"),
    ("Hannah \u0420ryce", "real-name", "Hannah Pryce"),  # a Cyrillic P
    ("H\u0430nnah Pryce", "real-name", "Hannah Pryce"),  # a Cyrillic a
    ("hannah pryce", "real-name", "hannah pryce"),
    ("Social Worker Pryce", "real-name", "Worker Pryce"),
    ("943 476 5919", "nhs-number", "943 476 5919"),
    ("07700 900123", "phone-number", "07700 900123"),
    ("ms.c@example.org", "email-address", "ms.c@example.org"),
    ("ab 12 34 56 c", "ni-number", "ab 12 34 56 c"),
    ("14 tanners row", "address", "14 tanners row"),
]


@pytest.mark.parametrize(("value", "code", "shown"), BAD_IN_ACTIONS)
def test_a_restricted_value_in_an_action_is_an_error_whatever_the_board_says(
        tmp_repo: Path, value: str, code: str, shown: str) -> None:
    assert "anonymisation: warning" in (tmp_repo / "reviews/board.yml").read_text(encoding="utf-8")
    recommendation, update = plant_in_action(tmp_repo, value)
    hits = [f for f in findings(tmp_repo, ACTIONS) if f.code == code]
    assert [(f.span.line, f.severity) for f in hits] == [(recommendation, Severity.ERROR), (update, Severity.ERROR)]
    assert all(f.message.startswith(f"`{shown}` ") and "shown on the status site" in f.message for f in hits)
    disguised = any(not ch.isascii() for ch in value)
    assert all(("hidden characters or look-alike letters" in f.message) == disguised for f in hits)
    if code == "real-name":
        assert "the real name of SW1" in hits[0].message and hits[0].hint == "write SW1 instead"


def test_check_exits_1_on_a_restricted_value_in_an_action(tmp_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    recommendation, _ = plant_in_action(tmp_repo, "Hannah\u00adPryce")
    assert main(["--root", str(tmp_repo), "check", str(tmp_repo / ASC)]) == 1
    assert f"{ACTIONS}:{recommendation}:21: error[real-name]: `HannahPryce` is the real name of SW1" in capsys.readouterr().out


def test_a_value_across_a_line_break_in_folded_text(tmp_repo: Path) -> None:
    path = tmp_repo / ACTIONS
    path.write_text(path.read_text(encoding="utf-8").replace(
        RECOMMENDATION, "    recommendation: >-\n      Ask Hannah\n      Pryce to review the plan with the family at 14 Tanners\n"
                        "      Row, and by phone on 07700\n      900123.\n"), encoding="utf-8")
    line = line_of(path, "Ask Hannah") - 1
    hits = findings(tmp_repo, ACTIONS)
    assert [(f.code, f.span.line, f.severity) for f in hits] == [
        ("address", line, Severity.ERROR), ("phone-number", line, Severity.ERROR), ("real-name", line, Severity.ERROR)]
    assert [f.message.split("`")[1] for f in hits] == ["14 Tanners Row", "07700 900123", "Hannah Pryce"]


def test_review_yml_terms_of_reference_and_agency_names_are_checked(tmp_repo: Path) -> None:
    path = tmp_repo / REVIEW
    text = path.read_text(encoding="utf-8")
    text = text.replace("    - id: Q2\n      text: >-\n        How were Adult A's wishes",
                        "    - id: Q2\n      text: >-\n        Why did Dr\n        Achebe not see her, and how were Adult A's wishes")
    text = text.replace("name: Riverside Medical Practice", "name: Riverside Medical Practice (call 0161 496 0123)")
    text = text.replace("scope: >-\n    The review will examine", "scope: >-\n    The review (DOB 12.3.47) will examine")
    path.write_text(text, encoding="utf-8")
    hits = findings(tmp_repo, REVIEW)
    assert [(f.code, f.span.line, f.severity) for f in hits] == [
        ("date-of-birth", line_of(path, "scope:"), Severity.ERROR),
        ("real-name", line_of(path, "- id: Q2") + 1, Severity.ERROR),  # the key line of the folded text
        ("phone-number", line_of(path, "Riverside"), Severity.ERROR),
    ]
    assert "the real name of ED1 in adult-a/acute-trust" in hits[1].message


def test_the_board_setting_governs_section_text_only(tmp_repo: Path) -> None:
    narrative = tmp_repo / f"{ASC}/narrative.md"
    line = "SW1 rang her on 07700 900123 and wrote to ms.c@example.org; NHS no. 9434765919."
    narrative.write_text(f"Seen at home.\n{line}\n", encoding="utf-8")
    hits = findings(tmp_repo, f"{ASC}/narrative.md")
    assert [(f.code, f.span.line, f.span.col, f.severity) for f in hits] == [
        (code, 2, line.index(value) + 1, Severity.WARNING)
        for code, value in (("phone-number", "07700"), ("email-address", "ms.c"), ("nhs-number", "9434"))]
    board = tmp_repo / "reviews/board.yml"
    board.write_text(board.read_text(encoding="utf-8").replace("anonymisation: warning", "anonymisation: error"), encoding="utf-8")
    assert {f.severity for f in findings(tmp_repo, f"{ASC}/narrative.md")} == {Severity.ERROR}


@pytest.mark.parametrize(
    ("text", "code", "col"),
    [
        ("She moved to nb4 7qt in May.", "postcode", 14),
        ("She moved to NB47QT in May.", "postcode", 14),
        ("Her NI number ab123456c was on file.", "ni-number", 15),
        ("Her NI number ab 12 34 56 c was on file.", "ni-number", 15),
        # Hidden characters before the value on the same line count as columns of the file.
        ("\u200b\u200bSeen by Han\u00adnah Pr\u200byce today.", "real-name", 11),
        ("Born \uff11\uff12/\uff13/\uff14\uff17.", "date-of-birth", 6),  # full-width digits
    ],
)
def test_lower_case_and_disguised_values_in_the_narrative(tmp_repo: Path, text: str, code: str, col: int) -> None:
    (tmp_repo / f"{ASC}/narrative.md").write_text(f"First line.\n{text}\n", encoding="utf-8")
    hits = [f for f in findings(tmp_repo, f"{ASC}/narrative.md") if f.code != "abbreviation-missing"]
    assert [(f.code, f.span.line, f.span.col) for f in hits] == [(code, 2, col)]


def test_ordinary_words_and_staff_ids_are_not_flagged(tmp_repo: Path) -> None:
    text = ("SW1 and GP1 met on the 2nd and SW1 2nd visit was agreed; DN1 3rd visit.\n"
            "The price was agreed at Ward 12 in Northbridge, on Mill Lane, in March 2025 (12/03/2025).\n"
            "A price review and a marsh walk; she paid 943 476 5918 pence (not an NHS number); call at 14:30.\n"
            "The sister of Adult A, Mr B and Ms C visited; the nurse and the officer came.\n")
    (tmp_repo / f"{ASC}/narrative.md").write_text(text, encoding="utf-8")
    path = tmp_repo / ACTIONS
    path.write_text(path.read_text(encoding="utf-8").replace(RECOMMENDATION, "    recommendation: >-\n" + "".join(
        f"      {line}\n" for line in text.splitlines())), encoding="utf-8")
    flagged = check(load(tmp_repo), [tmp_repo / ASC])
    assert [str(f) for f in flagged if f.code in ("real-name", "postcode", "nhs-number", "ni-number", "phone-number",
                                                   "email-address", "date-of-birth", "address")] == []


# Property: every written form, in every status-tier field, is an error at that field ---------------------------


EXAMPLE = load(ROOT)  # loaded once; the property test changes values in it and puts them back


def status_fields(repo: Repository) -> list[tuple[Record, str]]:
    """Every text field of the action plan of Adult Social Care, and of review.yml, from the test's side."""
    review = repo.review("adult-a")
    assert review is not None
    chosen: list[tuple[Record, str]] = [(review, "reference")]
    chosen += [(review.subject, "name")] if review.subject else []
    chosen += [(review.terms_of_reference, "scope"), *((q, "text") for q in review.terms_of_reference.questions)]
    chosen += [(a, "name") for a in review.agencies]
    for action in review.imrs["adult-social-care"].actions:
        chosen += [(action, f.name) for f in fields(Action) if isinstance(getattr(action, f.name), str)]
        chosen += [(u, f.name) for u in action.updates for f in fields(Update) if isinstance(getattr(u, f.name), str)]
    return chosen


# Each example plants up to 12 values at once (one check per example): failing examples are not shrunk, as the
# message names every planted value and its field.
@settings(max_examples=40, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_written_form_in_every_status_field_is_an_error(data: st.DataObject) -> None:
    repo = EXAMPLE
    places = status_fields(repo)
    chosen = data.draw(st.lists(st.integers(0, len(places) - 1), min_size=1, max_size=12, unique=True))
    planted: dict[int, Planted] = {i: data.draw(in_a_sentence(repo)) for i in chosen}
    saved = {i: getattr(*places[i]) for i in chosen}
    try:
        for i, value in planted.items():
            setattr(*places[i], value.text)
        review = repo.review("adult-a")
        assert review is not None
        found = check(repo, [review.folder / "review.yml", review.imrs["adult-social-care"].folder / "actions.yml"])
    finally:
        for i, value in saved.items():
            setattr(*places[i], value)
    for i, value in planted.items():
        record, name = places[i]
        here = [f for f in found if f.span == record.span(name) and f.code == value.kind]
        assert here and here[0].severity is Severity.ERROR, f"{value.text!r} in {name} at {record.span(name)}: {found}"
