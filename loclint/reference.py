"""Judging a variant against its siblings: the reference value, majorities, and group evidence.

Every parity rule asks the same two questions, answered here once:
- which value is right? The source-locale variant's when configured and present, else the majority's;
- is a variant's departure from its source a defect? Yes when most siblings that translated the same
  source kept what this one lost (a token, a tag count); no when most of them changed it too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Holder = TypeVar("Holder")


@dataclass(frozen=True, slots=True)
class Verdict:
    """The value a variant should have, and how strongly the group says so."""

    expected: Any
    agree: int  # variants holding `expected`
    total: int  # variants with any value
    majority: bool  # `expected` is held by more than half
    from_reference: bool  # `expected` is the source-locale variant's value

    def describe(self, noun: str = "locales") -> str:
        if self.from_reference:
            return "the source locale"
        if self.majority:
            return f"{self.agree} of {self.total} {noun}"
        return f"no majority: the most common value is held by {self.agree} of {self.total} {noun}"


def consensus(values: Iterable[Hashable], reference: Hashable | None = None, has_reference: bool = False) -> Verdict | None:
    """The expected value among `values`: the reference's when there is one, else the most common.

    Returns None when there is nothing to judge (no values, or every value the same without a
    reference, which callers treat as "nothing deviates").
    """
    counts = Counter(values)
    total = sum(counts.values())
    if has_reference:
        return Verdict(reference, counts.get(reference, 0), total, counts.get(reference, 0) * 2 > total, True)
    if total == 0:
        return None
    (top, top_count), *rest = counts.most_common(2) + [(None, 0)]
    tie = rest[0][1] == top_count and len(counts) > 1
    if tie:
        # No value leads: every variant off the (arbitrary) top is reported as "no majority".
        return Verdict(top, top_count, total, False, False)
    return Verdict(top, top_count, total, top_count * 2 > total, False)


# The fewest peers whose majority says a lenient token (an acronym) was lost, not translated on
# purpose: one peer's keeping it is an anecdote.
LENIENT_MIN_PEERS = 2


def peers_keep(kept_by_peers: int, peers: int, strict: bool) -> bool:
    """Does the group say a variant that lost something its source has is wrong?

    Strict kinds (numbers, URLs, code, placeholders) must survive translation: a loss is reported
    unless most peers lost it too. Lenient kinds (acronyms) are sometimes translated on purpose:
    a loss is reported only when at least two peers exist and a strict majority of them kept it.
    """
    if strict:
        return peers == 0 or kept_by_peers * 2 >= peers
    return peers >= LENIENT_MIN_PEERS and kept_by_peers * 2 > peers


@dataclass(frozen=True, slots=True)
class Departure(Generic[Holder]):
    """A holder whose value departs from the expected one, and how many holders agree with that."""

    holder: Holder
    expected: Any
    agree: int  # holders (the source excluded) with the expected value
    total: int  # holders judged (the source excluded)


@dataclass(frozen=True, slots=True)
class Judge:
    """Who deviates in one comparison column, whatever the format (see loclint/columns.py).

    With a source (a bilingual segment's own source, or the source-locale variant's block), a
    holder that departs from it is wrong when its peers say so (`peers_keep`). Without one (plain
    files and no source locale), the majority of the holders decides, and only a real majority.
    """

    has_source: bool

    def loss_stands(self, kept: int, judged: int, strict: bool) -> bool:
        """A holder lost what the source has (or what the others keep): `kept` of the `judged`
        holders, this one included, kept it. Is the loss a defect?"""
        if self.has_source:
            return peers_keep(kept, judged - 1, strict=strict)
        return kept * 2 > judged and (strict or peers_keep(kept, judged - 1, strict=False))

    def departures(self, values: list[tuple[Holder, Hashable]], source: Hashable = None) -> Iterator[Departure[Holder]]:
        """Each holder whose value is not the expected one: the source's `source`, else the majority's."""
        if self.has_source:
            kept = sum(value == source for _, value in values)
            if not peers_keep(kept, len(values) - 1, strict=True):
                return
            for holder, value in values:
                if value != source:
                    yield Departure(holder, source, kept, len(values))
            return
        verdict = consensus(value for _, value in values)
        if verdict is None or not verdict.majority:
            return
        for holder, value in values:
            if value != verdict.expected:
                yield Departure(holder, verdict.expected, verdict.agree, verdict.total)


def canonical(value: Any) -> Hashable:
    """A comparable form of a front-matter value: `500` and `"500"` are the same id."""
    if isinstance(value, list | tuple):
        return tuple(canonical(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(key), canonical(item)) for key, item in value.items()))
    if value is None:
        return ""
    return str(value).strip()


def show(value: Any, limit: int = 60) -> str:
    """A short, one-line rendering of a front-matter value for messages."""
    if isinstance(value, tuple):
        text = "[" + ", ".join(show(item, limit) for item in value) + "]"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
