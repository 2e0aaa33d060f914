"""How many processes a command runs at once: `--jobs` of `sarflow build` and `sarflow check`, and its default."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def count(what: str) -> Callable[[str], int]:
    """The type of a `--jobs` argument: a whole number, 1 or more, of `what` ("IMRs to build") done at once."""

    def parsed(text: str) -> int:
        if not text.strip().isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of {what} at once: write 1 or more, e.g. --jobs 2")
        return int(text)

    return parsed
