"""Snapshots of loclint's own data, kept in this user's cache folder so a run need not parse it.

The rule data of `rules/` is YAML: loading it is about 15 ms of every run, a twentieth of a
pre-commit run. A snapshot holds what was loaded, under a stamp of the files it was loaded from
(their names, sizes and modification times, and loclint's version), pickled with plain values
only and signed with the user's cache key (loclint/signing.py). It is read only
when the signature is this user's, the stamp matches and every value is a plain one, and it is
never the only copy: without a snapshot the data is loaded from the files, as before.

A snapshot is written only where the user's key already exists (a cached run made it): a run
with `--no-cache` on a machine where loclint never cached writes nothing outside the tree.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from pathlib import Path
from typing import Any

from loclint import __version__
from loclint.signing import EntrySigner, key_path, write_atomic


def stamp(paths: list[Path]) -> bytes:
    """What the data was loaded from: each file's name, size and modification time."""
    hasher = hashlib.blake2b(__version__.encode(), digest_size=32)
    for path in paths:
        status = path.stat()
        hasher.update(b"%s %d %d\n" % (os.fsencode(path), status.st_size, status.st_mtime_ns))
    return hasher.digest()


def folder_tag(folder: Path) -> str:
    """A short name for a folder's snapshot, the same for the same folder in every run."""
    return hashlib.blake2b(os.fsencode(folder), digest_size=6).hexdigest()


def load(name: str, expected: bytes) -> Any | None:
    """The data of snapshot `name` if it is this user's and was made from the same files."""
    signer = _signer()
    if signer is None:
        return None
    try:
        signed = _path(name).read_bytes()
    except OSError:
        return None
    payload = signer.verify(signed)
    if payload is None or payload[: len(expected)] != expected:
        return None
    try:
        return _PlainUnpickler(io.BytesIO(payload[len(expected) :])).load()
    except Exception:  # noqa: BLE001 - a damaged or foreign snapshot is no snapshot
        return None


def save(name: str, made_from: bytes, data: Any) -> None:
    """Keep `data` as snapshot `name`; quietly nothing when it cannot be written or signed."""
    signer = _signer()
    if signer is None:
        return
    try:
        payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        _PlainUnpickler(io.BytesIO(payload)).load()  # only what `load` will accept is kept
    except Exception:  # noqa: BLE001 - data that is not plain is simply loaded every time
        return
    try:
        write_atomic(_path(name), signer.sign(made_from + payload))
    except OSError:
        return


def _signer():
    signer = EntrySigner.existing()
    return signer if signer.usable else None


def _path(name: str) -> Path:
    return key_path().parent / f"{name}.pickle"


class _PlainUnpickler(pickle.Unpickler):
    """Builds containers, strings and numbers only: a snapshot names no class or function."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing {module}.{name} in a snapshot")
