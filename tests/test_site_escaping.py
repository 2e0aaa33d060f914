"""Author text cannot inject HTML (or Markdown links) into the status site.

A copy of the example gets hostile values where authors write free text: an action's
recommendation, an agency's name, an update, a review reference, a ToR question and
the board's name. The built files must hold only the escaped text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from pathlib import Path

import pytest

from helpers import edit_yaml
from sarflow.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
LINK = "[click me](javascript:alert(2)) **bold** <b>bold</b>"
REFERENCE = 'SAR"><svg onload=alert(3)>'
BOARD = "Board </title><script>alert(4)</script> & Partners"
SUBJECT = "Adult **A** [x](javascript:alert(5)) `code` _i_ \\*not\\* &amp; #"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    review = next(p for p in sorted((root / "reviews").iterdir()) if (p / "review.yml").is_file())
    imr = next(p for p in sorted(review.iterdir()) if (p / "actions.yml").is_file() and "actions:" in (p / "actions.yml").read_text())

    def hostile_review(data) -> None:
        data["reference"] = REFERENCE
        data["subject"]["name"] = SUBJECT
        data["terms_of_reference"]["questions"][0]["text"] = SCRIPT
        other = next(a for a in data["agencies"] if a["id"] != imr.name)
        other["name"] = IMAGE

    def hostile_actions(data) -> None:
        data["actions"][0]["recommendation"] = SCRIPT
        latest = data["actions"][0]["updates"][-1]["date"]
        data["actions"][0]["updates"].append({"date": dt.date.fromisoformat(str(latest)) + dt.timedelta(days=1), "text": LINK})

    edit_yaml(review / "review.yml", hostile_review)
    edit_yaml(imr / "actions.yml", hostile_actions)
    edit_yaml(root / "reviews" / "board.yml", lambda data: data.__setitem__("name", BOARD))
    out = root / "build"
    assert main(["--root", str(root), "build", "--only", "site", "--out", str(out)]) == 0
    return out / "site"


def built_text(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8", errors="ignore")
            for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml", ".js")}


def test_no_hostile_markup_survives_in_any_file(site: Path) -> None:
    for name, text in built_text(site).items():
        lowered = text.lower()
        for raw in ("<script>alert", "<img src=x", "<svg onload", "<b>bold"):
            assert raw not in lowered.replace("\\u003c", "<"), f"{name} holds {raw!r}"


def test_the_escaped_text_is_shown(site: Path) -> None:
    actions = (site / "actions" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in actions
    assert "&lt;img src=x onerror=alert(1)&gt;" in (site / "index.html").read_text(encoding="utf-8")
    assert "[click me](javascript:alert(2)) **bold** &lt;b&gt;bold&lt;/b&gt;" in actions
    assert "SAR&quot;&gt;&lt;svg onload=alert(3)&gt;" in actions


def test_titles_and_the_site_name_hold_plain_text_only(site: Path) -> None:
    for name, text in built_text(site).items():
        if name.endswith(".html"):
            title = re.search(r"<title>(.*?)</title>", text, re.S)
            assert title and not re.search(r"[<>\"]", title.group(1)), f"{name}: {title.group(1)!r}"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Board /title script alert(4) /script Partners" in home
    assert "Board &lt;/title&gt;&lt;script&gt;alert(4)&lt;/script&gt; &amp; Partners" in home


def test_no_link_is_made_from_author_text(site: Path) -> None:
    actions = (site / "actions" / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]*)"', actions)
    assert not [h for h in hrefs if ":" in h and not h.startswith(("http://127.", "#"))]
    assert "<strong>bold</strong>" not in actions and "<b>bold</b>" not in actions


def test_a_page_heading_shows_markdown_in_a_name_as_typed(site: Path) -> None:
    """The page's heading is a Markdown one: the name's Markdown must stay text, and its HTML too."""
    review = next(p for p in sorted((site / "reviews").iterdir()) if p.is_dir())  # the first, as the fixture planted
    page = (review / "index.html").read_text(encoding="utf-8")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert "<" not in heading.replace("&lt;", "")
    assert html.unescape(heading) == f"{REFERENCE}: {SUBJECT}"
