"""Reading the PDF that LibreOffice makes of a document: each page's text, and where and how
large each piece of text is printed (pypdf), for the tests of what a panel member prints."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

SOFFICE = shutil.which("soffice")


@dataclass(frozen=True)
class Run:
    """A piece of text on a page: its height above the page's foot and its type size (points)."""

    y: float
    size: float
    text: str


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    text: str
    runs: tuple[Run, ...]

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]

    def filled(self, margin: float) -> float:
        """How far down the text area (inside `margin` points top and bottom) the lowest text
        reaches, as a fraction: 0 for a page with nothing between its header and footer."""
        body = [r.y for r in self.runs if margin < r.y < self.height - margin]
        return (self.height - margin - min(body)) / (self.height - 2 * margin) if body else 0.0


def to_pdf(files: list[Path], folder: Path) -> dict[Path, Path]:
    """Every file converted to PDF by one LibreOffice run (it starts slowly); file -> its PDF.

    The files are copied under distinct names first: a review's workbooks share their
    names with each agency's.
    """
    assert SOFFICE, "LibreOffice is needed"
    staged = folder / "in"
    staged.mkdir(parents=True)
    names = {}
    for n, file in enumerate(files):
        copy = staged / f"{n:02d} {file.name}"
        shutil.copyfile(file, copy)
        names[file] = copy
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *map(str, names.values())],
        capture_output=True, text=True, timeout=1200, check=False,
    )
    assert done.returncode == 0, done.stderr
    pdfs = {file: folder / "pdf" / f"{copy.stem}.pdf" for file, copy in names.items()}
    missing = [str(f) for f, pdf in pdfs.items() if not pdf.is_file()]
    assert not missing, f"no PDF for {missing}: {done.stdout} {done.stderr}"
    return pdfs


def pages(pdf: Path) -> list[Page]:
    found = []
    for page in PdfReader(str(pdf)).pages:
        runs: list[Run] = []

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float, runs: list[Run] = runs) -> None:
            if text.strip():
                # the text matrix times the current transformation matrix: position and scale
                vertical = tm[2] * cm[1] + tm[3] * cm[3]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append(Run(y, abs(size * vertical), text))

        text = page.extract_text(visitor_text=visit)
        found.append(Page(float(page.mediabox.width), float(page.mediabox.height), text, tuple(runs)))
    return found
