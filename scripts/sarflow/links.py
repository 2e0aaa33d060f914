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
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Tree:
    """What is under a folder: its real files, and the links found (none of them followed)."""

    files: list[Path] = field(default_factory=list)
    links: list[Path] = field(default_factory=list)


def walk(folder: Path) -> Tree:
    """Every real file and every link at or under `folder`, sorted; nothing through a link.

    A `folder` that is itself a link is returned as the one link; a missing one is empty.
    """
    tree = Tree()
    if folder.is_symlink():
        tree.links.append(folder)
        return tree
    for top, folders, files in os.walk(folder):  # os.walk lists a linked folder but never enters it
        for name in (*folders, *files):
            path = Path(top, name)
            if path.is_symlink():
                tree.links.append(path)
            elif name in files and path.is_file():
                tree.files.append(path)
    tree.files.sort()
    tree.links.sort()
    return tree


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
