"""The example text `sarflow new` writes for an author to replace, kept in one place.

The scaffold writes it into a new review.yml, and check reports any of it still there
(placeholder), so that a review fresh from the scaffold does not check clean. Each text
is worded as an instruction, so that it cannot be mistaken for a real value.

A new IMR's files show one example of each list and block (the author, the approver,
a family member, a member of staff, an abbreviation, a quality-assurance answer, a
chronology entry, an action) as comments in block style, never `{key: value, ...}` on
one line, where a comma in the text would split it. Removing the `# ` from each line of
an example (Ctrl+/ in VS Code) gives valid data; check reports each of its texts as a
placeholder while it is left in place (the texts here, and "Write ... here").
"""

from __future__ import annotations

import textwrap

from sarflow import yamltext
from sarflow.model import action_key_order
from sarflow.template import ActionPlanLayout, Template
from sarflow.words import listing

SUBJECT_NAME = "Write the anonymised name, e.g. Adult B"
REFERRAL_SOURCE = "Write who made the referral"
REFERRAL_SUMMARY = "Summarise what the referral said."
SCOPE = "Paste section 6 of the terms of reference here."
FIRST_QUESTION = "Write the first question the agencies must answer."

# A new IMR's examples: a name is worded so that the guard of restricted values, which
# looks for a person's surname after a title or a job, finds nothing of it in the text.
AUTHOR_NAME = "Write the author's full name"
AUTHOR_JOB = "Write the author's job title"
APPROVER_NAME = "Write the approver's full name"
APPROVER_JOB = "Write the approver's job title"
STAFF_NAME = "Write their real name"
ADDRESS = "Write the full address"

EXAMPLE_TEXTS = frozenset({SUBJECT_NAME, REFERRAL_SOURCE, REFERRAL_SUMMARY, SCOPE, FIRST_QUESTION,
                           AUTHOR_NAME, AUTHOR_JOB, APPROVER_NAME, APPROVER_JOB, STAFF_NAME, ADDRESS})

HOW_TO_USE = ("Each example below is a comment: to use it, remove the `# ` at the start of each of its lines "
              "(in VS Code, select them and press Ctrl+/), then write your own values.")


def commented(block: str, indent: str = "") -> str:
    """The lines of `block` as comments placed so that removing each `# ` leaves the block at `indent`."""
    return "\n".join(f"{indent}# {line}" for line in block.strip("\n").split("\n"))


def signatories() -> str:
    return commented(
        "author:\n"
        f"  name: {AUTHOR_NAME}\n"
        f"  job_title: {AUTHOR_JOB}\n"
        "submitted: 2026-03-01       # the date it was sent to the panel\n"
        "approved_by:                # the senior officer who quality assured and approved it\n"
        f"  name: {APPROVER_NAME}\n"
        f"  job_title: {APPROVER_JOB}\n"
        "  date: 2026-03-15          # the date they approved it"
    )


def family_member() -> str:
    return commented(
        f"- name: {SUBJECT_NAME}\n"
        "  relationship: Write the relationship to the adult here, e.g. Son\n"
        "  date_of_birth: 1950-01-31   # leave out any detail that is not known\n"
        "  date_of_death: n/a          # n/a for someone who is alive\n"
        f"  address: {ADDRESS}\n"
        "  ethnicity: Write the ethnicity and any diversity needs here",
        "  ",
    )


def member_of_staff(not_known: str) -> str:
    return commented(
        "- id: SW1                     # the identification used in the text\n"
        f"{f'  name: {STAFF_NAME}':<32}# or {not_known}, if the agency does not know it\n"
        "  role: Write the job role at the time here",
        "  ",
    )


def abbreviation() -> str:
    return commented("GP: General Practitioner", "  ")


def quality_answer() -> str:
    return commented(
        "author-independent:          # each criterion by its id: VS Code lists them\n"
        "  answer: yes                # yes or no\n"
        "  comment: Write why here, in a sentence or two",
        "  ",
    )


def chronology_entry() -> str:
    return commented(
        "- date: 2024-03-14            # only the month known: 2024-03, and approximate: true\n"
        "  time: 14:30                 # 24-hour clock, or from and to: 14:00-15:30; leave it out if not known\n"
        "  source: Write the record it comes from here, e.g. Case note\n"
        "  event: Write what happened here\n"
        "  by: SW1                     # an id from personnel in imr.yml; several: [SW1, TM1]; "
        "another agency's: acute-trust/ED1",
        "  ",
    )


_BY_KIND = {"number": "1", "date": "2026-12-31", "list": "L1"}
_LEFT_OUT = ("date_completed",)  # given once the action is completed; with the first status it would be an error


def action(plan: ActionPlanLayout) -> str:
    """One action with the fields the template's table has an author write, each by its kind, in the file's order."""
    notes = {"list": "# several: [L1, L3]", "status": f"# {listing(plan.statuses)}", "date": "# year-month-day"}
    lines = []
    written = {f.key for f in plan.written}
    for key in action_key_order(plan):
        if key in _LEFT_OUT or key not in written:
            continue
        field = plan.field(key)
        if field.kind == "updates":
            lines += [f"{f'{key}:':<30}# progress reported to the board, newest last",
                      "  - date: 2026-06-30", "    text: Write the progress made here"]
            continue
        value = plan.statuses[0] if field.kind == "status" else _BY_KIND.get(field.kind, f"Write the {field.title.lower()} here")
        line = f"{key}: {value}"
        lines.append(f"{line:<30}{notes[field.kind]}" if field.kind in notes else line)
    return commented("\n".join([f"- {lines[0]}", *(f"  {line}" for line in lines[1:])]), "  ")


def imr_files(template: Template, agency_id: str, questions: list[str]) -> dict[str, str]:
    """Every file of a new IMR with its guidance (also what `sarflow import imr` writes for a section the document lacks).

    Each list holds one example, as comments (sarflow.scaffold): the key is there with
    nothing after it, which reads as "none yet", and removing the `# ` from the example's
    lines gives valid data.
    """
    guidance = {s.id: s.guidance for s in template.sections}
    files = {
        "imr.yml": f"""# yaml-language-server: $schema=../../../schema/imr.schema.json
# This agency's IMR: its status, author, the family as known to the agency, the staff
# involved, abbreviations and the quality-assurance form (section 9).
{_comment(HOW_TO_USE)}
agency: {yamltext.scalar(agency_id)}
status: draft              # draft, then submitted, then approved
{signatories()}
{_comment(guidance["family"])}
family:
{family_member()}
{_comment(guidance["personnel"])}
personnel:
{member_of_staff(template.not_known)}
{_comment(guidance["abbreviations"])}
abbreviations:
{abbreviation()}
{_comment(guidance["quality-assurance"])}
quality_assurance:
{quality_answer()}
""",
        "chronology.yml": f"""# yaml-language-server: $schema=../../../schema/chronology.schema.json
{_comment(guidance["chronology"])}
{_comment(HOW_TO_USE)}
entries:
{chronology_entry()}
""",
        "actions.yml": f"""# yaml-language-server: $schema=../../../schema/actions.schema.json
{_comment(guidance["recommendations"])}
{_comment(HOW_TO_USE)}
actions:
{action(template.action_plan)}
""",
    }
    for section_id, name in template.section_files.items():
        body = f"<!--\n{_comment(guidance[section_id], '')}\nWrite one sentence per line: the panel then sees exactly what changed.\n-->\n"
        if section_id == "analysis":
            body += "".join(f"\n## {q}\n\n" for q in questions) + f"\n## {template.good_practice}\n"
        files[name] = body
    return files


def _comment(text: str, prefix: str = "# ") -> str:
    return "\n".join(textwrap.wrap(text, 86, initial_indent=prefix, subsequent_indent=prefix))
