"""What a build already made, so that an output whose inputs have not changed is not made again.

The cache lives in the output folder, under `.cache/outputs/` (build/.cache/outputs/), beside
the Word reference document (build/.cache/docx/). It is content-addressed: nothing in it is
trusted because of a time stamp, a file's age or its name.

- A *fingerprint* is the SHA-256 of a file's bytes (`fingerprint`), or of a folder's real
  files with their paths (`folder_fingerprint`, no link followed, dot files included).
- A *key* (`Cache.key`) is the SHA-256 of everything an output is made from, as JSON:
  the caller's parts (the fingerprints of the files it reads and any other value it
  depends on: the errors check found, the version table from git, today's date where
  the output shows overdue figures, the engine), and always the template files
  (schema/templates/), the format of the entries and sarflow's own version, which is
  its version number *and* the fingerprint of its code (`tool_version`), so that an
  edited sarflow never reuses an output of the old one.
- An *entry* is one small JSON file per output unit (an IMR's Word report, its workbooks, a
  review's workbooks, the site: the caller names it, e.g. "docx/adult-a/police"), stored
  at `.cache/outputs/<sha256 of the name>.json` and written atomically
  (`sarflow.outputs.atomic_write`). It records the name, the key, sarflow's version, the
  fingerprint of each output file it vouches for (relative to the output folder), and any
  JSON value the caller wants back (`data`: e.g. findings to print again).

`Cache.hit(name, key)` returns the entry only when everything holds: it can be read and
parsed, it has the expected shape, its format and sarflow's version are this one's, its name
and key are the ones asked for, and every output it names is on disk with the bytes it
recorded. Anything else (a truncated or garbled file, an entry of another version, an output
deleted or edited by hand, a folder where the file should be) is a miss: the caller
rebuilds and `record`s afresh, which replaces the bad entry. A miss is never an error and
never a traceback; deleting build/.cache only makes the next build slower.

To use it:

    cache = Cache(out, repo.root)
    key = cache.key("docx", folder_fingerprint(imr.folder), fingerprint(review_file), ...)
    if cache.hit(name, key) is None:
        ...build, writing the outputs...
        cache.record(name, key, [output_path, ...])

`forget(name)` drops an entry (call it before rebuilding, so that a build that fails half way
leaves no entry vouching for old outputs).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable
from functools import cache as once
from pathlib import Path
from typing import Any

import sarflow
from sarflow.links import walk
from sarflow.outputs import atomic_write

FORMAT = 1  # the shape of an entry; raise it when the shape changes
FOLDER = Path(".cache") / "outputs"
MAX_ENTRY = 10_000_000  # bytes: an entry larger than this is not read (it cannot be one of ours)
_CHUNK = 1 << 20


def fingerprint(path: Path) -> str | None:
    """The SHA-256 of the file's bytes, or None when it is missing, a link or not a file."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def folder_fingerprint(folder: Path) -> str:
    """One SHA-256 of every real file under `folder`, with its path (a link is named, not followed)."""
    tree = walk(folder)
    digest = hashlib.sha256()
    for path in sorted(tree.files):
        digest.update(f"{path.relative_to(folder).as_posix()}\0{fingerprint(path)}\0".encode())
    for link in sorted(tree.links):
        digest.update(f"{link.relative_to(folder).as_posix()}\0link\0".encode())
    return digest.hexdigest()


@once
def tool_version() -> str:
    """sarflow's version number and the fingerprint of its code and data files (computed once a run)."""
    return f"{sarflow.__version__}+{folder_fingerprint(Path(sarflow.__file__).parent)[:16]}"


class Cache:
    """The entries of one output folder (see the module's docstring)."""

    def __init__(self, out: Path, root: Path) -> None:
        self.out = out
        self.folder = out / FOLDER
        self._template = folder_fingerprint(root / "schema" / "templates")

    def key(self, *parts: Any) -> str:
        """The key of an output made from `parts` (JSON values), the template files and this sarflow."""
        text = json.dumps([FORMAT, tool_version(), self._template, *parts], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def hit(self, name: str, key: str) -> dict[str, Any] | None:
        """The entry `name` when it holds for `key` and its outputs are on disk as it recorded them, else None."""
        entry = self._read(self._path(name))
        if entry is None or entry.get("name") != name or entry.get("key") != key:
            return None
        outputs = entry.get("outputs")
        if not isinstance(outputs, dict) or not all(isinstance(v, str) for v in outputs.values()):
            return None
        if any(not _inside(relative) or fingerprint(self.out / relative) != recorded for relative, recorded in outputs.items()):
            return None
        return entry

    def record(self, name: str, key: str, outputs: Iterable[Path], data: Any = None) -> None:
        """Vouch that the `outputs` as they are now on disk were made for `key` (`data`: any JSON value)."""
        files = {}
        for path in outputs:
            found = fingerprint(path)
            if found is None:  # not written after all: vouch for nothing
                self.forget(name)
                return
            files[path.relative_to(self.out).as_posix()] = found
        entry = {"format": FORMAT, "sarflow": tool_version(), "name": name, "key": key, "outputs": files, "data": data}
        content = json.dumps(entry, sort_keys=True).encode()
        try:
            atomic_write(self._path(name), lambda temporary: temporary.write_bytes(content))
        except OSError:  # e.g. a folder where the entry should be: the next build just builds again
            self.forget(name)

    def forget(self, name: str) -> None:
        """Drop the entry `name`, if there is one."""
        with contextlib.suppress(OSError):  # a folder where the entry should be: `record` fails on it too
            self._path(name).unlink(missing_ok=True)

    def _path(self, name: str) -> Path:
        return self.folder / f"{hashlib.sha256(name.encode()).hexdigest()[:32]}.json"

    @staticmethod
    def _read(path: Path) -> dict[str, Any] | None:
        """The entry at `path` when it is one of this sarflow's, else None (missing, unreadable or foreign)."""
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_ENTRY:
                return None
            entry = json.loads(path.read_bytes().decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("sarflow") != tool_version():
            return None
        return entry


def _inside(relative: str) -> bool:
    """A path an entry may name: relative, inside the output folder, in the form `record` writes."""
    parts = relative.split("/")
    return bool(relative) and not relative.startswith("/") and "\\" not in relative and ".." not in parts and "" not in parts
