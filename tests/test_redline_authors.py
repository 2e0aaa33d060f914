"""`sarflow redline` credits each tracked change to the author of the commit that made it.

A scripted history with two authors editing different paragraphs of one IMR, and a third
whose commit (HEAD) touches nothing of it: every w:ins and w:del carries the name and date of
the author who made that change, a deletion the one who deleted the words, a paragraph one
author wrote stays theirs when the other fixes a typo in it, a chronology entry changed in
YAML is credited to the commit that changed it, and no e-mail address is anywhere in the
document. The second author also adds a progress update (the redline shows it, inserted) and
replaces a chronology entry by one dated a day earlier (the removed row stays in date order).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from test_diff_repo import Repo, copy_example, edit_yaml, sarflow

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
IMR = "adult-a/adult-social-care"
ALICE = ("Alice Writer", "alice.writer@example.org", "2026-04-01T10:00:00+01:00", "2026-04-01T09:00:00Z")
BOB = ("Bob Fixer", "bob.fixer@example.net", "2026-04-02T15:00:00+00:00", "2026-04-02T15:00:00Z")
CAL = ("Cal Later", "cal.later@example.com", "2026-04-03T08:00:00+00:00", "2026-04-03T08:00:00Z")
NEW_PARAGRAPH = "The duty team took the {word} on the same day and asked the GP practice for a list of her medicines."
REMOVED = "Carers were turned away and twice found Mr B at the flat smelling of alcohol."
OUTCOME = "Outcome rewritten by the second author of the scripted test."
UPDATE = "Progress update added by the second author of the scripted test."
CORRECTED = "Entry put in place of another by the second author of the scripted test."


def _commit(repo: Repo, who: tuple[str, str, str, str], message: str) -> None:
    name, email, date, _ = who
    person = ["-c", f"user.name={name}", "-c", f"user.email={email}"]
    repo.git(*person, "add", "-A")
    repo.git(*person, "commit", "-q", "-m", message, "--date", date)


def _text(element: etree._Element, *tags: str) -> str:
    return "".join(t.text or "" for t in element.iter(*(f"{{{W}}}{tag}" for tag in tags or ("t", "delText"))))


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory, root: Path) -> dict[str, bytes]:
    where = tmp_path_factory.mktemp("redline-authors")
    copy_example(root, where)
    repo = Repo(where)
    base = repo.commit("The worked example", "2026-03-01T09:00:00+00:00")
    folder = where / "reviews" / IMR
    narrative = folder / "narrative.md"

    # Alice: one word replaced in one paragraph, and a paragraph of her own (with a typo) at the end.
    text = narrative.read_text(encoding="utf-8")
    text = text.replace("was thorough and well recorded", "was thorough and carefully recorded", 1)
    narrative.write_text(f"{text.rstrip()}\n\n{NEW_PARAGRAPH.format(word='refferal')}\n", encoding="utf-8")
    _commit(repo, ALICE, "Alice's edits")

    # Bob: the typo in Alice's paragraph fixed, a sentence of another paragraph deleted, a chronology outcome rewritten.
    text = narrative.read_text(encoding="utf-8").replace("refferal", "referral").replace(REMOVED + "\n", "", 1)
    narrative.write_text(text, encoding="utf-8")
    def chronology(data: Any) -> None:
        entries = data["entries"]
        changed = next(n for n, e in enumerate(entries) if e.get("outcome"))
        entries[changed]["outcome"] = OUTCOME
        days = [dt.date.fromisoformat(str(e["date"])) if len(str(e["date"])) == 10 else None for e in entries]
        at = next(n for n in range(changed + 3, len(entries)) if days[n] and days[n - 1] and days[n] - days[n - 1] > dt.timedelta(days=1))
        entries[at] = {"date": days[at] - dt.timedelta(days=1), "source": "Scripted correction", "event": CORRECTED}

    edit_yaml(folder / "chronology.yml", chronology)
    edit_yaml(folder / "actions.yml", lambda data: data["actions"][0].setdefault("updates", []).append({"date": dt.date(2026, 4, 2), "text": UPDATE}))
    _commit(repo, BOB, "Bob's edits")

    # Cal: the newest commit, outside the IMR.
    (where / "NOTES.txt").write_text("a note outside the reviews\n", encoding="utf-8")
    _commit(repo, CAL, "a note")

    out = where / "authors.docx"
    code, _, err = sarflow(where, "redline", base, "HEAD", IMR, "-o", str(out))
    assert code == 0, err
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def body(document: dict[str, bytes]) -> etree._Element:
    return etree.fromstring(document["word/document.xml"])


def _changes(body: etree._Element, needle: str) -> list[etree._Element]:
    """The w:ins and w:del with words in them of the paragraph whose text holds `needle`."""
    paragraph = next(p for p in body.iter(f"{{{W}}}p") if needle in _text(p))
    return [c for c in paragraph.iter(f"{{{W}}}ins", f"{{{W}}}del") if _text(c).strip()]


def _credited(changes: list[etree._Element]) -> set[tuple[str, str]]:
    return {(c.get(f"{{{W}}}author"), c.get(f"{{{W}}}date")) for c in changes}


def test_a_word_replaced_is_the_author_s_who_replaced_it(body: etree._Element) -> None:
    changes = _changes(body, "thorough and")
    assert sorted(_text(c) for c in changes) == ["carefully", "well"]
    assert _credited(changes) == {(ALICE[0], ALICE[3])}


def test_a_new_paragraph_stays_its_writer_s_when_a_colleague_fixes_a_typo_in_it(body: etree._Element) -> None:
    changes = _changes(body, "The duty team took the referral")
    assert changes and _credited(changes) == {(ALICE[0], ALICE[3])}


def test_a_deletion_is_the_author_s_who_deleted_it(body: etree._Element) -> None:
    changes = _changes(body, "Carers were turned away")
    deleted = [c for c in changes if c.tag == f"{{{W}}}del" and "smelling of alcohol" in _text(c)]
    assert deleted and _credited(deleted) == {(BOB[0], BOB[3])}


def test_a_chronology_entry_changed_in_yaml_is_the_author_s_who_changed_it(body: etree._Element) -> None:
    row = next(r for r in body.iter(f"{{{W}}}tr") if OUTCOME in _text(r, "t"))
    changes = [c for c in row.iter(f"{{{W}}}ins", f"{{{W}}}del") if _text(c).strip()]
    assert {c.tag for c in changes} == {f"{{{W}}}ins", f"{{{W}}}del"}
    assert _credited(changes) == {(BOB[0], BOB[3])}


def test_a_progress_update_added_is_in_the_redline_as_inserted(body: etree._Element) -> None:
    inserted = [c for c in body.iter(f"{{{W}}}ins") if UPDATE in _text(c, "t")]
    assert inserted, "the progress update is in the redline"
    assert _credited(inserted) == {(BOB[0], BOB[3])}


def test_a_removed_chronology_entry_stays_in_date_order(body: etree._Element) -> None:
    table = next(t for t in body.iter(f"{{{W}}}tbl") if CORRECTED in _text(t, "t"))
    rows = table.findall("w:tr", NS)
    removed = [r for r in rows if r.find("w:trPr/w:del", NS) is not None]
    assert removed, "the replaced entry is shown removed"
    dates = []
    for row in rows:
        first = _text(row.find("w:tc", NS))
        if found := re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", first.strip()):
            dates.append(f"{found[3]}-{found[2]}-{found[1]}")
    assert len(dates) > 10 and dates == sorted(dates)


def test_the_newest_commit_gets_no_change_it_did_not_make(body: etree._Element) -> None:
    authors = {c.get(f"{{{W}}}author") for c in body.iter(f"{{{W}}}ins", f"{{{W}}}del")}
    assert authors == {ALICE[0], BOB[0]}


def test_no_e_mail_address_is_in_the_document(document: dict[str, bytes]) -> None:
    for name, data in document.items():
        for who in (ALICE, BOB, CAL):
            assert who[1].encode() not in data, f"{who[1]} in {name}"
