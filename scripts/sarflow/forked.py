"""Processes forked from the build once its model is loaded, in which check, the Word reports and the
workbooks are made beside one another.

Most of a build is Python (the reports' trees and finished files, the workbooks' cells) and
pandoc; threads of one process take turns at Python, so the work is done in processes that
are copies of the build's own (`fork`): each has the loaded model already, and is sent only
which report or workbook to make. They are forked together, before the build starts any
thread (a thread's locks would stay held in a copy), and they stay until the build is done,
so that the reports and the workbooks, which used to come one kind after the other, share
the cores.

A task whose process dies (or a system that cannot fork) is done in the build's own process
instead, as are the tasks after it, so that what the build says is what it would say with
one job.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from sarflow.model import Repository, Review

T = TypeVar("T")

_REPOSITORY: Repository | None = None  # the model the processes were forked with; the build's own process has it too


def repository() -> Repository:
    """The model the build loaded, in the build's process or in one of its copies."""
    assert _REPOSITORY is not None, "set by Workers before any task runs"
    return _REPOSITORY


def review(review_id: str) -> Review:
    """A review of that model: a task is sent the ids of what it makes, not the model's objects."""
    found = repository().review(review_id)
    assert found is not None, "a task is sent only the id of a review of the model"
    return found


class Workers:
    """`jobs` copies of this process, made now, that run the tasks they are given; none when `jobs` is 1
    or the system cannot fork, and then each task runs here."""

    def __init__(self, repo: Repository, jobs: int) -> None:
        global _REPOSITORY
        _REPOSITORY = repo
        self._pool: ProcessPoolExecutor | None = None
        if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            gc.freeze()  # the model is left out of collections: no copy walks it (and so copies its pages) again
            sys.stdout.flush()
            sys.stderr.flush()  # else what is waiting to be printed would be printed by the copies too
            self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
            self._pool.submit(int).result()  # the first task forks every process, while there is no other thread

    @property
    def forked(self) -> bool:
        return self._pool is not None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_: object) -> None:
        global _REPOSITORY
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        gc.unfreeze()
        _REPOSITORY = None

    def run(self, task: Callable[..., T], *args: Any) -> T:
        """`task(*args)` in one of the processes (waiting for it), or here."""
        return next(self.map(task, [args]))

    def map(self, task: Callable[..., T], arguments: Sequence[tuple[Any, ...]]) -> Iterator[T]:
        """`task(*each)` for each of `arguments`, all sent at once, their results in the same order."""
        sent = [self._send(task, each) for each in arguments]
        for future, each in zip(sent, arguments, strict=True):
            if future is not None:
                try:
                    yield future.result()
                    continue
                except BrokenProcessPool:
                    self._broken()
            yield task(*each)

    def _send(self, task: Callable[..., T], args: tuple[Any, ...]) -> Future[T] | None:
        pool = self._pool
        if pool is None:
            return None
        try:
            return pool.submit(task, *args)
        except BrokenProcessPool:
            self._broken()
            return None

    def _broken(self) -> None:
        """A process died, and a broken pool's others are stopped: what is left is done here."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
