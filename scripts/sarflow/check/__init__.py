"""`check(repo, paths)`: every problem an author or the panel should know about, in one list.

What loading found (unreadable files, YAML syntax, misplaced folders) comes first-hand
from the loader; then each YAML file is validated against its schema, and the rules
beyond the schema run per review and per IMR, one module per family of rules. The
result holds one message per position: a schema error is dropped where the loader or
a rule has already said something more precise at the same spot (the loader, or a rule
that judges the same value); a finding that only follows from another is folded under
it (check.causes); and errors come before warnings, each sorted by file and position. The site's own
settings and pages (mkdocs.yml, site/) are judged by sarflow.sitepolicy, the rule the
site's build keeps too. Nothing here writes anything, so the CI summary and the site can
call it too.

The rules themselves (rules.py) are imported only when `check` is first asked for, so
that a command which prints findings (reporters) or reads what an earlier check kept
(sarflow.recheck) does not load every rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sarflow.check.rules import check

__all__ = ["check"]


def __getattr__(name: str) -> object:
    if name == "check":
        from sarflow.check.rules import check

        return check
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
