"""Counts in words, for every message and report: `1 row`, `2 rows`."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`count` and `word`, in its plural (`many`, else `word` + "s") unless `count` is 1."""
    return f"{count} {word if count == 1 else many or word + 's'}"
