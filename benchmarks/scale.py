"""The board-scale benchmark: whole `sarflow` processes on a generated board, each beside
its bare engines doing the same work, so that what sarflow adds shows as a ratio.

    make benchmark                                  # 30 reviews x 8 IMRs, 3 runs each
    cd benchmarks && ../.venv/bin/python scale.py --reviews 2 --imrs 3 --runs 1   # a quick look

Every figure is the median of `--runs` runs of a whole process (wall and CPU seconds, the
CPU of the processes it starts included) with the peak memory of its largest process
(pandoc's, in a build), measured in the same run of this script. A measure and its baseline
are run in turn, one run of each a round (`interleaved`): a shared machine that slows down or
speeds up while the benchmark runs (by a sixth, between one quarter-hour and the next) then
weighs on both alike, rather than on whichever was measured in the slower minutes.

- `sarflow --version` against Python starting and doing nothing.
- `sarflow check`, cold (nothing kept in the corpus's build/.cache), against a process that
  parses the same YAML with PyYAML's C loader and reads the same Markdown (the bare parse);
  then check again with nothing changed (each review's findings found in the cache); and
  `sarflow check FILE` for one narrative, cold and just after an edit to it (as the pre-commit
  hook runs it: the other reviews' findings, and who they name, kept), against the bare parse
  of that file's review (what it checks), to show that it reads no other review.
- `sarflow build`, cold, against the bare engines on the same inputs, at the same
  parallelism (`--jobs`): the very pandoc calls the build made (recorded once, replayed),
  openpyxl writing the same cells into plain workbooks, and `mkdocs build` on the pages
  the build staged.
- a rebuild with nothing changed, against the bare parse; a rebuild after a sentence is
  added to one IMR's narrative, against the pandoc calls that rebuild makes (recorded once
  beside the cold build's: one reading and one writing of that IMR's report) and the site
  build, which is the issue's target (one pandoc run + one site build + 1 s). Each starts
  RACY_SECONDS after the files it reads were last written, as a user's next build would, so
  that the cache's remembered fingerprints are used (sarflow.cache).

The machine should be quiet: the figures are wall times of processes on its cores.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import operator
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus import generate
from sarflow.cache import RACY_SECONDS
from sarflow.jobs import cores

PYTHON = sys.executable
SARFLOW = [PYTHON, "-c", "import sys; from sarflow.cli import main; sys.exit(main(sys.argv[1:]))"]
TIME = "/usr/bin/time"  # GNU time: wall and CPU of a process and what it started, and the peak of the largest of them


@dataclass(frozen=True)
class Figure:
    """The medians of several runs of one process."""

    wall: float
    cpu: float
    peak_mb: float

    def __add__(self, other: Figure) -> Figure:
        """Work done one after the other: the times add up, the peak is the larger."""
        return Figure(self.wall + other.wall, self.cpu + other.cpu, max(self.peak_mb, other.peak_mb))


def _nothing(_: int) -> None:
    pass


@dataclass(frozen=True)
class Measure:
    """A process to time, and what to do before each run of it (called with the run's number)."""

    command: Sequence[str]
    before: Callable[[int], object] = _nothing


def interleaved(measures: Sequence[Measure], runs: int) -> list[Figure]:
    """The medians of `runs` runs of each measure, in rounds of one run of each, in the order given."""
    taken: list[list[tuple[float, float, float]]] = [[] for _ in measures]
    for n in range(runs):
        for measure, times in zip(measures, taken, strict=True):
            measure.before(n)
            times.append(_timed(measure.command))
    return [Figure(*(statistics.median(run[k] for run in times) for k in range(3))) for times in taken]


def _timed(command: Sequence[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MB of one run of `command`."""
    done = subprocess.run([TIME, "-f", "%e %U %S %M", *command], capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):  # 1: check's findings, or a build marked as made from files with errors
        raise SystemExit(f"{' '.join(command[:4])} failed:\n{done.stderr[-2000:]}")
    wall, user, system, peak = done.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(peak) / 1024


def compared(name: str, ours: Measure, baseline: str, parts: Sequence[Measure], runs: int) -> tuple[str, Figure, str, Figure]:
    """One row of the table: our measure and its baseline (the sum of its parts, run one after the other), interleaved."""
    mine, *theirs = interleaved([ours, *parts], runs)
    return name, mine, baseline, functools.reduce(operator.add, theirs)


def settle(_: int) -> None:
    """Wait until what was just written is old enough for the cache to remember its fingerprint."""
    time.sleep(RACY_SECONDS)


def commit(folder: Path) -> None:
    """Make the corpus a git repository, so that the versions and the history the outputs read are there."""
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-qm", "corpus"]):
        subprocess.run(["git", *command], cwd=folder, check=True)


def record(corpus: Path, out: Path) -> list[tuple[list[str], bytes]]:
    """Build once in this process with every pandoc call recorded: its command line and its input."""
    from sarflow.cli import main
    from sarflow.word import pandoc

    calls: list[tuple[list[str], bytes]] = []
    real, engine = subprocess.run, pandoc.executable()

    def recording(command: list[str], **options: Any) -> subprocess.CompletedProcess[bytes]:
        if command[0] == engine:
            calls.append((list(command), options.get("input") or b""))
        return real(command, **options)

    subprocess.run = recording  # for this one build, in the benchmark's own process
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            main(["--root", str(corpus), "build", "--out", str(out), "--jobs", "1"])
    finally:
        subprocess.run = real
    return calls


def cells(out: Path) -> list[list[tuple[str, list[tuple[int, int, Any]]]]]:
    """Every built workbook as its sheets' names and filled cells (formulas as their text)."""
    from openpyxl import load_workbook

    books = []
    for path in sorted(out.rglob("*.xlsx")):
        book = load_workbook(path)
        books.append([(ws.title, [(c.row, c.column, c.value) for row in ws.iter_rows() for c in row if c.value is not None]) for ws in book])
    return books


# The bare engines, each run as a process of its own: `scale.py --bare KIND FILE`.

def bare_parse(folder: Path) -> None:
    """Parse every YAML file under `folder` (the board's, or one review's) with PyYAML's C loader and read every Markdown file."""
    import yaml

    for path in sorted(folder.rglob("*")):
        if path.suffix == ".yml":
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        elif path.suffix == ".md":
            path.read_text(encoding="utf-8")


def bare_pandoc(calls_file: Path) -> None:
    """Make the recorded pandoc calls again, as many at once as the build made them (JOBS)."""
    calls = pickle.loads(calls_file.read_bytes())
    with ThreadPoolExecutor(max_workers=int(os.environ["JOBS"])) as pool:
        list(pool.map(lambda call: subprocess.run(call[0], input=call[1], capture_output=True, check=True), calls))


def bare_openpyxl(cells_file: Path) -> None:
    """Write the recorded cells into plain workbooks, as openpyxl does with no styles or checks."""
    from openpyxl import Workbook

    target = cells_file.with_suffix(".d")
    target.mkdir(exist_ok=True)
    for n, sheets in enumerate(pickle.loads(cells_file.read_bytes())):
        book = Workbook()
        book.remove(book.active)
        for title, filled in sheets:
            ws = book.create_sheet(title)
            for row, col, value in filled:
                ws.cell(row, col).value = value
        book.save(target / f"{n}.xlsx")


BARE = {"parse": bare_parse, "pandoc": bare_pandoc, "openpyxl": bare_openpyxl}


def bare(kind: str, path: Path) -> list[str]:
    return [PYTHON, __file__, "--bare", kind, str(path)]


def table(rows: list[tuple[str, Figure, str, Figure]], title: str) -> str:
    """The figures, one measure a line: sarflow's, its baseline's, and how many times the baseline each takes."""
    head = f"{'measure':<32}{'wall s':>8}{'cpu s':>8}{'peak MB':>9}   {'baseline':<44}{'wall s':>8}{'cpu s':>8}{'peak MB':>9}"
    lines = [title, "", f"{head}{'wall x':>8}{'cpu x':>8}"]
    for name, ours, baseline_name, theirs in rows:
        figures = [f"{f.wall:>8.2f}{f.cpu:>8.2f}{f.peak_mb:>9.0f}" for f in (ours, theirs)]
        ratios = f"{ours.wall / max(theirs.wall, 0.01):>7.2f}x{ours.cpu / max(theirs.cpu, 0.01):>7.2f}x"  # /usr/bin/time rounds to 0.01 s
        lines.append(f"{name:<32}{figures[0]}   {baseline_name:<44}{figures[1]}{ratios}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reviews", type=int, default=30)
    parser.add_argument("--imrs", type=int, default=8, help="IMRs in each review")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure (the median is shown)")
    parser.add_argument("--jobs", type=int, default=cores(), help="IMRs built at once, and pandoc calls replayed at once")
    parser.add_argument("--bare", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        BARE[args.bare[0]](Path(args.bare[1]))
        return
    with tempfile.TemporaryDirectory(prefix="sarflow-benchmark-") as tmp:
        work = Path(tmp)
        corpus = generate(work / "corpus", args.reviews, args.imrs)
        commit(corpus)
        out, recorded = work / "build", work / "recorded"
        narrative = next((corpus / "reviews").glob("*/*/narrative.md"))

        def edit(n: int) -> None:
            with narrative.open("a", encoding="utf-8") as text:
                text.write(f"\nOne more sentence, number {n + 1}.\n")

        calls = record(corpus, recorded)
        edit(-1)
        again = record(corpus, recorded)  # the calls of a rebuild after the edit: only that IMR's report
        (work / "calls").write_bytes(pickle.dumps(calls))
        (work / "one-imr").write_bytes(pickle.dumps(again))
        (work / "cells").write_bytes(pickle.dumps(cells(recorded / "reviews")))
        config = next(recorded.glob("*.yml"))
        mkdocs = [PYTHON, "-m", "mkdocs", "build", "--quiet", "--clean", "-f", str(config), "-d", str(work / "bare-site")]
        os.environ |= {"NO_MKDOCS_2_WARNING": "1", "JOBS": str(args.jobs)}

        check = [*SARFLOW, "--root", str(corpus), "check"]
        build = [*SARFLOW, "--root", str(corpus), "build", "--out", str(out), "--jobs", str(args.jobs)]
        kept = corpus / "build"  # where check keeps its findings (sarflow.recheck), whatever --out says

        def cold(_: int, folders: Sequence[Path] = (kept,)) -> None:
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)

        def keep(n: int) -> None:
            """Before the first run, one check keeps every review's findings."""
            if n == 0:
                subprocess.run(check, capture_output=True, check=False)

        runs = args.runs
        parse, review = Measure(bare("parse", corpus / "reviews")), Measure(bare("parse", narrative.parent.parent))
        site = Measure(mkdocs)
        engines = [Measure(bare("pandoc", work / "calls")), Measure(bare("openpyxl", work / "cells")), site]
        rows = [
            compared("sarflow --version", Measure([*SARFLOW, "--version"]), "Python starting", [Measure([PYTHON, "-c", "pass"])], runs),
            compared("check, cold", Measure(check, cold), "PyYAML C parse + Markdown read", [parse], runs),
            compared("check, nothing changed", Measure(check, keep), "the same bare parse", [parse], runs),
            compared("check FILE, cold", Measure([*check, str(narrative)], cold), "the bare parse of its review", [review], runs),
            compared("check FILE, just edited", Measure([*check, str(narrative)], lambda n: (keep(n), edit(100 + n))),
                     "the bare parse of its review", [review], runs),
            compared("build, cold", Measure(build, lambda n: cold(n, (kept, out))),
                     "pandoc calls + openpyxl cells + mkdocs build", engines, runs),
            compared("rebuild, nothing changed", Measure(build, settle), "the bare parse", [parse], runs),
            compared("rebuild, one narrative edited", Measure(build, lambda n: (edit(n), settle(n))),
                     f"that rebuild's {len(again)} pandoc calls + mkdocs build", [Measure(bare("pandoc", work / "one-imr")), site], runs),
        ]
        imrs = args.reviews * args.imrs
        print(table(rows, f"{args.reviews} reviews x {args.imrs} IMRs ({imrs} IMRs, {len(calls)} pandoc calls), "
                          f"median of {runs} run(s) each, {args.jobs} at once on {cores()} cores"))


if __name__ == "__main__":
    main()
