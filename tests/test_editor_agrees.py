"""What VS Code's YAML editor flags is what `sarflow check` flags.

yaml-language-server, the language server behind VS Code's YAML extension, is driven
over stdio as the extension drives it (the workspace's settings from .vscode/settings.json,
the schema named on each file's first line). Each YAML trap of issue 12 is written into
a copy of the worked example, as an author would write it, and both are asked: the
editor must show an error in the file exactly when check reports one, on the same line
for a value the schema refuses, and the worked example itself must be clean in both.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from sarflow import clock
from sarflow.check import check
from sarflow.findings import Finding, Severity
from sarflow.load import load
from sarflow.load.fields import Fields
from sarflow.load.yamlfile import parse_yaml
from yaml_editor import ERROR, Diagnostic, YamlLanguageServer, yaml_language_server

ROOT = Path(__file__).resolve().parents[1]
REVIEW = "reviews/adult-a"
ASC, TRUST, GP = "adult-social-care", "acute-trust", "gp-practice"


@dataclass(frozen=True)
class Trap:
    """In `file` (relative to the review folder), `old` (found once) becomes `new`."""

    id: str
    file: str
    old: str
    new: str
    same_line: bool = True  # a value the schema refuses is named on its own line by both
    editor_warns: bool = False  # the editor's mark is a warning, not an error
    only_check: str = ""  # why the editor cannot see this one: it needs more than the file and its schema

    def line(self, text: str) -> int:
        """The line the author changed: where the new text first differs from the old."""
        same = next((i for i, (a, b) in enumerate(zip(self.old, self.new, strict=False)) if a != b), min(len(self.old), len(self.new)))
        return text[: text.index(self.old) + same].count("\n") + 1


# The value most traps are written into: an entry's source in the trust's chronology (file, the example's text).
SOURCE = (f"{TRUST}/chronology.yml", "source: Discharge planning record")
TRAPS = [
    # the traps of issue 12 where the two disagreed
    Trap("time-unquoted", f"{TRUST}/chronology.yml", 'time: "13:42"', "time: 23:10"),
    Trap("deceased-yes", "review.yml", "deceased: true", "deceased: yes"),
    Trap("relationship-no", f"{TRUST}/imr.yml", "relationship: Daughter", "relationship: no"),
    Trap("by-list", f"{TRUST}/chronology.yml", "    by: ED1\n", "    by: [ED1, WN1]\n"),
    # YAML syntax
    Trap("starts-with-quote", f"{TRUST}/chronology.yml", "event: >-\n      TVN1 confirmed", "event: 'TVN1' confirmed\n      TVN1 confirmed", False),
    Trap("unclosed-quote", *SOURCE, 'source: "Discharge planning record', False),
    Trap("starts-with-at", *SOURCE, "source: @Discharge planning record", False),
    Trap("starts-with-backtick", *SOURCE, "source: `Discharge` viability record", False),
    Trap("starts-with-percent", *SOURCE, "source: %Discharge planning record", False),
    Trap("alias", *SOURCE, "source: *Discharge planning record", False),
    Trap("anchor", *SOURCE, "source: &Discharge planning record", False, True),
    Trap("type", *SOURCE, "source: !Discharge planning record", False),
    Trap("folded-on-key-line", f"{TRUST}/chronology.yml", "event: >-\n      TVN1 confirmed", "event: >- TVN1 confirmed\n      TVN1 confirmed", False),
    Trap("no-space-after-colon", f"{TRUST}/chronology.yml", "    by: ED1\n", "    by:ED1\n", False),
    Trap("no-space-after-dash", f"{TRUST}/chronology.yml", "  - date: 2024-09-26", "  -date: 2024-09-26", False),
    Trap("missing-colon", *SOURCE, "source Discharge planning record", False),
    Trap("colon-in-value", *SOURCE, "source: Discharge planning: record", False),
    Trap("dedented-key", f"{TRUST}/chronology.yml", "    source: Discharge planning record", "   source: Discharge planning record", False),
    Trap("item-indented", f"{TRUST}/chronology.yml", "  - date: 2024-09-26", "   - date: 2024-09-26", False),
    Trap("text-at-key-column", f"{TRUST}/chronology.yml", "      TVN1 confirmed", "    TVN1 confirmed", False),
    Trap("tab", f"{TRUST}/chronology.yml", "    source: Discharge planning record", "\tsource: Discharge planning record", False),
    Trap("duplicate-key", f"{TRUST}/chronology.yml", "    source: Discharge planning record",
         "    source: Discharge planning record\n    source: Ward", False),
    Trap("several-documents", f"{TRUST}/chronology.yml", "entries:\n", "---\nentries:\n", False),
    # values the schema refuses
    Trap("uk-date", f"{TRUST}/imr.yml", "date_of_birth: 1947-03-12", "date_of_birth: 12/03/1947"),
    Trap("impossible-date", f"{TRUST}/actions.yml", "target_date: 2026-12-31", "target_date: 2026-02-30"),
    Trap("date-with-time", f"{TRUST}/chronology.yml", "  - date: 2024-09-26", "  - date: 2024-09-26 10:00"),
    Trap("unknown-key", f"{TRUST}/chronology.yml", "    source: Discharge planning record", "    sourse: Discharge planning record"),
    Trap("status-case", f"{TRUST}/actions.yml", "status: In progress\n    comment: Concern", "status: in progress\n    comment: Concern"),
    Trap("number-quoted", f"{TRUST}/actions.yml", "  - no: 1\n", '  - no: "1"\n'),
    Trap("empty-value-draft", f"{GP}/actions.yml", "actions: []", "actions:\n  - no: 1\n    recommendation: Train staff\n    evidence:"),
    Trap("qa-answer-capital", f"{TRUST}/imr.yml", 'author-independent:\n    answer: "yes"', "author-independent:\n    answer: Yes"),
    Trap("approximate-yes", f"{TRUST}/chronology.yml", "  - date: 2024-09-26\n", "  - date: 2024-09\n    approximate: yes\n"),
    Trap("chronology-impossible-date", f"{TRUST}/chronology.yml", "  - date: 2024-09-26\n", "  - date: 2024-09-31\n"),
    Trap("empty-value", f"{TRUST}/actions.yml", "    evidence: Safeguarding team concern log; quarterly audit of outcomes and escalations.\n",
         "    evidence:\n",
         only_check="a submitted IMR's action needs its evidence; the editor sees actions.yml, not the status in imr.yml"),
    Trap("time-25", f"{TRUST}/chronology.yml", 'time: "13:42"', 'time: "25:00"'),
    Trap("imr-status", f"{TRUST}/imr.yml", "status: submitted", "status: Submitted"),
    Trap("staff-id-space", f"{TRUST}/imr.yml", "  - id: ED1", "  - id: ED 1"),
    # what check warns about but accepts: the editor must not call it an error
    Trap("comment-in-value", *SOURCE, "source: Discharge planning record #2"),
    Trap("key-in-text", f"{TRUST}/chronology.yml", "      TVN1 confirmed", "      outcome: TVN1 confirmed"),
]


def errors(findings: list[Finding], rel: str) -> set[int]:
    return {f.span.line for f in findings if f.severity is Severity.ERROR and f.span.path == rel}


def editor_errors(diagnostics: list[Diagnostic]) -> set[int]:
    return {d.line for d in diagnostics if d.severity == ERROR}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> YamlLanguageServer:
    workspace = tmp_path_factory.mktemp("workspace")
    for name in ("reviews", "schema", ".vscode"):
        shutil.copytree(ROOT / name, workspace / name)
    with yaml_language_server(workspace) as running:
        yield running  # type: ignore[misc]


@pytest.fixture(scope="module")
def both(server: YamlLanguageServer) -> dict[str, tuple[set[int], list[Diagnostic], int]]:
    """Each trap: the lines check reports an error on, what the editor shows, and the line the author changed.

    Every trap is written into its own copy of the review (reviews/<trap id>/) in one
    workspace, so that one load and one check see them all.
    """
    workspace = server.root
    texts = {}
    for trap in TRAPS:
        folder = workspace / "reviews" / trap.id
        if not folder.exists():
            shutil.copytree(workspace / REVIEW, folder)
        path = folder / trap.file
        text = path.read_text(encoding="utf-8")
        assert text.count(trap.old) == 1, trap.id
        path.write_text(text.replace(trap.old, trap.new), encoding="utf-8")
        texts[trap.id] = (path, text)
    findings = check(load(workspace))
    shown = server.diagnose({path: path.read_text(encoding="utf-8") for path, _ in texts.values()})
    return {
        trap.id: (errors(findings, f"reviews/{trap.id}/{trap.file}"), shown[texts[trap.id][0]], trap.line(texts[trap.id][1]))
        for trap in TRAPS
    }


def test_the_worked_example_is_clean_in_the_editor_as_in_check(server: YamlLanguageServer) -> None:
    files = sorted((ROOT / "reviews").rglob("*.yml"))
    shown = server.diagnose({server.root / f.relative_to(ROOT): f.read_text(encoding="utf-8") for f in files})
    assert {str(p): [str(d) for d in ds] for p, ds in shown.items() if ds} == {}
    assert [str(f) for f in check(load(ROOT)) if f.severity is Severity.ERROR] == []


@pytest.mark.parametrize("trap", TRAPS, ids=[t.id for t in TRAPS])
def test_the_editor_flags_what_check_flags(both: dict[str, tuple[set[int], list[Diagnostic], int]], trap: Trap) -> None:
    by_check, shown, line = both[trap.id]
    by_editor = {d.line for d in shown if d.severity == ERROR or trap.editor_warns}
    if trap.only_check:
        assert by_check and not by_editor, (sorted(by_check), [str(d) for d in shown])
        return
    assert bool(by_editor) == bool(by_check), (sorted(by_check), [str(d) for d in shown])
    if trap.same_line and by_check:
        assert line in by_check and line in by_editor, (line, sorted(by_check), [str(d) for d in shown])


def _examples(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict[str, Any], Any]]:
    """Every `examples` entry of a schema, with where it is and the part of the schema it illustrates."""
    if isinstance(node, dict):
        for example in node.get("examples", []):
            yield path, node, example
        for key, child in node.items():
            yield from _examples(child, (*path, key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _examples(child, (*path, str(i)))


EXAMPLES = [
    (f"{file.name}#/{'/'.join(path)}: {example!r}", file, path, part, example)
    for file in sorted((ROOT / "schema").glob("*.schema.json"))
    for path, part, example in _examples(json.loads(file.read_text(encoding="utf-8")))
]


@pytest.mark.parametrize(("shown", "file", "path", "part", "example"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_every_example_is_valid_yaml_of_the_right_type(shown: str, file: Path, path: tuple[str, ...], part: dict[str, Any], example: Any) -> None:
    """The editor shows each example in its hover and offers it as you type, written plain (`time: 14:30`):
    written so, sarflow reads the very value the schema gives, and that value is one the schema accepts."""
    key = next(p for p in reversed(path) if p not in ("properties", "items", "anyOf", "$defs") and not p.isdigit())
    written = example if isinstance(example, str) else json.dumps(example)
    doc = parse_yaml(f"{key}: {written}\n", "example.yml")
    assert doc.findings == [], shown
    read = doc.data[key]
    assert (read.isoformat() if isinstance(read, dt.date) else read) == example, shown
    assert type(read) is type(example) or isinstance(read, dt.date), shown
    schema = json.loads(file.read_text(encoding="utf-8"))
    validator = Draft202012Validator({**part, "$defs": schema.get("$defs", {})}, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(example)] == [], shown


def test_what_the_editor_offers_as_you_type_is_what_check_reads(server: YamlLanguageServer) -> None:
    """The values the editor completes for `time:` and `approximate:` are read by sarflow as the editor means them."""
    path = server.root / "reviews/offered/acute-trust/chronology.yml"
    text = "# yaml-language-server: $schema=../../../schema/chronology.schema.json\nentries:\n  - date: 2024-03-01\n    time: \n"
    server.diagnose({path: text})
    offered = server.complete(path, 3, len("    time: "))
    assert offered == list(clock.EXAMPLES)
    for value in offered:
        doc = parse_yaml(text.replace("time: ", f"time: {value}"), "chronology.yml")
        assert clock.read(doc.data["entries"][0]["time"]) is not None, value
    text = text.replace("    time: \n", "    approximate: \n")
    server.diagnose({path: text})
    offered = server.complete(path, 3, len("    approximate: "))
    assert sorted(offered) == ["false", "no", "true", "yes"]
    for value in offered:
        doc = parse_yaml(text.replace("approximate: ", f"approximate: {value}"), "chronology.yml")
        assert Fields(doc, ("entries", 0)).boolean("approximate") is (value in ("true", "yes")), value
