"""A date in YAML is read as PyYAML reads it, whether the loader takes its quick way (yyyy-mm-dd) or PyYAML's.

The loader reads most dates itself rather than through a PyYAML node; these tests hold its
answer to PyYAML's own for text that is a date, nearly one, or an impossible one, written
plainly or marked `!!timestamp`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from sarflow.load.yamlfile import parse_yaml
from sarflow.yamlloader import LOADER

IMPOSSIBLE = "impossible-date"


def pyyaml(value: str) -> Any:
    """What PyYAML's constructor makes of `value` as a timestamp: a date, a date and time, or IMPOSSIBLE."""
    node = yaml.ScalarNode("tag:yaml.org,2002:timestamp", value)
    try:
        made = yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    except (ValueError, KeyError, AttributeError, yaml.constructor.ConstructorError, OverflowError):
        return IMPOSSIBLE
    if isinstance(made, dt.datetime) and made.time() == dt.time() and made.tzinfo is None:
        return made.date()
    return made


def read(written: str) -> Any:
    doc = parse_yaml(f"date: {written}\n", "chronology.yml")
    codes = [f.code for f in doc.findings]
    if IMPOSSIBLE in codes:
        return IMPOSSIBLE
    assert not codes, codes
    return doc.data["date"]


near_dates = st.builds(
    lambda year, month, day, sep: f"{year}{sep}{month}{sep}{day}",
    st.text(alphabet="0123456789", min_size=4, max_size=4),
    st.text(alphabet="0123456789+x", min_size=1, max_size=2),
    st.text(alphabet="0123456789+x", min_size=1, max_size=2),
    st.sampled_from(["-", "-", "/"]),
)


@given(near_dates)
@example("2025-02-28")
@example("2025-02-29")
@example("2024-02-29")
@example("2025-13-01")
@example("2025-00-10")
@example("2025-1-05")
@example("0000-01-01")
@example("2025-+1-05")
def test_a_date_marked_as_one_is_read_as_pyyaml_reads_it(written: str) -> None:
    assert read(f"!!timestamp {written}") == pyyaml(written)


@given(near_dates)
@example("2025-02-28")
@example("2025-02-30")
@example("1999-12-31")
def test_a_plain_date_is_read_as_pyyaml_reads_it(written: str) -> None:
    resolved = LOADER("").resolve(yaml.ScalarNode, written, (True, False))  # as sarflow's loader reads a plain value
    expected = pyyaml(written) if resolved == "tag:yaml.org,2002:timestamp" else written
    assert read(written) == expected
