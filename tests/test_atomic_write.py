"""Every output is written whole or not at all (`sarflow.outputs.atomic_write`), with nothing left beside it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from sarflow.outputs import atomic_write


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 the bytes of a workbook", bytes(range(256)) * 5000])
def test_bytes_are_written_whole_readable_by_all_and_nothing_else_is_left(tmp_path: Path, content: bytes) -> None:
    target = tmp_path / "reviews" / "adult-a" / "Action Plan.xlsx"
    assert atomic_write(target, content) == target
    assert target.read_bytes() == content
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert beside(target) == ["Action Plan.xlsx"]


def test_what_a_writer_writes_replaces_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "page.md"
    target.write_text("old", encoding="utf-8")
    atomic_write(target, lambda temporary: temporary.write_text("new £ text", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "new £ text"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert beside(target) == ["page.md"]


def test_a_writer_that_fails_leaves_the_old_file_as_it_was_and_nothing_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    target.write_bytes(b"the last build's report")

    def fails(temporary: Path) -> None:
        temporary.write_bytes(b"half a rep")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, fails)
    assert target.read_bytes() == b"the last build's report"
    assert beside(target) == ["report.docx"]


def test_a_folder_where_the_file_should_be_is_not_written_over_and_nothing_is_left(tmp_path: Path) -> None:
    target = tmp_path / "Chronology.xlsx"
    target.mkdir()
    with pytest.raises(OSError):
        atomic_write(target, b"bytes")
    assert target.is_dir() and beside(target) == ["Chronology.xlsx"]
