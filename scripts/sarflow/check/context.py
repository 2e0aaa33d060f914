"""What a rule needs to judge one review or one IMR, and where it puts what it finds.

Rules report a code, a message and a hint (and, for a restricted value, the tier of the
text it is in); the severity is worked out here from the registry, the IMR's status and
the board's anonymisation setting, so that no rule decides for itself whether a
missing answer is a warning or an error. What is restricted is gathered once per check
from every IMR of the repository (`restricted`), so that a name of one agency's staff
typed into another agency's text is found too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from sarflow.check import text
from sarflow.check.registry import severity
from sarflow.findings import Finding, Span
from sarflow.model import Imr, Repository, Review
from sarflow.restricted import Restricted
from sarflow.restricted.tiers import Tier


@dataclass
class Context:
    repo: Repository
    review: Review
    today: dt.date
    imr: Imr | None = None
    restricted: Restricted | None = None  # given to the rules that read it (sarflow.check.rules.RESTRICTED_RULES)
    findings: list[Finding] = field(default_factory=list)

    def report(self, code: str, message: str, span: Span, hint: str | None = None, tier: Tier | None = None) -> None:
        status = self.imr.status if self.imr else None
        setting = self.repo.board.anonymisation if self.repo.board else "warning"
        self.findings.append(Finding(severity(code, status, setting, tier), code, message, span, hint))

    def readable(self, name: str) -> bool:
        """True when the IMR's YAML file `name` was read; rules that lean on it skip it otherwise."""
        return self.imr is not None and self.imr.documents.get(name) is not None and self.imr.documents[name].data is not None

    @cached_property
    def chronology(self) -> tuple[text.Passage, ...]:
        """The free text of the IMR's chronology (`text.chronology`), the most of its data, which several rules read:
        gathered once."""
        return tuple(text.chronology(self.the_imr))

    @cached_property
    def written(self) -> tuple[text.Passage, ...]:
        """The free text of the IMR's data (`text.written_data`), which several rules read: gathered once."""
        return tuple(text.written_data(self.the_imr, self.repo.template, self.chronology))

    @property
    def the_imr(self) -> Imr:
        assert self.imr is not None, "an IMR rule was run without an IMR"
        return self.imr

    @property
    def the_restricted(self) -> Restricted:
        if self.restricted is None:
            raise RuntimeError("a rule that reads what is restricted was run without it: list it in RESTRICTED_RULES")
        return self.restricted
