"""Patterns and look-ups rewritten for speed find exactly what their plainer forms find, on any text or path."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sarflow import restricted
from sarflow.cache import _inside_folder, fingerprint
from sarflow.check import abbreviations, markup, personnel, placeholders, text
from sarflow.check.text import Passage
from sarflow.findings import Finding, Severity, Span
from sarflow.links import Tree, walk
from sarflow.load import syntax, yamlfile
from sarflow.load.markdown import in_code, strip_comments
from sarflow.load.yamlfile import _span
from sarflow.restricted.identifiers import _DIGIT_RUN, _NI_CORE, _NUMBERS, _PHONE, _POSTCODE_CORE, _long_runs, _phone_search, _shape
from sarflow.restricted.values import Value, address_values, date_of_birth_value, name_values
from sarflow.scope import Scope, split

# The abbreviation rule's word as first written: the look-behinds before the first capital.
PLAIN_WORD = re.compile(r"(?:(?<![\w&/.@-])|(?<=[A-Za-z][/-]))([A-Z][A-Z0-9]*(?:&[A-Z][A-Z0-9]*)*)(?:'?s)?(?![\w&@])")
PIECES = ["GP", "A&E", "non-NHS", "GP/DN", "a/B", "x.GP", "@NHS", "SW1", "ASC's", "GPs", "_A", "é", "ÉA", "\n", " ", "-", "/",
          ".", "&", "'", "s", "1", "AB", "z", "Q"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=12).map("".join))
def test_the_abbreviation_word_is_found_as_before(text: str) -> None:
    plain = [(m.span(), m.span(1)) for m in PLAIN_WORD.finditer(text)]
    assert [(m.span(), m.span(1)) for m in abbreviations._WORD.finditer(text)] == plain


# The placeholder pattern as first written, without the look-ahead that skips most characters.
PLAIN_MARKER = re.compile(placeholders.MARKER.pattern.removeprefix(r"(?=[tfxieawl\[<])(?:").removesuffix(")"), re.I)
MARKER_PIECES = ["TBC", "tbd", "ToDo", "FIXME", "xxxx", "XX", "[insert date]", "[ add", "<the name>", "< your", "insert the name here",
                 "write here", "Enter your answer\nhere", "to be confirmed", "Lorem Ipsum", "İnsert", "ıNSERT", "&", "_", "\n",
                 "\x00", " ", "]", ">", "a", "here", "e", "there"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(MARKER_PIECES), st.text(max_size=3)), max_size=12).map("".join))
def test_the_placeholder_pattern_finds_what_it_found_before(text: str) -> None:
    assert [m.span() for m in placeholders.MARKER.finditer(text)] == [m.span() for m in PLAIN_MARKER.finditer(text)]
    assert bool(placeholders.MARKER.fullmatch(text)) == bool(PLAIN_MARKER.fullmatch(text))


FOLDED_PIECES = ["İNSERT here", "ınsert the date here", "inſert here", "lorem ıpsum", "TO BE ADDED", "to  be", "ADD", "add the date here",
                 "ſ", "K", "WRITE", "Lorem", "[", "<", "xXx", "Tb", "tbc&", "İ", "ı"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(MARKER_PIECES + FOLDED_PIECES), st.text(max_size=3)), max_size=12).map("".join))
def test_placeholders_are_looked_for_only_where_one_can_start(text: str) -> None:
    """Each placeholder begins with one of the starts looked for first, however its letters are written."""
    assert [m.span() for m in placeholders._found(text)] == [m.span() for m in PLAIN_MARKER.finditer(text)]


PASSAGE = st.builds(Passage, st.lists(st.sampled_from(MARKER_PIECES), max_size=6).map("".join), st.just(Span("x.md", 3, 4)),
                    st.booleans())


@settings(max_examples=300, deadline=None)
@given(st.lists(PASSAGE, max_size=6))
def test_placeholders_in_passages_joined_are_those_of_each_passage(passages: list[Passage]) -> None:
    """The first placeholder of each line of each passage, as a search of that passage alone finds it."""
    expected = {}
    for i, passage in enumerate(passages):
        lines: set[int] = set()
        for match in PLAIN_MARKER.finditer(passage.text):
            line = passage.text.count("\n", 0, match.start()) if passage.markdown else 0
            if line not in lines:
                lines.add(line)
                expected.setdefault(i, []).append((match.start(), match.group(0)))
    assert placeholders._markers(text.joined(passages)) == expected


NUMBER_PIECES = ["0", "07700 900123", "+44 (0)20 7946 0958", "(0161) 496 0000", "0044", "+", "(", ")", " ", "-", ".", "/", "1", "9",
                 "2024-03-12", "943 476 5919", "x", "\t", "\n"]
NUMBERS = st.lists(st.one_of(st.sampled_from(NUMBER_PIECES), st.text(alphabet="0123456789 .-(+", max_size=4)), max_size=14).map("".join)


@settings(max_examples=400, deadline=None)
@given(NUMBERS, st.integers(0, 40))
def test_a_telephone_number_is_searched_for_as_before(text: str, pos: int) -> None:
    found = _phone_search(text, pos)
    plain = _PHONE.search(text, pos)
    assert (found.span() if found else None) == (plain.span() if plain else None)


# The cores of a National Insurance number and of a postcode, and the places a run of numbers may hold ten digits,
# as first written: over the text itself, the first two digits of the first a repeat.
PLAIN_NI_CORE = re.compile(r"[0-9]{2}(?:[ \t-]{0,3}[0-9]{2}){2}[ \t-]{0,3}[A-D]\b", re.I)
PLAIN_POSTCODE_CORE = re.compile(r"[0-9][0-9A-HJKPSTUW]?[ \t]{0,3}[0-9][A-Z]{2}\b", re.I)
PLAIN_NUMBERS = re.compile(r"[0-9][0-9 .-]{9,}")
# Letters of every class the cores tell apart, in both cases, and what lies beyond ASCII: letters an ASCII letter's class
# matches in any case (Kelvin sign, long s, dotted and dotless i), others, digits the cores do not read as digits, spaces
# and marks that are not theirs.
CORE_PIECES = [*NUMBER_PIECES, "QQ 12 34 56 C", "ab123456d", "12-34-56-A", "NB4 7QT", "nb47qt", "GP1 2nd", "12th", "3 rd", "9 ZZ",
               "2\u212aK", "1\u017fs", "4\u0130\u0131", "é", "\u0663", "²", "\u00a0", "_", "’", "\x00", "Ω", "ß"]
CORE_TEXT = st.lists(st.one_of(st.sampled_from(CORE_PIECES), st.text(alphabet="0123456789 \t-._ABCDEHIJKLNPQSUVWZabcdehijklnpqsuvwz",
                                                                   max_size=4), st.text(max_size=2)), max_size=14).map("".join)


@settings(max_examples=500, deadline=None)
@given(CORE_TEXT)
def test_the_cores_found_in_the_shape_of_a_text_are_those_of_the_text(text: str) -> None:
    shape = _shape(text)
    assert len(shape) == len(text)
    for fast, plain in ((_NI_CORE, PLAIN_NI_CORE), (_POSTCODE_CORE, PLAIN_POSTCODE_CORE), (_NUMBERS, PLAIN_NUMBERS)):
        assert [m.span() for m in fast.finditer(shape)] == [m.span() for m in plain.finditer(text)]


def test_every_character_has_the_shape_its_classes_give_it() -> None:
    """Each character the plain cores' classes match, in any case, and only those, has the shape of that class."""
    classes = {"0": "[0-9]", "C": "[A-D]", "A": "[A-HJKPSTUW]", "B": "[A-Z]"}
    for code in [*range(0x250), 0x0663, 0x2000, 0x212A, 0xFF10, 0x1D7CE]:
        character = chr(code)
        shape = chr(_shape(character)[0])
        expected = next((s for s, cls in classes.items() if re.fullmatch(cls, character, re.I)), None)
        if expected is None:
            expected = character if character in " \t-." else "_" if re.fullmatch(r"\w", character) else "#"
        assert shape == expected, (hex(code), shape)


@settings(max_examples=400, deadline=None)
@given(NUMBERS)
def test_the_runs_of_numbers_that_may_hold_an_nhs_number_are_those_of_the_whole_text(text: str) -> None:
    def ten(run: re.Match[str]) -> bool:
        return sum(ch.isdigit() for ch in run.group(0)) >= 10

    assert [r.span() for r in _long_runs(text) if ten(r)] == [r.span() for r in _DIGIT_RUN.finditer(text) if ten(r)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ9_ -.\n\x00£éßİ\u00a0\u2003'ǰ’–²٣\u0300Ⅻ\x1f"), max_size=30))
def test_the_words_of_a_text_are_its_runs_of_letters_and_digits_casefolded(text: str) -> None:
    assert restricted._words(text) == set(re.findall(r"[^\W_]+", text.casefold()))


POOL = [*name_values("Hannah Pryce", "the real name of SW1", "SW1", "SW1", "a/x"), *name_values("Hannah Pryce", "the real name of SW1",
         "SW1", "SW1", "b/y"), *name_values("Dr Pryce", "the name of the IMR's author", "[name removed]", None, "a/x"),
         *name_values("Tom Pryce", "the real name of a member of staff", "[name removed]", None, "a/x"),
         date_of_birth_value(dt.date(1947, 3, 12), "Mr B"), date_of_birth_value(dt.date(1947, 3, 12), "Mrs B"),
         *address_values("14 Tanners Row, Northbridge, NB2 9LS", "Mr B")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(POOL), max_size=20))
def test_each_value_is_filed_under_each_of_its_keys_once_as_before(values: list[Value]) -> None:
    plain: dict[str, dict[str, list[Value]]] = {}
    for value in values:
        for key in value.keys:
            same = plain.setdefault(key, {}).setdefault(value.source, [])
            if value not in same:
                same.append(value)
    assert restricted.Restricted(values)._by_key == plain


class PlainScope:
    """`sarflow.scope.Scope` as first written, with pathlib's `is_relative_to` for every question."""

    def __init__(self, root: Path, paths: list[Path]) -> None:
        self.root = root.resolve()
        self.paths = [p.parent.resolve() / p.name if p.is_symlink() else p.resolve() for p in paths] if paths else None

    def touches(self, place: Path) -> bool:
        where = place.resolve()
        return self.paths is None or any(where.is_relative_to(p) or p.is_relative_to(where) for p in self.paths)

    def keeps(self, finding: Finding) -> bool:
        where = Path(os.path.normpath(self.root / finding.span.path))
        return self.paths is None or any(where.is_relative_to(p) for p in self.paths)


PLACES = ["reviews", "reviews/a", "reviews/a/x", "reviews/a/x/imr.yml", "reviews/ab", "reviews/link", "reviews/b", "site", "mkdocs.yml", "."]
SPAN_PATHS = st.lists(st.sampled_from(["reviews", "a", "ab", "b", "x", "link", "..", ".", "imr.yml", "site", "mkdocs.yml", "", "/"]),
                      max_size=5).map("/".join)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository's folders, with a review folder that is a link to another."""
    root = tmp_path_factory.mktemp("tree")
    for folder in ("reviews/a/x", "reviews/ab", "reviews/b", "site"):
        (root / folder).mkdir(parents=True)
    (root / "reviews/a/x/imr.yml").touch()
    (root / "mkdocs.yml").touch()
    (root / "reviews/link").symlink_to(root / "reviews/a")
    return root


def found_at(path: str) -> Finding:
    return Finding(Severity.WARNING, "code", "message", Span(path))


@settings(max_examples=300, deadline=None)
@given(paths=st.lists(st.sampled_from(PLACES), max_size=3), place=st.sampled_from(PLACES), at=SPAN_PATHS)
def test_a_scope_holds_what_it_held_before(tree: Path, paths: list[str], place: str, at: str) -> None:
    scope, plain = Scope(tree, [tree / p for p in paths]), PlainScope(tree, [tree / p for p in paths])
    assert scope.touches(tree / place) == plain.touches(tree / place)
    assert scope.keeps(found_at(at)) == plain.keeps(found_at(at))


@settings(max_examples=200, deadline=None)
@given(parts=st.dictionaries(st.integers(0, 5), st.lists(st.sampled_from(PLACES), max_size=3), max_size=4),
       spans=st.lists(SPAN_PATHS, max_size=8))
def test_findings_split_among_parts_are_those_each_part_keeps(tree: Path, parts: dict[int, list[str]], spans: list[str]) -> None:
    findings = [found_at(at) for at in spans]
    places = {name: [tree / p for p in paths] for name, paths in parts.items()}
    assert split(tree, places, findings) == {name: [f for f in findings if PlainScope(tree, paths).keeps(f)]
                                             for name, paths in places.items()}


def plain_walk(folder: Path) -> Tree:
    """`sarflow.links.walk` as first written: os.walk, and each entry asked again whether it is a link or a file."""
    tree = Tree()
    if folder.is_symlink():
        tree.links.append(folder)
        return tree
    for top, folders, files in os.walk(folder):
        for name in (*folders, *files):
            path = Path(top, name)
            if path.is_symlink():
                tree.links.append(path)
            elif name in files and path.is_file():
                tree.files.append(path)
    return Tree(sorted(tree.files), sorted(tree.links))


NAMES = st.sampled_from(["a", "b", "a-b", "a.b", "B", "imr.yml", ".hidden"])
MADE = st.tuples(st.sampled_from(["folder", "file", "link", "fifo"]), st.lists(NAMES, min_size=1, max_size=3),
                 st.sampled_from(["a", "b/a", "missing", "/"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(MADE, max_size=12), st.sampled_from(["", "a", "b", "a/a"]))
def test_a_folder_is_walked_as_before(made: list[tuple[str, list[str], str]], start: str) -> None:
    with tempfile.TemporaryDirectory() as top:
        root = Path(top)
        for kind, parts, target in made:
            path = root.joinpath(*parts)
            if path.parent.is_dir() and not path.parent.is_symlink() and not os.path.lexists(path):
                if kind == "folder":
                    path.mkdir()
                elif kind == "file":
                    path.write_text("x")
                elif kind == "fifo":
                    os.mkfifo(path)
                else:
                    path.symlink_to(target if target == "/" else root / target)
        assert walk(root / start) == plain_walk(root / start)
        tree = walk(root / start)
        for path in [*tree.files, *tree.links]:  # each named in a folder's fingerprint by its path inside the folder
            assert _inside_folder(path, root / start) == path.relative_to(root / start).as_posix()
        for path in root.rglob("*"):  # the fingerprint of a file's bytes, and of no link, folder or fifo
            plain = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else None
            assert fingerprint(path) == plain


# A link's pattern as first written, its optional ! first.
PLAIN_LINK = re.compile(r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*(<[^>\n]*>|[^\s)]+)")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["!", "[", "]", "(", ")", "![a](b.png)", "[x](y)", "[[n]]", " ", "\n", "<a>", "a", "!!["]),
                max_size=14).map("".join))
def test_a_link_is_found_as_before(text: str) -> None:
    assert [(m.span(), m.span(1)) for m in markup._LINK.finditer(text)] == [(m.span(), m.span(1)) for m in PLAIN_LINK.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["GP", "II", "IV", "XI", "XIV", "I", "TBC", "SW1", "A1B", "NHS", "MDT", "V", "CC", "IX"]),
       st.sampled_from(["", "part ", "Appendix ", "grade  ", "in ", "a part"]), st.sets(st.sampled_from(["GP", "IV", "MDT"])))
def test_whether_a_word_needs_the_glossary_is_decided_as_before(word: str, before: str, known: set[str]) -> None:
    plain = not (word in known or placeholders.MARKER.fullmatch(word) or not abbreviations._is_abbreviation(word, before))
    verdict = abbreviations._verdict(word, known)
    assert (verdict if verdict is not None else not abbreviations._NUMBERING.search(before)) == plain


# A staff id in the text as first written, with the look-behind before the first capital.
PLAIN_STAFF_ID = re.compile(r"(?<![\w&/.@-])([A-Z]+)([0-9]+)(?:'?s)?(?![\w&@])")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from([*PIECES, "SW1", "ED12's", "x/GP2", "@DN1", "GP1s", "9", "A"]), st.text(max_size=3)),
                max_size=12).map("".join))
def test_a_staff_id_is_found_as_before(text: str) -> None:
    spans = [(m.span(), m.span(1), m.span(2)) for m in personnel._STAFF_ID.finditer(text)]
    assert spans == [(m.span(), m.span(1), m.span(2)) for m in PLAIN_STAFF_ID.finditer(text)]


MARKUP_PIECES = ["<", ">", "[", "]", "(", ")", "![a](b.png)", "[x](y)", "[plan]: plan.pdf", "<https://x.org>", "<span class='a'>", "</p>",
                 "<!DOCTYPE html>", "<!-- note -->", "<!--", "-->", "`", "``", "```", "~~~", "~~", "`code`", "a", " ", "\n", "    "]
MARKUP = st.lists(st.one_of(st.sampled_from(MARKUP_PIECES), st.text(max_size=2)), max_size=14).map("".join)


@settings(max_examples=400, deadline=None)
@given(MARKUP)
def test_tags_and_links_are_found_as_every_pattern_finds_them_over_the_whole_text(written: str) -> None:
    """A text is not searched for a kind of link or tag when it lacks a character every one of them holds."""
    assert [m.span() for m in markup.tags(written)] == [m.span() for m in markup._TAG.finditer(written)]
    plain = [m.span(1) for pattern in (markup._LINK, markup._REFERENCE, markup._AUTOLINK) for m in pattern.finditer(written)]
    assert [m.span(1) for m in markup.links(written)] == plain


@settings(max_examples=400, deadline=None)
@given(MARKUP)
def test_code_and_comments_are_blanked_as_before(written: str) -> None:
    """Fences and code spans are looked for, and comments hidden, only in a text that can hold them: the same text as
    when a fence on a last line of its own makes the whole text be read (a line changes nothing before it)."""
    lines = written.split("\n")
    assert in_code(lines) == in_code([*lines, "```"])[:-1]
    assert text.without_code(written) == text.without_code(f"{written}\n```")[: len(written)]
    assert strip_comments(written) == re.sub(r"<!--.*?(-->|\Z)", lambda m: re.sub(r"[^\n]", " ", m.group(0)), written, flags=re.S)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20), st.integers(1, 10**6), st.integers(1, 10**4))
def test_a_position_the_loader_makes_is_the_one_its_class_makes(path: str, line: int, col: int) -> None:
    """The loader fills a Span's slots itself: the same value, hash, order, text and pickle as `Span(...)`, and no
    dictionary of its own (178,000 are kept at 30 reviews x 8 IMRs)."""
    made, plain = _span(path, line, col), Span(path, line, col)
    assert (made, hash(made), str(made), pickle.loads(pickle.dumps(made))) == (plain, hash(plain), str(plain), plain)
    assert not made < plain and not plain < made and not hasattr(made, "__dict__")
    with pytest.raises(AttributeError):
        made.line = 2  # type: ignore[misc]


def plain_keys_in_text(blocks: list[tuple[set[str], list[tuple[yaml.ScalarEvent, yaml.ScalarEvent]]]], keys: set[str],
                       text: str) -> list[tuple[int, int, str]]:
    """`syntax.keys_in_text` as first written: every line of every text read, colon or none."""
    lines, found = text.split("\n"), []
    for own, pairs in blocks:
        for key, value in pairs:
            (start, end), column = syntax.marks(value), syntax.marks(key)[0].column
            for index in range(start.line + 1, min(end.line + 1, len(lines))):
                match = re.match(r"^(?P<indent> *)(?P<key>[a-z_][a-z0-9_]*):(?: |$)", lines[index])
                if match and match.group("key") in keys - own and len(match.group("indent")) > column:
                    found.append((index + 1, len(match.group("indent")) + 1, match.group("key")))
    return found


TEXT_LINE = st.tuples(st.integers(0, 8), st.sampled_from(["words", "action: taken", "outcome:", "by: GP1", "no colon here",
                                                           "time: 14:30", "a: b", "", "event: seen"]))
ENTRY = st.tuples(st.sampled_from(["event", "action", "source"]), st.sampled_from([">-", "|", "plain"]), st.lists(TEXT_LINE, max_size=4),
                  st.sampled_from(["outcome", "by", "action", None]))


@settings(max_examples=400, deadline=None)
@given(st.lists(ENTRY, min_size=1, max_size=4))
def test_keys_in_text_are_found_as_when_every_line_was_read(entries: list[tuple[str, str, list[tuple[int, str]], str | None]]) -> None:
    """Texts without a colon are passed over: the same keys are found in what YAML reads as text, however indented."""
    written = ["entries:"]
    for key, style, lines, after in entries:
        written.append(f"  - {key}: {'words' if style == 'plain' else style}")
        written += [" " * indent + line for indent, line in lines]
        if after:
            written.append(f"    {after}: x")
    text = "\n".join(written) + "\n"
    read, mistake = syntax.compose(text, yamlfile._Builder("c.yml").read)
    if mistake is not None or read is None:
        return
    blocks = [(mapping.keys, mapping.blocks) for mapping in read.mappings if mapping.blocks]
    fast = [(m.line, m.col, m.message.split("`")[1].rstrip(":")) for m in syntax.keys_in_text(blocks, read.keys, text)]
    assert fast == plain_keys_in_text(blocks, read.keys, text)
