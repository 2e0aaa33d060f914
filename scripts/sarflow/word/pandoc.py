"""The pandoc runs of every Word document: reading the author's Markdown (or a board output's), writing the .docx.

Both run the pandoc that pypandoc-binary ships, in its sandbox: the reader may open no
file at all, and the writer only the reference document named on its command line.
Pictures reach the writer inside the document (as data: addresses, after
`sarflow.docx.images` has checked them), so pandoc never fetches anything itself.

Every run is bounded (`sarflow.limits`): its heap by GHC's `-M`, its time by a time-out,
and the document tree the reader hands back by its size, which the reader measures
section by section. Text that is short on disk can still be costly to read (a long run
of `[` takes pandoc minutes) or huge once read (one footnote referred to thousands of
times is copied at each reference): such a run is stopped and `OverLimit` says which
limit it met and, when reading, which section it was reading. The Markdown of several
IMRs is read in one run (`read_many`: starting pandoc is most of the cost of reading
one IMR), but the limits still fall on each IMR: the text size is counted IMR by IMR,
and an IMR whose reading stops a run is read again alone. The writer stops at `-M`
with "Heap exhausted"; the reader, inside pandoc's Lua interpreter, does not: at `-M` it
goes on collecting garbage, its memory held near the limit (1.4 GB at 1 GB, measured),
until the time-out stops it.
"""

from __future__ import annotations

import contextlib
import functools
import subprocess
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pypandoc

from sarflow import limits
from sarflow.errors import PROBLEMS_FOUND, UsageError
from sarflow.findings import Finding, Span, error

# GHC's allocation area: larger than pandoc's built-in -H64m, so fewer collections. The same
# reports byte for byte (32 of the board benchmark), with 11% less of pandoc's processor time
# (11.0 s to 9.8 s for their 64 runs) and a lower peak (172 MB to 135 MB for the example's).
TUNING = ("-H1m", "-A16m")
# What the section reader writes to standard error, so that a stopped run can be traced
# to the section it was reading.
_READING = "sarflow-reading "

# Author text is read with every extension that could carry raw OpenXML, raw HTML or
# TeX, a Word style, or document metadata turned off: such text stays literal.
DISABLED_EXTENSIONS = (
    "raw_html",
    "raw_attribute",
    "raw_tex",
    "latex_macros",
    "native_divs",
    "native_spans",
    "fenced_divs",
    "bracketed_spans",
    "markdown_in_html_blocks",
    "yaml_metadata_block",
    "pandoc_title_block",
    "citations",
    "auto_identifiers",
)
AUTHOR_FORMAT = "markdown" + "".join(f"-{name}" for name in DISABLED_EXTENSIONS)

# Reads the sections of several IMRs in one process, each section in an empty sandbox.
# Line 1 of the reply is the AST version; then one line for each IMR, in order, written as
# soon as it is read: its sections (each written as a JSON document by pandoc itself,
# faster than encoding its blocks from Lua), or the section at which they came to more
# than `limit` bytes of JSON. Once the IMRs read come to more than `limit`, the run ends
# early, the rest left to another run, so that what one run hands back stays bounded.
_READ_SECTIONS = f"""
local request = pandoc.json.decode(io.read('a'), false)
local api = {{}}
for i = 1, #PANDOC_API_VERSION do api[i] = PANDOC_API_VERSION[i] end
io.write(pandoc.json.encode(api) .. '\\n')
local total = 0
for _, sections in ipairs(request.imrs) do
  if total > request.limit then break end
  local parts, size, over = {{}}, 0, nil
  for id, source in pairs(sections) do
    io.stderr:write('{_READING}' .. id .. '\\n')
    io.stderr:flush()
    local document = pandoc.write(pandoc.read(source, request.format, {{}}, {{}}), 'json')
    size = size + #document
    if size > request.limit then over = id break end
    parts[#parts + 1] = pandoc.json.encode(id) .. ':' .. document
  end
  if over then
    io.write('{{"too_large":' .. pandoc.json.encode(over) .. '}}\\n')
  else
    io.write('{{"sections":{{' .. table.concat(parts, ',') .. '}}}}\\n')
    total = total + size
  end
  io.stdout:flush()
end
"""
# The most IMRs one reading run takes: one run for 16 reads them in under half the processor
# time of 16 runs (0.82 s against 1.92 s, benchmarks/scale.md), and a run of 16 ordinary
# IMRs takes a second or two, far inside the time-out.
READ_AT_ONCE = 16


# Writes each section of an imported Word document (a list of blocks) as Markdown, in one process.
_WRITE_SECTIONS = """
local request = pandoc.json.decode(io.read('a'), false)
local parts = {}
for id, blocks in pairs(request.sections) do
  local document = pandoc.json.encode({['pandoc-api-version'] = request.api, meta = {}, blocks = blocks})
  local text = pandoc.write(pandoc.read(document, 'json'), request.format, {wrap_text = 'none'})
  parts[#parts + 1] = pandoc.json.encode(id) .. ':' .. pandoc.json.encode(text)
end
io.write('{' .. table.concat(parts, ',') .. '}')
"""


class PandocError(UsageError):
    """pandoc failed; the message says what pandoc said, and `output` holds what the run had
    written before it stopped."""

    output: bytes = b""


class OverLimit(PandocError):
    """A run of pandoc was stopped at one of sarflow's limits.

    `code` is the finding's, `what` says which limit in the author's words, and
    `section` is the id of the section being read when the reader was stopped. It is
    the files that must change, not the set-up: exit code 1.
    """

    exit_code = PROBLEMS_FOUND

    def __init__(self, code: str, what: str, section: str | None = None) -> None:
        super().__init__(f"pandoc {what}")
        self.code, self.what, self.section = code, what, section

    def finding(self, span: Span, doing: str, advice: str) -> Finding:
        """The error for an author: what was stopped, where, and what to do."""
        return error(
            self.code,
            f"sarflow stopped pandoc {doing}: it {self.what}, so this IMR's Word report is not built",
            span,
            f"{advice}; if the text is as it should be, the board's sarflow administrator can raise the limit "
            f"with {_VARIABLES[self.code].variable}",
        )


def executable() -> str:
    return pypandoc.get_pandoc_path()


def version() -> str:
    return pypandoc.get_pandoc_version()


Read = tuple[list[int], dict[str, list[Any]]]


@dataclass(frozen=True)
class Reading:
    """One IMR's sections as the reader wrote them: pandoc's JSON line, decoded where it is used.

    A build's worker process is sent these bytes rather than the tree they decode to: there are
    about as many of them as of the tree pickled, and orjson decodes them faster than pickle
    reads the tree back, so each report's text is decoded once, in the process that writes it.
    """

    api: list[int]
    line: bytes

    def decoded(self) -> Read | OverLimit:
        """The blocks of each section, by id; or the limit the sections came to, as a `read_many` run found it."""
        answer = orjson.loads(self.line)
        if "too_large" in answer:
            return _too_large(answer["too_large"])
        return self.api, {key: document["blocks"] for key, document in answer["sections"].items()}


def read_markdown(sections: dict[str, str]) -> Read:
    """Each Markdown text as pandoc AST blocks, and the AST version pandoc speaks."""
    (read,) = read_many([sections])
    if isinstance(read, PandocError):
        raise read
    return read


def read_many(imrs: Sequence[dict[str, str]]) -> list[Read | PandocError]:
    """The Markdown texts of each IMR, read as `read_markdown` reads them, in as few runs as the limits allow."""
    return [read if isinstance(read, PandocError) else read.decoded() for read in readings(imrs)]


def readings(imrs: Sequence[dict[str, str]]) -> list[Reading | PandocError]:
    """`read_many` of the Markdown texts of each IMR, each IMR's sections as pandoc wrote them (see `Reading`).

    Each run reads up to READ_AT_ONCE IMRs. An IMR's text stopped at a limit, or that pandoc
    cannot read, is that IMR's error, never its neighbours': when a run is stopped (at the
    time-out or the memory limit), the IMRs it had read are kept, the IMR it was reading is
    read again in a run of its own, where the limits are met as they would be without the
    others, and the rest go on in another run.
    """
    reads: dict[int, Reading | PandocError] = {}
    runs = deque(list(range(start, min(start + READ_AT_ONCE, len(imrs)))) for start in range(0, len(imrs), READ_AT_ONCE))
    limit = limits.PANDOC_TEXT_MB() * limits.MB
    while runs:
        run = runs.popleft()
        request = _request({"format": AUTHOR_FORMAT, "imrs": [imrs[n] for n in run], "limit": limit})
        stopped: PandocError | None = None
        try:
            reply = _run(["lua", "-e", _READ_SECTIONS], request)
        except PandocError as exc:
            reply, stopped = exc.output, exc
        lines = reply.split(b"\n")[:-1]
        api, answers = (orjson.loads(lines[0]), lines[1:]) if lines else ([], [])
        for n, answer in zip(run, answers, strict=False):
            reads[n] = Reading(api, answer)
        rest = run[len(answers):]
        if not rest:
            continue
        if stopped is None and not answers:
            raise PandocError("pandoc failed: it ended without reading the sections it was given")
        if stopped is None:  # it ended early, its text at the limit: the rest in another run
            runs.appendleft(rest)
        elif len(run) == 1:
            reads[run[0]] = stopped
        else:
            runs.extendleft([rest[1:], rest[:1]] if rest[1:] else [rest[:1]])
    return [reads[n] for n in range(len(imrs))]


def read_docx(data: bytes) -> dict[str, Any]:
    """A Word document (its bytes) as pandoc's AST, tracked changes accepted; sandboxed, bounded like every run."""
    return dict(orjson.loads(_run(["--sandbox", "--from=docx", "--to=json", "--track-changes=accept"], data)))


def write_markdown(api: list[int], sections: dict[str, list[Any]]) -> dict[str, str]:
    """Each list of blocks as Markdown that sarflow reads back as the same text (AUTHOR_FORMAT, unwrapped)."""
    request = _request({"api": api, "format": AUTHOR_FORMAT + "-smart", "sections": sections})  # writes ' as it is, not \\'
    return dict(orjson.loads(_run(["lua", "-e", _WRITE_SECTIONS], request)))


def write_docx(document: dict[str, Any], reference: Path, folder: Path) -> bytes:
    """The .docx of a pandoc AST, styled by `reference`, as pandoc writes it: `sarflow.word.finish` completes it
    (and dates it: in its sandbox pandoc cannot read the clock or SOURCE_DATE_EPOCH, and dates the file 1970)."""
    args = [
        "--sandbox",
        "--from=json",
        "--to=docx",
        f"--reference-doc={reference}",
        f"--resource-path={folder}",
        "--output=-",
    ]
    return _run(args, _request(document))


def read_board_markdown(markdown: str) -> dict[str, Any]:
    """A Markdown document that sarflow wrote (a board output, see `sarflow.word.document`) as pandoc's AST.

    It is read as author text is (raw HTML, raw OpenXML and TeX off), so that no text in it can
    become markup, and in the sandbox, so that nothing outside it is read.
    """
    return dict(orjson.loads(_run(["--sandbox", f"--from={AUTHOR_FORMAT}", "--to=json"], markdown.encode("utf-8"))))


@functools.cache
def api_version() -> list[int]:
    """The AST version of the pandoc that sarflow runs (read from an empty document)."""
    api, _ = read_markdown({})
    return api


def default_reference() -> bytes:
    """pandoc's own reference.docx, the starting point of ours."""
    return _run(["--print-default-data-file=reference.docx"], b"")


_turns: threading.BoundedSemaphore | None = None  # see at_once


@contextlib.contextmanager
def at_once(runs: int) -> Iterator[None]:
    """At most `runs` pandoc processes at once, however many threads of this process ask, while inside.

    The Word reports are written by one thread more than runs of pandoc, so that one report's
    Python work (its tree, the finished file) is done while the others' pandoc runs."""
    global _turns
    kept, _turns = _turns, threading.BoundedSemaphore(max(1, runs))
    try:
        yield
    finally:
        _turns = kept


def _request(value: Any) -> bytes:
    """`value` as the JSON pandoc is sent (UTF-8, without spaces). orjson, not the standard
    library's json, both ways: a report's tree is most of what its Python makes, and orjson
    encodes one four times as fast and decodes pandoc's reading of an IMR's text ten times
    as fast."""
    return orjson.dumps(value)


def _run(args: list[str], stdin: bytes) -> bytes:
    memory, seconds = limits.PANDOC_MEMORY_MB(), limits.PANDOC_SECONDS()
    command = [executable(), "+RTS", f"-M{memory}m", *TUNING, "-RTS", *args]
    try:
        with _turns or contextlib.nullcontext():
            done = subprocess.run(command, input=stdin, capture_output=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired as exc:
        late = OverLimit("docx-timed-out", f"took longer than {limits.PANDOC_SECONDS.shown()}, the longest one run "
                         "may take", _reading(exc.stderr))
        late.output = exc.stdout or b""
        raise late from None
    except OSError as exc:
        raise PandocError(f"pandoc could not be run: {exc.strerror or exc}") from exc
    if done.returncode == 0:
        return done.stdout
    said = done.stderr.decode("utf-8", "replace")
    if "Heap exhausted" in said or "out of memory" in said:
        failed: PandocError = OverLimit("docx-out-of-memory", f"needed more than {limits.PANDOC_MEMORY_MB.shown()} of "
                                        "memory, the most one run may use", _reading(done.stderr))
    else:
        lines = [line for line in said.splitlines() if line.strip() and not line.startswith(_READING)]
        failed = PandocError(f"pandoc failed: {lines[0] if lines else f'exit code {done.returncode}'}")
    failed.output = done.stdout
    raise failed


def _too_large(section: str) -> OverLimit:
    return OverLimit("docx-too-large", f"made more than {limits.PANDOC_TEXT_MB.shown()} of document text from it, "
                     "the most one IMR's sections may come to", section)


def _reading(stderr: bytes | None) -> str | None:
    """The section the reader last said it was reading, if any."""
    said = (stderr or b"").decode("utf-8", "replace").splitlines()
    return next((line.removeprefix(_READING) for line in reversed(said) if line.startswith(_READING)), None)


_VARIABLES = {
    "docx-timed-out": limits.PANDOC_SECONDS,
    "docx-too-large": limits.PANDOC_TEXT_MB,
    "docx-out-of-memory": limits.PANDOC_MEMORY_MB,
}
