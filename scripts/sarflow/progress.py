"""How far a long build has got, on standard error: a bar in a terminal, plain lines in CI.

A board's build makes hundreds of Word reports and workbooks, which takes minutes: the
person who started it, and the CI log, should see that it is moving. In a terminal
(standard error is one, and the CI variable that GitHub Actions and most CI services set
is not) one line is redrawn in place, a bar and a count, and cleared at the end so that
the build's own messages read as before. Kinds of output made at the same time (the Word
reports and the workbooks) share that line, one bar for them all and a count for each, as
`[####------] built 120 of 240 Word reports; built 300 of 540 workbooks`. Anywhere else (a
CI log, a file) nothing can be redrawn, so a plain line is printed at each tenth of the way of
each kind, such as `sarflow build: built 120 of 240 Word reports`, and a log stays short.

Fewer than FEW outputs of a kind show nothing: they are made in seconds.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from types import TracebackType
from typing import TextIO

FEW = 10
WIDTH = 30  # the bar's characters
REDRAW = 0.1  # seconds between redrawings of the bar, at most

_DRAWING = threading.Lock()  # held while a line is drawn, and while the bars on it change
_BARS: dict[int, list[Progress]] = {}  # the bars drawn on each terminal's line (by id of its stream), in order


def in_terminal(stream: TextIO) -> bool:
    """Whether the bar can be drawn: `stream` is a terminal that can move back along a line, outside CI."""
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError):  # a closed or a stand-in stream
        return False
    under_ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return interactive and not under_ci and os.environ.get("TERM") != "dumb"


class Progress:
    """Counts the outputs of one kind made so far (`what`, plural: "Word reports") out of `total`.

    Use it as a context manager and call `made()` once for each output, from any thread."""

    def __init__(self, what: str, total: int, stream: TextIO | None = None) -> None:
        self.what, self.total, self.count = what, total, 0
        self.stream = stream or sys.stderr
        self.shown = total >= FEW
        self.bar = self.shown and in_terminal(self.stream)
        self._lock = threading.Lock()
        self._drawn = 0.0

    def __enter__(self) -> Progress:
        if self.bar:
            with _DRAWING:
                _BARS.setdefault(id(self.stream), []).append(self)
                self._draw()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None) -> None:
        if self.bar:
            with _DRAWING:
                sharing = _BARS[id(self.stream)]
                sharing.remove(self)
                if sharing:
                    self._draw()  # the others' counts, without this one's
                else:
                    del _BARS[id(self.stream)]
                    self.stream.write("\r\x1b[K")  # the line cleared, the cursor back at its start
                    self.stream.flush()

    def made(self, outputs: int = 1) -> None:
        """One more output made (or `outputs` more)."""
        with self._lock:
            self.count += outputs
            if not self.shown:
                return
            if self.bar:
                if self.count == self.total or time.monotonic() - self._drawn >= REDRAW:
                    with _DRAWING:
                        self._draw()
            elif self.count * 10 // self.total > (self.count - outputs) * 10 // self.total:  # a tenth further
                print(f"sarflow build: {self.said()}", file=self.stream, flush=True)

    def said(self) -> str:
        return f"built {self.count} of {self.total} {self.what}"

    def _draw(self) -> None:
        """The line again, with the count of every kind on it (called holding _DRAWING)."""
        sharing = _BARS.get(id(self.stream), [])
        count, total = sum(bar.count for bar in sharing), sum(bar.total for bar in sharing)
        full = WIDTH * count // max(1, total)
        self.stream.write(f"\r[{'#' * full}{'-' * (WIDTH - full)}] {'; '.join(bar.said() for bar in sharing)}\x1b[K")
        self.stream.flush()
        self._drawn = time.monotonic()
