"""YAML syntax mistakes are reported where the author made them, in plain English, with a fix that works.

The mutation test writes the mistakes authors make into the worked example's YAML
files at random lines, as an author would make them, and asserts that the one finding
points at the mutated line, that none of PyYAML's own phrases reaches the author, and
that the edit behind the hint makes the file readable again. The named tests are the
bad inputs of issue 12, one each.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarflow.load import syntax
from sarflow.load.yamlfile import read_yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = sorted(p for p in (ROOT / "reviews").rglob("*.yml"))
CHRONOLOGY = ROOT / "reviews/adult-a/acute-trust/chronology.yml"

# What PyYAML and libyaml say; none of it may reach an author.
PYYAML = (
    "while scanning", "while parsing", "did not find expected", "could not find expected", "found character",
    "cannot start any token", "mapping values are not allowed", "found unexpected", "<block end>", "block mapping",
    "block collection", "block scalar", "simple key", "plain scalar", "quoted scalar", "flow sequence",
    "flow mapping", "indicator", "token", "<scalar>", "end of stream", "undefined alias", "violates indentation",
    "in \"<unicode string>\"",
)

# A `key: value` line whose value is plain text of at least two words.
PLAIN = re.compile(r"^(?P<lead> *(?:- )?)(?P<key>[a-z_][a-z0-9_-]*): (?P<value>[A-Za-z][^#:'\"]*[^\s#:'\"])$")
KEY = re.compile(r"^(?P<lead> *(?:- )?)(?P<key>[a-z_][a-z0-9_-]*):(?P<rest>(?: .*)?)$")

Mutated = tuple[list[str], int]  # the new lines, and the 1-based line of the mistake


def _plain(lines: list[str], i: int, words: int = 2) -> re.Match[str] | None:
    match = PLAIN.match(lines[i])
    return match if match and len(match.group("value").split()) >= words else None


def _put(lines: list[str], i: int, new: str) -> Mutated:
    return [*lines[:i], new, *lines[i + 1 :]], i + 1


def quote_then_more(quote: str) -> Callable[[list[str], int], Mutated | None]:
    def mutate(lines: list[str], i: int) -> Mutated | None:
        if not (m := _plain(lines, i)):
            return None
        first, rest = m.group("value").split(" ", 1)
        return _put(lines, i, f"{m.group('lead')}{m.group('key')}: {quote}{first}{quote} {rest}")
    return mutate


def unclosed_quote(lines: list[str], i: int) -> Mutated | None:
    if not (m := _plain(lines, i, 1)):
        return None
    return _put(lines, i, f"{m.group('lead')}{m.group('key')}: \"{m.group('value')}")


def reserved_start(character: str) -> Callable[[list[str], int], Mutated | None]:
    def mutate(lines: list[str], i: int) -> Mutated | None:
        if not (m := _plain(lines, i, 1)):
            return None
        return _put(lines, i, f"{m.group('lead')}{m.group('key')}: {character}{m.group('value')}")
    return mutate


def text_on_key_line(lines: list[str], i: int) -> Mutated | None:
    m = KEY.match(lines[i])
    if not m or m.group("rest").strip() not in (">-", "|", ">") or i + 1 >= len(lines):
        return None
    text = lines[i + 1].strip()
    if not text or text.startswith("#"):
        return None
    return [*lines[:i], f"{lines[i].rstrip()} {text}", *lines[i + 2 :]], i + 1


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_col(line: str) -> int | None:
    m = KEY.match(line)
    return len(m.group("lead")) if m else None


def _sibling_above(lines: list[str], i: int) -> bool:
    """The key on line i has a sibling key above it in the same mapping."""
    col = _key_col(lines[i])
    if col is None or lines[i].lstrip().startswith("- "):
        return False
    for above in reversed(lines[:i]):
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        if _indent(above) < col and not above.lstrip().startswith("- "):
            return False
        if _key_col(above) == col:
            return True
        if _indent(above) < col:
            return False
    return False


def dedented_key(lines: list[str], i: int) -> Mutated | None:
    if not _sibling_above(lines, i) or _indent(lines[i]) == 0:
        return None
    return _put(lines, i, lines[i][1:])


def over_indented_key(lines: list[str], i: int) -> Mutated | None:
    if not _sibling_above(lines, i) or not (i > 0 and _plain(lines, i - 1, 1)) or _key_col(lines[i - 1]) != _key_col(lines[i]):
        return None
    return _put(lines, i, "  " + lines[i])


def no_space_after_colon(lines: list[str], i: int) -> Mutated | None:
    if not (m := _plain(lines, i, 1)):
        return None
    return _put(lines, i, f"{m.group('lead')}{m.group('key')}:{m.group('value')}")


def tab_indentation(lines: list[str], i: int) -> Mutated | None:
    if _key_col(lines[i]) is None or _indent(lines[i]) == 0:
        return None
    return _put(lines, i, "\t" + lines[i].lstrip(" "))


def list_item_shifted(delta: int) -> Callable[[list[str], int], Mutated | None]:
    def mutate(lines: list[str], i: int) -> Mutated | None:
        if not lines[i].lstrip().startswith("- ") or i == 0:
            return None
        col = _indent(lines[i])
        previous = [j for j in range(i) if lines[j].lstrip().startswith("- ") and _indent(lines[j]) == col]
        between = lines[previous[-1] + 1 : i] if previous else []
        if not previous or any(line.strip() and _indent(line) < col for line in between) or col + delta < 0:
            return None
        end = i + 1
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > col):
            end += 1
        moved = [(" " * delta + line if delta > 0 else line[-delta:]) if line.strip() else line for line in lines[i:end]]
        return [*lines[:i], *moved, *lines[end:]], i + 1
    return mutate


def colon_in_value(lines: list[str], i: int) -> Mutated | None:
    if not (m := _plain(lines, i)):
        return None
    first, rest = m.group("value").split(" ", 1)
    return _put(lines, i, f"{m.group('lead')}{m.group('key')}: {first}: {rest}")


def missing_colon(lines: list[str], i: int) -> Mutated | None:
    if not (m := _plain(lines, i, 1)) or m.group("lead").strip():
        return None
    return _put(lines, i, f"{m.group('lead')}{m.group('key')} {m.group('value')}")


def text_lost_indentation(lines: list[str], i: int) -> Mutated | None:
    """A line of a `>-` text moved back to the key's column."""
    if i == 0 or KEY.match(lines[i]) or not lines[i].strip() or lines[i].lstrip()[0] in "-#":
        return None
    owner = next((j for j in range(i - 1, -1, -1) if KEY.match(lines[j])), None)
    if owner is None or owner == i - 1 or KEY.match(lines[owner]).group("rest").strip() != ">-":
        return None  # (the text's first line sets its indentation: YAML takes it back at the key's column)
    if any(not line.strip() for line in lines[owner + 1 : i + 1]):
        return None
    return _put(lines, i, " " * (_key_col(lines[owner]) or 0) + lines[i].lstrip())


MUTATIONS: dict[str, Callable[[list[str], int], Mutated | None]] = {
    "apostrophe then more": quote_then_more("'"),
    "double quote then more": quote_then_more('"'),
    "unclosed quote": unclosed_quote,
    **{f"value starting with {c}": reserved_start(c) for c in ["*", "@", "&", "!", "!!", "%", "`", "- "]},
    ">- with its text": text_on_key_line,
    "dedented key": dedented_key,
    "over-indented key": over_indented_key,
    "no space after colon": no_space_after_colon,
    "tab": tab_indentation,
    "list item one space right": list_item_shifted(1),
    "list item one space left": list_item_shifted(-1),
    "colon in a value": colon_in_value,
    "missing colon": missing_colon,
    "text lost its indentation": text_lost_indentation,
}


def _sites() -> list[tuple[str, Path, int]]:
    """Every line of the example where each mistake can be made and the reader then refuses the file. A mistake that
    leaves a file the reader takes (the one key of a mapping without its colon turns the mapping into text) is the
    schema's to explain, not the reader's."""
    sites = []
    for path in EXAMPLE:
        lines = path.read_text(encoding="utf-8").split("\n")
        for name, mutate in MUTATIONS.items():
            for i in range(len(lines)):
                mutated = mutate(lines, i)
                if mutated is not None and syntax.compose("\n".join(mutated[0]), list)[1] is not None:
                    sites.append((name, path, i))
    return sites


SITES = _sites()


def assert_plain_english(*texts: str) -> None:
    for text in texts:
        assert not [phrase for phrase in PYYAML if phrase in text.lower()], text


def read(tmp_path: Path, text: str) -> tuple[list[str], syntax.Mistake | None]:
    file = tmp_path / "mutated.yml"
    file.write_text(text, encoding="utf-8")
    findings = read_yaml(file, "mutated.yml").findings
    return [str(f) for f in findings], syntax.compose(text, list)[1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(site=st.sampled_from(SITES))
def test_every_mistake_is_found_at_its_line_with_a_fix_that_works(tmp_path: Path, site: tuple[str, Path, int]) -> None:
    name, path, i = site
    lines, line = MUTATIONS[name](path.read_text(encoding="utf-8").split("\n"), i)
    text = "\n".join(lines)
    findings, mistake = read(tmp_path, text)
    assert mistake is not None, (name, line)
    assert len(findings) == 1, findings
    assert findings[0].startswith(f"mutated.yml:{line}:"), (name, findings[0])
    assert_plain_english(mistake.message, mistake.hint)
    assert mistake.edit is not None, (name, findings[0])
    assert syntax.compose(mistake.applied(text), list)[1] is None, (name, findings[0], mistake.applied(text).split("\n")[line - 1])


def test_every_kind_of_mistake_has_somewhere_to_go() -> None:
    assert {name for name, _, _ in SITES} == set(MUTATIONS)


# The bad inputs of issue 12, each as the author wrote it.

ENTRY = """entries:
  - date: 2024-05-02
    source: Police log
{line}
    by: PC1
  - date: 2024-05-03
    source: Ward record
    event: Seen by the ward sister
    by: WN1
"""


def explained(text: str) -> syntax.Mistake:
    mistake = syntax.compose(text, list)[1]
    assert mistake is not None
    assert_plain_english(mistake.message, mistake.hint)
    assert mistake.edit is not None and syntax.compose(mistake.applied(text), list)[1] is None, mistake
    return mistake


@pytest.mark.parametrize(
    ("line", "col", "words", "fixed"),
    [
        ("    event: 'Lads' had gathered", 12, "apostrophe", "    event: \"'Lads' had gathered\""),
        ('    event: "Lads" had gathered', 12, "double quote", "    event: '\"Lads\" had gathered'"),
        ("    event: 'Adult A's son visited'", 20, "ends the value", '    event: "Adult A\'s son visited"'),
        ("    event: *urgent* visit", 12, "`*`", '    event: "*urgent* visit"'),
        ("    event: @home visit", 12, "`@`", '    event: "@home visit"'),
        ("    event: & more to follow", 12, "`&`", '    event: "& more to follow"'),
        ("    event: %50 less food eaten", 12, "`%`", '    event: "%50 less food eaten"'),
        ("    event: `Care Act` assessment", 12, "backtick", '    event: "`Care Act` assessment"'),
        ("    event: Seen at 14:30: no concerns", 25, "colon followed by a space", '    event: "Seen at 14:30: no concerns"'),
        ("    event:Lads had gathered", 10, "no space after the colon", "    event: Lads had gathered"),
    ],
)
def test_value_mistakes_at_their_column(line: str, col: int, words: str, fixed: str) -> None:
    text = ENTRY.format(line=line)
    mistake = explained(text)
    assert (mistake.line, mistake.col) == (4, col)
    assert words in mistake.message
    assert mistake.applied(text).split("\n")[3] == fixed
    assert f"`{fixed.strip()}`" in mistake.hint


@pytest.mark.parametrize("character", ["&", "!", "*"])
def test_a_value_yaml_reads_as_a_reference_label_or_type_is_refused(character: str) -> None:
    """`&partner present` and `!important visit` are valid YAML that silently drops a word; `*x` refers elsewhere."""
    text = ENTRY.format(line=f"    event: {character}partner present")
    mistake = explained(text)
    assert (mistake.line, mistake.col, mistake.code) == (4, 12, "yaml-alias")
    assert mistake.applied(text).split("\n")[3] == f'    event: "{character}partner present"'


def test_by_without_a_space_is_found_on_its_own_line() -> None:
    mistake = explained(ENTRY.format(line="    event: Seen at home").replace("    by: PC1", "    by:PC1"))
    assert (mistake.line, mistake.col) == (5, 7)
    assert "`by:PC1`" in mistake.message and "`by: PC1`" in mistake.hint


def test_unclosed_quote_is_found_where_it_opens_not_where_yaml_stops() -> None:
    lines = CHRONOLOGY.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("    source: ") and i > 5)
    lines[at] = lines[at].replace("source: ", 'source: "', 1)
    mistake = explained("\n".join(lines))
    assert (mistake.line, mistake.col) == (at + 1, 13)
    assert "not closed" in mistake.message


def test_block_text_on_the_keys_own_line() -> None:
    text = ENTRY.format(line="    event: >- Officers found Adult A on the floor")
    mistake = explained(text)
    assert (mistake.line, mistake.col) == (4, 12)
    assert mistake.applied(text).split("\n")[3:5] == ["    event: >-", "      Officers found Adult A on the floor"]


def test_dedented_key_is_found_on_its_own_line_not_the_next() -> None:
    text = ENTRY.format(line="   event: Seen at home")
    mistake = explained(text)
    assert (mistake.line, mistake.col) == (4, 4)
    assert "`event:`" in mistake.message and "`source:` on line 3" in mistake.message
    assert "4 spaces" in mistake.hint


def test_tab_indentation() -> None:
    text = ENTRY.format(line="\tevent: Seen at home")
    mistake = explained(text)
    assert (mistake.line, mistake.col) == (4, 1)
    assert "tab" in mistake.message and "4 spaces" in mistake.hint


@pytest.mark.parametrize("shift", ["   - ", " - "])
def test_list_item_indented_differently(shift: str) -> None:
    text = ENTRY.format(line="    event: Seen").replace("  - date: 2024-05-03", shift + "date: 2024-05-03")
    mistake = explained(text)
    assert (mistake.line, mistake.col) == (6, len(shift) - 1)
    assert "item of the list" in mistake.message and "line 2" in mistake.message


def test_text_that_lost_its_indentation() -> None:
    text = ENTRY.format(line="    event: >-\n      Officers attended.\n    Adult A was on the floor.")
    mistake = explained(text)
    assert (mistake.line, mistake.col) == (6, 5)
    assert mistake.applied(text).split("\n")[5] == "      Adult A was on the floor."


def test_key_without_its_colon() -> None:
    text = ENTRY.format(line="    event Seen at home")
    mistake = explained(text)
    assert (mistake.line, mistake.col) == (4, 10)
    assert "`event: Seen at home`" in mistake.hint


def test_character_that_is_not_text() -> None:
    mistake = syntax.compose(ENTRY.format(line="    event: Seen\x07 at home"), list)[1]
    assert mistake is not None and (mistake.line, mistake.col) == (4, 16)
    assert "U+0007" in mistake.message


def test_a_key_indented_into_the_text_above_is_a_warning(tmp_path: Path) -> None:
    """Valid YAML, so PyYAML says nothing: the action would become words of the event."""
    text = ENTRY.format(line="    event: >-\n      Officers attended.\n      action: PC1 called an ambulance.")
    text += "    action: WN1 called the family.\n"  # `action` is a key of the entries
    file = tmp_path / "chronology.yml"
    file.write_text(text, encoding="utf-8")
    findings = read_yaml(file, "chronology.yml").findings
    assert [(f.code, f.severity.value, f.span.line, f.span.col) for f in findings] == [("key-in-text", "warning", 6, 7)]
    assert "`action:`" in findings[0].message and "4 spaces" in (findings[0].hint or "")
    fixed = text.replace("      action: PC1", "    action: PC1")
    file.write_text(fixed, encoding="utf-8")
    assert read_yaml(file, "chronology.yml").findings == []


def test_several_documents_are_found_at_the_separator(tmp_path: Path) -> None:
    file = tmp_path / "actions.yml"
    file.write_text("actions: []\n---\nactions: []\n", encoding="utf-8")
    findings = read_yaml(file, "actions.yml").findings
    assert [(f.code, f.span.line) for f in findings] == [("several-documents", 2)]


def test_a_bracket_alone_before_a_list_of_items() -> None:
    text = "family: [\n  - name: Adult A\n    relationship: Subject\n"
    mistake = explained(text)
    assert (mistake.line, mistake.col) == (1, 9)
    assert mistake.applied(text).split("\n")[0] == "family:"


@pytest.mark.parametrize(
    ("written", "fixed", "words"),
    [
        ("  name Leofric Ambersley", "  name: Leofric Ambersley", "`name` has no colon after it"),
        ("  name:Leofric Ambersley", "  name: Leofric Ambersley", "no space after the colon"),
    ],
)
def test_the_first_key_of_a_mapping_without_its_colon_is_found_there_not_at_the_key_after_it(written: str, fixed: str,
                                                                                            words: str) -> None:
    """The key after it is where YAML stops, in line with it: it is not out of line with the mapping's own key above."""
    text = f"agency: housing\nauthor:\n{written}\n  job_title: Head of Tenancy Services\napproved_by:\n  name: Rosamund Tiverton\n"
    mistake = explained(text)
    assert (mistake.line, words in mistake.message) == (3, True), mistake
    assert mistake.applied(text).split("\n")[2] == fixed


def test_the_first_key_of_an_item_without_the_space_after_its_colon_is_found_there() -> None:
    text = ("terms_of_reference:\n  scope: The last year of her life.\n  questions:\n    - id:Q1\n      text: >-\n"
            "        How well did the agency respond?\n    - id: Q2\n      text: What was known?\n")
    mistake = explained(text)
    assert (mistake.line, "no space after the colon" in mistake.message) == (4, True), mistake
    assert mistake.applied(text).split("\n")[3] == "    - id: Q1"
