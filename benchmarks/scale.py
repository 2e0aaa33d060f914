"""The scale benchmark: a board's repository of 30 reviews x 8 IMRs, timed stage by stage
(load, check, and each output builder, run in this process, one after the other).

Prints each figure beside its baseline (the worked example: 1 review, 3 IMRs) so a
change in cost per IMR shows at once. Run with `make benchmark`.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from corpus import ROOT, generate
from sarflow.check import check
from sarflow.commands.build import builders
from sarflow.findings import Severity
from sarflow.load import load


def timed(step: Callable[[], object], repeat: int = 3) -> float:
    """The best of `repeat` runs, in seconds (the least disturbed by the rest of the machine).

    A builder that reports an error has not done the work being timed: that stops the run.
    """
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        best = min(best, time.perf_counter() - start)
        if isinstance(result, list) and (errors := [f for f in result if f.severity is Severity.ERROR]):
            raise SystemExit(f"the benchmark's build failed: {errors[0]}")
    return best


def commit(folder: Path) -> None:
    """Make the corpus a git repository, so that the history the site reads is there too."""
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-qm", "corpus"]):
        subprocess.run(["git", *command], cwd=folder, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reviews", type=int, default=30)
    parser.add_argument("--imrs", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = generate(Path(tmp) / "corpus", args.reviews, args.imrs)
        commit(corpus)
        base_repo, scale_repo = load(ROOT), load(corpus)
        if problems := scale_repo.all_findings():
            raise SystemExit(f"the generated corpus does not load cleanly: {problems[0]}")
        baseline_imrs, scale_imrs = len(base_repo.imrs()), len(scale_repo.imrs())
        rows = [
            ("load", timed(lambda: load(ROOT)), timed(lambda: load(corpus))),
            ("check", timed(lambda: check(base_repo)), timed(lambda: check(scale_repo))),
        ]
        out = Path(tmp) / "out"
        for kind, build in builders().items():  # one run each: the outputs take minutes at scale
            rows.append(
                (
                    kind,
                    timed(lambda build=build: build(base_repo, base_repo.imrs(), out / "base"), repeat=1),
                    timed(lambda build=build: build(scale_repo, scale_repo.imrs(), out / "scale"), repeat=1),
                )
            )
    print(f"{'stage':<12}{'baseline':>22}{'board scale':>26}{'ms per IMR':>16}")
    print(f"{'':<12}{f'({baseline_imrs} IMRs)':>22}{f'({scale_imrs} IMRs)':>26}{'base / scale':>16}")
    for stage, base, scale in rows:
        print(
            f"{stage:<12}{base * 1000:>20.1f}ms{scale * 1000:>24.1f}ms"
            f"{base * 1000 / baseline_imrs:>8.1f} / {scale * 1000 / scale_imrs:.1f}"
        )


if __name__ == "__main__":
    main()
