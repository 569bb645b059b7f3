"""A group as comparison columns, the one shape every parity rule reads, whatever the format.

A column is one unit of the source and each variant's matching unit:
- bilingual files: a segment key and its source text, with every variant that translated that
  same source text (segments align by id within a source-version cohort: the holders of one
  source text);
- plain Markdown: a block of the pivot (the source-locale variant when it is there, else one
  variant of the consensus shape) with each variant's block aligned to it (`loclint/alignment.py`).

A column knows its source text when there is one (a segment's own source, the source-locale
variant's block) and its judge (`reference.Judge`) decides who deviates: the source, else the
majority. The P, B001-B005, T and W rules are written once over columns; what only one format
has (the gaps between aligned blocks, a block's form, spans) stays in its format's check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from loclint.alignment import Cohort
from loclint.markdown import CODE, HEADING, TABLE, Block
from loclint.model import Segment, Variant
from loclint.reference import Judge

# Where a unit stands on its page, for the translation index (T004/T005).
HEADING_PLACE, TABLE_PLACE, TEXT_PLACE = "heading", "table", "text"


class Unit:
    """One variant's unit of a column: a segment's target (`SegmentUnit`), or an aligned block's
    text (`BlockUnit`). Both answer every attribute below; units compare by identity."""

    __slots__ = ()
    variant: Variant
    key: str  # the column's key: a segment key (`103`), or the pivot block's `kind:index`
    text: str  # what is compared: the segment's target, the block's content
    start: int  # offset in the file of text[0] (exact for segments; see `locate` for blocks)
    source: str | None  # the column's source text, when it has one
    segment: Segment | None
    block: Block | None
    nearby: str | None  # plain: the block with its unpaired neighbours (where a moved token went)
    steady: bool  # plain: no block is missing or extra next to this one

    @property
    def end(self) -> int:
        """The offset in the file just past the unit: worked out, not stored (a group of a million
        segments held a million more integers), from the block or, for a segment, its target."""
        return self.block.end if self.block is not None else self.start + len(self.text)

    @property
    def search_text(self) -> str:
        """Where a token of the source may be found: the unit, and for a block its unpaired neighbours."""
        return self.nearby if self.nearby is not None else self.text

    @property
    def label(self) -> str:
        """The unit's name in messages: `target` for a segment, the block's label (`list item`)."""
        return self.block.label if self.block is not None else "target"

    @property
    def place(self) -> str:
        if self.block is not None:
            return {HEADING: HEADING_PLACE, TABLE: TABLE_PLACE}.get(self.block.kind, TEXT_PLACE)
        text = self.variant.text
        at = self.segment.start if self.segment is not None else self.start
        line_start = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
        lead = text[line_start:at].lstrip()
        if lead.startswith("#"):
            return HEADING_PLACE
        return TABLE_PLACE if lead.startswith("|") else TEXT_PLACE

    def locate(self, start: int, end: int) -> tuple[int, int] | None:
        """The file offsets of `text[start:end]`, or None when the file does not hold it literally
        there (a block's text joins table cells and drops the `>` of quoted lines)."""
        if self.block is None:
            return self.start + start, self.start + end
        piece = self.text[start:end]
        file_text = self.variant.text
        found = self._line_offset(start)
        if found is not None and file_text.startswith(piece, found):
            return found, found + len(piece)
        if not piece:
            return None
        # Not in its line's place (a table's cells are joined): look for it with the text around
        # it in its cell, as a short piece (` .`) may occur earlier in the block too.
        before, after = self._cell_around(start, end)
        found = file_text.find(before + piece + after, self.start, self.end)
        if found >= 0:
            return found + len(before), found + len(before) + len(piece)
        found = file_text.find(piece, self.start, self.end)
        return (found, found + len(piece)) if found >= 0 else None

    def _cell_around(self, start: int, end: int, reach: int = 24) -> tuple[str, str]:
        """Up to `reach` characters of the text each side of `text[start:end]`, within its line and
        table cell (cells are joined by ` | `, which the file writes in its own way)."""
        left = self.text[max(0, start - reach) : start]
        right = self.text[end : end + reach]
        for joiner in (" | ", "\n"):
            left = left.rpartition(joiner)[2] if joiner in left else left
            right = right.partition(joiner)[0]
        return left, right

    def span(self, start: int, end: int) -> tuple[int, int]:
        """`locate`, or the whole unit where the piece cannot be placed exactly."""
        return self.locate(start, end) or (self.start, self.end)

    def _line_offset(self, index: int) -> int | None:
        """Where character `index` of a block's text is in the file: its line follows the block's
        first line by as many lines as the text has breaks before it."""
        breaks = self.text.count("\n", 0, index)
        if not breaks:
            return self.start + index
        line_start = self.text.rfind("\n", 0, index) + 1
        line_end = self.text.find("\n", line_start)
        line_text = self.text[line_start : line_end if line_end >= 0 else len(self.text)]
        first_line = self.variant.position(self.start)[0]
        lines = self.variant.lines
        if first_line + breaks > lines.line_count:
            return None
        file_start, file_end = lines.line_span(first_line + breaks)
        at = self.variant.text.find(line_text, file_start, file_end) if line_text else file_start
        return at + index - line_start if at >= 0 else None


class SegmentUnit(Unit):
    """A segment's target. Its key and start are read through its segment, and what only blocks
    have is the class's: a big group holds a unit per segment and locale (64 bytes, not 104)."""

    __slots__ = ("variant", "text", "source", "segment")
    block = None
    nearby = None
    steady = True

    def __init__(self, variant: Variant, segment: Segment, source: str | None) -> None:
        self.variant = variant
        self.text = segment.target
        self.source = source
        self.segment = segment

    @property
    def key(self) -> str:
        return self.segment.key

    @property
    def start(self) -> int:
        return self.segment.target_start


class BlockUnit(Unit):
    """An aligned block's text."""

    __slots__ = ("variant", "key", "text", "start", "source", "block", "nearby", "steady")
    segment = None

    def __init__(self, variant: Variant, key: str, block: Block, source: str | None, nearby: str | None,
                 steady: bool) -> None:
        self.variant = variant
        self.key = key
        self.text = block.content
        self.start = block.start
        self.source = source
        self.block = block
        self.nearby = nearby
        self.steady = steady


class Witness(NamedTuple):
    """Plain: the block of a variant of another source version that stands for a column's block."""

    version: int  # which other version (one number per other cohort, one per variant alone in its version)
    text: str
    source: bool  # the source-locale variant's block: what that version's source holds, not a translation


@dataclass(slots=True, eq=False)
class Column:
    """One unit of the source and the units that translate it."""

    key: str
    source: str | None  # None: no source in this column, the majority of the units decides
    units: list[Unit]  # the translations judged (a source-locale variant's own unit is the source)
    judge: Judge
    from_segments: bool  # bilingual: each unit carries its own source (messages say "its source")
    # Plain: the other source versions' blocks for this one, evidence for version-stable tokens
    # (URLs, code, placeholders) without a source in the cohort, and for acronyms where the cohort
    # has too few peers (checks/placeholders._pooled); see `across_versions`.
    elsewhere: Sequence[Witness] = ()  # shared when empty: every bilingual column has none

    @property
    def steady_units(self) -> list[Unit]:
        return [unit for unit in self.units if unit.steady]

    def source_always(self, holds: Callable[[str], bool], unit: Unit) -> bool:
        """Does the source have the property `holds`? With no source, only when every other unit
        has it: a finding then needs every other locale on its side."""
        if self.source is not None:
            return holds(self.source)
        others = [other.text for other in self.units if other is not unit]
        return bool(others) and all(map(holds, others))

    def source_ever(self, holds: Callable[[str], bool], unit: Unit) -> bool:
        """Does the source have the property `holds`? With no source, when any other unit has it
        (the property then excuses the unit: one locale sharing it may have it from the source)."""
        if self.source is not None:
            return holds(self.source)
        return any(holds(other.text) for other in self.units if other is not unit)

    def who_keeps(self, kept: int, judged: int | None = None, elsewhere: int = 0) -> str:
        """Who says a lost token belongs here, for a message's tail: `kept` of `judged` locales
        (the column's units, unless told), `elsewhere` of the `kept` from another source version."""
        if self.source is not None and not self.from_segments:
            return "the source locale has it"
        judged = len(self.units) if judged is None else judged
        versions = f", {elsewhere} of them translated from another source version" if elsewhere else ""
        return f"{kept} of {judged} locales keep it{versions}"

    def across_versions(self, holds: Callable[[str], bool]) -> tuple[int, int]:
        """The other source versions' evidence on a token of this column: (locales that keep it,
        locales judged). A version counts only when its block has the token at all (its source
        then had it: the source-locale variant's block says so where it is there, else any of its
        translations); a version whose block lacks it changed the block, and says nothing here."""
        by_version: dict[int, list[Witness]] = {}
        for witness in self.elsewhere:
            by_version.setdefault(witness.version, []).append(witness)
        kept = judged = 0
        for witnesses in by_version.values():
            sources = [witness for witness in witnesses if witness.source]
            translations = [holds(witness.text) for witness in witnesses if not witness.source]
            if (holds(sources[0].text) if sources else any(translations)):
                kept += sum(translations)
                judged += len(translations)
        return kept, judged


def segment_columns(same_source: dict[tuple[str, str], list[tuple[Variant, Segment]]]) -> list[Column]:
    """Bilingual columns: everyone who translated one source segment (by key and source text)."""
    judge = Judge(has_source=True)
    columns = []
    for (key, source), holders in same_source.items():
        units: list[Unit] = [SegmentUnit(variant, segment, source) for variant, segment in holders]
        columns.append(Column(key, source, units, judge, from_segments=True))
    return columns


def block_columns(cohorts: list[Cohort]) -> list[Column]:
    """Plain columns: each pivot block of a cohort with the blocks aligned to it (code blocks aside:
    they are compared whole, by B011), and the other source versions' blocks paired with it."""
    columns = []
    for cohort in cohorts:
        pivot = cohort.pivot
        judge = Judge(has_source=cohort.reference is not None)
        for index, pivot_block in enumerate(pivot.blocks):
            if pivot_block.kind == CODE:
                continue
            key = f"{pivot_block.kind}:{index}"
            source = pivot_block.content if cohort.reference is not None else None
            units = []
            for member in cohort.members:
                if member.matched[index] is None or member.variant is cohort.reference:
                    continue
                block = member.own(index)
                units.append(BlockUnit(member.variant, key, block, source, member.nearby_text(index),
                                       not member.disturbed(index)))
            if len(units) >= (1 if source is not None else 2):
                elsewhere = [Witness(outside.version, block.content, outside.source)
                             for outside in cohort.outside if (block := outside.block(index)) is not None]
                columns.append(Column(key, source, units, judge, from_segments=False, elsewhere=elsewhere))
    return columns
