"""Rules that read the author's text: abbreviations, anonymisation and Markdown safety."""

from __future__ import annotations

from pathlib import Path

import pytest

from sarflow.check import check
from sarflow.findings import Finding, Severity
from sarflow.load import load
from sarflow.restricted import nhs_number_valid

GP = "reviews/adult-a/gp-practice"
NARRATIVE = f"{GP}/narrative.md"


def write(root: Path, rel: str, text: str) -> str:
    (root / rel).write_text(text, encoding="utf-8")
    return rel


def found(root: Path, rel: str, code: str | None = None) -> list[Finding]:
    """The findings in the file `rel` (with `code`); every one names that file."""
    hits = check(load(root), [root / rel])
    assert all(f.span.path == rel for f in hits)
    return [f for f in hits if code is None or f.code == code]


def at(finding: Finding) -> tuple[int, int, str]:
    return finding.span.line, finding.span.col, finding.message


def narrative(root: Path, text: str, code: str) -> list[tuple[int, int, str]]:
    return [at(f) for f in found(root, write(root, NARRATIVE, text), code)]


# --- 5. Abbreviations --------------------------------------------------------------------------------


def test_abbreviation_missing_from_the_glossary(tmp_repo: Path) -> None:
    text = "The GP wrote to the CQC.\nThe CQC's reply and two more CQCs followed.\n"
    hits = found(tmp_repo, write(tmp_repo, NARRATIVE, text), "abbreviation-missing")
    assert [at(f) for f in hits] == [
        (1, 21, "`CQC` is used here (and 2 more times) but is not in the glossary of abbreviations")
    ]
    assert hits[0].hint == ("add `CQC: <what it stands for>` under abbreviations in imr.yml; "
                            "if it is not an abbreviation, write it in lower case")
    assert hits[0].severity is Severity.WARNING


def test_what_is_not_an_abbreviation(tmp_repo: Path) -> None:
    text = ("GP1 and PN1 met under Part II and schedule XIV.\n"
            "The code `MARAC` and the block below are literal.\n"
            "```\nSSKIN\n```\n"
            "<!-- TODO: ask about the DVLA letter -->\n"
            "A single capital: Adult A, Mr B, Q3 and L1.\n"
            "See https://example.org/ABC/DEF for the guidance.\n")
    assert narrative(tmp_repo, text, "abbreviation-missing") == []


def test_abbreviations_with_ampersand_digit_and_in_data(tmp_repo: Path) -> None:
    sentence = "She went to A&E and then onto the D2A pathway."
    write(tmp_repo, NARRATIVE, sentence + "\n")
    chronology = tmp_repo / GP / "chronology.yml"
    chronology.write_text(chronology.read_text(encoding="utf-8").replace(
        "event: Adult A did not attend her annual diabetes review.", "event: Adult A missed her HbA1c and COPD review."), encoding="utf-8")
    hits = [at(f) for f in check(load(tmp_repo), [tmp_repo / GP]) if f.code == "abbreviation-missing"]
    line = next(i for i, text in enumerate(chronology.read_text(encoding="utf-8").split("\n"), 1) if "COPD" in text)
    assert hits == [  # sorted by file: chronology.yml, then narrative.md
        (line, 12, "`COPD` is used here but is not in the glossary of abbreviations"),
        (1, sentence.index("A&E") + 1, "`A&E` is used here but is not in the glossary of abbreviations"),
        (1, sentence.index("D2A") + 1, "`D2A` is used here but is not in the glossary of abbreviations"),
    ]


def test_capitals_for_emphasis_or_a_quoted_title_are_not_abbreviations(tmp_repo: Path) -> None:
    text = ('NOTE: the letter titled "URGENT - DO NOT FILE" was filed.\n'
            "It was not urgent, the note said; staff do file letters.\n"
            "She said she was FINE.\n")
    assert narrative(tmp_repo, text, "abbreviation-missing") == [
        (3, 18, "`FINE` is used here but is not in the glossary of abbreviations")  # "fine" is not in the text
    ]


def test_identifiers_tags_and_link_targets_are_not_abbreviations(tmp_repo: Path) -> None:
    text = ("She moved from SW1A 1AA to EC1A 1BB; her number was QQ 12 34 56 C.\n"
            "See ![map](BODY-MAP.PNG) and <DIV>.\n")
    assert narrative(tmp_repo, text, "abbreviation-missing") == []


def test_abbreviations_after_a_hyphen_or_a_slash(tmp_repo: Path) -> None:
    text = "A non-CQC provider and the GP/OT joint visit.\n"
    assert narrative(tmp_repo, text, "abbreviation-missing") == [
        (1, 7, "`CQC` is used here but is not in the glossary of abbreviations"),
        (1, 31, "`OT` is used here but is not in the glossary of abbreviations"),
    ]


def test_two_letter_roman_numeral_only_after_a_numbering_word(tmp_repo: Path) -> None:
    text = "See Appendix IV and a grade IV pressure ulcer under Type II.\nShe was given IV antibiotics.\n"
    assert narrative(tmp_repo, text, "abbreviation-missing") == [
        (2, 15, "`IV` is used here but is not in the glossary of abbreviations")
    ]


# --- 8. Anonymisation --------------------------------------------------------------------------------


def staff(root: Path) -> tuple[str, str]:
    imr = load(root).review("adult-a").imrs["gp-practice"]
    person = imr.personnel[0]
    assert person.id and person.name
    return person.id, person.name


def test_real_name_of_staff(tmp_repo: Path) -> None:
    person_id, name = staff(tmp_repo)
    words = name.split()
    text = f"The letter was filed by {' '.join(words[-2:])}.\nLater {words[0]} {words[-1]} rang Mr B.\n"
    hits = found(tmp_repo, write(tmp_repo, NARRATIVE, text), "real-name")
    message = f"`{{}}` is the real name of {person_id}; staff are named in the text only by their ids"
    assert [at(f) for f in hits] == [(1, 25, message.format(" ".join(words[-2:]))), (2, 7, message.format(f"{words[0]} {words[-1]}"))]
    assert hits[0].hint == f"write {person_id} instead"
    assert hits[0].severity is Severity.WARNING


def test_real_name_in_the_chronology_points_at_the_value(tmp_repo: Path) -> None:
    _person_id, name = staff(tmp_repo)
    chronology = tmp_repo / GP / "chronology.yml"
    text = chronology.read_text(encoding="utf-8").replace("action: PN1 sent a letter", f"action: {name} sent a letter")
    chronology.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.split("\n"), 1) if name in row)
    hits = found(tmp_repo, f"{GP}/chronology.yml", "real-name")
    assert [(f.span.line, f.span.col) for f in hits] == [(line, 13)]


@pytest.mark.parametrize(
    ("code", "text", "col", "message"),
    [
        ("postcode", "She moved to NB4 7QT in May.", 14, "`NB4 7QT` looks like a postcode"),
        ("nhs-number", "NHS number 943 476 5919 was used.", 12,
         "`943 476 5919` looks like an NHS number (it passes the NHS number check)"),
        ("ni-number", "Her NI number AB123456C was on file.", 15, "`AB123456C` looks like a National Insurance number"),
        ("ni-number", "The form's example QQ 12 34 56 C was copied.", 20, "`QQ 12 34 56 C` looks like a National Insurance number"),
        ("phone-number", "Mr B's mobile 07700 900123 was called.", 15, "`07700 900123` looks like a telephone number"),
        ("phone-number", "The ward on +44 1632 960123 rang.", 13, "`+44 1632 960123` looks like a telephone number"),
        ("email-address", "She wrote to ms.c@example.org twice.", 14, "`ms.c@example.org` is an e-mail address"),
    ],
)
def test_identifying_details(tmp_repo: Path, code: str, text: str, col: int, message: str) -> None:
    hits = found(tmp_repo, write(tmp_repo, NARRATIVE, f"First line.\n{text}\n"), code)
    assert [at(f) for f in hits] == [(2, col, message)]
    assert hits[0].severity is Severity.WARNING


def test_ten_digits_failing_the_nhs_check_are_not_flagged(tmp_repo: Path) -> None:
    assert nhs_number_valid("9434765919") and not nhs_number_valid("9434765918")
    assert narrative(tmp_repo, "Reference 943 476 5918 on the letter.\n", "nhs-number") == []


def test_family_date_of_birth_in_any_form(tmp_repo: Path) -> None:
    imr = load(tmp_repo).review("adult-a").imrs["gp-practice"]
    member = next(m for m in imr.family if m.date_of_birth)
    born = member.date_of_birth
    assert born is not None
    forms = [born.isoformat(), born.strftime("%d/%m/%Y"), f"{born.day} {born:%B %Y}", f"{born:%B} {born.day}, {born.year}",
             f"{born.day} {born:%b} {born.year}"]
    text = "".join(f"Born {form}.\n" for form in forms)
    assert narrative(tmp_repo, text, "date-of-birth") == [
        (i, 6, f"`{form}` is the date of birth of {member.name}") for i, form in enumerate(forms, start=1)
    ]


def test_board_setting_makes_anonymisation_an_error(tmp_repo: Path) -> None:
    board = tmp_repo / "reviews/board.yml"
    board.write_text(board.read_text(encoding="utf-8").replace("anonymisation: warning", "anonymisation: error"), encoding="utf-8")
    hits = found(tmp_repo, write(tmp_repo, NARRATIVE, "She moved to NB4 7QT.\n"), "postcode")
    assert [f.severity for f in hits] == [Severity.ERROR]


# --- 9. Markdown safety ------------------------------------------------------------------------------


def test_raw_html_names_the_tag(tmp_repo: Path) -> None:
    text = 'Seen at home.\nShe said <span style="color:red">no</span>.\n'
    hits = found(tmp_repo, write(tmp_repo, NARRATIVE, text), "raw-html")
    assert [at(f) for f in hits] == [(2, 10, "raw HTML tag <span> in the section"), (2, 36, "raw HTML tag <span> in the section")]
    assert all(f.severity is Severity.ERROR for f in hits)


def test_what_is_not_raw_html(tmp_repo: Path) -> None:
    text = ("<!-- a guidance comment -->\nThe code `<b>` is literal, and so is this block:\n```\n<div>\n```\n"
            "See <https://example.org/page> and note that 3 < 5 > 2.\n")
    assert narrative(tmp_repo, text, "raw-html") == []


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<!DOCTYPE html>", "raw HTML <!DOCTYPE> in the section"),
        ("<![CDATA[ x ]]>", "raw HTML <![CDATA[ in the section"),
        ('<?xml version="1.0"?>', "raw HTML <? in the section"),
        ('<p\nclass="x">', "raw HTML tag <p> in the section"),
        ("<name removed>", "raw HTML tag <name> in the section"),
    ],
)
def test_raw_html_of_every_kind(tmp_repo: Path, html: str, message: str) -> None:
    hits = found(tmp_repo, write(tmp_repo, NARRATIVE, f"Seen at home.\nShe said {html}.\n"), "raw-html")
    assert [at(f) for f in hits] == [(2, 10, message)]
    assert hits[0].hint is not None and "[name removed]" in hits[0].hint


def test_angle_brackets_that_cannot_be_a_tag(tmp_repo: Path) -> None:
    text = "Fewer visits (<3 a day) and x<y; she lived at <Adult A's flat> alone.\n"
    assert narrative(tmp_repo, text, "raw-html") == []


def test_comment_never_closed_hides_the_rest(tmp_repo: Path) -> None:
    text = "Seen at home.\n<!-- closed -->\nShe said <!-- ask the GP\nShe was well.\n"
    hits = found(tmp_repo, write(tmp_repo, NARRATIVE, text), "unclosed-comment")
    assert [at(f) for f in hits] == [
        (3, 10, "this comment is opened with `<!--` but never closed, so everything after it is left out of the report")
    ]
    assert hits[0].severity is Severity.ERROR
    assert hits[0].hint == "close the comment with `-->` where the guidance ends, or delete the `<!--`"


@pytest.mark.parametrize(
    ("link", "col"),
    [
        ("![Body map](../acute-trust/body-map.png)", 13),
        ("[the file](/etc/passwd)", 12),
        ("[the file](file:///etc/passwd)", 12),
        ("<file:///etc/passwd>", 2),
        ("![x](C:\\Users\\me\\map.png)", 6),
    ],
)
def test_link_to_a_file_outside_the_imr(tmp_repo: Path, link: str, col: int) -> None:
    hits = found(tmp_repo, write(tmp_repo, NARRATIVE, f"First.\n{link}\n"), "file-outside-imr")
    assert [(f.span.line, f.span.col) for f in hits] == [(2, col)]
    assert hits[0].message.endswith("points to a file outside this IMR's folder")
    assert hits[0].hint == f"copy the file into {GP}/ and link to it by its name, e.g. ![Body map](body-map.png)"


def test_reference_style_link_outside(tmp_repo: Path) -> None:
    hits = found(tmp_repo, write(tmp_repo, NARRATIVE, "See [the map][m].\n\n[m]: ../../board.yml\n"), "file-outside-imr")
    assert [at(f) for f in hits] == [(3, 6, "the link `../../board.yml` points to a file outside this IMR's folder")]


def test_a_footnote_is_prose_not_a_link_to_a_file(tmp_repo: Path) -> None:
    rel = write(tmp_repo, NARRATIVE, "The ward had a policy.[^1]\n\n[^1]: See the discharge policy of 2024.\n")
    assert [f.code for f in found(tmp_repo, rel) if f.code in ("local-file-missing", "file-outside-imr")] == []


def test_links_that_are_fine_and_one_that_is_missing(tmp_repo: Path) -> None:
    (tmp_repo / GP / "body-map.png").write_bytes(b"\x89PNG\r\n")
    text = ("![Body map](body-map.png) and [guidance](https://example.org/x.pdf) and [Q1](#q1)\n"
            "and [`../x`](./sub/../body-map.png) but ![gone](wound.png).\n")
    rel = write(tmp_repo, NARRATIVE, text)
    assert found(tmp_repo, rel, "file-outside-imr") == []
    assert [at(f) for f in found(tmp_repo, rel, "local-file-missing")] == [
        (2, 49, f"the link `wound.png` points to a file that is not in {GP}/")
    ]
