"""Symbolic links: sarflow follows none, whatever they point to.

A link committed to the repository can point anywhere: at /etc/passwd, at
/proc/self/environ, at .git/config or at another agency's narrative. Telling a
harmless target from a harmful one would be a second rule to get wrong, so there is
one rule for every target: the loader reports each link under reviews/ and site/ and
reads none of them, the site's staging step copies only real files, and the outputs
are written only into folders that are not links. Every walk here lists links
without going through them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Tree:
    """What is under a folder: its real files, and the links found (none of them followed)."""

    files: list[Path] = field(default_factory=list)
    links: list[Path] = field(default_factory=list)


def walk(folder: Path) -> Tree:
    """Every real file and every link at or under `folder`, sorted; nothing through a link.

    A `folder` that is itself a link is returned as the one link; a missing one is empty. Each
    folder's entries say what they are as they are listed (os.scandir), so that telling a file
    from a folder or a link asks the file system nothing more on most systems.
    """
    tree = Tree()
    if folder.is_symlink():
        tree.links.append(folder)
        return tree
    below = [str(folder)]
    while below:
        try:
            with os.scandir(below.pop()) as entries:
                listed = list(entries)
        except OSError:  # not a folder, or one that cannot be read: nothing under it, as os.walk says
            continue
        for entry in listed:
            if _is(entry.is_symlink):
                tree.links.append(Path(entry.path))
            elif _is(entry.is_dir):
                below.append(entry.path)
            elif _is(entry.is_file):
                tree.files.append(Path(entry.path))
    tree.files.sort()
    tree.links.sort()
    return tree


def _is(kind: Callable[[], bool]) -> bool:
    """What an entry is, or False when the file system cannot say (it went away while being listed)."""
    try:
        return kind()
    except OSError:
        return False


def first_link(path: Path, base: Path) -> Path | None:
    """The first link on the way from `base` (not itself judged) down to `path`, if any."""
    try:
        parts = path.relative_to(base).parts
    except ValueError:
        return None
    here = base
    for part in parts:
        here = here / part
        if here.is_symlink():
            return here
    return None
