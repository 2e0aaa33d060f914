"""recommendations.yml: loaded with positions, and each rule about it with its exact message and position.

The file is written here into a copy of the example's first review, as a board's
business manager would write it; what it refers to (agencies, their actions, the board's
themes) is read from the loaded example, never typed in.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import edit_yaml
from sarflow.check import check
from sarflow.findings import Finding, Severity, Span
from sarflow.load import load
from sarflow.model import FULLY_ACCEPTED, RESPONSES, Repository

REVIEW = "reviews/adult-a"
FILE = f"{REVIEW}/recommendations.yml"
HEAD = "# yaml-language-server: $schema=../../schema/recommendations.schema.json\n"


def parts(example: Repository) -> tuple[str, int, str, str]:
    """An agency of the first review with actions, one of its action numbers, and two of the board's themes."""
    review = example.review("adult-a")
    assert review is not None and example.board is not None
    imr = next(i for i in review.imrs.values() if i.actions)
    themes = [t.id for t in example.board.themes if t.id]
    assert len(themes) >= 2, "the example board has fewer than two themes"
    return imr.agency_id, imr.actions[-1].no or 1, themes[0], themes[1]


def good(example: Repository) -> str:
    agency, no, theme, other = parts(example)
    return HEAD + f"""findings:
  - id: F1
    text: Agencies did not use the self-neglect protocol.
  - id: F2
    text: No one assessed capacity.
recommendations:
  - id: R1
    finding: F1
    text: The board should audit the use of the self-neglect protocol.
    themes: [{theme}]
    to: [board, {agency}]
    response: {{decision: accepted, date: 2026-05-14}}
    actions: [{agency}/{no}]
    board_actions:
      - no: 1
        recommendation: Audit the protocol's use.
        key_actions: Commission an audit of twenty cases.
        evidence: The audit report.
        key_outcome: The board knows how often the protocol is used.
        lead_officer: Board business manager
        target_date: 2026-10-31
        status: In progress
        updates:
          - {{date: 2026-06-01, text: Auditors appointed.}}
  - id: R2
    finding: F2
    text: Agencies should train staff in capacity assessment.
    themes: {other}
    to: {agency}
    response: {{decision: not accepted, date: 2026-05-14, reason: A county-wide programme already covers it.}}
"""


def write(root: Path, text: str) -> None:
    (root / FILE).write_text(text, encoding="utf-8")


def findings(root: Path) -> list[Finding]:
    return [f for f in check(load(root)) if f.span.path == FILE]


def lines(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    """The line and column (1-based) of `needle`'s first appearance in `text`, or of `after` characters into it."""
    for number, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return number, line.index(needle) + 1 + after
    raise AssertionError(f"{needle!r} is not in the file")


def test_a_good_file_is_loaded_with_positions_and_raises_nothing(tmp_repo: Path, example: Repository) -> None:
    text = good(example)
    write(tmp_repo, text)
    found = findings(tmp_repo)
    assert found == []
    review = load(tmp_repo).review("adult-a")
    assert review is not None and review.recommendations is not None
    r1, r2 = review.recommendations.recommendations
    agency, no, theme, other = parts(example)
    assert [f.id for f in review.recommendations.findings] == ["F1", "F2"]
    assert r1.carried_out and not r2.carried_out
    assert [(link.agency, link.no) for link in r1.links] == [(agency, no)]
    assert review.linked_action(r1.links[0]) is review.imrs[agency].actions[-1]
    assert [t.text for t in r1.themes] == [theme] and [t.text for t in r2.themes] == [other]
    assert [t.text for t in r2.to] == [agency]
    assert r2.response is not None and r2.response.reason == "A county-wide programme already covers it."
    board_action = r1.board_actions[0]
    assert board_action.status == "In progress" and board_action.updates[0].text == "Auditors appointed."
    assert board_action.span("target_date") == Span(FILE, *lines(text, "2026-10-31"))
    assert r1.links[0].at == Span(FILE, *lines(text, f"{agency}/{no}"))


def only(found: list[Finding], code: str) -> Finding:
    hits = [f for f in found if f.code == code]
    assert len(hits) == 1, [str(f) for f in found]
    return hits[0]


def test_a_link_to_an_action_that_does_not_exist(tmp_repo: Path, example: Repository) -> None:
    agency, no, _, _ = parts(example)
    text = good(example).replace(f"actions: [{agency}/{no}]", f"actions: [{agency}/{no + 40}, {agency[:-1]}x/{no}]")
    write(tmp_repo, text)
    found = findings(tmp_repo)
    missing = [f for f in found if f.code == "unknown-action"]
    assert [f.span for f in missing] == [Span(FILE, *lines(text, f"{agency}/{no + 40}")), Span(FILE, *lines(text, f"{agency[:-1]}x/"))]
    assert f"has no action {no + 40}" in missing[0].message and missing[0].severity is Severity.ERROR
    assert missing[1].hint == f"did you mean {agency}/{no}?"


def test_an_unknown_finding_recipient_and_theme_each_name_the_near_miss(tmp_repo: Path, example: Repository) -> None:
    agency, _, theme, _ = parts(example)
    text = good(example).replace("    finding: F2", "    finding: F3").replace(f"to: [board, {agency}]", f"to: [bored, {agency}]")
    text = text.replace(f"themes: [{theme}]", f"themes: [{theme[:-1]}]")
    write(tmp_repo, text)
    found = findings(tmp_repo)
    finding = only(found, "unknown-finding")
    assert finding.span == Span(FILE, *lines(text, "F3")) and "F1 and F2" in finding.message
    recipient = only(found, "unknown-recipient")
    assert recipient.span == Span(FILE, *lines(text, "bored")) and recipient.hint == "did you mean board?"
    unknown = only(found, "unknown-theme")
    assert unknown.span == Span(FILE, *lines(text, f"[{theme[:-1]}]", after=1))
    assert unknown.hint == f"did you mean {theme}?"


# R2's response as a board's business manager might leave it: no reason, an empty one, one of spaces.
NO_REASON = {"left out": "", "of spaces": ", reason: '   '"}


@pytest.mark.parametrize("decision", RESPONSES)
@pytest.mark.parametrize("reason", NO_REASON)
def test_a_reason_is_needed_unless_the_recommendation_is_accepted_in_full(
        tmp_repo: Path, example: Repository, decision: str, reason: str) -> None:
    text = good(example).replace("decision: not accepted", f"decision: {decision}").replace(
        ", reason: A county-wide programme already covers it.", NO_REASON[reason])
    text = text.replace(f"    response: {{decision: {decision}", f"    actions: [{parts(example)[0]}/{parts(example)[1]}]\n"
                        f"    response: {{decision: {decision}", 1) if decision != "not accepted" else text
    write(tmp_repo, text)
    flagged = [f for f in findings(tmp_repo) if f.code == "response-without-reason"]
    if decision == FULLY_ACCEPTED:
        assert flagged == []
    else:
        assert [(f.span, f.severity) for f in flagged] == [(Span(FILE, *lines(text, f"decision: {decision}", 10)), Severity.ERROR)]
        assert decision in flagged[0].message


@pytest.mark.parametrize("decision", RESPONSES)
def test_a_recommendation_accepted_in_full_or_in_part_with_no_action_is_flagged(
        tmp_repo: Path, example: Repository, decision: str) -> None:
    text = good(example).replace("decision: not accepted", f"decision: {decision}")
    write(tmp_repo, text)
    flagged = [f for f in findings(tmp_repo) if f.code == "recommendation-without-action"]
    if decision == "not accepted":
        assert flagged == []
    else:
        assert [(f.span, f.severity) for f in flagged] == [(Span(FILE, *lines(text, "id: R2")), Severity.WARNING)]
        assert decision in flagged[0].message


def test_the_boards_actions_are_checked_as_any_action(tmp_repo: Path, example: Repository) -> None:
    text = good(example).replace("status: In progress", "status: in progress").replace(
        "        lead_officer: Board business manager\n", "")
    write(tmp_repo, text)
    found = findings(tmp_repo)
    status = only(found, "action-status")
    assert status.span == Span(FILE, *lines(text, "in progress")) and status.hint.startswith('did you mean "In progress"?')
    incomplete = only(found, "action-incomplete")
    assert "Lead Officer" in incomplete.message and "every action the board takes" in incomplete.message
    assert incomplete.span == Span(FILE, *lines(text, "- no: 1", after=2))


def test_duplicate_numbers(tmp_repo: Path, example: Repository) -> None:
    text = good(example).replace("  - id: F2", "  - id: F1").replace("  - id: R2", "  - id: R1")
    write(tmp_repo, text)
    found = findings(tmp_repo)
    assert only(found, "duplicate-finding").span == Span(FILE, lines(text, "text: No one")[0] - 1, lines(text, "F1")[1])
    assert only(found, "duplicate-recommendation").span.line == lines(text, "finding: F2")[0] - 1


def test_the_schema_judges_the_form_of_a_link_and_the_decision(tmp_repo: Path, example: Repository) -> None:
    agency, no, _, _ = parts(example)
    text = good(example).replace(f"actions: [{agency}/{no}]", f"actions: [{agency} {no}]").replace(
        "decision: not accepted", "decision: rejected")
    write(tmp_repo, text)
    found = findings(tmp_repo)
    codes = {(f.code, f.span.line) for f in found}
    assert ("bad-format", lines(text, f"{agency} {no}")[0]) in codes
    assert ("not-allowed", lines(text, "rejected")[0]) in codes


@pytest.mark.parametrize("field", ["finding text", "recommendation text", "reason", "board action", "update"])
def test_a_restricted_value_in_any_of_its_text_is_an_error(tmp_repo: Path, example: Repository, field: str) -> None:
    person = next(p for imr in example.imrs() for p in imr.personnel if p.name and len(p.name.split()) > 1)
    places = {
        "finding text": "No one assessed capacity.", "recommendation text": "The board should audit the use",
        "reason": "A county-wide programme", "board action": "Commission an audit", "update": "Auditors appointed.",
    }
    text = good(example).replace(places[field], f"{places[field]} {person.name}")
    write(tmp_repo, text)
    found = findings(tmp_repo)
    name = only(found, "real-name")
    assert name.severity is Severity.ERROR and "status site" in name.message
    assert name.span.line == lines(text, person.name)[0]


def test_a_theme_the_board_has_not_listed_when_it_lists_none(tmp_repo: Path, example: Repository) -> None:
    edit_yaml(tmp_repo / "reviews/board.yml", lambda data: data.pop("themes"))
    write(tmp_repo, good(example))
    unknown = [f for f in findings(tmp_repo) if f.code == "unknown-theme"]
    assert len(unknown) == 2 and all("lists none yet" in f.message for f in unknown)


def test_a_recommendations_file_elsewhere_is_misplaced(tmp_repo: Path, example: Repository) -> None:
    agency, _, _, _ = parts(example)
    (tmp_repo / REVIEW / agency / "recommendations.yml").write_text(good(example), encoding="utf-8")
    misplaced = [f for f in check(load(tmp_repo)) if f.code == "misplaced-file"]
    assert len(misplaced) == 1 and misplaced[0].hint == "move it to reviews/<review-id>/recommendations.yml"


def test_a_placeholder_left_in_a_recommendation_or_a_reason_is_flagged(tmp_repo: Path, example: Repository) -> None:
    text = good(example).replace("Agencies should train staff in capacity assessment.", "TBC").replace(
        "A county-wide programme already covers it.", "Reason to follow (TBA).")
    write(tmp_repo, text)
    found = [f for f in findings(tmp_repo) if f.code == "placeholder"]
    assert [f.span for f in found] == [Span(FILE, *lines(text, "TBC")), Span(FILE, *lines(text, "Reason to follow"))]  # a value, where it starts


def test_every_recommendation_of_a_completed_review_has_the_boards_response(tmp_repo: Path, example: Repository) -> None:
    """From the template's stage that completes a review on, a recommendation with no response is flagged;
    before it, the board may not have met yet."""
    text = good(example).replace(
        "    response: {decision: not accepted, date: 2026-05-14, reason: A county-wide programme already covers it.}\n", "")
    write(tmp_repo, text)
    stages = [s.id for s in example.template.stages]
    completing = next(s.id for s in example.template.stages if s.completes)
    review_file = tmp_repo / REVIEW / "review.yml"
    written = review_file.read_text(encoding="utf-8")
    assert "\nstage: imrs-requested\n" in written
    for n, stage in enumerate(stages):
        review_file.write_text(written.replace("\nstage: imrs-requested\n", f"\nstage: {stage}\n"), encoding="utf-8")
        flagged = [f for f in findings(tmp_repo) if f.code == "recommendation-no-response"]
        if n < stages.index(completing):
            assert flagged == [], stage
        else:
            assert [(f.span, f.severity) for f in flagged] == [(Span(FILE, *lines(text, "id: R2", 4)), Severity.WARNING)], stage
            assert "R2 has no response from the board" in flagged[0].message and stage in flagged[0].message
