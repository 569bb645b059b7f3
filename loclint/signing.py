"""What only this user can have written: the per-user secret key, bytes signed with it, and
files written whole or not at all.

The key lives in the user's cache folder (`$XDG_CACHE_HOME/loclint/key`, mode 0600), never in a
checked tree, so nothing a pull request commits can carry a signature that verifies. Every
cache kind (loclint/cache.py) and the rule-data snapshot (loclint/snapshot.py) sign and verify
through `EntrySigner`, and write through `write_atomic`; `--fix` writes through `replacing` too.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import BinaryIO

from loclint.environment import owned_privately, private_folder


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place: readers see all or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named here rather than by `tempfile` (whose import is a tenth of a pre-commit run's
    # start-up): a random name, made exclusively and private to this user, as mkstemp does.
    with replacing(path, path.parent / f"{TEMP_PREFIX}{os.getpid()}-{os.urandom(8).hex()}") as handle:
        handle.write(data)


_NEW_PRIVATE_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


@contextmanager
def replacing(path: Path | str, temporary: Path | str) -> Iterator[BinaryIO]:
    """A new private file at `temporary` (beside `path`), open for writing: renamed over `path`
    when the block ends, removed when anything stops it (an error, a refusal, Ctrl-C).

    The caller names the file before it exists and it is made inside the clean-up, so an
    interrupt landing the moment it exists still removes it (mkstemp hands the name over only
    once the file is made: a Ctrl-C in between left it behind). A file already at `temporary`
    is not this run's: its FileExistsError leaves it alone."""
    made = False
    try:
        descriptor = os.open(temporary, _NEW_PRIVATE_FILE, 0o600)
        made = True
        with open(descriptor, "wb") as handle:
            yield handle
        os.replace(temporary, path)
    except BaseException as stopped:
        if made or not isinstance(stopped, FileExistsError):
            remove_quietly(str(temporary))
        raise


TEMP_PREFIX = ".tmp-"  # `.tmp-<pid>-<random>`: the writer's pid tells a killed run's leftovers


class EntrySigner:
    """Signs and verifies the bytes of a cache entry with this user's secret key (HMAC-SHA256).

    A signed entry is the tag followed by the bytes. The key lives in the user's cache folder,
    never in the checked tree, so a cache folder committed to a repository cannot carry entries
    that verify. Without a usable key (no home, a key others can read), nothing verifies and
    nothing is signed: the run is simply uncached.
    """

    TAG_SIZE = 32

    def __init__(self, key: bytes | None) -> None:
        self._key = key

    @property
    def usable(self) -> bool:
        return self._key is not None

    @classmethod
    def for_user(cls) -> EntrySigner:
        return cls(_user_key(str(key_path())))

    @classmethod
    def existing(cls) -> EntrySigner:
        """This user's signer if a cached run has made the key already; one that is not usable
        otherwise (nothing is created)."""
        try:
            return cls(_read_key(str(key_path())))
        except (OSError, RuntimeError):
            return cls(None)

    def sign(self, data: bytes) -> bytes:
        if self._key is None:
            raise RuntimeError("no usable cache key: check `usable` before signing")
        return self._tag(data) + data

    def verify(self, signed: bytes) -> bytes | None:
        """The bytes that were signed, or None when the tag is not this user's."""
        if self._key is None or len(signed) < self.TAG_SIZE:
            return None
        tag, data = signed[: self.TAG_SIZE], signed[self.TAG_SIZE :]
        return data if hmac.compare_digest(tag, self._tag(data)) else None

    def _tag(self, data: bytes) -> bytes:
        return hmac.new(self._key, data, hashlib.sha256).digest()


def key_path() -> Path:
    """`$XDG_CACHE_HOME/loclint/key`, else `~/.cache/loclint/key`: outside any checked tree."""
    return Path(private_folder()) / "key"


_KEY_SIZE = 32


@cache
def _user_key(path: str) -> bytes | None:
    """The secret at `path`, created on first use; None when it cannot be made or trusted."""
    try:
        return _read_key(path) or _create_key(path)
    except (OSError, RuntimeError):
        return None


def _read_key(path: str) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    try:
        status = os.fstat(fd)
        if not owned_privately(status) or not _is_regular(status):
            raise RuntimeError("the cache key is readable by others or not ours: not trusted")
        key = os.read(fd, _KEY_SIZE + 1)
    finally:
        os.close(fd)
    if len(key) != _KEY_SIZE:
        raise RuntimeError("the cache key is damaged")
    return key


def _create_key(path: str) -> bytes | None:
    """Write a new key to a private temporary file, then link it into place: if another run
    made one meanwhile, the link fails and that run's key (the one others use) is read instead."""
    import secrets
    import tempfile

    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    key = secrets.token_bytes(_KEY_SIZE)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".key-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _read_key(path)
    finally:
        remove_quietly(temporary)
    return key


def _is_regular(status: os.stat_result) -> bool:
    return stat.S_ISREG(status.st_mode)


def remove_quietly(name: str) -> None:
    """Remove a file if it is there; a file already gone or not removable is left as it is."""
    try:
        os.unlink(name)
    except OSError:
        pass
