"""How often Python's cycle collector runs while a command works.

What sarflow holds (the model of a board, pandoc's trees of a report, a workbook's cells)
is millions of small objects with no cycles among them: each is freed as soon as nothing
uses it, without the collector. By default the collector still runs every 700 new objects,
and every so often walks every object alive, the whole model included; on a board of 240
IMRs that was about a tenth of a build's CPU and of check's. A command runs it a hundred
times less often, which costs no memory that matters (the peak of a build of that board
did not move).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

THRESHOLDS = (100_000, 50, 100)  # new objects before a young collection; young ones before each older one


@contextlib.contextmanager
def seldom() -> Iterator[None]:
    """The collector run seldom for the time of the block, then as it was."""
    kept = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*kept)
