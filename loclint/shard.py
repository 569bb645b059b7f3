"""`--shard K/N`: split the article groups of a run over N CI runners, deterministically.

A group belongs to shard K when a stable hash of its article key, modulo N, is K-1. The hash is
BLAKE2b, not Python's `hash()`, which is salted per process: every runner of a CI matrix must
agree on the split without sharing anything but the command line. Hashing the article key (the
path relative to the locale folder, or the `group-by` value) rather than a file path keeps all
locales of an article on one runner, which the cross-locale checks need.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from loclint.lazyre import lazy_pattern

_SPEC = lazy_pattern(r"\s*(\d+)\s*/\s*(\d+)\s*")


class ShardError(ValueError):
    """A `--shard` value that is not `K/N` with 1 <= K <= N."""


@dataclass(frozen=True, slots=True)
class Shard:
    """One of N shares of the article groups (`--shard 2/4`)."""

    index: int  # 1-based, as written on the command line
    count: int

    def takes(self, article: str) -> bool:
        return bucket(article, self.count) == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def bucket(article: str, count: int) -> int:
    digest = hashlib.blake2b(article.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count


def parse_shard(spec: str) -> Shard:
    match = _SPEC.fullmatch(spec)
    if not match:
        raise ShardError(f"`--shard` takes K/N, for example 2/4, not `{spec}`")
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= index <= count:
        raise ShardError(f"`--shard {spec}`: K must be between 1 and N")
    return Shard(index, count)
