"""Staff are named by ids the personnel glossary explains: in the chronology's `by`, and in the text.

`by` names one id or a list of them (or several on one line, "GP1 and PN1"). An id of
another agency's staff in the same review is written `agency-id/ID` (`acute-trust/ED1`)
and looked up in that agency's IMR; an agency the review has no IMR from is reported
as such, with the nearest agency id. In the text, a word that looks like a staff id
(capitals then a number) and shares its letters with an id of the glossary, such as SW4
where SW1 to SW3 are listed, is taken for a mistyped or unlisted id; each is reported
once, where the reader first meets it. Letters no listed id uses (a postcode district
such as NB4) are left alone.
"""

from __future__ import annotations

import re

from sarflow.check import text
from sarflow.check.context import Context
from sarflow.findings import Span
from sarflow.model import StaffRef
from sarflow.words import listing, nearest

_ID = re.compile(r"[A-Z]+[0-9]+")
# A staff id in the text: what comes before its first capital is looked at from behind that capital, so that the
# search skips from capital to capital (as the abbreviation rule's word does; a test keeps it the same as the plain form).
_STAFF_ID = re.compile(r"([A-Z](?<![\w&/.@-].)[A-Z]*)([0-9]+)(?:'?s)?(?![\w&@])")


def check(ctx: Context) -> None:
    imr = ctx.the_imr
    if not ctx.readable("imr.yml"):
        return
    _duplicate_ids(ctx)
    ids = [p.id for p in imr.personnel if p.id]
    if ctx.readable("chronology.yml"):
        for entry in imr.chronology:
            for staff in entry.by:
                _look_up(ctx, staff, ids)
    prefixes = {re.sub(r"[0-9]+$", "", i) for i in ids}
    first: dict[str, Span] = {}
    read = text.joined([*text.sections(imr, ctx.repo.template, code=False), *ctx.written])
    for match in _STAFF_ID.finditer(read.text):
        word = match.group(1) + match.group(2)
        if match.group(1) in prefixes and word not in ids:
            first.setdefault(word, read.at(match.start()))
    for word, span in first.items():
        ctx.report("unknown-person", f"`{word}` looks like a staff id but is not in the personnel list of imr.yml",
                   span, _hint(ctx, word, ids))


def _look_up(ctx: Context, staff: StaffRef, ids: list[str]) -> None:
    """One id of `by`: the IMR's own staff, or (`agency-id/ID`) another agency's in the same review."""
    imr = ctx.the_imr
    if staff.agency in (None, imr.agency_id):
        if staff.id not in ids:
            ctx.report("unknown-person", f"`{staff.text}` is not an id in the personnel list of imr.yml", staff.at,
                       _hint(ctx, staff.id, ids))
        return
    other = ctx.review.imrs.get(staff.agency or "")
    if other is None:
        _unknown_agency(ctx, staff)
        return
    document = other.documents.get("imr.yml")
    if document is None or document.data is None:
        return  # that IMR's imr.yml cannot be read: reported there
    theirs = [p.id for p in other.personnel if p.id]
    if staff.id not in theirs:
        near = nearest(staff.id, [i for i in theirs if _ID.fullmatch(i)])
        ask = f"ask the author of {staff.agency}'s IMR to add {staff.id} under personnel in its imr.yml"
        ctx.report("unknown-person", f"`{staff.text}` is not an id in the personnel list of {document.path}", staff.at,
                   f"did you mean {staff.agency}/{near}? Otherwise {ask}" if near else
                   f"use an id from personnel in {document.path} ({listing(theirs) or 'none yet'}), or {ask}")


def _unknown_agency(ctx: Context, staff: StaffRef) -> None:
    here = ctx.the_imr.agency_id
    others = [a for a in ctx.review.imrs if a != here]
    agency = staff.agency or ""
    if ctx.review.agency(agency) is not None:
        ctx.report("unknown-agency", f"`{staff.text}` names {agency}, which has no IMR in this review yet, so its "
                   "staff cannot be looked up", staff.at,
                   f"leave {staff.text} out of `by` until {agency}'s IMR lists them under personnel, and say in the "
                   "event who they were (e.g. 'a police officer')")
        return
    near = nearest(agency, others)
    known = f"the agencies with an IMR in this review are {listing(others)}" if others else "no other agency has an IMR in this review"
    ctx.report("unknown-agency", f"`{agency}` in `{staff.text}` is not an agency of this review", staff.at,
               f"did you mean {near}? Write `{near}/{staff.id}`; {known}" if near else
               f"write the agency's folder name before the slash, e.g. `{others[0]}/{staff.id}`; {known}" if others else
               f"{known}: write the id of a member of your own staff, or leave it out")


def _duplicate_ids(ctx: Context) -> None:
    """Each id names one member of staff: ids that differ only in capitals are the same to a reader."""
    first: dict[str, Span] = {}
    for person in ctx.the_imr.personnel:
        if not person.id:
            continue
        seen = first.setdefault(person.id.casefold(), person.span("id"))
        if seen != person.span("id"):
            ctx.report("duplicate-person", f"the id `{person.id}` is given to two members of staff; the first is on line {seen.line}",
                       person.span("id"), "give each member of staff their own id, and check that the chronology "
                       "(`by`) and the text use the right one")


def _hint(ctx: Context, name: str, ids: list[str]) -> str:
    person = next((p for p in ctx.the_imr.personnel if p.name and p.name.casefold() == name.casefold()), None)
    if person is not None:
        return f"write {person.id}, the id of this member of staff, not their name"
    near = nearest(name, [i for i in ids if _ID.fullmatch(i)])  # never propose an id that is itself mistyped (ED 1)
    if near:
        return f"did you mean {near}? Otherwise add {name} under personnel in imr.yml (id, name and role)"
    return f"use an id from personnel in imr.yml ({listing(ids) or 'none yet'}), or add the person there"
