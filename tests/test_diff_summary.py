"""`sarflow diff` on a throwaway git repository built by scripted commits, one per kind of change.

The repository starts as a copy of the worked example; each commit makes one kind of
change an author makes in a pull request, and each test compares that commit with the
one before it, asserting the lines the panel reads. Expected values are computed from
the loaded example, never copied from it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from sarflow.changes.render import md
from sarflow.changes.words import headline
from sarflow.dates import entry_date, uk
from sarflow.load import load
from sarflow.model import Imr, Repository
from test_diff_repo import Repo, copy_example, edit_yaml, prose_words, sarflow, shorten_and_extend

ADDED_SENTENCE = "The panel asked for this sentence to be added today."  # 10 words
ANSWER_SENTENCE = "A new sentence of exactly seven words."  # 7 words
NEW_ENTRY = {"date": "2024-03-05", "time": "15:20", "source": "Scripted test record", "event": "A scripted contact."}


def pick(example: Repository) -> Imr:
    """The IMR with the most actions and chronology: every kind of change can be made to it."""
    return max(example.imrs(), key=lambda imr: (len(imr.actions), len(imr.chronology)))


class History:
    """The scripted commits and what each one changed, computed from the loaded example."""

    def __init__(self, root: Path, example: Repository) -> None:
        self.repo = Repo(root)
        self.example = example
        self.imr = pick(example)
        review = example.review(self.imr.review_id)
        assert review is not None
        self.review = review
        agency = review.agency(self.imr.agency_id)
        self.heading = f"### {md(review.reference)} ({review.id}): {md(agency.name if agency else self.imr.agency_id)}"
        self.folder = root / "reviews" / self.imr.review_id / self.imr.agency_id
        self.commits: dict[str, str] = {"base": self.repo.commit("The worked example")}

    def step(self, kind: str) -> None:
        self.commits[kind] = self.repo.commit(f"Scripted change: {kind}")

    def diff(self, kind: str, *extra: str) -> str:
        names = list(self.commits)
        before = names[names.index(kind) - 1]
        code, out, err = sarflow(self.repo.root, "diff", *extra, self.commits[before], self.commits[kind])
        assert code == 0, err
        return out


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory, root: Path, example: Repository) -> History:
    where = tmp_path_factory.mktemp("diff-history")
    copy_example(root, where)
    h = History(where, example)
    imr, folder = h.imr, h.folder

    # Sections: the first prose line of the narrative removed, one sentence added at the end.
    h.removed_line = shorten_and_extend(folder / "narrative.md", ADDED_SENTENCE)
    h.step("section")

    # A terms-of-reference answer: one sentence added under the second Q heading of analysis.md.
    analysis = imr.sections["analysis"]
    h.question = [x for x in analysis.headings if x.level == 2 and x.title.startswith("Q")][1]
    lines = (folder / "analysis.md").read_text(encoding="utf-8").split("\n")
    lines.insert(h.question.span.line, ANSWER_SENTENCE)
    (folder / "analysis.md").write_text("\n".join(lines), encoding="utf-8")
    h.step("answer")

    # Chronology: one entry added, one removed, one with its outcome changed, one with its date corrected.
    entries = imr.chronology
    h.removed_entry = entries[1]
    h.changed_entry = next(e for e in entries[2:] if e.outcome)
    h.moved_entry = next(e for e in entries[2:] if e is not h.changed_entry and e.precision == "day" and e.event)
    changed_at, moved_at = entries.index(h.changed_entry), entries.index(h.moved_entry)
    h.moved_to = h.moved_entry.date + dt.timedelta(days=1)

    def chronology(data):
        items = data["entries"]
        items[changed_at]["outcome"] = "Outcome rewritten by the scripted test."
        items[moved_at]["date"] = h.moved_to
        added = dict(NEW_ENTRY, time=DoubleQuotedScalarString(NEW_ENTRY["time"]))
        items.insert(3, added)
        del items[1]

    edit_yaml(folder / "chronology.yml", chronology)
    h.step("chronology")

    # Actions: one added, the last removed, one open action's status, target date and lead officer changed,
    # and a progress update added to another.
    actions = imr.actions
    h.removed_action = actions[-1]
    h.followed = next(a for a in actions if a.status != "Completed" and a is not h.removed_action)
    h.updated = next(a for a in actions if a is not h.followed and a is not h.removed_action)
    h.new_no = max(a.no for a in actions if a.no) + 1
    statuses = example.template.action_plan.statuses
    h.new_status = next(s for s in statuses if s != h.followed.status)
    h.new_target = h.followed.target_date + dt.timedelta(days=30)
    h.update_date = dt.date(2026, 12, 1)

    def action_plan(data):
        items = data["actions"]
        for item in items:
            if item["no"] == h.followed.no:
                item.update(status=h.new_status, target_date=h.new_target, lead_officer="Head of Quality Assurance")
            if item["no"] == h.updated.no:
                item.setdefault("updates", []).append({"date": h.update_date, "text": "A scripted progress update."})
        del items[-1]
        items.append(
            {"no": h.new_no, "recommendation": "Scripted recommendation for the new action", "lesson": "L1",
             "key_actions": "Do it.", "evidence": "Audit.", "key_outcome": "Done.", "lead_officer": "Head of Safeguarding",
             "target_date": dt.date(2027, 6, 30), "status": statuses[0]}
        )

    edit_yaml(folder / "actions.yml", action_plan)
    h.step("actions")

    # Quality assurance and sign-off: the first answer flipped, the second comment rewritten, a new submission date.
    criteria = example.template.criteria
    h.flipped, h.commented = criteria[0], criteria[1]
    h.old_answer = imr.quality_assurance.answers[h.flipped.id].answer
    h.new_answer = "no" if h.old_answer == "yes" else "yes"
    h.new_submitted = (imr.submitted or dt.date(2026, 1, 1)) + dt.timedelta(days=3)

    def quality(data):
        data["quality_assurance"][h.flipped.id]["answer"] = DoubleQuotedScalarString(h.new_answer)
        data["quality_assurance"][h.commented.id]["comment"] = "A comment rewritten by the scripted test."
        data["submitted"] = h.new_submitted

    edit_yaml(folder / "imr.yml", quality)
    h.step("quality")

    # IMR status: a draft IMR submitted.
    h.draft = next(i for i in example.imrs() if i.status == "draft")
    edit_yaml(root_of(h, h.draft) / "imr.yml", lambda data: data.update(status="submitted"))
    h.step("status")

    # The review itself: the stage moves on.
    h.old_stage = h.review.stage
    h.new_stage = "panel" if h.old_stage != "panel" else "report"
    edit_yaml(where / "reviews" / h.review.id / "review.yml", lambda data: data.update(stage=h.new_stage))
    h.step("review")
    return h


def root_of(h: History, imr: Imr) -> Path:
    return h.repo.root / "reviews" / imr.review_id / imr.agency_id


def section_of(out: str, heading: str) -> str:
    """The lines under one review/agency heading of the summary."""
    assert heading + "\n" in out, out
    return out.split(heading + "\n", 1)[1].split("\n### ", 1)[0]


def test_section_changes_are_counted_in_words_and_quoted_sentence_by_sentence(history: History) -> None:
    out = history.diff("section")
    part = section_of(out, history.heading)
    title = history.example.template.section("narrative")
    removed = prose_words(history.removed_line)
    assert f"  - {title.number} {md(title.title)}: {prose_words(ADDED_SENTENCE)} words added, {removed} removed" in part
    rows = [x for x in part.split("\n") if x.startswith("    | ") and "---" not in x and "Before" not in x]
    assert f"    | ~~{md(history.removed_line)}~~ |  |" in rows  # the removal before the addition
    assert rows[-1] == f"    |  | **{md(ADDED_SENTENCE)}** |"


def test_a_terms_of_reference_answer_change_is_named_by_its_question_and_quoted_once(history: History) -> None:
    out = history.diff("answer")
    part = section_of(out, history.heading)
    assert "- **Terms-of-reference answers changed**:" in part
    assert f"  - {md(history.question.title)}: {prose_words(ANSWER_SENTENCE)} words added, 0 removed" in part
    analysis = history.example.template.section("analysis")
    assert f"  - {analysis.number} {md(analysis.title)}: 7 words added, 0 removed" in part
    assert out.count(f"    |  | **{md(ANSWER_SENTENCE)}** |") == 1, "quoted under its answer, not again under the section"


def test_chronology_entries_added_removed_and_changed_are_named_by_date_time_and_source(history: History) -> None:
    part = section_of(history.diff("chronology"), history.heading)
    titles = {c.key: c.title for c in history.example.template.chronology_columns}
    removed, changed, moved = history.removed_entry, history.changed_entry, history.moved_entry
    assert "- **Chronology**: 1 added, 1 removed, 2 changed" in part
    lines = [x for x in part.split("\n") if x.startswith("  - ")]
    when = " ".join(p for p in (entry_date(removed), str(removed.time or "")) if p)
    assert lines[0] == f"  - removed: {when}, {md(removed.source)}"  # removals and corrections before additions
    # every changed column old -> new, the entry named as it was found before
    when = " ".join(p for p in (entry_date(changed), str(changed.time or "")) if p)
    assert f"  - changed: {when}, {md(changed.source)}: {titles['outcome']}: {md(changed.outcome)} → Outcome rewritten by the scripted test." in lines
    when = " ".join(p for p in (entry_date(moved), str(moved.time or "")) if p)
    assert f"  - changed: {when}, {md(moved.source)}: {titles['date']}: {entry_date(moved)} → {uk(history.moved_to)}" in lines  # the old date too
    assert lines[-1] == "  - added: 05/03/2024 15:20, Scripted test record"


def test_actions_added_removed_and_every_followed_field_old_to_new(history: History) -> None:
    part = section_of(history.diff("actions"), history.heading)
    titles = {c.key: c.title for c in history.example.template.action_plan.columns}
    followed, removed = history.followed, history.removed_action
    statuses = history.example.template.action_plan.statuses
    assert "- **Actions**:" in part
    assert (
        f"  - added: action {history.new_no}, “Scripted recommendation for the new action” "
        f"({statuses[0]}; lead Head of Safeguarding; target 30/06/2027)" in part
    )
    assert f"  - removed: action {removed.no}, “" in part
    named = headline(followed.recommendation)
    line = next(x for x in part.split("\n") if x.startswith(f"  - action {followed.no} (“{md(named)}”): "))
    assert f"{titles['status']}: {followed.status} → {history.new_status}" in line
    assert f"{titles['target_date']}: {uk(followed.target_date)} → {uk(history.new_target)}" in line
    assert f"{titles['lead_officer']}: {md(followed.lead_officer)} → Head of Quality Assurance" in line
    # 30 days later, and no progress update added to it in the same change: the panel should ask why
    assert line.split(": ", 1)[1].startswith("⚠ target date moved later by 30 days with no progress update to explain why; ")
    updated = f"  - action {history.updated.no} (“{md(headline(history.updated.recommendation))}”): "
    assert f"{updated}progress update added ({uk(history.update_date)})" in part


def test_quality_assurance_and_sign_off_changes(history: History) -> None:
    part = section_of(history.diff("quality"), history.heading)
    assert f"  - {md(history.flipped.text)}: {history.old_answer} → {history.new_answer}" in part
    assert f"  - {md(history.commented.text)}: comment changed" in part
    submitted = next(c.title for c in history.example.template.sign_off if c.key == "submitted")
    assert "- **Sign-off**:" in part
    assert f"  - {md(submitted)}: {uk(history.imr.submitted) or 'not set'} → {uk(history.new_submitted)}" in part
    assert "rewritten by the scripted test" not in part


def test_imr_status_change(history: History) -> None:
    out = history.diff("status")
    review = history.example.review(history.draft.review_id)
    agency = review.agency(history.draft.agency_id)
    part = section_of(out, f"### {md(review.reference)} ({review.id}): {md(agency.name)}")
    assert part.strip() == "- **IMR Status: draft → submitted**"
    assert history.heading not in out  # an IMR that did not change is not mentioned


def test_review_stage_change(history: History) -> None:
    out = history.diff("review")
    part = section_of(out, f"### {md(history.review.reference)} ({history.review.id}): the review")
    assert f"- Stage: {history.old_stage} → {history.new_stage}" in part


def test_json_lists_the_same_changes_with_iso_dates(history: History) -> None:
    data = json.loads(history.diff("actions", "--format", "json"))
    assert data["base"]["commit"] == history.commits["chronology"]
    assert data["head"]["commit"] == history.commits["actions"]
    (review,) = data["reviews"]
    (imr,) = review["imrs"]
    assert imr["agency_id"] == history.imr.agency_id
    changed = next(a for a in imr["actions"]["changed"] if a["no"] == history.followed.no)
    target = next(c for c in changed["changes"] if c["new"] == history.new_target.isoformat())
    assert target["old"] == history.followed.target_date.isoformat()
    assert [a["no"] for a in imr["actions"]["added"]] == [history.new_no]
    assert [a["no"] for a in imr["actions"]["removed"]] == [history.removed_action.no]


def test_whole_branch_summary_by_default_includes_uncommitted_edits(history: History, tmp_path: Path) -> None:
    """Default revisions: the merge-base with main against the working tree."""
    clone = Repo.clone(history.repo.root, tmp_path / "clone")
    clone.git("checkout", "-q", "-b", "feature", history.commits["base"])
    clone.git("merge", "-q", "--ff-only", history.commits["actions"])
    clone.git("branch", "-q", "-f", "main", history.commits["base"])
    folder = clone.root / "reviews" / history.draft.review_id / history.draft.agency_id
    edit_yaml(folder / "imr.yml", lambda data: data.update(status="submitted"))  # not committed
    code, out, err = sarflow(clone.root, "diff")
    assert code == 0, err
    assert f"Comparing `{history.commits['base'][:7]}` (the merge-base of HEAD and main) with the working tree." in out
    assert "- **IMR Status: draft → submitted**" in out
    assert "- **Chronology**: 1 added, 1 removed, 2 changed" in out
    assert f"  - added: action {history.new_no}, " in out


def test_no_change_says_so(history: History) -> None:
    commit = history.commits["review"]
    code, out, _ = sarflow(history.repo.root, "diff", commit, commit)
    assert code == 0
    assert "No changes to the review files." in out


def test_loaded_head_matches_the_scripted_edits(history: History) -> None:
    """The scripted commits really changed what the tests above assert (the fixture is not vacuous)."""
    head = load(history.repo.root)
    imr = head.review(history.imr.review_id).imrs[history.imr.agency_id]
    assert len(imr.chronology) == len(history.imr.chronology)  # one added, one removed
    assert any(e.source == NEW_ENTRY["source"] and str(e.time) == NEW_ENTRY["time"] for e in imr.chronology)
    assert [a.no for a in imr.actions][-1] == history.new_no
    assert not [f for f in imr.findings if f.severity.value == "error"]
