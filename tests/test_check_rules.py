"""The rules beyond the schema: each from a small failing input, with its exact message and position.

The draft IMR (gp-practice) shows completeness findings as warnings, the submitted
one (acute-trust) as errors. Values that come from the example (its questions, its
period, its referral date) are read from the loaded model, never typed in here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sarflow.check import check
from sarflow.dates import uk, uk_long
from sarflow.findings import Finding, Severity
from sarflow.load import load
from sarflow.model import Review

GP = "reviews/adult-a/gp-practice"  # a draft
TRUST = "reviews/adult-a/acute-trust"  # submitted
ACTIONS = "# yaml-language-server: $schema=../../../schema/actions.schema.json\nactions:\n"
CHRONOLOGY = "# yaml-language-server: $schema=../../../schema/chronology.schema.json\nentries:\n"


def write(root: Path, rel: str, text: str) -> str:
    (root / rel).write_text(text, encoding="utf-8")
    return rel


def found(root: Path, rel: str, code: str) -> list[Finding]:
    """The findings in the file `rel` with `code`; every finding of the check names that file."""
    hits = check(load(root), [root / rel])
    assert all(f.span.path == rel for f in hits)
    return [f for f in hits if f.code == code]


def one(root: Path, rel: str, code: str) -> Finding:
    hits = found(root, rel, code)
    assert len(hits) == 1, [str(f) for f in check(load(root), [root / rel])]
    return hits[0]


def at(finding: Finding) -> tuple[int, int, str]:
    return finding.span.line, finding.span.col, finding.message


def review(root: Path) -> Review:
    loaded = load(root).review("adult-a")
    assert loaded is not None
    return loaded


def questions(root: Path) -> list[str]:
    return [q.id for q in review(root).terms_of_reference.questions if q.id]


def action(no: int, **fields: str) -> str:
    extra = "".join(f"    {k}: {v}\n" for k, v in fields.items())
    return f"  - no: {no}\n    recommendation: Train the team\n{extra}"


# --- 1. Terms of reference answered in analysis.md -------------------------------------------------


def test_question_without_a_heading(tmp_repo: Path) -> None:
    asked = questions(tmp_repo)
    rel = write(tmp_repo, f"{GP}/analysis.md", f"## {asked[0]} Self-neglect\n\nThe practice did not know.\n")
    hits = found(tmp_repo, rel, "tor-unanswered")
    assert [at(f) for f in hits] == [
        (1, 1, f"{q} of the terms of reference has no answer: there is no `## {q}` heading") for q in asked[1:]
    ]
    assert all(f.severity is Severity.WARNING for f in hits)
    assert "a blank answer will be queried" in (hits[0].hint or "")


def test_unanswered_question_is_an_error_once_submitted(tmp_repo: Path) -> None:
    asked = questions(tmp_repo)
    rel = write(tmp_repo, f"{TRUST}/analysis.md", "".join(f"## {q}\n\nAnswered.\n\n" for q in asked[:-1]))
    finding = one(tmp_repo, rel, "tor-unanswered")
    assert finding.message.startswith(f"{asked[-1]} of the terms of reference has no answer")
    assert finding.severity is Severity.ERROR


def test_heading_with_nothing_under_it(tmp_repo: Path) -> None:
    asked = questions(tmp_repo)
    body = "".join(f"## {q}\n\nAnswered.\n\n" for q in asked[:-1]) + f"## {asked[-1]} Mr B\n\n<!-- later -->\n\n## Good practice\n"
    rel = write(tmp_repo, f"{GP}/analysis.md", body)
    line = body.split("\n").index(f"## {asked[-1]} Mr B") + 1
    finding = one(tmp_repo, rel, "tor-empty-answer")
    assert at(finding) == (line, 1, f"nothing is written under the heading for {asked[-1]}")
    assert finding.severity is Severity.WARNING


def test_good_practice_heading_missing_once_submitted(tmp_repo: Path) -> None:
    asked = questions(tmp_repo)
    rel = write(tmp_repo, f"{TRUST}/analysis.md", "".join(f"## {q}\n\nAnswered.\n\n" for q in asked))
    finding = one(tmp_repo, rel, "good-practice-missing")
    assert at(finding) == (1, 1, "analysis.md has no `## Good practice` heading")
    assert finding.severity is Severity.ERROR


def test_good_practice_empty_in_a_draft(tmp_repo: Path) -> None:
    asked = questions(tmp_repo)
    body = "".join(f"## {q}\n\nAnswered.\n\n" for q in asked) + "## Good practice\n\n<!-- to do -->\n"
    rel = write(tmp_repo, f"{GP}/analysis.md", body)
    finding = one(tmp_repo, rel, "good-practice-missing")
    assert at(finding) == (len(asked) * 4 + 1, 1, "nothing is written under `## Good practice`")
    assert finding.severity is Severity.WARNING


def test_not_relevant_without_a_reason(tmp_repo: Path) -> None:
    asked = questions(tmp_repo)
    body = f"## {asked[0]}\n\nNot relevant to our agency.\n\n## {asked[1]}\n\nNot relevant: the practice had no contact with Mr B.\n"
    rel = write(tmp_repo, f"{GP}/analysis.md", body)
    finding = one(tmp_repo, rel, "tor-no-reason")
    assert at(finding) == (1, 1, f"the answer to {asked[0]} says it is not relevant but not why")


def test_heading_for_a_question_that_does_not_exist(tmp_repo: Path) -> None:
    asked = questions(tmp_repo)
    extra = f"Q{len(asked) + 1}"
    body = "".join(f"## {q}\n\nAnswered.\n\n" for q in asked) + f"## {extra} Housing\n\nText.\n"
    rel = write(tmp_repo, f"{GP}/analysis.md", body)
    finding = one(tmp_repo, rel, "tor-unknown-question")
    assert at(finding) == (4 * len(asked) + 1, 1, f"the terms of reference have no question {extra}")
    assert finding.severity is Severity.ERROR


def test_question_answered_twice(tmp_repo: Path) -> None:
    asked = questions(tmp_repo)
    body = "".join(f"## {q}\n\nAnswered.\n\n" for q in asked) + f"## {asked[0]} again\n\nMore.\n"
    rel = write(tmp_repo, f"{GP}/analysis.md", body)
    assert at(one(tmp_repo, rel, "tor-duplicate-answer")) == (
        4 * len(asked) + 1, 1, f"{asked[0]} is answered twice; the first answer is on line 1"
    )


# --- 2. Lessons and actions -------------------------------------------------------------------------


def test_action_naming_a_lesson_that_does_not_exist(tmp_repo: Path) -> None:
    write(tmp_repo, f"{TRUST}/lessons.md", "## L1 Follow up concerns\n\nText.\n\n## L2 Discharge\n\nText.\n")
    rel = write(tmp_repo, f"{TRUST}/actions.yml", ACTIONS + action(1, lesson="L1") + action(2, lesson="L3") + action(3, lesson="L2"))
    finding = one(tmp_repo, rel, "unknown-lesson")
    assert at(finding) == (8, 13, "`L3` is not a lesson in lessons.md")
    assert finding.hint == "name one of the lessons (L1 or L2), or add the lesson to lessons.md"
    assert finding.severity is Severity.ERROR


def test_lesson_that_leads_to_no_action(tmp_repo: Path) -> None:
    rel = write(tmp_repo, f"{TRUST}/lessons.md", "## L1 Follow up concerns\n\nText.\n\n## L2 Discharge\n\nText.\n")
    write(tmp_repo, f"{TRUST}/actions.yml", ACTIONS + action(1, lesson="L1"))
    finding = one(tmp_repo, rel, "lesson-without-action")
    assert at(finding) == (5, 1, "lesson L2 leads to no action in actions.yml")
    assert finding.severity is Severity.WARNING


def test_a_submitted_imrs_action_needs_every_required_field(tmp_repo: Path) -> None:
    """The template marks the fields a submitted IMR's action must have; a draft may lack them."""
    complete = {"lesson": "L1", "key_actions": "Run the course", "evidence": "Attendance list", "key_outcome": "Staff trained",
                "lead_officer": "Head of Safeguarding", "target_date": "2026-12-31", "status": "Not started"}
    partial = {k: v for k, v in complete.items() if k not in ("lead_officer", "target_date")}
    rel = write(tmp_repo, f"{TRUST}/actions.yml", ACTIONS + action(1, **complete) + action(2, **partial))
    finding = one(tmp_repo, rel, "action-incomplete")
    assert finding.severity is Severity.ERROR
    assert at(finding) == (line_of(tmp_repo, rel, "- no: 2"), 5, "action 2 has no Lead Officer and Target Date, "
                           "which every action of a submitted IMR needs")
    assert finding.hint == "add `lead_officer:` and `target_date:` to the action in actions.yml"
    imr = tmp_repo / TRUST / "imr.yml"
    imr.write_text(imr.read_text(encoding="utf-8").replace("status: submitted", "status: draft"), encoding="utf-8")
    assert found(tmp_repo, rel, "action-incomplete") == []


def test_action_without_a_lesson(tmp_repo: Path) -> None:
    rel = write(tmp_repo, f"{GP}/actions.yml", ACTIONS + action(1))
    finding = one(tmp_repo, rel, "action-without-lesson")
    assert at(finding) == (3, 5, "action 1 does not say which lesson it comes from")
    assert finding.severity is Severity.WARNING
    rel = write(tmp_repo, f"{TRUST}/actions.yml", ACTIONS + action(1))
    assert one(tmp_repo, rel, "action-without-lesson").severity is Severity.ERROR


def test_lessons_file_without_lessons(tmp_repo: Path) -> None:
    rel = write(tmp_repo, f"{GP}/lessons.md", "We are still thinking about the lessons.\n")
    finding = one(tmp_repo, rel, "no-lessons")
    assert at(finding) == (1, 1, "lessons.md has no lessons yet")


def test_heading_that_is_not_a_lesson(tmp_repo: Path) -> None:
    rel = write(tmp_repo, f"{TRUST}/lessons.md", "## L1 Follow up\n\nText.\n\n## Background\n\nText.\n")
    finding = one(tmp_repo, rel, "lesson-heading")
    assert at(finding) == (5, 1, "the heading `## Background` is not read as a lesson")


def test_two_lessons_with_one_number(tmp_repo: Path) -> None:
    rel = write(tmp_repo, f"{TRUST}/lessons.md", "## L1 Follow up\n\nText.\n\n## L1 Discharge\n\nText.\n")
    assert at(one(tmp_repo, rel, "duplicate-lesson")) == (5, 1, "there are two lessons L1; the first is on line 1")


# --- 3. Action statuses, dates and numbers -----------------------------------------------------------


def test_status_near_miss(tmp_repo: Path) -> None:
    rel = write(tmp_repo, f"{TRUST}/actions.yml", ACTIONS + action(1, lesson="L1", status="in progress"))
    statuses = load(tmp_repo).template.action_plan.statuses
    finding = one(tmp_repo, rel, "action-status")
    listed = ", ".join(statuses[:-1]) + " or " + statuses[-1]
    assert at(finding) == (6, 13, f"`in progress` is not one of the action statuses: {listed}")
    assert finding.hint == 'did you mean "In progress"? Write it exactly so, with the same capitals'
    assert found(tmp_repo, rel, "not-allowed") == []  # one message for the position


def test_status_far_from_any(tmp_repo: Path) -> None:
    rel = write(tmp_repo, f"{TRUST}/actions.yml", ACTIONS + action(1, lesson="L1", status="Awaiting funding"))
    assert one(tmp_repo, rel, "action-status").hint == "write one of: Not started, In progress or Completed"


def test_completed_needs_its_date(tmp_repo: Path) -> None:
    rel = write(tmp_repo, f"{TRUST}/actions.yml", ACTIONS + action(1, lesson="L1", status="Completed"))
    assert at(one(tmp_repo, rel, "completed-without-date")) == (6, 13, "action 1 is Completed but has no date_completed")


def test_completed_in_the_future(tmp_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SARFLOW_TODAY", "2026-05-01")
    body = ACTIONS + action(1, lesson="L1", status="Completed", date_completed="2026-05-02")
    rel = write(tmp_repo, f"{TRUST}/actions.yml", body)
    assert at(one(tmp_repo, rel, "completed-in-future")) == (7, 21, "date_completed 02/05/2026 is after today (01/05/2026)")


def test_date_completed_with_another_status(tmp_repo: Path) -> None:
    body = ACTIONS + action(1, lesson="L1", status="In progress", date_completed="2026-05-02")
    rel = write(tmp_repo, f"{TRUST}/actions.yml", body)
    finding = one(tmp_repo, rel, "date-completed-not-completed")
    assert at(finding) == (7, 21, "action 1 has a date_completed but its status is In progress")
    assert finding.hint == "set `status: Completed` if it is done, or remove date_completed until it is"


def test_duplicate_action_numbers(tmp_repo: Path) -> None:
    rel = write(tmp_repo, f"{TRUST}/actions.yml", ACTIONS + action(1, lesson="L1") + action(1, lesson="L2"))
    assert at(one(tmp_repo, rel, "duplicate-action-number")) == (6, 9, "action number 1 is used twice; the first is on line 3")


def test_target_date_before_the_referral(tmp_repo: Path) -> None:
    referral = review(tmp_repo).referral
    assert referral is not None and referral.date is not None
    before = referral.date - dt.timedelta(days=1)
    rel = write(tmp_repo, f"{TRUST}/actions.yml", ACTIONS + action(1, lesson="L1", target_date=before.isoformat()))
    finding = one(tmp_repo, rel, "target-before-referral")
    assert at(finding) == (6, 18, f"the target date {uk(before)} is before the review's referral on {uk_long(referral.date)}")


# --- 4. The chronology -----------------------------------------------------------------------------


def entry(date: str, by: str = "GP1", extra: str = "") -> str:
    return f"  - date: {date}\n{extra}    source: GP record\n    event: Contact\n    by: {by}\n"


def test_entry_outside_the_period(tmp_repo: Path) -> None:
    period = review(tmp_repo).period
    assert period is not None and period.start and period.end
    early, late = period.start - dt.timedelta(days=1), period.end + dt.timedelta(days=1)
    rel = write(tmp_repo, f"{GP}/chronology.yml", CHRONOLOGY + entry(early.isoformat()) + entry(late.isoformat()))
    hits = found(tmp_repo, rel, "outside-period")
    span = f"({uk(period.start)} to {uk(period.end)})"
    assert [at(f) for f in hits] == [
        (3, 11, f"this entry ({uk(early)}) is before the period under review {span}"),
        (7, 11, f"this entry ({uk(late)}) is after the period under review {span}"),
    ]
    assert all(f.severity is Severity.WARNING for f in hits)


def test_first_entry_out_of_order_is_named(tmp_repo: Path) -> None:
    approx = "    approximate: true\n"
    body = CHRONOLOGY + entry("2024-03-14") + entry('"2024-03"', extra=approx) + entry("2024-03-20") + entry("2024-02-01") + entry("2024-01-01")
    rel = write(tmp_repo, f"{GP}/chronology.yml", body)
    finding = one(tmp_repo, rel, "chronology-order")
    assert at(finding) == (16, 11, "this entry (01/02/2024) is earlier than the entry before it (20/03/2024, line 12)")
    assert finding.severity is Severity.WARNING


def test_same_day_out_of_order_by_time(tmp_repo: Path) -> None:
    body = CHRONOLOGY + entry("2024-03-14", extra='    time: "15:00"\n') + entry("2024-03-14", extra='    time: "09:30"\n')
    rel = write(tmp_repo, f"{GP}/chronology.yml", body)
    assert at(one(tmp_repo, rel, "chronology-order")) == (
        8, 11, "this entry (14/03/2024 09:30) is earlier than the entry before it (14/03/2024 15:00, line 3)"
    )


def test_by_names_someone_not_in_the_personnel_list(tmp_repo: Path) -> None:
    rel = write(tmp_repo, f"{GP}/chronology.yml", CHRONOLOGY + entry("2024-03-14", by="gp1") + entry("2024-03-15", by="GP1 and PN1"))
    finding = one(tmp_repo, rel, "unknown-person")
    assert at(finding) == (6, 9, "`gp1` is not an id in the personnel list of imr.yml")
    assert finding.hint == "did you mean GP1? Otherwise add gp1 under personnel in imr.yml (id, name and role)"
    assert finding.severity is Severity.ERROR


def test_by_with_a_real_name_suggests_the_id(tmp_repo: Path) -> None:
    imr = load(tmp_repo).review("adult-a").imrs["gp-practice"]
    person = imr.personnel[0]
    rel = write(tmp_repo, f"{GP}/chronology.yml", CHRONOLOGY + entry("2024-03-14", by=str(person.name)))
    assert one(tmp_repo, rel, "unknown-person").hint == f"write {person.id}, the id of this member of staff, not their name"


def test_staff_id_in_the_text_that_is_not_listed(tmp_repo: Path) -> None:
    text = "GP1 saw her. GP3 rang later, and GP3's note was filed.\nThe flat is in NB4, near the Q1 meeting room.\n"
    rel = write(tmp_repo, f"{GP}/narrative.md", text)
    finding = one(tmp_repo, rel, "unknown-person")
    assert at(finding) == (1, 14, "`GP3` looks like a staff id but is not in the personnel list of imr.yml")
    assert finding.severity is Severity.ERROR


def test_month_without_approximate(tmp_repo: Path) -> None:
    rel = write(tmp_repo, f"{GP}/chronology.yml", CHRONOLOGY + entry('"2024-03"'))
    finding = one(tmp_repo, rel, "approximate-not-marked")
    assert at(finding) == (3, 11, "the date 2024-03 gives only the month, but the entry is not marked approximate")
    assert finding.hint == "add `approximate: true` to the entry, or give the full date"
    assert found(tmp_repo, rel, "missing-key") == []  # the schema's own rule is not repeated


# --- 6. Quality assurance, sign-off, submission -----------------------------------------------------


def imr_yml(root: Path, rel: str, old: str, new: str) -> str:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return rel


def line_of(root: Path, rel: str, text: str) -> int:
    return next(i for i, line in enumerate((root / rel).read_text(encoding="utf-8").split("\n"), start=1) if text in line)


def test_qa_form_not_answered_in_full(tmp_repo: Path) -> None:
    repo = load(tmp_repo)
    imr = repo.review("adult-a").imrs["gp-practice"]
    absent = [c.id for c in repo.template.criteria if c.id not in imr.quality_assurance.answers]
    assert absent, "the example's draft IMR should have criteria left to answer"
    rel = f"{GP}/imr.yml"
    finding = one(tmp_repo, rel, "qa-unanswered")
    listed = ", ".join(absent[:-1]) + " and " + absent[-1]
    assert at(finding) == (line_of(tmp_repo, rel, "quality_assurance:"), 1,
                           f"the quality-assurance form has no answer for {len(absent)} criteria of {len(repo.template.criteria)}: {listed}")
    assert finding.severity is Severity.WARNING


def test_qa_criterion_without_an_answer_once_submitted(tmp_repo: Path) -> None:
    rel = imr_yml(tmp_repo, f"{TRUST}/imr.yml", '  good-practice:\n    answer: "yes"\n', "  good-practice:\n")
    finding = one(tmp_repo, rel, "qa-unanswered")
    assert at(finding) == (line_of(tmp_repo, rel, "  good-practice:") + 1, 5,
                           "the quality-assurance criterion `good-practice` has no answer")
    assert finding.severity is Severity.ERROR


def test_approved_without_the_approvers_sign_off(tmp_repo: Path) -> None:
    rel = imr_yml(tmp_repo, f"{TRUST}/imr.yml", "status: submitted", "status: approved")
    finding = one(tmp_repo, rel, "sign-off-incomplete")
    assert at(finding) == (3, 9, "the IMR is approved but its sign-off has no approved_by.name (Quality Assured and Approved by) "
                                 "and approved_by.job_title (Job Title)")


def test_submitted_without_an_author(tmp_repo: Path) -> None:
    rel = imr_yml(tmp_repo, f"{TRUST}/imr.yml", "  name: Karen Holloway\n", "")
    assert one(tmp_repo, rel, "sign-off-incomplete").message == (
        "the IMR is submitted but its sign-off has no author.name (Author of IMR Signed)"
    )


def test_submitted_without_a_date(tmp_repo: Path) -> None:
    rel = imr_yml(tmp_repo, f"{TRUST}/imr.yml", "submitted: 2026-03-04\n", "")
    finding = one(tmp_repo, rel, "submitted-date-missing")
    assert at(finding) == (3, 9, "the IMR is submitted but has no date of submission")


def test_submitted_in_the_future(tmp_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SARFLOW_TODAY", "2026-03-01")
    rel = f"{TRUST}/imr.yml"
    finding = one(tmp_repo, rel, "submitted-in-future")
    assert at(finding) == (line_of(tmp_repo, rel, "submitted:"), 12, "the date of submission 04/03/2026 is after today (01/03/2026)")


def test_agency_must_match_its_folder(tmp_repo: Path) -> None:
    rel = imr_yml(tmp_repo, f"{GP}/imr.yml", "agency: gp-practice", "agency: riverside")
    finding = one(tmp_repo, rel, "agency-mismatch")
    assert at(finding) == (2, 9, "`agency: riverside` does not match the folder name gp-practice")
    assert finding.severity is Severity.ERROR


# --- 7. Deadlines ------------------------------------------------------------------------------------


def test_late_imr_says_by_how_many_days(tmp_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    due = review(tmp_repo).agency("gp-practice").imr_due
    assert due is not None
    monkeypatch.setenv("SARFLOW_TODAY", (due + dt.timedelta(days=3)).isoformat())
    finding = one(tmp_repo, f"{GP}/imr.yml", "imr-late")
    assert at(finding) == (3, 9, f"the IMR was due on {uk_long(due)} and is late by 3 days")
    assert finding.severity is Severity.WARNING
    monkeypatch.setenv("SARFLOW_TODAY", due.isoformat())
    assert found(tmp_repo, f"{GP}/imr.yml", "imr-late") == []


def test_agency_without_a_folder_is_late_in_review_yml(tmp_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rel = "reviews/adult-a/review.yml"
    imr_yml(tmp_repo, rel, "stage:", "  - id: police\n    name: Northbridge Police\n    imr_due: 2026-03-06\nstage:")
    monkeypatch.setenv("SARFLOW_TODAY", "2026-03-07")
    finding = one(tmp_repo, rel, "imr-late")
    message = "the IMR of police (no folder yet) was due on 6 March 2026 and is late by 1 day"
    assert at(finding) == (line_of(tmp_repo, rel, "name: Northbridge Police") + 1, 14, message)


# --- The review itself, and sections not yet written ------------------------------------------------


def test_agency_listed_twice(tmp_repo: Path) -> None:
    rel = "reviews/adult-a/review.yml"
    imr_yml(tmp_repo, rel, "stage:", "  - id: gp-practice\n    name: Listed again\nstage:")
    first = line_of(tmp_repo, rel, "id: gp-practice")
    finding = one(tmp_repo, rel, "duplicate-agency")
    message = f"the agency gp-practice is listed twice; the first is on line {first}"
    assert at(finding) == (line_of(tmp_repo, rel, "name: Listed again") - 1, 9, message)


def test_period_that_ends_before_it_starts(tmp_repo: Path) -> None:
    rel = "reviews/adult-a/review.yml"
    period = review(tmp_repo).period
    assert period is not None and period.start and period.end
    imr_yml(tmp_repo, rel, f"to: {period.end.isoformat()}", "to: 2020-01-01")
    finding = one(tmp_repo, rel, "period-reversed")
    assert at(finding) == (line_of(tmp_repo, rel, "to: 2020-01-01"), 7,
                           f"the period under review ends (01/01/2020) before it starts ({uk(period.start)})")


def test_section_not_written_yet(tmp_repo: Path) -> None:
    rel = write(tmp_repo, f"{TRUST}/methodology.md", "<!-- Section 2: list your sources. -->\n")
    finding = one(tmp_repo, rel, "section-empty")
    assert at(finding) == (1, 1, "methodology.md (Methodology) has not been written yet")
    assert finding.severity is Severity.ERROR


# --- Short codes: the review's combined action plan refers to each action as ASC-3 ------------------


def test_short_code_missing_where_the_combined_plan_merges_agencies(tmp_repo: Path) -> None:
    rel = "reviews/adult-a/review.yml"
    listed = review(tmp_repo).agencies
    gp = next(a for a in listed if a.id == "gp-practice")
    imr_yml(tmp_repo, rel, f"    short_code: {gp.short_code}\n", "")
    finding = one(tmp_repo, rel, "short-code-missing")
    assert at(finding) == (line_of(tmp_repo, rel, "id: gp-practice"), 9,
                           "the agency gp-practice has no short code, which the review's combined action plan needs to "
                           "tell its actions from other agencies' actions of the same number")
    assert finding.severity is Severity.ERROR
    proposed = (finding.hint or "").split("`")[1]  # a code made from its name, of the accepted form
    assert proposed.startswith("short_code: ") and proposed.split(": ")[1] not in {a.short_code for a in listed if a is not gp}
    imr_yml(tmp_repo, rel, "  - id: gp-practice\n", f"  - id: gp-practice\n    {proposed}\n")
    assert not [f for f in check(load(tmp_repo), [tmp_repo / rel]) if f.code.startswith("short-code") or f.span.path == rel]


def test_short_code_not_needed_for_a_single_agency(tmp_repo: Path) -> None:
    import shutil

    rel = "reviews/adult-a/review.yml"
    for agency in review(tmp_repo).agencies:
        if agency.short_code:
            imr_yml(tmp_repo, rel, f"    short_code: {agency.short_code}\n", "")
        if agency.id != "gp-practice":
            shutil.rmtree(tmp_repo / "reviews/adult-a" / agency.id)
    assert found(tmp_repo, rel, "short-code-missing") == []


def test_short_code_used_twice(tmp_repo: Path) -> None:
    rel = "reviews/adult-a/review.yml"
    first, second = review(tmp_repo).agencies[:2]
    imr_yml(tmp_repo, rel, f"short_code: {second.short_code}", f"short_code: {first.short_code}")
    finding = one(tmp_repo, rel, "short-code-duplicate")
    lines = [i for i, text in enumerate((tmp_repo / rel).read_text().split("\n"), start=1) if f"short_code: {first.short_code}" in text]
    assert at(finding) == (lines[1], 17, f"the short code {first.short_code} is also the short code of another agency, on line {lines[0]}")
    assert "short_code: " in (finding.hint or "")


@pytest.mark.parametrize("written", ["asc", "A", "ASCDEFG", "3RD", "A-C", "'AS C'"])
def test_short_code_of_the_wrong_form(tmp_repo: Path, written: str) -> None:
    rel = "reviews/adult-a/review.yml"
    code = review(tmp_repo).agencies[0].short_code
    imr_yml(tmp_repo, rel, f"short_code: {code}", f"short_code: {written}")
    finding = one(tmp_repo, rel, "bad-format")
    assert finding.span.line == line_of(tmp_repo, rel, f"short_code: {written}")
    assert finding.hint == "Write 2 to 6 capital letters or digits, starting with a letter, e.g. ASC or GP2."
