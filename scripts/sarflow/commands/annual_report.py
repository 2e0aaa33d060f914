"""Write the Safeguarding Adults Reviews part of the board's annual report for a financial year (e.g. 2025-26).

It covers what the Care Act 2014 (Schedule 2, paragraph 4) asks the annual report to state: the
reviews concluded in the year with their findings, the reviews ongoing at its end, what was done to
implement the findings (the actions completed in the year, by agency and by recommendation), and
the reasons for any recommendation not accepted. It shows only what the status site may show, and
writes a Word document (styled by the house reference document) and the same text as Markdown into
build/annual-report/. Run `sarflow check` first: the report is made from the files as they are.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

from sarflow.annual import Year, financial_year, report
from sarflow.commands import repository_root
from sarflow.dates import today
from sarflow.load import load
from sarflow.outputs import atomic_write, output_folder
from sarflow.printed import say
from sarflow.word.document import markdown_docx
from sarflow.word.reference import cached_reference

FOLDER = "annual-report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("year", metavar="YEAR", help="the financial year, e.g. 2025-26")
    parser.add_argument("--out", type=Path, default=None, help="the output folder (default: build/ in the repository)")


def run(args: argparse.Namespace) -> int:
    year = financial_year(args.year)
    root = repository_root(args)
    written = annual_report(root, year, output_folder(args.out or root / "build"))
    for path in written:
        say(f"wrote {path}")
    return 0


def annual_report(root: Path, year: Year, out: Path) -> list[Path]:
    """The report of `year` as Markdown and Word under out/annual-report/; returns the two files."""
    repo = load(root)
    markdown = report(repo, year)
    short = (repo.board.short_name if repo.board else None) or "Board"
    folder = out / FOLDER
    name = f"{short} annual report {year.label} - Safeguarding Adults Reviews"
    reference = cached_reference(repo.template, out / ".cache" / "docx", repo.template.public_marking)
    document = markdown_docx(name, markdown, reference, today())  # the same files on the same day: the same bytes
    md = atomic_write(folder / f"{name}.md", partial(Path.write_text, data=markdown, encoding="utf-8"))
    docx = atomic_write(folder / f"{name}.docx", document)
    return [md, docx]

