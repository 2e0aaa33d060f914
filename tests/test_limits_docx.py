"""Hostile or careless text and pictures stop one IMR's Word report with an error naming the file, never the build.

Each case writes the input of issue 10 into one IMR and builds that IMR's report with
another's: the hostile one is refused with its code, file and line, the other is built,
and nothing is left half written. pandoc's limits are lowered (through the variables an
administrator would use) where the real ones would take minutes to reach; the picture
limits are the real ones.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sarflow import docx as report
from sarflow import limits
from sarflow.cli import main
from sarflow.docx.images import pixels
from sarflow.findings import Finding, Severity
from sarflow.load import load

HOSTILE = "reviews/adult-a/acute-trust"
OTHER = "reviews/adult-a/gp-practice"


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(width: int, height: int, colour: int = 2, depth: int = 8) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))


def build(root: Path) -> list[Finding]:
    """Build the hostile IMR's report and another's; return the errors, having checked what was written."""
    repo = load(root)
    imrs = [imr for imr in repo.imrs() if str(imr.folder).endswith((HOSTILE, OTHER))]
    out = root / "build"
    errors = [f for f in report.build(repo, imrs, out) if f.severity is Severity.ERROR]
    written = sorted(p.relative_to(out / "reviews").as_posix() for p in (out / "reviews").rglob("*") if p.is_file())
    assert written == ["adult-a/gp-practice/SAR12 IMR Riverside Medical Practice.docx"], written
    return errors


def one(errors: list[Finding], code: str, where: str) -> Finding:
    assert [(f.code, str(f.span)) for f in errors] == [(code, where)], [str(f) for f in errors]
    return errors[0]


def test_a_million_brackets_are_stopped_at_the_time_limit(tmp_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.PANDOC_SECONDS.variable, "3")
    (tmp_repo / HOSTILE / "narrative.md").write_text("[" * 1_000_000 + "\n", encoding="utf-8")
    finding = one(build(tmp_repo), "docx-timed-out", f"{HOSTILE}/narrative.md:1:1")
    assert "took longer than 3 seconds" in finding.message and "is not built" in finding.message
    assert "[ characters" in (finding.hint or "") and limits.PANDOC_SECONDS.variable in (finding.hint or "")


def test_a_narrative_of_one_footnote_referred_to_200000_times_is_stopped(tmp_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The 1.3 MB narrative: pandoc copies the note at every reference, and runs until the time limit."""
    monkeypatch.setenv(limits.PANDOC_SECONDS.variable, "5")
    text = "[^a] " * 200_000 + "\n\n[^a]: " + "word " * 60_000 + "\n"
    assert 1.2 * limits.MB < len(text) < limits.FILE_MB() * limits.MB  # the loader takes it
    (tmp_repo / HOSTILE / "narrative.md").write_text(text, encoding="utf-8")
    finding = one(build(tmp_repo), "docx-timed-out", f"{HOSTILE}/narrative.md:1:1")
    assert "footnote referred to again and again" in (finding.hint or "")


def test_a_footnote_that_becomes_too_much_text_is_stopped_at_its_section(tmp_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.PANDOC_TEXT_MB.variable, "1")
    (tmp_repo / HOSTILE / "analysis.md").write_text("[^a] " * 300 + "\n\n[^a]: " + "word " * 300 + "\n", encoding="utf-8")
    finding = one(build(tmp_repo), "docx-too-large", f"{HOSTILE}/analysis.md:1:1")
    assert "more than 1 MB of document text" in finding.message


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_text_too_large_is_the_same_error_when_a_build_s_worker_makes_the_report(
    tmp_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    """With two jobs, each report's text reaches a worker process as pandoc wrote it and is made safe there:
    the limit it came to is found there, and the build says it as the build with one job does."""
    monkeypatch.setenv(limits.PANDOC_TEXT_MB.variable, "1")
    (tmp_repo / HOSTILE / "analysis.md").write_text("[^a] " * 300 + "\n\n[^a]: " + "word " * 300 + "\n", encoding="utf-8")
    assert main(["--root", str(tmp_repo), "build", "--only", "docx", "--jobs", jobs]) == 1
    said = [line for line in capsys.readouterr().err.splitlines() if "docx-too-large" in line]
    assert len(said) == 1 and said[0].startswith(f"{HOSTILE}/analysis.md:1:1: error[docx-too-large]"), said
    assert not list((tmp_repo / "build" / HOSTILE).glob("*.docx"))
    assert list((tmp_repo / "build" / OTHER).glob("*.docx"))


def test_a_report_too_large_to_write_is_stopped_at_the_memory_limit(tmp_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.PANDOC_MEMORY_MB.variable, "32")
    side = 1200  # random pixels: a 4 MB picture that cannot be packed smaller
    rows = b"".join(b"\x00" + bytes((x * 7919 + y * 104729) % 251 for x in range(side * 3)) for y in range(8))
    picture = png_header(side, side) + chunk(b"IDAT", zlib.compress(rows * (side // 8), 0)) + chunk(b"IEND", b"")
    (tmp_repo / HOSTILE / "plan.png").write_bytes(picture)
    (tmp_repo / HOSTILE / "narrative.md").write_text("The plan:\n\n![plan](plan.png)\n", encoding="utf-8")
    imr_yml = load(tmp_repo).review("adult-a").imrs["acute-trust"].at
    finding = one(build(tmp_repo), "docx-out-of-memory", str(imr_yml))
    assert "writing this IMR's Word report" in finding.message and "more than 32 MB of memory" in finding.message
    assert "its largest file is" in (finding.hint or "")


def test_a_hundred_references_to_one_large_picture_are_refused_after_the_reports_total(tmp_repo: Path) -> None:
    with (tmp_repo / HOSTILE / "plan.png").open("wb") as picture:
        picture.write(png_header(1800, 1800))
        picture.truncate(int(9.9 * limits.MB))  # sparse: it is refused before its pixels would matter
    (tmp_repo / HOSTILE / "narrative.md").write_text(
        "".join(f"Plan {i}: ![plan](plan.png)\n\n" for i in range(1, 101)), encoding="utf-8"
    )
    finding = one(build(tmp_repo), "refused-image", f"{HOSTILE}/narrative.md:5:17")  # the third picture
    assert "more than 25 MB" in finding.message and "the 2 shown before it come to 19.8 MB" in finding.message
    assert finding.message.endswith("(and so would 97 more pictures shown after it)")


def test_a_picture_of_400_million_pixels_is_refused(tmp_repo: Path) -> None:
    width = 20_000
    row = b"\x00" + bytes(width // 8)  # one bit a pixel, black: 60 kB that Word would unpack to 1.6 GB
    squeeze = zlib.compressobj(9)
    data = b"".join(squeeze.compress(row) for _ in range(width)) + squeeze.flush()
    square = png_header(width, width, colour=0, depth=1) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    (tmp_repo / HOSTILE / "square.png").write_bytes(square)
    (tmp_repo / HOSTILE / "narrative.md").write_text("A square.\n\nIt is ![square](square.png).\n", encoding="utf-8")
    finding = one(build(tmp_repo), "refused-image", f"{HOSTILE}/narrative.md:3:17")
    assert "is 20,000 × 20,000 pixels, more than the 50 million pixels a picture may have" in finding.message
    assert "fewer pixels" in (finding.hint or "")


def jpeg(width: int, height: int, junk: bytes) -> bytes:
    """A JPEG's header: an APP1 segment of `junk` (which may hold marker-like bytes), then the frame header."""
    app1 = b"\xff\xe1" + struct.pack(">H", len(junk) + 2) + junk
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app1 + b"\xff\xff" + frame + b"\xff\xda"


@given(st.integers(1, 65535), st.integers(1, 65535), st.binary(max_size=40))
def test_the_size_in_pixels_is_read_from_each_kind_of_picture(width: int, height: int, junk: bytes) -> None:
    assert pixels(png_header(width, height), "image/png") == (width, height)
    assert pixels(b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00", "image/gif") == (width, height)
    assert pixels(jpeg(width, height, junk + b"\xff\xc0"), "image/jpeg") == (width, height)


def test_a_picture_without_its_size_is_refused(tmp_repo: Path) -> None:
    (tmp_repo / HOSTILE / "cut.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    (tmp_repo / HOSTILE / "narrative.md").write_text("![cut](cut.jpg)\n", encoding="utf-8")
    finding = one(build(tmp_repo), "refused-image", f"{HOSTILE}/narrative.md:1:8")
    assert "cannot be read as a JPEG picture" in finding.message
