"""`check --watch`: check, then check again whenever a file the run reads changes.

Changes are found by polling the files' stat fields (size, modification time, inode) twice a
second: no file-system notification library, and it works the same on network drives and in
containers, where notifications often never arrive. The file list is planned again on every
poll, so a new or deleted locale variant (and a changed configuration file) counts as a change.
Ctrl-C ends the loop with status 130, as an interrupted command does.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

import click

INTERVAL = 0.5  # seconds between polls
EXIT_INTERRUPTED = 130
_CLEAR = "\x1b[2J\x1b[H"  # erase the screen, cursor to the top left

Snapshot = dict[str, tuple[int, int, int]]


def watch(check_once: Callable[[], int], paths: list[str], settings, interval: float = INTERVAL) -> int:
    terminal = sys.stdout.isatty()
    try:
        while True:
            before = snapshot(paths, settings)
            check_once()
            click.echo(f"loclint: [{time.strftime('%H:%M:%S')}] watching {len(before)} files; Ctrl-C to stop", err=True)
            changed = _wait_for_change(before, paths, settings, interval)
            if terminal:  # each report replaces the last, as ruff's --watch does
                click.echo(_CLEAR, nl=False)
            click.echo(f"loclint: [{time.strftime('%H:%M:%S')}] {changed} changed; checking again", err=True)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def snapshot(paths: list[str], settings) -> Snapshot:
    """The stat fields of every file a check of `paths` reads, and of the configuration file."""
    from loclint.discover import plan

    layout = plan(paths, settings)
    files = [str(ref.path) for group in layout.groups for ref in group.files]
    files += [str(ref.path) for ref in layout.loose]
    if settings.config_path is not None:
        files.append(str(settings.config_path))
    found: Snapshot = {}
    for name in files:
        try:
            info = os.stat(name)
        except OSError:
            continue  # vanished between planning and looking: the next snapshot will say so
        found[name] = (info.st_size, info.st_mtime_ns, info.st_ino)
    return found


def _wait_for_change(before: Snapshot, paths: list[str], settings, interval: float) -> str:
    """Sleep until a snapshot differs from `before`; the name of one file that changed."""
    while True:
        time.sleep(interval)
        now = snapshot(paths, settings)
        if now != before:
            return _first_difference(before, now)


def _first_difference(before: Snapshot, now: Snapshot) -> str:
    for name in sorted(before.keys() | now.keys()):
        if before.get(name) != now.get(name):
            return name
    return "a file"
