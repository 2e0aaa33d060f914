"""The resource limits: each hostile input of issue 10, built in a throwaway copy of the worked
example, with the outcome, the time and the peak memory.

Each case writes its input into one IMR (or into the git history), runs the real command
(`sarflow build` or `sarflow check`) in a child process and prints what it printed first
about that input, how many of the example's Word reports were still built, the wall-clock
and CPU time and the peak memory of the largest process (sarflow or pandoc). The child
runs under an address-space cap (--cap-gb) and a time-out so that the version without
limits cannot take the machine down: "killed at the cap" is then the outcome.

`.venv/bin/python benchmarks/limits.py` measures this checkout. For the figures before a
change, measure another version's code the same way: `git worktree add /tmp/before <commit>`,
then `PYTHONPATH=/tmp/before/scripts .venv/bin/python benchmarks/limits.py` (the child
imports sarflow from there). `--case NAME` runs one case; `--list` names them.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMR = "reviews/adult-a/acute-trust"
MB = 1024 * 1024


@dataclass
class Run:
    code: int | None
    seconds: float
    cpu: float
    peak_mb: float
    said: str
    reports: int


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, rows: Callable[[int], bytes], colour: int = 2, depth: int = 8) -> bytes:
    """A valid PNG whose scanlines come from `rows(y)` (filter byte included)."""
    squeeze = zlib.compressobj(1)
    data = b"".join(squeeze.compress(rows(y)) for y in range(height)) + squeeze.flush()
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def noise_png(target_bytes: int) -> bytes:
    """A picture of random pixels (incompressible) of about `target_bytes`."""
    side = int((target_bytes / 3) ** 0.5) - 2
    generator = random.Random(10)
    return png(side, side, lambda _: b"\x00" + generator.randbytes(side * 3))


def copy_example(folder: Path, git: bool = False) -> Path:
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    if git:
        commit(folder, "the example")
    return folder


def commit(folder: Path, message: str) -> None:
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", message]):
        subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
                        "-c", "commit.gpgsign=false", *command], cwd=folder, check=True)


# Each case: (what it is, prepare(folder) -> the sarflow arguments after --root).
def footnotes(folder: Path) -> list[str]:
    """1.3 MB narrative: one footnote of 60,000 words referred to 200,000 times."""
    (folder / IMR / "narrative.md").write_text("[^a] " * 200_000 + "\n\n[^a]: " + "word " * 60_000 + "\n")
    return ["build", "--only", "docx"]


def brackets(folder: Path) -> list[str]:
    """A narrative of a million `[`."""
    (folder / IMR / "narrative.md").write_text("[" * 1_000_000 + "\n")
    return ["build", "--only", "docx"]


def pictures(folder: Path) -> list[str]:
    """100 references to one 9.9 MB picture."""
    (folder / IMR / "plan.png").write_bytes(noise_png(int(9.9 * MB)))
    (folder / IMR / "narrative.md").write_text("".join(f"Plan {i}: ![plan](plan.png)\n\n" for i in range(100)))
    return ["build", "--only", "docx"]


def pixels(folder: Path) -> list[str]:
    """A 20,000 x 20,000 pixel picture of 60 kB (a black square: it decompresses to 400 million pixels)."""
    width = 20_000
    row = b"\x00" + bytes((width + 7) // 8)
    (folder / IMR / "square.png").write_bytes(png(width, width, lambda _: row, colour=0, depth=1))
    (folder / IMR / "narrative.md").write_text("The square: ![square](square.png)\n")
    return ["build", "--only", "docx"]


def history(folder: Path) -> list[str]:
    """A 52 MB actions.yml committed once, then put back: the site's history reads every version."""
    actions = folder / IMR / "actions.yml"
    original = actions.read_text()
    item = "  - no: {n}\n    recommendation: Recommendation {n}\n    status: Not started\n"
    count = 52 * MB // len(item.format(n=100_000))
    actions.write_text("actions:\n" + "".join(item.format(n=n) for n in range(1, count + 1)))
    commit(folder, "a pasted plan")
    actions.write_text(original)
    commit(folder, "the plan put back")
    return ["build", "--only", "site"]


def large_yaml(folder: Path) -> list[str]:
    """A 30 MB chronology.yml (the loader's size limit)."""
    entry = "  - date: 2024-01-01\n    source: GP record\n    event: Seen in clinic\n"
    (folder / IMR / "chronology.yml").write_text("entries:\n" + entry * (30 * MB // len(entry)))
    return ["check"]


def deep_yaml(folder: Path) -> list[str]:
    """A chronology.yml nested 100,000 lists deep, in 200 kB."""
    (folder / IMR / "chronology.yml").write_text("entries: " + "[" * 100_000 + "]" * 100_000 + "\n")
    return ["check"]


def large_markdown(folder: Path) -> list[str]:
    """A 3 MB narrative.md (the loader's size limit, for Markdown)."""
    (folder / IMR / "narrative.md").write_text("A sentence of the narrative.\n" * (3 * MB // 29))
    return ["check"]


def heading_spaces(folder: Path) -> list[str]:
    """A heading line with 200,000 spaces before its last word (the loader's heading pattern)."""
    (folder / IMR / "narrative.md").write_text("## Q1 The" + " " * 200_000 + "answer\n\nText.\n")
    return ["check"]


def capitals(folder: Path) -> list[str]:
    """One abbreviation written 50,000 times (the abbreviation rule)."""
    (folder / IMR / "narrative.md").write_text("ZQX " * 50_000 + "\n")
    return ["check"]


def example(folder: Path) -> list[str]:
    """The worked example's Word reports, unchanged (what the limits cost a normal build)."""
    return ["build", "--only", "docx"]


def example_site(folder: Path) -> list[str]:
    """The worked example's site, committed once (the history case without its large file)."""
    return ["build", "--only", "site"]


CASES: dict[str, Callable[[Path], list[str]]] = {
    "footnotes": footnotes,
    "brackets": brackets,
    "pictures": pictures,
    "pixels": pixels,
    "history": history,
    "large-yaml": large_yaml,
    "deep-yaml": deep_yaml,
    "large-markdown": large_markdown,
    "heading-spaces": heading_spaces,
    "capitals": capitals,
    "example": example,
    "example-site": example_site,
}
GIT_CASES = {"history", "example-site"}


def run(python: str, folder: Path, args: list[str], cap_gb: float, timeout: float) -> Run:
    """Run sarflow in `folder` under the caps; the peak is the largest process of its tree."""
    cap = int(cap_gb * 1024 * MB)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    command = [python, "-m", "sarflow", "--root", str(folder), *args]
    if args[0] == "build":
        command += ["--out", str(folder / "build")]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=limit,
                             start_new_session=True)
    timer = threading.Timer(timeout, lambda: os.killpg(child.pid, signal.SIGKILL))
    timer.start()
    assert child.stdout is not None
    printed = child.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    timer.cancel()
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code
    reports = len(list((folder / "build" / "reviews").rglob("*.docx")))
    return Run(code, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, said_about(printed), reports)


def said_about(printed: str) -> str:
    """The last error or warning about the hostile input (an output's comes after check's), else the last line."""
    lines = [line for line in printed.splitlines() if line.strip()]
    about = [line for line in lines if IMR in line and ("error[" in line or "warning[" in line)]
    return (about or lines or [""])[-1][:240]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", action="append", choices=CASES, help="run only this case (repeatable)")
    parser.add_argument("--list", action="store_true", help="name the cases and what each writes")
    parser.add_argument("--cap-gb", type=float, default=6.0, help="address-space cap of the child (default 6)")
    parser.add_argument("--timeout", type=float, default=600.0, help="kill the child after this many seconds")
    parser.add_argument("--python", default=sys.executable, help="the interpreter whose sarflow is measured")
    args = parser.parse_args()
    if args.list:
        for name, prepare in CASES.items():
            print(f"{name:<15}{(prepare.__doc__ or '').strip()}")
        return
    print(f"sarflow of {args.python}; cap {args.cap_gb:g} GB, time-out {args.timeout:g} s")
    print(f"{'case':<15}{'exit':>5}{'wall s':>9}{'cpu s':>8}{'peak MB':>9}{'reports':>8}  what it said about the input")
    for name in args.case or list(CASES):
        with tempfile.TemporaryDirectory() as tmp:
            folder = copy_example(Path(tmp) / "repo", git=name in GIT_CASES)
            command = CASES[name](folder)
            result = run(args.python, folder, command, args.cap_gb, args.timeout)
        killed = " (killed at the time-out)" if result.seconds >= args.timeout else ""
        print(f"{name:<15}{result.code!s:>5}{result.seconds:>9.1f}{result.cpu:>8.1f}{result.peak_mb:>9.0f}"
              f"{result.reports:>8}  {result.said}{killed}", flush=True)


if __name__ == "__main__":
    main()
