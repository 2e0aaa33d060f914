"""The check reference is generated from the registry and check/reference.yml, every code sarflow can print is in it,
and every example in it fails as the page says and is cleared by its fix.

Each example is written into its own copy of the worked example's review (reviews/ex-<code>)
and each fix into another (reviews/fix-<code>), all in one workspace, so that one load and
one check judge them all against the untouched review beside them.
"""

from __future__ import annotations

import ast
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from sarflow.check import check, reference
from sarflow.check.registry import CODES
from sarflow.commands.reference import generate
from sarflow.findings import Finding, Severity
from sarflow.load import load

ROOT = Path(__file__).resolve().parents[1]
KEBAB = re.compile(r'"([a-z][a-z0-9]*(?:-[a-z0-9]+)+)"')
ENTRIES = reference.entries()
EXAMPLES = {code: entry.example for code, entry in ENTRIES.items() if entry.example is not None}
# Codes no edit of one review file can show: what a build, an import or the site's own
# files report, a file's place, name or bytes rather than its text, and a change in git.
WITHOUT_EXAMPLE_FAMILIES = {"Building the outputs", "Importing a returned Action Plan", "Status site", "Set-up", "Template"}
WITHOUT_EXAMPLE = {
    "missing-file", "misplaced-file", "bad-folder-name", "unlisted-agency", "unreadable-file", "not-utf8", "file-too-large",
    "symbolic-link", "several-documents", "empty-file", "too-deep", "bad-value", "section-empty", "no-lessons", "imr-late",
    "unplaced-content", "signed-off-changed",  # a file an import leaves; a change since a revision (check --since)
}


def test_the_page_follows_the_registry_and_reference_yml() -> None:
    assert generate(ROOT, check_only=True) == 0, "run `sarflow reference` and commit site/reference/checks.md"


def test_each_code_says_what_it_finds_why_it_matters_and_its_fix() -> None:
    for code, entry in ENTRIES.items():
        assert entry.finds and entry.fix, code
        family_shown_elsewhere = entry.code.family in WITHOUT_EXAMPLE_FAMILIES or code in WITHOUT_EXAMPLE
        documented = entry.example is not None and entry.why is not None
        assert documented or family_shown_elsewhere, f"{code} needs why: and example: in check/reference.yml"
    assert not any(code in EXAMPLES for code in WITHOUT_EXAMPLE), "a code with an example is no longer without one: take it out of WITHOUT_EXAMPLE"


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Counter[str]], dict[str, list[Finding]]]:
    """Each untouched review's findings by code, and the findings in each copy (ex-<code>, fix-<code>)."""
    root = tmp_path_factory.mktemp("reference")
    for name in ("reviews", "schema"):
        shutil.copytree(ROOT / name, root / name)
    for code, example in EXAMPLES.items():
        review = root / example.review
        for copy, replacement in ((f"ex-{code}", example.write), (f"fix-{code}", example.fixed)):
            folder = review.parent / copy
            shutil.copytree(review, folder)
            path = folder / example.file
            text = path.read_text(encoding="utf-8")
            assert text.count(example.find) == 1, f"{code}: `find` must be in {example.file} of {example.review} once"
            path.write_text(text.replace(example.find, replacement), encoding="utf-8")
    by_folder: dict[str, list[Finding]] = {}
    for finding in check(load(root)):
        by_folder.setdefault(finding.span.path.split("/")[1], []).append(finding)
    untouched = {Path(e.review).name: Counter(f.code for f in by_folder.get(Path(e.review).name, [])) for e in EXAMPLES.values()}
    return untouched, by_folder


def _errors(findings: list[Finding]) -> Counter[tuple[str, str]]:
    return Counter((f.code, f.span.path.split("/", 2)[2]) for f in findings if f.severity is Severity.ERROR)


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_the_example_is_reported_and_the_fix_clears_it(judged: tuple[dict[str, Counter[str]], dict[str, list[Finding]]], code: str) -> None:
    reviews, by_folder = judged
    untouched = reviews[Path(EXAMPLES[code].review).name]
    failing, fixed = by_folder.get(f"ex-{code}", []), by_folder.get(f"fix-{code}", [])
    assert Counter(f.code for f in failing)[code] > untouched[code], [str(f) for f in failing]
    assert Counter(f.code for f in fixed)[code] <= untouched[code], [str(f) for f in fixed if f.code == code]
    baseline = _errors(by_folder.get(Path(EXAMPLES[code].review).name, []))
    assert _errors(fixed) - baseline == Counter(), [str(f) for f in fixed if f.severity is Severity.ERROR]
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

