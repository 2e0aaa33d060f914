"""The git history of the review files: when each IMR last changed, and how each action's status moved.

The board wants to see when an action moved, not only where it stands, and the
repository already records that: every commit that touched an actions.yml. Reading
it costs three git processes for the whole repository, however many reviews it holds:
one `git log` walk over reviews/ (which files each commit changed, with their blob
ids), one `git cat-file --batch-check` for the size of every version of every
actions.yml, then `git cat-file --batch` to stream them (one per 64 MB of them).

The walk follows the main line only (first parents, a merge compared with the main
line before it): what the board's branch held, dated when it landed there, never the
half-finished states of a pull request's branch, which can also contradict each other.

An action is followed by its recommendation as well as its number, so that renumbering
the plan (an action inserted before others) does not hand one action's history to
another: from one version to the next, an action keeps its identity if its
recommendation is unchanged, or else if its number is. An action taken out of the
plan is recorded as removed, and one put back with the same recommendation continues
its old history.

A folder that is not a git repository, a machine without git, or files not yet
committed simply have no history: the site then shows none, and nothing fails.

A version larger than the loader reads (`sarflow.limits.FILE_MB`) is skipped, with a
warning naming the file and the commit: its size comes from the batch check, so it is
never read at all (a 52 MB actions.yml once in the history cost every build 32 s and
1.7 GB). Of the versions read, only the statuses, recommendations and the days of updates
and completion are kept from one batch to the next, so a long history is never all in
memory at once. Those days date each move of a status as the data reports it (see
`StatusChange.reported`); the commit's date is only the day the board's copy recorded it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sarflow import git, limits
from sarflow.dates import uk
from sarflow.findings import Finding, Span, warning
from sarflow.yamlloader import LOADER

ImrKey = tuple[str, str]  # (review id, agency id)
ActionKey = tuple[str, str, int]  # (review id, agency id, action number)

@dataclass(frozen=True)
class _Entry:
    """What one version of actions.yml says of one action: enough to follow it and date its moves."""

    status: str
    recommendation: str
    updates: frozenset[dt.date]  # the days of its progress updates
    completed: dt.date | None  # its date_completed


_Plan = dict[int, _Entry]  # one version of actions.yml: action number -> what it says of that action
_DELETED = "0" * 40
_RECORD = "\x1e"
BATCH_BYTES = 64 * limits.MB


@dataclass(frozen=True)
class StatusChange:
    """One move of an action's status in a commit.

    `old` is None when the action came into the plan, `new` None when it was taken out;
    an empty status ("") is one not logged. `date` is the day the board's copy recorded
    it (the commit's); `reported` the day the data gives for it, where it gives one: the
    date_completed written with it, else the newest progress update that came with it.
    The board reads `reported` first: a change merged months after the update that
    reported it happened when the update says.
    """

    date: dt.date
    old: str | None
    new: str | None
    commit: str
    reported: dt.date | None = None

    @property
    def when(self) -> dt.date:
        return self.reported or self.date


@dataclass
class History:
    """What git knows about the review files; empty when git knows nothing."""

    last_changed: dict[ImrKey, dt.date] = field(default_factory=dict)
    status_changes: dict[ActionKey, list[StatusChange]] = field(default_factory=dict)
    warnings: list[Finding] = field(default_factory=list)

    def updated(self, review_id: str, agency_id: str) -> dt.date | None:
        """The date of the newest commit that changed any file of the IMR."""
        return self.last_changed.get((review_id, agency_id))

    def changes(self, review_id: str, agency_id: str, number: int | None) -> list[StatusChange]:
        """The action's status changes, oldest first."""
        return self.status_changes.get((review_id, agency_id, number), []) if number is not None else []


@dataclass(frozen=True)
class _Version:
    commit: str
    date: dt.date
    blob: str


def read_history(root: Path) -> History:
    """The history of reviews/ under `root`; an empty History if git cannot tell."""
    log = git.output(root, "log", "--first-parent", "-m", "--no-renames", "--raw", "--no-abbrev", "--relative",
               f"--format={_RECORD}%H %cs", "--", "reviews")
    if log is None:
        return History()
    history = History()
    versions: dict[ImrKey, list[_Version]] = defaultdict(list)
    for record in log.decode("utf-8", "replace").split(_RECORD)[1:]:
        header, _, body = record.partition("\n")
        commit, _, day = header.partition(" ")
        try:
            date = dt.date.fromisoformat(day.strip())
        except ValueError:
            continue
        for line in body.splitlines():
            changed = _raw_line(line)
            if changed is None:
                continue
            key, name, blob = changed
            if date > history.last_changed.get(key, dt.date.min):
                history.last_changed[key] = date
            if name == "actions.yml":
                versions[key].append(_Version(commit, date, blob))
    sizes = _sizes(root, {v.blob for vs in versions.values() for v in vs if v.blob != _DELETED})
    most = limits.FILE_MB() * limits.MB
    plans = _read_plans(root, {blob: size for blob, size in sizes.items() if size <= most})
    for key, newest_first in versions.items():
        _add_changes(history, key, list(reversed(newest_first)), plans)
        too_large = [v for v in newest_first if sizes.get(v.blob, 0) > most]
        if too_large:
            history.warnings.append(_skipped(key, too_large, sizes))
    return history


def _skipped(key: ImrKey, versions: list[_Version], sizes: dict[str, int]) -> Finding:
    """The warning for the versions of an IMR's actions.yml too large to read (newest first)."""
    oldest = versions[-1]
    largest = max(sizes[v.blob] for v in versions) / limits.MB
    which = (f"the version committed on {uk(oldest.date)} ({oldest.commit[:7]})" if len(versions) == 1 else
             f"{len(versions)} versions of it (the first committed on {uk(oldest.date)}, {oldest.commit[:7]})")
    return warning(
        "history-file-too-large",
        f"in the git history, {which} {'is' if len(versions) == 1 else 'are'} larger than the "
        f"{limits.FILE_MB.shown()} sarflow reads (up to {largest:.1f} MB), so the status history skips "
        f"{'it' if len(versions) == 1 else 'them'}",
        Span(f"reviews/{key[0]}/{key[1]}/actions.yml"),
        "nothing needs fixing if the file is right now: the site shows each action's status changes "
        "from the other versions",
    )


def _raw_line(line: str) -> tuple[ImrKey, str, str] | None:
    """(IMR, file name, new blob id) from a `--raw` line about a file inside an IMR folder."""
    if not line.startswith(":") or "\t" not in line:
        return None
    meta, _, path = line.partition("\t")
    fields = meta.split()
    parts = path.split("/")
    if len(fields) < 5 or len(parts) < 4 or parts[0] != "reviews":
        return None
    return (parts[1], parts[2]), "/".join(parts[3:]), fields[3]


@dataclass(eq=False)  # compared (and hashed) as objects: two actions are never equal by their fields
class _Followed:
    """One action followed through the versions of its actions.yml."""

    entry: _Entry
    changes: list[StatusChange] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.entry.status

    @property
    def recommendation(self) -> str:
        return self.entry.recommendation


def _reported(before: _Entry | None, now: _Entry) -> dt.date | None:
    """The day the data gives for a move to `now`: a date_completed new with it, else its newest new update."""
    if now.completed and (before is None or before.completed != now.completed):
        return now.completed
    new = now.updates - (before.updates if before else frozenset())
    return max(new) if new else None


def _add_changes(history: History, key: ImrKey, versions: list[_Version], plans: dict[str, _Plan | None]) -> None:
    live: dict[int, _Followed] = {}  # by number, in the last version read
    removed: list[_Followed] = []
    for version in versions:
        if version.blob != _DELETED and version.blob not in plans:
            continue  # unreadable version: compare the next one with the last we could read
        now = plans[version.blob] if version.blob != _DELETED else {}
        if now is None:
            continue  # a version that was not valid YAML says nothing about statuses
        matched = _match(live, removed, now)
        for number, entry in now.items():
            followed = matched.get(number)
            if followed is None:
                followed = _Followed(entry)
                followed.changes.append(StatusChange(version.date, None, entry.status, version.commit,
                                                     _reported(None, entry)))
            elif followed in removed:
                removed.remove(followed)
                followed.changes.append(StatusChange(version.date, None, entry.status, version.commit,
                                                     _reported(followed.entry, entry)))
            elif followed.status != entry.status:
                followed.changes.append(StatusChange(version.date, followed.status, entry.status, version.commit,
                                                     _reported(followed.entry, entry)))
            followed.entry = entry
            matched[number] = followed
        kept = set(matched.values())
        for followed in live.values():
            if followed not in kept:
                followed.changes.append(StatusChange(version.date, followed.status, None, version.commit))
                removed.append(followed)
        live = {number: matched[number] for number in now}
    for number, followed in live.items():
        history.status_changes[(*key, number)] = followed.changes


def _match(live: dict[int, _Followed], removed: list[_Followed], now: _Plan) -> dict[int, _Followed]:
    """Which action of the last version (or taken out earlier) each action of this version is."""
    unique_now = _once(e.recommendation for e in now.values())
    before = _by_recommendation(live.values())
    matched = {n: before[e.recommendation] for n, e in now.items()
               if e.recommendation in unique_now and e.recommendation in before}
    taken = set(matched.values())
    for number in now:
        if number not in matched and number in live and live[number] not in taken:
            matched[number] = live[number]
    back = _by_recommendation(removed)
    for number, entry in now.items():
        if number not in matched and entry.recommendation in unique_now and entry.recommendation in back:
            matched[number] = back[entry.recommendation]
    return matched


def _by_recommendation(actions: Iterable[_Followed]) -> dict[str, _Followed]:
    """The actions whose recommendation no other of them shares, by recommendation."""
    actions = list(actions)
    unique = _once(a.recommendation for a in actions)
    return {a.recommendation: a for a in actions if a.recommendation in unique}


def _once(recommendations: Iterable[str]) -> set[str]:
    """The non-empty recommendations that appear exactly once."""
    counts = Counter(r for r in recommendations if r)
    return {r for r, n in counts.items() if n == 1}


def _actions(text: bytes) -> _Plan | None:
    """What one version of actions.yml says of each action, by number; None if it cannot be read.

    A status that is missing or not text is "" (not logged); whitespace in the
    recommendation is collapsed, so re-wrapping a line does not make a new action.
    Of the updates and date_completed only the dates are kept (a date that is not one
    is left out: check reports it in the current version).
    """
    try:
        data = yaml.load(text, Loader=LOADER) if text else {}
    except yaml.YAMLError:
        return None
    items = data.get("actions") if isinstance(data, dict) else None
    found: _Plan = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        number = item.get("no")
        status = item.get("status")
        recommendation = item.get("recommendation")
        if isinstance(number, int) and not isinstance(number, bool):
            updates = item.get("updates")
            found[number] = _Entry(
                status.strip() if isinstance(status, str) else "",
                " ".join(recommendation.split()) if isinstance(recommendation, str) else "",
                frozenset(d for u in (updates if isinstance(updates, list) else [])
                          if isinstance(u, dict) and (d := _day(u.get("date")))),
                _day(item.get("date_completed")),
            )
    return found


def _day(value: object) -> dt.date | None:
    """A date as YAML read it (unquoted), or an ISO date in quotes; anything else is None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _sizes(root: Path, blobs: set[str]) -> dict[str, int]:
    """The size of each blob, from one `git cat-file --batch-check` (which reads none of them)."""
    if not blobs:
        return {}
    out = git.output(root, "cat-file", "--batch-check", stdin="".join(f"{b}\n" for b in sorted(blobs)).encode())
    sizes: dict[str, int] = {}
    for line in (out or b"").decode("ascii", "replace").splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[2].isdigit():  # not "<id> missing"
            sizes[fields[0]] = int(fields[2])
    return sizes


def _read_plans(root: Path, sizes: dict[str, int]) -> dict[str, _Plan | None]:
    """Each given blob read as a version of actions.yml, by `git cat-file --batch`, one run per
    BATCH_BYTES of them: only what `_actions` keeps of each is kept from one batch to the next."""
    plans: dict[str, _Plan | None] = {}
    batch: list[str] = []
    size = 0
    for blob in sorted(sizes):
        if batch and size + sizes[blob] > BATCH_BYTES:
            plans.update((b, _actions(text)) for b, text in _batch(root, batch).items())
            batch, size = [], 0
        batch.append(blob)
        size += sizes[blob]
    if batch:
        plans.update((b, _actions(text)) for b, text in _batch(root, batch).items())
    return plans


def _batch(root: Path, blobs: list[str]) -> dict[str, bytes]:
    """The contents of the given blobs, from one `git cat-file --batch`."""
    out = git.output(root, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in blobs).encode())
    contents: dict[str, bytes] = {}
    position = 0
    while out and position < len(out):
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) != 3:  # "<id> missing"
            continue
        size = int(header[2])
        contents[header[0].decode()] = out[position : position + size]
        position += size + 1
    return contents
