"""The board's status site: figures from the model, pages written as Markdown, built by MkDocs.

`build` is the builder `sarflow build` calls. The site is one for the whole
repository (every review, every agency), so it is built from all the repository's
IMRs whatever IMRs the command selected; an IMR whose files cannot be read shows as
such, with no figures from half its data.

Given a `sarflow.cache.Cache`, the engine runs only when what it reads has changed: the
staged pages and the generated configuration, site/ (whose overrides the theme reads)
and the engine with its version. The pages are staged again only when what they are made
from has changed (`read`: the review files, but of a section other than the analysis only
whether it is written; today's date; the git history; site/ and mkdocs.yml), so that an
edit to a narrative, which no page shows, neither stages nor builds the site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sarflow.cache import Cache
from sarflow.dates import today
from sarflow.findings import Finding, Span, error, relative
from sarflow.history import History, read_history
from sarflow.links import walk
from sarflow.model import Imr, Repository
from sarflow.outputs import FileErrors, OutputError
from sarflow.site import calendar, engine, outcomes
from sarflow.site.pages import pages
from sarflow.site.staging import stage
from sarflow.status.figures import ANSWERED, figures

STAGING = "site-src"
SITE = "site"
PAGES = "site-pages"  # the cache's entry of the staged pages and the configuration (not an output a build names)


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
        if cache is None:
            engine.build(prepare(repo, out, history), out / SITE, name)
        else:
            config = out / engine.GENERATED_CONFIG
            pages_key = cache.key(PAGES, read(cache, repo), today().isoformat(), repr(history),
                                  cache.folder_fingerprint(repo.root / "site"), cache.fingerprint(repo.root / "mkdocs.yml"))
            if not cache.hit(PAGES, pages_key):  # the pages are staged only when what they show may have changed
                cache.forget(PAGES)
                config = prepare(repo, out, history)
                cache.record(PAGES, pages_key, [*walk(out / STAGING).files, config])
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


def read(cache: Cache, repo: Repository) -> list[Any]:
    """What the pages are made from in reviews/, as the key of the staged pages sees it: every file's
    fingerprint, but of the sections other than the analysis only whether each is written, which is all
    the figures read of them (sarflow.status.figures: the analysis's answers are read, the rest counted),
    and whether each IMR could be read."""
    shown = {section.span.path: section.written for imr in repo.imrs() for sid, section in imr.sections.items()
             if sid != ANSWERED}
    reviews = repo.root / "reviews"
    tree = walk(reviews)
    # A file the walk found lies in real folders below the root (it passes through no link): its path there is
    # what `relative` gives, worked out without asking the file system about each folder on the way.
    return [
        [[(where := path.relative_to(repo.root).as_posix()), ["written", shown[where]] if where in shown else cache.fingerprint(path)]
         for path in tree.files],
        [relative(link, repo.root) for link in tree.links],
        [[imr.review_id, imr.agency_id, imr.readable] for imr in repo.imrs()],
    ]
