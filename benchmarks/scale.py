"""The scale benchmark: a board's repository of 30 reviews x 8 IMRs, timed stage by stage.

Prints each figure beside its baseline (the worked example: 1 review, 3 IMRs) so a
change in cost per IMR shows at once. Run with `make benchmark`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from corpus import ROOT, generate

from sarflow.load import load


def timed(step: Callable[[], object], repeat: int = 3) -> float:
    """The best of `repeat` runs, in seconds (the least disturbed by the rest of the machine)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reviews", type=int, default=30)
    parser.add_argument("--imrs", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = generate(Path(tmp) / "corpus", args.reviews, args.imrs)
        baseline_imrs = len(load(ROOT).imrs())
        scale_imrs = len(load(corpus).imrs())
        rows = [("load", timed(lambda: load(ROOT)), timed(lambda: load(corpus)))]
    print(f"{'stage':<12}{'baseline':>22}{'board scale':>26}{'ms per IMR':>16}")
    print(f"{'':<12}{f'({baseline_imrs} IMRs)':>22}{f'({scale_imrs} IMRs)':>26}{'base / scale':>16}")
    for stage, base, scale in rows:
        print(
            f"{stage:<12}{base * 1000:>20.1f}ms{scale * 1000:>24.1f}ms"
            f"{base * 1000 / baseline_imrs:>8.1f} / {scale * 1000 / scale_imrs:.1f}"
        )


if __name__ == "__main__":
    main()
