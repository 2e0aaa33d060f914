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
(sarflow.recheck), and an output whose inputs have not changed is left as it is. When
nothing the build reads has changed since the last one and every output is as it left
them, it loads nothing and prints again what the last one printed (sarflow.rebuild).

With `--shard K/N` only the K-th share of the Word reports and workbooks is built
(`sarflow.shard`), so that the jobs of a CI matrix split a large board between them;
the site, which reads only the model, is then built once with `--only site`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import re
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from itertools import groupby
from pathlib import Path
from typing import Any

from sarflow import rebuild
from sarflow.cache import Cache
from sarflow.commands import repository_root
from sarflow.dates import today, uk
from sarflow.errors import UsageError
from sarflow.findings import Finding, errors, relative
from sarflow.forked import Workers, repository
from sarflow.jobs import cores, count
from sarflow.load import BOARD_FILE, load
from sarflow.model import Imr, Repository
from sarflow.outputs import FileErrors, output_folder
from sarflow.printed import line, say
from sarflow.recheck import check_kept
from sarflow.scope import Scope, outside
from sarflow.shard import Shard, parse
from sarflow.words import plural

KINDS = ("docx", "xlsx", "site")
FEW = 3  # outputs of one kind named one by one in what the build says it built; more are counted


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="only the reviews or IMRs under these folders")
    parser.add_argument("--only", choices=KINDS, action="append", help="build only this kind of output (repeatable)")
    parser.add_argument("--out", type=Path, default=None, help="the output folder (default: build/ in the repository)")
    parser.add_argument("--jobs", type=count("IMRs to build"), default=None, metavar="N",
                        help=f"how many IMRs to build at once (default: one for each core, here {cores()})")
    parser.add_argument("--shard", type=_shard, default=None, metavar="K/N",
                        help="build only the K-th of N shares of the Word reports and workbooks (a CI matrix job "
                        "each); the site is then built once, with --only site")
    # Read a value such as -1/3 after --shard as its value (and so explain what is wrong with it),
    # not as an unknown option, as Python 3.13's argparse does.
    parser._negative_number_matcher = re.compile(r"^-\d+(/\d+)?$|^-\d*\.\d+$")


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
    options = [sorted(relative(path.absolute(), root) for path in args.paths), kinds, str(args.shard)]
    build_key = rebuild.key(cache, root, options, today())  # before anything is read: see sarflow.rebuild
    if (last := rebuild.last(cache, build_key)) is not None:
        return repeated(last, cache)
    said = Said()
    code, problems = build(args, root, out, cache, kinds, said)
    if problems:
        rebuild.forget(cache)
    else:
        rebuild.remember(cache, build_key, code, said.stderr, said.stdout)
    cache.save()
    return code


def build(args: argparse.Namespace, root: Path, out: Path, cache: Cache, kinds: list[str],
          said: Said) -> tuple[int, list[Finding]]:
    """Load, check and build what `args` ask for; the exit code, and the problems that stopped an output.

    With more than one job, the work is done in copies of this process forked once the model
    is loaded (`sarflow.forked`), so that both cores are busy from the start: check runs in
    one of them while this process reads the text of the Word reports (pandoc's runs) and
    builds the site, which shows no errors; once check's errors are known (each report and
    workbook made from a file with errors says so), the reports and the workbooks are made
    in them side by side.
    """
    from sarflow import docx, site, xlsx

    jobs = args.jobs or cores()
    repo = load(root)
    imrs = selected(repo, args.paths)
    places = checked_paths(repo, imrs) if args.paths else None
    readable = [imr for imr in imrs if imr.readable]
    shares = {kind: share(readable, kind, args.shard) for kind in kinds}
    problems: list[Finding] = []
    with contextlib.ExitStack() as stack:
        workers = stack.enter_context(Workers(repo, jobs))  # forked first: before any thread starts
        forked = workers if workers.forked else None  # with one job, each step in turn, here
        beside = stack.enter_context(ThreadPoolExecutor(max_workers=3))
        checking = beside.submit(forked.run, _checked, root, places, today()) if forked else None
        made_site = beside.submit(site.build, repo, readable, out, None, cache) if "site" in shares and forked else None
        # set up while check runs: the reference document, the versions from git, each report's key
        reports = stack.enter_context(docx.Reports(repo, shares.get("docx", []), out, jobs, cache, forked))
        if forked:
            reports.read_ahead()
        found = checking.result() if checking else None
        if found is None:  # one job; or check failed in its process, and is made again here, where it shows as itself
            found = check_kept(root, places, today(), repo=repo)
        flagged = FileErrors(root, BOARD_FILE, tuple(errors(found)))
        print_errors(found, said)
        for imr in imrs:
            if not imr.readable:
                said.err(f"sarflow build: not building {imr.review_id}/{imr.agency_id}: its files cannot be read (see above)")
        if args.shard:
            print_share(args.shard, readable, shares, said)
        books = beside.submit(xlsx.build, repo, shares["xlsx"], out, flagged, cache, forked) if "xlsx" in shares and forked else None
        if "docx" in shares:
            problems += reports.build(flagged)
        if "xlsx" in shares:
            problems += books.result() if books else xlsx.build(repo, shares["xlsx"], out, flagged, cache)
        if "site" in shares:
            problems += made_site.result() if made_site else site.build(repo, readable, out, flagged, cache=cache)
    print_done(cache)
    made = {(imr.review_id, imr.agency_id) for kind in ("docx", "xlsx") for imr in shares.get(kind, [])}
    if made:
        print_drafts(repo, [imr for imr in readable if (imr.review_id, imr.agency_id) in made], flagged, said)
    for finding in problems:
        print(finding, file=sys.stderr)
    print_summary(repo, imrs, said)
    return (1 if flagged.errors or len(readable) < len(imrs) or errors(problems) else 0), problems


def _checked(root: Path, places: list[Path] | None, day: dt.date) -> list[Finding] | None:
    """check_kept of the model the build loaded, in one of its processes; None when it fails, so that the
    build checks again itself."""
    try:
        return check_kept(root, places, day, repo=repository())
    except Exception:  # noqa: BLE001 - see build
        return None


class Said:
    """What a build prints for its reader (check's errors, what it did not build, the summary),
    kept so that a build with nothing changed since can say it again (sarflow.rebuild)."""

    def __init__(self) -> None:
        self.stderr: list[str] = []
        self.stdout: list[str] = []

    def err(self, text: str) -> None:
        self.stderr.append(line(text))
        print(self.stderr[-1], file=sys.stderr)

    def block(self, text: str) -> None:
        """Lines already made safe to print (check's findings, see Finding.__str__)."""
        self.stderr.append(text)
        print(text, file=sys.stderr)

    def out(self, text: str) -> None:
        self.stdout.append(line(text))
        print(self.stdout[-1])


def repeated(last: dict[str, Any], cache: Cache) -> int:
    """Say again what the last build said, whose outputs are all as it left them."""
    for text in last["stderr"]:
        print(text, file=sys.stderr)
    say(f"sarflow build: nothing has changed since the last build, so nothing was built again: its "
        f"{plural(len(cache.vouched), 'output')} are as it left them")
    for text in last["stdout"]:
        print(text)
    cache.save()
    return int(last["code"])


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


def print_share(shard: Shard, readable: list[Imr], shares: dict[str, list[Imr]], said: Said) -> None:
    """What this share of the documents holds, so that a CI log shows how the work was split."""
    parts = []
    if "docx" in shares:
        parts.append(f"{len(shares['docx'])} of {plural(len(readable), 'Word report')}")
    if "xlsx" in shares:
        reviews = {imr.review_id for imr in readable}
        parts.append(f"the workbooks of {len({imr.review_id for imr in shares['xlsx']})} of {plural(len(reviews), 'review')}")
    said.err(f"sarflow build: shard {shard} builds {' and '.join(parts)}; the site is built once, by sarflow build "
             "--only site")


def checked_paths(repo: Repository, imrs: list[Imr]) -> list[Path]:
    """What check looks at when only some IMRs are built: their whole reviews (a review's workbooks
    hold all its IMRs) and the board's file."""
    return [*sorted({imr.folder.parent for imr in imrs}), repo.root / BOARD_FILE]


def print_errors(found: list[Finding], said: Said) -> None:
    """Every error check found, as check prints it; the warnings only counted."""
    failing = errors(found)
    blocks = ["\n".join(str(f) for f in group) for _, group in groupby(failing, key=lambda f: f.span.path)]
    if blocks:
        said.block("\n\n".join(blocks) + "\n")
    warnings = len(found) - len(failing)
    if failing or warnings:
        said.err(f"sarflow build: check found {plural(len(failing), 'error')} and {plural(warnings, 'warning')}"
                 + (" (run sarflow check to see the warnings)" if warnings else ""))


def print_drafts(repo: Repository, built: list[Imr], flagged: FileErrors, said: Said) -> None:
    """Which documents were built from files with errors, and so carry the mark."""
    imrs = [f"{imr.review_id}/{imr.agency_id}" for imr in built if flagged.of_imr(imr)]
    reviews = [r.id for r in repo.reviews if any(i.review_id == r.id for i in built) and flagged.of_review(r)]
    if imrs or reviews:
        named = [*imrs, *(f"the workbooks of review {r}" for r in reviews)]
        said.err(f"sarflow build: marked as built from files with errors: {'; '.join(named)}")


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


def print_summary(repo: Repository, imrs: list[Imr], said: Said) -> None:
    on = today()
    for review in repo.reviews:
        mine = [imr for imr in imrs if imr.review_id == review.id]
        if not mine and imrs:
            continue
        period = f"{uk(review.period.start)} to {uk(review.period.end)}" if review.period else "period not set"
        said.out(f"{review.reference or review.id} ({review.id}): stage {review.stage or 'not set'}, period {period}")
        for imr in mine:
            statuses = Counter(a.status or "no status" for a in imr.actions)
            overdue = sum(a.is_overdue(on, repo.template.action_plan.completed) for a in imr.actions)
            name = review.agency_name(imr.agency_id)
            actions = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) or "no actions"
            said.out(
                f"  {name}: {imr.status or 'no status'}; {len(imr.chronology)} chronology entries; "
                f"{len(imr.actions)} actions ({actions}; {overdue} overdue)"
            )
