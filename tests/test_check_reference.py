"""The reference page and the registry of codes list exactly the same codes, and every code used is registered."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sarflow.check.registry import CODES

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "site/reference/checks.md"
KEBAB = re.compile(r'"([a-z][a-z0-9]*(?:-[a-z0-9]+)+)"')


def sections() -> dict[str, str]:
    """Each `### \\`code\\`` heading of the page, with the text under it."""
    parts = re.split(r"^### `([a-z0-9-]+)`\s*$", PAGE.read_text(encoding="utf-8"), flags=re.M)
    return {code: text.split("\n## ", 1)[0] for code, text in zip(parts[1::2], parts[2::2], strict=False)}


def test_page_and_registry_list_the_same_codes() -> None:
    documented = sections()
    assert sorted(set(CODES) - set(documented)) == [], "codes missing from site/reference/checks.md"
    assert sorted(set(documented) - set(CODES)) == [], "codes on the page that sarflow does not report"


def test_each_code_has_its_severity_and_fix() -> None:
    words = {
        "error": "**Error.**", "warning": "**Warning.**", "completeness": "**Completeness.**",
        "plausibility": "**Plausibility.**", "anonymisation": "**Anonymisation.**",
    }
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


PACKAGE = ROOT / "scripts/sarflow"
# Where a finding is made: error(code, ...), warning(code, ...), ctx.report(code, ...),
# the YAML builder's refuse(code, ...), and Finding(severity, code, ...).
MAKERS = {"error": 0, "warning": 0, "report": 0, "refuse": 0, "Finding": 1}
PRINTED = re.compile(r"(?:error|warning)\[([a-z0-9-]+)\]")
NOT_CODES = {"a-name", "utf-8"}  # a sample slug and the encoding name, the only other such strings in load/ and check/


def _constants(node: ast.AST) -> set[str]:
    """The strings an argument can be: a literal, or either branch of `a if test else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _constants(node.body) | _constants(node.orelse)
    return set()


def printed_codes() -> dict[str, set[str]]:
    """Every code the package can print, with the files it is made in.

    Three sources: the code argument of every call that makes a finding, anywhere in
    the package; `error[...]` or `warning[...]` written into a message by hand; and in
    load/ and check/, where rules pass codes around in tuples, every kebab-case literal.
    """
    found: dict[str, set[str]] = {}
    for file in sorted(PACKAGE.rglob("*.py")):
        source = file.read_text(encoding="utf-8")
        shown = file.relative_to(PACKAGE).as_posix()
        codes: set[str] = set(PRINTED.findall(source))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in MAKERS and len(node.args) > MAKERS[name]:
                    codes |= _constants(node.args[MAKERS[name]])
        if shown.startswith(("load/", "check/")):
            codes |= set(KEBAB.findall(source)) - NOT_CODES
        for code in codes:
            found.setdefault(code, set()).add(shown)
    return found


def test_every_code_sarflow_can_print_is_registered_and_documented() -> None:
    found = printed_codes()
    unregistered = {code: sorted(files) for code, files in found.items() if code not in CODES}
    assert unregistered == {}, "codes printed but missing from check/registry.py (and site/reference/checks.md)"
    # the scan reaches the outputs and the set-up, not only check and load
    assert {"docx-failed", "xlsx-failed", "site-build", "refused-image", "unknown-template"} <= set(found)

