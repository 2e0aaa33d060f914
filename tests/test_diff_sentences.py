"""`sarflow diff` quotes each changed sentence, old beside new with the changed words marked,
and flags quality-assurance answers that check's own findings contradict.

Scripted commits on a copy of the worked example: an approved IMR's analysis softened ("did
not consider" → "may not have fully considered"), a section with one sentence removed and
more sentences added than the summary lists (the removal is never folded away), author text
that tries to format the summary, and an IMR's answers changed to "yes" while check reports
it late and its chronology out of order.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pypandoc
import pytest
from lxml import html
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from sarflow.changes.render import LIMIT, md
from sarflow.load import load
from sarflow.model import Repository
from test_diff_repo import Repo, copy_example, edit_yaml, sarflow

SOFTENED = ("and did not consider whether", "and may not have fully considered whether")
HOSTILE = "She said <img src=x onerror=alert(1)> | **bold** ~~struck~~ [link](https://example.org) and left."
ADDED = [f"Added sentence number {n} of the scripted test." for n in range(LIMIT + 2)]
REMOVED = "The daily care call lasted five weeks."


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Repo:
    where = tmp_path_factory.mktemp("diff-sentences")
    copy_example(root, where)
    repo = Repo(where)
    gp = where / "reviews" / "adult-a" / "gp-practice"
    def answered_no(data):
        for criterion in ("chronology-complete", "author-independent"):
            data["quality_assurance"][criterion]["answer"] = DoubleQuotedScalarString("no")

    edit_yaml(gp / "imr.yml", answered_no)
    repo.commit("The worked example")
    repo.git("tag", "base")

    asc = where / "reviews" / "adult-a" / "adult-social-care"
    analysis = asc / "analysis.md"
    analysis.write_text(analysis.read_text(encoding="utf-8").replace(*SOFTENED), encoding="utf-8")
    narrative = asc / "narrative.md"
    text = narrative.read_text(encoding="utf-8")
    assert REMOVED + "\n" in text
    narrative.write_text(text.replace(REMOVED + "\n", "", 1).rstrip() + "\n\n" + "\n".join([HOSTILE, *ADDED]) + "\n", encoding="utf-8")
    repo.commit("sentences")
    repo.git("tag", "sentences")

    def answers(data):
        for criterion in ("within-timescale", "chronology-complete", "author-independent"):
            data["quality_assurance"][criterion]["answer"] = DoubleQuotedScalarString("yes")

    edit_yaml(gp / "imr.yml", answers)

    def out_of_order(data):
        entries = data["entries"]
        entries[0], entries[-1] = entries[-1], entries[0]

    edit_yaml(gp / "chronology.yml", out_of_order)
    repo.commit("answers")
    repo.git("tag", "answers")
    return repo


def _diff(repo: Repo, base: str, head: str, *extra: str) -> str:
    code, out, err = sarflow(repo.root, "diff", *extra, base, head)
    assert code == 0, err
    return out


def _rows(out: str) -> list[str]:
    return [x for x in out.split("\n") if x.startswith("    | ") and x not in ("    | Before | After |", "    | --- | --- |")]


def test_a_softened_sentence_of_an_approved_imr_is_quoted_both_ways_with_the_changed_words_marked(repo: Repo) -> None:
    out = _diff(repo, "base", "sentences")
    assert out.index("Changes an approved IMR") < out.index("| Before | After |")
    row = next(r for r in _rows(out) if "did not consider" in r)
    was, now = row.removeprefix("    | ").removesuffix(" |").split(" | ")
    assert "and ~~did not consider~~ whether" in was and "~~" not in now and "**" not in was
    assert "and **may not have fully considered** whether" in now
    assert re.sub(r"~~|\*\*", "", was).replace("did not consider", "may not have fully considered") == re.sub(r"~~|\*\*", "", now)


def test_the_json_gives_each_changed_sentence_old_and_new(repo: Repo) -> None:
    found = json.loads(_diff(repo, "base", "sentences", "--format", "json"))
    imr = next(i for r in found["reviews"] for i in r["imrs"] if i["agency_id"] == "adult-social-care")
    sentences = [s for a in imr["answers"] for s in a["sentences"]]
    assert any(s["old"] and SOFTENED[0] in s["old"] and s["new"] and SOFTENED[1] in s["new"] for s in sentences)
    narrative = next(s for s in imr["sections"] if s["name"] == "narrative.md")
    assert {"old": REMOVED, "new": None} in narrative["sentences"]
    assert [s["new"] for s in narrative["sentences"] if s["old"] is None] == [HOSTILE, *ADDED]


def test_the_limit_folds_added_sentences_only_never_a_removal(repo: Repo) -> None:
    rows = _rows(_diff(repo, "base", "sentences"))
    assert f"    | ~~{md(REMOVED)}~~ |  |" in rows
    added = [r for r in rows if r.startswith("    |  | **")]
    assert len(added) == LIMIT and added[-1] == f"    |  | **{md(ADDED[LIMIT - 2])}** |"
    assert f"    | | … and {len(ADDED) + 1 - LIMIT} more sentences added (the redline shows them) |" in rows


def test_author_text_in_a_quoted_sentence_cannot_format_the_summary(repo: Repo) -> None:
    row = next(r for r in _rows(_diff(repo, "base", "sentences")) if "onerror" in r)
    inner = row.removeprefix("    |  | **").removesuffix("** |")
    assert not re.search(r"(?<!\\)[<>\[\]()*|~]", inner), inner  # every special character escaped
    assert inner == md(HOSTILE)


def _plain(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def test_github_s_markdown_shows_the_sentences_side_by_side_and_author_text_as_written(repo: Repo) -> None:
    """The summary as GitHub-flavoured Markdown renders it (pandoc's gfm reader): a table of two
    columns, the removed words struck through, the added in bold, and the hostile sentence as
    plain text: no image, no link, no formatting of its own."""
    page = html.fromstring(pypandoc.convert_text(_diff(repo, "base", "sentences"), "html", format="gfm"))
    cells = [[" ".join(td.text_content().split()) for td in tr.findall("td")] for tr in page.iter("tr")]
    softened = next(c for c in cells if c and "did not consider" in c[0])
    assert softened[1].endswith("may not have fully considered whether the care at home was adequate.")
    assert [_plain(d) for d in page.iter("del") if "consider" in _plain(d)] == ["did not consider"]
    assert "may not have fully considered" in [_plain(s) for s in page.iter("strong")]
    assert ["", HOSTILE] in cells
    assert not page.xpath("//img | //a | //em | //script") and not page.xpath("//td//del[contains(., 'struck')]")


def test_a_yes_that_check_contradicts_is_flagged(repo: Repo, example: Repository) -> None:
    out = _diff(repo, "sentences", "answers")
    criteria = {c.id: c.text for c in example.template.criteria}
    lines = {c: next(x for x in out.split("\n") if x.startswith(f"  - {md(criteria[c])}: ")) for c in
             ("within-timescale", "chronology-complete", "author-independent")}
    assert "⚠ answered yes, but sarflow check finds imr-late: " in lines["within-timescale"]
    assert lines["within-timescale"].endswith("no → yes")
    assert "⚠ answered yes, but sarflow check finds chronology-order: " in lines["chronology-complete"]
    assert "⚠" not in lines["author-independent"]


def test_a_board_that_renames_a_criterion_keeps_the_flag(tmp_path: Path, root: Path) -> None:
    """Which findings contradict a criterion is the template's to say: another id for it (and its
    answers), after `sarflow schemas`, is flagged as the template's own id was."""
    repo = Repo(tmp_path)
    copy_example(root, tmp_path)
    template = tmp_path / "schema" / "templates" / "sar9-v3.yml"
    text = template.read_text(encoding="utf-8")
    assert text.count("{id: within-timescale,") == 1
    template.write_text(text.replace("{id: within-timescale,", "{id: finished-on-time,"), encoding="utf-8")
    assert sarflow(tmp_path, "schemas")[0] == 0
    for imr in (tmp_path / "reviews").rglob("imr.yml"):
        imr.write_text(imr.read_text(encoding="utf-8").replace("  within-timescale:", "  finished-on-time:"), encoding="utf-8")
    gp = tmp_path / "reviews" / "adult-a" / "gp-practice" / "imr.yml"
    edit_yaml(gp, lambda data: data["quality_assurance"]["finished-on-time"].update(answer=DoubleQuotedScalarString("no")))
    assert sarflow(tmp_path, "check", str(tmp_path / "reviews"))[1].count("error[") == 0
    repo.commit("The example, with the board's own criterion id")
    repo.git("tag", "base")
    edit_yaml(gp, lambda data: data["quality_assurance"]["finished-on-time"].update(answer=DoubleQuotedScalarString("yes")))
    repo.commit("answered yes")
    text = next(c.text for c in load(tmp_path).template.criteria if c.id == "finished-on-time")
    line = next(x for x in _diff(repo, "base", "HEAD").split("\n") if x.startswith(f"  - {md(text)}: "))
    assert "⚠ answered yes, but sarflow check finds imr-late: " in line and line.endswith("no → yes")
