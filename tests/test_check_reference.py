"""The reference page and the registry of codes list exactly the same codes, and every code used is registered."""

from __future__ import annotations

import re
from pathlib import Path

from sarflow.check.registry import CODES

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "site/reference/checks.md"
KEBAB = re.compile(r'"([a-z][a-z0-9]*(?:-[a-z0-9]+)+)"')


def sections() -> dict[str, str]:
    """Each `### \\`code\\`` heading of the page, with the text under it."""
    parts = re.split(r"^### `([a-z0-9-]+)`\s*$", PAGE.read_text(encoding="utf-8"), flags=re.M)
    return {code: text.split("\n## ", 1)[0] for code, text in zip(parts[1::2], parts[2::2])}


def test_page_and_registry_list_the_same_codes() -> None:
    documented = sections()
    assert sorted(set(CODES) - set(documented)) == [], "codes missing from site/reference/checks.md"
    assert sorted(set(documented) - set(CODES)) == [], "codes on the page that sarflow does not report"


def test_each_code_has_its_severity_and_fix() -> None:
    words = {"error": "**Error.**", "warning": "**Warning.**", "completeness": "**Completeness.**", "anonymisation": "**Anonymisation.**"}
    for code, text in sections().items():
        assert words[CODES[code].kind.value] in text, code
        assert "**Fix:**" in text, code


def test_codes_are_under_their_familys_heading() -> None:
    family = ""
    for line in PAGE.read_text(encoding="utf-8").split("\n"):
        if line.startswith("## "):
            family = line[3:].strip()
        elif line.startswith("### `"):
            code = line.strip()[5:-1]
            assert CODES[code].family == family, code


def literals(folder: Path) -> set[str]:
    return {m for file in folder.glob("*.py") for m in KEBAB.findall(file.read_text(encoding="utf-8"))}


NOT_CODES = {"a-name", "utf-8"}  # a sample slug and the encoding name, the only other such strings


def test_every_code_the_loader_reports_is_registered() -> None:
    assert sorted(literals(ROOT / "scripts/sarflow/load") - NOT_CODES - set(CODES)) == []


def test_every_code_check_reports_is_registered() -> None:
    assert sorted(literals(ROOT / "scripts/sarflow/check") - NOT_CODES - set(CODES)) == []


def test_every_code_the_site_policy_reports_is_registered() -> None:
    assert sorted(literals(ROOT / "scripts/sarflow/sitepolicy") - NOT_CODES - set(CODES)) == []
