"""S: segment completeness. Inside a file: pairs, ids and prefixes. Across a group: missing,
extra, reordered segments and drifted English sources, judged within the variant's cohort (the
variants translated from the same source version, see `Context.cohorts`)."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator


from loclint.checks.context import Context
from loclint.lazyre import lazy_pattern
from loclint.model import Diagnostic, Segment, Variant
from loclint.reference import consensus
from loclint.similarity import ratio

CODES = ("S001", "S002", "S003", "S004", "S005", "S006", "S007", "S008", "S009")


def check(ctx: Context) -> Iterator[Diagnostic]:
    for variant in ctx.comparable:
        if variant.report:  # a sibling loaded only to judge others: its own pairs are not reported
            yield from _pairs(ctx, variant)
    if not ctx.enabled("S006", "S007", "S008", "S009"):
        return
    done: set[int] = set()
    for variant in ctx.bilingual:
        if id(variant) in done:  # before its cohort is listed: listing it for every member is n² in a big group
            continue
        cohort = [member for member in ctx.cohorts[id(variant)] if member.segments]
        if len(cohort) < 2:
            continue
        done.update(id(member) for member in cohort)
        yield from _presence(ctx, cohort)
        if ctx.enabled("S008"):
            yield from _order(ctx, cohort)
        if ctx.enabled("S009"):
            yield from _source_drift(ctx, cohort)


def _pairs(ctx: Context, variant: Variant) -> Iterator[Diagnostic]:
    seen: dict[str, Segment] = {}
    prefixes = Counter(segment.prefix for segment in variant.segments)
    main_prefix = prefixes.most_common(1)[0][0] if prefixes else ""
    reported_prefixes: set[str] = set()
    for segment in variant.segments:
        label = f"`{segment.id}`"
        if segment.source is None:
            yield ctx.diagnostic(
                variant, "S001",
                f"target span {label} is not followed by its `sxs-lookup` source span",
                segment.start, segment.target_start, segment=segment,
            )
        elif segment.source_id != segment.id:
            # At the `data-stu-id` value, the last copy of it before the source text (in its tag).
            at = variant.text.rfind(segment.source_id, segment.start, segment.source_start) if segment.source_id else -1
            at = at if at >= 0 else segment.source_start
            yield ctx.diagnostic(
                variant, "S003",
                f"target span {label} is paired with source span `{segment.source_id}`: the ids must be equal",
                at, at + len(segment.source_id or ""), segment=segment,
            )
        first = seen.setdefault(segment.id, segment)
        if first is not segment:
            line, _ = variant.position(first.start)
            yield ctx.diagnostic(
                variant, "S004", f"segment id {label} appears again (first on line {line})",
                segment.start, segment.target_start, segment=segment,
            )
        if segment.prefix != main_prefix and segment.prefix not in reported_prefixes:
            reported_prefixes.add(segment.prefix)
            count = prefixes[segment.prefix]
            yield ctx.diagnostic(
                variant, "S005",
                f"segment id prefix `{segment.prefix}` ({count} segment{'s' if count > 1 else ''}) differs from "
                f"the file's `{main_prefix}` ({prefixes[main_prefix]} segments): content pasted from another file?",
                segment.start, segment.target_start, segment=segment,
            )
    for ident, offset in variant.orphan_sources:
        yield ctx.diagnostic(
            variant, "S002", f"source span `{ident}` has no target span before it",
            offset, subject=ident.rpartition("-")[2],
        )


def _presence(ctx: Context, cohort: list[Variant]) -> Iterator[Diagnostic]:
    total = len(cohort)
    holders: Counter = Counter()
    unreadable: Counter = Counter()  # a segment E005 or E011 cannot read is there all the same
    for member in cohort:
        holders.update(ctx.segments_by_key[id(member)].keys())
        unreadable.update(member.broken_keys)
    for member in cohort:
        if not member.report:
            continue
        own = ctx.segments_by_key[id(member)]
        if ctx.enabled("S006"):
            for key in sorted(holders.keys() - own.keys() - member.broken_keys, key=_natural):
                count = holders[key]
                if count * 2 < total:
                    continue  # most locales lack it too: the holders get S007 instead
                where = _where_missing(ctx, member, key, cohort)
                majority = "" if count * 2 > total else "no majority: "
                yield ctx.diagnostic(
                    member, "S006",
                    f"segment `*-{key}` is missing: {majority}{count} of {total} locales have it",
                    where, subject=key,
                )
        if ctx.enabled("S007"):
            for key, segment in own.items():
                if (holders[key] + unreadable[key]) * 2 < total:
                    yield ctx.diagnostic(
                        member, "S007",
                        f"segment `{segment.id}` is extra: only {holders[key]} of {total} locales have it",
                        segment.start, segment.target_start, segment=segment,
                    )


def _where_missing(ctx: Context, member: Variant, key: str, cohort: list[Variant]) -> int:
    """Where a missing segment belongs: right after the nearest earlier segment this variant has."""
    own = ctx.segments_by_key[id(member)]
    for other in cohort:
        keys = [segment.key for segment in other.segments]
        if key not in keys:
            continue
        for earlier in reversed(keys[: keys.index(key)]):
            if earlier in own:
                return own[earlier].end
        break
    return member.segments[0].start if member.segments else member.front_matter_end


def _order(ctx: Context, cohort: list[Variant]) -> Iterator[Diagnostic]:
    shared = set.intersection(*(set(ctx.segments_by_key[id(member)]) for member in cohort))
    sequences = {
        id(member): tuple(dict.fromkeys(s.key for s in member.segments if s.key in shared)) for member in cohort
    }
    verdict = consensus(sequences.values())
    if verdict is None or not verdict.majority:
        return
    rank = {key: index for index, key in enumerate(verdict.expected)}
    for member in cohort:
        sequence = sequences[id(member)]
        if sequence == verdict.expected or not member.report:
            continue
        in_place = _longest_increasing([rank[key] for key in sequence])
        own = ctx.segments_by_key[id(member)]
        for index, key in enumerate(sequence):
            if index in in_place:
                continue
            position = rank[key]
            after = verdict.expected[position - 1] if position else None
            where = f"after `*-{after}`" if after else "first"
            segment = own[key]
            yield ctx.diagnostic(
                member, "S008",
                f"segment `*-{key}` is out of order: {verdict.describe()} put it {where}",
                segment.start, segment.target_start, segment=segment,
            )


def _longest_increasing(values: list[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence (patience sorting, O(n log n))."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for index, value in enumerate(values):
        slot = bisect_left(tails, value)
        if slot == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[slot] = value
            tail_index[slot] = index
        previous[index] = tail_index[slot - 1] if slot else -1
    result: set[int] = set()
    cursor = tail_index[-1] if tail_index else -1
    while cursor >= 0:
        result.add(cursor)
        cursor = previous[cursor]
    return result


def _source_drift(ctx: Context, cohort: list[Variant]) -> Iterator[Diagnostic]:
    by_key: dict[str, list[tuple[Variant, Segment]]] = {}
    for member in cohort:
        for key, segment in ctx.segments_by_key[id(member)].items():
            if segment.source is not None:
                by_key.setdefault(key, []).append((member, segment))
    words: dict[str, str] = {}  # a source's words by its text: most locales share each source

    def unmarked(source: str) -> str:
        found = words.get(source)
        if found is None:
            found = words[source] = _unmarked(source)
        return found

    for key, holders in by_key.items():
        if len(holders) < 2 or len({segment.source for _, segment in holders}) == 1:
            continue  # one holder, or every locale translated the same source text: nothing differs
        if ctx.partial and not any(member.report for member, _ in holders):
            continue  # no named file holds it: whatever differs is not reported
        verdict = consensus(unmarked(segment.source) for _, segment in holders)
        if verdict is None or verdict.agree == verdict.total:
            continue
        for member, segment in holders:
            if not member.report:  # a sibling loaded only to judge others: its findings are not reported
                continue
            text = unmarked(segment.source)
            if text == verdict.expected and verdict.majority:
                continue
            if verdict.majority:
                similarity = ratio(text, verdict.expected)
                message = (
                    f"English source of segment `{segment.id}` differs from {verdict.describe()}' "
                    f"({similarity:.0f}% similar): translated from another source version"
                )
            else:  # no version to measure against: every holder is told, and told why
                versions = len({unmarked(other.source) for _, other in holders})
                message = (
                    f"English source of segment `{segment.id}` differs across locales with no majority "
                    f"({versions} versions among {verdict.total} locales): some were translated from another source version"
                )
            yield ctx.diagnostic(member, "S009", message, segment.source_start or segment.start, subject=key, segment=segment)


def _normal(text: str | None) -> str:
    return " ".join((text or "").split())


# HTML tags of a source (`<a name="x"></a>` anchors, `<b>`): where the hand-off tool put them
# (inside the span or before it) says nothing about the source version the words come from.
_TAG = lazy_pattern(r"</?[A-Za-z][A-Za-z0-9-]*\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*?/?>")


# Markdown that wraps a whole source (`[Create a tab](url)`, `**Note**`): one hand-off puts the
# span inside the link or emphasis, another puts the link or emphasis inside the span. Only a
# wrapper of the whole text is taken off: a link inside a sentence is part of that version.
_WRAPPER = lazy_pattern(r"\[(?P<inner>.+)\]\([^()\s]*\)|(?P<mark>\*\*|__|\*|_)(?P<emphasised>.+)(?P=mark)")


def _unmarked(text: str | None) -> str:
    """A source's words, its markup masked, for comparing source versions (S009)."""
    words = _normal(_TAG.sub(" ", text or "")) if text and "<" in text else _normal(text)
    while words and words[0] in "[*_":
        wrapped = _WRAPPER.fullmatch(words)
        if wrapped is None:
            break
        words = (wrapped.group("inner") or wrapped.group("emphasised")).strip()
    return words


def _natural(key: str) -> tuple:
    digits = "".join(char for char in key if char.isdigit())
    return (int(digits) if digits else 0, key)
