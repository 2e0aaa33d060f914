"""The board's status site: figures from the model, pages written as Markdown, built by MkDocs.

`build` is the builder `sarflow build` calls. The site is one for the whole
repository (every review, every agency), so it is built from all the repository's
IMRs whatever IMRs the command selected; an IMR whose files cannot be read shows as
such, with no figures from half its data.

Given a `sarflow.cache.Cache`, the engine runs only when what it reads has changed: the
staged pages and the generated configuration, site/ (whose overrides the theme reads)
and the engine with its version. The pages are keyed by their own content, since they
depend on today's date and the git history (the staging step always runs, and is quick).
"""

from __future__ import annotations

from pathlib import Path

from sarflow.cache import Cache
from sarflow.dates import today
from sarflow.findings import Finding, Span, error
from sarflow.history import History, read_history
from sarflow.links import walk
from sarflow.model import Imr, Repository
from sarflow.outputs import FileErrors, OutputError
from sarflow.site import calendar, engine, outcomes
from sarflow.site.pages import pages
from sarflow.site.staging import stage
from sarflow.status.figures import figures

STAGING = "site-src"
SITE = "site"


def prepare(repo: Repository, out: Path, history: History | None = None) -> Path:
    """Write the staging folder and the generated configuration; returns the configuration's path.

    `history` is the repository's git history, read here when not given.
    """
    fig = figures(repo, today(), history if history is not None else read_history(repo.root))
    staging = out / STAGING
    generated = [*pages(fig), *outcomes.pages(outcomes.outcomes(fig, repo.board)), (calendar.FILE, calendar.feed(fig, repo.board))]
    stage(repo.root, generated, staging)
    return engine.write_config(repo.root, staging, out / SITE, fig.board_name)


def build(repo: Repository, imrs: list[Imr], out: Path, flagged: FileErrors | None = None,
          cache: Cache | None = None) -> list[Finding]:
    """Build out/site from the whole repository (`imrs` is ignored: see the module's docstring).

    The site is not marked where files have errors (`flagged`): it shows only the status
    tier, and an IMR whose files cannot be read shows as such already.

    Returns the history's warnings (a version of a file too large to read) or the error.
    """
    history = read_history(repo.root)
    name = repo.board.engine if repo.board else "material"
    try:
        config = prepare(repo, out, history)
        if cache is None:
            engine.build(config, out / SITE, name)
        else:
            key = cache.key("site", name, engine.version(name), cache.folder_fingerprint(out / STAGING),
                            cache.fingerprint(config), cache.folder_fingerprint(repo.root / "site"))
            if not cache.hit(SITE, key):
                cache.forget(SITE)
                engine.build(config, out / SITE, name)
                cache.record(SITE, key, walk(out / SITE).files)
    except (OutputError, OSError) as exc:
        where = exc.span if isinstance(exc, engine.SettingError) else Span(engine.CONFIG)
        return [error("site-build", f"the status site was not built: {exc}", where,
                      "fix what the message names, then run `sarflow build --only site` again")]
    return history.warnings
