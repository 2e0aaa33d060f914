"""`check(repo, paths)`, imported as `sarflow.check.check`: the rules, and how their findings are put together."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sarflow.check import (
    abbreviations,
    actions,
    analysis,
    anonymisation,
    causes,
    chronology,
    deadlines,
    headings,
    lessons,
    markup,
    personnel,
    placeholders,
    plausibility,
    recommendations,
    review,
    schema,
    sections,
    signoff,
)
from sarflow.check.context import Context
from sarflow.check.registry import severity
from sarflow.dates import today
from sarflow.findings import Finding
from sarflow.load.yamlfile import YamlDocument
from sarflow.model import Repository
from sarflow.restricted import Restricted
from sarflow.scope import Scope
from sarflow.sitepolicy import problems as site_problems

__all__ = ["check"]

Rule = Callable[[Context], None]
REVIEW_RULES: tuple[Rule, ...] = (review.check_review, deadlines.check_review, placeholders.check_review,
                                  recommendations.check_review)
IMR_RULES: tuple[Rule, ...] = (
    sections.check,
    headings.check_top_level,
    analysis.check,
    lessons.check,
    actions.check,
    chronology.check,
    personnel.check,
    abbreviations.check,
    signoff.check,
    placeholders.check,
    plausibility.check,
    deadlines.check,
    markup.check,
)
# The rules that read what is restricted (Context.restricted): run once every other rule has, so that a
# check in shares (sarflow.check.shares) is told who the other shares' IMRs name while it runs the rest.
RESTRICTED_RULES: tuple[tuple[Rule, Rule], ...] = ((anonymisation.check_review, anonymisation.check),)

# Rules that judge a value the schema also checks, in more precise words: the schema's
# message at the same position is dropped in their favour (action-incomplete names every
# field a submitted IMR's action lacks, the schema only those every action needs).
RULES_ON_VALUES = ("action-status", "unknown-lesson", "action-incomplete")


def check(repo: Repository, paths: Sequence[Path] | None = None,
          restricted: Restricted | Callable[[], Restricted] | None = None) -> list[Finding]:
    """Everything wrong under `paths` (files or folders; all of reviews/ when None): errors, then warnings, by position.

    What is restricted is gathered from every IMR of `repo` unless `restricted` is given (sarflow.recheck, which
    keeps it for the reviews it does not read again), or a function that gives it, called once only the
    RESTRICTED_RULES are left to run.
    """
    scope = Scope(repo.root, paths)
    on = today()
    loaded: list[Finding] = list(repo.findings)
    validated: list[Finding] = []
    if repo.board_document is not None and scope.touches(repo.root / repo.board_document.path):
        validated += _validate(repo, repo.board_document)
    ruled: list[Finding] = []
    if scope.touches(repo.root / "site") or scope.touches(repo.root / "mkdocs.yml"):
        ruled += site_problems(repo.root)
    checked: list[Context] = []  # of each review, then each of its IMRs, that the paths touch
    for sar in repo.reviews:
        if not scope.touches(sar.folder):
            continue
        for document in (sar.document, sar.recommendations_document):
            if document is not None:
                validated += _validate(repo, document)
        ctx = Context(repo, sar, on)
        for rule in REVIEW_RULES:
            rule(ctx)
        ruled += ctx.findings
        checked.append(ctx)
        for imr in sar.imrs.values():
            if not scope.touches(imr.folder):
                continue
            loaded += imr.findings
            for document in imr.documents.values():
                validated += _validate(repo, document)
            ctx = Context(repo, sar, on, imr=imr)
            for rule in IMR_RULES:
                rule(ctx)
            ruled += ctx.findings
            checked.append(ctx)
    if checked:
        known = _restricted(repo, restricted)
        for ctx in checked:  # each context again, with what it gathered once for the other rules (Context.written)
            ctx.restricted, ctx.findings = known, []
            for of_review, of_imr in RESTRICTED_RULES:
                (of_review if ctx.imr is None else of_imr)(ctx)
            ruled += ctx.findings
    said = {f.span for f in loaded} | {f.span for f in ruled if f.code in RULES_ON_VALUES}
    validated = [f for f in validated if f.code == "schema-line" or f.span not in said]
    return causes.fold([f for f in dict.fromkeys(loaded + validated + ruled) if scope.keeps(f)])


def _restricted(repo: Repository, given: Restricted | Callable[[], Restricted] | None) -> Restricted:
    if given is None:
        return Restricted.of_repository(repo)
    return given if isinstance(given, Restricted) else given()


def _validate(repo: Repository, document: YamlDocument) -> list[Finding]:
    setting = repo.board.anonymisation if repo.board else "warning"
    return [
        Finding(severity(code, None, setting), code, message, span, hint)
        for span, code, message, hint in schema.check_document(repo.root, document)
    ]
