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
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loclint.cache import ResultCache
    from loclint.config import Settings
    from loclint.discover import PlannedGroup
    from loclint.parse_cache import ParseCache
    from loclint.results import GroupEvidence, GroupOutcome


@dataclass(frozen=True)
class Workers:
    """What a worker does with a group, handed in by the engine (this module never imports it)."""

    # Each is called with the group, the settings and the parse cache of unchanged siblings.
    check: Callable[[PlannedGroup, Settings, ParseCache | None], GroupOutcome]  # check it
    gather: Callable[[PlannedGroup, Settings, ParseCache | None], GroupEvidence]  # only weigh it: another shard's


# Groups per task handed to a worker: large enough to amortise the round trip, small enough
# that both cores stay busy to the end and a worker holds little at a time.
_MAX_CHUNK = 16
# Chunks handed out per worker before the oldest is taken back: enough that a worker never waits
# for the merge, few enough that outcomes in flight stay bounded (see `_in_window`).
_CHUNKS_AHEAD = 4
_settings: Settings | None = None  # a worker's copy, set once by `_start_worker`
_workers: Workers | None = None  # likewise
_parses: ParseCache | None = None  # likewise
_holders = None  # the shared task-to-worker table, set once by `_start_worker`


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def checked_groups(
    planned: list[PlannedGroup],
    settings: Settings,
    workers: Workers,
    jobs: int = 1,
    cache: ResultCache | None = None,
    weigh_only: Callable[[PlannedGroup], bool] | None = None,
) -> Iterator[GroupOutcome | GroupEvidence]:
    """The outcome of every planned group, in order: from the cache, or checked and then stored.

    A group that `weigh_only` picks (another shard's) is not checked: only its part of the
    run-wide evidence is gathered (`workers.gather`), and cached under its own key.
    Entries are read one at a time, as their turn comes, so a warm run holds one outcome beside
    the merged result rather than every outcome at once. Groups without an entry go to the
    workers first; an entry found damaged when its turn comes is worked out here and then.
    """
    tasks = _Tasks(planned, None if weigh_only is None else bytes(weigh_only(group) for group in planned))
    if cache is None:
        yield from (outcome for outcome, _ in _run_all(tasks, settings, workers, jobs, None))
        return
    keys = cache.keys(planned, [_PARTS[evidence] for _, evidence in tasks], settings.read_policy)
    stored = bytes(cache.has(key) for key in keys)
    parses = _parse_cache(cache)
    fresh = _run_all(tasks.picked([index for index, hit in enumerate(stored) if not hit]), settings, workers, jobs, parses)
    for task, key, hit in zip(tasks, keys, stored):
        outcome = cache.load(key) if hit else None
        if outcome is not None:
            yield outcome
            continue
        outcome, payload = next(_run_all([task], settings, workers, 1, parses)) if hit else next(fresh)
        if cache is not None:
            _store(cache, key, outcome, payload)
        yield outcome


def _parse_cache(cache: ResultCache | None) -> ParseCache | None:
    """Parsed siblings are kept beside the results, and skipped with them (`--no-cache`)."""
    if cache is None:
        return None
    from loclint.parse_cache import ParseCache

    return ParseCache(cache.root)


_PARTS = {False: "outcome", True: "evidence"}  # what a cache entry holds for a group
_Task = tuple["PlannedGroup", bool]  # a group, and whether only its evidence is wanted


class _Tasks(Sequence):
    """The tasks of a run, each made when read: a run of many small groups holds no tuple per
    group beside the plan, only a byte per group when some are only weighed (`--shard`)."""

    def __init__(self, planned: Sequence[PlannedGroup], weigh: bytes | None, indices: Sequence[int] | None = None) -> None:
        self._planned, self._weigh = planned, weigh
        self._indices = range(len(planned)) if indices is None else indices

    def picked(self, indices: list[int]) -> _Tasks:
        """The tasks at these positions (ascending), as tasks of their own."""
        return _Tasks(self._planned, self._weigh, array("l", (self._indices[index] for index in indices)))

    def __len__(self) -> int:
        return len(self._indices)

    def __getitem__(self, position: int) -> _Task:
        index = self._indices[position]
        return self._planned[index], self._weigh is not None and bool(self._weigh[index])


def _store(cache: ResultCache, key: str, outcome: GroupOutcome | GroupEvidence, payload: bytes | None) -> None:
    if payload is not None:
        cache.store_payload(key, payload)
    else:
        cache.store(key, outcome)


def _run_all(tasks: Sequence[_Task], settings: Settings, workers: Workers, jobs: int,
             parses: ParseCache | None = None) -> Iterator[tuple[GroupOutcome | GroupEvidence, bytes | None]]:
    """Each task's outcome, in order, with its cache payload when a worker made one."""
    processes = min(jobs, len(tasks))
    if processes <= 1:  # one group (pre-commit) or one core: a pool would cost more than it saves
        for task in tasks:
            yield _run(task, settings, workers, parses), None
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    import loclint.checks.families  # noqa: F401 - imported once here, the forked workers share it

    context = _context()
    # Which worker holds which task (its pid, 0 when none): when a worker dies, the group it was
    # checking is named. Shared memory, inherited by the forked workers.
    holders = context.RawArray("q", len(tasks))
    chunk = max(1, min(_MAX_CHUNK, len(tasks) // (processes * 8)))
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker,
                               initargs=(settings, workers, parses, holders, os.getpid()))
    finished = False
    try:
        for handed in _in_window(pool, tasks, chunk, processes * _CHUNKS_AHEAD):
            if isinstance(handed, bytes):  # from our own worker: trusted, unlike a cache entry
                yield pickle.loads(handed), handed  # noqa: S301
            else:
                yield handed, None
        finished = True
    except BrokenProcessPool as exc:
        from loclint.interrupt import quiet_threads

        quiet_threads()  # the report below is the one line about it
        raise WorkerDied(_death_report(pool, tasks, holders)) from exc
    finally:
        # Waiting is for a run that ended well; after an error or a signal the workers are
        # dead or being killed, and waiting on them could hang the exit.
        pool.shutdown(wait=finished, cancel_futures=not finished)


def _in_window(pool, tasks: Sequence[_Task], chunk: int, ahead: int) -> Iterator:
    """Every task's result, in order, with at most `ahead` chunks handed out and not yet taken.

    `Executor.map` submits every chunk at once and keeps each finished chunk's outcomes until the
    merge reaches them: on a run of many groups that is memory proportional to the run. A window
    keeps the workers busy and the outcomes in flight bounded."""
    from collections import deque

    pending: deque = deque()
    starts = iter(range(0, len(tasks), chunk))

    def numbered(start: int) -> list[tuple[int, _Task]]:  # a chunk's tasks, with their positions
        return [(index, tasks[index]) for index in range(start, min(start + chunk, len(tasks)))]

    for start in starts:
        pending.append(pool.submit(_run_chunk, numbered(start)))
        if len(pending) >= ahead:
            break
    while pending:
        outcomes = pending.popleft().result()
        start = next(starts, None)
        if start is not None:
            pending.append(pool.submit(_run_chunk, numbered(start)))
        yield from outcomes


def _run_chunk(numbered: list[tuple[int, _Task]]) -> list:
    """A chunk's outcomes. The shared table names one of its tasks as this worker's from the first
    to the last: the next is taken before the one done is let go, so a worker killed between two
    groups of its chunk (whose finished outcomes die with it) is reported with a group too."""
    outcomes, held = [], None
    for index, task in numbered:
        _hold(index, os.getpid())
        if held is not None:
            _hold(held, 0)
        held = index
        outcomes.append(_run_in_worker(task))
    if held is not None:
        _hold(held, 0)
    return outcomes


def _hold(index: int, pid: int) -> None:
    if _holders is not None:
        _holders[index] = pid


class WorkerDied(RuntimeError):
    """A worker process died (killed, out of memory, crashed): the run cannot be complete."""


def _death_report(pool, tasks: Sequence[_Task], holders) -> str:
    """Which worker died how, and the group it was checking."""
    processes = dict(getattr(pool, "_processes", None) or {})
    for process in processes.values():  # the pool is ending them: wait to read their exit codes
        process.join(timeout=2)
    dead = {pid: process.exitcode for pid, process in processes.items() if process.exitcode not in (None, 0)}
    # Once one worker dies the pool terminates the others (SIGTERM): those are not the cause.
    first = {pid: code for pid, code in dead.items() if code != -15}
    dead = first or dead
    held = [(index, pid) for index, pid in enumerate(holders) if pid and (not dead or pid in dead)]
    how = ", ".join(_exit_words(code) for code in dead.values()) or "exited"
    if not held:
        return f"a worker process died ({how}); the run is incomplete, so no result is reported"
    groups = ", ".join(f"`{tasks[index][0].article}`" for index, _ in held[:3])
    more = f" and {len(held) - 3} more" if len(held) > 3 else ""
    return f"a worker process died ({how}) while checking {groups}{more}; the run is incomplete, so no result is reported"


def _exit_words(code: int) -> str:
    if code < 0:
        import signal

        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def _run(task: _Task, settings: Settings, workers: Workers, parses: ParseCache | None) -> GroupOutcome | GroupEvidence:
    planned, evidence_only = task
    return workers.gather(planned, settings, parses) if evidence_only else workers.check(planned, settings, parses)


def _context():
    # Forking shares the compiled settings and imported checks with the workers at no cost.
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])


def _start_worker(settings: Settings, workers: Workers, parses: ParseCache | None, holders, main: int) -> None:
    global _settings, _workers, _parses, _holders
    from loclint.interrupt import in_worker

    in_worker(main)
    _settings, _workers, _parses, _holders = settings, workers, parses, holders


def _run_in_worker(task: _Task) -> GroupOutcome | GroupEvidence | bytes:
    """The task's outcome as a cache payload, or as itself if it cannot be pickled that way."""
    from loclint.cache import dump_outcome

    outcome = _run(task, _settings, _workers, _parses)
    payload = dump_outcome(outcome)
    return outcome if payload is None else payload
