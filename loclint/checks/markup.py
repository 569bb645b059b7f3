"""B: markup balance. Per segment, the target's tags, emphasis, backticks, links and images must
match its source's (unless most sibling locales depart from the source the same way); per file,
the skeleton (everything outside segments) must match the majority of its cohort."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterator


from loclint.checks.context import Context
from loclint.columns import Column, Unit
from loclint.lazyre import lazy_pattern
from loclint.markdown import RenderedEmphasis, rendered_emphasis
from loclint.model import Diagnostic, Variant
from loclint.reference import consensus
from loclint.similarity import closest
from loclint.skeleton import SEGMENT_MASK, SkeletonLine
from loclint.tokens import NO_MARKUP, TextFeatures

CODES = ("B001", "B002", "B003", "B004", "B005", "B006", "B007", "B014")


def _describe_tags(tags: dict[str, int]) -> str:
    return " ".join(f"<{name}>×{count}" if count > 1 else f"<{name}>" for name, count in sorted(tags.items())) or "none"


def _describe_emphasis(runs: dict[str, int]) -> str:
    return ", ".join(f"{count}× `{run}`" for run, count in sorted(runs.items())) or "none"


def amount(noun: str, described: str) -> str:
    """A measured value in a sentence: `no links`, `1 link`, `2 backticks`, `emphasis markers 2× `**``."""
    if described in ("none", "0"):
        return f"no {noun}"
    if described.isdigit():
        return f"{described} {noun.removesuffix('s') if described == '1' else noun}"
    return f"{noun} {described}"


def compared(noun: str, own: str, expected: str) -> tuple[str, str]:
    """Two measured values for `has X where ... has Y`, the noun said once when it reads so:
    `emphasis markers 1× `**`` ... `2× `**``, `no links` ... `1 link`."""
    first, second = amount(noun, own), amount(noun, expected)
    if first.startswith(noun) and second.startswith(noun):
        second = expected
    return first, second


# code -> (what is compared, how to describe it, the noun in messages)
SEGMENT_CHECKS: dict[str, tuple[Callable[[TextFeatures], object], Callable[[object], str], str]] = {
    "B001": (lambda f: (f.markup.tags, f.markup.tag_balance_ok), lambda v: _describe_tags(v[0]), "HTML tags"),
    "B002": (lambda f: f.markup.emphasis, _describe_emphasis, "emphasis markers"),
    "B003": (lambda f: f.markup.backticks, str, "backticks"),
    "B004": (lambda f: f.markup.links, str, "links"),
    "B005": (lambda f: f.markup.images, str, "images"),
    "B014": (lambda f: f.markup.empty_links, str, "empty links"),  # `[](url)`: a link whose text is lost
}


def check(ctx: Context) -> Iterator[Diagnostic]:
    active = [code for code in SEGMENT_CHECKS if ctx.enabled(code)]
    if active:
        yield from _segment_markup(ctx, active)
    if ctx.enabled("B006"):
        done: set[int] = set()
        for variant in ctx.bilingual:
            if id(variant) in done:  # before its cohort is listed: listing it for every member is n² in a big group
                continue
            cohort = [member for member in ctx.cohorts[id(variant)] if member.segments]
            if len(cohort) >= 2:
                done.update(id(member) for member in cohort)
                yield from _skeleton(ctx, cohort)
    if ctx.enabled("B007"):
        yield from _stray_closers(ctx)


def _segment_markup(ctx: Context, codes: list[str]) -> Iterator[Diagnostic]:
    for column in ctx.columns:
        units = column.steady_units
        if len(units) < (1 if column.source is not None else 2):
            continue
        if column.source is not None and ctx.partial and _reported_match(ctx, codes, column.source, units):
            continue  # nothing to report, so the other locales need not be measured
        unit_features = [ctx.features(unit.text) for unit in units]  # once, for every rule
        if _none_has_markup(ctx, column, unit_features):
            continue  # no count can differ and nothing is glued: most segments of an article
        for code in codes:
            if column.source is not None:
                yield from _against_source(ctx, code, column, units, unit_features)
            else:
                yield from _against_majority(ctx, code, units, unit_features, column)
        if "B003" in codes:
            yield from _glued_code(ctx, column, units, unit_features)


def _none_has_markup(ctx: Context, column: Column, unit_features: list[TextFeatures]) -> bool:
    """Are the column's texts, its source's too, all without markup (the shared NO_MARKUP)?"""
    return all(features.markup is NO_MARKUP for features in unit_features) and (
        column.source is None or ctx.features(column.source).markup is NO_MARKUP)


def _against_source(ctx: Context, code: str, column: Column, units: list[Unit],
                    unit_features: list[TextFeatures]) -> Iterator[Diagnostic]:
    measure, describe, noun = SEGMENT_CHECKS[code]
    source = column.source
    expected = measure(ctx.features(source))
    measured = [measure(features) for features in unit_features]
    # An empty link the source has and the target fills in is no loss: B014 counts only gains.
    faithful = [found <= expected if code == "B014" else found == expected for found in measured]
    if code == "B002" and not all(faithful):
        faithful = [ok or emphasis_kept(source, unit.text, _label_stand_ins(ctx, unit)) for ok, unit in zip(faithful, units)]
    kept_total = sum(faithful)
    for unit, found, ok in zip(units, measured, faithful):
        if ok or not column.judge.loss_stands(kept_total, len(units), strict=True):
            continue
        own, theirs = compared(noun, describe(found), describe(expected))
        if not column.from_segments:
            message = f"{unit.label} has {own} where the source locale has {theirs}"
        elif code == "B001" and expected[0] == found[0] and not found[1]:
            message = f"HTML tags in the target are unbalanced: {describe(found)}"
        else:
            agree = f"; {kept_total} of {len(units)} locales match it" if len(units) > 1 else ""
            message = f"target has {own} where its source has {theirs}{agree}"
        start, end = _anchor(code, unit, found)
        yield ctx.diagnostic(unit.variant, code, message, start, end, unit=unit)


def _against_majority(ctx: Context, code: str, units: list[Unit], unit_features: list[TextFeatures],
                      column: Column) -> Iterator[Diagnostic]:
    """With no source, the majority's markup is the expected one; a B002 count difference is
    confirmed on the rendered emphasis of the majority's units."""
    measure, describe, noun = SEGMENT_CHECKS[code]
    measured = [measure(features) for features in unit_features]
    values = [(index, _freeze(value)) for index, value in enumerate(measured)]
    for departure in column.judge.departures(values):
        unit, found = units[departure.holder], measured[departure.holder]
        if code == "B002":
            majority = [units[index].text for index, value in values if value == departure.expected]
            if not emphasis_lost(unit.text, majority, _label_stand_ins(ctx, unit)):
                continue
        original = next(measured[index] for index, value in values if value == departure.expected)
        if code == "B014" and found < original:
            continue  # link text the others lack, this block has: no loss
        own, theirs = compared(noun, describe(found), describe(original))
        message = f"{unit.label} has {own} where {departure.agree} of {departure.total} locales have {theirs}"
        start, end = _anchor(code, unit, found)
        yield ctx.diagnostic(unit.variant, code, message, start, end, unit=unit)


def _glued_code(ctx: Context, column: Column, units: list[Unit], unit_features: list[TextFeatures]) -> Iterator[Diagnostic]:
    """B003 at each place where two code spans meet with no space between (`a``b`, which renders
    as one span showing the backticks). The spans are counted as meant (tokens.analyse), so the
    count rules see no loss; this is the one finding. Glued spans render wrong in any locale, so
    without a source each is reported even where other locales glue too (machine translation
    glues the same pair in several); only a glue the source has, or (without a source) every
    other locale has, is the text's own and is left alone."""
    source = ctx.features(column.source).markup.glued if column.source is not None else None
    for index, (unit, features) in enumerate(zip(units, unit_features)):
        if not features.markup.glued:
            continue
        if source is not None:
            if len(features.markup.glued) <= len(source):
                continue
            who = "the source locale writes them apart" if not column.from_segments else "its source writes them apart"
        else:
            others = [len(other.markup.glued) for at, other in enumerate(unit_features) if at != index]
            apart = sum(count < len(features.markup.glued) for count in others)
            if not apart:
                continue
            who = f"{apart} of {len(others) + 1} locales write them apart"
        for at in features.markup.glued:
            first, second = _around(unit.text, at)
            start, end = unit.span(at, at + 2)
            message = (f"code spans `{first}` and `{second}` are written with no space between them "
                       f"(`{first}``{second}`), which renders as one span showing the backticks; {who}")
            yield ctx.diagnostic(unit.variant, "B003", message, start, end, unit=unit)


def _around(text: str, glue: int) -> tuple[str, str]:
    """The contents of the two code spans that meet at the glue `text[glue:glue + 2]`."""
    first = text[text.rfind("`", 0, glue) + 1 : glue]
    after = glue + 2
    closer = text.find("`", after)
    return first, text[after : closer if closer >= 0 else len(text)]


# What a plain block's count finding points at: the block's first mark of the kind.
_EMPTY_LINK = re.compile(r"\[[ \t]*\]\(")
_MARKS = {"B001": ("<",), "B003": ("`",), "B004": ("](",), "B005": ("![",), "B014": ("[](",)}


def _anchor(code: str, unit: Unit, measured: object) -> tuple[int, int]:
    """Where a count finding points. A segment: its whole target, which is short. A plain block:
    its first mark of that kind (B002: of the emphasis runs it was counted with), not the whole
    paragraph; a block with none of them gets a one-character caret at its start. An empty link
    is pointed at in a segment too: a long segment gives no hint where its link text went."""
    if code == "B014":
        empty = _EMPTY_LINK.search(unit.variant.text, unit.start, unit.end)
        if empty:
            return empty.start(), empty.end()
    if unit.block is None:
        return unit.start, unit.end
    start = (unit.start, unit.start + 1)
    held = measured[0] if isinstance(measured, tuple) else measured  # B001: (tags, balanced)
    if not held:
        return start
    marks = sorted(measured, key=len, reverse=True) if code == "B002" else _MARKS[code]
    text = unit.variant.text
    for mark in marks:
        found = text.find(mark, unit.start, unit.end)
        if found >= 0:
            return found, found + len(mark)
    return start


def _freeze(value: object) -> Hashable:
    """A measured value made comparable: markup counts (Markup.tags, .emphasis) are dicts."""
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    if isinstance(value, tuple):
        return tuple(_freeze(item) for item in value)
    return value  # type: ignore[return-value]


def emphasis_kept(source: str, target: str, stand_ins: int = 0) -> bool:
    """Marker counts differ, but does the reader see the source's emphasis? Escaped markers
    (`\\*` for a multiplication sign), `**Size** **groups**` as one span (`**尺寸组**`) and literal
    markers of the source that the target dropped (`**_ledgerDimension**`) are no defect, nor are
    spans the target writes as `stand_ins` labels in its own marks (`“保存”`)."""
    seen, meant = rendered_emphasis(target), rendered_emphasis(source)
    if seen.stray > meant.stray or any(seen.spans[kind] > count for kind, count in meant.spans.items()):
        return False
    return _missing_spans(seen, meant) <= stand_ins and all(kind in meant.spans for kind in seen.spans)


def emphasis_lost(own: str, majority: list[str], stand_ins: int = 0) -> bool:
    """Without a source, is a block's emphasis worse than that of half the majority's blocks or
    more (not most: machine translation often writes two bold names side by side, which read as
    one)? Translation loses markers far more often than it invents them: a block with more spans
    than the majority has likely kept what the others lost, so only fewer spans, or more literal
    markers, count; a span written as a label in the locale's own marks (`stand_ins`) is kept."""
    seen = rendered_emphasis(own)

    def worse(other: str) -> bool:
        expected = rendered_emphasis(other)
        return seen.stray > expected.stray or _missing_spans(seen, expected) > stand_ins

    return sum(map(worse, majority)) * 2 >= len(majority)


def _missing_spans(seen: RenderedEmphasis, meant: RenderedEmphasis) -> int:
    return sum(max(0, count - seen.spans[kind]) for kind, count in meant.spans.items())


# Emphasis spans, and a closing run glued to the next opening one (`**a****b**`, or escaped by
# machine translation: `a\*\*\*\*b`).
_SPAN = lazy_pattern(r"(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1")
_GLUED_EMPHASIS = lazy_pattern(r"[^\s*\\]\*{4}[^\s*]|(?:\\\*){4}")


def _label_stand_ins(ctx: Context, unit: Unit) -> int:
    """How many UI labels this unit writes in its locale's own marks outside emphasis (`选择“保存”`,
    rules/typography.yaml `label-marks`): each stands for an emphasis span. None where emphasis
    is glued (`**a****b**`) or crosses a label's mark (`[**应用 URL] 下**`): that is damage to the
    markers, which no label makes up for."""
    typography = ctx.settings.compiled_typography
    pattern = typography.label_pattern(unit.variant.locale)
    if pattern is None:
        return 0
    text = ctx.features(unit.text).masked
    if _GLUED_EMPHASIS.search(text):
        return 0
    pairs = typography.lookup(typography.label_marks, unit.variant.locale, ())
    if any(_crosses(span.group(2), pair) for span in _SPAN.finditer(text) for pair in pairs):
        return 0
    return len(pattern.findall(_SPAN.sub(" ", text)))


def _crosses(inside: str, pair: tuple[str, str]) -> bool:
    """Does an emphasis span's text open or close a label without the other (`保存”，选择“关闭`)?"""
    opening, closing = pair
    if opening == closing:
        return inside.count(opening) % 2 == 1
    depth = 0
    for char in inside:
        depth += (char == opening) - (char == closing)
        if depth < 0:
            return True
    return depth != 0


def _reported_match(ctx: Context, codes: list[str], source: str, units: list[Unit]) -> bool:
    """Does every reported translation of a source have its markup, by every rule in `codes`?"""
    source_features = ctx.features(source)
    for unit in units:
        if unit.variant.report:
            features = ctx.features(unit.text)
            if any(SEGMENT_CHECKS[code][0](features) != SEGMENT_CHECKS[code][0](source_features) for code in codes):
                return False
            if "B003" in codes and len(features.markup.glued) > len(source_features.markup.glued):
                return False  # glued code spans count as meant: their own B003 needs the column
    return True


def _skeleton(ctx: Context, cohort: list[Variant]) -> Iterator[Diagnostic]:
    """A line is the `n`-th line of its text in its file (occurrences make repeated lines count);
    the majority holds it when more than half of the cohort has that text at least `n` times. So
    it is counted per text, never per line: a file of a million alike lines (a mask each) holds a
    count, not a million keys."""
    total = len(cohort)
    counts = [Counter(member.skeleton.texts) for member in cohort]
    majority = _majority_occurrences(counts, total)
    for member, own in zip(cohort, counts):
        if not member.report:  # a sibling loaded only to judge others: its findings are not reported
            continue
        # Per text the majority has more often: its first occurrence this member lacks.
        candidates = {text: (text, own[text] + 1) for text, most in majority.items() if own[text] < most}
        seen: Counter = Counter()
        for index, text in enumerate(member.skeleton.texts):
            seen[text] += 1
            if seen[text] <= majority.get(text, 0):
                continue
            count = _holders(counts, text, seen[text])
            no_majority = "" if count * 2 < total else " (no majority)"
            line = member.skeleton[index]
            end = member.skeleton_offset(line, len(text) - 1) + 1
            expected = closest(text, candidates, cutoff=50) if candidates else None
            if expected is not None:
                expected_key = candidates.pop(expected)
                if _moved_into_segment(member, line, text, expected):
                    continue  # S009 reports the segment whose source version differs
                column = _common_prefix(text, expected)
                message = (
                    f"skeleton line differs: `{_show(text, column)}` where {_holders(counts, *expected_key)} of {total} "
                    f"locales have `{_show(expected, column)}`{no_majority}"
                )
                start = member.skeleton_offset(line, column) if column < len(text) else end
                yield ctx.diagnostic(member, "B006", message, start, end)
            else:
                message = f"skeleton line `{_show(text)}` is in {count} of {total} locales only{no_majority}"
                yield ctx.diagnostic(member, "B006", message, member.skeleton_offset(line, 0), end)
        for text in sorted(candidates):
            key = candidates[text]
            offset = _where_line_belongs(member, key, cohort)
            message = f"skeleton lacks the line `{_show(text)}` that {_holders(counts, *key)} of {total} locales have"
            yield ctx.diagnostic(member, "B006", message, offset)


def _majority_occurrences(counts: list[Counter], total: int) -> dict[str, int]:
    """Per line text, how many of its occurrences more than half of the cohort holds (texts in the
    order the cohort first has them). A member with a text `k` times holds its first `k`."""
    need = total // 2 + 1
    majority = {}
    for text in dict.fromkeys(text for own in counts for text in own):
        most = sorted((own[text] for own in counts), reverse=True)[need - 1]
        if most:
            majority[text] = most
    return majority


def _holders(counts: list[Counter], text: str, occurrence: int) -> int:
    """How many members hold the `occurrence`-th line `text`."""
    return sum(1 for own in counts if own[text] >= occurrence)


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


def _where_line_belongs(member: Variant, key: tuple[str, int], cohort: list[Variant]) -> int:
    """Where a missing line (the `n`-th line of its text) belongs: at the start of the line that
    follows the nearest earlier line this variant has (that line now stands where the missing
    one should), as the first member holding the missing line orders them."""
    own = member.skeleton.texts
    own_counts = Counter(own)
    after = -1  # index in `own` of the line the missing one follows; -1: it comes first
    for other in cohort:
        texts = other.skeleton.texts
        at = _occurrence_index(texts, *key)
        if at < 0:
            continue
        before = Counter(texts[:at])  # for each text, its occurrences up to the line looked at
        for earlier in range(at - 1, -1, -1):
            text = texts[earlier]
            occurrence = before[text]
            before[text] -= 1
            if own_counts[text] >= occurrence:
                after = _occurrence_index(own, text, occurrence)
                break
        break
    lines = member.skeleton
    if after + 1 < len(lines):
        return member.skeleton_offset(lines[after + 1], 0)
    return len(member.text.rstrip("\r\n")) if lines else member.front_matter_end


def _occurrence_index(texts: list[str], text: str, occurrence: int) -> int:
    """The index of the `occurrence`-th (1-based) `text` in `texts`, or -1."""
    index = -1
    try:
        for _ in range(occurrence):
            index = texts.index(text, index + 1)
    except ValueError:
        return -1
    return index


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
