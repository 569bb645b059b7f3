"""B008-B013: what only plain translated Markdown has. Its variants are aligned block by block
(see loclint/alignment.py); the aligned blocks are compared like segments by the rules written
over columns (P, B001-B005, T, W: see loclint/columns.py). This module reports the rest: a block
missing or extra (B008, B009), a block's form (B010), code blocks (B011), list lengths (B012)
and table shapes (B013).

The reference is the `source-locale` variant when it is present; otherwise the pivot of the
alignment is one variant of the consensus shape and every verdict is the majority's, so the
pivot is judged like any other variant.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterator

from loclint.alignment import Cohort, Member, fingerprint
from loclint.checks.context import Context
from loclint.checks.placeholders import short
from loclint.markdown import CODE, ITEM, TABLE, Block
from loclint.model import Diagnostic
from loclint.reference import Departure, Judge, peers_keep
from loclint.wording import plural

CODES = ("B008", "B009", "B010", "B011", "B012", "B013")


def check(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.enabled(*CODES):
        return
    for cohort in ctx.aligned:
        yield from _check_cohort(ctx, cohort)


def _check_cohort(ctx: Context, cohort: Cohort) -> Iterator[Diagnostic]:
    pivot_blocks = cohort.pivot.blocks
    judge = _BlockJudge(cohort.reference)
    yield from _presence(ctx, pivot_blocks, cohort.members, judge)
    for index, block in enumerate(pivot_blocks):
        column = [member for member in cohort.members if member.matched[index] is not None]
        if len(column) >= 2:
            yield from _column(ctx, index, block, column, judge)


class _BlockJudge:
    """`reference.Judge` over a cohort's members: the reference's value decides, else the majority."""

    def __init__(self, reference) -> None:
        self.reference = reference
        self.judge = Judge(has_source=reference is not None)

    def deviants(self, values: list[tuple[Member, Hashable]]) -> Iterator[tuple[Member, Hashable, str]]:
        """(member, the value expected of it, who says so) for each member that departs."""
        source = next((value for member, value in values if member.variant is self.reference), None)
        if self.reference is not None and any(member.variant is self.reference for member, _ in values):
            others = [(member, value) for member, value in values if member.variant is not self.reference]
            for departure in self.judge.departures(others, source):
                yield departure.holder, departure.expected, "the source locale has"
            return
        for departure in self.judge.departures(values):
            yield departure.holder, departure.expected, _majority(departure)


def _majority(departure: Departure) -> str:
    return f"{departure.agree} of {departure.total} locales have"


# --- missing and extra blocks --------------------------------------------------------------


def _presence(ctx: Context, pivot_blocks: list[Block], members: list[Member], judge: _BlockJudge) -> Iterator[Diagnostic]:
    total = len(members)
    # A variant that shares less than half of the blocks is another text (a stub, another version,
    # a different article): one finding for it, not one per block.
    apart = {id(member) for member in members if _mostly_apart(member, len(pivot_blocks))}
    for member in members:
        if id(member) in apart and (judge.reference is None or member.variant is not judge.reference):
            paired = sum(own is not None for own in member.matched)
            message = (f"the body shares only {paired} of {len(pivot_blocks)} blocks with the "
                       f"{'source locale' if judge.reference else 'other locales'} "
                       f"({len(member.blocks)} blocks here): an untranslated stub, or another version of the article?")
            start = member.blocks[0].start if member.blocks else member.variant.front_matter_end
            yield ctx.diagnostic(member.variant, "B008", message, start, subject="body")
    members = [member for member in members if id(member) not in apart]
    for index, block in enumerate(pivot_blocks):
        holders = [member for member in members if member.matched[index] is not None]
        lacking = [member for member in members if member.matched[index] is None]
        if not lacking:
            continue
        if judge.reference is not None:
            peers = len(holders) - 1 + len(lacking) - 1  # translations other than the one judged
            if not peers_keep(len(holders) - 1, peers, strict=True):
                continue
            for member in lacking:
                if not _held_nearby(ctx, member, index, pivot_blocks):
                    yield _missing(ctx, member, index, block, "the source locale has it", members)
        elif len(holders) * 2 > total:
            for member in lacking:
                if not _held_nearby(ctx, member, index, pivot_blocks):
                    yield _missing(ctx, member, index, block, f"{len(holders)} of {total} locales have it", members)
        elif len(holders) * 2 < total:
            for member in holders:
                own = member.blocks[member.matched[index]]
                yield _extra(ctx, member, own, index, f"only {len(holders)} of {total} locales have it", members)
    # Blocks that paired with nothing in the pivot: extra where few have one, missing from the pivot where most do.
    by_place: dict[tuple[int, str], list[tuple[Member, int]]] = {}
    for member in members:
        for gap, own in member.extras:
            by_place.setdefault((gap, member.blocks[own].kind), []).append((member, own))
    for (gap, _kind), found in sorted(by_place.items(), key=lambda item: item[0]):
        holders = {id(member) for member, _ in found}
        count = len(holders)
        if judge.reference is not None:
            peers = total - 2  # the other translations
            if peers and (count - 1) * 2 > peers:
                continue  # most other translations have it too: the source changed, not them
            verdict = "the source locale does not have it"
        elif count * 2 < total:
            verdict = f"only {count} of {total} locales have it"
        else:
            if count * 2 > total:
                first_member, first_own = found[0]
                block = first_member.blocks[first_own]
                for member in members:
                    if id(member) not in holders:
                        yield _missing(ctx, member, gap, block, f"{count} of {total} locales have it", members, before=True)
            continue
        for member, own in found:
            yield _extra(ctx, member, member.blocks[own], gap, verdict, members)


def _held_nearby(ctx: Context, member: Member, index: int, pivot_blocks: list[Block]) -> bool:
    """Does a neighbouring block of this member hold the text of pivot block `index`, which it
    lacks? A paragraph joined to the one before, written right under a table (GFM reads it as
    one more row), or split off as a list item is not lost: its tokens and its length went to
    the neighbour, and the neighbour's own finding (B013 rows, B009/B012 extra) says what
    happened. A list item is left to B012: a lost item marker merges two steps the reader sees."""
    lost = pivot_blocks[index]
    if lost.kind == ITEM or not lost.content.strip():
        return False
    wanted = fingerprint(ctx.features, lost)
    ratio = _length_ratio(member, pivot_blocks, (index - 1, index + 1))
    expected = ratio * len(lost.content)
    neighbours = [(member.matched[at], pivot_blocks[at]) for at in (index - 1, index + 1)
                  if 0 <= at < len(pivot_blocks) and member.matched[at] is not None]
    neighbours += [(own, None) for gap, own in member.extras if gap in (index, index + 1)]
    for own, counterpart in neighbours:
        block = member.blocks[own]
        held = fingerprint(ctx.features, block)
        accounted = fingerprint(ctx.features, counterpart) if counterpart is not None else frozenset()
        surplus = len(block.content) - (ratio * len(counterpart.content) if counterpart is not None else 0.0)
        distinctive = wanted - accounted
        if distinctive:
            # The lost block's own tokens (those its neighbour's counterpart lacks) are there.
            found = len(distinctive & held) * 2 >= len(distinctive) and surplus >= 0.5 * expected
        elif counterpart is None:
            # An unpaired block in its place, of another kind (a paragraph split off as an item).
            found = len(block.content) >= 0.5 * expected
        else:
            # No token to go by: a neighbour clearly longer than its counterpart, by about the lost block.
            found = _longer_by(len(block.content), ratio * len(counterpart.content), expected)
        if found:
            return True
    return False


def _length_ratio(member: Member, pivot_blocks: list[Block], besides: tuple[int, ...]) -> float:
    """How much longer this member writes than the pivot, over its paired blocks but those
    `besides` (the neighbours being weighed, whose length is in question); 1.0 with none."""
    own = theirs = 0
    for index, at in enumerate(member.matched):
        if at is not None and index not in besides:
            own += len(member.blocks[at].content)
            theirs += len(pivot_blocks[index].content)
    return own / theirs if own and theirs else 1.0


def _longer_by(own: float, expected: float, lost: float) -> bool:
    """Is a block of length `own`, where `expected` was due, about as long as that plus `lost`
    (three quarters of it, as block lengths vary between languages) and clearly longer than
    `expected` alone (by 30%: a short lost block beside a long neighbour is no evidence)?"""
    return own >= 0.75 * (expected + lost) and own >= 1.3 * expected


def _mostly_apart(member: Member, pivot_count: int) -> bool:
    if member.pivot or pivot_count < 4:
        return False
    paired = sum(own is not None for own in member.matched)
    return paired * 2 < max(pivot_count, len(member.blocks))


def _missing(ctx: Context, member: Member, index: int, block: Block, verdict: str, members: list[Member],
             before: bool = False) -> Diagnostic:
    """A block this member lacks, reported right after the member's nearest earlier block.

    `index` is the block's pivot position, or with `before` the gap before pivot block `index`
    (a block most members have and the pivot lacks).
    """
    variant = member.variant
    last = index if before else index - 1
    previous = next((member.matched[i] for i in range(min(last, len(member.matched) - 1), -1, -1)
                     if member.matched[i] is not None), None)
    if previous is not None:
        offset = member.blocks[previous].end
    else:
        offset = member.blocks[0].start if member.blocks else variant.front_matter_end
    excerpt = _excerpt(block)
    subject = f"{block.kind}:{index}"
    if block.kind == ITEM and ctx.enabled("B012"):
        lengths = None if before else _list_lengths(member, index, members)
        if lengths:
            own, expected = lengths
            message = f"list has {own} items where {verdict.removesuffix(' it')} {expected}: an item{excerpt} is missing here"
        else:
            message = f"list item{excerpt} is missing here; {verdict}"
        return ctx.diagnostic(variant, "B012", message, offset, subject=subject)
    return ctx.diagnostic(variant, "B008", f"{block.label}{excerpt} is missing here; {verdict}", offset, subject=subject)


def _extra(ctx: Context, member: Member, block: Block, index: int, verdict: str, members: list[Member]) -> Diagnostic:
    code = "B012" if block.kind == ITEM and ctx.enabled("B012") else "B009"
    return ctx.diagnostic(member.variant, code, f"{block.label}{_excerpt(block)} is extra; {verdict}",
                          block.start, block.end, subject=f"{block.kind}:+{index}")


def _excerpt(block: Block) -> str:
    text = " ".join(block.text.split())
    return f" (`{short(text, 50)}`)" if text else ""


def _list_lengths(member: Member, index: int, members: list[Member]) -> tuple[int, int] | None:
    """This member's length of the list that pivot item `index` belongs to, and the most common
    length among the members that have that item."""
    pivot = _pivot_member(members)
    list_id = pivot.blocks[index].list_id
    same_list = [i for i, block in enumerate(pivot.blocks) if block.kind == ITEM and block.list_id == list_id]

    def length(owner: Member) -> int | None:
        ids = Counter(owner.blocks[own].list_id for i in same_list if (own := owner.matched[i]) is not None)
        if not ids:
            return None
        own_id = ids.most_common(1)[0][0]
        return sum(1 for block in owner.blocks if block.kind == ITEM and block.list_id == own_id)

    own = length(member)
    others = Counter(value for other in members if other.matched[index] is not None and (value := length(other)) is not None)
    if own is None or not others:
        return None
    return own, others.most_common(1)[0][0]


def _pivot_member(members: list[Member]) -> Member:
    """The pivot: the member aligned with itself (it is built with no extras and every block matched)."""
    return next(member for member in members if member.pivot)


# --- per aligned block ---------------------------------------------------------------------


def _column(ctx: Context, index: int, pivot_block: Block, column: list[Member], judge: _BlockJudge) -> Iterator[Diagnostic]:
    subject = f"{pivot_block.kind}:{index}"
    if ctx.enabled("B010"):
        yield from _forms(ctx, index, column, judge, subject)
    if pivot_block.kind == ITEM and ctx.enabled("B012"):
        yield from _doubled_markers(ctx, index, column, judge, subject)
    if pivot_block.kind == CODE and ctx.enabled("B011"):
        yield from _code(ctx, index, column, judge, subject)
    if pivot_block.kind == TABLE and ctx.enabled("B013"):
        values = [(member, (member.own(index).columns, member.own(index).rows)) for member in column]
        for member, expected, who in judge.deviants(values):
            block = member.own(index)
            message = (f"table has {plural(block.columns, 'column')} and {plural(block.rows, 'row')}, {who} "
                       f"{plural(expected[0], 'column')} and {plural(expected[1], 'row')}")
            yield ctx.diagnostic(member.variant, "B013", message, block.start, block.end, subject=subject)


# Two list markers of one type opening a line (`1. 1. `, `- - `), after any quote or indentation.
_DOUBLED = re.compile(r"[ \t>]*(?:\d{1,9}[.)][ \t]+\d{1,9}[.)]|[-*+][ \t]+[-*+])[ \t]+")


def _doubled(member: Member, index: int) -> tuple[str, int]:
    """The doubled list marker this member's item `index` opens with (`1. 1.`) and its offset,
    or ('', -1)."""
    block = member.own(index)
    if block.container[-2:] not in (("ol", "ol"), ("ul", "ul")):
        return "", -1
    text = member.variant.text
    line_start = member.variant.lines.line_span(member.variant.position(block.start)[0])[0]
    found = _DOUBLED.fullmatch(text, line_start, block.start)
    if not found:
        return "", -1
    marker = found.group().strip(" \t>")
    return marker, text.index(marker, line_start)


def _doubled_markers(ctx: Context, index: int, column: list[Member], judge: _BlockJudge, subject: str) -> Iterator[Diagnostic]:
    """B012, once per item: a marker written twice (`1. 1. Step`) nests a one-item list inside the
    item, so the step is indented and numbered apart. The nesting is the cause of whatever else
    differs there (the list's length, the item's depth), so this is the one finding. Markers of
    two types (`- 7. April`) are B010's: a number read as a marker."""
    doubled = {id(member): _doubled(member, index) for member in column}
    values = [(member, bool(doubled[id(member)][0])) for member in column]
    for member, expected, who in judge.deviants(values):
        marker, start = doubled[id(member)]
        if not marker or expected:
            continue
        message = (f"list item opens with two list markers (`{marker}`), which nests a list of one item "
                   f"inside it; {who} one marker there")
        yield ctx.diagnostic(member.variant, "B012", message, start, start + len(marker), subject=subject)


def _alert(block: Block) -> str:
    return next((part for part in block.container if part.startswith("alert:")), "")


def _code(ctx: Context, index: int, column: list[Member], judge: _BlockJudge, subject: str) -> Iterator[Diagnostic]:
    values = [(member, member.own(index).text) for member in column]
    for member, expected, who in judge.deviants(values):
        block = member.own(index)
        line_no, own_line, other_line = _first_difference(block.text, str(expected))
        variant = member.variant
        line, _ = variant.position(block.start)
        # The block starts at its fence; its content starts on the next line.
        target_line = min(line + line_no + (1 if block.form.startswith("fence") else 0), variant.lines.line_count)
        start, end = variant.lines.line_span(target_line)
        message = (f"code block differs from the one {who}: line {line_no + 1} is `{short(own_line.strip(), 50)}`, "
                   f"not `{short(other_line.strip(), 50)}`; code is never translated")
        yield ctx.diagnostic(variant, "B011", message, start, end, subject=subject)


def _first_difference(left: str, right: str) -> tuple[int, str, str]:
    own, other = left.split("\n"), right.split("\n")
    for number, (a, b) in enumerate(zip(own, other)):
        if a != b:
            return number, a, b
    number = min(len(own), len(other))
    return number, own[number] if number < len(own) else "", other[number] if number < len(other) else ""


def _aspects(block: Block) -> dict[str, str]:
    """The parts of a block's form that no translation changes, each judged on its own."""
    aspects = {"alert": _alert(block)[6:]}
    if block.kind == "heading":
        level, _, anchors = block.form.partition("#")
        aspects["level"] = level[1:]
        aspects["anchor"] = anchors
    elif block.kind == ITEM:
        aspects["list"] = block.form
    elif block.kind == CODE:
        aspects["fence"] = block.form
    return aspects


def _show_aspect(aspect: str, value: str) -> str:
    if aspect == "level":
        return f"level {value}"
    if aspect == "list":
        return "numbered" if value == "ol" else "bulleted"
    if aspect == "fence":
        if value == "indented":
            return "indented"
        language = value.partition(":")[2]
        return f"fenced as `{language}`" if language else "fenced with no language"
    if aspect == "anchor":
        return "`" + value.replace("#", "`, `") + "`" if value else "none"
    return value or "none"


_ASPECT_NOUN = {"level": "heading level", "anchor": "heading anchor", "list": "list item",
                "fence": "code block", "alert": "alert type"}


def _forms(ctx: Context, index: int, column: list[Member], judge: _BlockJudge, subject: str) -> Iterator[Diagnostic]:
    aspects = {id(member): _aspects(member.own(index)) for member in column}
    names = list(aspects[id(column[0])])
    for name in names:
        values = [(member, aspects[id(member)].get(name, "")) for member in column]
        for member, expected, who in judge.deviants(values):
            block = member.own(index)
            own = aspects[id(member)].get(name, "")
            noun = _ASPECT_NOUN[name]
            message = f"{noun} is {_show_aspect(name, own)}, {who} {_show_aspect(name, str(expected))}"
            start = block.start
            if name == "list" and own == "ol" and block.marker:
                # Usually a date or number at the start of a bulleted item (`- 7. April`).
                marker = block.marker.strip()
                line_start = member.variant.lines.line_span(member.variant.position(block.start)[0])[0]
                found = member.variant.text.rfind(marker, line_start, block.start)
                start = found if found >= 0 else start
                message += f": `{marker}` at the start of an item begins a numbered list; escape it as `{marker[:-1]}\\{marker[-1]}`"
            yield ctx.diagnostic(member.variant, "B010", message, start, block.end, subject=subject)
