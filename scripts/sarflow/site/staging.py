"""The staging folder (build/site-src): the hand-written pages of site/ plus the generated ones.

Files are rewritten only when their content changes and files no longer produced are
removed, so that `sarflow serve` (MkDocs watching this folder) rebuilds only when
something really changed. Each file is written atomically: the live preview never
reads half a page.
"""

from __future__ import annotations

from pathlib import Path

from sarflow.outputs import atomic_write

THEME_FOLDER = "overrides"  # site/overrides holds theme templates: MkDocs reads it as custom_dir, not as pages


def stage(root: Path, generated: list[tuple[str, str]], staging: Path) -> None:
    """Fill `staging` with site/'s pages and `generated` (path, Markdown); generated pages win a clash."""
    wanted: dict[str, bytes] = {}
    hand_written = root / "site"
    if hand_written.is_dir():
        for path in sorted(hand_written.rglob("*")):
            inside = path.relative_to(hand_written)
            if path.is_file() and inside.parts[0] != THEME_FOLDER and not any(p.startswith(".") for p in inside.parts):
                wanted[inside.as_posix()] = path.read_bytes()
    for name, text in generated:
        wanted[name] = text.encode("utf-8")
    for name, content in wanted.items():
        _write_if_changed(staging / name, content)
    _remove_others(staging, set(wanted))


def _write_if_changed(path: Path, content: bytes) -> None:
    if path.is_file() and path.read_bytes() == content:
        return
    atomic_write(path, lambda temporary: temporary.write_bytes(content))


def _remove_others(staging: Path, keep: set[str]) -> None:
    for path in sorted(staging.rglob("*"), reverse=True):
        name = path.relative_to(staging).as_posix()
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        elif name not in keep:
            path.unlink()
