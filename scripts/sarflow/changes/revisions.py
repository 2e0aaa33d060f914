"""Reading the review files as they were at a git revision.

The panel compares two states of the repository: usually the point where a branch
left main and the author's working tree. A committed state is read with
`git archive` into a temporary folder and loaded like any checkout, so the
comparison goes through the same loader as `check` and `build` and never touches the
author's working tree, index or branches. A committed symbolic link is unpacked as a
link that points nowhere, so the loader reports it as it would in a checkout, and
nothing it pointed to (/etc/passwd, a file above the folder) is ever reached.

A revision older than a change to the template or the schemas may hold a template this
version of sarflow cannot read (a key it now needs was added later). Such a revision is
read with the current template and schemas instead, and `Side.note` says so, so that the
summary and the redline explain what they cannot show rather than stop.
"""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sarflow.errors import SarflowError, UsageError
from sarflow.git import run as run_git
from sarflow.load import load
from sarflow.model import Repository

# The folders a revision needs for loading: the content and the template it follows.
FOLDERS = ("reviews", "schema")
WORKING_TREE = "the working tree"
MAINS = ("main", "origin/main")
NOWHERE = ".sarflow: a link, not followed"  # what an unpacked link points to: a name no file has


class RevisionError(UsageError):
    """git is missing, the folder is not in a git repository, or a revision is unknown."""


@dataclass(frozen=True)
class Revision:
    """A state of the repository: a commit, or the working tree when `commit` is None."""

    label: str
    commit: str | None = None

    @property
    def short(self) -> str:
        return self.commit[:7] if self.commit else WORKING_TREE


def git(root: Path, *arguments: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run git in `root`; the caller reads the exit code. Only a missing git raises."""
    try:
        return run_git(root, *arguments, stdin=stdin)
    except FileNotFoundError as exc:
        raise RevisionError("git is not installed; install it to compare revisions") from exc


def require_repository(root: Path) -> None:
    if git(root, "rev-parse", "--show-toplevel").returncode != 0:
        raise RevisionError(
            f"{root} is not inside a git repository; sarflow diff compares two revisions of a "
            "review repository (clone it with git, or run `git init` and commit the files)"
        )


def resolve(root: Path, name: str) -> Revision:
    """The commit that `name` (a branch, tag, commit or expression like HEAD~2) names."""
    if name.startswith("-"):
        raise RevisionError(f"{name!r} is not a revision: a revision does not start with '-'")
    done = git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
    if done.returncode != 0:
        raise RevisionError(
            f"unknown revision {name!r}: no branch, tag or commit of that name in this repository "
            "(list them with `git branch -a` and `git log --oneline`; in a shallow clone, fetch the history first)"
        )
    return Revision(name, done.stdout.decode().strip())


def default_base(root: Path) -> Revision:
    """Where this branch left main (or origin/main); HEAD itself when there is no main.

    A main with no commit in common with HEAD is an error, not a reason to compare
    with something else: in a shallow clone the point where the branch left main is
    missing, and a summary against HEAD would silently show nothing.
    """
    head = resolve(root, "HEAD")
    found = [m for m in MAINS if git(root, "rev-parse", "--verify", "--quiet", f"{m}^{{commit}}").returncode == 0]
    for main in found:
        done = git(root, "merge-base", "HEAD", main)
        if done.returncode == 0:
            return Revision(f"the merge-base of HEAD and {main}", done.stdout.decode().strip())
    if found:
        raise RevisionError(
            f"HEAD and {found[-1]} have no commit in common in this clone, so sarflow cannot tell where "
            "this branch started: if the clone is shallow, fetch the whole history (`git fetch --unshallow`; "
            "in GitHub Actions, `fetch-depth: 0` on actions/checkout), or name the revisions: sarflow diff BASE HEAD"
        )
    return Revision("HEAD", head.commit)


def has_folder(root: Path, revision: Revision, folder: str) -> bool:
    assert revision.commit
    return git(root, "cat-file", "-e", f"{revision.commit}:./{folder}").returncode == 0


@contextmanager
def checked_out(root: Path, revision: Revision) -> Iterator[Path | None]:
    """A folder holding reviews/ and schema/ as they were at `revision`.

    The working tree is `root` itself. A revision without reviews/ yields None (a
    repository with no reviews yet). A revision without schema/ borrows the current
    one, so that a review added before the template was versioned can still be read.
    """
    if revision.commit is None:
        yield root
        return
    if not has_folder(root, revision, "reviews"):
        yield None
        return
    present = [f for f in FOLDERS if has_folder(root, revision, f)]
    done = git(root, "archive", "--format=tar", revision.commit, "--", *present)
    if done.returncode != 0:
        raise RevisionError(f"git could not read {revision.label}: {done.stderr.decode().strip()}")
    with tempfile.TemporaryDirectory(prefix="sarflow-revision-") as folder:
        where = Path(folder)
        with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
            archive.extractall(where, filter=_links_to_nowhere)
        if "schema" not in present and (root / "schema").is_dir():
            shutil.copytree(root / "schema", where / "schema")
        yield where


def _links_to_nowhere(member: tarfile.TarInfo, destination: str) -> tarfile.TarInfo | None:
    """tarfile's "data" filter, with every link's target replaced by NOWHERE (a link kept, never followed)."""
    if member.issym() or member.islnk():
        member = copy.copy(member)
        member.type, member.linkname = tarfile.SYMTYPE, NOWHERE
    return tarfile.data_filter(member, destination)


@dataclass
class Side:
    """One side of a comparison: the revision, the repository loaded as it was then (None: no
    reviews/ there), and why it was read with the current template, if it was."""

    revision: Revision
    repo: Repository | None
    note: str | None = None


@contextmanager
def loaded(root: Path, revision: Revision) -> Iterator[Side]:
    """`revision` loaded, its files kept on disk while the caller uses them (pictures are read
    from the IMR's folder when its report is composed)."""
    with checked_out(root, revision) as folder:
        if folder is None:
            yield Side(revision, None)
            return
        repo, note = _load(root, folder, revision)
        yield Side(revision, repo, note)


def _load(root: Path, folder: Path, revision: Revision) -> tuple[Repository, str | None]:
    """The repository in `folder`; one whose template or schemas this sarflow cannot read is
    read with the current ones (`root`'s), with a note saying so."""
    try:
        return load(folder), None
    except SarflowError as exc:
        if folder == root or not (root / "schema").is_dir():
            raise
        reason = str(exc).split("\n", 1)[0].replace(f"{folder}/", "")  # the folder is a temporary one
    shutil.rmtree(folder / "schema", ignore_errors=True)
    shutil.copytree(root / "schema", folder / "schema")
    return load(folder), (
        f"the template at {revision.short} cannot be read by this version of sarflow ({reason}), "
        "so that revision's files were read with the current template and schemas: what the template's own "
        "change does to the documents is not shown"
    )


def load_revision(root: Path, revision: Revision) -> Repository | None:
    """The whole repository loaded as it was at `revision` (None: no reviews there)."""
    with loaded(root, revision) as side:
        return side.repo


def commit_author(root: Path, revision: Revision) -> tuple[str, str]:
    """The author's name and the ISO date of a commit; of HEAD for the working tree."""
    done = git(root, "log", "-1", "--format=%an%x00%aI", revision.commit or "HEAD", "--")
    if done.returncode != 0:
        raise RevisionError(f"git could not read the author of {revision.label}: {done.stderr.decode().strip()}")
    name, _, date = done.stdout.decode().strip().partition("\x00")
    return name, date
