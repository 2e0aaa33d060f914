"""The IMR Word report: each IMR as a .docx in the template's shape, built with pandoc.

`build` is the `sarflow build` builder (kind "docx"). `imr_document` gives the pandoc
AST of one IMR, for a caller that wants the document without writing it (the planned
`sarflow redline` compares two of them). pandoc reads the author's Markdown sections of
up to `pandoc.READ_AT_ONCE` IMRs in one run, and writes each .docx in a run of its own.

An IMR whose text links a picture from outside its folder is not built at all (an
error names the file and line): leaving the picture out silently could mislead the
panel, and building nothing cannot leak anything.

Given a `sarflow.cache.Cache`, a report is not made again while everything it is made
from is as it was and the file on disk is the one the cache recorded (`full_key`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sarflow import forked
from sarflow.cache import Cache
from sarflow.dates import today
from sarflow.docx.author import AuthorText, author_text, read_author_text, read_texts
from sarflow.docx.compose import Context, compose
from sarflow.docx.control import status_mark
from sarflow.docx.version import Version, inputs, versions
from sarflow.findings import Finding, Span, error, errors
from sarflow.forked import Workers
from sarflow.model import BOARD_FILE, Board, Imr, Repository, Review
from sarflow.outputs import ERRORS_MARK, FileErrors, atomic_write, imr_dir
from sarflow.progress import Progress
from sarflow.template import Template
from sarflow.word import pandoc
from sarflow.word.finish import finish
from sarflow.word.reference import cached_reference

MAX_NAME = 120
AHEAD = 4 * pandoc.READ_AT_ONCE  # IMRs whose text is read before their reports are written, at most (about 1.2 MB each)
# An IMR's text once its batch is read: as pandoc wrote it (made safe where its report is written, see `_ready`), or
# already its AuthorText (pandoc stopped at a limit on it), or what stopped its batch.
Text = pandoc.Reading | AuthorText | Exception


def build(repo: Repository, imrs: list[Imr], out: Path, flagged: FileErrors | None = None, jobs: int = 1,
          cache: Cache | None = None) -> list[Finding]:
    """Write the Word report of each IMR; an IMR that fails is reported and the rest go on (see `Reports`)."""
    with Reports(repo, imrs, out, jobs, cache) as reports:
        return reports.build(flagged)


class Reports:
    """The Word reports of some IMRs, made in two steps so that the slower can start before check is done.

    `read_ahead` starts reading the text of the first reports that will be built (pandoc
    runs that need nothing from check); `build` then writes every report, given the
    errors check found: a report made from files with errors (`flagged`) says so on its
    first page and in every page header. The text is read in batches (`batches`), `jobs`
    batches at once, and the reports are written `jobs` at once (`pandoc.at_once`), the reading kept at most
    AHEAD reports in front of the writing (each text read is held until its report is
    written). Most of the time is pandoc's, in processes of its own, so threads keep the
    cores busy; the findings come in the order of the IMRs whatever order the reports
    finish in. With a `cache`, a report that is up to date is left as it is, its text not
    even read (see the module's docstring): which are is sure only once check's errors are
    known, so `read_ahead` reads only those whose other inputs have changed since they
    were last built (`Cache.peek`), and `build` reads any other it has to build. Given
    `workers` (`sarflow.forked`), each report is made (its tree, pandoc's writing, the
    finished file) in one of their processes, so that the reports' Python runs on every core.
    """

    def __init__(self, repo: Repository, imrs: list[Imr], out: Path, jobs: int = 1, cache: Cache | None = None,
                 workers: Workers | None = None) -> None:
        self.repo, self.imrs, self.out, self.jobs, self.cache = repo, imrs, out, max(1, jobs), cache
        self.workers = workers
        self.problems: list[Finding] = []
        self._texts: dict[int, tuple[Future[list[Text]], int]] = {}  # each IMR's batch and place in it
        self._unread: deque[list[Imr]] = deque()  # batches still to read, in order
        self._lock = threading.Lock()
        self._readers = ThreadPoolExecutor(max_workers=self.jobs)
        self._turns = pandoc.at_once(self.jobs)  # and one thread more writes, see pandoc.at_once
        self._inputs: dict[int, str] = {}
        if not imrs:
            return
        try:
            self.reference = cached_reference(repo.template, out / ".cache" / "docx")
        except (pandoc.PandocError, OSError) as exc:
            self.problems, self.imrs = [error("docx-failed", f"no Word report could be built: {exc}", Span("reviews"))], []
            return
        self.known = versions(repo.root, [imr.folder for imr in imrs])  # one walk of the history for them all
        self.standard = standard_texts(repo.template)
        if cache:
            self._inputs = {id(imr): inputs_key(cache, repo.root, imr, self.known[imr.folder], self.reference) for imr in imrs}

    def __enter__(self) -> Reports:
        self._turns.__enter__()
        return self

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self._unread.clear()
        self._readers.shutdown(cancel_futures=True)
        self._turns.__exit__(None, None, None)

    def read_ahead(self) -> None:
        """Start reading the text of the first reports that will be built unless check's errors say otherwise."""
        cache, likely = self.cache, self.imrs
        if cache:
            likely = [imr for imr in likely if cache.peek(_name(imr)) != self._inputs[id(imr)]]
        with self._lock:
            self._unread = deque(batches(likely, self.jobs))
        self._keep_ahead()

    def build(self, flagged: FileErrors | None) -> list[Finding]:
        """Write every report that is not up to date, given the errors check found (`flagged`)."""
        imrs, cache = self.imrs, self.cache
        keys = {id(imr): full_key(cache, self._inputs[id(imr)], flagged.of_imr(imr) if flagged else [])
                for imr in imrs} if cache else {}
        if cache:  # an up-to-date report is left as it is, and its text is not even read
            imrs = [imr for imr in imrs if not cache.hit(_name(imr), keys[id(imr)])]
            for imr in imrs:
                cache.forget(_name(imr))
        building = {id(imr) for imr in imrs}
        with self._lock:  # what was read ahead but is up to date after all is let go of; the rest is read in order
            for n in [n for n in self._texts if n not in building]:
                del self._texts[n]
            self._unread = deque(batches([imr for imr in imrs if id(imr) not in self._texts], self.jobs))
        self._keep_ahead()

        def report(imr: Imr) -> list[Finding]:
            found = self._report(imr, self._text(imr), flagged, keys.get(id(imr)))
            progress.made()
            return found

        with Progress("Word reports", len(imrs)) as progress, ThreadPoolExecutor(max_workers=self.jobs + 1) as pool:
            return [*self.problems, *(finding for found in pool.map(report, imrs) for finding in found)]

    def _keep_ahead(self) -> None:
        """Start reading the next batches while fewer than AHEAD texts are being read or wait to be written."""
        with self._lock:
            while self._unread and (not self._texts or len(self._texts) + len(self._unread[0]) <= AHEAD):
                self._start(self._unread.popleft())

    def _start(self, batch: list[Imr]) -> None:
        future = self._readers.submit(self._read_batch, batch)
        self._texts.update((id(imr), (future, n)) for n, imr in enumerate(batch))

    def _read_batch(self, batch: list[Imr]) -> list[Text]:
        """The text of a few IMRs, read in one pandoc run."""
        try:
            read = read_texts(batch, self.standard)
        except Exception as exc:  # noqa: BLE001 - reported for each IMR of the batch, as if read alone
            return [exc] * len(batch)
        return [text if isinstance(text, pandoc.Reading) else author_text(imr, text) for imr, text in zip(batch, read, strict=True)]

    def _text(self, imr: Imr) -> Text:
        """One IMR's text, once read: it is let go of here, which lets the next batch be read."""
        with self._lock:
            while id(imr) not in self._texts:  # its batch is not started yet: start it now, and those before it
                self._start(self._unread.popleft())
            future, n = self._texts.pop(id(imr))
        self._keep_ahead()
        return future.result()[n]

    def _report(self, imr: Imr, author: Text, flagged: FileErrors | None, key: str | None) -> list[Finding]:
        review = self.repo.review(imr.review_id)
        if review is None:
            return []
        try:
            if isinstance(author, Exception):
                raise author
            behind = flagged.of_imr(imr) if flagged else []
            if self.workers:
                found = self.workers.run(_built, imr.review_id, imr.agency_id, self.known[imr.folder], self.reference,
                                         self.out, behind, author)
            else:
                found = build_imr(imr, review, self.repo.board, self.repo.template, self.known[imr.folder],
                                  self.reference, self.out, behind, _ready(imr, author))
            if self.cache and key and not found:  # a report with warnings is made again, so that they are printed again
                self.cache.record(_name(imr), key, [imr_dir(self.out, imr.review_id, imr.agency_id) / file_name(review, imr)],
                                  data=self._inputs[id(imr)])
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


def _built(review_id: str, agency_id: str, version: Version, reference: Path, out: Path, behind: Sequence[Finding],
           author: pandoc.Reading | AuthorText) -> list[Finding]:
    """`build_imr` of one IMR of the model the build loaded, in one of the build's worker processes."""
    review, repo = forked.review(review_id), forked.repository()
    imr = review.imrs[agency_id]
    return build_imr(imr, review, repo.board, repo.template, version, reference, out, behind, _ready(imr, author))


def _ready(imr: Imr, author: pandoc.Reading | AuthorText) -> AuthorText:
    """The text of an IMR's report: made safe here from what pandoc read, unless it is already (see `Text`)."""
    if isinstance(author, AuthorText):
        return author
    made = author_text(imr, author)
    if isinstance(made, Exception):
        raise made
    return made


def _name(imr: Imr) -> str:
    """The cache's name for one IMR's report."""
    return f"docx/{imr.review_id}/{imr.agency_id}"


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
        docx = pandoc.write_docx(document, reference, imr.folder)
    except pandoc.OverLimit as over:
        return [*findings, over.finding(imr.at, "writing this IMR's Word report", _largest(imr))]
    name = file_name(review, imr)
    mark = ", ".join(m for m in (status_mark(imr), ERRORS_MARK if behind else "") if m)
    docx = finish(docx, str(version), epoch=_epoch(version), title=name.removesuffix(".docx"), mark=mark)
    target = imr_dir(out, imr.review_id, imr.agency_id) / name
    atomic_write(target, docx)
    return findings


def inputs_key(cache: Cache, root: Path, imr: Imr, version: Version, reference: Path) -> str:
    """The cache key of everything one IMR's report is made from but check's errors (`full_key`).

    Its files (its folder, pictures included, and its review's review.yml: the inputs of its
    versions), the board's file (the board's name), the reference document and pandoc's
    version; the version table from git; and today's date, since the action plan counts the
    days an action is overdue and the document history dates uncommitted changes. The
    template files and sarflow's own version are in every key (`Cache.key`).
    """
    files = [*inputs(imr.folder), root / BOARD_FILE]
    return cache.key(
        "docx",
        [cache.folder_fingerprint(path) if path.is_dir() else cache.fingerprint(path) for path in files],
        cache.fingerprint(reference), pandoc.version(), asdict(version), today().isoformat(),
    )


def full_key(cache: Cache, inputs: str, behind: Sequence[Finding]) -> str:
    """The cache key of one IMR's report: `inputs_key`, and the errors check found in its files, which its first page lists."""
    return cache.key("docx", inputs, [repr(f) for f in behind])


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
