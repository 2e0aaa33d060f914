"""What the status site may be built with: mkdocs.yml's settings and site/'s own files.

The site is a board output: it must run no code of its own at build time, copy no
file from the computer that builds it and make no request to another site when a
board member opens it. `problems(root)` lists every setting or page that would break
that, each an error naming its file, line and column. `sarflow check` reports them
all; the site's build stops at the first, so the rule is kept in this one place.
"""

from __future__ import annotations

from pathlib import Path

from sarflow.findings import Finding
from sarflow.sitepolicy.config import config_problems
from sarflow.sitepolicy.pages import page_problems

__all__ = ["problems"]


def problems(root: Path) -> list[Finding]:
    """Every problem with mkdocs.yml, then with site/'s files, in file order."""
    return config_problems(root) + page_problems(root)
