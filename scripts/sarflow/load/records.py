"""Model records built from YAML documents: the board, a review, and an IMR's data files."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Literal

from sarflow import clock
from sarflow.findings import Span
from sarflow.load.fields import Fields, as_date
from sarflow.load.yamlfile import YamlDocument
from sarflow.model import (
    ACTION_ATTRIBUTES,
    DEFAULT_TEMPLATE,
    Action,
    ActionLink,
    Agency,
    Board,
    ChronologyEntry,
    Extension,
    FamilyInvolvement,
    FamilyMember,
    Period,
    Person,
    Publication,
    QualityAnswer,
    QualityAssurance,
    Question,
    Recommendation,
    Recommendations,
    Ref,
    Referral,
    Response,
    Review,
    ReviewFinding,
    Signatory,
    StaffRef,
    Subject,
    TermsOfReference,
    Theme,
    Update,
)
from sarflow.template import ActionPlanLayout

_ANSWERS: dict[str, Literal["yes", "no"]] = {"yes": "yes", "no": "no"}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
# Between several staff written on one line ("GP1 and PN1", "TVN1, WN1"); "and" only as a word
# of its own, since an agency id may hold it (`police-and-fire/DN1`).
_STAFF_SEPARATORS = re.compile(r"\s*(?:[,;&]|(?<!\S)and(?!\S))\s*")
_SLASH = re.compile(r"\s*/\s*")


def board(doc: YamlDocument) -> Board:
    f = Fields(doc)
    settings = f.sub("settings") or Fields(doc, ("settings",))
    anonymisation = settings.text("anonymisation")
    site = f.sub("site")

    def days(key: str, default: int) -> int:
        value = settings.integer(key)
        return value if value and value > 0 else default

    return Board(
        f.at,
        name=f.text("name"),
        short_name=f.text("short_name"),
        template_id=f.text("template") or DEFAULT_TEMPLATE,
        anonymisation="error" if anonymisation == "error" else "warning",
        stale_update_days=days("stale_update_days", Board.stale_update_days),
        amber_days=days("amber_days", Board.amber_days),
        expected_months=days("expected_months", Board.expected_months),
        escalate_overdue_days=days("escalate_overdue_days", Board.escalate_overdue_days),
        escalate_no_update_days=days("escalate_no_update_days", Board.escalate_no_update_days),
        common_abbreviations=frozenset(a.strip() for a in _list(f.raw("common_abbreviations")) if isinstance(a, str)),
        meetings=tuple(sorted({d for d in (as_date(m) for m in _list(f.raw("meetings"))) if d})),
        engine="zensical" if site and site.text("engine") == "zensical" else "material",
        approved_frozen=settings.boolean("approved_frozen", Board.approved_frozen),
        themes=tuple(Theme(t.at, id=t.text("id"), name=t.text("name"), spans=t.spans(), written=t.written()) for t in f.items("themes")),
        spans=f.spans(), written=f.written(),
    )


def review(doc: YamlDocument, review_id: str, folder: Path) -> Review:
    f = Fields(doc)
    subject = f.sub("subject")
    referral = f.sub("referral")
    period = f.sub("period")
    extension = f.sub("extension")
    published = f.sub("published")
    tor = f.sub("terms_of_reference") or Fields(doc, ("terms_of_reference",))
    return Review(
        f.at,
        id=review_id,
        folder=folder,
        reference=_text_or_number(f, "reference"),
        subject=Subject(
            subject.at,
            name=subject.text("name"),
            deceased=subject.boolean("deceased"),
            date_of_death=subject.date("date_of_death"),
            spans=subject.spans(), written=subject.written(),
        )
        if subject
        else None,
        basis=f.text("basis"),
        referral=Referral(
            referral.at,
            date=referral.date("date"),
            source=referral.text("source"),
            summary=referral.text("summary"),
            spans=referral.spans(), written=referral.written(),
        )
        if referral
        else None,
        period=Period(period.at, start=period.date("from"), end=period.date("to"), spans=period.spans(), written=period.written())
        if period
        else None,
        terms_of_reference=TermsOfReference(
            tor.at,
            scope=tor.text("scope"),
            questions=[Question(q.at, id=q.text("id"), text=q.text("text"), spans=q.spans(), written=q.written()) for q in tor.items("questions")],
            spans=tor.spans(), written=tor.written(),
        ),
        agencies=[
            Agency(a.at, id=a.text("id"), name=a.text("name"), imr_due=a.date("imr_due"), short_code=a.text("short_code"),
                   spans=a.spans(), written=a.written())
            for a in f.items("agencies")
        ],
        stage=f.text("stage"),
        imrs={},
        document=doc,
        decision_date=f.date("decision_date"),
        extension=Extension(extension.at, to=extension.date("to"), reason=extension.text("reason"),
                            spans=extension.spans(), written=extension.written()) if extension else None,
        stage_dates=_stage_dates(f.sub("stage_dates")),
        completed=f.date("completed"),
        published=Publication(published.at, date=published.date("date"), where=published.text("where"),
                              spans=published.spans(), written=published.written()) if published else None,
        family_involvement=_family_involvement(f.sub("family_involvement")),
        themes=tuple(Ref(text, at) for text, at in f.listed("themes")),
        spans=f.spans(), written=f.written(),
    )


def _family_involvement(f: Fields | None) -> FamilyInvolvement | None:
    if f is None:
        return None

    def answer(key: str) -> bool | None:
        return f.boolean(key) if key in f.data and (isinstance(f.raw(key), bool) or f.raw(key) in ("yes", "no")) else None

    return FamilyInvolvement(f.at, invited=answer("invited"), took_part=answer("took_part"), advocacy=answer("advocacy"),
                             reason=f.text("reason"), spans=f.spans(), written=f.written())


def signatory(f: Fields | None) -> Signatory | None:
    if f is None:
        return None
    return Signatory(f.at, name=f.text("name"), job_title=f.text("job_title"), date=f.date("date"), spans=f.spans(), written=f.written())


def family(f: Fields) -> list[FamilyMember]:
    return [
        FamilyMember(
            m.at,
            name=m.text("name"),
            relationship=m.text("relationship"),
            date_of_birth=m.date("date_of_birth"),
            date_of_death=m.date("date_of_death") or (m.text("date_of_death") if m.text("date_of_death") == "n/a" else None),
            address=m.text("address"),
            ethnicity=m.text("ethnicity"),
            spans=m.spans(), written=m.written(),
        )
        for m in f.items("family")
    ]


def personnel(f: Fields, not_known: str) -> list[Person]:
    """The staff involved; a name written as the template's `not_known` is no name (None), so nothing
    takes "not known" for a name to keep out of the text."""
    return [
        Person(p.at, id=p.text("id"), name=_known(p.text("name"), not_known), role=p.text("role"), spans=p.spans(), written=p.written())
        for p in f.items("personnel")
    ]


def _known(name: str | None, not_known: str) -> str | None:
    return None if name is not None and name.casefold() == not_known.casefold() else name


def abbreviations(f: Fields) -> tuple[dict[str, str], dict[str, Span]]:
    sub = f.sub("abbreviations")
    if sub is None:
        return {}, {}
    found = {str(k): str(v).strip() for k, v in sub.data.items() if isinstance(v, str | int | float)}
    return found, {k: sub.doc.key_span(*sub.path, k) for k in found}


def quality_assurance(f: Fields) -> QualityAssurance:
    qa = f.sub("quality_assurance") or Fields(f.doc, ("quality_assurance",))
    answers: dict[str, QualityAnswer] = {}
    for criterion in qa.data:
        item = qa.sub(criterion)
        if item is None:
            continue
        raw = item.raw("answer")
        written = ("yes" if raw else "no") if isinstance(raw, bool) else (raw.strip().lower() if isinstance(raw, str) else None)
        answers[criterion] = QualityAnswer(
            item.at,
            criterion=criterion,
            answer=_ANSWERS.get(written or ""),
            comment=item.text("comment"),
            spans=item.spans(), written=item.written(),
        )
    return QualityAssurance(qa.at, answers=answers, spans=qa.spans(), written=qa.written())


def chronology(doc: YamlDocument) -> list[ChronologyEntry]:
    entries = []
    for e in Fields(doc).items("entries"):
        when, precision = _partial_date(e.raw("date"))
        time = e.raw("time")
        entries.append(
            ChronologyEntry(
                e.at,
                date=when,
                precision=precision,
                approximate=e.boolean("approximate"),
                time=clock.read(time) if isinstance(time, str) else None,
                source=e.text("source"),
                event=e.text("event"),
                action=e.text("action"),
                outcome=e.text("outcome"),
                by=_staff(e),
                spans=e.spans(), written=e.written(),
            )
        )
    return entries


def _staff(entry: Fields) -> tuple[StaffRef, ...]:
    """The staff of a chronology entry: a list, or one line of text that may name several ("GP1 and PN1")."""
    return tuple(StaffRef(name, at) for text, at in entry.listed("by") for part in _STAFF_SEPARATORS.split(text)
                 for name in _named(part) if name)


def _named(text: str) -> list[str]:
    """The staff one part of `by` names: a slash after an agency id (`acute-trust/ED1`, `police-2/DN1`) leads
    to that agency's member of staff, and between two staff ids (`GP1/PN1`) separates them.

    The case tells them apart: an agency id is in lower case (its folder's name), a staff id starts
    with a capital (imr.schema.json).
    """
    names: list[str] = []
    for part in _SLASH.split(text):
        if names and "/" not in names[-1] and names[-1] == names[-1].lower():
            names[-1] += "/" + part
        else:
            names.append(part)
    return names


def actions(doc: YamlDocument, plan: ActionPlanLayout | None = None, within: Fields | None = None, key: str = "actions") -> list[Action]:
    """The actions; with the template's `plan`, also the fields its template adds (in `Action.extra`).

    An agency's are the list `actions` of actions.yml; the board's own actions for a recommendation are
    read the same way from `board_actions` `within` that recommendation (recommendations.yml), so that
    every action has the same fields wherever it is written.
    """
    added = [f for f in plan.written if f.key not in ACTION_ATTRIBUTES and f.kind != "updates"] if plan else []
    return [
        Action(
            a.at,
            no=a.integer("no"),
            recommendation=a.text("recommendation"),
            lesson=tuple(Ref(text, at) for text, at in a.listed("lesson")),
            key_actions=a.text("key_actions"),
            evidence=a.text("evidence"),
            key_outcome=a.text("key_outcome"),
            lead_officer=a.text("lead_officer"),
            target_date=a.date("target_date"),
            status=a.text("status"),
            date_completed=a.date("date_completed"),
            comment=a.text("comment"),
            updates=[Update(u.at, date=u.date("date"), text=u.text("text"), spans=u.spans(), written=u.written()) for u in a.items("updates")],
            extra={f.key: a.of_kind(f.key, f.kind) for f in added},
            spans=a.spans(), written=a.written(),
        )
        for a in (within or Fields(doc)).items(key)
    ]


def recommendations(doc: YamlDocument, plan: ActionPlanLayout) -> Recommendations:
    """recommendations.yml: the findings, and each recommendation with its response, links and board actions."""
    f = Fields(doc)
    return Recommendations(
        f.at,
        findings=[ReviewFinding(i.at, id=i.text("id"), text=i.text("text"), spans=i.spans(), written=i.written())
                  for i in f.items("findings")],
        recommendations=[_recommendation(r, plan) for r in f.items("recommendations")],
        spans=f.spans(), written=f.written(),
    )


def _recommendation(r: Fields, plan: ActionPlanLayout) -> Recommendation:
    response = r.sub("response")
    return Recommendation(
        r.at,
        id=r.text("id"),
        finding=r.text("finding"),
        text=r.text("text"),
        themes=tuple(Ref(text, at) for text, at in r.listed("themes")),
        to=tuple(Ref(text, at) for text, at in r.listed("to")),
        response=Response(response.at, decision=response.text("decision"), date=response.date("date"),
                          reason=response.text("reason"), spans=response.spans(), written=response.written())
        if response else None,
        links=tuple(ActionLink(text, at) for text, at in r.listed("actions")),
        board_actions=actions(r.doc, plan, within=r, key="board_actions"),
        spans=r.spans(), written=r.written(),
    )


def _partial_date(value: object) -> tuple[dt.date | None, Literal["day", "month", "year"]]:
    """A chronology date: a full date, `2024-03` (month) or `2024` (year)."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return dt.date(value, 1, 1), "year"
    if isinstance(value, str):
        if match := _MONTH.match(value.strip()):
            year, month = int(match.group(1)), int(match.group(2))
            return (dt.date(year, month, 1), "month") if 1 <= month <= 12 else (None, "day")
        if match := _YEAR.match(value.strip()):
            return dt.date(int(match.group(1)), 1, 1), "year"
    return as_date(value), "day"


def _text_or_number(f: Fields, key: str) -> str | None:
    value = f.raw(key)
    return str(value).strip() if isinstance(value, str | int) and str(value).strip() else None


def _stage_dates(f: Fields | None) -> dict[str, dt.date]:
    """`stage_dates`: each stage the review has reached and the day it did (others left for the schema)."""
    found = {key: f.date(key) for key in f.data if isinstance(key, str)} if f else {}
    return {key: day for key, day in found.items() if day}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
