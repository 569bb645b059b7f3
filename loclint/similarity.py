"""How alike two strings are (rapidfuzz's ratio, 0-100), with rapidfuzz imported on first use.

Its import loads every metric it has (about 10 ms); most files named alone by pre-commit never
compare two strings this way, so the checks ask here instead of importing it themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from types import ModuleType


def ratio(first: str, second: str) -> float:
    """The normalised Indel similarity of two strings, 0 (nothing shared) to 100 (equal)."""
    return _rapidfuzz().fuzz.ratio(first, second)


def closest(text: str, choices: Iterable[str], cutoff: float) -> str | None:
    """The choice most like `text`, if its ratio is at least `cutoff` (the first of equals)."""
    rapidfuzz = _rapidfuzz()
    best = rapidfuzz.process.extractOne(text, list(choices), scorer=rapidfuzz.fuzz.ratio, score_cutoff=cutoff)
    return best[0] if best else None


@cache
def _rapidfuzz() -> ModuleType:
    import rapidfuzz.fuzz
    import rapidfuzz.process

    return rapidfuzz
