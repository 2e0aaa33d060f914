"""The reviews a check reads afresh, checked in shares side by side: one forked process a share.

Each process loads its share of the reviews (or is given the repository a build has already
loaded), says who its IMRs name (sarflow.restricted.People), is told who is restricted in
every review, gathered once by the process that started it, and checks its share. No rule
judges one review by another's files but for what is restricted (sarflow.scope), so each
review's findings are the same, in the same order, as one check of all the shares finds.
The processes are forks of this one: they share its imports and, when it is given, its
loaded repository. Where there is no fork (or one job, or few reviews) the check runs here.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sarflow.check import check
from sarflow.errors import SarflowError
from sarflow.findings import Finding
from sarflow.load import load
from sarflow.model import Repository
from sarflow.restricted import People, Restricted

# Fewer reviews than this a process are checked in one: starting another and gathering what
# it says about people costs more than it saves (measured in benchmarks/scale.md).
REVIEWS_A_JOB = 2

# Who is restricted in the reviews no share reads: called with the people the shares' reviews name, by review.
Everyone = Callable[[Mapping[str, list[People]]], list[People]]


def checked(root: Path, reviews: list[str], outside: list[Path], everyone: Everyone, jobs: int = 1,
            repo: Repository | None = None) -> list[Finding]:
    """What `check` finds in the `reviews` (folder names) and the places `outside` them, loaded whole (or read
    from `repo`, loaded whole already), with who is restricted from `everyone`; in `jobs` processes at once."""
    shares = _shares(reviews, outside, root, jobs)
    if len(shares) == 1 or "fork" not in multiprocessing.get_all_start_methods():
        loaded = repo or load(root, reviews, people=False)
        return check(loaded, [place for _, places in shares for place in places], Restricted.of_people(everyone(_named(loaded))))
    context = multiprocessing.get_context("fork")
    restricted = Restricted.of_people(everyone(_named(repo))) if repo else None
    sys.stdout.flush()  # a fork copies what is waiting to be written, and would write it again
    sys.stderr.flush()
    pipes, workers = [], []
    try:
        for names, places in shares:
            mine, theirs = context.Pipe()
            worker = context.Process(target=_share, args=(theirs, root, names, places, repo, restricted), daemon=True)
            worker.start()
            theirs.close()
            pipes.append(mine)
            workers.append(worker)
        if restricted is None:
            named: dict[str, list[People]] = {}
            for pipe in pipes:
                named.update(_answer(pipe))
            people = everyone(named)
            for pipe in pipes:
                try:
                    pipe.send(people)
                except OSError:  # it stopped before it was told (a share reads this only when its last rules start)
                    continue  # and what stopped it is read from its pipe below
        return [finding for pipe in pipes for finding in _answer(pipe)]
    finally:
        for pipe in pipes:  # a process still waiting to be told who is restricted stops when its pipe closes
            pipe.close()
        for worker in workers:
            worker.join(timeout=1)
            if worker.is_alive():
                worker.terminate()
                worker.join()


def _shares(reviews: list[str], outside: list[Path], root: Path, jobs: int) -> list[tuple[list[str], list[Path]]]:
    """The reviews dealt out in turn to as many shares as pay, each with its folders; the first has `outside` too."""
    count = max(1, min(jobs, len(reviews) // REVIEWS_A_JOB))
    dealt = [reviews[n::count] for n in range(count)]
    return [(names, [*(root / "reviews" / name for name in names), *(outside if n == 0 else [])]) for n, names in enumerate(dealt)]


def _named(repo: Repository | None) -> dict[str, list[People]]:
    """Who the IMRs of each review loaded name."""
    return {review.id: [People.of(imr) for imr in review.imrs.values()] for review in repo.reviews} if repo else {}


def _share(pipe: Connection, root: Path, reviews: list[str], places: list[Path], repo: Repository | None,
           restricted: Restricted | None) -> None:
    """One share, in its own process: its reviews loaded (unless given), who they name sent, who is restricted
    received, and what the check finds sent; or what stopped it. Who is restricted is received only when the
    rules that read it are reached (`check`'s RESTRICTED_RULES), so that the others run while the other shares
    finish loading and say who their IMRs name."""
    try:
        told: Restricted | Callable[[], Restricted]
        if repo is None:
            repo = load(root, reviews, people=False)
            pipe.send(("people", _named(repo)))
            told = lambda: Restricted.of_people(pipe.recv())  # noqa: E731 - asked for once, by check
        else:
            assert restricted is not None, "given with the repository"
            told = restricted
        pipe.send(("found", check(repo, places, told)))
    except BaseException as exc:  # noqa: BLE001 - told to the process that started this one, which stops as it would have here
        _tell(pipe, exc)
    finally:
        pipe.close()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)  # at once: freeing the reviews it loaded, one object at a time, would keep the check waiting


def _tell(pipe: Connection, exc: BaseException) -> None:
    """What stopped a share, or its words when it cannot be sent whole; nothing when no one is listening any more."""
    for told in (exc, RuntimeError(f"{type(exc).__name__}: {exc}")):
        try:
            pipe.send(("raised", told))
            return
        except Exception:  # noqa: BLE001 - the exception itself could not be pickled, or the pipe is closed
            continue


def _answer(pipe: Connection) -> Any:
    try:
        kind, value = pipe.recv()
    except EOFError:
        raise SarflowError("one of the processes checking the reviews stopped before it had finished; "
                           "run the check again with --jobs 1") from None
    if kind == "raised":
        raise value
    return value
