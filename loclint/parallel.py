"""Checking article groups on every core, in a deterministic order, through the result cache.

Groups are independent until the end of the run (where the engine settles run-wide evidence), so
they are checked in worker processes and their outcomes handed back in plan order: the output of
`--jobs 4` is byte for byte that of `--jobs 1`. The cache is consulted first, in this process, so
a warm run starts no workers at all; only the groups it misses are checked, then stored.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loclint.cache import ResultCache
    from loclint.config import Settings
    from loclint.discover import PlannedGroup
    from loclint.engine import GroupEvidence, GroupOutcome

# Groups per task handed to a worker: large enough to amortise the round trip, small enough
# that both cores stay busy to the end and a worker holds little at a time.
_MAX_CHUNK = 16
_settings: Settings | None = None  # a worker's copy, set once by `_start_worker`


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def checked_groups(
    planned: list[PlannedGroup],
    settings: Settings,
    jobs: int = 1,
    cache: ResultCache | None = None,
    weigh_only: Callable[[PlannedGroup], bool] | None = None,
) -> Iterator[GroupOutcome | GroupEvidence]:
    """The outcome of every planned group, in order: from the cache, or checked and then stored.

    A group that `weigh_only` picks (another shard's) is not checked: only its part of the
    run-wide evidence is gathered (`engine.gather_planned`), and cached under its own key.
    """
    tasks = [(group, weigh_only is not None and weigh_only(group)) for group in planned]
    keys = [cache.key(group, _PARTS[evidence]) for group, evidence in tasks] if cache is not None else [None] * len(tasks)
    cached = [cache.load(key) if cache is not None else None for key in keys]
    todo = [task for task, hit in zip(tasks, cached) if hit is None]
    fresh = _run_all(todo, settings, jobs)
    for key, hit in zip(keys, cached):
        if hit is not None:
            yield hit
            continue
        outcome = next(fresh)
        if cache is not None:
            cache.store(key, outcome)
        yield outcome


_PARTS = {False: "outcome", True: "evidence"}  # what a cache entry holds for a group
_Task = tuple["PlannedGroup", bool]  # a group, and whether only its evidence is wanted


def _run_all(tasks: list[_Task], settings: Settings, jobs: int) -> Iterator[GroupOutcome | GroupEvidence]:
    workers = min(jobs, len(tasks))
    if workers <= 1:  # one group (pre-commit) or one core: a pool would cost more than it saves
        for task in tasks:
            yield _run(task, settings)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(_MAX_CHUNK, len(tasks) // (workers * 8)))
    with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker, initargs=(settings,)) as pool:
        yield from pool.map(_run_in_worker, tasks, chunksize=chunk)


def _run(task: _Task, settings: Settings) -> GroupOutcome | GroupEvidence:
    from loclint.engine import check_planned, gather_planned

    planned, evidence_only = task
    return gather_planned(planned, settings) if evidence_only else check_planned(planned, settings)


def _context():
    # Forking shares the compiled settings and imported checks with the workers at no cost.
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])


def _start_worker(settings: Settings) -> None:
    global _settings
    _settings = settings


def _run_in_worker(task: _Task) -> GroupOutcome | GroupEvidence:
    return _run(task, _settings)
