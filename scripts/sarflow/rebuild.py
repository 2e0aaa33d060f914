"""Whether anything a build reads has changed since the last one: when nothing has, it only says so.

Even when every output is up to date (sarflow.cache), a build loads the whole repository
and finds check's kept findings, which at 30 reviews x 8 IMRs costs seconds. Yet a build
reads only reviews/, site/, schema/, mkdocs.yml, what git says of reviews/ (the commit
checked out and the files changed since), today's date, the engines installed and what
its options ask for. So a build that made everything it was asked for without a problem
keeps one more cache entry, `WHOLE`: a key over all of those, every output the run's other
entries vouched for, and what it printed (check's errors, the IMRs not built, the summary).
The next build with the same key, whose outputs are all on disk as recorded, could not
come out differently: it prints what the last one printed and stops before loading
anything. Any difference, in any input or any output, and the build runs as ever, each
output still skipped when its own inputs have not changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sarflow import git
from sarflow.cache import Cache
from sarflow.site.engine import versions

WHOLE = "build"
READ = ("reviews", "site", "schema")  # the folders a build reads, beside mkdocs.yml and git
ENGINES = ("mkdocs", "mkdocs-material", "zensical", "pypandoc_binary", "openpyxl")


def key(cache: Cache, root: Path, options: Sequence[Any], today: dt.date) -> str:
    """The key of a build with these `options` on `today`: taken before anything is loaded, so
    that a file saved while the build runs makes the next one build again."""
    git_said = git.output(root, "status", "--porcelain=v2", "--branch", "--untracked-files=all", "-z", "--", "reviews")
    return cache.key(
        WHOLE, list(options), today.isoformat(), [cache.folder_fingerprint(root / name) for name in READ],
        cache.fingerprint(root / "mkdocs.yml"), versions(ENGINES), git_said.decode("utf-8", "replace") if git_said else None,
    )


def last(cache: Cache, build_key: str) -> dict[str, Any] | None:
    """What the last build printed and its exit code, when nothing it read or wrote has changed since; else None."""
    entry = cache.hit(WHOLE, build_key)
    data = entry.get("data") if entry else None
    if not isinstance(data, dict) or not isinstance(data.get("code"), int) or not all(
            isinstance(data.get(stream), list) and all(isinstance(line, str) for line in data[stream])
            for stream in ("stderr", "stdout")):
        return None
    return data


def remember(cache: Cache, build_key: str, code: int, stderr: list[str], stdout: list[str]) -> None:
    """Keep this build, which made everything it was asked for, as the one the next may repeat."""
    cache.remember(WHOLE, build_key, {"code": code, "stderr": stderr, "stdout": stdout, "outputs": len(cache.vouched)})


def forget(cache: Cache) -> None:
    """This build did not make everything it was asked for: the next one runs in full."""
    cache.forget(WHOLE)
