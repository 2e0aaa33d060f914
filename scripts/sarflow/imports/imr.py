"""A Word IMR's AST sorted into the template's sections: text for the Markdown files, tables for the data.

Sections are found by their headings, matched on the template file's titles (the
board's own wording) with numbering ("3.", "SECTION 9"), case, spacing and
punctuation ignored, and a heading split over two or three short lines joined; Word
headings are used where the document has them, short paragraphs otherwise. In each
section: the paragraph numbers sarflow's own report adds (5.1) are taken off; the
board's standard paragraphs and the "Not yet written." note are left out, being the
template's; in the critical analysis each terms-of-reference question (found by its
number, "Q3" or "Question 3", or by its words) becomes its `## Q<n>` heading, and a
table of questions and answers is read the same way; in the lessons each "L<n>"
heading becomes `## L<n>`. Tables are read by imports.wordtables. Whatever has no
place (a title page, a picture, text among the data, the action plan, which comes in
from its workbook) is kept, with the reason, for the file of unplaced content.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from sarflow.imports.chronology import words
from sarflow.imports.wordtables import Grid, TableValues, grid, kind_of, read_table
from sarflow.imports.workbook import Problem
from sarflow.model import Board, Review
from sarflow.template import Template, TemplateSection
from sarflow.word.nodes import Node, stringify, walk
from sarflow.word.wording import NOT_WRITTEN, fill

MAX_HEADING_WORDS = 16
_NUMBERING = re.compile(r"^(?:section\s+)?(?:appendix\s+)?[(]?\d+(?:\.\d+)*[.):]?\s+")
_QUESTION = re.compile(r"^(?:q|question)\s*(\d+)\b[.:)]?\s*", re.I)
_LESSON = re.compile(r"^(?:l|lesson)\s*(\d+)\b[.:)]?\s*", re.I)
TEXT_SECTIONS = ("introduction", "methodology", "narrative", "analysis", "lessons")
TABLE_SECTIONS = ("family", "chronology", "quality-assurance", "personnel", "abbreviations")


@dataclass
class Unplaced:
    where: str
    reason: str
    blocks: list[Node]


@dataclass
class ImportedImr:
    """What the document gave: each text section's blocks (by section id), the tables' values, the rest."""

    api: list[int]
    text: dict[str, list[Node]] = field(default_factory=dict)
    values: TableValues = field(default_factory=TableValues)
    found: list[str] = field(default_factory=list)  # section titles found, in the template's order
    unplaced: list[Unplaced] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def title_words(text: str) -> str:
    """A heading as compared with the template's titles: no numbering, no case, no punctuation."""
    said = words(text)
    while (stripped := _NUMBERING.sub("", said + " ").strip()) != said:
        said = stripped
    return said


def sort_document(ast: dict[str, Any], shown: str, template: Template, review: Review, board: Board | None) -> ImportedImr:
    blocks = ast["blocks"]
    result = ImportedImr(ast["pandoc-api-version"])
    starts = _headings(blocks, template)
    if not starts:
        titles = ", ".join(repr(s.title) for s in template.sections[:4])
        result.problems.append(Problem(shown, "this is not an IMR in the template's shape: none of its headings is "
                                       f"one of the template's sections ({titles}, ...)", "give the IMR written in "
                                       f"the board's {template.id} Word template, with its section headings kept"))
        return result
    first = starts[0][0]
    if blocks[:first]:
        result.unplaced.append(Unplaced("before the first section", "a title page or text before section 1: the "
                                        "review's details come from review.yml, the author's from the sign-off",
                                        _without_contents(blocks[:first])))
    tables = 0
    for n, (start, length, section) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(blocks)
        body = blocks[start + length:end]
        result.found.append(section.id)
        heading = f"{section.number}. {section.title}" if section.number else section.title
        loose: list[Node] = []
        for block in body:
            if block["t"] == "Table" and section.id != "analysis":
                tables += 1
                _table(grid(block, f"table {tables} (in {heading})"), section, template, result)
            else:
                loose.append(block)
        if section.id in TEXT_SECTIONS:
            result.text[section.id] = _text(section, loose, template, review, board, result)
        elif _words(loose) and not _known(section, loose, template, review, board):
            result.unplaced.append(Unplaced(heading, _reason(section), loose))
    return result


def _headings(blocks: list[Node], template: Template) -> list[tuple[int, int, TemplateSection]]:
    """(index, how many blocks the heading takes, section) for each section found, in the document's order."""
    titles = {title_words(s.title): s for s in template.sections}
    for headers_only in (True, False):
        found: list[tuple[int, int, TemplateSection]] = []
        seen: set[str] = set()
        i = 0
        while i < len(blocks):
            match = _heading_at(blocks, i, titles, headers_only, seen)
            if match:
                found.append((i, match[0], match[1]))
                seen.add(match[1].id)
                i += match[0]
            else:
                i += 1
        if len(found) >= 3 or not headers_only:
            return found
    return []


def _heading_at(blocks: list[Node], i: int, titles: dict[str, TemplateSection], headers_only: bool,
                seen: set[str]) -> tuple[int, TemplateSection] | None:
    said = ""
    for length in (1, 2, 3):
        if i + length > len(blocks):
            return None
        block = blocks[i + length - 1]
        if block["t"] != "Header" and (headers_only or block["t"] not in ("Para", "Plain")):
            return None
        inlines = block["c"][2] if block["t"] == "Header" else block["c"]
        if any(n["t"] == "Link" for n in inlines):
            return None  # an entry of a contents list
        text = stringify(inlines)
        if len(text.split()) > MAX_HEADING_WORDS:
            return None
        said = title_words(f"{said} {text}")
        near = difflib.get_close_matches(said, list(titles), n=1, cutoff=0.92)
        if near and titles[near[0]].id not in seen:
            return length, titles[near[0]]
    return None


def _without_contents(blocks: list[Node]) -> list[Node]:
    """The blocks less a contents list (entries that only link to headings): it repeats the headings."""
    return [b for b in blocks if not (b["t"] in ("Para", "Plain") and b["c"] and all(
        n["t"] == "Link" or n["t"] == "Space" for n in b["c"]))]


def _table(table: Grid, section: TemplateSection, template: Template, result: ImportedImr) -> None:
    kind = kind_of(table, template)
    if kind == "abbreviations" or (kind is None and section.id == "abbreviations" and all(len(r) == 2 for r in table.rows)):
        read_table(table, "abbreviations", template, result.values, result.problems)
    elif kind == "recommendations":
        result.unplaced.append(Unplaced(table.name, "the action plan: bring it in from its workbook with `sarflow "
                                        "import action-plan`, which checks every row", [table.blocks]))
    elif kind is None:
        result.unplaced.append(Unplaced(table.name, "a table that is none of the template's (its first row "
                                        "matches no table's column titles)", [table.blocks]))
    else:
        read_table(table, kind, template, result.values, result.problems)


def _text(section: TemplateSection, blocks: list[Node], template: Template, review: Review, board: Board | None,
          result: ImportedImr) -> list[Node]:
    """A text section's blocks as its Markdown file will hold them."""
    standard = {words(p) for p in re.split(r"\n\s*\n|\n- ", fill(section.standard_text, review, board))}
    kept = []
    for block in blocks:
        _unnumber(block, section.number)
        text = words(_plain(block))
        if not text or text == words(NOT_WRITTEN) or text in standard or (
                block["t"] == "BulletList" and all(words(_plain(item[0])) in standard for item in block["c"] if item)):
            continue
        kept.append(block)
    kept = _pictures(_straight(kept), section, result)
    if section.id == "analysis":
        return _answers(kept, review, template, result)
    if section.id == "lessons":
        return [_retitled(b, _LESSON, "L") for b in kept]
    return _levelled(kept)


_STRAIGHT = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _straight(blocks: list[Node]) -> list[Node]:
    """Word's curly quotes as the files write them (the report curls them again), and lists whose items
    are one paragraph each made tight, as an author writes them in Markdown."""
    for node in walk(blocks):
        if node["t"] == "Str":
            node["c"] = node["c"].translate(_STRAIGHT)
        elif node["t"] in ("BulletList", "OrderedList"):
            items = node["c"] if node["t"] == "BulletList" else node["c"][1]
            if all(len(item) == 1 and item[0]["t"] == "Para" for item in items):
                for item in items:
                    item[0]["t"] = "Plain"
    return blocks


def _unnumber(block: Node, number: str) -> None:
    """Take off a paragraph number such as 5.1 (sarflow's report, or the author's own) at a paragraph's start."""
    if block["t"] != "Para" or not number or not block["c"]:
        return
    inlines = block["c"]
    if inlines[0]["t"] == "Span":  # sarflow's report marks its numbers
        inlines[:1] = inlines[0]["c"][1]
    if inlines[0]["t"] == "Str" and re.fullmatch(rf"{re.escape(number)}\.\d+\.?", inlines[0]["c"]):
        del inlines[: 2 if len(inlines) > 1 and inlines[1]["t"] == "Space" else 1]


def _plain(block: Node) -> str:
    if block["t"] in ("Para", "Plain"):
        return stringify(block["c"])
    if block["t"] == "Header":
        return stringify(block["c"][2])
    return stringify([block])


def _words(blocks: list[Node]) -> bool:
    return any(words(_plain(b)) and words(_plain(b)) != words(NOT_WRITTEN) for b in blocks)


def _pictures(blocks: list[Node], section: TemplateSection, result: ImportedImr) -> list[Node]:
    """Pictures are not brought in (a section's pictures live beside it as files): each is noted instead."""
    count = 0
    for node in walk(blocks):
        if node["t"] == "Image":
            count += 1
            node["t"], node["c"] = "Str", f"[picture {count}: see unplaced.md]"
    if count:
        result.unplaced.append(Unplaced(section.title, f"{count} picture(s): save each from the Word document into "
                                        "the IMR's folder and link it where the note is", []))
    return blocks


def _levelled(blocks: list[Node], top: int = 2) -> list[Node]:
    """Headings moved so that the highest is `##` (a `#` inside a section file is refused by check)."""
    levels = [b["c"][0] for b in blocks if b["t"] == "Header"]
    shift = top - min(levels) if levels else 0
    for block in blocks:
        if block["t"] == "Header":
            block["c"][0] = min(6, block["c"][0] + shift)
            block["c"][1] = ["", [], []]
    return blocks


def _retitled(block: Node, pattern: re.Pattern[str], letter: str, level: int = 2) -> Node:
    """A heading or short paragraph that starts "L2" (or "Lesson 2") as the heading `## L2 <rest>`."""
    text = _plain(block)
    if block["t"] not in ("Header", "Para", "Plain") or len(text.split()) > MAX_HEADING_WORDS:
        return block
    match = pattern.match(text.strip())
    if not match:
        return block
    rest = text.strip()[match.end():].strip(" -\u2013\u2014")
    return _header(level, f"{letter}{match.group(1)} {rest}".strip())


def _header(level: int, title: str) -> Node:
    inlines: list[Node] = []
    for word in title.split():
        inlines += [{"t": "Space"}, {"t": "Str", "c": word}] if inlines else [{"t": "Str", "c": word}]
    return {"t": "Header", "c": [level, ["", [], []], inlines]}


def _answers(blocks: list[Node], review: Review, template: Template, result: ImportedImr) -> list[Node]:
    """The critical analysis with each question as its `## Q<n>` heading and good practice as its own.

    sarflow's report prints "Q1 <question>" with the author's heading below it, which
    becomes `## Q1 <the author's heading>`; a table of questions and answers is read
    row by row, cell by cell, as if it were paragraphs.
    """
    flat: list[Node] = []
    for block in blocks:
        flat += [b for row in _cells(block) for b in row] if block["t"] == "Table" else [block]
    questions = {words(q.text): q.id for q in review.terms_of_reference.questions if q.id and q.text}
    out: list[Node] = []
    rest: list[Node] = []  # the author's own headings and text, levelled below the answers' headings at the end
    pending: str | None = None
    for block in flat:
        text = _plain(block).strip()
        qid = _question(block, text, questions, review)
        if qid:
            out.append(_header(2, qid))
            pending = qid
        elif pending and block["t"] == "Header":  # the author's heading under the question
            out[-1] = _header(2, f"{pending} {stringify(block['c'][2])}")
            pending = None
        elif block["t"] in ("Header", "Para", "Plain") and words(text) == words(template.good_practice):
            out.append(_header(2, template.good_practice))
            pending = None
        else:
            out.append(block)
            rest.append(block)
            pending = None
    _levelled(rest, 3)
    return out


def _cells(table: Node) -> list[list[Node]]:
    """Each row of a table as the blocks of its cells, one after another."""
    _, _, _, head, bodies, foot = table["c"]
    rows = list(head[1]) + [r for body in bodies for r in body[2] + body[3]] + list(foot[1])
    return [[b for cell in row[1] for b in cell[4]] for row in rows]


def _question(block: Node, text: str, questions: dict[str, str], review: Review) -> str | None:
    """The id of the question this heading or paragraph asks, by its number or its words."""
    if block["t"] not in ("Header", "Para", "Plain") or not text:
        return None
    ids = {q.id for q in review.terms_of_reference.questions if q.id}
    match = _QUESTION.match(text)
    if match and f"Q{match.group(1)}" in ids and (len(text.split()) <= MAX_HEADING_WORDS or block["t"] == "Header"
                                                  or words(text[match.end():]) in questions):
        return f"Q{match.group(1)}"
    near = difflib.get_close_matches(words(text), list(questions), n=1, cutoff=0.85)
    return questions[near[0]] if near else None


def _known(section: TemplateSection, blocks: list[Node], template: Template, review: Review, board: Board | None) -> bool:
    """Text of a section the template or review.yml writes (the terms of reference, Appendix 1, guidance),
    which the document only repeats: nearly every word of it is theirs."""
    terms = review.terms_of_reference
    known = " ".join([terms.scope or "", *(f"{q.id} {q.text}" for q in terms.questions),
                      *(fill(q, review, board) for q in template.trigger_questions),
                      *(f"{s.title} {s.guidance}" for s in template.sections)])
    vocabulary = set(words(known).split())
    said = words(" ".join(_plain(b) for b in blocks)).split()
    return bool(said) and sum(w in vocabulary for w in said) >= 0.8 * len(said)


def _reason(section: TemplateSection) -> str:
    if section.id == "recommendations":
        return "text of the action plan's section: the actions come in from the Action Plan workbook"
    if section.id in ("terms-of-reference", "appendix-1"):
        return "text that differs from what review.yml (or the template) gives this section"
    return f"text in a section that sarflow keeps as data in {section.data or 'the template'}, not as text"


def report(imported: ImportedImr, template: Template) -> list[str]:
    """Every section of the template, found or missing, what each gave, and what had no place."""
    values = imported.values
    counts = {"family": f"{len(values.family)} people in imr.yml", "chronology": f"{len(values.chronology)} entries in chronology.yml",
              "quality-assurance": f"{len(values.quality_assurance)} answers and {len(values.sign_off)} sign-off values in imr.yml",
              "personnel": f"{len(values.personnel)} staff in imr.yml", "abbreviations": f"{len(values.abbreviations)} abbreviations in imr.yml"}
    lines = []
    for section in template.sections:
        heading = f"{section.number}. {section.title}" if section.number else section.title
        if section.id not in imported.found:
            lines.append(f"  missing   {heading}" + (f": {section.file} has only its guidance" if section.file else ""))
        elif section.file:
            lines.append(f"  found     {heading} -> {section.file}")
        elif section.id in counts:
            lines.append(f"  found     {heading} -> {counts[section.id]}")
        else:
            lines.append(f"  found     {heading} (from {section.data or 'the template'}: not imported)")
    lines += [f"  read      {name}" for name in values.read]
    lines += [f"  unplaced  {u.where}: {u.reason}" for u in imported.unplaced]
    return lines
