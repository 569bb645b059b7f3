"""What loclint may open: regular files inside the checked tree, and nothing else.

A pull request controls every path in the tree, so a path can be a symbolic link to `/etc/passwd`
or `/`, a FIFO that blocks whoever opens it, or a device. Every read of a checked file (checking,
cache digests, `--fix` fingerprints) goes through `open_checked`, which

- refuses a path whose real location is outside the checked tree (E009), unless the setting
  `follow-symlinks` allows it: nothing outside the tree is read;
- opens without blocking and without following a final link it has not judged, then looks at
  what it opened: anything but a regular file (a FIFO, a device, a socket) is refused (E010) and
  never read. A FIFO opened with O_NONBLOCK returns at once, so it cannot wedge the run.

The checked tree is the current folder, every folder named on the command line, and for a file
named outside the current folder, the folder above its own (where its sibling locales live).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


@dataclass(frozen=True, slots=True)
class ReadPolicy:
    """Where the checked tree is (real paths) and whether links out of it may be followed."""

    roots: tuple[str, ...] = ()  # empty: the current folder
    follow_links: bool = False


class RefusedPath(OSError):
    """A path loclint will not read: `code` is the E-code it is reported under."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def tree_roots(paths: Iterable[str]) -> tuple[str, ...]:
    """The real paths that make up the checked tree for a run over `paths`.

    Asked once at the start of each run: the real folders remembered for the run before
    (`_real_folder`) are forgotten here, so a `--watch` run or a resident server's next run
    sees a folder since replaced by a link."""
    _real_folder.cache_clear()
    here = os.path.realpath(os.getcwd())
    roots = {here}
    for raw in paths:
        absolute = os.path.abspath(raw)
        if os.path.isdir(absolute):  # a folder named on the command line, a link to one included
            roots.add(os.path.realpath(absolute))
        elif not _inside(os.path.realpath(os.path.dirname(absolute)), (here,)):
            roots.add(os.path.realpath(os.path.dirname(os.path.dirname(absolute))))
    return tuple(sorted(roots))


def check_path(path: Path | str, policy: ReadPolicy) -> None:
    """Raise RefusedPath for a path that leads out of the tree (E009); other problems are the
    opener's to find."""
    if policy.follow_links:
        return
    roots = policy.roots or (os.path.realpath(os.getcwd()),)
    real = _real_path(path)
    if not _inside(real, roots) and _leads_through_link(path):
        raise RefusedPath(
            "E009",
            f"symbolic link to `{real}`, outside the checked tree: not followed "
            "(set `follow-symlinks = true` to allow links out of the tree)",
        )


def open_checked(path: Path | str, policy: ReadPolicy) -> int:
    """A file descriptor for reading a regular file at `path`; RefusedPath or OSError otherwise."""
    check_path(path, policy)
    flags = os.O_RDONLY | _NONBLOCK | _BINARY
    if not os.path.islink(path):
        flags |= _NOFOLLOW  # a link swapped in after the check is refused by the kernel (ELOOP)
    fd = os.open(path, flags)
    try:
        kind = _kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise RefusedPath("E010", f"is a {kind}, not a file: not opened for reading")
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_checked(path: Path | str, policy: ReadPolicy, limit: int) -> bytes:
    """Up to `limit` bytes of a regular file in the tree (see `open_checked`)."""
    fd = open_checked(path, policy)
    with os.fdopen(fd, "rb") as handle:
        # A read of `limit` bytes reserves `limit` bytes first (2 GB under a raised
        # `max-file-size`): ask for what the file holds, and for the rest only if it grew.
        asked = min(limit, os.fstat(fd).st_size + 1)
        data = handle.read(asked)
        if len(data) == asked < limit:  # it grew since: the rest, up to the limit
            data += handle.read(limit - asked)
        return data


def is_link(path: Path | str) -> bool:
    """Is the path, or a folder named in it, a symbolic link? (For a relative path only its own
    parts count: a checkout reached through a linked folder is still written normally.)"""
    parts = Path(path).parts
    return any(os.path.islink(os.path.join(*parts[: index + 1])) for index in range(len(parts)))


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file (and a folder, the
    reader reports that one itself)."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _real_path(path: Path | str) -> str:
    """`os.path.realpath(path)`, with the answer for its folder remembered: resolving a path
    costs an lstat per part of it (5% of a cold run), and a run reads every file of a folder."""
    absolute = os.path.abspath(path)
    folder, name = os.path.split(absolute)
    if not name or os.path.islink(absolute):
        return os.path.realpath(absolute)
    return os.path.join(_real_folder(folder), name)


@lru_cache(maxsize=4096)  # folders of one run (forgotten by `tree_roots`), not file text
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _inside(real: str, roots: Iterable[str]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _leads_through_link(path: Path | str) -> bool:
    absolute = os.path.abspath(path)
    return os.path.realpath(absolute) != os.path.normpath(absolute)
