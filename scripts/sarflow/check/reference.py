"""The check reference (site/reference/checks.md), written from the registry and reference.yml.

In the manner of Ruff's rule pages: each code has what it finds, why it matters to the
panel, an example that fails and its fix, and the page is generated so that it cannot
drift from the codes. The registry (registry.py) gives the codes, their kinds and their
families, in the page's order; reference.yml, beside it, gives the words and the examples,
where a maintainer adding a rule sees what an entry needs. `sarflow reference` writes the
page; `sarflow reference --check` (and a test) fails while it differs. The test also runs
every example through check on a copy of the worked example.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sarflow.check.registry import CODES, Code
from sarflow.errors import UsageError
from sarflow.yamlloader import LOADER

DATA = Path(__file__).with_name("reference.yml")
PAGE = Path("site/reference/checks.md")
REVIEW = "reviews/adult-a"  # the worked example the examples are written against
GENERATED = ("<!-- Written by `sarflow reference` from scripts/sarflow/check/registry.py and reference.yml: "
             "change those, not this page. -->")
KIND_WORDS = {"error": "Error", "warning": "Warning", "completeness": "Completeness",
              "plausibility": "Plausibility", "anonymisation": "Anonymisation"}


@dataclass(frozen=True)
class Example:
    """In `file` of a review folder of the worked example, `find` (there once) becomes `write`; `fixed` in its place clears it."""

    file: str
    find: str
    write: str
    fixed: str
    review: str = REVIEW  # the worked example's review it is written against, when not the first (reviews/adult-d)
    shown: str | None = None  # what the page prints for `write` where that holds a restricted value of the example
    shown_fixed: str | None = None  # what the page prints for `fixed` where that is a section's own text

    @property
    def printed(self) -> str:
        """The failing example as the page shows it: the page is on the board's site."""
        return self.shown if self.shown is not None else self.write

    @property
    def printed_fix(self) -> str:
        return self.shown_fixed if self.shown_fixed is not None else self.fixed


@dataclass(frozen=True)
class Entry:
    code: Code
    finds: str
    fix: str
    why: str | None = None
    example: Example | None = None


@cache
def _data() -> dict[str, Any]:
    data = yaml.load(DATA.read_text(encoding="utf-8"), Loader=LOADER)
    assert isinstance(data, dict)
    return data


def entries() -> dict[str, Entry]:
    """Every code of the registry with its words from reference.yml (KeyError for a code without them)."""
    written = _data()["codes"]
    missing = [name for name in CODES if name not in written]
    if missing:
        raise UsageError(f"{DATA.name} has no entry for {', '.join(missing)}: add what each finds, why it matters, "
                         "an example and its fix beside the others, then run `sarflow reference`")
    found = {}
    for name, code in CODES.items():
        item = written[name]
        example = Example(**item["example"]) if item.get("example") else None
        found[name] = Entry(code, item["finds"].strip(), item["fix"].strip(), (item.get("why") or "").strip() or None, example)
    return found


def page() -> str:
    """The whole reference page."""
    data = _data()
    parts = [GENERATED, data["page"].strip()]
    by_family: dict[str, list[Entry]] = {}
    for entry in entries().values():
        by_family.setdefault(entry.code.family, []).append(entry)
    for family, listed in by_family.items():
        parts.append(f"## {family}")
        if about := (data["families"].get(family) or "").strip():
            parts.append(about)
        parts.extend(_entry(entry) for entry in listed)
    return "\n\n".join(parts) + "\n"


def _entry(entry: Entry) -> str:
    lines = [f"### `{entry.code.code}`", f"**{KIND_WORDS[entry.code.kind.value]}.** {entry.finds}"]
    if entry.why:
        lines.append(f"**Why it matters:** {entry.why}")
    example = entry.example
    if example is not None and example.write.strip():
        lines += [f"**Example**, in `{example.file}`:", _code(example.printed)]
    elif example is not None:
        lines += [f"**Example**: `{example.file}` without these lines:", _code(example.find)]
    lines.append(f"**Fix:** {entry.fix}")
    if example is not None:
        lines.append("In the example, write instead:")
        lines.append(_code(example.printed_fix))
    return "\n\n".join(lines)


def _code(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.strip("\n").split("\n"))


def differs(root: Path) -> bool:
    path = root / PAGE
    return not path.is_file() or path.read_text(encoding="utf-8") != page()
