"""`sarflow diff` on pull requests as authors really make them, read as a panel member would.

Each test copies the worked example into a throwaway git repository, commits it as
main, makes one change in a second commit and reads the summary of the two: an action
deleted and the rest renumbered, a one-word edit, a progress update corrected, a job
title changed, a file renamed, a shallow clone, a summary too long for GitHub, and the
JSON for tools. Expected values are computed from the loaded example.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sarflow.changes.render import md
from sarflow.changes.words import headline
from sarflow.cli import main
from sarflow.dates import entry_date, uk
from sarflow.model import Imr, Repository
from test_diff_repo import Repo, edit_yaml, first_prose_line, prose_words, sarflow


@pytest.fixture
def repo(tmp_repo: Path) -> Repo:
    made = Repo(tmp_repo)
    made.commit("The worked example")
    return made


def _with_actions(example: Repository, at_least: int) -> Imr:
    return next(i for i in example.imrs() if len(i.actions) >= at_least)


def _folder(repo: Repo, imr: Imr) -> Path:
    return repo.root / "reviews" / imr.review_id / imr.agency_id


def _diff(repo: Repo, *arguments: str) -> str:
    code, out, err = sarflow(repo.root, "diff", *arguments)
    assert code == 0, err
    return out


def test_an_action_deleted_and_the_rest_renumbered_names_the_action_that_went(repo: Repo, example: Repository) -> None:
    imr = _with_actions(example, 3)
    gone, later = imr.actions[1], imr.actions[2:]

    def delete_and_renumber(data: Any) -> None:
        del data["actions"][1]
        for n, item in enumerate(data["actions"], start=1):
            item["no"] = n

    edit_yaml(_folder(repo, imr) / "actions.yml", delete_and_renumber)
    repo.commit("action 2 withdrawn")
    out = _diff(repo, "HEAD~1", "HEAD")
    first_words = " ".join(gone.recommendation.split()[:4])
    assert f"  - removed: action {gone.no}, “{md(first_words)}" in out
    for action in later:
        assert f"  - action {action.no} is now action {action.no - 1}" in out
    assert "Recommendation changed" not in out and "Status:" not in out


def test_one_word_is_counted_in_the_singular(repo: Repo, example: Repository) -> None:
    imr = next(i for i in example.imrs() if i.sections["narrative"].text.strip())
    narrative = _folder(repo, imr) / "narrative.md"
    text = narrative.read_text(encoding="utf-8")
    line = first_prose_line(text)
    word = next(w for w in line.split() if w.isalpha() and len(w) > 3)
    narrative.write_text(text.replace(line, line.replace(word, "Zebra", 1), 1), encoding="utf-8")
    repo.commit("one word")
    section = example.template.section("narrative")
    assert f"  - {section.number} {md(section.title)}: 1 word added, 1 removed" in _diff(repo, "HEAD~1", "HEAD")


def test_a_corrected_progress_update_is_named_plainly(repo: Repo, example: Repository) -> None:
    imr = next(i for i in example.imrs() if any(a.updates for a in i.actions))
    action = next(a for a in imr.actions if a.updates)

    def correct(data: Any) -> None:
        item = next(x for x in data["actions"] if x["no"] == action.no)
        item["updates"][0]["text"] = "Corrected by the scripted test."

    edit_yaml(_folder(repo, imr) / "actions.yml", correct)
    repo.commit("update corrected")
    line = next(x for x in _diff(repo, "HEAD~1", "HEAD").split("\n") if x.startswith(f"  - action {action.no} "))
    assert line == f"  - action {action.no} (“{md(headline(action.recommendation))}”): an earlier progress update edited or removed"


def test_each_job_title_in_the_sign_off_says_whose_it_is(repo: Repo, example: Repository) -> None:
    imr = next(i for i in example.imrs() if i.author and i.approved_by)
    fields = {c.key: c.title.rstrip(":") for c in example.template.sign_off}

    def retitle(data: Any) -> None:
        data["author"]["job_title"] = "Author's new title"
        data["approved_by"]["job_title"] = "Approver's new title"

    edit_yaml(_folder(repo, imr) / "imr.yml", retitle)
    repo.commit("job titles")
    out = _diff(repo, "HEAD~1", "HEAD")
    for who, new in (("author", "Author's new title"), ("approved_by", "Approver's new title")):
        old = getattr(imr, who).job_title
        title = f"{fields[f'{who}.job_title']} ({fields[f'{who}.name']})"
        assert f"  - {md(title)}: {md(old)} → {md(new)}" in out


def test_a_renamed_section_file_is_explained_not_called_unreadable(repo: Repo, example: Repository) -> None:
    imr = next(i for i in example.imrs() if i.sections["narrative"].text.strip())
    folder = _folder(repo, imr)
    (folder / "narrative.md").rename(folder / "narrative-draft.md")
    repo.commit("renamed")
    out = _diff(repo, "HEAD~1", "HEAD")
    shown = f"reviews/{imr.review_id}/{imr.agency_id}/narrative-draft.md"
    assert f"- ⚠ {md(shown)} is not one of the IMR's files, so sarflow does not read it: run `sarflow check`" in out
    assert "could not be read" not in out


def test_an_unchanged_broken_file_is_noted_once(repo: Repo, example: Repository) -> None:
    imr = example.imrs()[0]
    (_folder(repo, imr) / "chronology.yml").write_text("entries: [\n", encoding="utf-8")
    repo.commit("broken on main")
    other = next(i for i in example.imrs() if i.agency_id != imr.agency_id)
    edit_yaml(_folder(repo, other) / "imr.yml", lambda data: data.update(status="submitted" if other.status != "submitted" else "draft"))
    repo.commit("another IMR")
    out = _diff(repo, "HEAD~1", "HEAD")
    shown = md(f"reviews/{imr.review_id}/{imr.agency_id}/chronology.yml")
    assert out.count(shown) == 1
    assert f"- ⚠ {shown} could not be read before or after the change" in out


def test_a_shallow_clone_without_the_merge_base_is_told_to_fetch_the_history(repo: Repo, tmp_path: Path) -> None:
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("first on the branch")
    repo.commit("second on the branch")
    repo.git("checkout", "-q", "main")
    repo.commit("main moves on")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch", "--branch", "feature", repo.root.as_uri(), str(shallow)],
                   check=True, capture_output=True)
    code, out, err = sarflow(shallow, "diff")
    assert code == 2 and out == ""
    assert "HEAD and origin/main have no commit in common in this clone" in err
    assert "git fetch --unshallow" in err and "fetch-depth: 0" in err


def test_a_summary_too_long_for_github_is_cut_at_a_line_with_a_note(repo: Repo, example: Repository) -> None:
    for imr in example.imrs():
        edit_yaml(_folder(repo, imr) / "imr.yml", lambda data: data.update(status="approved" if data["status"] != "approved" else "draft"))
        edit_yaml(_folder(repo, imr) / "chronology.yml", lambda data: data.update(entries=data["entries"][::2]))
    repo.commit("every status, half of every chronology")
    full = _diff(repo, "HEAD~1", "HEAD")
    limit = len(full.encode()) // 2
    cut = _diff(repo, "--max-bytes", str(limit), "HEAD~1", "HEAD")
    assert len(cut.encode()) <= limit
    kept, note = cut.rstrip("\n").rsplit("\n", 1)
    assert full.startswith(kept.rstrip("\n") + "\n")
    assert note.startswith("**The summary stops here**") and "`sarflow diff --format json`" in note
    assert _diff(repo, "--max-bytes", str(len(full.encode())), "HEAD~1", "HEAD") == full


def test_max_bytes_too_small_for_the_note_is_a_usage_error(repo: Repo) -> None:
    code, out, err = sarflow(repo.root, "diff", "--max-bytes", "50", "HEAD", "HEAD")
    assert code == 2 and out == ""
    assert "--max-bytes" in err and "at least" in err


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_every_key_of_the_json_is_documented_in_the_help(repo: Repo, example: Repository) -> None:
    imr = _with_actions(example, 3)
    folder = _folder(repo, imr)

    def change(data: Any) -> None:
        data["actions"][0]["status"] = next(s for s in example.template.action_plan.statuses if s != imr.actions[0].status)
        data["actions"][0].setdefault("updates", []).append({"date": "2026-12-01", "text": "x"})
        data["actions"][0]["comment"] = "changed"
        del data["actions"][1]

    edit_yaml(folder / "actions.yml", change)
    edit_yaml(folder / "chronology.yml", lambda data: data["entries"].pop(0))
    edit_yaml(folder / "imr.yml", lambda data: data.update(status="draft"))
    repo.commit("many kinds of change")
    data = json.loads(_diff(repo, "--format", "json", "HEAD~1", "HEAD"))
    assert data["format"] == "sarflow-diff" and data["version"] == 1
    status = data["reviews"][0]["imrs"][0]["status"]
    assert status["key"] == "status" and status["new"] == "draft"
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown), pytest.raises(SystemExit):
        main(["diff", "--help"])
    documented = set(re.findall(r"\b([a-z_]+)\b", shown.getvalue().split("JSON (--format json)", 1)[1]))
    assert _keys(data) - documented == set()


def test_a_paragraph_moved_is_counted_as_moved_not_rewritten(repo: Repo, example: Repository) -> None:
    imr = next(i for i in example.imrs() if i.sections["narrative"].text.strip())
    narrative = _folder(repo, imr) / "narrative.md"
    text = narrative.read_text(encoding="utf-8")
    line = first_prose_line(text)
    narrative.write_text(text.replace(line + "\n", "", 1).rstrip("\n") + "\n\n" + line + "\n" + "One new sentence.\n", encoding="utf-8")
    repo.commit("a sentence moved to the end, one added")
    section = example.template.section("narrative")
    moved = prose_words(line)
    out = _diff(repo, "HEAD~1", "HEAD")
    assert f"  - {section.number} {md(section.title)}: 3 words added, 0 removed; {moved} words moved" in out
    data = json.loads(_diff(repo, "--format", "json", "HEAD~1", "HEAD"))
    (words,) = data["reviews"][0]["imrs"][0]["sections"]
    assert (words["added"], words["removed"], words["moved"]) == (3, 0, moved)


def test_the_subject_and_the_referral_of_a_review_are_followed_without_quoting_the_subject(repo: Repo, example: Repository) -> None:
    review = example.reviews[0]

    def change(data: Any) -> None:
        data["subject"]["name"] = "Adult Z"
        data["referral"]["source"] = "Police"
        data["referral"]["date"] = review.referral.date.replace(day=2 if review.referral.date.day != 2 else 3)

    edit_yaml(repo.root / "reviews" / review.id / "review.yml", change)
    repo.commit("subject renamed")
    out = _diff(repo, "HEAD~1", "HEAD")
    part = out.split(f"### {md(review.reference)} ({review.id}): the review\n", 1)[1]
    assert "- Subject of the review: 1 word added, 1 removed" in part
    assert "Adult Z" not in out and md(review.subject.name) not in part
    assert f"- Referral source: {md(review.referral.source)} → Police" in part
    assert "- Referral date: " in part


@pytest.mark.parametrize(
    ("name", "group"), [("chronology.yml", "- **Chronology**"), ("actions.yml", "- **Actions**"), ("imr.yml", "- **Quality assurance**")]
)
def test_a_file_broken_by_the_change_is_noted_and_its_records_are_not_called_removed(
    repo: Repo, example: Repository, name: str, group: str
) -> None:
    imr = _with_actions(example, 1)
    path = _folder(repo, imr) / name
    path.write_text(path.read_text(encoding="utf-8") + '\n  - "unterminated\n', encoding="utf-8")
    repo.commit(f"{name} broken")
    out = _diff(repo, "HEAD~1", "HEAD")
    shown = md(f"reviews/{imr.review_id}/{imr.agency_id}/{name}")
    assert f"- ⚠ {shown} could not be read after the change, so its changes are not listed: run `sarflow check`" in out
    assert group not in out and "removed" not in out and "Status" not in out and "Sign-off" not in out


def test_a_review_file_broken_by_the_change_is_noted_and_its_fields_are_not_called_removed(repo: Repo, example: Repository) -> None:
    review = example.reviews[0]
    path = repo.root / "reviews" / review.id / "review.yml"
    path.write_text(path.read_text(encoding="utf-8") + "broken: [\n", encoding="utf-8")
    repo.commit("review.yml broken")
    out = _diff(repo, "HEAD~1", "HEAD")
    assert f"### {md(review.reference)} ({review.id}): the review\n" in out
    unread = md(f"reviews/{review.id}/review.yml")
    assert f"- ⚠ {unread} could not be read after the change, so its changes are not listed: run `sarflow check`" in out
    assert "not set" not in out and "removed" not in out


def test_a_stray_file_already_there_before_the_change_is_not_noted_again(repo: Repo, example: Repository) -> None:
    imr, other = example.imrs()[0], example.imrs()[1]
    (_folder(repo, imr) / "notes.md").write_text("Working notes.\n", encoding="utf-8")
    repo.commit("a stray file on main")
    edit_yaml(_folder(repo, other) / "imr.yml", lambda data: data.update(status="submitted" if other.status != "submitted" else "draft"))
    repo.commit("another IMR")
    out = _diff(repo, "HEAD~1", "HEAD")
    assert "notes.md" not in out and "IMR Status" in out
    assert "notes.md is not one of the IMR's files" in _diff(repo, "HEAD~2", "HEAD")


def test_the_limit_never_hides_a_removal_or_a_correction(repo: Repo, example: Repository) -> None:
    """Twelve entries added, one removed and two dates corrected: the removal and both corrections
    (with their old dates) are shown whatever the limit, and only additions fold into "… and N more"."""
    imr = max(example.imrs(), key=lambda i: len(i.chronology))
    removed, first, second = imr.chronology[0], imr.chronology[3], imr.chronology[5]

    def change(data: Any) -> None:
        entries = data["entries"]
        for entry, days in ((entries[3], 2), (entries[5], 3)):
            entry["date"] = entry["date"] + dt.timedelta(days=days)
        del entries[0]
        entries.extend({"date": dt.date(2024, 1, n + 1), "source": f"Added record {n}", "event": "Added."} for n in range(12))

    edit_yaml(_folder(repo, imr) / "chronology.yml", change)
    repo.commit("entries added, one removed, two dates corrected")
    lines = [x for x in _diff(repo, "HEAD~1", "HEAD").split("\n") if x.startswith("  - ")]
    assert lines[0].startswith(f"  - removed: {entry_date(removed)}")
    corrected = [x for x in lines if x.startswith("  - changed: ")]
    for entry, days in ((first, 2), (second, 3)):
        assert any(f": Date: {uk(entry.date)} → {uk(entry.date + dt.timedelta(days=days))}" in x for x in corrected), corrected
    assert lines.index(corrected[-1]) < next(i for i, x in enumerate(lines) if x.startswith("  - added: "))
    added = [x for x in lines if x.startswith("  - added: ")]
    assert len(added) == 10 - 3 and lines[len(added) + 3] == "  - … and 5 more (`sarflow diff --format json` lists them all)"
