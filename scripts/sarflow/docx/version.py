"""Document control: which version of an IMR a document was built from, as git knows it.

An IMR's version is the last commit that changed its own files (its folder) or its
review's review.yml; its number is how many commits changed them, so that version 3
is the third committed state of the IMR, whatever else the repository's commits did.
The document history lists every version with its date and the IMR's status in it
(from that commit's imr.yml). Only the main line counts (first parents): a pull
request's branch adds versions while it is built on its own, and lands as one.

Nothing about a commit's author is read: the documents never name who committed.
"uncommitted changes" is said when the working tree differs from the last version,
"not under version control" outside git. Git is asked without taking any lock, so a
build never gets in the way of someone committing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from sarflow import git
from sarflow.dates import uk
from sarflow.yamlloader import LOADER, STR

GIT_TIMEOUT = 60
# An imr.yml larger than this in some commit is not read for its status (the loader
# refuses files of this size too); the history then says the status is not recorded.
MAX_IMR_FILE = 1_000_000


@dataclass(frozen=True)
class Revision:
    """One committed version of an IMR: its number (from 1), commit, date and the IMR's status then."""

    number: int
    commit: str
    date: dt.date
    status: str | None


@dataclass(frozen=True)
class Version:
    """The versions of an IMR, oldest first, and whether the files differ from the last."""

    tracked: bool
    history: tuple[Revision, ...] = ()
    changed: bool = False

    @property
    def latest(self) -> Revision | None:
        return self.history[-1] if self.history else None

    @property
    def date(self) -> dt.date | None:
        return self.latest.date if self.latest else None

    @property
    def commit(self) -> str | None:
        return self.latest.commit if self.latest else None

    def __str__(self) -> str:
        if not self.tracked:
            return "not under version control"
        latest = self.latest
        if latest is None:
            return "not yet committed"
        committed = f"{latest.number} of {uk(latest.date)}"
        return f"{committed}, with uncommitted changes" if self.changed else committed


def inputs(folder: Path) -> list[Path]:
    """The files whose commits are an IMR's versions: its folder and its review's review.yml."""
    return [folder, folder.parent / "review.yml"]


def version_of(root: Path, folder: Path, at: str | None = None) -> Version:
    """The version of the IMR in `folder` (under `root`, as it is now or was at `at`); see `versions`."""
    return versions(root, [folder], at)[folder]


def versions(root: Path, folders: Sequence[Path], at: str | None = None) -> dict[Path, Version]:
    """The version of each IMR in `folders` (under `root`, as it is now or was at `at`).

    `at` names a commit to read the history up to (the redline's HEAD); without it,
    the history goes up to HEAD and the working tree is compared with it. However many
    IMRs, git is asked four times: where the repository is, one walk of the history
    naming the files each commit changed, one read of every historic imr.yml, and one
    look at the working tree.
    """
    where = _git(root, "rev-parse", "--is-inside-work-tree", "--show-prefix")
    if where is None or not where.startswith(b"true"):
        return dict.fromkeys(folders, Version(tracked=False))
    prefix = where.removeprefix(b"true").strip().decode("utf-8", "replace")
    owners: dict[str, list[Path]] = {}  # each input (a folder or a review.yml) and the IMRs it is an input of
    for folder in folders:
        for path in inputs(folder):
            owners.setdefault(_relative(root, path), []).append(folder)
    commits: dict[Path, list[tuple[str, str, str]]] = {folder: [] for folder in folders}  # newest first
    for commit, changed in _walk(root, at or "HEAD", sorted(owners)):
        for folder in dict.fromkeys(f for path in changed for f in _owners_of(path, owners)):
            commits[folder].append(commit)
    imr_file = {folder: f"{prefix}{_relative(root, folder)}/imr.yml" for folder in folders}  # as git names it
    statuses = _statuses(root, [(full, imr_file[folder]) for folder in folders for full, _, _ in commits[folder]])
    dirty = _changed(root, prefix, owners) if at is None else set()
    found = {}
    for folder in folders:
        history = tuple(
            Revision(number, short, dt.date.fromisoformat(day), statuses.get((full, imr_file[folder])))
            for number, (full, short, day) in enumerate(reversed(commits[folder]), start=1)
        )
        found[folder] = Version(tracked=True, history=history, changed=folder in dirty)
    return found


def _relative(root: Path, path: Path) -> str:
    """`path` as git names it from `root`, which is where sarflow runs git."""
    return path.resolve().relative_to(root.resolve()).as_posix()


def _owners_of(path: str, owners: dict[str, list[Path]]) -> list[Path]:
    """The IMRs a changed file (its path from the root) is an input of: its review.yml, or a folder it is in."""
    found = list(owners.get(path, []))
    parent = path
    while "/" in parent:
        parent = parent.rsplit("/", 1)[0]
        found += owners.get(parent, [])
    return found


def _walk(root: Path, head: str, paths: list[str]) -> list[tuple[tuple[str, str, str], list[str]]]:
    """Each main-line commit up to `head` that changed any of `paths`, newest first, with the files it changed
    (paths from the root; a merge as against its first parent, as `git log --first-parent` counts it)."""
    out = git.output(
        root, "log", "--first-parent", "--no-renames", "--relative", "--name-only", "-z", "--format=%x01%H %h %cs",
        head, "--", *paths, timeout=GIT_TIMEOUT,
    )
    walked = []
    for record in (out or b"").decode("utf-8", "replace").split("\x01")[1:]:
        header, _, names = record.partition("\0")
        fields = header.split(" ")
        if len(fields) == 3:
            walked.append(((fields[0], fields[1], fields[2]), [n for n in names.lstrip("\n").split("\0") if n]))
    return walked


def _changed(root: Path, prefix: str, owners: dict[str, list[Path]]) -> set[Path]:
    """The IMRs whose inputs differ in the working tree from HEAD (a new file counts)."""
    out = git.output(root, "status", "--porcelain", "--untracked-files=all", "-z", "--", *sorted(owners), timeout=GIT_TIMEOUT)
    entries = iter((out or b"").decode("utf-8", "replace").split("\0"))
    paths = []
    for entry in entries:
        if len(entry) > 3:  # "XY path" (from the repository's top), then, after a rename or copy, the path it came from
            paths.append(entry[3:])
            if "R" in entry[:2] or "C" in entry[:2]:
                paths.append(next(entries, ""))
    return {f for path in paths if path.startswith(prefix) for f in _owners_of(path.removeprefix(prefix), owners)}


def _statuses(root: Path, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
    """The `status:` of each (commit, imr.yml) in `wanted`, read by one `git cat-file --batch`."""
    if not wanted:
        return {}
    out = git.output(root, "cat-file", "--batch", stdin="".join(f"{c}:{path}\n" for c, path in wanted).encode(), timeout=GIT_TIMEOUT)
    found: dict[tuple[str, str], str | None] = {}
    position = 0
    for key in wanted:
        if not out or position >= len(out):
            break
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) != 3:  # "<commit>:<path> missing": the IMR had no imr.yml then
            continue
        size = int(header[2])
        data = out[position : position + size]
        position += size + 1
        found[key] = _status(data) if size <= MAX_IMR_FILE else None
    return found


def _status(data: bytes) -> str | None:
    """The `status:` of an imr.yml as it was committed (its bytes), or None when it has none that is text.

    Only the file's top level is read, from libyaml's events, as PyYAML would read it (the last
    `status` key, its value typed as sarflow's loader types it); no other value is made, so a
    mistake committed elsewhere in the file and mended since, such as an impossible date, does not
    stop the history being read. A file that is not one YAML document, or that uses a reference
    (`*name`) or a mapping or list as a key, has no status here.
    """
    loader = LOADER(data)
    try:
        return _top_level_status(loader)
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _top_level_status(loader: LOADER) -> str | None:
    status: str | None = None
    documents = 0
    keys: list[bool | None] = []  # for each mapping or list open, whether its next node is a key (None: a list)
    of_status = False  # the top-level key just read is `status`
    while (event := loader.get_event()) is not None:
        if isinstance(event, yaml.AliasEvent):
            return None
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                return None
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            keys.pop()
        elif isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
            is_key = bool(keys) and keys[-1] is True
            if keys and keys[-1] is not None:
                keys[-1] = not keys[-1]  # a key, then its value
            if is_key and not isinstance(event, yaml.ScalarEvent):
                return None  # PyYAML cannot read a mapping or list as a key
            if len(keys) == 1 and keys[0] is not None:  # a key or a value of the top-level mapping
                if is_key:
                    of_status = isinstance(event, yaml.ScalarEvent) and event.value == "status"
                elif of_status:
                    status = _text(loader, event)
            if isinstance(event, yaml.CollectionStartEvent):
                keys.append(isinstance(event, yaml.MappingStartEvent) or None)
    return status


def _text(loader: LOADER, event: yaml.Event) -> str | None:
    """The value of a node that is text (as PyYAML's composer types a scalar), stripped; None for any other."""
    if not isinstance(event, yaml.ScalarEvent):
        return None
    tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit) if event.tag in (None, "!") else event.tag
    return (event.value.strip() or None) if tag == STR else None


def _git(root: Path, *args: str) -> bytes | None:
    """git's output, stripped, or None when git is missing or the folder is not in a repository."""
    out = git.output(root, *args, timeout=GIT_TIMEOUT)
    return None if out is None else out.strip()
