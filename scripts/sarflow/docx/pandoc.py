"""The two pandoc runs of a Word report: reading the author's Markdown, writing the .docx.

Both run the pandoc that pypandoc-binary ships, in its sandbox: the reader may open no
file at all, and the writer only the reference document named on its command line.
Pictures reach the writer inside the document (as data: addresses, after
`sarflow.docx.images` has checked them), so pandoc never fetches anything itself.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pypandoc

from sarflow.docx.ooxml import CORE_PART, core_properties, rewrite
from sarflow.errors import UsageError

TIMEOUT_SECONDS = 120

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

# Reads every section of one IMR in one process, each in an empty sandbox.
_READ_SECTIONS = """
local request = pandoc.json.decode(io.read('a'), false)
local api = {}
for i = 1, #PANDOC_API_VERSION do api[i] = PANDOC_API_VERSION[i] end
local sections = {}
for id, source in pairs(request.sections) do
  sections[id] = pandoc.read(source, request.format, {}, {}).blocks
end
io.write(pandoc.json.encode({api = api, sections = sections}))
"""


class PandocError(UsageError):
    """pandoc failed; the message says what pandoc said."""


def executable() -> str:
    return pypandoc.get_pandoc_path()


def version() -> str:
    return pypandoc.get_pandoc_version()


def read_markdown(sections: dict[str, str]) -> tuple[list[int], dict[str, list[Any]]]:
    """Each Markdown text as pandoc AST blocks, and the AST version pandoc speaks."""
    request = json.dumps({"format": AUTHOR_FORMAT, "sections": sections}).encode()
    reply = json.loads(_run(["lua", "-e", _READ_SECTIONS], request))
    parsed = reply["sections"] if isinstance(reply["sections"], dict) else {}
    return reply["api"], {key: value if isinstance(value, list) else [] for key, value in parsed.items()}


def write_docx(document: dict[str, Any], reference: Path, folder: Path, epoch: int) -> bytes:
    """The .docx of a pandoc AST, styled by `reference`; `epoch` dates the file reproducibly."""
    args = [
        "--sandbox",
        "--from=json",
        "--to=docx",
        f"--reference-doc={reference}",
        f"--resource-path={folder}",
        "--output=-",
    ]
    docx = _run(args, json.dumps(document).encode())
    # In its sandbox pandoc cannot read the clock or SOURCE_DATE_EPOCH and dates the file 1970.
    moment = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return rewrite(docx, {CORE_PART: core_properties({"dcterms:created": moment, "dcterms:modified": moment})})


def default_reference() -> bytes:
    """pandoc's own reference.docx, the starting point of ours."""
    return _run(["--print-default-data-file=reference.docx"], b"")


def _run(args: list[str], stdin: bytes) -> bytes:
    try:
        done = subprocess.run(
            [executable(), *args],
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PandocError(f"pandoc could not be run: {exc}") from exc
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        raise PandocError(f"pandoc failed: {said}")
    return done.stdout
