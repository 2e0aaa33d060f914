"""One IMR as a pandoc document in the template's shape: title page, sections, appendix.

`compose` is a pure function of one IMR, its review, the board, the template, the
author's sections as read by pandoc, and the version of the inputs: the same inputs
always give the same document, so a later cache or parallel build can reuse it, and
`sarflow redline` can compare two versions of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sarflow.dates import uk_long
from sarflow.docx import control, plan, tables
from sarflow.docx.numbering import ParagraphNumbers
from sarflow.docx.version import Version
from sarflow.findings import Finding
from sarflow.model import Board, Imr, Review
from sarflow.outputs import ERRORS_MARK
from sarflow.template import Template, TemplateSection
from sarflow.word import contents
from sarflow.word.nodes import (
    BLOCKS,
    Node,
    emph,
    header,
    ordered_list,
    page_break,
    para,
    plain,
    raw_openxml,
    space,
    stringify,
    strong,
    styled,
    text,
    walk,
)
from sarflow.word.reference import ERRORS_STYLE
from sarflow.word.wording import NOT_WRITTEN, fill

NOT_RECORDED = "not yet recorded"
# A table this wide gets landscape pages of its own.
LANDSCAPE_COLUMNS = 7
# How many errors the notice on the first page of a report built from files with errors lists.
LISTED_ERRORS = 10


@dataclass(frozen=True)
class Context:
    """Everything one IMR's document is made from."""

    imr: Imr
    review: Review
    board: Board | None
    template: Template
    author: dict[str, list[Node]]
    version: Version
    errors: tuple[Finding, ...] = ()  # check's errors in the files the report is made from
    standard: dict[str, list[Node]] = field(default_factory=dict)  # the board's text of each section

    def fill(self, value: str) -> str:
        """A template text with {subject}, {board} and {board_short} filled in."""
        return fill(value, self.review, self.board)

    @property
    def agency_name(self) -> str:
        return self.review.agency_name(self.imr.agency_id)


Body = Callable[[Context, TemplateSection, ParagraphNumbers], list[Node]]


def compose(context: Context) -> list[Node]:
    """The document's blocks, from the title page to Appendix 1."""
    blocks = [*title_page(context), page_break(), *contents.page()]
    numbers: dict[str, ParagraphNumbers] = {}
    landscape = False
    for section in context.template.sections:
        counter = numbers.setdefault(section.number, ParagraphNumbers(section.number))
        body = [_heading(section), *BODIES.get(section.id, _author_section)(context, section, counter)]
        wide = any(n["t"] == "Table" and len(n["c"][2]) >= LANDSCAPE_COLUMNS for n in walk(body, BLOCKS))
        if wide != landscape:
            blocks.append(section_break("landscape" if landscape else "portrait"))
            landscape = wide
        blocks.extend(body)
    if landscape:
        blocks.append(section_break("landscape"))
    return blocks


def section_break(orientation: str) -> Node:
    """The end of a run of pages in this orientation; `sarflow.word.finish` completes it."""
    return raw_openxml(f'<w:p><w:pPr><w:sectPr><w:pgSz w:orient="{orientation}"/></w:sectPr></w:pPr></w:p>')


def title_page(context: Context) -> list[Node]:
    """The cover: the template's title, the agency, the mark of an IMR not yet approved, who
    and what the review is, the IMR's status, dates and version, and the document history."""
    imr, review = context.imr, context.review
    author = ", ".join(v for v in (imr.author.name, imr.author.job_title) if v) if imr.author else ""
    lines = [
        ("Safeguarding Adults Board", context.board.name if context.board else None),
        ("Safeguarding Adults Review", review.reference or review.id),
        ("Subject of the review", review.subject.name if review.subject else None),
        ("Agency", context.agency_name),
        ("Author", author),
        *control.cover_details(imr, context.version),
    ]
    return [
        *errors_notice(context.errors),
        styled("Title", [para(text(context.template.title))]),
        styled("Subtitle", [para(text(context.agency_name))]),
        *control.cover_mark(imr),
        *(para(strong(f"{label}:"), space(), text(value or NOT_RECORDED)) for label, value in lines),
        *control.history(imr, context.version),
    ]


def errors_notice(errors: tuple[Finding, ...]) -> list[Node]:
    """The first thing a report built from files with errors says: that it was, and the errors."""
    if not errors:
        return []
    count = f"{len(errors)} error{'' if len(errors) == 1 else 's'}"
    listed = [para(text(f"{f.span}: {f.message}")) for f in errors[:LISTED_ERRORS]]
    if len(errors) > LISTED_ERRORS:
        listed.append(para(text(f"and {len(errors) - LISTED_ERRORS} more: run sarflow check to see them all")))
    explained = (f"sarflow check found {count} in the files this report is made from, so it may be incomplete or "
                 "wrong. A value that could not be read is printed as it was typed. Correct the files and build "
                 "the report again before anyone relies on it.")
    return [styled(ERRORS_STYLE, [para(strong(ERRORS_MARK)), para(text(explained)), *listed])]


def _heading(section: TemplateSection) -> Node:
    """Template titles keep the template's numbers, as the template prints them: the terms
    of reference are a section of their own that shares section 1's number."""
    title = f"{section.number}. {section.title}" if section.number else section.title
    return header(1, title, f"section-{section.id}")


def not_written() -> Node:
    return para(emph(NOT_WRITTEN))


def nest(blocks: list[Node], top: int) -> list[Node]:
    """The author's headings moved so that the highest of them is at level `top`, and none
    more than one level below the heading before it (a screen reader's outline of the
    document must not skip a level: ## then #### becomes levels `top` and `top` + 1). A
    heading in a footnote is not in the outline, and is left as it is."""
    headers = [n for n in walk(blocks, BLOCKS) if n["t"] == "Header"]
    if headers:
        shift = top - min(h["c"][0] for h in headers)
        previous = top - 1
        for h in headers:
            h["c"][0] = previous = max(top, min(6, h["c"][0] + shift, previous + 1))
    return blocks


def _author_section(context: Context, section: TemplateSection, numbers: ParagraphNumbers) -> list[Node]:
    """The board's standard paragraphs (numbered first), then what the author wrote."""
    standard = numbers.number(nest(_filled(context, context.standard.get(section.id, [])), 2))
    blocks = context.author.get(section.id)
    return [*standard, *(numbers.number(nest(blocks, 2)) if blocks else [not_written()])]


def _filled(context: Context, blocks: list[Node]) -> list[Node]:
    """The board's text with {subject}, {board} and {board_short} filled in, in place."""
    for node in walk(blocks):
        if node["t"] == "Str" and "{" in node["c"]:
            node["c"] = context.fill(node["c"])
    return blocks


def _terms_of_reference(context: Context, section: TemplateSection, numbers: ParagraphNumbers) -> list[Node]:
    terms, period = context.review.terms_of_reference, context.review.period
    paragraphs = [para(text(terms.scope))] if terms.scope else []
    if period and period.start and period.end:
        paragraphs.append(
            para(text(f"The review covers the period from {uk_long(period.start)} to {uk_long(period.end)}."))
        )
    questions = [q for q in terms.questions if q.text]
    if questions:
        paragraphs.append(para(text("Each agency answers these questions in its critical analysis:")))
    if not paragraphs:
        return [not_written()]
    # Each question once, under its own label (Q1 ...): not numbered, not bulleted.
    listed = [plain(strong(q.id or ""), space(), text(q.text or "")) for q in questions]
    return [*numbers.number(paragraphs), *listed]


def _analysis(context: Context, section: TemplateSection, numbers: ParagraphNumbers) -> list[Node]:
    """Each terms-of-reference question as a sub-heading with the author's answer under it,
    then whatever else the author wrote (good practice) in the author's order."""
    preamble, groups = _groups(context.author.get(section.id, []))
    blocks = numbers.number(nest(preamble, 2))
    used: set[int] = set()
    for question in context.review.terms_of_reference.questions:
        blocks.append(header(2, " ".join(v for v in (question.id, question.text) if v)))
        answers = [i for i, (title, _) in enumerate(groups) if question.id and _first_word(title) == question.id.upper()]
        used.update(answers)
        written = False
        for i in answers:
            title, body = groups[i]
            rest = _after_first_word(title)
            if rest:
                blocks.append(header(3, rest))
            if body:
                blocks.extend(numbers.number(nest(body, 4 if rest else 3)))
                written = True
        if not written:
            blocks.append(not_written())
    for i, (title, body) in enumerate(groups):
        if i not in used:
            blocks.append({"t": "Header", "c": [2, ["", [], []], title]})
            blocks.extend(numbers.number(nest(body, 3)) if body else [not_written()])
    return blocks


def _groups(blocks: list[Node]) -> tuple[list[Node], list[tuple[list[Node], list[Node]]]]:
    """The blocks before the first top-level heading, and each top-level heading with its body."""
    levels = [b["c"][0] for b in blocks if b["t"] == "Header"]
    if not levels:
        return blocks, []
    top = min(levels)
    preamble: list[Node] = []
    groups: list[tuple[list[Node], list[Node]]] = []
    for block in blocks:
        if block["t"] == "Header" and block["c"][0] == top:
            groups.append((block["c"][2], []))
        elif groups:
            groups[-1][1].append(block)
        else:
            preamble.append(block)
    return preamble, groups


def _first_word(title: list[Node]) -> str:
    words = stringify(title).split(maxsplit=1)
    return words[0].rstrip(".:").upper() if words else ""


def _after_first_word(title: list[Node]) -> str:
    words = stringify(title).split(maxsplit=1)
    return re.sub(r"^[\s.:\-\u2013\u2014]+", "", words[1]) if len(words) > 1 else ""


def _table_or_not_written(build: Callable[..., list[Node]]) -> Body:
    def body(context: Context, section: TemplateSection, numbers: ParagraphNumbers) -> list[Node]:
        return build(context.imr, context.template) or [not_written()]

    return body


def _quality_assurance(context: Context, section: TemplateSection, numbers: ParagraphNumbers) -> list[Node]:
    return [*tables.quality_assurance(context.imr, context.template), *tables.sign_off(context.imr, context.template)]


def _appendix(context: Context, section: TemplateSection, numbers: ParagraphNumbers) -> list[Node]:
    return [ordered_list([[para(text(context.fill(q)))] for q in context.template.trigger_questions])]


BODIES: dict[str, Body] = {
    "terms-of-reference": _terms_of_reference,
    "analysis": _analysis,
    "family": _table_or_not_written(tables.family),
    "chronology": _table_or_not_written(tables.chronology),
    "recommendations": lambda context, section, numbers: (
        plan.action_plan(context.imr, context.template, context.board) or [not_written()]),
    "quality-assurance": _quality_assurance,
    "personnel": _table_or_not_written(tables.personnel),
    "abbreviations": _table_or_not_written(tables.abbreviations),
    "appendix-1": _appendix,
}
