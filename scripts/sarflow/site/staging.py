"""The staging folder (build/site-src): the hand-written pages of site/ plus the generated ones.

Files are rewritten only when their content changes, so that `sarflow serve` (MkDocs
watching this folder) rebuilds only when something really changed; each is written
atomically, so the live preview never reads half a page. The folder keeps a list of
the files sarflow wrote into it (MANIFEST), and a page no longer produced is removed
only when that list names it: nothing sarflow did not write is ever deleted. A file
it did not write stops the build instead, because MkDocs would publish it. Only real
files of site/ are copied: a symbolic link there stops the build too (sarflow.links).
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from sarflow.links import first_link, walk
from sarflow.outputs import OutputError, atomic_write

THEME_FOLDER = "overrides"  # site/overrides holds theme templates: MkDocs reads it as custom_dir, not as pages
MANIFEST = ".sarflow-written"  # a dot file: MkDocs publishes none


def stage(root: Path, generated: list[tuple[str, str]], staging: Path) -> None:
    """Fill `staging` with site/'s pages and `generated` (path, Markdown); generated pages win a clash."""
    wanted = _wanted(root, generated)
    written = _written(staging)
    _refuse_strangers(staging, written | wanted.keys())
    _record(staging, written | wanted.keys())  # first, so that an interrupted run still knows its files
    for name, content in wanted.items():
        _write_if_changed(staging / name, content)
    for name in sorted(written - wanted.keys()):
        _remove(staging, name)
    _record(staging, set(wanted))


def _wanted(root: Path, generated: list[tuple[str, str]]) -> dict[str, bytes]:
    hand_written = root / "site"
    tree = walk(hand_written)
    if tree.links:
        shown = ", ".join(link.relative_to(root).as_posix() for link in tree.links[:3])
        raise OutputError(f"{shown} {'is a symbolic link' if len(tree.links) == 1 else 'are symbolic links'}: the site "
                          "is not built while site/ holds a link, because sarflow never follows one (replace each "
                          "link with the real file, or delete it; `sarflow check` lists them all)")
    wanted: dict[str, bytes] = {}
    for path in tree.files:
        inside = path.relative_to(hand_written)
        if inside.parts[0] != THEME_FOLDER and not any(p.startswith(".") for p in inside.parts):
            wanted[inside.as_posix()] = path.read_bytes()
    for name, text in generated:
        wanted[name] = text.encode("utf-8")
    return wanted


def _written(staging: Path) -> set[str]:
    """The files the last staging wrote, as its list names them (only plain paths inside the folder)."""
    try:
        names = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {n for n in names if isinstance(n, str) and _plain(n)} if isinstance(names, list) else set()


def _plain(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def _refuse_strangers(staging: Path, known: set[str]) -> None:
    """Stop when the folder holds a link or a visible file sarflow did not write: MkDocs would publish it."""
    tree = walk(staging)
    if tree.links:
        raise OutputError(f"{tree.links[0]} is a symbolic link: sarflow writes the site's pages only into real "
                          "folders; delete the link and build again")
    strangers = [
        name for path in tree.files
        if (name := path.relative_to(staging).as_posix()) not in known
        and not any(p.startswith(".") for p in PurePosixPath(name).parts)
    ]
    if strangers:
        raise OutputError(f"{staging} holds {len(strangers)} file(s) that sarflow did not write, such as "
                          f"{strangers[0]}, which the site would publish: nothing was deleted; delete {staging} "
                          "(sarflow writes it afresh) and build again")


def _record(staging: Path, names: set[str]) -> None:
    _write_if_changed(staging / MANIFEST, json.dumps(sorted(names), indent=0).encode("utf-8"))


def _write_if_changed(path: Path, content: bytes) -> None:
    if path.is_file() and path.read_bytes() == content:
        return
    atomic_write(path, content)


def _remove(staging: Path, name: str) -> None:
    """Delete one page sarflow wrote, then the folders it leaves empty (never through a link)."""
    path = staging / name
    if first_link(path, staging) is not None or not path.is_file():
        return
    path.unlink()
    folder = path.parent
    while folder != staging and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
