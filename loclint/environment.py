"""What loclint reads of the user's environment before anything heavy is imported.

- `private_folder()`: the user's own folder for loclint's private files: the cache key and the
  rule-data snapshot (loclint/signing.py, loclint/snapshot.py) and the resident server's socket
  (loclint/resident.py). `$XDG_CACHE_HOME/loclint`, else `~/.cache/loclint`: outside any
  checked tree, so nothing a pull request carries is found there. A string, not a `Path`: the
  resident client asks for it first thing, and pathlib alone would be a tenth of its time.
- `owned_privately(status)`: a file or folder there is trusted only when it is the user's own
  and nobody else may read, write or enter it.
- `in_ci(environ)`: the run is in CI (the `CI` variable every CI service sets): no progress
  line, no resident server.
"""

from __future__ import annotations

import os
from collections.abc import Mapping


def private_folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = base if os.path.isabs(base) else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(root, "loclint")


def owned_privately(status: os.stat_result) -> bool:
    owner_ok = not hasattr(os, "geteuid") or status.st_uid == os.geteuid()
    return owner_ok and not status.st_mode & 0o077


def in_ci(environ: Mapping[str, str]) -> bool:
    return environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
