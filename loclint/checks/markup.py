"""B: markup balance. Per segment, the target's tags, emphasis, backticks, links and images must
match its source's (unless most sibling locales depart from the source the same way); per file,
the skeleton (everything outside segments) must match the majority of its cohort."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from rapidfuzz import fuzz, process

from loclint.checks.context import Context
from loclint.markdown import rendered_emphasis
from loclint.model import Diagnostic, Segment, Variant
from loclint.reference import consensus, peers_keep
from loclint.skeleton import SEGMENT_MASK, SkeletonLine
from loclint.tokens import TextFeatures

CODES = ("B001", "B002", "B003", "B004", "B005", "B006", "B007", "B014")


def _describe_tags(tags: dict[str, int]) -> str:
    return " ".join(f"<{name}>×{count}" if count > 1 else f"<{name}>" for name, count in sorted(tags.items())) or "none"


def _describe_emphasis(runs: dict[str, int]) -> str:
    return ", ".join(f"{count}× `{run}`" for run, count in sorted(runs.items())) or "none"


# code -> (what is compared, how to describe it, the noun in messages)
_SEGMENT_CHECKS: dict[str, tuple[Callable[[TextFeatures], object], Callable[[object], str], str]] = {
    "B001": (lambda f: (f.tags, f.tag_balance_ok), lambda v: _describe_tags(v[0]), "HTML tags"),
    "B002": (lambda f: f.emphasis, _describe_emphasis, "emphasis markers"),
    "B003": (lambda f: f.backticks, str, "backticks"),
    "B004": (lambda f: f.links, str, "links"),
    "B005": (lambda f: f.images, str, "images"),
    "B014": (lambda f: f.empty_links, str, "links with empty text (`[](url)`)"),
}


def check(ctx: Context) -> Iterator[Diagnostic]:
    active = [code for code in _SEGMENT_CHECKS if ctx.enabled(code)]
    if active:
        yield from _segment_markup(ctx, active)
    if ctx.enabled("B006"):
        done: set[int] = set()
        for variant in ctx.bilingual:
            cohort = [member for member in ctx.cohorts[id(variant)] if member.segments]
            if id(variant) not in done and len(cohort) >= 2:
                done.update(id(member) for member in cohort)
                yield from _skeleton(ctx, cohort)
    if ctx.enabled("B007"):
        yield from _stray_closers(ctx)


def _segment_markup(ctx: Context, codes: list[str]) -> Iterator[Diagnostic]:
    for (_, source), holders in ctx.same_source.items():
        source_features = ctx.features(source)
        if ctx.partial and _reported_match(ctx, codes, source_features, holders):
            continue  # nothing to report, so the other locales need not be measured
        target_features = [ctx.features(segment.target) for _, segment in holders]  # once, for every rule
        for code in codes:
            measure, describe, noun = _SEGMENT_CHECKS[code]
            expected = measure(source_features)
            measured = [measure(features) for features in target_features]
            # An empty link the source has and the target fills in is no loss: B014 counts only gains.
            faithful = [found <= expected if code == "B014" else found == expected for found in measured]
            if code == "B002" and not all(faithful):
                faithful = [ok or emphasis_kept(source, segment.target) for ok, (_, segment) in zip(faithful, holders)]
            kept_total = sum(faithful)
            for (variant, segment), found, ok in zip(holders, measured, faithful):
                if ok:
                    continue
                peers = len(holders) - 1
                if not peers_keep(kept_total, peers, strict=True):
                    continue
                agree = f"; {kept_total} of {peers + 1} locales match it" if peers else ""
                if code == "B001" and expected[0] == found[0] and not found[1]:
                    message = f"HTML tags in the target are unbalanced: {describe(found)}"
                else:
                    message = f"target has {noun} {describe(found)}, its source {describe(expected)}{agree}"
                yield ctx.diagnostic(variant, code, message, segment.target_start,
                                     segment.target_start + len(segment.target), segment=segment)


def emphasis_kept(source: str, target: str) -> bool:
    """Marker counts differ, but does the reader see the source's emphasis? Escaped markers
    (`\\*` for a multiplication sign), `**Size** **groups**` as one span (`**尺寸组**`) and literal
    markers of the source that the target dropped (`**_ledgerDimension**`) are no defect."""
    seen, meant = rendered_emphasis(target), rendered_emphasis(source)
    return seen.spans == meant.spans and seen.stray <= meant.stray


def emphasis_lost(own: str, majority: list[str]) -> bool:
    """Without a source, is a block's emphasis worse than that of half the majority's blocks or
    more (not most: machine translation often writes two bold names side by side, which read as
    one)? Translation loses markers far more often than it invents them: a block with more spans
    than the majority has likely kept what the others lost, so only fewer spans, or more literal
    markers, count."""
    seen = rendered_emphasis(own)

    def worse(other: str) -> bool:
        expected = rendered_emphasis(other)
        return seen.stray > expected.stray or any(seen.spans[kind] < count for kind, count in expected.spans.items())

    return sum(map(worse, majority)) * 2 >= len(majority)


def _reported_match(
    ctx: Context, codes: list[str], source_features: TextFeatures, holders: list[tuple[Variant, Segment]]
) -> bool:
    """Does every reported translation of a source have its markup, by every rule in `codes`?"""
    for variant, segment in holders:
        if variant.report:
            features = ctx.features(segment.target)
            if any(_SEGMENT_CHECKS[code][0](features) != _SEGMENT_CHECKS[code][0](source_features) for code in codes if code != "B014"):
                return False
            if "B014" in codes and features.empty_links > source_features.empty_links:
                return False
    return True


def _skeleton_lines(variant: Variant) -> list[tuple[tuple[str, int], SkeletonLine]]:
    """((line text, occurrence), line) per skeleton line: occurrences make repeated lines count."""
    seen: Counter = Counter()
    lines = []
    for line in variant.skeleton:
        seen[line.text] += 1
        lines.append(((line.text, seen[line.text]), line))
    return lines


def _skeleton(ctx: Context, cohort: list[Variant]) -> Iterator[Diagnostic]:
    total = len(cohort)
    per_member = {id(member): _skeleton_lines(member) for member in cohort}
    holders: Counter = Counter()
    for lines in per_member.values():
        holders.update({key for key, _ in lines})
    majority_lines = {key for key, count in holders.items() if count * 2 > total}
    for member in cohort:
        lines = per_member[id(member)]
        missing = majority_lines - {key for key, _ in lines}
        candidates = {key[0]: key for key in missing}
        for key, line in lines:
            count = holders[key]
            if count * 2 > total:
                continue
            text = key[0]
            no_majority = "" if count * 2 < total else " (no majority)"
            end = member.skeleton_offset(line, len(text) - 1) + 1
            best = process.extractOne(text, list(candidates), scorer=fuzz.ratio, score_cutoff=50) if candidates else None
            if best:
                expected = best[0]
                del candidates[expected]
                if _moved_into_segment(member, line, text, expected):
                    continue  # S009 reports the segment whose source version differs
                column = _common_prefix(text, expected)
                message = (
                    f"skeleton line differs: `{_show(text, column)}` where {holders[(expected, 1)]} of {total} "
                    f"locales have `{_show(expected, column)}`{no_majority}"
                )
                start = member.skeleton_offset(line, column) if column < len(text) else end
                yield ctx.diagnostic(member, "B006", message, start, end)
            else:
                message = f"skeleton line `{_show(text)}` is in {count} of {total} locales only{no_majority}"
                yield ctx.diagnostic(member, "B006", message, member.skeleton_offset(line, 0), end)
        for text in sorted(candidates):
            key = candidates[text]
            offset = _where_line_belongs(member, lines, key, per_member, cohort)
            message = f"skeleton lacks the line `{_show(text)}` that {holders[key]} of {total} locales have"
            yield ctx.diagnostic(member, "B006", message, offset)


def _moved_into_segment(member: Variant, line: SkeletonLine, text: str, expected: str) -> bool:
    """Does this line lack only frame text (an anchor, most often) that this variant's own source
    has inside a segment on the line? Its source is another version that moved the text there."""
    prefix = _common_prefix(text, expected)
    suffix = _common_prefix(text[prefix:][::-1], expected[prefix:][::-1])
    own, lacking = text[prefix : len(text) - suffix], " ".join(expected[prefix : len(expected) - suffix].split())
    if own.strip() or not lacking:
        return False
    start = member.skeleton_offset(line, 0)
    end = member.skeleton_offset(line, len(text) - 1) + 1
    return any(
        segment.source is not None and start <= segment.start <= end and lacking in " ".join(segment.source.split())
        for segment in member.segments
    )


def _where_line_belongs(member, lines, key, per_member, cohort) -> int:
    """Where a missing line belongs: at the start of the line that follows the nearest earlier
    line this variant has (that line now stands where the missing one should)."""
    own_keys = [line_key for line_key, _ in lines]
    after = -1  # index in `lines` of the line the missing one follows; -1: it comes first
    for other in cohort:
        other_keys = [line_key for line_key, _ in per_member[id(other)]]
        if key in other_keys:
            for earlier in reversed(other_keys[: other_keys.index(key)]):
                if earlier in own_keys:
                    after = own_keys.index(earlier)
                    break
            break
    if after + 1 < len(lines):
        return member.skeleton_offset(lines[after + 1][1], 0)
    return len(member.text.rstrip("\r\n")) if lines else member.front_matter_end


def _common_prefix(left: str, right: str) -> int:
    index = 0
    for a, b in zip(left, right):
        if a != b:
            break
        index += 1
    return index


def _show(text: str, around: int = 0, limit: int = 70) -> str:
    """A short excerpt of a skeleton line, starting shortly before column `around`."""
    start = max(0, around - 20)
    excerpt = text[start:].replace(SEGMENT_MASK, "…")
    if len(excerpt) > limit:
        excerpt = excerpt[: limit - 1] + "…"
    return ("…" if start else "") + excerpt


def _stray_closers(ctx: Context) -> Iterator[Diagnostic]:
    # Closers most locales share come from the source article; a lone file has no one to share with.
    verdict = consensus(len(variant.stray_span_closers) for variant in ctx.comparable) if len(ctx.comparable) > 1 else None
    expected = verdict.expected if verdict and verdict.majority else 0
    for variant in ctx.comparable:
        if len(variant.stray_span_closers) <= expected:
            continue
        for offset in variant.stray_span_closers:
            yield ctx.diagnostic(variant, "B007", "`</span>` closes no open span: a segment's markup is broken here",
                                 offset, offset + len("</span>"))
