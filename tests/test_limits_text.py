"""Author text that once made `sarflow check` run for minutes: every line is read in time linear in its length.

A heading line ending in a few thousand spaces took the loader's heading pattern longer
than any build may take; a section of one abbreviation written thousands of times made
the abbreviation rule work out the position of every use. Each is read here in full,
and the heading's words must come out exactly as the old pattern gave them.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from sarflow.check import check
from sarflow.load import load
from sarflow.load.markdown import parse_section

NARRATIVE = "reviews/adult-a/gp-practice/narrative.md"
# The pattern the loader read headings with until it proved quadratic (and worse) on trailing spaces.
OLD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")


@given(st.text(alphabet=" \t#aQ1.", max_size=30), st.integers(1, 6))
def test_a_heading_reads_as_the_old_pattern_read_it(words: str, level: int) -> None:
    line = "#" * level + " " + words
    old = OLD_HEADING.match(line)
    assert old is not None
    headings = parse_section(line + "\n", "x.md", "narrative").headings
    assert [(h.level, h.title) for h in headings] == [(len(old.group(1)), old.group(2))]


def test_a_heading_with_thousands_of_spaces_before_its_last_word_is_read(tmp_repo: Path) -> None:
    title = "Q1 The" + " " * 200_000 + "answer"
    (tmp_repo / NARRATIVE).write_text(f"## {title}\n\nIt was read.\n", encoding="utf-8")
    section = load(tmp_repo).review("adult-a").imrs["gp-practice"].sections["narrative"]
    assert [(h.level, h.title, h.body) for h in section.headings] == [(2, title, "It was read.")]


def test_an_abbreviation_used_twenty_thousand_times_is_reported_once_at_its_first_use(tmp_repo: Path) -> None:
    (tmp_repo / NARRATIVE).write_text("The first line.\n\n" + "ZQX " * 20_000 + "\n", encoding="utf-8")
    hits = [f for f in check(load(tmp_repo), [tmp_repo / NARRATIVE]) if f.code == "abbreviation-missing"]
    assert [(f.span.line, f.span.col, f.message) for f in hits] == [
        (3, 1, "`ZQX` is used here (and 19999 more times) but is not in the glossary of abbreviations")
    ]
