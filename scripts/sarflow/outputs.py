"""Writing outputs so that a reader never sees half a file.

Every output is written to a temporary file beside its destination and renamed over
it, so an interrupted build leaves the previous version, never a truncated one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


class OutputError(Exception):
    """An output could not be built; the message is for the author and names the IMR."""


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(temporary_path)`, then move the result to `path` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        temporary.chmod(0o644)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def imr_dir(build_dir: Path, review_id: str, agency_id: str) -> Path:
    return build_dir / "reviews" / review_id / agency_id


def review_dir(build_dir: Path, review_id: str) -> Path:
    return build_dir / "reviews" / review_id
