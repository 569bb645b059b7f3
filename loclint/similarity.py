"""How alike two strings are (rapidfuzz's ratio, 0-100), with rapidfuzz imported on first use.

Its import loads every metric it has (6-10 ms); most files named alone by pre-commit never
compare two strings this way, so the checks ask here instead of importing it themselves.
`token_ratio` gives the same value without rapidfuzz, for the few comparisons of two tokens a
run may make and nothing else (the lost acronyms a warm run settles from the cache).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from types import ModuleType


def ratio(first: str, second: str) -> float:
    """The normalised Indel similarity of two strings, 0 (nothing shared) to 100 (equal)."""
    return _rapidfuzz().fuzz.ratio(first, second)


def token_ratio(first: str, second: str) -> float:
    """`ratio`, to the last bit, computed here: 100 × (1 - Indel distance / total length), the
    longest common subsequence found with one bit-parallel pass (Hyyrö's), as rapidfuzz does.
    Microseconds for a token; a long text is rapidfuzz's to compare (`ratio`)."""
    total = len(first) + len(second)
    if total == 0:
        return 100.0
    distance = total - 2 * _common_subsequence(first, second)
    return (1.0 - distance / total) * 100


def _common_subsequence(first: str, second: str) -> int:
    positions: dict[str, int] = {}
    for index, char in enumerate(first):
        positions[char] = positions.get(char, 0) | 1 << index
    width = (1 << len(first)) - 1
    state = width  # a 1 per position of `first` not yet in the subsequence
    for char in second:
        matched = state & positions.get(char, 0)
        state = ((state + matched) | (state - matched)) & width
    return len(first) - state.bit_count()


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
