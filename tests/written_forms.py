"""Restricted values as authors (and pasted e-mails) really write them, for the property tests.

Written from the author's side, not from the patterns of sarflow.restricted: a value of
the example (a member of staff's name, a family member's date of birth or address) or
a made-up identifier (postcode, NHS, National Insurance and phone number, e-mail
address), in one of the ways people write it, then in any case, with other spacing, and
disguised as a paste or a careless keyboard would: zero-width characters and soft
hyphens inside it, Cyrillic or Greek letters that look Latin, full-width characters,
accents. Each drawn value keeps a plain `witness` (letters and digits only), which a
leak test looks for in what was built.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from hypothesis import strategies as st

from sarflow.model import Repository

INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
LOOK_ALIKE = {
    "a": "аα", "c": "с", "e": "е", "i": "іι", "j": "ј", "o": "оο", "p": "рρ", "s": "ѕ", "x": "хχ", "y": "у", "v": "ν",
    "A": "АΑ", "B": "ВΒ", "C": "С", "E": "ЕΕ", "H": "НΗ", "I": "ІΙ", "K": "КΚ", "M": "МΜ", "N": "Ν", "O": "ОΟ",
    "P": "РΡ", "T": "ТΤ", "X": "ХΧ", "Y": "УΥ", "Z": "Ζ",
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
          "December")
TITLES = ("Dr", "Dr.", "Mr", "Mrs", "Ms", "Miss", "Nurse", "Sister", "Social Worker", "PC", "Officer")
CONTEXT = ("Discussed with {} at the meeting.", "{}", "Update from {} received.", "See {}; agreed.", "({}) followed up")


@dataclass(frozen=True)
class Planted:
    kind: str  # the finding code check must report
    text: str  # as planted: the value, or a sentence that holds it
    witness: str  # the value's letters and digits, casefolded: must not appear in any output
    value: str = ""  # the value alone, when `text` is a sentence


def plain(text: str) -> str:
    """What a reader takes the text to say: compatibility forms, invisible characters, accents and look-alikes undone."""
    back = {ch: latin for latin, chars in LOOK_ALIKE.items() for ch in chars}
    decomposed = unicodedata.normalize("NFKD", text)
    kept = (back.get(ch, ch) for ch in decomposed if unicodedata.category(ch) not in ("Cf", "Mn"))
    return unicodedata.normalize("NFKC", "".join(kept)).casefold()


def alnum(text: str) -> str:
    return "".join(ch for ch in plain(text) if ch.isalnum())


@st.composite
def disguised(draw: st.DrawFn, text: str, *, spaces: bool = True, case: bool = True) -> str:
    """`text` in another case and spacing, with hidden characters and look-alike letters."""
    if case:
        text = draw(st.sampled_from((str, str.upper, str.lower, str.title)))(text)
    if spaces:
        gaps = text.split(" ")
        text = gaps[0] + "".join(draw(st.sampled_from((" ", "  ", "\u00a0", "\n"))) + g for g in gaps[1:])
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch in LOOK_ALIKE and draw(st.integers(0, 5)) == 0:
            chars[i] = draw(st.sampled_from(LOOK_ALIKE[ch]))
        elif ch.isascii() and ch.isalnum() and draw(st.integers(0, 15)) == 0:
            chars[i] = chr(ord(ch) + 0xFEE0)  # full width
        elif ch.isascii() and ch.isalpha() and draw(st.integers(0, 20)) == 0:
            chars[i] = ch + "\u0301"  # an accent
    for _ in range(draw(st.integers(0, 3))):
        chars.insert(draw(st.integers(0, len(chars))), draw(st.sampled_from(INVISIBLE)))
    return "".join(chars)


def people(repo: Repository) -> list[tuple[str, str]]:
    """(first name, surname) of every member of staff with a name of two words or more."""
    found = []
    for imr in repo.imrs():
        for person in imr.personnel:
            words = (person.name or "").split()
            if words and words[0].rstrip(".") in ("Dr", "Mr", "Mrs", "Ms"):
                words = words[1:]
            if len(words) >= 2:
                found.append((words[0], words[-1]))
    return sorted(set(found))


def births(repo: Repository) -> list[dt.date]:
    return sorted({m.date_of_birth for imr in repo.imrs() for m in imr.family if m.date_of_birth})


def addresses(repo: Repository) -> list[str]:
    return sorted({m.address for imr in repo.imrs() for m in imr.family if m.address})


@st.composite
def name(draw: st.DrawFn, repo: Repository) -> Planted:
    first, surname = draw(st.sampled_from(people(repo)))
    initial = first[0]
    # A lone lower-case "a" or "i" is a word: such an initial is written with its full stop.
    bare = initial + "." if initial in "AI" else initial
    forms = [f"{first} {surname}", f"{surname}, {first}", f"{initial}. {surname}", f"{bare} {surname}", f"{first}{surname}",
             f"{draw(st.sampled_from(TITLES))} {surname}", f"{draw(st.sampled_from(TITLES))} {first} {surname}"]
    return Planted("real-name", draw(disguised(draw(st.sampled_from(forms)))), alnum(surname))


@st.composite
def date_of_birth(draw: st.DrawFn, repo: Repository) -> Planted:
    born = draw(st.sampled_from(births(repo)))
    d, m, y, yy = born.day, born.month, born.year, f"{born.year % 100:02d}"
    month = MONTHS[m - 1]
    th = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(d, "th")
    said = draw(st.sampled_from(["", "born ", "DOB ", "D.O.B. ", "date of birth "]))
    date = draw(st.sampled_from([
        f"{d}/{m}/{yy}", f"{d:02d}/{m:02d}/{y}", f"{d}.{m}.{yy}", f"{d}-{m}-{y}", f"{y}-{m:02d}-{d:02d}",
        f"{d}{th} {month} {y}", f"{d} {month[:3]} {yy}", f"{month} {d}, {y}", f"{month} {d}{th} {y}",
        f"{d}{th} of {month}, {y}", f"{d} {month[:3]}. '{yy}",
        # The month and year alone are a date of birth when the text says so.
        *([f"in {month} {y}", f"{month} {y}", f"{m:02d}/{y}"] if said else []),
    ]))
    form = said + date
    return Planted("date-of-birth", draw(disguised(form, spaces=" " in form)), alnum(date.removeprefix("in ")))


@st.composite
def address(draw: st.DrawFn, repo: Repository) -> Planted:
    full = draw(st.sampled_from(addresses(repo)))
    parts = [p.strip() for p in full.split(",")]
    first_line = parts[0] if any(len(w) > 2 and w.isalpha() and w.lower() != "flat" for w in parts[0].split()) else ", ".join(parts[:2])
    form = draw(st.sampled_from([full, full.replace(",", ""), first_line, first_line.replace(",", "")]))
    text = draw(disguised(form))
    street = " ".join(w for w in first_line.replace(",", " ").split() if w.isalpha() and w.lower() != "flat")
    return Planted("address", text, alnum(street))


@st.composite
def postcode(draw: st.DrawFn) -> Planted:
    area = draw(st.sampled_from("ABCDEFGHIJKLMNOPRSTUWYZ")) + draw(st.sampled_from(["", *"ABCDEFGHKLMNOPQRSTUVWXY"]))
    district = str(draw(st.integers(1, 99)))
    inward = str(draw(st.integers(0, 9))) + "".join(draw(st.lists(st.sampled_from("ABDEFGHJLNPQRSTUWXYZ"), min_size=2, max_size=2)))
    code = f"{area}{district}{draw(st.sampled_from(['', ' ', '  ']))}{inward}"
    case = draw(st.sampled_from((str, str.lower)))
    if case is str.lower and inward[1:].lower() in ("st", "nd", "rd", "th"):
        case = str  # "2nd" in lower case after a staff id is an ordinal; a lower-case postcode with one is rare
    return Planted("postcode", draw(disguised(case(code), spaces=False, case=False)), alnum(code))


@st.composite
def nhs_number(draw: st.DrawFn) -> Planted:
    while True:
        digits = [draw(st.integers(0 if i else 1, 9)) for i in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check != 10:
            digits.append(0 if check == 11 else check)
            break
    number = "".join(map(str, digits))
    gap = draw(st.sampled_from([" ", "", "-", "  "]))
    grouped = draw(st.sampled_from([f"{number[:3]}{gap}{number[3:6]}{gap}{number[6:]}", number]))
    return Planted("nhs-number", draw(disguised(grouped, spaces=False, case=False)), number)


@st.composite
def ni_number(draw: st.DrawFn) -> Planted:
    letters = "".join(draw(st.lists(st.sampled_from("ABCEGHJKLMNOPRSTWXYZ"), min_size=2, max_size=2)))
    digits = "".join(str(draw(st.integers(0, 9))) for _ in range(6))
    suffix = draw(st.sampled_from("ABCD"))
    form = draw(st.sampled_from([f"{letters}{digits}{suffix}", f"{letters} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}",
                                 f"{letters} {digits} {suffix}"]))
    return Planted("ni-number", draw(disguised(form, spaces=False, case=True)), alnum(form))


@st.composite
def phone_number(draw: st.DrawFn) -> Planted:
    tail = "".join(str(draw(st.integers(0, 9))) for _ in range(3))
    form = draw(st.sampled_from([
        f"07700 900{tail}", f"07700900{tail}", f"+44 7700 900{tail}", f"+44 (0)7700 900{tail}", f"(020) 7946 0{tail}",
        f"020 7946 0{tail}", f"0161 496 0{tail}", f"+44 20 7946 0{tail}", f"01632 960{tail}", f"0044 1632 960{tail}",
    ]))
    digits = "".join(ch for ch in form if ch.isdigit())
    return Planted("phone-number", draw(disguised(form, spaces=False, case=False)), digits[-10:])


@st.composite
def email_address(draw: st.DrawFn) -> Planted:
    word = st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)
    local = draw(word) + draw(st.sampled_from(["", ".", "_"])) + draw(word)
    form = f"{local}@{draw(word)}.{draw(st.sampled_from(['org', 'co.uk', 'nhs.net', 'gov.uk']))}"
    return Planted("email-address", draw(disguised(form, spaces=False)), alnum(form))


def restricted_value(repo: Repository) -> st.SearchStrategy[Planted]:
    return st.one_of(name(repo), date_of_birth(repo), address(repo), postcode(), nhs_number(), ni_number(), phone_number(),
                     email_address())


@st.composite
def in_a_sentence(draw: st.DrawFn, repo: Repository) -> Planted:
    value = draw(restricted_value(repo))
    return Planted(value.kind, draw(st.sampled_from(CONTEXT)).format(value.text), value.witness, value.text)
