"""How well `sarflow check` finds an author's mistakes: 120 realistic ones, each made alone in a copy of the worked example.

Each mistake is written as an author would make it (an edit to one file of
reviews/adult-a, or a file saved wrongly), then `sarflow check --format json` runs on
the copy, as in CI. A mistake is *caught* when check reports something it did not
report on the untouched example, and *at its line* when one of those new findings
names the file and the line the author changed (or the line named in `at`). The
script prints each mistake with the first new finding, so that the messages can be
read and scored. Six forms that look like mistakes but are valid by design (VALID:
an unquoted time, a time range, several staff in `by` ...) are made the same way and must
be *accepted*: no new finding. The figures of the last run are in mistakes.md.

    cd benchmarks && ../.venv/bin/python mistakes.py [--sarflow PATH] [--example DIR] [--only ID]

`--sarflow` runs another sarflow (for example an older checkout's), with `--example`
that checkout's worked example, to compare. The example's files are copied, never changed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REVIEW = "reviews/adult-a"
ASC, TRUST, GP = f"{REVIEW}/adult-social-care", f"{REVIEW}/acute-trust", f"{REVIEW}/gp-practice"
TODAY = "2026-11-26"  # the date the worked example's deadlines are read against
FINDING = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning)\[(?P<code>[a-z0-9-]+)\]: (?P<message>.*)$", re.M)


@dataclass(frozen=True)
class Mistake:
    """One mistake: in `file`, `old` (which occurs once) becomes `new`; the author's line is where they differ, or `at`."""

    id: str
    what: str
    file: str
    old: str = ""
    new: str = ""
    at: str | None = None  # a text in the changed file whose line is where the finding belongs
    make: Callable[[Path], int] | None = None  # for a mistake that is not an edit: does it, returns the line

    def apply(self, repo: Path) -> int:
        if self.make is not None:
            return self.make(repo)
        path = repo / self.file
        text = path.read_text(encoding="utf-8")
        assert text.count(self.old) == 1, (self.id, text.count(self.old))
        changed = text.replace(self.old, self.new)
        path.write_text(changed, encoding="utf-8")
        if self.at is not None:
            assert changed.count(self.at) == 1, (self.id, "at")
            return changed[: changed.index(self.at)].count("\n") + 1
        start = next(i for i, (a, b) in enumerate(zip(text, changed + "\0", strict=False)) if a != b)
        return changed[:start].count("\n") + 1


def edit(id: str, what: str, file: str, old: str, new: str, at: str | None = None) -> Mistake:
    return Mistake(id, what, file, old, new, at)


def _rename(src: str, dst: str, line: int = 1) -> Callable[[Path], int]:
    def make(repo: Path) -> int:
        (repo / src).rename(repo / dst)
        return line
    return make


def _write_bytes(file: str, change: Callable[[bytes], bytes], line: int) -> Callable[[Path], int]:
    def make(repo: Path) -> int:
        path = repo / file
        path.write_bytes(change(path.read_bytes()))
        return line
    return make


def _extra_file(file: str, content: bytes) -> Callable[[Path], int]:
    def make(repo: Path) -> int:
        (repo / file).write_bytes(content)
        return 1
    return make


MISTAKES: list[Mistake] = [
    # --- YAML, as authors type it -------------------------------------------------------------
    edit("Y01", "quoted phrase at the start of a value", f"{ASC}/chronology.yml", "    event: Case allocated to SW1.", '    event: "Case allocated" to SW1.'),
    edit("Y02", "colon and space inside a value", f"{ASC}/chronology.yml", "    outcome: Mr B agreed to a visit on 14 February 2024.", "    outcome: Mr B agreed to a visit on 14 February 2024: next week."),
    edit("Y03", "quote opened and not closed", f"{ASC}/chronology.yml", "    action: SW1 explained the purpose of the visit.", '    action: "SW1 explained the purpose of the visit.'),
    edit("Y04", "apostrophe inside single quotes", f"{ASC}/chronology.yml", "    event: SW1 discussed the home visit with TM1 in supervision.", "    event: 'SW1 discussed Adult A's home visit with TM1 in supervision.'"),
    edit("Y05", "value starting with *emphasis*", f"{ASC}/chronology.yml", "    action: CA1 made the referral.", "    action: *Urgent* CA1 made the referral."),
    edit("Y06", "value starting with @", f"{ASC}/chronology.yml", "    outcome: Pendant alarm installed on 5 December 2023 (alarm service record).", "    outcome: @AlarmService installed a pendant on 5 December 2023."),
    edit("Y07", "no space after the colon of by", f"{ASC}/chronology.yml", "record).\n    by: CA1", "record).\n    by:CA1"),
    edit("Y08", "tab indentation", f"{ASC}/chronology.yml", "    source: Supervision record\n    event: SW1", "\tsource: Supervision record\n    event: SW1"),
    edit("Y09", "key dedented by one space", f"{ASC}/chronology.yml", "    source: Mosaic allocation record\n    event: Case allocated to SW1.", "   source: Mosaic allocation record\n    event: Case allocated to SW1."),
    edit("Y10", "key indented under the value above", f"{ASC}/chronology.yml", "    action: SW1 explained the purpose of the visit.", "      action: SW1 explained the purpose of the visit."),
    edit("Y11", ">- with its text on the key's line", f"{ASC}/chronology.yml", "    event: >-\n      The housing officer from Northbridge Homes reported", "    event: >- The housing officer from Northbridge Homes reported"),
    edit("Y12", "list item one space left", f"{ASC}/chronology.yml", "  - date: 2024-02-06", " - date: 2024-02-06"),
    edit("Y13", "list item one space right", f"{ASC}/chronology.yml", "  - date: 2024-02-08", "   - date: 2024-02-08"),
    edit("Y14", "key without its colon", f"{ASC}/chronology.yml", "    source: Mosaic allocation record\n    event: Case allocated to SW2.", "    source Mosaic allocation record\n    event: Case allocated to SW2."),
    edit("Y15", "a line of text back at the key's column", f"{ASC}/chronology.yml", "from the flat,\n      bags of rubbish", "from the flat,\n    bags of rubbish"),
    edit("Y16", "value starting with [Redacted]", f"{ASC}/chronology.yml", "    event: SW1 discussed the home visit with TM1 in supervision.", "    event: [Redacted] discussed the home visit with TM1 in supervision."),
    edit("Y17", "value starting with !!", f"{GP}/chronology.yml", "    outcome: No reply was sent.", "    outcome: !! No reply was sent."),
    edit("Y18", "value starting with a bullet", f"{TRUST}/chronology.yml", "    action: Heel offloading boots and a dressing plan provided.", "    action: - Heel offloading boots and a dressing plan provided."),
    edit("Y19", "missing colon in the glossary", f"{TRUST}/imr.yml", "  D2A: Discharge to Assess", "  D2A Discharge to Assess"),
    edit("Y20", "colon inside a glossary entry", f"{TRUST}/imr.yml", "  ED: Emergency Department", "  ED: Emergency Department: A&E"),
    edit("Y21", "colon and space in an outcome", f"{TRUST}/chronology.yml", "    outcome: Transferred to Ward 12 at 14:20.", "    outcome: Transferred to Ward 12 at 14:20 - bed: side room."),
    edit("Y22", ">- text back at the key's column", f"{REVIEW}/review.yml", "  summary: >-\n    Adult A, a 78-year-old", "  summary: >-\n  Adult A, a 78-year-old"),
    edit("Y23", "no space after the dash", f"{ASC}/actions.yml", "  - no: 2", "  -no: 2"),
    edit("Y24", "update indented like the action", f"{ASC}/actions.yml", "      - date: 2026-04-24\n        text: >-\n          Mosaic", "    - date: 2026-04-24\n        text: >-\n          Mosaic"),
    edit("Y25", ">- with its text in a comment field", f"{ASC}/actions.yml", "    comment: >-\n      All 23 advisers", "    comment: >- All 23 advisers"),
    edit("Y26", "quoted phrase at the start of an update", f"{ASC}/actions.yml", "        text: Revised triage procedure approved", '        text: "Revised triage procedure" approved'),
    edit("Y27", "unclosed quote in imr.yml", f"{GP}/imr.yml", "    comment: Available through the Integrated Care Board.", '    comment: "Available through the Integrated Care Board.'),
    edit("Y28", "tab before a personnel id", f"{GP}/imr.yml", "  - id: PN1", "\t- id: PN1"),
    edit("Y29", "job title with a colon", f"{GP}/imr.yml", "  job_title: Named GP for Safeguarding Adults, NHS Northbridge Integrated Care Board", "  job_title: Named GP: Safeguarding Adults, NHS Northbridge Integrated Care Board"),
    edit("Y30", "second document marker", f"{GP}/actions.yml", "actions: []", "actions: []\n---\nactions: []", at="---"),
    edit("Y31", "family member indented one space right", f"{GP}/imr.yml", "  - name: Mr B", "   - name: Mr B"),
    edit("Y32", "apostrophe-quoted relationship", f"{ASC}/imr.yml", "    relationship: Son\n", "    relationship: 'Son' (and carer)\n"),
    edit("Y33", "unclosed bracket", f"{GP}/imr.yml", "family:\n  - name: Adult A", "family: [\n  - name: Adult A"),
    edit("Y34", "duplicate key", f"{ASC}/chronology.yml", "    event: Case allocated to SW1.", "    event: Case allocated to SW1.\n    event: Allocated.", at="    event: Allocated."),
    # --- YAML traps -------------------------------------------------------------------------------
    edit("T02", "impossible time without quotes", f"{ASC}/chronology.yml", '    time: "14:00"', "    time: 24:30"),
    edit("T04", "UK date", f"{ASC}/chronology.yml", "  - date: 2024-02-15", "  - date: 15/02/2024"),
    edit("T05", "impossible date", f"{ASC}/chronology.yml", "  - date: 2024-02-14", "  - date: 2024-02-30"),
    edit("T07", "date with dashes the UK way", f"{REVIEW}/review.yml", "  date_of_death: 2025-11-17", "  date_of_death: 17-11-2025"),
    edit("T08", "due date the UK way", f"{REVIEW}/review.yml", "    short_code: RMP\n    imr_due: 2026-03-06", "    short_code: RMP\n    imr_due: 06/03/2026"),
    edit("T09", "date written in words", f"{ASC}/imr.yml", "submitted: 2026-02-27", "submitted: 27 February 2026"),
    edit("T10", "target date as a month", f"{ASC}/actions.yml", "    target_date: 2026-06-30", "    target_date: June 2026"),
    edit("T11", "31 April", f"{ASC}/actions.yml", "    date_completed: 2026-04-28", "    date_completed: 2026-04-31"),
    edit("T12", "date of birth the UK way", f"{ASC}/imr.yml", "    date_of_birth: 1947-03-12", "    date_of_birth: 12/03/1947"),
    # --- keys and values ------------------------------------------------------------------------------
    edit("S01", "misspelt key", f"{ASC}/chronology.yml", "    outcome: Mr B agreed", "    outcom: Mr B agreed"),
    edit("S02", "misspelt personnel", f"{ASC}/imr.yml", "personnel:", "personel:"),
    edit("S03", "key with a space", f"{ASC}/actions.yml", "    lead_officer: Head of Safeguarding Adults\n    target_date: 2026-06-30", "    lead officer: Head of Safeguarding Adults\n    target_date: 2026-06-30"),
    edit("S04", "plural key", f"{ASC}/actions.yml", "    key_outcome: >-\n      At least 90%", "    key_outcomes: >-\n      At least 90%"),
    edit("S05", "end_time in the chronology", f"{ASC}/chronology.yml", '    time: "10:30"', '    time: "10:30"\n    end_time: "11:15"', at="    end_time"),
    edit("S06", "status with capital", f"{ASC}/imr.yml", "status: approved", "status: Approved"),
    edit("S07", "action status in lower case", f"{ASC}/actions.yml", "    status: Completed\n    date_completed: 2026-06-19", "    status: complete\n    date_completed: 2026-06-19"),
    edit("S08", "stage in words", f"{REVIEW}/review.yml", "stage: imrs-requested", "stage: IMRs requested"),
    edit("S09", "basis with a capital", f"{REVIEW}/review.yml", "basis: mandatory", "basis: Mandatory"),
    edit("S10", "QA answer in words", f"{GP}/imr.yml", '    answer: "no"\n    comment: No action plan yet', '    answer: not yet\n    comment: No action plan yet'),
    edit("S13", "lesson as a number", f"{ASC}/actions.yml", "    lesson: L3\n    key_actions: >-\n      Revise", "    lesson: 3\n    key_actions: >-\n      Revise"),
    edit("S14", "action number in words", f"{ASC}/actions.yml", "  - no: 2", "  - no: two"),
    edit("S15", "missing event", f"{ASC}/chronology.yml", "    event: SW1 discussed the home visit with TM1 in supervision.\n", "", at="  - date: 2024-02-15"),
    edit("S16", "approved_by.name written flat", f"{ASC}/imr.yml", "approved_by:\n  name: Marcus Ellery\n", "approved_by.name: Marcus Ellery\napproved_by:\n"),
    edit("S17", "N/A for a living person", f"{TRUST}/imr.yml", "    relationship: Daughter\n    date_of_death: n/a", "    relationship: Daughter\n    date_of_death: N/A", at="N/A"),
    edit("S18", "staff id with a space", f"{ASC}/imr.yml", "  - id: CA1", "  - id: CA 1"),
    edit("S19", "empty author name once approved", f"{ASC}/imr.yml", "  name: Joanna Whitfield", "  name:"),
    edit("S20", "question id with a space", f"{REVIEW}/review.yml", "    - id: Q5", "    - id: Q 5"),
    edit("S21", "anonymisation setting misspelt", "reviews/board.yml", "  anonymisation: warning", "  anonymisation: warnings"),
    edit("S22", "agency id not its folder", f"{ASC}/imr.yml", "agency: adult-social-care", "agency: adult-social-services"),
    # --- the rules beyond the schema ------------------------------------------------------------------
    edit("R01", "unknown staff id in by", f"{ASC}/chronology.yml", 'officer advised".\n    by: TM1', 'officer advised".\n    by: TM9'),
    edit("R02", "real name in by", f"{ASC}/chronology.yml", "    outcome: Mr B agreed to a visit on 14 February 2024.\n    by: SW1", "    outcome: Mr B agreed to a visit on 14 February 2024.\n    by: Hannah Pryce", at="    by: Hannah Pryce"),
    edit("R03", "two staff with one id", f"{ASC}/imr.yml", "  - id: TM1", "  - id: CA1"),
    edit("R04", "month without approximate", f"{GP}/chronology.yml", '  - date: "2024-03"\n    approximate: true\n', '  - date: "2024-03"\n', at='"2024-03"'),
    edit("R05", "entry before the period", f"{ASC}/chronology.yml", '  - date: 2023-11-22\n    time: "09:40"', '  - date: 2022-11-22\n    time: "09:40"'),
    edit("R06", "entry out of order", f"{ASC}/chronology.yml", "  - date: 2024-02-08", "  - date: 2024-01-08"),
    edit("R07", "completed without its date", f"{ASC}/actions.yml", "    status: Completed\n    date_completed: 2026-06-19\n", "    status: Completed\n", at="    status: Completed\n    comment: >-\n      The audit"),
    edit("R08", "lesson that does not exist", f"{ASC}/actions.yml", "    lesson: L3\n    key_actions: >-\n      Revise", "    lesson: L7\n    key_actions: >-\n      Revise"),
    edit("R09", "two actions numbered 1", f"{ASC}/actions.yml", "  - no: 2", "  - no: 1"),
    edit("R10", "update dated in the future", f"{ASC}/actions.yml", "      - date: 2026-06-19\n        text: >-\n          Second audit", "      - date: 2027-06-19\n        text: >-\n          Second audit"),
    edit("R11", "updates out of order", f"{ASC}/actions.yml", "      - date: 2026-04-24\n        text: >-\n          Mosaic", "      - date: 2026-02-24\n        text: >-\n          Mosaic"),
    edit("R12", "approval dated in the future", f"{ASC}/imr.yml", "  date: 2026-02-25", "  date: 2027-02-25"),
    edit("R13", "date of birth in 1872", f"{ASC}/imr.yml", "    date_of_birth: 1972-08-30", "    date_of_birth: 1872-08-30"),
    edit("R14", "period of no length", f"{REVIEW}/review.yml", "  from: 2023-11-20", "  from: 2025-11-17"),
    edit("R15", "period reversed", f"{REVIEW}/review.yml", "  to: 2025-11-17", "  to: 2023-11-01"),
    edit("R16", "TBC as an action's evidence", f"{ASC}/actions.yml", "    evidence: Briefing attendance records; revised contact script; monthly sample results.", "    evidence: TBC"),
    edit("R17", "TBC as a relationship", f"{ASC}/imr.yml", "    relationship: Son\n", "    relationship: TBC\n"),
    edit("R18", "XXX as an ethnicity", f"{ASC}/imr.yml", "    ethnicity: White British. Lives outside the Northbridge area.", "    ethnicity: XXX"),
    edit("R19", "abbreviation not in the glossary", f"{ASC}/analysis.md", "and nobody held the whole picture.", "and nobody held the whole picture (no CPA was held).", at="(no CPA"),
    edit("R20", "staff id in the text that is not listed", f"{ASC}/analysis.md", "nobody owned the plan after SW2 left.", "nobody owned the plan after SW4 left."),
    edit("R21", "staff member's real name in the analysis", f"{ASC}/analysis.md", "SW1 rated the clutter", "Hannah Pryce rated the clutter"),
    edit("R22", "postcode in the narrative", f"{ASC}/narrative.md", "Adult A had lived in her flat for more than twenty years.", "Adult A had lived in her flat at NB4 7QT for more than twenty years."),
    edit("R23", "phone number in the narrative", f"{ASC}/narrative.md", "spoke to her mostly by telephone.", "spoke to her mostly by telephone (01632 960 123)."),
    edit("R24", "e-mail address in the narrative", f"{ASC}/narrative.md", "spoke to her mostly by telephone.", "spoke to her mostly by telephone and by e-mail (ms.c@example.org)."),
    edit("R25", "date of birth in the text", f"{ASC}/narrative.md", "Adult A had lived in her flat for more than twenty years.", "Adult A, born 12 March 1947, had lived in her flat for more than twenty years."),
    edit("R26", "NHS number in the text", f"{ASC}/narrative.md", "Adult A had lived in her flat for more than twenty years.", "Adult A (NHS number 943 476 5919) had lived in her flat for more than twenty years."),
    edit("R27", "XXX left in the narrative", f"{ASC}/narrative.md", "Her husband died in 2009", "Her husband died in XXX"),
    edit("R28", "[insert date] left in the introduction", f"{ASC}/introduction.md", "The SAR subgroup met on 15 December 2025", "The SAR subgroup met on [insert date]"),
    edit("R29", "TBC as a ToR answer", f"{GP}/analysis.md", "## Q4 Hospital discharge and transfers of care\n", "## Q4 Hospital discharge and transfers of care\n\nTBC - insert answer here\n", at="TBC - insert"),
    edit("R30", "not relevant without a reason", f"{GP}/analysis.md", "## Q5 Declined and missed services\n", "## Q5 Declined and missed services\n\nNot applicable.\n", at="## Q5"),
    edit("R32", "approved with no approver", f"{ASC}/imr.yml", "approved_by:\n  name: Marcus Ellery\n  job_title: Director of Adult Social Care, Northbridge Council\n  date: 2026-02-25\n", "", at="status: approved"),
    edit("R33", "submitted without a date", f"{ASC}/imr.yml", "submitted: 2026-02-27\n", "", at="status: approved"),
    # --- Markdown sections ----------------------------------------------------------------------------
    edit("M01", "## Question 2", f"{ASC}/analysis.md", "## Q2 Mental capacity", "## Question 2 Mental capacity"),
    edit("M02", "### Q3", f"{ASC}/analysis.md", "## Q3 Safeguarding concerns", "### Q3 Safeguarding concerns"),
    edit("M03", "**Q1** in bold", f"{ASC}/analysis.md", "## Q1 Self-neglect and hoarding", "**Q1 Self-neglect and hoarding**"),
    edit("M04", "##Q4 without a space", f"{ASC}/analysis.md", "## Q4 Hospital discharge", "##Q4 Hospital discharge"),
    edit("M05", "Good Practise", f"{ASC}/analysis.md", "## Good practice", "## Good Practise"),
    edit("M06", "# Summary inside analysis.md", f"{ASC}/analysis.md", "## Good practice", "# Summary\n\nThe answers above.\n\n## Good practice"),
    edit("M07", "## Q 5", f"{ASC}/analysis.md", "## Q5 Declined", "## Q 5 Declined"),
    edit("M08", "question number that does not exist", f"{ASC}/analysis.md", "## Q6 Mr B", "## Q7 Mr B"),
    edit("M09", "## Lesson 2:", f"{ASC}/lessons.md", "## L2 Assuming capacity", "## Lesson 2: Assuming capacity"),
    edit("M10", "### L1", f"{ASC}/lessons.md", "## L1 Self-neglect needs", "### L1 Self-neglect needs"),
    edit("M11", "two lessons L3", f"{ASC}/lessons.md", "## L4 Cases must not be lost", "## L3 Cases must not be lost"),
    edit("M12", "raw HTML line break", f"{ASC}/narrative.md", "Our records say little more about her life", "Our records say little more<br>about her life"),
    edit("M13", "unclosed comment", f"{ASC}/narrative.md", "### First contacts: November 2023 to June 2024", "<!-- to check with SW1\n### First contacts: November 2023 to June 2024"),
    edit("M14", "image that is not there", f"{ASC}/narrative.md", "### Adult A\n", "### Adult A\n\n![Floor plan of the flat](floor-plan.png)\n", at="![Floor"),
    edit("M15", "link outside the IMR", f"{ASC}/narrative.md", "### Adult A\n", "### Adult A\n\nSee [the protocol](../../../site/help.md).\n", at="See [the"),
    edit("M16", "# heading in the narrative", f"{ASC}/narrative.md", "### Adult A\n", "# Adult A\n"),
    edit("M17", "lesson heading left as the example", f"{ASC}/lessons.md", "## L1 Self-neglect needs", "## L5 <the lesson in a sentence>\n\n## L1 Self-neglect needs", at="## L5"),
    # --- files --------------------------------------------------------------------------------------
    Mistake("F01", "lessons.md saved as lesson.md", f"{GP}/lesson.md", make=_rename(f"{GP}/lessons.md", f"{GP}/lesson.md")),
    Mistake("F02", "a Word file left in the IMR folder", f"{GP}/notes.docx", make=_extra_file(f"{GP}/notes.docx", b"PK\x03\x04")),
    Mistake("F03", "chronology saved as UTF-16", f"{GP}/chronology.yml", make=_write_bytes(f"{GP}/chronology.yml", lambda b: b.decode("utf-8").encode("utf-16"), 1)),
    Mistake("F04", "imr.yml saved as Windows-1252", f"{GP}/imr.yml", make=_write_bytes(f"{GP}/imr.yml", lambda b: b.replace(b"Dr Helen Marsh", "Dr Ren\u00e9e Marsh".encode("cp1252")), 5)),
    Mistake("F05", "actions.yml emptied", f"{GP}/actions.yml", make=_write_bytes(f"{GP}/actions.yml", lambda b: b"", 1)),
    Mistake("F06", "agency folder with a space", f"{REVIEW}/gp practice", make=_rename(GP, f"{REVIEW}/gp practice")),
    edit("F07", "schema line deleted", f"{GP}/actions.yml", "# yaml-language-server: $schema=../../../schema/actions.schema.json\n", "", at="actions: []"),
    Mistake("F08", "chronology.yml in the review folder", f"{REVIEW}/chronology.yml", make=_rename(f"{GP}/chronology.yml", f"{REVIEW}/chronology.yml")),
]


# Forms that look like mistakes and are not: each is valid by design, so check must accept it (no
# new finding). Counted apart, as forms check wrongly refuses.
VALID: list[Mistake] = [
    edit("T01", "an unquoted time is text in YAML 1.2, as VS Code reads it", f"{ASC}/chronology.yml", '    time: "11:05"', "    time: 11:05"),
    edit("T03", "a time range is one of the forms of `time`", f"{ASC}/chronology.yml", '    time: "10:30"', '    time: "10:30-11:15"'),
    edit("T06", "`deceased: yes` is true in YAML 1.2", f"{REVIEW}/review.yml", "  deceased: true", "  deceased: yes"),
    edit("S11", "several staff on one line of `by`", f"{TRUST}/chronology.yml", "    outcome: Plan to be continued by the DN service after discharge.\n    by: TVN1", "    outcome: Plan to be continued by the DN service after discharge.\n    by: TVN1, WN1", at="    by: TVN1, WN1"),
    edit("S12", "several staff as a list in `by`", f"{ASC}/chronology.yml", "    outcome: Mr B agreed to a visit on 14 February 2024.\n    by: SW1", "    outcome: Mr B agreed to a visit on 14 February 2024.\n    by: [SW1, TM1]", at="    by: [SW1, TM1]"),
    edit("R31", "Adult X is an anonymised name a board may give", f"{REVIEW}/review.yml", "  name: Adult A\n  deceased", "  name: Adult X\n  deceased"),
]


def findings(sarflow: str, repo: Path) -> tuple[list[dict[str, str]], str]:
    """What check reports on `repo`: the findings, and any message printed outside them (exit 2)."""
    run = subprocess.run([sarflow, "--root", str(repo), "check", "--format", "json"], capture_output=True, text=True,
                         env={**os.environ, "SARFLOW_TODAY": TODAY}, check=False)
    try:
        found = json.loads(run.stdout) if run.stdout.strip() else []
    except ValueError:
        found = []
    extra = [m.groupdict() for m in FINDING.finditer(run.stderr)]
    return found + [{"file": e["file"], "line": int(e["line"]), "code": e["code"], "message": e["message"], "hint": "",
                     "severity": e["severity"]} for e in extra], run.stderr


def key(finding: dict[str, str]) -> tuple[str, str, str]:
    return finding["file"], finding["code"], finding["message"]


def tried(sarflow: str, clean: Path, before: set[tuple[str, str, str]], mistake: Mistake) -> tuple[int, list[dict[str, str]], str]:
    """The mistake made in a copy of `clean`: the author's line, check's findings new to it, and what it printed."""
    repo = clean.parent / mistake.id
    shutil.copytree(clean, repo)
    try:
        line = mistake.apply(repo)
        found, stderr = findings(sarflow, repo)
    finally:
        shutil.rmtree(repo)
    return line, [f for f in found if key(f) not in before], stderr


def show(finding: dict[str, str]) -> None:
    print(f"    {finding['file']}:{finding['line']}: {finding['severity']}[{finding['code']}]: {finding['message']}")
    if finding.get("hint"):
        print(f"        hint: {finding['hint']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sarflow", default=str(ROOT / ".venv/bin/sarflow"))
    parser.add_argument("--example", type=Path, default=ROOT, help="the repository whose reviews/ and schema/ are copied")
    parser.add_argument("--only", action="append", help="run only these mistakes (by id)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "clean"
        for part in ("reviews", "schema"):
            shutil.copytree(args.example / part, clean / part)
        before = {key(f) for f in findings(args.sarflow, clean)[0]}
        caught = placed = 0
        chosen = [m for m in MISTAKES if not args.only or m.id in args.only]
        for mistake in chosen:
            line, new, stderr = tried(args.sarflow, clean, before, mistake)
            here = [f for f in new if f["file"] == mistake.file and int(f["line"]) == line]
            caught += bool(new)
            placed += bool(here)
            mark = "at line" if here else "caught" if new else "MISSED"
            print(f"{mistake.id} {mistake.what} ({mistake.file.removeprefix(REVIEW + '/')}:{line}): {mark}, {len(new)} new")
            if here or new:
                show((here or new)[0])
            elif stderr.strip():
                print("    " + stderr.strip().replace("\n", "\n    "))
        accepted = 0
        forms = [m for m in VALID if not args.only or m.id in args.only]
        for form in forms:
            line, new, stderr = tried(args.sarflow, clean, before, form)
            accepted += not new
            print(f"{form.id} valid: {form.what} ({form.file.removeprefix(REVIEW + '/')}:{line}): "
                  + ("accepted" if not new else f"REFUSED, {len(new)} new"))
            for finding in new[:1]:
                show(finding)
    print(f"\n{len(chosen)} mistakes: {caught} caught, {placed} at the author's line")
    print(f"{len(forms)} valid forms: {accepted} accepted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
