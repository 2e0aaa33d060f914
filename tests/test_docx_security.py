"""Author text cannot bring raw OpenXML, raw HTML, Word styles or local files into a report.

Each case writes a bad input into a copy of the example's draft IMR and builds it: the
text must come out literally, and a picture from outside the IMR folder must be
refused with an error naming the file, line and column, and no document written.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from sarflow import docx as report
from sarflow import limits
from sarflow.cli import main
from sarflow.docx.author import make_safe
from sarflow.findings import Severity
from sarflow.load import load
from sarflow.model import Imr, Repository

ROOT = Path(__file__).resolve().parents[1]


def png() -> bytes:
    """A valid one-pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b"")


PNG = png()


@pytest.fixture
def out(tmp_repo: Path) -> Path:
    """The build folder (tmp_repo is the test's tmp_path itself, so it cannot be that)."""
    return tmp_repo / "build"


def draft(repo: Repository) -> Imr:
    return next(imr for imr in repo.imrs() if imr.status == "draft")


def write_section(root: Path, name: str, text: str) -> tuple[Repository, Imr]:
    """Write one section of the draft IMR and load the repository again."""
    imr = draft(load(root))
    (imr.folder / name).write_text(text, encoding="utf-8")
    repo = load(root)
    return repo, draft(repo)


def built(repo: Repository, imr: Imr, out: Path) -> docx.document.Document:
    findings = report.build(repo, [imr], out)
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    review = repo.review(imr.review_id)
    return docx.Document(str(out / "reviews" / imr.review_id / imr.agency_id / report.file_name(review, imr)))


def texts(document) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in document.element.body.iter(qn("w:p"))]


def test_an_openxml_block_and_raw_openxml_stay_literal_text(tmp_repo: Path, out: Path) -> None:
    block = "<w:p><w:r><w:t>INJECTED</w:t></w:r></w:p>"
    inline = "<w:p><w:r><w:t>RAW</w:t></w:r></w:p>"
    repo, imr = write_section(
        tmp_repo,
        "narrative.md",
        f"First paragraph.\n\n```{{=openxml}}\n{block}\n```\n\nInline `<w:p/>`{{=openxml}} and {inline} here.\n",
    )
    document = built(repo, imr, out)
    paragraphs = texts(document)
    assert any(block in p for p in paragraphs)
    assert any(inline in p for p in paragraphs)
    assert any("<w:p/>{=openxml}" in p for p in paragraphs)
    run_texts = [t.text for t in document.element.body.iter(qn("w:t"))]
    assert "INJECTED" not in run_texts and "RAW" not in run_texts
    assert not [p for p in paragraphs if p.strip() in ("INJECTED", "RAW")]


def test_script_and_html_stay_literal_text(tmp_repo: Path, out: Path) -> None:
    repo, imr = write_section(
        tmp_repo, "narrative.md", "Before <script>alert(1)</script> after.\n\n<div style='color:red'>Red</div>\n"
    )
    document = built(repo, imr, out)
    paragraphs = texts(document)
    assert any("<script>alert(1)</script>" in p for p in paragraphs)
    assert any("<div style=" in p for p in paragraphs)
    tags = {element.tag for element in document.element.body.iter()}
    assert not [t for t in tags if isinstance(t, str) and "script" in t.lower()]


def test_an_author_cannot_apply_a_word_style_or_metadata(tmp_repo: Path, out: Path) -> None:
    repo, imr = write_section(
        tmp_repo,
        "narrative.md",
        '::: {custom-style="Title"}\nStyled\n:::\n\n[Span]{custom-style="Title"}\n\n---\ntitle: Hijacked\n---\n',
    )
    document = built(repo, imr, out)
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles == [repo.template.title]
    assert any("custom-style=" in p for p in texts(document))
    assert document.core_properties.title != "Hijacked"


def test_yaml_values_are_printed_as_written_never_read_as_markdown(tmp_repo: Path, out: Path) -> None:
    imr = draft(load(tmp_repo))
    data = imr.folder / "imr.yml"
    original = imr.family[-1].name
    value = "**Mr B** <w:p/> `code` [x](http://example.org)"
    data.write_text(data.read_text("utf-8").replace(f"name: {original}", f'name: "{value}"', 1), encoding="utf-8")
    repo = load(tmp_repo)
    document = built(repo, draft(repo), out)
    family = next(t for t in document.tables if t.rows[0].cells[0].text == repo.template.family_columns[0].title)
    assert family.rows[-1].cells[0].text == value
    assert family.rows[-1].cells[0]._tc.xml.count("<w:b/>") == 0


def test_make_safe_turns_raw_nodes_into_code_and_drops_attributes() -> None:
    blocks = [
        {"t": "RawBlock", "c": ["openxml", "<w:p/>"]},
        {"t": "Para", "c": [{"t": "RawInline", "c": ["html", "<b>"]},
                            {"t": "Span", "c": [["x", ["c"], [["custom-style", "Title"]]], []]}]},
        {"t": "Div", "c": [["", [], [["custom-style", "Title"]]], []]},
    ]
    assert make_safe(blocks) == []
    assert blocks[0] == {"t": "CodeBlock", "c": [["", [], []], "<w:p/>"]}
    assert blocks[1]["c"][0] == {"t": "Code", "c": [["", [], []], "<b>"]}
    assert blocks[1]["c"][1]["c"][0] == ["", [], []]
    assert blocks[2]["c"][0] == ["", [], []]


def refused(tmp_repo: Path, out: Path, link: str) -> tuple[Imr, list]:
    """Build the draft with `link` as a picture on line 3, column 8 of narrative.md."""
    repo, imr = write_section(tmp_repo, "narrative.md", f"One line.\n\nSee it ![plan]({link}) here.\n")
    findings = report.build(repo, [imr], out)
    assert not list((out / "reviews").rglob("*.docx")), "nothing may be written for a refused picture"
    return imr, findings


def assert_refused(imr: Imr, findings: list, link: str, why: str) -> None:
    assert len(findings) == 1
    finding = findings[0]
    assert finding.severity is Severity.ERROR and finding.code == "refused-image"
    assert str(finding.span) == f"{imr.sections['narrative'].span.path}:3:16"
    assert repr(link) in finding.message and why in finding.message and "not built" in finding.message
    assert imr.folder.name in finding.hint


def test_a_picture_at_etc_hostname_is_refused(tmp_repo: Path, out: Path) -> None:
    imr, findings = refused(tmp_repo, out, "/etc/hostname")
    assert_refused(imr, findings, "/etc/hostname", "is an absolute path")


def test_a_picture_above_the_imr_folder_is_refused(tmp_repo: Path, out: Path) -> None:
    (tmp_repo / "outside.png").write_bytes(PNG)
    imr, findings = refused(tmp_repo, out, "../../../outside.png")
    assert_refused(imr, findings, "../../../outside.png", "is outside the IMR folder")


@pytest.mark.parametrize("target", ["../../../outside.png", "plan.png", "pictures/plan.png"])
def test_a_picture_that_is_a_symbolic_link_is_refused_wherever_it_points(tmp_repo: Path, out: Path, target: str) -> None:
    """Out of the IMR folder, or to a real picture inside it: a link is never followed."""
    folder = draft(load(tmp_repo)).folder
    for picture in (tmp_repo / "outside.png", folder / "plan.png", folder / "pictures" / "plan.png"):
        picture.parent.mkdir(exist_ok=True)
        picture.write_bytes(PNG)
    os.symlink(target, folder / "linked.png")
    imr, findings = refused(tmp_repo, out, "linked.png")
    assert_refused(imr, findings, "linked.png", "is, or is in, a symbolic link")


def test_a_picture_in_a_linked_folder_is_refused(tmp_repo: Path, out: Path) -> None:
    folder = draft(load(tmp_repo)).folder
    (folder / "pictures").mkdir()
    (folder / "pictures" / "plan.png").write_bytes(PNG)
    os.symlink("pictures", folder / "linked")
    imr, findings = refused(tmp_repo, out, "linked/plan.png")
    assert_refused(imr, findings, "linked/plan.png", "is, or is in, a symbolic link")


@pytest.mark.parametrize("link", ["https://example.org/plan.png", "file:///etc/hostname", "//example.org/p.png"])
def test_a_picture_from_an_address_is_refused_and_never_fetched(tmp_repo: Path, out: Path, link: str) -> None:
    imr, findings = refused(tmp_repo, out, link)
    assert_refused(imr, findings, link, "is a web or other address")


def test_a_missing_picture_is_refused(tmp_repo: Path, out: Path) -> None:
    imr, findings = refused(tmp_repo, out, "missing.png")
    assert_refused(imr, findings, "missing.png", "is not a file in the IMR folder")


def test_a_file_that_is_not_a_picture_is_refused(tmp_repo: Path, out: Path) -> None:
    (draft(load(tmp_repo)).folder / "notes.png").write_text("not a picture", encoding="utf-8")
    imr, findings = refused(tmp_repo, out, "notes.png")
    assert_refused(imr, findings, "notes.png", "is not a PNG, JPEG or GIF picture")


def test_the_command_exits_1_naming_the_file_and_line(tmp_repo: Path, out: Path, capsys) -> None:
    _repo, imr = write_section(tmp_repo, "narrative.md", "One line.\n\n![host](/etc/hostname)\n")
    code = main(["--root", str(tmp_repo), "build", "--only", "docx", "--out", str(out), str(imr.folder)])
    assert code == 1
    error = capsys.readouterr().err
    assert f"{imr.sections['narrative'].span.path}:3:9: error[refused-image]:" in error
    assert not list((out / "reviews").rglob("*.docx"))


def test_a_picture_inside_the_imr_folder_is_embedded(tmp_repo: Path, out: Path) -> None:
    (draft(load(tmp_repo)).folder / "plan.png").write_bytes(PNG)
    repo, imr = write_section(tmp_repo, "narrative.md", "The plan:\n\n![Floor plan](plan.png)\n")
    built(repo, imr, out)
    path = next((out / "reviews").rglob("*.docx"))
    with zipfile.ZipFile(path) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert [package.read(n) for n in media] == [PNG]


# Links an author might write, and whether Word may keep each one as a link.
LINKS = {
    "[the records](file:///etc/passwd)": ("the records (file:///etc/passwd)", False),
    "<file:///etc/shadow>": ("file:///etc/shadow", False),
    "[click](javascript:alert(1))": ("click (javascript:alert(1))", False),
    "[the plan](../../../secret.docx)": ("the plan (../../../secret.docx)", False),
    "[the plan](plan.docx)": ("the plan (plan.docx)", False),
    "[share](\\\\\\\\server\\\\share\\\\x.docx)": ("share (\\\\server\\share\\x.docx)", False),
    "[page](data:text/html,hi)": ("page (data:text/html,hi)", False),
    "[mail](mailto:panel@example.org?attach=/etc/passwd)": ("mail (mailto:panel@example.org?attach=/etc/passwd)", False),
    "[odd](<https://exa mple.org/a b>)": ("odd (https://exa%20mple.org/a%20b)", False),
    "[guidance](https://www.gov.uk/care-act)": ("guidance", True),
    "[guidance](HTTPS://www.gov.uk:443/care-act?page=2#duties)": ("guidance", True),
    "[the panel](mailto:panel@example.org)": ("the panel", True),
}


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> tuple[docx.document.Document, bytes, bytes]:
    """The draft built once with every link of LINKS, one per paragraph, in a footnote too."""
    root = tmp_path_factory.mktemp("links")
    for name in ("reviews", "schema"):
        shutil.copytree(ROOT / name, root / name)
    lines = [f"Link {n}: {link}\n" for n, link in enumerate(LINKS)]
    repo, imr = write_section(root, "narrative.md", "\n".join(lines) + "\nNoted.[^1]\n\n[^1]: See <file:///etc/group>.\n")
    document = built(repo, imr, root / "build")
    path = next((root / "build" / "reviews").rglob("*.docx"))
    with zipfile.ZipFile(path) as package:
        relationships = b"".join(package.read(n) for n in package.namelist() if n.endswith(".rels"))
        footnotes = package.read("word/footnotes.xml")
    return document, relationships, footnotes


@pytest.mark.parametrize("link", list(LINKS))
def test_only_web_and_email_links_stay_links(linked, link: str) -> None:
    document, _relationships, _ = linked
    shown, kept = LINKS[link]
    n = list(LINKS).index(link)
    paragraph = next(p for p in texts(document) if f"Link {n}: " in p)
    assert paragraph.endswith(f"Link {n}: {shown}"), paragraph
    hyperlinks = [
        element for element in document.element.body.iter(qn("w:hyperlink"))
        if f"Link {n}: " in "".join(t.text or "" for t in element.getparent().iter(qn("w:t")))
    ]
    assert len(hyperlinks) == (1 if kept else 0)


def test_no_relationship_points_at_a_local_file_or_script(linked) -> None:
    _, relationships, footnotes = linked
    targets = re.findall(rb'Target="([^"]*)"[^>]*TargetMode="External"', relationships)
    targets += re.findall(rb'TargetMode="External"[^>]*Target="([^"]*)"', relationships)
    assert targets, "the web and e-mail links should be there"
    assert all(t.lower().startswith((b"https://www.gov.uk", b"mailto:panel@example.org")) for t in targets), targets
    assert not [t for t in targets if b"attach" in t or b" " in t or b"%20" in t]
    assert b"file:///etc/group" in footnotes and b"w:hyperlink" not in footnotes


INJECTED = '<w:p><w:r><w:t>X</w:t></w:r></w:p> `{=openxml}` **bold** <script>alert(1)</script>'


def test_openxml_in_an_agency_name_a_chronology_event_and_a_qa_comment_prints_as_written(
    tmp_repo: Path, out: Path
) -> None:
    imr = draft(load(tmp_repo))
    quoted = '"' + INJECTED.replace('"', '\\"') + '"'
    edits = {
        imr.folder.parent / "review.yml": ("name: Riverside Medical Practice", f"name: {quoted}"),
        imr.folder / "chronology.yml": ("event: Adult A did not attend her annual diabetes review.", f"event: {quoted}"),
        imr.folder / "imr.yml": ("comment: Available through the Integrated Care Board.", f"comment: {quoted}"),
    }
    for path, (old, new) in edits.items():
        content = path.read_text("utf-8")
        assert old in content
        path.write_text(content.replace(old, new, 1), encoding="utf-8")
    repo = load(tmp_repo)
    imr = draft(repo)
    assert repo.review(imr.review_id).agency(imr.agency_id).name == INJECTED
    document = built(repo, imr, out)
    paragraphs = texts(document)
    assert paragraphs.count(INJECTED) >= 2  # the title page's subtitle and agency line
    cells = [c for c in document.element.body.iter(qn("w:tc")) if "".join(t.text or "" for t in c.iter(qn("w:t"))) == INJECTED]
    assert len(cells) == 2  # the chronology event and the QA comment
    assert all(c.find(f".//{qn('w:b')}") is None for c in cells)
    assert "X" not in [t.text for t in document.element.body.iter(qn("w:t"))]
    assert document.core_properties.title.startswith(f"{repo.review(imr.review_id).reference} IMR ")


def test_an_svg_picture_is_refused(tmp_repo: Path, out: Path) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'
    (draft(load(tmp_repo)).folder / "plan.svg").write_text(svg, encoding="utf-8")
    imr, findings = refused(tmp_repo, out, "plan.svg")
    assert_refused(imr, findings, "plan.svg", "is not a PNG, JPEG or GIF picture")


def test_a_picture_over_the_size_limit_is_refused_unread(tmp_repo: Path, out: Path) -> None:
    with (draft(load(tmp_repo)).folder / "huge.png").open("wb") as picture:
        picture.write(PNG)
        picture.truncate(limits.PICTURE_MB() * limits.MB + 1)  # sparse: no disk space used
    imr, findings = refused(tmp_repo, out, "huge.png")
    assert_refused(imr, findings, "huge.png", f"is 10.0 MB, larger than the {limits.PICTURE_MB.shown()} a picture may be")


def test_an_agency_name_with_characters_word_cannot_hold_still_builds(tmp_repo: Path, out: Path) -> None:
    """A YAML escape can put a character into a name that no XML file may contain (U+FFFE);
    the document is still built, its file name and title printable."""
    imr = draft(load(tmp_repo))
    review_file = imr.folder.parent / "review.yml"
    content = review_file.read_text("utf-8")
    assert "name: Riverside Medical Practice" in content
    review_file.write_text(
        content.replace("name: Riverside Medical Practice", 'name: "Riverside\\uFFFE Medical\\x7f Practice\\u00a0😀"', 1),
        encoding="utf-8",
    )
    repo = load(tmp_repo)
    document = built(repo, draft(repo), out)
    name = report.file_name(repo.review(imr.review_id), draft(repo))
    assert name.isprintable() and "Riverside Medical Practice 😀" in name
    assert document.core_properties.title == name.removesuffix(".docx")
