"""Every finding code sarflow reports, how severe it is, and what it is about.

That is every code any command can print as `error[...]` or `warning[...]`: check's,
and those of `sarflow build` (an output that could not be built) and of the set-up
(an unknown template); a test scans the whole package for them.

Codes are stable: authors search for them, CI summaries count them and the reference
page (site/reference/checks.md) explains each one. That page is generated (`sarflow
reference`) from this registry and reference.yml beside it, which says for each code what
it finds, why it matters to the panel, an example that fails and its fix; a test runs
every example through check, so a new rule cannot ship undocumented or with a wrong fix.

How severe a finding is depends on its kind:
- error and warning are fixed;
- completeness findings (something not yet written or answered) and plausibility
  findings (a value very unlikely to be right) are warnings while the IMR is a draft
  and errors once it is submitted or approved (in review.yml, which has no status,
  always warnings);
- anonymisation findings (a restricted value: see sarflow.restricted) depend on the
  tier of the text they are found in (sarflow.restricted.tiers): always errors in
  status-tier text, which the site and every board output show; in section text, which
  only the panel reads, they follow the board's setting in reviews/board.yml.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sarflow.findings import Severity
from sarflow.model import is_sent
from sarflow.restricted.tiers import Tier


class Kind(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    COMPLETENESS = "completeness"
    PLAUSIBILITY = "plausibility"
    ANONYMISATION = "anonymisation"


@dataclass(frozen=True)
class Code:
    code: str
    kind: Kind
    family: str
    summary: str


def _codes(family: str, kind: Kind, items: dict[str, str]) -> list[Code]:
    return [Code(code, kind, family, summary) for code, summary in items.items()]


E, W, C, P, A = Kind.ERROR, Kind.WARNING, Kind.COMPLETENESS, Kind.PLAUSIBILITY, Kind.ANONYMISATION

_ALL = [
    *_codes("Files and folders", E, {
        "missing-file": "a file every IMR (or review) needs is missing",
        "misplaced-file": "a file is in a folder where sarflow does not read it",
        "bad-folder-name": "a review or agency folder name is not a lowercase id",
        "unlisted-agency": "an agency folder is not listed in review.yml",
        "unreadable-file": "the file cannot be opened",
        "not-utf8": "the file is not saved as UTF-8 text",
        "file-too-large": "the file is far larger than any IMR file",
        "symbolic-link": "a file or folder is a symbolic link, which sarflow never follows",
    }),
    *_codes("Template", E, {
        "bad-template": "the template file contradicts itself or lacks a field sarflow needs",
    }),
    *_codes("YAML", E, {
        "yaml-syntax": "the file is not valid YAML",
        "yaml-alias": "a value YAML reads as a reference, a label or a type (`*`, `&` or `!` at its start)",
        "yaml-key": "a key is not a plain name",
        "duplicate-key": "the same key appears twice in one place",
        "several-documents": "the file holds more than one YAML document",
        "empty-file": "the file holds no data",
        "too-deep": "the data is nested too deeply",
        "bad-value": "a value cannot be read at all",
        "impossible-date": "a date that does not exist, such as 2025-02-30",
        "yaml-boolean": "true or false without quotes where text is meant",
        "uk-date": "a date written day/month/year instead of year-month-day",
    }),
    *_codes("YAML", W, {
        "key-in-text": "a `key:` line indented as far as the `>-` text above it, so read as words of that text",
        "comment-in-value": "a # inside a value without quotes, which cuts the rest of it off as a comment",
    }),
    *_codes("Schema", E, {
        "unknown-key": "a key sarflow does not know, usually a misspelling",
        "missing-key": "a key that must be given is missing",
        "wrong-type": "a value of the wrong kind, e.g. text where a number is needed",
        "not-allowed": "a value that is not one of the listed choices",
        "bad-format": "a value not written in the expected form",
        "bad-date": "a date not written year-month-day",
        "empty-value": "a value that is empty",
        "too-small": "a number or list smaller than allowed",
        "invalid-value": "any other value the schema does not accept",
    }),
    *_codes("Schema", W, {
        "schema-line": "the first line that tells the editor which schema to use is missing or wrong",
    }),
    *_codes("Review and IMR", E, {
        "agency-mismatch": "imr.yml names a different agency from its folder",
        "duplicate-agency": "review.yml lists the same agency twice",
        "short-code-missing": "an agency of a review with IMRs of two or more agencies has no short code",
        "short-code-duplicate": "two agencies of a review have the same short code",
        "period-reversed": "the period under review ends before it starts",
        "duplicate-person": "two members of staff in imr.yml have the same id",
    }),
    *_codes("Review and IMR", C, {
        "section-empty": "a section holds only guidance comments",
        "placeholder": "TBC, TBA, XXX, \"insert ... here\" or the scaffold's example text left in place",
        "review-detail-missing": "a review at the report stage or later without a detail its report states (decision, completion, "
        "publication, the family's involvement, themes)",
    }),
    *_codes("Review and IMR", W, {
        "review-detail-early": "a review's completion or publication given before the stage at which a review can have it",
    }),
    *_codes("Review and IMR", P, {
        "period-empty": "the period under review starts and ends on the same day",
        "unlikely-date": "a family member born before 1900 or after today, or who died after today or before birth",
        "dated-in-future": "an action's update or the IMR's approval dated after today",
        "updates-order": "an action's updates not in date order",
        "review-dates-order": "a review completed before the board decided to hold it, or published before it was completed",
    }),
    *_codes("Terms of reference", C, {
        "tor-unanswered": "a terms-of-reference question has no answer in analysis.md",
        "tor-empty-answer": "a question's heading is there but nothing is written under it",
        "tor-no-reason": "an answer says the question is not relevant but not why",
        "good-practice-missing": "analysis.md has no good-practice part, or it is empty",
    }),
    *_codes("Terms of reference", E, {
        "tor-unknown-question": "analysis.md answers a question the terms of reference do not ask",
        "tor-duplicate-answer": "a question is answered under two headings",
    }),
    *_codes("Lessons", E, {
        "unknown-lesson": "an action names a lesson that is not in lessons.md",
        "duplicate-lesson": "two lessons have the same number",
    }),
    *_codes("Lessons", W, {
        "lesson-without-action": "a lesson leads to no action",
        "lesson-heading": "a heading in lessons.md is not read as a lesson",
    }),
    *_codes("Lessons", C, {
        "no-lessons": "lessons.md has no lessons yet",
        "action-without-lesson": "an action does not say which lesson it comes from",
    }),
    *_codes("Actions", C, {
        "action-incomplete": "an action of a submitted IMR lacks a field the template requires",
    }),
    *_codes("Actions", E, {
        "action-status": "an action status that is not one of the template's values",
        "completed-without-date": "a completed action without date_completed",
        "completed-in-future": "date_completed is after today",
        "date-completed-not-completed": "date_completed is given but the action is not completed",
        "duplicate-action-number": "two actions have the same number",
        "target-before-referral": "a target date before the review's referral date",
    }),
    *_codes("Recommendations", E, {
        "duplicate-finding": "two findings in recommendations.yml have the same number",
        "duplicate-recommendation": "two recommendations have the same number",
        "unknown-finding": "a recommendation follows from a finding that recommendations.yml does not list",
        "unknown-recipient": "a recommendation is made to someone who is neither the board nor an agency of the review",
        "unknown-theme": "a theme that is not one of the board's themes in reviews/board.yml",
        "unknown-action": "a recommendation is carried out by an agency's action that does not exist",
        "response-without-reason": "a recommendation the board did not accept in full, without the reason",
    }),
    *_codes("Recommendations", W, {
        "recommendation-without-action": "a recommendation the board accepted that no action carries out",
        "recommendation-no-response": "a recommendation of a completed review without the board's response",
    }),
    *_codes("Chronology", W, {
        "outside-period": "a chronology entry dated outside the period under review",
        "chronology-order": "the chronology is not in date order",
    }),
    *_codes("Chronology", E, {
        "unknown-person": "a staff id (in `by` or in the text) that is not in the personnel list",
        "unknown-agency": "a `by` id of another agency's staff (`agency-id/ID`) whose agency has no IMR in the review",
        "approximate-not-marked": "a date of only a month or year without approximate: true",
        "time-range-reversed": "a time range that does not end after it starts, such as 15:30-14:00",
    }),
    *_codes("Abbreviations", W, {
        "abbreviation-missing": "an abbreviation is used but not in the glossary",
    }),
    *_codes("Quality assurance and sign-off", C, {
        "qa-unanswered": "a quality-assurance criterion is not answered",
    }),
    *_codes("Quality assurance and sign-off", E, {
        "sign-off-incomplete": "a submitted or approved IMR without its author or approver",
        "submitted-date-missing": "a submitted or approved IMR without its date of submission",
        "submitted-in-future": "the date of submission is after today",
    }),
    *_codes("Quality assurance and sign-off", W, {
        "signed-off-changed": "a line changed since a revision at which the IMR was submitted or approved (check --since)",
    }),
    *_codes("Deadlines", W, {
        "imr-late": "an IMR past its due date and not yet submitted",
    }),
    *_codes("Anonymisation", A, {
        "real-name": "a member of staff's real name where their id belongs",
        "postcode": "text that looks like a UK postcode",
        "nhs-number": "a 10-digit number that passes the NHS number check",
        "ni-number": "text that looks like a National Insurance number",
        "phone-number": "text that looks like a UK telephone number",
        "email-address": "an e-mail address",
        "date-of-birth": "a family member's date of birth in the text",
        "address": "a family member's address, or its first line, in the text",
    }),
    *_codes("Importing a returned Action Plan", E, {
        "clearing-refused": "a value of a submitted or approved IMR was emptied in the workbook",
        "formula-column-edited": "a value was typed over one of the workbook's formula columns",
    }),
    *_codes("Importing a Word IMR", C, {
        "unplaced-content": "the IMR's folder still holds content of an imported Word document that had no place",
    }),
    *_codes("Markdown", E, {
        "raw-html": "raw HTML in a section",
        "file-outside-imr": "an image or link to a local file outside the IMR's folder",
        "local-file-missing": "an image or link to a file in the IMR's folder that does not exist",
        "unclosed-comment": "a comment opened with <!-- and never closed, which hides the rest of the section",
        "heading-form": "a heading meant for an answer, a lesson or good practice, not written the way sarflow reads it",
        "top-level-heading": "a `#` heading inside a section file, which would make the rest of the section sit under it",
    }),
    *_codes("Status site", E, {
        "site-hooks": "mkdocs.yml runs Python files at every build (`hooks:`)",
        "site-plugin": "mkdocs.yml adds a plugin other than the built-in search",
        "site-extension": "mkdocs.yml adds a Markdown extension not known to read no file",
        "site-setting": "mkdocs.yml reads settings or templates from outside site/",
        "site-outside-request": "the site would load something from another host",
    }),
    *_codes("Building the outputs", E, {
        "refused-image": "a picture the Word report may not include, so the IMR's report is not built",
        "docx-failed": "a Word report could not be built",
        "xlsx-failed": "a workbook could not be built",
        "site-build": "the status site could not be built",
        "docx-out-of-memory": "pandoc needed more memory than sarflow allows to make an IMR's Word report",
        "docx-timed-out": "pandoc took longer than sarflow allows to make an IMR's Word report",
        "docx-too-large": "an IMR's sections make more document text than sarflow allows",
    }),
    *_codes("Building the outputs", W, {
        "history-file-too-large": "a version of actions.yml in the git history is too large to read, so the site's history skips it",
    }),
    *_codes("Set-up", E, {
        "unknown-template": "reviews/board.yml names a template that is not in schema/templates/",
    }),
]

CODES: dict[str, Code] = {c.code: c for c in _ALL}


def severity(code: str, status: str | None, anonymisation: str, tier: Tier | None = None) -> Severity:
    """How severe `code` is for an IMR in `status`, under the board's anonymisation setting.

    An anonymisation code needs the `tier` of the text it was found in.
    """
    kind = CODES[code].kind
    if kind in (Kind.COMPLETENESS, Kind.PLAUSIBILITY):
        return Severity.ERROR if is_sent(status) else Severity.WARNING
    if kind is Kind.ANONYMISATION:
        if tier is None:
            raise ValueError(f"{code} is reported without the tier of the text it was found in")
        return Severity.ERROR if tier is Tier.STATUS or anonymisation == "error" else Severity.WARNING
    return Severity.ERROR if kind is Kind.ERROR else Severity.WARNING
