"""B and P for plain translated Markdown: variants without bilingual segments are split into
blocks (see `loclint/markdown.py`), the blocks of each variant are aligned with the reference's,
and each aligned block is checked like a segment, with the reference's block as its source.

The reference is the `source-locale` variant when it is present; otherwise one variant of the
consensus shape serves as the pivot of the alignment and every verdict is the majority's, so the
pivot is judged like any other variant. Alignment is one dynamic-programming pass per variant
(blocks pair only with blocks of the same kind, scored by the language-neutral tokens they share
and by length), so a block missing or added in one variant is one finding where it belongs, not
a cascade of misaligned comparisons after it.

The same defect classes keep their codes (B001-B005, P001-P008); B008-B013 are the structural
ones that only plain files have: a block missing or extra, a block's form, code blocks, list
lengths and table shapes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from loclint import evidence
from loclint.checks.context import Context
from loclint.checks.markup import _SEGMENT_CHECKS, emphasis_kept, emphasis_lost
from loclint.checks.placeholders import _NOUN, CODE_BY_KIND, _distinct, _keeps, _recased_in, _short, approved_form, count_kept, kept_candidate, spelled_out
from loclint.markdown import (
    CODE,
    IMAGE,
    INCLUDE,
    ITEM,
    PARAGRAPH,
    TABLE,
    Block,
    parse_blocks,
)
from loclint.model import Diagnostic, Variant
from loclint.reference import canonical, consensus, peers_keep
from loclint.tokens import STRICT_KINDS, Token

CODES = ("B008", "B009", "B010", "B011", "B012", "B013")
_MARKUP_CODES = tuple(_SEGMENT_CHECKS)  # B001-B005
_ALL = (*CODES, *_MARKUP_CODES, *CODE_BY_KIND.values())
_BAND = 12  # how far (in blocks, beyond the length difference) an alignment may drift
# Kinds that pair with each other: a damaged image or include line is read as a paragraph, and is
# then best compared with the image it should be (B005, P002) than reported missing and extra.
_FAMILY = {IMAGE: PARAGRAPH, INCLUDE: PARAGRAPH}


@dataclass
class _Member:
    variant: Variant
    blocks: list[Block]
    matched: list[int | None]  # pivot index -> this member's block index
    extras: list[tuple[int, int]]  # (gap: pivot blocks before it, own block index) of unpaired blocks
    pivot: bool = False


def check(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.enabled(*_ALL):
        return
    plain = [variant for variant in ctx.comparable if not variant.segments and variant.lines is not None]
    if len(plain) < 2:
        return
    for cohort, reference in _cohorts(ctx, plain):
        yield from _check_cohort(ctx, cohort, reference)


def _cohorts(ctx: Context, plain: list[Variant]) -> list[tuple[list[Variant], Variant | None]]:
    """Variants translated from the same source version, each with the reference if it joins them.

    A translation of an older source differs in structure for a good reason that M002 already
    reports. The reference joins the cohort of its own `ms.sourcegitcommit`, or, when it has none
    (a source file does not name its own commit), the largest cohort of translations.
    """
    reference = next((variant for variant in plain if variant is ctx.group.reference), None)
    by_commit: dict[Hashable, list[Variant]] = {}
    for variant in plain:
        if variant is not reference:
            by_commit.setdefault(canonical(variant.meta("ms.sourcegitcommit")), []).append(variant)
    cohorts = sorted(by_commit.items(), key=lambda item: -len(item[1]))
    joined = None
    if reference is not None:
        own = canonical(reference.meta("ms.sourcegitcommit"))
        joined = own if own in by_commit else (cohorts[0][0] if cohorts and own == "" else None)
    result = []
    for commit, members in cohorts:
        if commit == joined:
            result.append(([reference, *members], reference))
        elif len(members) >= 2:
            result.append((members, None))
    if reference is not None and joined is None and not result:
        result.append((plain, reference))  # no cohort of its version: judge every translation by it
    return result


def _check_cohort(ctx: Context, cohort: list[Variant], reference: Variant | None) -> Iterator[Diagnostic]:
    parsed = {id(variant): parse_blocks(variant.text, variant.front_matter_end, variant.lines) for variant in cohort}
    pivot = reference or _pivot(cohort, parsed)
    pivot_blocks = parsed[id(pivot)]
    members = []
    for variant in cohort:
        blocks = parsed[id(variant)]
        if variant is pivot:
            members.append(_Member(variant, blocks, list(range(len(blocks))), [], pivot=True))
        else:
            members.append(_align(ctx, pivot_blocks, blocks, variant))
    judge = _Judge(reference)
    yield from _presence(ctx, pivot_blocks, members, judge)
    for index, block in enumerate(pivot_blocks):
        column = [(member, member.blocks[own]) for member in members if (own := member.matched[index]) is not None]
        if len(column) >= 2:
            yield from _column(ctx, index, block, column, judge)


def _pivot(cohort: list[Variant], parsed: dict[int, list[Block]]) -> Variant:
    """The variant whose sequence of block kinds is the most common (the first on a tie)."""
    shapes = {id(variant): tuple(block.kind for block in parsed[id(variant)]) for variant in cohort}
    counts = Counter(shapes.values())
    return max(cohort, key=lambda variant: counts[shapes[id(variant)]])


class _Judge:
    """Who deviates among the holders of one value each: the reference decides, else the majority."""

    def __init__(self, reference: Variant | None) -> None:
        self.reference = reference

    def deviants(self, values: list[tuple[_Member, Hashable]]) -> Iterator[tuple[_Member, Hashable, str]]:
        """(member, the value expected of it, who says so) for each member that departs."""
        ref = next((value for member, value in values if member.variant is self.reference), None)
        if self.reference is not None and any(member.variant is self.reference for member, _ in values):
            others = [(member, value) for member, value in values if member.variant is not self.reference]
            kept = sum(value == ref for _, value in others)
            peers = len(others) - 1
            for member, value in others:
                if value != ref and peers_keep(kept, peers, strict=True):
                    yield member, ref, "the source locale has"
            return
        verdict = consensus(value for _, value in values)
        if verdict is None or not verdict.majority:
            return
        for member, value in values:
            if value != verdict.expected:
                yield member, verdict.expected, f"{verdict.agree} of {verdict.total} locales have"


# --- alignment -----------------------------------------------------------------------------


def _fingerprint(ctx: Context, block: Block) -> frozenset:
    """What a block holds that no translation changes: its numbers, URLs, code, acronyms..."""
    if block.kind == CODE:
        return frozenset({("code-block", block.text)})
    return frozenset((token.kind, token.norm) for token in ctx.features(block.content).tokens)


def _align(ctx: Context, pivot_blocks: list[Block], blocks: list[Block], variant: Variant) -> _Member:
    """Pair `blocks` with `pivot_blocks` in order, maximising the evidence that pairs belong together."""
    n, m = len(pivot_blocks), len(blocks)
    # How much longer this language writes than the pivot's, from the median block (robust to an extra one).
    ratio = _median_length(blocks) / _median_length(pivot_blocks)
    left = [_fingerprint(ctx, block) for block in pivot_blocks]
    right = [_fingerprint(ctx, block) for block in blocks]
    band = abs(n - m) + _BAND

    def score(i: int, j: int) -> float:
        a, b = pivot_blocks[i], blocks[j]
        if _FAMILY.get(a.kind, a.kind) != _FAMILY.get(b.kind, b.kind):
            return -1.0
        shared = len(left[i] & right[j]) / len(left[i] | right[j]) if left[i] or right[j] else 0.5
        expected, own = len(a.content) * ratio, len(b.content)
        length = min(expected, own) / max(expected, own) if expected and own else 0.5
        same_form = 0.25 if a.kind == b.kind and a.form == b.form and a.container == b.container else 0.0
        # The last term only breaks ties: with nothing else to go by, pair early blocks and put the gap last.
        return 1.0 + shared + 0.3 * length + same_form + 0.001 * ((n - i) + (m - j))

    # best[i][j]: the best total score pairing pivot_blocks[:i] with blocks[:j].
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 1 pair, 2 skip a pivot block, 3 skip own block
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(max(0, i - band), min(m, i + band) + 1):
            here = best[i][j]
            if here == neg:
                continue
            if i < n and j < m:
                gain = score(i, j)
                if gain > 0 and here + gain > best[i + 1][j + 1]:
                    best[i + 1][j + 1], move[i + 1][j + 1] = here + gain, 1
            if i < n and here > best[i + 1][j]:
                best[i + 1][j], move[i + 1][j] = here, 2
            if j < m and here > best[i][j + 1]:
                best[i][j + 1], move[i][j + 1] = here, 3
    matched: list[int | None] = [None] * n
    extras: list[tuple[int, int]] = []
    i, j = n, m
    while i or j:
        step = move[i][j]
        if step == 1:
            i, j = i - 1, j - 1
            matched[i] = j
        elif step == 2:
            i -= 1
        else:
            j -= 1
            extras.append((i, j))
    extras.reverse()
    return _Member(variant, blocks, matched, extras)


def _median_length(blocks: list[Block]) -> float:
    lengths = sorted(len(block.content) for block in blocks if block.content)
    return float(lengths[len(lengths) // 2]) if lengths else 1.0


# --- missing and extra blocks --------------------------------------------------------------


def _presence(ctx: Context, pivot_blocks: list[Block], members: list[_Member], judge: _Judge) -> Iterator[Diagnostic]:
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
                yield _missing(ctx, member, index, block, "the source locale has it", members)
        elif len(holders) * 2 > total:
            for member in lacking:
                yield _missing(ctx, member, index, block, f"{len(holders)} of {total} locales have it", members)
        elif len(holders) * 2 < total:
            for member in holders:
                own = member.blocks[member.matched[index]]
                yield _extra(ctx, member, own, index, f"only {len(holders)} of {total} locales have it", members)
    # Blocks that paired with nothing in the pivot: extra where few have one, missing from the pivot where most do.
    by_place: dict[tuple[int, str], list[tuple[_Member, int]]] = {}
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


def _mostly_apart(member: _Member, pivot_count: int) -> bool:
    if member.pivot or pivot_count < 4:
        return False
    paired = sum(own is not None for own in member.matched)
    return paired * 2 < max(pivot_count, len(member.blocks))


def _missing(ctx: Context, member: _Member, index: int, block: Block, verdict: str, members: list[_Member],
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


def _extra(ctx: Context, member: _Member, block: Block, index: int, verdict: str, members: list[_Member]) -> Diagnostic:
    code = "B012" if block.kind == ITEM and ctx.enabled("B012") else "B009"
    return ctx.diagnostic(member.variant, code, f"{block.label}{_excerpt(block)} is extra; {verdict}",
                          block.start, block.end, subject=f"{block.kind}:+{index}")


def _excerpt(block: Block) -> str:
    text = " ".join(block.text.split())
    return f" (`{_short(text, 50)}`)" if text else ""


def _list_lengths(member: _Member, index: int, members: list[_Member]) -> tuple[int, int] | None:
    """This member's length of the list that pivot item `index` belongs to, and the most common
    length among the members that have that item."""
    pivot = _pivot_member(members)
    list_id = pivot.blocks[index].list_id
    same_list = [i for i, block in enumerate(pivot.blocks) if block.kind == ITEM and block.list_id == list_id]

    def length(owner: _Member) -> int | None:
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


def _pivot_member(members: list[_Member]) -> _Member:
    """The pivot: the member aligned with itself (it is built with no extras and every block matched)."""
    return next(member for member in members if member.pivot)


# --- per aligned block ---------------------------------------------------------------------


def _column(ctx: Context, index: int, pivot_block: Block, column: list[tuple[_Member, Block]],
            judge: _Judge) -> Iterator[Diagnostic]:
    subject = f"{pivot_block.kind}:{index}"
    kind = pivot_block.kind
    if ctx.enabled("B010"):
        yield from _forms(ctx, index, column, judge, subject)
    if kind == CODE:
        if ctx.enabled("B011"):
            yield from _code(ctx, index, column, judge, subject)
        return
    if kind == TABLE and ctx.enabled("B013"):
        values = [(member, (block.columns, block.rows)) for member, block in column]
        for member, expected, who in judge.deviants(values):
            block = _own(member, index)
            message = (f"table has {block.columns} columns and {block.rows} rows, {who} "
                       f"{expected[0]} columns and {expected[1]} rows")
            yield ctx.diagnostic(member.variant, "B013", message, block.start, block.end, subject=subject)
    steady = [(member, block) for member, block in column if not _disturbed(member, index)]
    for code in _MARKUP_CODES:
        if not ctx.enabled(code):
            continue
        measure, describe, noun = _SEGMENT_CHECKS[code]
        measured = {id(member): measure(ctx.features(block.content)) for member, block in steady}
        values = [(member, _freeze(measured[id(member)])) for member, _ in steady]
        originals = {frozen: measured[id(member)] for member, frozen in values}
        # The blocks that hold each value: the reference's alone when it is there to judge.
        by_reference = any(member.variant is judge.reference for member, _ in steady)
        texts: dict[Hashable, list[str]] = {}
        for (member, frozen), (_, block) in zip(values, steady):
            if not by_reference or member.variant is judge.reference:
                texts.setdefault(frozen, []).append(block.content)
        for member, expected, who in judge.deviants(values):
            block = _own(member, index)
            if code == "B002" and not _emphasis_worse(block.content, texts[expected], by_reference):
                continue
            if code == "B014" and measured[id(member)] < originals[expected]:
                continue  # link text the others lack, this block has: no loss
            message = f"{block.label} has {noun} {describe(measured[id(member)])}, {who} {describe(originals[expected])}"
            yield ctx.diagnostic(member.variant, code, message, block.start, block.end, subject=subject)
    yield from _tokens(ctx, index, column, judge, subject)


def _emphasis_worse(own: str, expected: list[str], by_reference: bool) -> bool:
    """Confirm a B002 count difference on the rendered emphasis (see checks/markup.py); `expected`
    holds the texts of the blocks whose counts the judge expects: the reference's, or the majority's."""
    if by_reference:
        return not emphasis_kept(expected[0], own)
    return emphasis_lost(own, expected)


def _own(member: _Member, index: int) -> Block:
    return member.blocks[member.matched[index]]


def _alert(block: Block) -> str:
    return next((part for part in block.container if part.startswith("alert:")), "")


def _disturbed(member: _Member, index: int) -> bool:
    """Did this member merge or split blocks next to `index` (a missing or extra neighbour)?
    Then counts in the block legitimately differ, and the structural finding already says why."""
    for neighbour in (index - 1, index + 1):
        if 0 <= neighbour < len(member.matched) and member.matched[neighbour] is None:
            return True
    return any(gap in (index, index + 1) for gap, _ in member.extras)


def _neighbourhood_text(member: _Member, index: int) -> str:
    """The member's block at `index` plus its unpaired neighbours: where a moved token may have gone."""
    own = member.matched[index]
    texts = [member.blocks[own].text]  # with an item's number: `- 7. April` keeps its 7
    texts.extend(member.blocks[extra].content for gap, extra in member.extras if gap in (index, index + 1))
    return "\n".join(texts)


def _freeze(value: object) -> Hashable:
    if isinstance(value, dict):  # markup counts (TextFeatures.tags, .emphasis)
        return tuple(sorted(value.items()))
    if isinstance(value, tuple):
        return tuple(_freeze(item) for item in value)
    return value  # type: ignore[return-value]


def _code(ctx: Context, index: int, column: list[tuple[_Member, Block]], judge: _Judge, subject: str) -> Iterator[Diagnostic]:
    values = [(member, block.text) for member, block in column]
    for member, expected, who in judge.deviants(values):
        block = _own(member, index)
        line_no, own_line, other_line = _first_difference(block.text, str(expected))
        variant = member.variant
        line, _ = variant.position(block.start)
        # The block starts at its fence; its content starts on the next line.
        target_line = min(line + line_no + (1 if block.form.startswith("fence") else 0), variant.lines.line_count)
        start, end = variant.lines.line_span(target_line)
        message = (f"code block differs from the one {who}: line {line_no + 1} is `{_short(own_line.strip(), 50)}`, "
                   f"not `{_short(other_line.strip(), 50)}`; code is never translated")
        yield ctx.diagnostic(variant, "B011", message, start, end, subject=subject)


def _first_difference(left: str, right: str) -> tuple[int, str, str]:
    own, other = left.split("\n"), right.split("\n")
    for number, (a, b) in enumerate(zip(own, other)):
        if a != b:
            return number, a, b
    number = min(len(own), len(other))
    return number, own[number] if number < len(own) else "", other[number] if number < len(other) else ""


def _tokens(ctx: Context, index: int, column: list[tuple[_Member, Block]], judge: _Judge, subject: str) -> Iterator[Diagnostic]:
    kinds = {kind for kind, code in CODE_BY_KIND.items() if ctx.enabled(code)}
    if not kinds:
        return
    reference = judge.reference
    if reference is not None:
        source = next((block for member, block in column if member.variant is reference), None)
        if source is None:
            return
        candidates = _distinct(ctx.features(source.content).tokens, kinds)
        judged = [(member, block) for member, block in column if member.variant is not reference]
    else:
        candidates = _distinct([t for _, block in column for t in ctx.features(block.content).tokens], kinds)
        judged = column
    total = len(judged)
    texts = {id(member): _neighbourhood_text(member, index) for member, _ in judged}
    for token in candidates:
        # The words of a small count (`1:1` as `bire bir`) keep it, as in bilingual segments.
        holder = next((block.content for _, block in column if ctx.features(block.content).has(token)), "")
        kept = [_keeps(ctx, texts[id(member)], token) or approved_form(ctx, member.variant.locale, token, texts[id(member)])
                for member, _ in judged]
        if reference is not None:  # with a source, every occurrence of a URL, code or placeholder counts
            kept = [ok and count_kept(ctx, source.content, block.content, token) for ok, (_, block) in zip(kept, judged)]
        holders = sum(kept)
        if token.kind == "number":  # a number written as a word is kept, but does not vouch for others
            kept = [ok or spelled_out(ctx, holder, texts[id(member)], token, member.variant.locale)
                    for ok, (member, _) in zip(kept, judged)]
        strict = token.kind in STRICT_KINDS
        if reference is not None:
            def reported(ok: bool) -> bool:
                return not ok and peers_keep(holders, total - 1, strict=strict)
            who = "the source locale has it"
        else:
            def reported(ok: bool) -> bool:
                return not ok and holders * 2 > total and (strict or peers_keep(holders, total - 1, strict=False))
            who = f"{holders} of {total} locales keep it"
        if token.kind == "acronym":
            for (member, _), ok in zip(judged, kept):
                ctx.acronym_usage.record(token.text, member.variant.locale, ok)
        for (member, block), ok in zip(judged, kept):
            if ok or (not reported(ok) and not (token.kind == "acronym" and _slip(ctx, token, block.content, _others(ctx, column, member)))):
                continue
            finding = _token_finding(ctx, member, block, token, column, who, subject)
            if token.kind == "acronym":
                others = [other.content for other_member, other in judged if other_member is not member]
                source_text = source.content if reference is not None else holder
                candidate = kept_candidate(ctx, token, source_text, block.content, others, holders, total - 1)
                ctx.deferred.append((candidate, member.variant.locale, finding))
            else:
                yield finding


def _slip(ctx: Context, token: Token, text: str, others: set[str]) -> bool:
    """A look-alike or re-cased form of a lost acronym in its place (`NOTSE`, an acronym of this
    block that no other block has): weighed even where the other locales translate it, for this
    locale's own usage to decide (see evidence.py)."""
    return _recased_in(token.text, text) is not None or any(
        t.kind == "acronym" and t.text not in others and evidence.looks_alike(token.text, t.text) for t in ctx.features(text).tokens)


def _others(ctx: Context, column: list[tuple[_Member, Block]], member: _Member) -> set[str]:
    """The acronyms the other blocks of the column hold."""
    return {t.text for other, block in column if other is not member for t in ctx.features(block.content).tokens if t.kind == "acronym"}


def _token_finding(ctx: Context, member: _Member, block: Block, token: Token, column, who: str, subject: str) -> Diagnostic:
    variant = member.variant
    others_present: set[str] = set()
    for other, other_block in column:
        if other is not member:
            others_present |= ctx.features(other_block.content).present.get(token.kind, set())
    replacement, best = None, 0.0
    for candidate in ctx.features(block.content).tokens:
        if candidate.kind == token.kind and candidate.norm not in others_present:
            score = fuzz.ratio(candidate.norm, token.norm)
            if score > best:
                replacement, best = candidate, score
    start, end = block.start, block.end
    if replacement is not None:
        found = variant.text.find(replacement.text, block.start, block.end)
        if found >= 0:
            start, end = found, found + len(replacement.text)
    noun = _NOUN.get(token.kind, token.kind)
    instead = f" (`{replacement.text}` instead?)" if replacement else ""
    message = f"{noun} `{_short(token.text)}` is missing in this {block.label}{instead}; {who}"
    return ctx.diagnostic(variant, CODE_BY_KIND[token.kind], message, start, end, subject=subject,
                          token=replacement.text if replacement else token.text)


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


def _forms(ctx: Context, index: int, column: list[tuple[_Member, Block]], judge: _Judge, subject: str) -> Iterator[Diagnostic]:
    aspects = {id(member): _aspects(block) for member, block in column}
    names = list(aspects[id(column[0][0])])
    for name in names:
        values = [(member, aspects[id(member)].get(name, "")) for member, _ in column]
        for member, expected, who in judge.deviants(values):
            block = _own(member, index)
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
