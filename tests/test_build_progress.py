"""A long build shows how far it has got: a bar redrawn in a terminal, plain lines in CI or a log.

The terminal is a real pseudo-terminal (pty) on the build's standard error, as when a
person runs `sarflow build`; the log is the same build with standard error captured,
as a CI runner captures it.
"""

from __future__ import annotations

import importlib.util
import io
import os
import pty
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sarflow.cli import main
from sarflow.progress import FEW, Progress

ROOT = Path(__file__).resolve().parents[1]
REVIEWS, IMRS = 2, 5  # ten Word reports, and 2 workbooks for each IMR and each review
WORKBOOKS = 2 * (REVIEWS * IMRS + REVIEWS)
LINE = re.compile(r"^sarflow build: built (\d+) of (\d+) (Word reports|workbooks)$", re.M)


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A board of ten IMRs, made by the benchmark's corpus generator."""
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec and spec.loader
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    return Path(corpus.generate(tmp_path_factory.mktemp("board") / "repo", REVIEWS, IMRS))


def in_a_terminal(board: Path, out: Path, **env: str) -> str:
    """What `sarflow build --only xlsx` writes to standard error when it is a terminal."""
    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "CI"} | {"TERM": "xterm"} | env
    with subprocess.Popen([sys.executable, "-m", "sarflow", "--root", str(board), "build", "--only", "xlsx", "--out", str(out)],
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower, env=environment) as process:
        os.close(follower)
        said = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end closed: the build is over
                break
            if not chunk:
                break
            said += chunk
        assert process.wait(timeout=120) in (0, 1)
    os.close(leader)
    return said.decode("utf-8", "replace")


@pytest.mark.parametrize("ci", [None, "false"])
def test_in_a_terminal_a_bar_is_redrawn_in_place_and_cleared(board: Path, tmp_path: Path, ci: str | None) -> None:
    said = in_a_terminal(board, tmp_path, **({"CI": ci} if ci else {}))
    assert f"] built {WORKBOOKS} of {WORKBOOKS} workbooks" in said
    assert re.search(r"\r\[#*-*\] built \d+ of \d+ workbooks", said)
    assert "\r\x1b[K" in said, "the bar is cleared at the end"
    assert not LINE.search(said.replace("\r", "\n")), "no plain lines in a terminal"


@pytest.mark.parametrize("ci", ["true"])
def test_in_a_terminal_under_ci_plain_lines_are_printed(board: Path, tmp_path: Path, ci: str) -> None:
    said = in_a_terminal(board, tmp_path, CI=ci).replace("\r\n", "\n")
    assert "\x1b[K" not in said
    counts = [int(m[1]) for m in LINE.finditer(said)]
    assert counts[-1] == WORKBOOKS and len(counts) == 10


def test_in_a_log_each_tenth_is_a_plain_line(board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)  # not a terminal is enough
    main(["--root", str(board), "build", "--only", "docx", "--only", "xlsx", "--out", str(tmp_path), "--jobs", "2"])
    err = capsys.readouterr().err
    assert "\r" not in err and "\x1b" not in err
    found = LINE.findall(err)
    reports = [int(n) for n, total, what in found if what == "Word reports" and int(total) == REVIEWS * IMRS]
    workbooks = [int(n) for n, total, what in found if what == "workbooks" and int(total) == WORKBOOKS]
    assert reports == list(range(1, REVIEWS * IMRS + 1))
    assert len(workbooks) == 10 and workbooks == sorted(workbooks) and workbooks[-1] == WORKBOOKS
    assert len(found) == len(reports) + len(workbooks)


def test_a_few_outputs_show_no_progress() -> None:
    stream = io.StringIO()
    with Progress("Word reports", FEW - 1, stream) as progress:
        for _ in range(FEW - 1):
            progress.made()
    assert stream.getvalue() == ""


@pytest.mark.parametrize("total", [FEW, 17, 240, 1001])
def test_outputs_made_on_many_threads_are_counted_once_each_in_ten_lines(total: int) -> None:
    stream = io.StringIO()
    with Progress("Word reports", total, stream) as progress:
        workers = [threading.Thread(target=lambda n=n: [progress.made() for _ in range(n)])
                   for n in [total // 8] * 7 + [total - 7 * (total // 8)]]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    counts = [int(m[1]) for m in LINE.finditer(stream.getvalue())]
    assert len(counts) == 10 and counts == sorted(set(counts)) and counts[-1] == total
    assert all(counts[i] * 10 // total == i + 1 for i in range(10)), "one line at each tenth"


class Terminal(io.StringIO):
    """What a person's terminal receives."""

    def isatty(self) -> bool:
        return True


def test_kinds_made_at_once_share_one_bar_with_a_count_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    stream = Terminal()
    with Progress("Word reports", 10, stream) as reports:
        with Progress("workbooks", 30, stream) as books:
            reports.made(10)
            part = stream.getvalue().rsplit("\r", 1)[-1]
            books.made(30)
            both = stream.getvalue().rsplit("\r", 1)[-1]
        alone = stream.getvalue().rsplit("\r", 1)[-1]
        assert stream.getvalue().count("\r\x1b[K") == 0, "the line is cleared only when the last kind is done"
    assert part == f"[{'#' * 7}{'-' * 23}] built 10 of 10 Word reports; built 0 of 30 workbooks\x1b[K", "one bar: 10 of 40"
    assert both == f"[{'#' * 30}] built 10 of 10 Word reports; built 30 of 30 workbooks\x1b[K"
    assert alone == f"[{'#' * 30}] built 10 of 10 Word reports\x1b[K", "a kind done leaves the others' counts"
    assert stream.getvalue().endswith("\r\x1b[K")
