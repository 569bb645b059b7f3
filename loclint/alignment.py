"""Plain translated Markdown aligned block by block: which block of each variant stands for which
block of the source (or, without one, of the pivot variant).

Variants without bilingual segments are split into blocks (see `loclint/markdown.py`) and grouped
into cohorts of one source version. In each cohort, the source-locale variant when it is present,
else one variant of the consensus shape, is the pivot; every other variant's blocks are paired with
the pivot's by one dynamic-programming pass (blocks pair only with blocks of the same kind, scored
by the language-neutral tokens they share and by length), so a block missing or added in one
variant is one gap where it belongs, not a cascade of misaligned comparisons after it.

`loclint/columns.py` turns the aligned blocks into comparison columns; `checks/blocks.py` reports
the gaps and what only blocks have (form, code blocks, list lengths, table shapes).

Each cohort also knows the blocks of the other source versions that stand for its pivot's
(`Cohort.outside`): the other cohorts through their pivots, and a variant alone in its version
directly. Text is judged within its version, but a URL or code span rarely changes between
versions, and its evidence is every locale that holds it, whatever its cohort (rules/evidence.yaml).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from loclint.markdown import CODE, IMAGE, INCLUDE, PARAGRAPH, Block, parse_blocks
from loclint.model import Group, Variant
from loclint.reference import canonical
from loclint.tokens import TextFeatures

_BAND = 12  # how far (in blocks, beyond the length difference) an alignment may drift
# Kinds that pair with each other: a damaged image or include line is read as a paragraph, and is
# then best compared with the image it should be (B005, P002) than reported missing and extra.
_FAMILY = {IMAGE: PARAGRAPH, INCLUDE: PARAGRAPH}


@dataclass
class Member:
    """One variant of a cohort, its blocks and how they pair with the pivot's."""

    variant: Variant
    blocks: list[Block]
    matched: list[int | None]  # pivot index -> this member's block index
    extras: list[tuple[int, int]]  # (gap: pivot blocks before it, own block index) of unpaired blocks
    pivot: bool = False

    def own(self, index: int) -> Block:
        """This member's block paired with pivot block `index` (which must be paired)."""
        return self.blocks[self.matched[index]]

    def disturbed(self, index: int) -> bool:
        """Did this member merge or split blocks next to `index` (a missing or extra neighbour)?
        Then counts in the block legitimately differ, and the structural finding already says why."""
        for neighbour in (index - 1, index + 1):
            if 0 <= neighbour < len(self.matched) and self.matched[neighbour] is None:
                return True
        return any(gap in (index, index + 1) for gap, _ in self.extras)

    def nearby_text(self, index: int) -> str:
        """The block at `index` plus its unpaired neighbours: where a moved token may have gone."""
        texts = [self.own(index).text]  # with an item's number: `- 7. April` keeps its 7
        texts.extend(self.blocks[extra].content for gap, extra in self.extras if gap in (index, index + 1))
        return "\n".join(texts)


@dataclass(frozen=True, slots=True)
class Outside:
    """A variant of another source version, its blocks paired with a cohort's pivot blocks."""

    variant: Variant
    version: int  # which other version: the same number for the members of one other cohort
    blocks: list[Block]
    matched: list[int | None]  # the cohort's pivot index -> this variant's block index
    source: bool  # the source-locale variant: it says what its version's source holds, it is no translation

    def block(self, index: int) -> Block | None:
        at = self.matched[index]
        return self.blocks[at] if at is not None else None


@dataclass
class Cohort:
    """Variants translated from one source version, aligned on the pivot's blocks."""

    members: list[Member]
    reference: Variant | None  # the source-locale variant, when it joins this cohort (it is the pivot)
    outside: list[Outside] = field(default_factory=list)  # the group's other plain variants, paired with the pivot

    @property
    def pivot(self) -> Member:
        return next(member for member in self.members if member.pivot)


Features = Callable[[str], TextFeatures]


def align_group(group: Group, comparable: list[Variant], features: Features) -> list[Cohort]:
    """The aligned cohorts of a group's plain variants (none when fewer than two are plain)."""
    plain = [variant for variant in comparable if not variant.segments and variant.lines is not None]
    if len(plain) < 2:
        return []
    parsed = {id(variant): parse_blocks(variant.text, variant.front_matter_end, variant.lines) for variant in plain}
    cohorts = [_align_cohort(cohort, reference, parsed, features)
               for cohort, reference in _cohorts(group, plain, parsed, features)]
    if cohorts:
        _pair_across_versions(cohorts, plain, parsed, group.reference, features)
    return cohorts


def _pair_across_versions(cohorts: list[Cohort], plain: list[Variant], parsed: dict[int, list[Block]],
                          reference: Variant | None, features: Features) -> None:
    """Give every cohort the other plain variants' blocks paired with its pivot's: another cohort's
    members through one alignment of the two pivots, a variant alone in its version directly."""
    inside = {id(member.variant) for cohort in cohorts for member in cohort.members}
    alone = [variant for variant in plain if id(variant) not in inside]
    for cohort in cohorts:
        pivot = cohort.pivot
        version = 0
        for other in cohorts:
            if other is cohort:
                continue
            version += 1
            other_pivot = other.pivot
            # The other pivot's block index for each of this pivot's blocks.
            bridge = align_blocks(features, pivot.blocks, other_pivot.blocks, other_pivot.variant).matched
            for member in other.members:
                matched = [member.matched[at] if at is not None else None for at in bridge]
                cohort.outside.append(Outside(member.variant, version, member.blocks, matched,
                                              member.variant is other.reference))
        for variant in alone:
            version += 1
            blocks = parsed[id(variant)]
            matched = align_blocks(features, pivot.blocks, blocks, variant).matched
            cohort.outside.append(Outside(variant, version, blocks, matched, variant is reference))


def _cohorts(group: Group, plain: list[Variant], parsed: dict[int, list[Block]],
             features: Features) -> list[tuple[list[Variant], Variant | None]]:
    """Variants translated from the same source version, each with the reference if it joins them.

    A translation of an older source differs in structure for a good reason that M002 already
    reports. The reference joins the cohort of its own `ms.sourcegitcommit`, or, when it has none
    (a source file does not name its own commit), the version whose translations hold most of
    what its blocks hold (`_closest_version`).
    """
    reference = next((variant for variant in plain if variant is group.reference), None)
    by_commit: dict[Hashable, list[Variant]] = {}
    for variant in plain:
        if variant is not reference:
            by_commit.setdefault(canonical(variant.meta("ms.sourcegitcommit")), []).append(variant)
    cohorts = sorted(by_commit.items(), key=lambda item: -len(item[1]))
    joined = None
    if reference is not None:
        own = canonical(reference.meta("ms.sourcegitcommit"))
        if own in by_commit:
            joined = own
        elif own == "" and cohorts:
            joined = _closest_version(reference, cohorts, parsed, features)
    result = []
    for commit, members in cohorts:
        if commit == joined:
            result.append(([reference, *members], reference))
        elif len(members) >= 2:
            result.append((members, None))
    if reference is not None and joined is None and not result:
        result.append((plain, reference))  # no cohort of its version: judge every translation by it
    return result


def _closest_version(reference: Variant, cohorts: list[tuple[Hashable, list[Variant]]],
                     parsed: dict[int, list[Block]], features: Features) -> Hashable:
    """The commit whose translations are closest to the reference's text, by the language-neutral
    tokens of their blocks (numbers, URLs, code, acronyms): a source edit changes those, and a
    translation of that version follows it. Each version counts by its mean translation, so a
    large cohort of an older version does not outweigh a small one of the reference's own; on a
    tie, the larger cohort (the first of `cohorts`, sorted by size)."""
    own = _token_bag(parsed[id(reference)], features)

    def closeness(members: list[Variant]) -> float:
        return sum(_overlap(own, _token_bag(parsed[id(variant)], features)) for variant in members) / len(members)

    if len(cohorts) == 1:
        return cohorts[0][0]
    scores = [closeness(members) for _, members in cohorts]
    best = max(scores)
    return next(commit for (commit, _), score in zip(cohorts, scores) if score >= best - 1e-9)


def _token_bag(blocks: list[Block], features: Features) -> Counter:
    return Counter(token for block in blocks for token in fingerprint(features, block))


def _overlap(left: Counter, right: Counter) -> float:
    """Weighted Jaccard similarity of two bags (1.0 for two empty ones)."""
    union = sum((left | right).values())
    return sum((left & right).values()) / union if union else 1.0


def _align_cohort(cohort: list[Variant], reference: Variant | None, parsed: dict[int, list[Block]],
                  features: Features) -> Cohort:
    pivot = reference or _pivot(cohort, parsed)
    pivot_blocks = parsed[id(pivot)]
    members = []
    for variant in cohort:
        blocks = parsed[id(variant)]
        if variant is pivot:
            members.append(Member(variant, blocks, list(range(len(blocks))), [], pivot=True))
        else:
            members.append(align_blocks(features, pivot_blocks, blocks, variant))
    return Cohort(members, reference)


def _pivot(cohort: list[Variant], parsed: dict[int, list[Block]]) -> Variant:
    """The variant whose sequence of block kinds is the most common (the first on a tie)."""
    shapes = {id(variant): tuple(block.kind for block in parsed[id(variant)]) for variant in cohort}
    counts = Counter(shapes.values())
    return max(cohort, key=lambda variant: counts[shapes[id(variant)]])


def fingerprint(features: Features, block: Block) -> frozenset:
    """What a block holds that no translation changes: its numbers, URLs, code, acronyms..."""
    if block.kind == CODE:
        return frozenset({("code-block", block.text)})
    return frozenset((token.kind, token.norm) for token in features(block.content).tokens)


def align_blocks(features: Features, pivot_blocks: list[Block], blocks: list[Block], variant: Variant) -> Member:
    """Pair `blocks` with `pivot_blocks` in order, maximising the evidence that pairs belong together."""
    n, m = len(pivot_blocks), len(blocks)
    # How much longer this language writes than the pivot's, from the median block (robust to an extra one).
    ratio = _median_length(blocks) / _median_length(pivot_blocks)
    left = [fingerprint(features, block) for block in pivot_blocks]
    right = [fingerprint(features, block) for block in blocks]
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
    return Member(variant, blocks, matched, extras)


def _median_length(blocks: list[Block]) -> float:
    lengths = sorted(len(block.content) for block in blocks if block.content)
    return float(lengths[len(lengths) // 2]) if lengths else 1.0
