"""Running git for the parts that read a repository's history.

One way to call it: never taking an optional lock (a build must not get in the way of
someone committing), paths printed as they are (not quoted octal escapes), and git's
messages in English whatever the machine's locale.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

_ENVIRONMENT = {"GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


def run(root: Path, *args: str, stdin: bytes | None = None, timeout: float | None = None) -> subprocess.CompletedProcess[bytes]:
    """git in `root`; raises OSError when git is missing, and the caller reads the exit code."""
    return subprocess.run(
        ["git", "-C", str(root), "-c", "core.quotepath=off", *args],
        input=stdin, capture_output=True, env={**os.environ, **_ENVIRONMENT}, timeout=timeout, check=False,
    )


def output(root: Path, *args: str, stdin: bytes | None = None, timeout: float | None = None) -> bytes | None:
    """git's output, or None when git is missing, fails or takes longer than `timeout` seconds."""
    try:
        done = run(root, *args, stdin=stdin, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
