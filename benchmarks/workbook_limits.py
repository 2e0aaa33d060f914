"""Time and memory of `sarflow import action-plan` on each hostile workbook of tests/hostile.py.

Builds the worked example's workbooks, makes each hostile file from the busiest IMR's
Action Plan, imports it (without --write) under /usr/bin/time -v and prints the wall
time, peak memory and the first line of what sarflow said. The figures before and
after the limits of sarflow.imports.guard are in workbook_limits.md beside this file.

    .venv/bin/python benchmarks/workbook_limits.py                 # this checkout
    .venv/bin/python benchmarks/workbook_limits.py --code OLD/scripts  # another checkout's sarflow
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from sarflow.cli import main
from sarflow.load import load
from sarflow.outputs import imr_dir
from sarflow.xlsx.layout import ACTION_PLAN_FILE

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile  # noqa: E402 - found only once tests/ is on the path: the builders live with the tests that use them


def files(folder: Path) -> tuple[str, list[tuple[str, Path]]]:
    """The target REVIEW/AGENCY and each hostile workbook, built under `folder`."""
    assert main(["--root", str(ROOT), "build", "--only", "xlsx", "--out", str(folder / "build")]) == 0
    imr = max(load(ROOT).imrs(), key=lambda i: len(i.actions))
    source = imr_dir(folder / "build", imr.review_id, imr.agency_id) / ACTION_PLAN_FILE
    secret = folder / "secret.txt"
    secret.write_text("not for the workbook", encoding="utf-8")
    made = [
        ("as built (for comparison)", source),
        ("2 million empty cells", hostile.empty_cells(source, folder / "empty.xlsx")),
        ("billion laughs", hostile.billion_laughs(source, folder / "laughs.xlsx")),
        ("external entity", hostile.external_entity(source, folder / "entity.xlsx", secret)),
        ("zip bomb (20 MB of zeros)", hostile.zip_bomb(source, folder / "bomb.xlsx")),
    ]
    return f"{imr.review_id}/{imr.agency_id}", made


def measure(book: Path, target: str, code: Path) -> tuple[float, int, str]:
    """Wall seconds, peak resident kilobytes and sarflow's first line of output."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "sarflow", "--root", str(ROOT),
               "import", "action-plan", str(book), target]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    memory = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    assert wall and memory, result.stderr
    hours, minutes, seconds = (float(g or 0) for g in wall.groups())
    said = next((line for line in (result.stdout + result.stderr).splitlines() if line.strip()), "")
    return hours * 3600 + minutes * 60 + seconds, int(memory.group(1)), said


def run() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    options.add_argument("--code", type=Path, default=ROOT / "scripts", help="the scripts/ folder whose sarflow to measure")
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        target, made = files(Path(tmp))
        print(f"{'workbook':28} {'size':>9} {'wall s':>7} {'peak MB':>8}  what sarflow said")
        for name, book in made:
            seconds, kilobytes, said = measure(book, target, args.code)
            said = said.replace(str(book), "FILE")
            print(f"{name:28} {book.stat().st_size // 1024:>6} KB {seconds:>7.1f} {kilobytes / 1024:>8.0f}  {said[:110]}")


if __name__ == "__main__":
    run()
