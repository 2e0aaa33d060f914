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
REVIEW_RULES: tuple[Rule, ...] = (review.check_review, deadlines.check_review, anonymisation.check_review,
                                  placeholders.check_review, recommendations.check_review)
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
    anonymisation.check,
    markup.check,
)

# Rules that judge a value the schema also checks, in more precise words: the schema's
# message at the same position is dropped in their favour (action-incomplete names every
# field a submitted IMR's action lacks, the schema only those every action needs).
RULES_ON_VALUES = ("action-status", "unknown-lesson", "action-incomplete")


def check(repo: Repository, paths: Sequence[Path] | None = None, restricted: Restricted | None = None) -> list[Finding]:
    """Everything wrong under `paths` (files or folders; all of reviews/ when None): errors, then warnings, by position.

    What is restricted is gathered from every IMR of `repo` unless `restricted` is given (sarflow.recheck, which
    keeps it for the reviews it does not read again).
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
    restricted = Restricted.of_repository(repo) if restricted is None else restricted
    for sar in repo.reviews:
        if not scope.touches(sar.folder):
            continue
        for document in (sar.document, sar.recommendations_document):
            if document is not None:
                validated += _validate(repo, document)
        ctx = Context(repo, sar, on, restricted)
        for rule in REVIEW_RULES:
            rule(ctx)
        ruled += ctx.findings
        for imr in sar.imrs.values():
            if not scope.touches(imr.folder):
                continue
            loaded += imr.findings
            for document in imr.documents.values():
                validated += _validate(repo, document)
            ctx = Context(repo, sar, on, restricted, imr)
            for rule in IMR_RULES:
                rule(ctx)
            ruled += ctx.findings
    said = {f.span for f in loaded} | {f.span for f in ruled if f.code in RULES_ON_VALUES}
    validated = [f for f in validated if f.code == "schema-line" or f.span not in said]
    return causes.fold([f for f in dict.fromkeys(loaded + validated + ruled) if scope.keeps(f)])


def _validate(repo: Repository, document: YamlDocument) -> list[Finding]:
    setting = repo.board.anonymisation if repo.board else "warning"
    return [
        Finding(severity(code, None, setting), code, message, span, hint)
        for span, code, message, hint in schema.check_document(repo.root, document)
    ]
