"""Ctrl-C and SIGTERM: stop at once, say so in one line, exit 130 or 143, leave no worker behind.

The main process turns either signal into `Interrupted`, raised wherever the run is. Before it is
raised, every worker process is killed (a worker may be deep in a long group, and waiting for it
is not "at once"); raising, rather than exiting on the spot, lets the `finally` and `except`
blocks on the way out remove the temporary files of a half-done atomic write. Workers ignore
SIGINT themselves (Ctrl-C reaches the whole process group, and a traceback from each worker is
noise): the main process decides for them.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

_NAMES = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}


class Interrupted(BaseException):
    """The run was stopped by a signal; `exit_code` is 128 + its number, as shells report it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum


def _stop(signum: int, frame: Any) -> None:
    for signum_ in _NAMES:  # a second Ctrl-C while stopping must not interrupt the stopping
        signal.signal(signum_, signal.SIG_IGN)
    quiet_threads()
    kill_workers()
    raise Interrupted(signum)


def quiet_threads() -> None:
    """No traceback from helper threads from now on: the process pool's manager thread may fail
    on the workers just killed, and the run is being abandoned anyway (one line says so)."""
    import threading

    threading.excepthook = lambda args: None


def kill_workers() -> None:
    """Kill and reap every child process this one started (the checking workers)."""
    import multiprocessing

    children = multiprocessing.active_children()
    for child in children:
        try:
            child.kill()
        except (OSError, ValueError):
            pass
    for child in children:
        child.join(timeout=2)


@contextmanager
def stopping_on_signals():
    """Within: SIGINT and SIGTERM raise `Interrupted` (see module doc). Only in the main thread."""
    previous: dict[int, Callable | int | None] = {}
    try:
        for signum in _NAMES:
            previous[signum] = signal.signal(signum, _stop)
    except ValueError:  # not the main thread (an embedding program): leave its handlers alone
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def exit_interrupted(stopped: Interrupted) -> None:
    """The one line, then the exit status; no atexit hooks (a pool's would wait for dead workers)."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    try:
        sys.stderr.write(f"loclint: interrupted by {_NAMES.get(stopped.signum, stopped.signum)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(stopped.exit_code)


def in_worker(main: int) -> None:
    """A worker's signal set-up: Ctrl-C is the main process's to handle; SIGTERM kills. And a
    worker outlives no main process: see `_leave_with_parent`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _leave_with_parent(main)


# How often a worker looks whether its main process is still there (seconds).
_PARENT_POLL = 0.5


def _leave_with_parent(parent: int) -> None:
    """Exit when the main process (`parent`, its pid as the main process gave it) is gone. A main process killed with SIGKILL (the OOM killer, a
    CI timeout, `kill -9`) cannot end its workers, and they would wait on the task pipe forever:
    each worker holds a copy of its write end, so no end of file ever comes. A daemon thread sees
    the worker re-parented and ends it at once."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_POLL)
        os._exit(1)

    threading.Thread(target=watch, name="loclint-parent-watch", daemon=True).start()
