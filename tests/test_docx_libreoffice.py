"""LibreOffice opens every report of the example and converts it to PDF without error.

Runs where LibreOffice is installed (`make test` installs it headless); elsewhere it
is skipped and says why, except under `make test`, where a skip is a failure.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from sarflow.cli import main

ROOT = Path(__file__).resolve().parents[1]
SOFFICE = shutil.which("soffice")

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (make test installs it)"),
]


def test_libreoffice_converts_every_report_to_pdf(tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert main(["--root", str(ROOT), "build", "--only", "docx", "--out", str(out)]) == 0
    reports = sorted((out / "reviews").rglob("*.docx"))
    assert reports
    pdfs = tmp_path / "pdf"
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdfs),
            *map(str, reports),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for report in reports:
        pdf = pdfs / f"{report.stem}.pdf"
        assert pdf.is_file(), f"no PDF for {report.name}: {done.stdout} {done.stderr}"
        content = pdf.read_bytes()
        assert content.startswith(b"%PDF-") and b"/Type /Page" in content.replace(b"/Type/Page", b"/Type /Page")
