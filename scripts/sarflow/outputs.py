"""Writing outputs so that a reader never sees half a file, and only where outputs belong.

Every output is written to a temporary file beside its destination and renamed over
it, so an interrupted build leaves the previous version, never a truncated one.
Before a command writes anything, `output_folder` makes sure that the folder it
writes into (build/, or --out) is a real folder of outputs: not a symbolic link,
holding no link at any depth and no file that git tracks. A link there would send
the outputs (and the staging step's clean-up) wherever it points: into site/, so
the Word reports would be published, or at the repository itself.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sarflow import git
from sarflow.errors import SarflowError
from sarflow.findings import Finding, relative
from sarflow.links import walk
from sarflow.root import RepositoryError

if TYPE_CHECKING:
    from sarflow.model import Imr, Review

# What every document built from files with errors says first (a Word report on its
# first page, a workbook on a sheet of its own), whatever the IMR's status.
ERRORS_MARK = "BUILT FROM FILES WITH ERRORS"


class OutputError(SarflowError):
    """An output could not be built; the message is for the author and names the IMR."""


class OutputFolderError(RepositoryError):
    """The output folder is not safe to write into: a set-up error (exit 2), raised before anything is written."""


def output_folder(out: Path) -> Path:
    """`out` as an absolute path, once it is known to be a real folder of outputs (or not to exist yet).

    Raises OutputFolderError when `out`, or anything under it, is a symbolic link, or
    when git tracks a file under it; nothing has been written or deleted then.
    """
    folder = out.absolute().parent.resolve() / out.name if out.name not in ("", ".", "..") else out.resolve()
    fix = "nothing was written or deleted"
    if folder.is_symlink():
        raise OutputFolderError(f"{folder} is a symbolic link; sarflow writes its outputs only into a real folder, "
                                f"never through a link, so {fix}. Delete the link (it is not the outputs "
                                "themselves) and run the command again")
    links = walk(folder).links
    if links:
        raise OutputFolderError(f"{links[0]} is a symbolic link inside the output folder {folder}; sarflow writes "
                                f"only into real folders, so {fix}. Delete the link (or the whole output folder: "
                                "sarflow writes it afresh) and run the command again")
    tracked = _tracked(folder)
    if tracked:
        raise OutputFolderError(f"git tracks files in the output folder {folder}, such as {tracked}; outputs are "
                                f"never written over the repository's own files, so {fix}. Choose another output "
                                "folder, or remove those files from git (`git rm -r --cached`) if they are old outputs")
    return folder


def _tracked(folder: Path) -> str | None:
    """One file under `folder` that git tracks, as git names it; None when there is none (or no git)."""
    here = next((f for f in (folder, *folder.parents) if f.is_dir()), None)
    if here is None:
        return None
    listed = git.output(here, "ls-files", "-z", "--full-name", "--", str(folder))
    first = (listed or b"").split(b"\0", 1)[0]
    return first.decode("utf-8", "replace") or None


# The zlib level the parts sarflow writes into a .docx or .xlsx are deflated at: its fastest. On a
# board's reports and workbooks it deflates in less than half the time of the default level, for a sixth
# more bytes (a workbook of 20 KB is 23 KB); Word, Excel and LibreOffice read every level.
DEFLATE_LEVEL = 1
# The time every part of a .docx or .xlsx carries: the earliest a zip entry can hold, so that the same
# document made again is the same file (the moment it was made is in its properties, where it is wanted).
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# Where a .docx or .xlsx keeps its document properties (title, language, when it was made).
CORE_PART = "docProps/core.xml"


def atomic_write(path: Path, content: bytes | Callable[[Path], object]) -> Path:
    """Write `content` into a new file beside `path`, then move it to `path` in one step: the bytes, or
    whatever `content(temporary_path)` writes there (what it returns is ignored). Nothing is left behind
    when it fails, and `path` is either as it was or whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    temporary = Path(name)
    try:
        with open(fd, "wb") as file:  # bytes go through the handle the file was made with: no second open
            os.fchmod(fd, 0o644)
            if isinstance(content, bytes):
                file.write(content)
        if not isinstance(content, bytes):
            content(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def imr_dir(build_dir: Path, review_id: str, agency_id: str) -> Path:
    return build_dir / "reviews" / review_id / agency_id


def review_dir(build_dir: Path, review_id: str) -> Path:
    return build_dir / "reviews" / review_id


@dataclass(frozen=True)
class FileErrors:
    """The errors `sarflow check` found, so that each document built from a file with errors says so.

    `sarflow build` still builds an IMR whose files have errors, as long as they can be
    read (the panel works from drafts); each output marks such a document with
    ERRORS_MARK and lists the errors behind it.
    """

    root: Path
    board_file: str
    errors: tuple[Finding, ...] = ()

    def of_imr(self, imr: Imr) -> list[Finding]:
        """Errors in the files an IMR's own documents are made from: its folder, its review.yml, the board's file."""
        if not self.errors:  # most builds: and where the folder is in the repository is not asked of the file system
            return []
        folder = relative(imr.folder, self.root)
        review_file = f"{folder.rsplit('/', 1)[0]}/review.yml"
        return [f for f in self.errors if _under(f.span.path, folder) or f.span.path in (review_file, self.board_file)]

    def of_review(self, review: Review) -> list[Finding]:
        """Errors in the files a review's workbooks are made from: everything in its folder, and the board's file."""
        if not self.errors:
            return []
        folder = relative(review.folder, self.root)
        return [f for f in self.errors if _under(f.span.path, folder) or f.span.path == self.board_file]


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(f"{folder}/")
