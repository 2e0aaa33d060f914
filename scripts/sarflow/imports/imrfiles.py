"""The files an imported Word IMR becomes, as text, and their writing: all of them or none.

Text sections are written by pandoc as Markdown that sarflow reads back as the same
text, one sentence per line (the panel's diffs stay readable). imr.yml is written
line by line with every value through sarflow.yamltext, so that YAML reads back
exactly the text meant (`yes` stays text, `14:30` is not a number); chronology.yml
as the chronology import writes it (imports.entries). A section the document lacks
gets the file `sarflow new imr` scaffolds, and actions.yml too (the actions come in
from their workbook). What could not be placed goes into unplaced.md, each part under
the reason it could not be placed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sarflow import yamltext
from sarflow.imports.chronology import ReturnedEntry
from sarflow.imports.entries import CHRONOLOGY_FILE, EntryChange, EntryPlan, new_text
from sarflow.imports.imr import ImportedImr
from sarflow.load import UNPLACED_FILE
from sarflow.scaffold import imr_files
from sarflow.template import Template
from sarflow.word import pandoc

# A sentence ends at . ! or ? before a capital letter, a digit or an opening quote, except after these.
_END = re.compile(r"(?<=[.!?])([\"'\u201d\u2019)]?) +(?=[A-Z0-9\"'\u201c\u2018(])")
_NOT_AN_END = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mx|St|No|Prof|Rev|e\.g|i\.e|etc|approx|vs)[.]$")
_STARTS_BLOCK = re.compile(r"^(?:[-+*>#|]|\d+[.)]\s)")


def one_sentence_per_line(markdown: str) -> str:
    """Each paragraph's sentences on lines of their own (lists, headings and tables as they are)."""
    out = []
    for line in markdown.split("\n"):
        if not line or _STARTS_BLOCK.match(line) or line.startswith(" "):
            out.append(line)
            continue
        sentences: list[str] = []
        start = 0
        for match in _END.finditer(line):
            head = line[start:match.start()] + match.group(1)
            rest = line[match.end():]
            if _NOT_AN_END.search(line[:match.start()]) or _STARTS_BLOCK.match(rest):
                continue
            sentences.append(head)
            start = match.end()
        sentences.append(line[start:])
        out.extend(sentences)
    return "\n".join(out)


def files(imported: ImportedImr, template: Template, agency_id: str, questions: list[str], source: str) -> dict[str, str]:
    """Every file of the IMR folder the document becomes, by name."""
    written = imr_files(template, agency_id, questions)
    sections = {sid: blocks for sid, blocks in imported.text.items() if blocks}
    markdown = pandoc.write_markdown(imported.api, sections) if sections else {}
    for section_id, text in markdown.items():
        written[template.section_files[section_id]] = one_sentence_per_line(text.strip()) + "\n"
    written["imr.yml"] = imr_yaml(imported, agency_id, source)
    if imported.values.chronology:
        plan = EntryPlan([EntryChange(ReturnedEntry(entry, "table", n), None) for n, entry in
                          enumerate(imported.values.chronology, start=1)], [])
        written[CHRONOLOGY_FILE] = new_text(written[CHRONOLOGY_FILE].encode(), plan, [])
    if imported.unplaced:
        written[UNPLACED_FILE] = unplaced_markdown(imported, source)
    return written


def imr_yaml(imported: ImportedImr, agency_id: str, source: str) -> str:
    """imr.yml from the document's tables; the status is draft until the author says otherwise."""
    values = imported.values
    sign = values.sign_off
    lines = [
        "# yaml-language-server: $schema=../../../schema/imr.schema.json",
        f"# Imported from {source} by `sarflow import imr`: check each value against the document.",
        f"agency: {yamltext.scalar(agency_id)}",
        "status: draft              # draft, then submitted, then approved",
    ]
    for who in ("author", "approved_by"):
        given = {key: sign[f"{who}.{key}"] for key in ("name", "job_title") if sign.get(f"{who}.{key}")}
        if given:
            lines += [f"{who}:", *(f"  {key}: {_value(value)}" for key, value in given.items())]
    if isinstance(sign.get("submitted"), dt.date):
        lines.append(f"submitted: {sign['submitted'].isoformat()}")
    lines += _items("family", values.family)
    lines += _items("personnel", [{k: p[k] for k in ("id", "name", "role") if k in p} for p in values.personnel])
    lines += ["abbreviations:" if values.abbreviations else "abbreviations: {}",
              *(f"  {yamltext.scalar(k)}: {_value(v)}" for k, v in values.abbreviations.items())]
    lines.append("quality_assurance:" if values.quality_assurance else "quality_assurance: {}")
    for criterion, answer in values.quality_assurance.items():
        lines += [f"  {criterion}:", *(f"    {k}: {_value(v)}" for k, v in answer.items())]
    return "\n".join(lines) + "\n"


def _items(key: str, items: list[dict[str, Any]]) -> list[str]:
    if not items:
        return [f"{key}: []"]
    lines = [f"{key}:"]
    for item in items:
        pairs = [f"{k}: {_value(v)}" for k, v in item.items() if v is not None]
        lines += [f"  - {pairs[0]}", *(f"    {pair}" for pair in pairs[1:])] if pairs else []
    return lines


def _value(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return yamltext.scalar(str(value))


def unplaced_markdown(imported: ImportedImr, source: str) -> str:
    """Each part that has no place, under the reason, as Markdown."""
    parts = {str(n): unplaced.blocks for n, unplaced in enumerate(imported.unplaced) if unplaced.blocks}
    markdown = pandoc.write_markdown(imported.api, parts) if parts else {}
    lines = [f"Content of {source} that `sarflow import imr` could not place in a section or table.",
             "Move each part to where it belongs (or decide it is not needed), then delete this file: "
             "`sarflow check` reports it until then.", ""]
    for n, unplaced in enumerate(imported.unplaced):
        lines += [f"## {unplaced.where}: {unplaced.reason}", "", markdown.get(str(n), "").strip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def write_all(folder: Path, written: dict[str, str]) -> None:
    """Write every file, or none: into a new folder by renaming it into place whole; into an existing
    one by writing each file beside its destination first and then renaming each over it."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    if not folder.exists():
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        try:
            for name, text in written.items():
                (staging / name).write_text(text, encoding="utf-8")
            staging.chmod(0o755)
            os.rename(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return
    temporary: dict[str, Path] = {}
    try:
        for name, text in written.items():
            fd, made = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            temporary[name] = Path(made)
            temporary[name].chmod(0o644)
        for name, staged in temporary.items():
            os.replace(staged, folder / name)
    finally:
        for staged in temporary.values():
            staged.unlink(missing_ok=True)
