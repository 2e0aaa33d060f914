"""Build the outputs into build/: Word reports, Excel workbooks and the status site.

The checks run first and every error they find is printed. An IMR is still built
when its files have errors, as long as they can be read (the panel works from
drafts), but every document made from a file with errors says so where a reader
sees it first (`sarflow.outputs.ERRORS_MARK`), prints each value that could not be
read as the author typed it, and the run exits 1. One IMR that cannot be built does
not stop the others; the run then exits 1 and names it. An IMR whose files cannot be
read is not built at all, so no output is ever made from half its data.

Both steps keep what they did under build/.cache (sarflow.cache): check's findings for
each review that has not changed are found again rather than checked again
(sarflow.recheck), and an output whose inputs have not changed is left as it is.

With `--shard K/N` only the K-th share of the Word reports and workbooks is built
(`sarflow.shard`), so that the jobs of a CI matrix split a large board between them;
the site, which reads only the model, is then built once with `--only site`.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from functools import partial
from itertools import groupby
from pathlib import Path

from sarflow.cache import Cache
from sarflow.commands import repository_root
from sarflow.dates import today, uk
from sarflow.errors import UsageError
from sarflow.findings import Finding, errors
from sarflow.load import BOARD_FILE, load
from sarflow.model import Imr, Repository
from sarflow.outputs import FileErrors, output_folder
from sarflow.printed import say
from sarflow.recheck import check_kept
from sarflow.scope import Scope, outside
from sarflow.shard import Shard, parse
from sarflow.words import plural

KINDS = ("docx", "xlsx", "site")
FEW = 3  # outputs of one kind named one by one in what the build says it built; more are counted
Builder = Callable[[Repository, list[Imr], Path, FileErrors], list[Finding]]


def builders(jobs: int = 1, cache: Cache | None = None) -> dict[str, Builder]:
    """Each kind of output and the function that builds it into the output folder.

    A builder writes atomically, reports an IMR it cannot build as an error finding
    (and goes on with the others), and depends only on the model. The Word reports and the
    workbooks are made `jobs` at a time. With a `cache`, each leaves an output that is up
    to date as it is (sarflow.cache).
    """
    from sarflow import docx, site, xlsx

    return {
        "docx": partial(docx.build, jobs=jobs, cache=cache),
        "xlsx": partial(xlsx.build, jobs=jobs, cache=cache),
        "site": partial(site.build, cache=cache),
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="only the reviews or IMRs under these folders")
    parser.add_argument("--only", choices=KINDS, action="append", help="build only this kind of output (repeatable)")
    parser.add_argument("--out", type=Path, default=None, help="the output folder (default: build/ in the repository)")
    parser.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                        help=f"how many IMRs to build at once (default: one for each core, here {cores()})")
    parser.add_argument("--shard", type=_shard, default=None, metavar="K/N",
                        help="build only the K-th of N shares of the Word reports and workbooks (a CI matrix job "
                        "each); the site is then built once, with --only site")
    # Read a value such as -1/3 after --shard as its value (and so explain what is wrong with it),
    # not as an unknown option, as Python 3.13's argparse does.
    parser._negative_number_matcher = re.compile(r"^-\d+(/\d+)?$|^-\d*\.\d+$")


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _jobs(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of IMRs to build at once: write 1 or more, e.g. --jobs 2")
    return int(text)


def _shard(text: str) -> Shard:
    try:
        return parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def selected(repo: Repository, paths: list[Path]) -> list[Imr]:
    """The IMRs under any of `paths` (all of them when no path is given)."""
    scope = Scope(repo.root, paths)
    return [imr for imr in repo.imrs() if scope.touches(imr.folder)]


def run(args: argparse.Namespace) -> int:
    root = repository_root(args)
    if problem := outside(root, args.paths):
        raise UsageError(problem)
    kinds = chosen_kinds(args.only, args.shard)
    out = output_folder(args.out or root / "build")
    cache = Cache(out, root)
    for inputs in (root / "reviews", root / "site"):  # before they are read: a file saved during the build is built again
        cache.folder_fingerprint(inputs)
    repo = load(root)
    imrs = selected(repo, args.paths)
    found = check_kept(root, checked_paths(repo, imrs) if args.paths else None, today())  # only what changed is checked again
    flagged = FileErrors(root, BOARD_FILE, tuple(errors(found)))
    print_errors(found)
    unreadable = [imr for imr in imrs if not imr.readable]
    for imr in unreadable:
        say(f"sarflow build: not building {imr.review_id}/{imr.agency_id}: its files cannot be read (see above)",
            file=sys.stderr)
    readable = [imr for imr in imrs if imr.readable]
    shares = {kind: share(readable, kind, args.shard) for kind in kinds}
    if args.shard:
        print_share(args.shard, readable, shares)
    problems: list[Finding] = []
    for kind, build in builders(args.jobs or cores(), cache).items():
        if kind in shares:
            problems.extend(build(repo, shares[kind], out, flagged))
    cache.save()
    print_done(cache)
    made = {(imr.review_id, imr.agency_id) for kind in ("docx", "xlsx") for imr in shares.get(kind, [])}
    if made:
        print_drafts(repo, [imr for imr in readable if (imr.review_id, imr.agency_id) in made], flagged)
    for finding in problems:
        print(finding, file=sys.stderr)
    print_summary(repo, imrs)
    return 1 if flagged.errors or unreadable or errors(problems) else 0


def chosen_kinds(only: list[str] | None, shard: Shard | None) -> list[str]:
    """The kinds of output to build: those named by --only, else all; a share is only of documents."""
    kinds = [kind for kind in KINDS if not only or kind in only]
    if shard is None:
        return kinds
    if only and "site" in only:
        raise UsageError("--shard splits the Word reports and workbooks, not the site: build the site once, "
                         "without --shard (sarflow build --only site)")
    return [kind for kind in kinds if kind != "site"]


def share(imrs: list[Imr], kind: str, shard: Shard | None) -> list[Imr]:
    """The IMRs whose outputs of this kind the build makes: all of them, or the shard's share."""
    if shard is None:
        return imrs
    return shard.reports(imrs) if kind == "docx" else shard.workbooks(imrs)


def print_share(shard: Shard, readable: list[Imr], shares: dict[str, list[Imr]]) -> None:
    """What this share of the documents holds, so that a CI log shows how the work was split."""
    parts = []
    if "docx" in shares:
        parts.append(f"{len(shares['docx'])} of {plural(len(readable), 'Word report')}")
    if "xlsx" in shares:
        reviews = {imr.review_id for imr in readable}
        parts.append(f"the workbooks of {len({imr.review_id for imr in shares['xlsx']})} of {plural(len(reviews), 'review')}")
    say(f"sarflow build: shard {shard} builds {' and '.join(parts)}; the site is built once, by sarflow build "
        "--only site", file=sys.stderr)


def checked_paths(repo: Repository, imrs: list[Imr]) -> list[Path]:
    """What check looks at when only some IMRs are built: their whole reviews (a review's workbooks
    hold all its IMRs) and the board's file."""
    return [*sorted({imr.folder.parent for imr in imrs}), repo.root / BOARD_FILE]


def print_errors(found: list[Finding]) -> None:
    """Every error check found, as check prints it; the warnings only counted."""
    failing = errors(found)
    blocks = ["\n".join(str(f) for f in group) for _, group in groupby(failing, key=lambda f: f.span.path)]
    if blocks:
        print("\n\n".join(blocks) + "\n", file=sys.stderr)
    warnings = len(found) - len(failing)
    if failing or warnings:
        print(f"sarflow build: check found {plural(len(failing), 'error')} and {plural(warnings, 'warning')}"
              + (" (run sarflow check to see the warnings)" if warnings else ""), file=sys.stderr)


def print_drafts(repo: Repository, built: list[Imr], flagged: FileErrors) -> None:
    """Which documents were built from files with errors, and so carry the mark."""
    imrs = [f"{imr.review_id}/{imr.agency_id}" for imr in built if flagged.of_imr(imr)]
    reviews = [r.id for r in repo.reviews if any(i.review_id == r.id for i in built) and flagged.of_review(r)]
    if imrs or reviews:
        named = [*imrs, *(f"the workbooks of review {r}" for r in reviews)]
        print(f"sarflow build: marked as built from files with errors: {'; '.join(named)}", file=sys.stderr)


def print_done(cache: Cache) -> None:
    """What the build made and what was already up to date (and so left as it was)."""
    for said, names in (("built", cache.recorded), ("up to date, so not built again", cache.hits)):
        if names:
            say(f"sarflow build: {said}: {'; '.join(described(names))}")


def described(names: list[str]) -> list[str]:
    """The outputs the cache's entries name ("docx/adult-a/police", "xlsx/adult-a", "site"), in words:
    each one while there are few of a kind, else how many."""
    kinds: dict[str, list[str]] = {}
    for name in names:
        kind, _, what = name.partition("/")
        kinds.setdefault("imr-xlsx" if kind == "xlsx" and "/" in what else kind, []).append(what)
    words = {"docx": ("the Word report of {}", "{} Word reports"), "imr-xlsx": ("the workbooks of {}", "the workbooks of {} IMRs"),
             "xlsx": ("the workbooks of review {}", "the workbooks of {} reviews"), "site": ("the status site", "the status site")}
    said = []
    for kind, (one, many) in words.items():
        whats = kinds.get(kind, [])
        said += [one.format(what) for what in whats] if len(whats) <= FEW else [many.format(len(whats))]
    return said


def print_summary(repo: Repository, imrs: list[Imr]) -> None:
    on = today()
    for review in repo.reviews:
        mine = [imr for imr in imrs if imr.review_id == review.id]
        if not mine and imrs:
            continue
        period = f"{uk(review.period.start)} to {uk(review.period.end)}" if review.period else "period not set"
        say(f"{review.reference or review.id} ({review.id}): stage {review.stage or 'not set'}, period {period}")
        for imr in mine:
            statuses = Counter(a.status or "no status" for a in imr.actions)
            overdue = sum(a.is_overdue(on, repo.template.action_plan.completed) for a in imr.actions)
            name = review.agency_name(imr.agency_id)
            actions = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) or "no actions"
            say(
                f"  {name}: {imr.status or 'no status'}; {len(imr.chronology)} chronology entries; "
                f"{len(imr.actions)} actions ({actions}; {overdue} overdue)"
            )
