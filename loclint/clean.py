"""`loclint clean`: remove the result caches under the given folders (ruff's `ruff clean`).

Only a folder that loclint itself marked as its cache is removed: one named `.loclint_cache`
(or given with `--cache-dir`) that holds loclint's `CACHEDIR.TAG`. A folder of that name without
the tag is someone else's and is left alone, and so is a symlink of that name: following it
could delete a folder outside the tree. The per-user key that signs cache entries lives in the
user's cache folder, outside any checked tree, and is kept.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from loclint.cache import CACHE_TAG, CACHE_TAG_NAME, DEFAULT_DIR

_NOT_ENTERED = {".git", ".hg", ".svn"}  # version-control folders never hold a cache of ours


@dataclass
class Cleaned:
    """What `clean` removed (folder, bytes) and what it left alone (folder, why)."""

    removed: list[tuple[str, int]] = field(default_factory=list)
    left: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # paths given that do not exist


def clean(paths: list[str], cache_dir: Path | None = None) -> Cleaned:
    """Remove every loclint cache under `paths` (not following symlinks), and `cache_dir` if given."""
    outcome = Cleaned()
    candidates = [Path(cache_dir)] if cache_dir is not None else []
    for path in paths:
        if not os.path.lexists(path):
            outcome.missing.append(path)
            continue
        candidates.extend(_caches_under(Path(path)))
    seen: set[str] = set()
    for folder in candidates:
        identity = os.path.abspath(folder)
        if identity not in seen:
            seen.add(identity)
            _remove_cache(folder, outcome)
    return outcome


def _caches_under(top: Path) -> list[Path]:
    if top.name == DEFAULT_DIR:
        return [top]
    found = []
    for folder, dirs, _files in os.walk(top):  # os.walk does not follow folder symlinks
        if DEFAULT_DIR in dirs:
            found.append(Path(folder) / DEFAULT_DIR)
        dirs[:] = [name for name in dirs if name not in _NOT_ENTERED and name != DEFAULT_DIR]
    return found


def _remove_cache(folder: Path, outcome: Cleaned) -> None:
    shown = str(folder)
    if folder.is_symlink():
        outcome.left.append((shown, "a symlink, not followed"))
        return
    if not folder.is_dir():
        if folder.exists():
            outcome.left.append((shown, "not a folder"))
        return  # a `--cache-dir` that was never made: nothing to remove
    if not _is_ours(folder):
        outcome.left.append((shown, f"no loclint {CACHE_TAG_NAME}: not a loclint cache"))
        return
    size = _size(folder)
    try:
        shutil.rmtree(folder)  # removes links inside without following them
    except OSError as exc:
        outcome.left.append((shown, f"could not be removed ({exc.strerror or exc})"))
        return
    outcome.removed.append((shown, size))


def _is_ours(folder: Path) -> bool:
    try:
        with open(folder / CACHE_TAG_NAME, encoding="utf-8", errors="replace") as handle:
            return handle.read(4096) == CACHE_TAG
    except OSError:
        return False


def _size(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total
