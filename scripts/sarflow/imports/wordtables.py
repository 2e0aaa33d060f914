"""The tables of a Word IMR read into the values of imr.yml and chronology.yml.

A table is known by its header row, matched on the template's column titles (case,
spacing and punctuation do not matter; a column may also be headed by its key or,
where no other column shares it, the first word of its title); the sign-off block by
its labels, the quality-assurance form by its Criteria | Yes | No | Comments header.
Every cell is read by what it holds: dates as the template writes them (dd/mm/yyyy,
the UK form every sarflow output uses, or ISO), never with a two-digit year and
never from words; a tick, a cross or Yes in the Yes or No column. A table with merged
cells, or with a column more or less than the template's, is refused with the table
and the column named, since a value in it could not be placed without a guess.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from sarflow import clock
from sarflow.dates import APPROXIMATE
from sarflow.imports.chronology import words
from sarflow.imports.workbook import Problem
from sarflow.template import Column, Template
from sarflow.word.nodes import Node, stringify
from sarflow.word.wording import ABBREVIATION_HEAD

MARKS = {"\u2713", "\u2714", "\u2611", "\u2612", "\u2717", "\u2718", "x", "yes", "y", "no", "n", "\u221a", "\u2715"}
TICKS = {"\u2713", "\u2714", "\u2611", "\u221a", "yes", "y"}
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class Grid:
    """A table as rows of cell texts, with its place in the document for messages."""

    name: str  # "table 3 (in 4. Chronology of agency involvement)"
    rows: list[list[str]]
    blocks: Node  # the Table itself, for the file of unplaced content
    merged: str | None = None  # where a cell spans several, if one does


@dataclass
class TableValues:
    """What the tables gave, by the keys of imr.yml (and chronology.yml's entries)."""

    family: list[dict[str, Any]] = field(default_factory=list)
    personnel: list[dict[str, Any]] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)
    quality_assurance: dict[str, dict[str, Any]] = field(default_factory=dict)
    sign_off: dict[str, Any] = field(default_factory=dict)  # dotted keys of the template: author.name, submitted
    chronology: list[dict[str, Any]] = field(default_factory=list)
    read: list[str] = field(default_factory=list)  # which tables were read, for the report


def grid(table: Node, name: str) -> Grid:
    """A pandoc Table as rows of text; `merged` says where a cell spans more than one."""
    _, _, _, head, bodies, foot = table["c"]
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    rows += foot[1]
    texts: list[list[str]] = []
    merged: str | None = None
    for number, row in enumerate(rows, start=1):
        cells: list[str] = []
        for cell in row[1]:
            _, _, rowspan, colspan, blocks = cell
            if (rowspan > 1 or colspan > 1) and merged is None:
                merged = f"row {number}, column {len(cells) + 1}"
            cells.append(cell_text(blocks))
        texts.append(cells)
    return Grid(name, texts, table, merged)


def cell_text(blocks: list[Node]) -> str:
    """A cell's paragraphs as text, one line each."""
    lines = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            lines.append(" ".join(stringify(block["c"]).split()))
        elif block["t"] in ("BulletList", "OrderedList"):
            items = block["c"] if block["t"] == "BulletList" else block["c"][1]
            lines += [cell_text(item) for item in items]
    return "\n".join(line for line in lines if line)


def names(columns: tuple[Column, ...]) -> dict[str, str]:
    """Each way a column may be headed -> its key: its title, its key, and the first word of its title
    where no other column's title starts with the same word."""
    firsts = [words(c.title).split()[0] for c in columns if words(c.title)]
    found: dict[str, str] = {}
    for column in columns:
        found.setdefault(words(column.title), column.key)
        found.setdefault(words(column.key.replace("_", " ")), column.key)
        first = words(column.title).split()[0] if words(column.title) else ""
        if first and firsts.count(first) == 1:
            found.setdefault(first, column.key)
    return found


def kind_of(table: Grid, template: Template) -> str | None:
    """Which of the IMR's tables this is, by its first row: family, chronology, personnel, quality-assurance,
    sign-off, abbreviations, or the action plan (which comes in from its workbook); None when none."""
    if not table.rows:
        return None
    header = [words(cell) for cell in table.rows[0]]
    if header[:1] == [words(template.qa_columns[0])] and words(template.qa_columns[1]) in header:
        return "quality-assurance"
    if header and header[0] == words(template.sign_off[0].title):
        return "sign-off"
    if header == [words(t) for t in ABBREVIATION_HEAD]:
        return "abbreviations"
    for kind, columns in (("family", template.family_columns), ("chronology", template.chronology_columns),
                          ("personnel", template.personnel_columns)):
        known = names(columns)
        if sum(1 for cell in header if cell in known) >= min(3, len(columns)):
            return kind
    plan = names(template.action_plan.columns)
    if sum(1 for cell in header if cell in plan) >= 2:
        return "recommendations"
    return None


def read_table(table: Grid, kind: str, template: Template, values: TableValues, problems: list[Problem]) -> None:
    """Add the values of a table of `kind` to `values`; each cell that cannot be read is a problem."""
    if table.merged:
        problems.append(Problem(table.name, f"the table has merged cells ({table.merged}), so its values cannot be "
                                "placed in their columns", "in Word, select the table and use Table Layout > Split "
                                "Cells (or Unmerge) until every value has a cell of its own, then import again"))
        return
    before = len(problems)
    if kind == "quality-assurance":
        _quality(table, template, values, problems)
    elif kind == "sign-off":
        _sign_off(table, template, values, problems)
    elif kind == "abbreviations":
        for row in table.rows[1:] if _has_header(table) else table.rows:
            short, meaning = ([*row, "", ""])[:2]
            if short or meaning:
                values.abbreviations[short] = meaning
    else:
        columns = {"family": template.family_columns, "chronology": template.chronology_columns,
                   "personnel": template.personnel_columns}[kind]
        target = {"family": values.family, "chronology": values.chronology, "personnel": values.personnel}[kind]
        target += _rows(table, columns, kind, template, problems)
    if len(problems) == before:
        values.read.append(table.name)


def _has_header(table: Grid) -> bool:
    return [words(c) for c in table.rows[0]] == [words(t) for t in ABBREVIATION_HEAD]


def _rows(table: Grid, columns: tuple[Column, ...], kind: str, template: Template, problems: list[Problem]) -> list[dict[str, Any]]:
    known = names(columns)
    header = table.rows[0]
    keys = [known.get(words(cell)) for cell in header]
    titles = {c.key: c.title for c in columns}
    for number, key in enumerate(keys, start=1):
        if key is None:
            problems.append(Problem(f"{table.name}, column {number}", f"the column {header[number - 1]!r} is not one of "
                                    f"the template's, so its values would be lost", "rename it to one of "
                                    + ", ".join(map(repr, titles.values())) + ", or move its text into one of those "
                                    "columns and delete it"))
    for column in columns:
        if column.key not in keys and not (kind == "chronology" and column.key in ("time", "action", "outcome", "by")):
            problems.append(Problem(table.name, f"the table has no {column.title!r} column",
                                    f"add the column {column.title!r} (its cells may be empty) where the template has it"))
    found = []
    for number, row in enumerate(table.rows[1:], start=2):
        if len(row) != len(header):
            problems.append(Problem(f"{table.name}, row {number}", f"the row has {len(row)} cells and the header "
                                    f"{len(header)}", "give every row the same columns as the header row"))
            continue
        if not any(row):
            continue
        item: dict[str, Any] = {}
        for key, text in zip(keys, row, strict=True):
            if key is None or not text or (kind != "personnel" and text.casefold() == template.not_known.casefold()):
                continue
            item[key] = _value(kind, key, text, f"{table.name}, row {number}, column {titles[key]!r}", problems)
        if kind == "chronology" and isinstance(item.get("date"), tuple):
            item["date"], approximate = item["date"]
            item["approximate"] = approximate or not isinstance(item["date"], dt.date)
        found.append(item)
    return found


def _value(kind: str, key: str, text: str, where: str, problems: list[Problem]) -> Any:
    """One cell's value as the data file holds it."""
    if kind == "family" and key in ("date_of_birth", "date_of_death"):
        if key == "date_of_death" and words(text) in ("n a", "na", "not applicable"):
            return "n/a"
        return word_date(text, where, problems, partial=False)[0]
    if kind == "chronology" and key == "date":
        return word_date(text, where, problems, partial=True)
    if kind == "chronology" and key == "time":
        if (read := clock.read(text)) is not None:
            return str(read)
        message, hint = clock.explain(text)
        problems.append(Problem(where, message.replace("`", "'"), hint))
        return None
    if kind == "chronology" and key == "by":
        items = [i.strip() for i in re.split(r"[,;\n]", text) if i.strip()]
        return items[0] if len(items) == 1 else items
    return text


def word_date(text: str, where: str, problems: list[Problem], partial: bool) -> tuple[Any, bool]:
    """A date as a Word table writes it: dd/mm/yyyy or ISO; with `partial`, also mm/yyyy and yyyy, and
    "(approx.)" after any of them. (value, approximate); the value is None, with a problem, otherwise."""
    approximate = text.endswith(APPROXIMATE)
    written = text.removesuffix(APPROXIMATE).strip()
    try:
        if match := _UK.match(written) or _ISO.match(written):
            a, b, c = (int(g) for g in match.groups())
            return (dt.date(c, b, a) if match.re is _UK else dt.date(a, b, c)), approximate
        if partial and (match := _MONTH.match(written) or _ISO_MONTH.match(written)):
            a, b = (int(g) for g in match.groups())
            month, year = (a, b) if match.re is _MONTH else (b, a)
            if 1 <= month <= 12:
                return f"{year}-{month:02d}", True
        if partial and re.fullmatch(r"\d{4}", written):
            return int(written), True
    except ValueError:
        problems.append(Problem(where, f"{text!r} is not a date that exists", "correct the date, written dd/mm/yyyy"))
        return None, False
    short = re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2}", written)
    problems.append(Problem(where, f"{text!r} is not a date sarflow can read without guessing",
                            "write the year in full, dd/mm/yyyy (e.g. 17/11/2009)" if short else
                            "write the date as dd/mm/yyyy, e.g. 03/04/2025 for 3 April 2025"
                            + ("; where only the month or the year is known, 04/2025 or 2025" if partial else "")))
    return None, False


def _quality(table: Grid, template: Template, values: TableValues, problems: list[Problem]) -> None:
    """Criteria | Yes | No | Comments: a mark in Yes or No (a tick wins over a cross), and the comment."""
    header = [words(c) for c in table.rows[0]]
    if header != [words(c) for c in template.qa_columns]:
        problems.append(Problem(table.name, "the quality-assurance form's columns are "
                                + ", ".join(map(repr, table.rows[0])), "keep the template's columns: "
                                + ", ".join(map(repr, template.qa_columns))))
        return
    criteria = {words(c.text): c.id for c in template.criteria}
    for number, row in enumerate(table.rows[1:], start=2):
        where = f"{table.name}, row {number}"
        criterion, yes, no, comment = row
        if not any(row):
            continue
        near = difflib.get_close_matches(words(criterion), list(criteria), n=1, cutoff=0.8)
        if not near:
            problems.append(Problem(where, f"{criterion!r} is not one of the template's criteria",
                                    "keep the criterion's words as the template has them"))
            continue
        answer = _answer(yes, no, where, problems)
        item: dict[str, Any] = {} if answer is None else {"answer": answer}
        if comment:
            item["comment"] = comment
        if item:
            values.quality_assurance[criteria[near[0]]] = item


def _answer(yes: str, no: str, where: str, problems: list[Problem]) -> str | None:
    marked = {name: words(text) or text.strip().casefold() for name, text in (("yes", yes), ("no", no))}
    for name, mark in marked.items():
        if mark and mark not in MARKS:
            problems.append(Problem(where, f"the {name.title()} column holds {mark!r}, not a tick or a cross",
                                    "put a tick (or X) in Yes or in No, and anything else in Comments"))
            return None
    chosen = [name for name, mark in marked.items() if mark]
    if len(chosen) == 2:
        ticked = [name for name, mark in marked.items() if mark in TICKS]
        if len(ticked) == 1:
            return ticked[0]
        problems.append(Problem(where, "both Yes and No are marked", "leave the mark in one of them only"))
        return None
    return chosen[0] if chosen else None


def _sign_off(table: Grid, template: Template, values: TableValues, problems: list[Problem]) -> None:
    """Label | value rows in the template's order (its two "Job Title" rows told apart by their place)."""
    fields = list(template.sign_off)
    at = 0
    for number, row in enumerate(table.rows, start=1):
        label, value = ([*row, "", ""])[:2]
        index = next((i for i in range(at, len(fields)) if words(fields[i].title) == words(label)), None)
        if index is None:
            problems.append(Problem(f"{table.name}, row {number}", f"{label!r} is not one of the sign-off's rows "
                                    "in the template's order", "keep the rows " + ", ".join(repr(f.title) for f in fields)))
            continue
        at = index + 1
        if value:
            key = fields[index].key
            where = f"{table.name}, row {number}"
            values.sign_off[key] = word_date(value, where, problems, partial=False)[0] if key == "submitted" else value
