"""The IMR Word report: each IMR as a .docx in the template's shape, built with pandoc.

`build` is the `sarflow build` builder (kind "docx"). `imr_document` gives the pandoc
AST of one IMR, for a caller that wants the document without writing it (the planned
`sarflow redline` compares two of them). pandoc reads the author's Markdown sections of
up to `pandoc.READ_AT_ONCE` IMRs in one run, and writes each .docx in a run of its own.

An IMR whose text links a picture from outside its folder is not built at all (an
error names the file and line): leaving the picture out silently could mislead the
panel, and building nothing cannot leak anything.

Given a `sarflow.cache.Cache`, a report is not made again while everything it is made
from is as it was and the file on disk is the one the cache recorded (`inputs_key`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

from sarflow.cache import Cache
from sarflow.dates import today
from sarflow.docx.author import AuthorText, read_author_text, read_author_texts
from sarflow.docx.compose import Context, compose
from sarflow.docx.control import status_mark
from sarflow.docx.version import Version, inputs, versions
from sarflow.findings import Finding, Span, error, errors
from sarflow.model import BOARD_FILE, Board, Imr, Repository, Review
from sarflow.outputs import ERRORS_MARK, FileErrors, atomic_write, imr_dir
from sarflow.progress import Progress
from sarflow.template import Template
from sarflow.word import pandoc
from sarflow.word.finish import finish
from sarflow.word.reference import cached_reference

MAX_NAME = 120


def build(repo: Repository, imrs: list[Imr], out: Path, flagged: FileErrors | None = None, jobs: int = 1,
          cache: Cache | None = None) -> list[Finding]:
    """Write the Word report of each IMR; an IMR that fails is reported and the rest go on.

    A report made from files with errors (`flagged`) says so on its first page and in
    every page header. The reports are made in batches (`batches`), `jobs` batches at once:
    a batch's text is read in one pandoc run, then its reports are written one by one. Most
    of the time is pandoc's, in processes of its own, so threads keep the cores busy; the
    findings come in the order of `imrs` whatever order the reports finish in. With a
    `cache`, a report that is up to date is left as it is, its text not even read (see the
    module's docstring)."""
    if not imrs:
        return []
    try:
        reference = cached_reference(repo.template, out / ".cache" / "docx")
    except (pandoc.PandocError, OSError) as exc:
        return [error("docx-failed", f"no Word report could be built: {exc}", Span("reviews"))]
    known = versions(repo.root, [imr.folder for imr in imrs])  # one walk of the history for them all

    standard = standard_texts(repo.template)
    entries = {id(imr): _entry(cache, repo.root, imr, known[imr.folder], reference, flagged) for imr in imrs} if cache else {}
    if cache:  # an up-to-date report is left as it is, and its text is not even read
        imrs = [imr for imr in imrs if not cache.hit(*entries[id(imr)])]
        for imr in imrs:
            cache.forget(entries[id(imr)][0])

    def report(imr: Imr, author: AuthorText | Exception) -> list[Finding]:
        review = repo.review(imr.review_id)
        if review is None:
            return []
        try:
            if isinstance(author, Exception):
                raise author
            behind = flagged.of_imr(imr) if flagged else []
            found = build_imr(imr, review, repo.board, repo.template, known[imr.folder], reference, out, behind, author)
            if cache and not found:  # a report with warnings is made again, so that they are printed again
                cache.record(*entries[id(imr)], [imr_dir(out, imr.review_id, imr.agency_id) / file_name(review, imr)])
            return found
        except Exception as exc:  # noqa: BLE001 - one IMR's failure must not stop the others
            return [
                error(
                    "docx-failed",
                    f"the Word report of {imr.review_id}/{imr.agency_id} could not be built: {exc}",
                    imr.at,
                    "fix the problem named here and build again; if it is not clear, tell the board's "
                    "sarflow administrator",
                )
            ]

    def reports(batch: list[Imr], progress: Progress) -> list[Finding]:
        """The reports of a few IMRs: their text read in one pandoc run, then each report written."""
        try:
            texts: Sequence[AuthorText | Exception] = read_author_texts(batch, standard)
        except Exception as exc:  # noqa: BLE001 - reported for each IMR of the batch, as if read alone
            texts = [exc] * len(batch)
        found = []
        for imr, author in zip(batch, texts, strict=True):
            found.extend(report(imr, author))
            progress.made()
        return found

    with Progress("Word reports", len(imrs)) as progress, ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return [finding for found in pool.map(partial(reports, progress=progress), batches(imrs, jobs)) for finding in found]


def _entry(cache: Cache, root: Path, imr: Imr, version: Version, reference: Path, flagged: FileErrors | None) -> tuple[str, str]:
    """The cache's name and key for one IMR's report."""
    behind = flagged.of_imr(imr) if flagged else []
    return f"docx/{imr.review_id}/{imr.agency_id}", inputs_key(cache, root, imr, version, reference, behind)


def batches(imrs: list[Imr], jobs: int) -> list[list[Imr]]:
    """`imrs` in order, in batches of at most READ_AT_ONCE, small enough that each of `jobs` gets one."""
    size = max(1, min(pandoc.READ_AT_ONCE, -(-len(imrs) // max(1, jobs))))
    return [imrs[start:start + size] for start in range(0, len(imrs), size)]


def standard_texts(template: Template) -> dict[str, str]:
    """The board's standard text of each template section that has one, by section id."""
    return {s.id: s.standard_text for s in template.sections if s.standard_text}


def build_imr(
    imr: Imr, review: Review, board: Board | None, template: Template, version: Version, reference: Path, out: Path,
    behind: Sequence[Finding] = (), author: AuthorText | None = None,
) -> list[Finding]:
    """Build one IMR's report into `out`; nothing is written when there is an error in its text.

    `behind`: the errors check found in the files the report is made from, which its
    first page lists."""
    document, findings = imr_document(imr, review, board, template, version, behind, author)
    if errors(findings):
        return findings
    try:
        docx = pandoc.write_docx(document, reference, imr.folder, _epoch(version))
    except pandoc.OverLimit as over:
        return [*findings, over.finding(imr.at, "writing this IMR's Word report", _largest(imr))]
    name = file_name(review, imr)
    mark = ", ".join(m for m in (status_mark(imr), ERRORS_MARK if behind else "") if m)
    docx = finish(docx, str(version), title=name.removesuffix(".docx"), mark=mark)
    target = imr_dir(out, imr.review_id, imr.agency_id) / name
    atomic_write(target, lambda temporary: temporary.write_bytes(docx))
    return findings


def inputs_key(cache: Cache, root: Path, imr: Imr, version: Version, reference: Path, behind: Sequence[Finding]) -> str:
    """The cache key of everything one IMR's report is made from.

    Its files (its folder, pictures included, and its review's review.yml: the inputs of its
    versions), the board's file (the board's name), the reference document and pandoc's
    version; the version table from git; the errors check found in those files, which its
    first page lists; and today's date, since the action plan counts the days an action is
    overdue and the document history dates uncommitted changes. The template files and
    sarflow's own version are in every key (`Cache.key`).
    """
    files = [*inputs(imr.folder), root / BOARD_FILE]
    return cache.key(
        "docx",
        [cache.folder_fingerprint(path) if path.is_dir() else cache.fingerprint(path) for path in files],
        cache.fingerprint(reference), pandoc.version(), asdict(version), [repr(f) for f in behind], today().isoformat(),
    )


def imr_document(
    imr: Imr, review: Review, board: Board | None, template: Template, version: Version, behind: Sequence[Finding] = (),
    author: AuthorText | None = None,
) -> tuple[dict[str, Any], list[Finding]]:
    """One IMR as a pandoc AST (JSON form), with the problems that stop it being built; `author`: its
    text already read (`read_author_texts`), else it is read here."""
    author = author or read_author_text(imr, standard_texts(template))
    context = Context(imr, review, board, template, author.sections, version, tuple(behind), author.standard)
    document = {"pandoc-api-version": author.api_version, "meta": {}, "blocks": compose(context)}
    return document, author.findings


def file_name(review: Review, imr: Imr) -> str:
    """"<reference> IMR <agency name>.docx", with anything a file system refuses, or that
    cannot be printed (it is also the document's title), removed."""
    name = f"{review.reference or review.id} IMR {review.agency_name(imr.agency_id)}"
    name = "".join(c if c.isprintable() else " " for c in name)
    name = re.sub(r'[<>:"/\\|?*]+', " ", name)
    name = re.sub(r"\s+", " ", name).strip(" .")[:MAX_NAME].strip(" .")
    return f"{name or imr.agency_id}.docx"


def _largest(imr: Imr) -> str:
    """What to make smaller when the whole report is too much for pandoc, naming the IMR's largest file."""
    sizes = {path.name: path.stat().st_size for path in imr.folder.iterdir()
             if path.suffix in (".md", ".yml") and path.is_file() and not path.is_symlink()}
    name = max(sizes, key=lambda n: sizes[n], default="")
    largest = f" (its largest file is {name}, {sizes[name] / 1024 / 1024:.1f} MB)" if name else ""
    return f"make the report smaller: shorten or split its longest text{largest}, or show fewer or smaller pictures"


def _epoch(version: Version) -> int:
    """The time stamped inside the .docx: the version's date, so that a rebuild is identical."""
    day = version.date if version.date and not version.changed else today()
    return calendar.timegm(dt.datetime(day.year, day.month, day.day).timetuple())
