"""What a build already made, so that an output whose inputs have not changed is not made again.

The cache lives in the output folder, under `.cache/` (build/.cache/, beside the Word
reference document in build/.cache/docx/). It is content-addressed: nothing in it is
trusted because of a time stamp, a file's age or its name.

- A *fingerprint* (`Cache.fingerprint`) is the SHA-256 of a file's bytes; a folder's
  (`Cache.folder_fingerprint`) covers its real files with their paths, and names each
  link without following it. An input's is taken once a run, before the input is read
  (see `Cache.fingerprint`), so that a file saved during a build is built again. So that an unchanged file is not read on every run, each
  fingerprint is kept in `.cache/fingerprints.json` with the file's size, modification
  and change times and inode, and read again only when one of those differs (as git's
  index does), or when the file was changed less than RACY_SECONDS before it was read.
  Keeping it saves about 0.3 s a run on a board of 30 reviews x 8 IMRs (1,951 files,
  13 MB) against reading them all. `save()` writes it, once at the end of a run.
- A *key* (`Cache.key`) is the SHA-256 of everything an output is made from, as JSON:
  the caller's parts (the fingerprints of the files the output reads and every other
  value it depends on: the errors check found in them, the version table from git,
  today's date where the output shows it, the engine) and, always, the template files
  (schema/templates/), any `SARFLOW_LIMIT_*` set, the entries' format and sarflow's own
  version (`Cache.tool`: the version number *and* the fingerprint of its code), so that
  an edited sarflow never reuses what the old one made, and the Python and the libraries
  it runs on (`installed`: the version of Python and the name of each package installed
  beside sarflow, which holds its version), so that a findings' message a new PyYAML or
  jsonschema-rs words otherwise, or a workbook a new openpyxl writes otherwise, is made again.
- An *entry* is one small JSON file per output, or group of outputs built together, which
  the caller names (e.g. "docx/adult-a/police"): `.cache/outputs/<SHA-256 of the
  name>.json`, written atomically (`sarflow.outputs.atomic_write`). It records the name,
  the key, sarflow's version, the fingerprint of each output file it vouches for (relative
  to the output folder), and any JSON value the caller wants back (`data`, e.g. warnings
  to print again).

`Cache.hit(name, key)` returns the entry only when everything holds: it can be read and
parsed, it has the expected shape, its format and sarflow's version are this one's, its name
and key are the ones asked for, and every output it names is on disk with the bytes it
recorded. Anything else (a truncated or garbled file, an entry of another version, an output
deleted or edited by hand, a folder where the file should be) is a miss: the caller
rebuilds and `record`s afresh, which replaces the bad entry. A miss is never an error and
never a traceback; deleting build/.cache only makes the next build slower.

To use it (a cache of check's findings works the same way, with the findings as `data`):

    cache = Cache(out, repo.root)
    key = cache.key("docx", cache.folder_fingerprint(imr.folder), cache.fingerprint(review_file), ...)
    if cache.hit(name, key) is None:
        cache.forget(name)              # a build that fails half way leaves nothing vouching for it
        ...build, writing the outputs...
        cache.record(name, key, [output_path, ...])
    cache.save()

`hits` and `recorded` list the names found up to date and built afresh in this run, for the
command to say what it did.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import sysconfig
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sarflow
from sarflow import limits
from sarflow.links import Tree, walk
from sarflow.outputs import atomic_write

FORMAT = 1  # the shape of an entry; raise it when the shape changes
FOLDER = Path(".cache") / "outputs"
MEMO = Path(".cache") / "fingerprints.json"
RACY_SECONDS = 2  # a file changed more recently than this is read again next run (see Cache.fingerprint)
MAX_ENTRY = 10_000_000  # bytes: an entry larger than this is not read (it cannot be one of ours)
READ_SIZE, MAX_READ = 1 << 16, 1 << 20  # bytes a fingerprint reads at a time: the whole file, within these (see `fingerprint`)


def installed() -> list[str]:
    """The version of Python and every package installed where sarflow's libraries are: the names of their
    `.dist-info` folders, which hold the version (`PyYAML-6.0.2.dist-info`). One listing of a folder or two,
    so that it costs a check with nothing changed about a millisecond, where reading each package's
    metadata would cost tens."""
    folders = sorted({sysconfig.get_paths()[kind] for kind in ("purelib", "platlib")})
    names = []
    for folder in folders:
        with contextlib.suppress(OSError):  # no such folder: nothing is installed there
            names += sorted(name for name in os.listdir(folder) if name.endswith(".dist-info"))
    return [sys.version, *names]


def fingerprint(path: Path | str) -> str | None:
    """The SHA-256 of the file's bytes, or None when it is missing, a link or not a file.

    The file is opened without following a link (O_NOFOLLOW) and judged by what was opened,
    so that a file made a link between a look at it and the reading is never followed. It is read
    to its end in reads as large as it is, up to MAX_READ (a board's files are small: one read each,
    and no buffer of hashlib.file_digest's 256 KB made for each, which took 40% longer)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))  # a fifo does not hang the open
    except OSError:
        return None
    try:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode):
            return None
        digest = hashlib.sha256()
        while chunk := os.read(handle, min(max(found.st_size + 1, READ_SIZE), MAX_READ)):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(handle)


class Cache:
    """The entries of one output folder, and what this run did with them (see the module's docstring)."""

    def __init__(self, out: Path, root: Path) -> None:
        self.out = out
        self.folder = out / FOLDER
        self.hits: list[str] = []  # the names found up to date this run, in the order asked
        self.recorded: list[str] = []  # the names built afresh this run
        self.vouched: dict[str, str] = {}  # every output the entries hit or recorded this run vouch for, with its fingerprint
        self._memo = self._read_memo()
        self._memo_changed = False
        self._seen: dict[str, str | None] = {}  # each input's fingerprint as first taken this run
        code = self.folder_fingerprint(Path(sarflow.__file__).parent, skip="__pycache__")
        self.tool = f"{sarflow.__version__}+{code[:16]}"
        self._template = self.folder_fingerprint(root / "schema" / "templates")
        self._limits = sorted((k, v) for k, v in os.environ.items() if k.startswith(limits.PREFIX))
        self._installed = installed()

    def fingerprint(self, path: Path) -> str | None:
        """The fingerprint of an input file, taken once a run: the first answer stands for the rest of it.

        Take an input's fingerprint before reading it (`sarflow build` takes those of reviews/
        and site/ before loading), so that a file saved again while a build runs is never
        recorded as what the build was made from: the next run sees a new fingerprint and
        builds again. Outputs are fingerprinted afresh each time (`hit`, `record`).
        """
        name = str(path.absolute())
        if name not in self._seen:
            self._seen[name] = self._current(name)
        return self._seen[name]

    def _current(self, path: Path | str) -> str | None:
        """`fingerprint(path)`, read again only when the file's size, times or inode differ from the last run's.

        A file changed less than RACY_SECONDS before it is read is not remembered: a second
        change within the file system's time resolution could leave its times as they were.
        """
        name = path if isinstance(path, str) else str(path.absolute())
        try:
            found = os.lstat(name)
        except OSError:
            return None
        if not stat.S_ISREG(found.st_mode):
            return None
        stamp = [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino]
        known = self._memo.get(name)
        if known is not None and known[:4] == stamp:
            return str(known[4])
        content = fingerprint(name)
        if content is not None and time.time_ns() - max(found.st_mtime_ns, found.st_ctime_ns) > RACY_SECONDS * 10**9:
            self._memo[name] = [*stamp, content]
            self._memo_changed = True
        return content

    def folder_fingerprint(self, folder: Path, skip: str | None = None, tree: Tree | None = None) -> str:
        """One SHA-256 of every real file under `folder` (but those under a folder named `skip`), with its path;
        a link is named, never followed. `tree`: what `walk(folder)` found, when the caller has walked it already."""
        tree = tree if tree is not None else walk(folder)
        digest = hashlib.sha256()
        for path in tree.files:
            inside = _inside_folder(path, folder)
            if skip is None or skip not in inside.split("/"):
                digest.update(f"{inside}\0{self.fingerprint(path)}\0".encode())
        for link in tree.links:
            digest.update(f"{_inside_folder(link, folder)}\0link\0".encode())
        return digest.hexdigest()

    def save(self) -> None:
        """Keep the fingerprints read this run for the next one (once, at the end of a run)."""
        if not self._memo_changed:
            return
        content = json.dumps({"format": FORMAT, "files": self._memo}).encode()
        with contextlib.suppress(OSError):  # not kept: the next run reads the files again
            atomic_write(self.out / MEMO, content)
        self._memo_changed = False

    def key(self, *parts: Any) -> str:
        """The key of an output made from `parts` (JSON values), the template files, this sarflow, what it runs on
        and the limits set."""
        text = json.dumps([FORMAT, self.tool, self._installed, self._template, self._limits, *parts], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def hit(self, name: str, key: str) -> dict[str, Any] | None:
        """The entry `name` when it holds for `key` and its outputs are on disk as it recorded them, else None."""
        entry = self._read(self._path(name))
        if entry is None or entry.get("name") != name or entry.get("key") != key:
            return None
        outputs = entry.get("outputs")
        if not isinstance(outputs, dict) or not all(isinstance(v, str) for v in outputs.values()):
            return None
        if any(not _inside(relative) or self._current(self.out / relative) != recorded for relative, recorded in outputs.items()):
            return None
        self.hits.append(name)
        self.vouched.update(outputs)
        return entry

    def peek(self, name: str) -> Any:
        """The `data` the entry `name` keeps, its key and outputs unchecked, or None: a guess at what will
        be up to date, so that work on the rest can start early. Only `hit` vouches for an output."""
        entry = self._read(self._path(name))
        return entry.get("data") if entry is not None and entry.get("name") == name else None

    def record(self, name: str, key: str, outputs: Iterable[Path], data: Any = None) -> None:
        """Vouch that the `outputs` as they are now on disk were made for `key` (`data`: any JSON value)."""
        files = {}
        for path in outputs:
            found = self._current(path)
            if found is None:  # not written after all: vouch for nothing
                self.forget(name)
                return
            files[path.relative_to(self.out).as_posix()] = found
        self.recorded.append(name)
        self.vouched.update(files)
        self._write(name, key, files, data)

    def remember(self, name: str, key: str, data: Any = None) -> None:
        """Record an entry `name` that vouches for every output this run's other entries vouched for
        (`vouched`), as they were fingerprinted then: the run as a whole (see sarflow.rebuild)."""
        self._write(name, key, dict(self.vouched), data)

    def _write(self, name: str, key: str, files: dict[str, str], data: Any) -> None:
        entry = {"format": FORMAT, "sarflow": self.tool, "name": name, "key": key, "outputs": files, "data": data}
        content = json.dumps(entry, sort_keys=True).encode()
        try:
            atomic_write(self._path(name), content)
        except OSError:  # e.g. a folder where the entry should be: the next build just builds again
            self.forget(name)

    def forget(self, name: str) -> None:
        """Drop the entry `name`, if there is one."""
        with contextlib.suppress(OSError):  # a folder where the entry should be: `record` fails on it too
            self._path(name).unlink(missing_ok=True)

    def _path(self, name: str) -> Path:
        return self.folder / f"{hashlib.sha256(name.encode()).hexdigest()[:32]}.json"

    def _read(self, path: Path) -> dict[str, Any] | None:
        """The entry at `path` when it is one of this sarflow's, else None (missing, unreadable or foreign)."""
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_ENTRY:
                return None
            entry = json.loads(path.read_bytes().decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("sarflow") != self.tool:
            return None
        return entry


    def _read_memo(self) -> dict[str, list[Any]]:
        """The fingerprints the last run kept; only well-formed records of this format are trusted."""
        try:
            kept = json.loads((self.out / MEMO).read_bytes().decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        files = kept.get("files") if isinstance(kept, dict) and kept.get("format") == FORMAT else None
        if not isinstance(files, dict):
            return {}
        return {name: record for name, record in files.items() if _memo_record(record)}


def _inside_folder(path: Path, folder: Path) -> str:
    """`path.relative_to(folder).as_posix()` for a path that `walk(folder)` found, cut from the text of the path:
    pathlib's relative_to took a fifth of the time a cold check spends on fingerprints."""
    written, base = str(path), str(folder).rstrip(os.sep) + os.sep
    if os.sep == "/" and written.startswith(base):
        return written[len(base):]
    return path.relative_to(folder).as_posix()


def _memo_record(record: Any) -> bool:
    """[size, modified, changed, inode, SHA-256], as `Cache.fingerprint` keeps it."""
    return (isinstance(record, list) and len(record) == 5 and all(type(n) is int for n in record[:4])
            and isinstance(record[4], str) and len(record[4]) == 64)


def _inside(relative: str) -> bool:
    """A path an entry may name: relative, inside the output folder, in the form `record` writes."""
    parts = relative.split("/")
    return bool(relative) and not relative.startswith("/") and "\\" not in relative and ".." not in parts and "" not in parts
