"""build/site/deadlines.ics, built with the site by MkDocs, parsed back with icalendar: one event for each IMR
due date, each open action's target date (the agencies' and the board's own) and each board meeting, on the
right days, with UIDs that stay the same from build to build, and no restricted value."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from sarflow.cli import main
from sarflow.model import Repository
from test_site_confidentiality import leaks, restricted

ROOT = Path(__file__).resolve().parents[1]


def build(out: Path) -> Path:
    assert main(["--root", str(ROOT), "build", "--only", "site", "--out", str(out)]) == 0
    return out / "site" / "deadlines.ics"


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("calendar"))


def events(path: Path) -> list:
    return list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_every_deadline_and_meeting_is_an_all_day_event_on_its_day(feed: Path, example: Repository) -> None:
    completed = example.template.action_plan.completed
    found = sorted((str(e["SUMMARY"]), e.decoded("DTSTART")) for e in events(feed))
    expected = [(f"IMR due: {a.name} ({r.reference})", a.imr_due) for r in example.reviews for a in r.agencies if a.imr_due]
    expected += [(f"Action due: {r.action_reference(imr.agency_id, a.no)} ({r.reference})", a.target_date)
                 for r in example.reviews for imr in r.imrs.values() for a in imr.actions if a.status != completed and a.target_date]
    expected += [(f"Action due: {example.board.short_name}-{a.no} ({r.reference})", a.target_date) for r in example.reviews
                 for rec in (r.recommendations.recommendations if r.recommendations else []) for a in rec.board_actions
                 if a.status != completed and a.target_date]
    expected += [(f"{example.board.name} meeting", day) for day in example.board.meetings]
    assert example.board.meetings and any("NSAB-" in s for s, _ in expected), "the example should have meetings and a board action"
    assert found == sorted(expected)
    for event in events(feed):
        start = event.decoded("DTSTART")
        assert type(start) is dt.date and event.decoded("DTEND") == start + dt.timedelta(days=1)


def test_each_event_keeps_its_uid_from_one_build_to_the_next(feed: Path, tmp_path: Path) -> None:
    first = [str(e["UID"]) for e in events(feed)]
    assert len(set(first)) == len(first)
    assert [str(e["UID"]) for e in events(build(tmp_path))] == first


def test_the_feed_shows_no_restricted_value(feed: Path, example: Repository, tmp_path: Path) -> None:
    unfolded = "\n".join(f"{e['SUMMARY']} {e['DESCRIPTION']}" for e in events(feed))  # the lines folded at 75 octets, read whole
    (tmp_path / "events.txt").write_text(unfolded, encoding="utf-8")
    assert not leaks(tmp_path, restricted(example))


def test_the_build_imports_icalendar_only_when_it_makes_the_feed() -> None:
    """The build's workers are forked before the site is made: what only the site needs is not imported before."""
    code = "import sys, sarflow.commands.build, sarflow.site; print('icalendar' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert shown == "False"
