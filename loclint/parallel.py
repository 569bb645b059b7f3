"""Checking article groups on every core, in a deterministic order, through the result cache.

Groups are independent until the end of the run (where the engine settles run-wide evidence), so
they are checked in worker processes and their outcomes handed back in plan order: the output of
`--jobs 4` is byte for byte that of `--jobs 1`. The cache is consulted first, in this process, so
a warm run starts no workers at all; only the groups it misses are checked, then stored.

A worker hands an outcome back pickled the way a cache entry holds it (`dump_outcome`): the main
process, which merges every outcome while the workers check, then only unpickles it (the fast
way, by constructor) and writes the same bytes to the cache, instead of unpickling the default
way and pickling it again.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loclint.cache import ResultCache
    from loclint.config import Settings
    from loclint.discover import PlannedGroup
    from loclint.engine import GroupOutcome

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
    planned: list[PlannedGroup], settings: Settings, jobs: int = 1, cache: ResultCache | None = None
) -> Iterator[GroupOutcome]:
    """The outcome of every planned group, in order: from the cache, or checked and then stored."""
    keys = cache.keys(planned) if cache is not None else [None] * len(planned)
    cached = [cache.load(key) if cache is not None else None for key in keys]
    todo = [group for group, hit in zip(planned, cached) if hit is None]
    fresh = _check_all(todo, settings, jobs)
    for key, hit in zip(keys, cached):
        if hit is not None:
            yield hit
            continue
        outcome, payload = next(fresh)
        if cache is not None:
            if payload is not None:
                cache.store_payload(key, payload)
            else:
                cache.store(key, outcome)
        yield outcome


def _check_all(
    planned: list[PlannedGroup], settings: Settings, jobs: int
) -> Iterator[tuple[GroupOutcome, bytes | None]]:
    """Each group's outcome, in order, with its cache payload when a worker made one."""
    from loclint.engine import check_planned

    workers = min(jobs, len(planned))
    if workers <= 1:  # one group (pre-commit) or one core: a pool would cost more than it saves
        for group in planned:
            yield check_planned(group, settings), None
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(_MAX_CHUNK, len(planned) // (workers * 8)))
    with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker, initargs=(settings,)) as pool:
        for handed in pool.map(_check_in_worker, planned, chunksize=chunk):
            if isinstance(handed, bytes):  # from our own worker: trusted, unlike a cache entry
                yield pickle.loads(handed), handed  # noqa: S301
            else:
                yield handed, None


def _context():
    # Forking shares the compiled settings and imported checks with the workers at no cost.
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])


def _start_worker(settings: Settings) -> None:
    global _settings
    _settings = settings


def _check_in_worker(planned: PlannedGroup) -> GroupOutcome | bytes:
    """The group's outcome as a cache payload, or as itself if it cannot be pickled that way."""
    from loclint.cache import dump_outcome
    from loclint.engine import check_planned

    outcome = check_planned(planned, _settings)
    payload = dump_outcome(outcome)
    return outcome if payload is None else payload
