"""One IMR's Word document with the changes between two revisions as tracked changes.

Both revisions are composed by the Word report's own `imr_document`, so the redline
is the document the panel knows, merged block by block and word by word
(`sarflow.changes.tracked`), with Track Changes switched on in its settings. Each change
carries, as Word's reviewer and date, the name and date of the author of the commit that made
it (`sarflow.changes.authorship`: a deletion the commit that deleted it), or of HEAD's commit
where no commit of the IMR's folder explains it. After pandoc has written it, every
paragraph or table row that was wholly added or removed is marked so in Word too,
each change gets an id of its own, as Word expects, and the paragraph numbers are Word's
own numbering (`sarflow.changes.numbered`), so that they follow accepted and rejected changes.
"""

from __future__ import annotations

import calendar
import datetime as dt
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from sarflow.changes.authorship import Authorship, attribute, credit
from sarflow.changes.numbered import mark_numbers, word_numbering
from sarflow.changes.revisions import Revision, RevisionError, commit_author, loaded
from sarflow.changes.tracked import Marker, merge_blocks
from sarflow.dates import uk
from sarflow.docx import file_name, imr_document
from sarflow.docx.control import status_mark
from sarflow.docx.version import version_of
from sarflow.findings import Finding, errors
from sarflow.model import Imr, Repository, Review, is_sent
from sarflow.word import pandoc
from sarflow.word.finish import finish
from sarflow.word.nodes import Node, para, strong, styled, text
from sarflow.word.ooxml import NS, element, parse, rewrite, serialise, w
from sarflow.word.reference import ERRORS_STYLE, cached_reference

# Marks that hold no text of their own: a paragraph of only these and changes is a changed paragraph.
_NEUTRAL = {w("pPr"), w("bookmarkStart"), w("bookmarkEnd")}


@dataclass
class Redline:
    """The document (None when it could not be made), its file name and what went wrong."""

    docx: bytes | None
    name: str
    findings: list[Finding]


def _imr(repo: Repository | None, review_id: str, agency_id: str) -> tuple[Review | None, Imr | None]:
    review = repo.review(review_id) if repo else None
    return review, review.imrs.get(agency_id) if review else None


def redline(root: Path, base: Revision, head: Revision, review_id: str, agency_id: str, causes: Sequence[str] = ()) -> Redline:
    """The IMR's report at `head` with the changes since `base` tracked; `causes` are what changed
    it besides its own files (a file outside reviews/, the board's or the review's settings), named
    on its cover, as is a change to an IMR that was submitted or approved at `base`."""
    author, when = commit_author(root, head)
    moment = dt.datetime.fromisoformat(when).astimezone(dt.UTC)
    fallback = credit(author, when)
    marker = Marker(fallback.author, fallback.date)
    version = version_of(root, root / "reviews" / review_id / agency_id, at=head.commit)
    with loaded(root, base) as before, loaded(root, head) as after:
        old_repo, new_repo = before.repo, after.repo
        review, imr = _imr(new_repo, review_id, agency_id)
        if new_repo is None or review is None or imr is None:
            raise RevisionError(f"there is no IMR {review_id}/{agency_id} at {head.label} (reviews/{review_id}/{agency_id}/)")
        name = f"{Path(file_name(review, imr)).stem} (changes {base.short} to {head.short}).docx"
        if problems := errors(imr.findings):
            return Redline(None, name, problems)
        document, findings = imr_document(imr, review, new_repo.board, new_repo.template, version)
        if errors(findings):
            return Redline(None, name, findings)
        old_review, old_imr = _imr(old_repo, review_id, agency_id)
        old_blocks: list = []
        if old_repo and old_review and old_imr:
            old_document, _ = imr_document(old_imr, old_review, old_repo.board, old_repo.template, version)
            old_blocks = old_document["blocks"]
        notes = [n for n in (before.note, after.note) if n]
        cover = cover_notice(old_imr, base, causes, notes)
        merged = merge_blocks(old_blocks, document["blocks"], marker)
        attribute(merged, Authorship(root, base, head, f"reviews/{review_id}/{agency_id}", fallback))
        sections = mark_numbers(merged)
        document["blocks"] = cover + merged
        with tempfile.TemporaryDirectory(prefix="sarflow-redline-") as cache:
            reference = cached_reference(new_repo.template, Path(cache))
            docx = word_numbering(pandoc.write_docx(document, reference, imr.folder), sections)
    docx = finish(docx, f"{version}, with tracked changes since commit {base.short}", epoch=calendar.timegm(moment.timetuple()),
                  mark=status_mark(imr))
    return Redline(rewrite(docx, {"word/document.xml": mark_whole_changes, "word/settings.xml": track_revisions}), name, findings)


CHANGED_SINCE_SIGN_OFF = "CHANGED SINCE {status}"


def cover_notice(old: Imr | None, base: Revision, causes: Sequence[str], notes: Sequence[str]) -> list[Node]:
    """What the cover says before anything else: that a signed-off IMR changed (its sign-off no
    longer covers the tracked words), what besides its own files changed the report, and how
    a revision had to be read."""
    said = []
    if old is not None and old.status and is_sent(old.status):
        dated = old.approved_by.date if old.status == "approved" and old.approved_by and old.approved_by.date else None
        when = f" (approved {uk(dated)})" if dated else ""
        said += [para(strong(CHANGED_SINCE_SIGN_OFF.format(status=old.status.upper()))),
                 para(text(f"This IMR was {old.status} at commit {base.short}{when}. The sign-off on this document covers "
                           "the words as they were then, not the tracked changes: the approver must read them and sign off "
                           "again before anyone relies on them."))]
    if causes:
        said.append(para(text(f"This report was changed by: {', '.join(causes)}.")))
    said += [para(text(f"{note[0].upper()}{note[1:]}.")) for note in notes]
    return [styled(ERRORS_STYLE, said)] if said else []


# The settings that come before w:trackRevisions in Word's schema (CT_Settings), in order.
_BEFORE_TRACKING = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime", "doNotDisplayPageBoundaries",
    "displayBackgroundShape", "printPostScriptOverText", "printFractionalCharacterWidth", "printFormsData",
    "embedTrueTypeFonts", "embedSystemFonts", "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors",
    "hideGrammaticalErrors", "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate", "linkStyles",
    "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge", "revisionView",
)


def track_revisions(data: bytes) -> bytes:
    """Track Changes switched on, so that a panel member's own edits in Word are tracked too."""
    root = parse(data)
    if root.find("w:trackRevisions", NS) is None:
        before = [c for c in root if etree.QName(c).localname in _BEFORE_TRACKING]
        at = root.index(before[-1]) + 1 if before else 0
        root.insert(at, element("trackRevisions"))
    return serialise(root)


def mark_whole_changes(data: bytes) -> bytes:
    """Mark paragraphs and table rows that were wholly added or removed, and number every change."""
    root = parse(data)
    for paragraph in root.iter(w("p")):
        if (kind := _whole(paragraph)) is not None and not _last_of_cell(paragraph, kind):
            properties = _child(paragraph, "pPr", 0)
            after = [c for c in properties if c.tag in (w("sectPr"), w("pPrChange"))]
            marks = properties.find("w:rPr", NS)
            if marks is None:
                marks = element("rPr")
                (after[0].addprevious(marks) if after else properties.append(marks))
            marks.insert(0, _like(kind))
    for row in root.iter(w("tr")):
        wholes = [_whole(p) for p in row.iter(w("p")) if _content(p)]
        kinds = {None if x is None else x.tag for x in wholes}
        if len(kinds) == 1 and wholes[0] is not None:
            properties = _child(row, "trPr", 1 if row.find("w:tblPrEx", NS) is not None else 0)
            properties.append(_like(wholes[0]))
    ids = [int(v) for v in root.xpath("//@w:id", namespaces=NS) if v.lstrip("-").isdigit()]
    number = max(ids, default=0)
    for change in root.iter(w("ins"), w("del")):
        number += 1
        change.set(w("id"), str(number))
    return serialise(root)


def _last_of_cell(paragraph: etree._Element, kind: etree._Element) -> bool:
    """Whether marking this paragraph would leave its table cell with no paragraph at all
    (a whole row added or removed is marked on the row instead)."""
    cell = paragraph.getparent()
    if cell.tag != w("tc"):
        return False
    wholes = [_whole(p) for p in cell.findall("w:p", NS)]
    return all(x is not None and x.tag == kind.tag for x in wholes)


def _content(paragraph: etree._Element) -> list[etree._Element]:
    return [c for c in paragraph if c.tag not in _NEUTRAL]


def _whole(paragraph: etree._Element) -> etree._Element | None:
    """The w:ins or w:del that holds all of a paragraph's text, if one kind does."""
    content = _content(paragraph)
    if content and len({c.tag for c in content}) == 1 and content[0].tag in (w("ins"), w("del")):
        return content[0]
    return None


def _like(change: etree._Element) -> etree._Element:
    """A mark of the same kind, author and date as `change`, for a paragraph mark or a row."""
    return element(etree.QName(change).localname, {"id": "0", "author": change.get(w("author"), ""), "date": change.get(w("date"), "")})


def _child(parent: etree._Element, name: str, index: int) -> etree._Element:
    found = parent.find(f"w:{name}", NS)
    if found is None:
        found = element(name)
        parent.insert(index, found)
    return found
