"""Whatever an author writes, check only reports: random YAML and Markdown never make it raise.

The data is drawn from the keys and kinds of value the review files really use (so that
the rules, not only the parser, see odd values), mixed with arbitrary text, and written
over the draft IMR and the review in a copy of the repository.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarflow.check import check, reporters
from sarflow.check.registry import CODES
from sarflow.findings import Finding
from sarflow.load import load

ROOT = Path(__file__).resolve().parents[1]
GP = "reviews/adult-a/gp-practice"
KEYS = [
    "actions", "no", "recommendation", "lesson", "status", "target_date", "date_completed", "updates", "date", "text",
    "entries", "time", "approximate", "source", "event", "by", "agency", "author", "approved_by", "name", "job_title",
    "submitted", "family", "relationship", "date_of_birth", "date_of_death", "personnel", "id", "role", "abbreviations",
    "quality_assurance", "author-independent", "answer", "comment", "period", "from", "to", "terms_of_reference",
    "questions", "agencies", "imr_due", "referral", "stage", "reference",
]
FRAGMENTS = [
    "## Q1 ", "## Q7\n", "## L1 ", "## L2\n", "### x\n", "\n", "\n\n", "<div>", "</span>", "<!-- ", " -->", "```\n", "`",
    "![m](../x.png)", "[a](b.png)", "[r]: /etc/x\n", "<file:///x>", "NB4 7QT", "943 476 5919", "07700 900123", "AB123456C",
    "a@b.org", "GP1", "CQC", "XIV", "A&E", "12 March 1947", "Dr Oliver Brennan", "not relevant", "\x00", "é", "\r\n",
]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 3000), st.floats(allow_nan=True), st.text(max_size=20),
    st.sampled_from(["L1", "Q2", "GP1", "Completed", "in progress", "draft", "submitted", "approved", "n/a", "14:30",
                     "2024-03", "01/02/1981", "2025-02-30", "yes", "no"]),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
)
data = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)),
    max_leaves=25,
)
markdown = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=15)), max_size=25).map("".join)
raw_yaml = st.lists(st.one_of(st.sampled_from(["key: ", "- ", "  ", ": ", "\n", "'", '"', "&a ", "*a", "{", "[", "#"]),
                              st.sampled_from(KEYS), st.text(max_size=10)), max_size=30).map("".join)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    for name in ("reviews", "schema"):
        shutil.copytree(ROOT / name, root / name)
    return root


def dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


def assert_reports(root: Path, *paths: str) -> None:
    findings = check(load(root), [root / p for p in paths])
    assert all(isinstance(f, Finding) and f.code in CODES and f.span.line >= 1 and f.span.col >= 1 for f in findings)
    reporters.text(findings)
    reporters.github(findings)
    json.loads(reporters.as_json(findings))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(imr=data, chronology=data, actions=data, section=markdown)
def test_random_data_and_markdown(scratch: Path, imr: object, chronology: object, actions: object, section: str) -> None:
    folder = scratch / GP
    (folder / "imr.yml").write_text(dump(imr), encoding="utf-8")
    (folder / "chronology.yml").write_text(dump({"entries": chronology}), encoding="utf-8")
    (folder / "actions.yml").write_text(dump({"actions": actions}), encoding="utf-8")
    for name in ("analysis.md", "lessons.md", "narrative.md"):
        (folder / name).write_text(section, encoding="utf-8")
    assert_reports(scratch, GP)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(review=data, text=raw_yaml)
def test_random_review_and_broken_yaml(scratch: Path, review: object, text: str) -> None:
    (scratch / "reviews/adult-a/review.yml").write_text(dump(review), encoding="utf-8")
    (scratch / GP / "chronology.yml").write_text(text, encoding="utf-8")
    assert_reports(scratch, "reviews/adult-a/review.yml", GP)
