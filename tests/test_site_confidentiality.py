"""No restricted field of the example reaches any file of the built site, and nothing is fetched from elsewhere.

The restricted values are collected from the loaded example, not written here: every
family member's date of birth (ISO, 01/02/1981 and 1 February 1981), every address (and
its postcode), every member of staff's and signatory's real name, every chronology
event, every ethnicity (which in the family table also records health), and every
sentence of every section (introduction, methodology, narrative, analysis, lessons).
Every file under the built site is read (HTML, JavaScript, the search index, the
sitemap, compressed or not), with HTML entities and JSON escapes undone, and searched
for each of them. A copy of the example with restricted values typed into the fields
the site shows (as an author might, past a warning of `sarflow check`) must not leak
them either.
"""

from __future__ import annotations

import functools
import gzip
import html
import json
import re
import shutil
import tempfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from helpers import BuiltSite, edit_yaml
from sarflow.cli import main
from sarflow.dates import uk, uk_long
from sarflow.load import load
from sarflow.load.markdown import strip_comments
from sarflow.model import Repository
from sarflow.restricted import Restricted
from sarflow.restricted.values import address_values, compiled, name_values
from sarflow.site import build as site_build
from written_forms import Planted, in_a_sentence, plain

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = re.compile(r"(?<=[.!?])\s+")


@pytest.fixture(scope="module")
def site(built_site: BuiltSite) -> Path:
    """The example's site as each engine builds it (conftest's `built_site`: one build per engine)."""
    return built_site.folder


def normal(text: str) -> str:
    return " ".join(text.split()).lower()


def shown_on_the_site(repo: Repository) -> str:
    """The status-tier text the site may show: a restricted value also written there is not a leak."""
    parts = []
    for review in repo.reviews:
        parts += [review.terms_of_reference.scope or "", *(q.text or "" for q in review.terms_of_reference.questions)]
        parts += [a.name or "" for a in review.agencies]
        actions = [a for imr in review.imrs.values() for a in imr.actions]
        if review.recommendations:  # recommendations.yml is status-tier text, shown on the Recommendations pages
            parts += [f.text or "" for f in review.recommendations.findings]
            for rec in review.recommendations.recommendations:
                parts += [rec.text or "", rec.response.reason or "" if rec.response else ""]
                actions += rec.board_actions
        for action in actions:
            parts += [action.recommendation or "", action.key_actions or "", action.lead_officer or ""]
            parts += [u.text or "" for u in action.updates]
    return normal(" ".join(parts))


def restricted(repo: Repository) -> dict[str, str]:
    """Each restricted value of the example (normalised) -> where it comes from.

    A sentence of the text or a chronology event that is also written in a field the
    site shows (an action often repeats a lesson) is not a leak; a name, a date of
    birth, an address or an ethnicity is one wherever it appears.
    """
    fields: dict[str, str] = {}
    text: dict[str, str] = {}
    for imr in repo.imrs():
        where = f"{imr.review_id}/{imr.agency_id}"
        for member in imr.family:
            if member.date_of_birth:
                born = member.date_of_birth
                for shown in (born.isoformat(), uk(born), uk_long(born)):
                    fields[shown] = f"{where}: date of birth of {member.name}"
            if member.address:
                fields[member.address] = f"{where}: address of {member.name}"
                fields[member.address.rsplit(",", 1)[-1]] = f"{where}: postcode of {member.name}"
            if member.ethnicity:
                fields[member.ethnicity] = f"{where}: ethnicity of {member.name}"
        for person in imr.personnel:
            if person.name:
                fields[person.name] = f"{where}: real name of {person.id}"
        for signatory in (imr.author, imr.approved_by):
            if signatory and signatory.name:
                fields[signatory.name] = f"{where}: signatory's name"
        for entry in imr.chronology:
            if entry.event:
                text[entry.event] = f"{where}: chronology event of {entry.date}"
        for section_id, section in imr.sections.items():
            for line in strip_comments(section.text).splitlines():
                if line.lstrip().startswith("#"):
                    continue
                for sentence in SENTENCE.split(line.strip(" -*")):
                    if len(sentence.split()) >= 6:
                        text[sentence] = f"{where}: {section_id} text"
    allowed = shown_on_the_site(repo)
    found = {normal(k): v for k, v in text.items() if normal(k) and normal(k) not in allowed}
    return found | {normal(k): v for k, v in fields.items() if normal(k)}


def word_text(path: Path) -> str:
    """The words of every XML part of a Word document (body, contents, headers, footers, properties, ...),
    a word split across runs read whole, paragraphs and breaks as spaces."""
    with zipfile.ZipFile(path) as package:
        parts = [package.read(name).decode("utf-8", errors="ignore") for name in package.namelist() if name.endswith(".xml")]
    return " ".join(re.sub(r"<[^>]+>", "", re.sub(r"</w:p>|<w:br/>|<w:tab/>", " ", part)) for part in parts)


def readable_text(path: Path) -> str:
    """A built file as a reader (or a script) would see it: unzipped, entities and JSON escapes undone."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    if path.suffix == ".docx":
        raw = word_text(path).encode("utf-8")
    text = raw.decode("utf-8", errors="ignore")
    if path.suffix == ".json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return normal(html.unescape(html.unescape(text)))


def leaks(site: Path, values: dict[str, str]) -> list[str]:
    problems = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        text = readable_text(path)
        problems += [f"{path.relative_to(site)}: {why} ({value!r})" for value, why in values.items() if value in text]
    return problems


def test_the_example_has_restricted_values_of_every_kind(example: Repository) -> None:
    kinds = " ".join(restricted(example).values())
    for kind in ("date of birth", "address of", "postcode of", "ethnicity of", "real name of", "signatory", "chronology event",
                 "narrative text", "analysis text", "lessons text", "methodology text", "introduction text"):
        assert kind in kinds, f"the example has no {kind} to look for"


def test_no_restricted_value_appears_in_any_built_file(built_site: BuiltSite, example: Repository) -> None:
    site, values = built_site.folder, restricted(example)
    searched = [p for p in site.rglob("*") if p.is_file()]
    assert site / built_site.marks.search_index in searched and any(p.name == "sitemap.xml" for p in searched)
    found = leaks(site, values)
    assert not found, "restricted values on the site:\n" + "\n".join(found)


def test_no_family_address_appears_in_any_built_file_in_any_form_check_restricts(built_site: BuiltSite,
                                                                                 example: Repository) -> None:
    """Each family address in the forms the check itself restricts (sarflow.restricted: in full, its first line with or
    without the number, its street), not only as the family table writes it: the site's own pages (the check
    reference's examples) are written by people too."""
    addresses = {member.address: f"{imr.review_id}/{imr.agency_id}" for imr in example.imrs() for member in imr.family
                 if member.address}
    patterns = {address: compiled(value.source) for address in addresses for value in address_values(address, "the family")}
    assert len(patterns) >= 2, "the example has fewer family addresses than expected"
    found = [f"{path.relative_to(built_site.folder)}: {match.group(0)!r} (the address {address!r}, {addresses[address]})"
             for path in sorted(p for p in built_site.folder.rglob("*") if p.is_file())
             for text in [readable_text(path)] for address, pattern in patterns.items() if (match := pattern.search(text))]
    assert not found, "family addresses on the site:\n" + "\n".join(found)


def test_the_scan_finds_a_restricted_value_planted_in_the_site(built_site: BuiltSite, example: Repository,
                                                              tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(built_site.folder, copy)
    member = next(m for imr in example.imrs() for m in imr.family if m.date_of_birth)
    person = next(p for imr in example.imrs() for p in imr.personnel if p.name)
    index = copy / built_site.marks.search_index
    data = json.loads(index.read_text(encoding="utf-8"))
    data[built_site.marks.search_entries][0]["text"] += f" born {uk_long(member.date_of_birth)}"
    index.write_text(json.dumps(data), encoding="utf-8")
    page = copy / "actions" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + html.escape(person.name), encoding="utf-8")
    found = leaks(copy, restricted(example))
    assert any(f.startswith(built_site.marks.search_index) and "date of birth" in f for f in found)
    assert any("actions/index.html" in f and person.id in f for f in found)


class Resources(HTMLParser):
    """Every URL a page refers to in src, href, srcset, poster or data attributes, and in style url()."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "srcset", "poster", "data", "action", "formaction") and value:
                self.urls.append(value.strip())
            if name == "style" and value:
                self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", value)


def test_nothing_refers_to_another_host(site: Path) -> None:
    outside = []
    for page in site.rglob("*.html"):
        parser = Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        outside += [f"{page.relative_to(site)}: {u}" for u in parser.urls if re.match(r"(?i)^(https?:)?//", u)]
    for sheet in site.rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", sheet.read_text(encoding="utf-8"))
        outside += [f"{sheet.relative_to(site)}: {u}" for u in urls if re.match(r"(?i)^(https?:)?//", u)]
    assert outside == []
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in home and "fonts.gstatic" not in home


def test_restricted_values_typed_into_status_fields_are_not_shown(tmp_path: Path) -> None:
    for name in ("reviews", "schema", "site"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    repo = load(tmp_path)
    imr = max(repo.imrs(), key=lambda i: len(i.actions))
    staff = [p for p in imr.personnel if p.name and len(p.name.split()) > 1][:2]
    member = next(m for m in imr.family if m.date_of_birth and m.address)
    born, surname = member.date_of_birth, staff[1].name.split()[-1]

    def plant_in_actions(data) -> None:
        action = data["actions"][0]
        action["recommendation"] = f"Visit {member.address.upper()} again."
        action["lead_officer"] = staff[0].name
        action["key_actions"] = f"Signed off by {imr.author.name}; born {uk_long(born)} ({born.day}/{born.month}/{born.year})."
        action["updates"][-1]["text"] = f"Discussed with {staff[0].name} and Mr {surname} on the ward."

    def plant_in_review(data) -> None:
        data["terms_of_reference"]["questions"][0]["text"] = f"Why was {staff[0].name} not told of the move to {member.address}?"

    edit_yaml(imr.folder / "actions.yml", plant_in_actions)
    edit_yaml(imr.folder.parent / "review.yml", plant_in_review)
    # check calls each of them an error (exit 1); the site, built all the same, shows none of them
    assert main(["--root", str(tmp_path), "build", "--only", "site", "--out", str(tmp_path / "out")]) == 1
    site = tmp_path / "out" / "site"
    found = leaks(site, restricted(load(tmp_path)))
    assert not found, "restricted values on the site:\n" + "\n".join(found)
    actions = readable_text(site / "actions" / "index.html")
    assert normal(f"Discussed with {staff[0].id} and {staff[1].id} on the ward.") in actions


XML_NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.sitemaps.org/schemas/sitemap/0.9")


def test_no_page_names_another_site_anywhere_in_its_text(site: Path) -> None:
    """Not only no request: no link out either (an "edit this page" or repository link, a footer credit)."""
    found = []
    for path in site.rglob("*"):
        if path.suffix in (".html", ".xml", ".json") and path.is_file():  # style sheets: their url()s, above
            for url in re.findall(r"(?i)(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s\"'<>)]*", readable_text(path)):
                if not url.startswith(XML_NAMESPACES):
                    found.append(f"{path.relative_to(site)}: {url}")
    assert found == []


def test_redaction_finds_a_value_however_it_is_spaced_and_spares_ordinary_words() -> None:
    redact = Restricted([
        *name_values("Ward", "the real name of SW9", "SW9", "SW9", "adult-x/police"),  # a one-word name: an ordinary word too
        *name_values("Dr Megan Doyle", "the real name of CA1", "CA1", "CA1", "adult-x/police"),
        *address_values("14 Tanners Row, Northbridge, NB2 9LS", "Mr B"),
    ]).redact
    assert redact("Ward manager briefings; Mr Ward agreed.") == "Ward manager briefings; SW9 agreed."
    assert redact("megan  doyle, Dr. Doyle and Ms Megan Doyle") == "CA1, CA1 and CA1"
    assert redact("Visit 14 tanners row northbridge NB2 9LS, then nb29ls.") == (
        "Visit [address removed], then [postcode removed].")


def test_a_text_redacted_again_reads_as_it_did_and_each_guard_keeps_its_own_answers() -> None:
    """A guard remembers what it made of each text (the site asks for the same status and owner hundreds of
    times); what one guard remembers is never another's answer."""
    ward = Restricted(name_values("Ward", "the real name of SW9", "SW9", "SW9", "adult-x/police"))
    doyle = Restricted(name_values("Dr Megan Doyle", "the real name of CA1", "CA1", "CA1", "adult-x/police"))
    text = "Mr Ward met Dr Doyle."
    for _ in range(2):
        assert ward.redact(text) == "SW9 met Dr Doyle."
        assert doyle.redact(text) == "Mr Ward met CA1."
    assert Restricted().redact(text) == text


# Property: restricted values in random written forms, typed into every status-tier field, reach no built file ----


def status_fields(root: Path) -> list[tuple[Path, tuple[str | int, ...]]]:
    """Every text field of review.yml that the site shows, of every action plan and of every recommendations.yml, as (file, path to the value)."""
    places: list[tuple[Path, tuple[str | int, ...]]] = []
    for review_file in sorted((root / "reviews").glob("*/review.yml")):
        data = yaml.safe_load(review_file.read_text(encoding="utf-8"))
        places += [(review_file, ("reference",)), (review_file, ("subject", "name")), (review_file, ("basis",)),
                   (review_file, ("stage",)), (review_file, ("terms_of_reference", "scope"))]
        places += [(review_file, ("terms_of_reference", "questions", i, "text")) for i in range(len(data["terms_of_reference"]["questions"]))]
        places += [(review_file, ("agencies", i, "name")) for i in range(len(data["agencies"]))]
        places += [(review_file, ("published", "where"))] if "published" in data else []
        places += [(review_file, ("family_involvement", "reason"))] if "reason" in data.get("family_involvement", {}) else []
    for recommendations_file in sorted((root / "reviews").glob("*/recommendations.yml")):
        data = yaml.safe_load(recommendations_file.read_text(encoding="utf-8"))
        places += [(recommendations_file, ("findings", i, "text")) for i in range(len(data["findings"]))]
        for i, rec in enumerate(data["recommendations"]):
            places += [(recommendations_file, ("recommendations", i, "text"))]
            places += [(recommendations_file, ("recommendations", i, "response", "reason"))] if "reason" in rec["response"] else []
            for j, action in enumerate(rec.get("board_actions", [])):
                places += [(recommendations_file, ("recommendations", i, "board_actions", j, key))
                           for key, value in action.items() if isinstance(value, str)]
    for actions_file in sorted((root / "reviews").glob("*/*/actions.yml")):
        for i, action in enumerate(yaml.safe_load(actions_file.read_text(encoding="utf-8"))["actions"]):
            places += [(actions_file, ("actions", i, key)) for key, value in action.items() if isinstance(value, str)]
            places += [(actions_file, ("actions", i, "updates", j, "text")) for j in range(len(action.get("updates", [])))]
    return places


class Built(dict[str, tuple[bytes, str, str]]):
    """Each file of a built site: its bytes, its text and its words (see as_read)."""

    def __repr__(self) -> str:  # what Hypothesis prints of a failing example
        return f"<{len(self)} built files>"


def as_read(site: Path, unchanged: Built | None = None) -> Built:
    """Each built file as a reader sees it (see readable_text) with the disguises undone: its text with spacing
    collapsed, and its letters and digits with "|" between words. A file the same as in `unchanged` is left out."""
    found = Built()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name, raw = path.relative_to(site).as_posix(), path.read_bytes()
        if unchanged is None or name not in unchanged or unchanged[name][0] != raw:
            text = plain(readable_text(path))
            found[name] = (raw, " ".join(text.split()), "|" + "|".join(re.findall(r"[^\W_]+", text)) + "|")
    return found


def shows(file: tuple[bytes, str, str], value: Planted) -> bool:
    """The value as planted (its disguises undone), or its letters and digits as whole words run together."""
    _, text, words = file
    if " ".join(plain(value.value).split()) in text:
        return True
    return any(words[m.start() - 1] == "|" and words[m.end()] == "|" for m in re.finditer(
        r"\|?".join(map(re.escape, value.witness)), words))


def plant(path: Path, texts: dict[tuple[str | int, ...], str]) -> None:
    """Each text at its place in the file, as an author's editor would write it: comments kept, no line wrapped
    (ruamel.yaml wraps a long line after an escaped character, which turns "\\uFEFF@" into "\\uFEFF @")."""
    writer = YAML()
    writer.width = 100_000
    data = writer.load(path.read_text(encoding="utf-8"))
    for keys, text in texts.items():
        place = data
        for key in keys[:-1]:
            place = place[key]
        place[keys[-1]] = text
    with path.open("w", encoding="utf-8") as handle:
        writer.dump(data, handle)


@pytest.fixture(scope="module")
def baseline(built_site: BuiltSite) -> tuple[BuiltSite, Built]:
    """The example's site as one engine builds it, as read: what a planted build is compared with."""
    return built_site, as_read(built_site.folder)


# Three builds per engine, each with 1 to 3 values in each of 40 to 60 of the example's status-tier fields: about 300
# values a run. A failing build is not shrunk (each step is a build); the message names every value that leaked.
@settings(max_examples=3, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_restricted_values_in_any_written_form_in_any_status_field_reach_no_built_file(
        baseline: tuple[BuiltSite, Built], data: st.DataObject) -> None:
    """The site is built for real, by the engine of the baseline, and every file it writes is read as a reader would."""
    made, baseline_files = baseline
    example = load(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("reviews", "schema", "site"):
            shutil.copytree(ROOT / name, root / name)
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        edit_yaml(root / "reviews" / "board.yml", lambda board: board.update(site={"engine": made.engine}))
        places = status_fields(root)
        chosen = data.draw(st.lists(st.sampled_from(places), min_size=40, max_size=60, unique=True))
        planted = {place: data.draw(st.lists(in_a_sentence(example), min_size=1, max_size=3)) for place in chosen}
        for path in {path for path, _ in planted}:
            plant(path, {keys: " ".join(v.text for v in values) for (where, keys), values in planted.items() if where == path})
        for (path, keys), values in planted.items():  # the files say exactly what was planted
            assert functools.reduce(lambda doc, key: doc[key], keys, yaml.safe_load(path.read_text(encoding="utf-8"))) == (
                " ".join(v.text for v in values))
        repo = load(root)
        assert site_build(repo, repo.imrs(), root / "out") == []
        built = as_read(root / "out" / "site", unchanged=baseline_files)
    assert made.marks.search_index in built and any("removed]" in text for _, text, _ in built.values())
    values = [v for vs in planted.values() for v in vs]
    untestable = [v for v in values if any(shows(b, v) for b in baseline_files.values())]
    assert len(untestable) <= len(values) // 10, f"values the example's own site already shows: {untestable}"
    leaked = [f"{name}: {v.value!r} ({v.kind}) in {'.'.join(map(str, keys))}: {' '.join(w.text for w in vs)!r}"
              for (_, keys), vs in planted.items() for v in vs if v not in untestable
              for name, file in built.items() if shows(file, v)]
    assert not leaked, "restricted values on the site:\n" + "\n".join(leaked)
