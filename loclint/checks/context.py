"""What every check receives: the group, precomputed views of it, and a way to build diagnostics.

Checks never print, read files or change the model: they yield `Diagnostic`s built through
`Context.diagnostic`, which turns offsets into positions in the file that is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from loclint.alignment import Cohort, align_group
from loclint.columns import Column, Unit, block_columns, segment_columns
from loclint.config import Settings
from loclint.consistency import AcronymUsage, TranslationIndex
from loclint.evidence import Candidate
from loclint.model import Diagnostic, Fix, Group, Segment, Variant
from loclint.patterns import active_patterns
from loclint.reference import canonical
from loclint.tokens import TextFeatures, analyse

if TYPE_CHECKING:
    from loclint.runwide import Evidence


@dataclass
class Context:
    """One article group as the checks see it, with its features measured once per text."""

    group: Group
    settings: Settings
    comparable: list[Variant]  # readable variants, one per locale
    _features: dict[str, TextFeatures] = field(default_factory=dict)
    # What this group adds to the run-wide rules' evidence, by rule: the engine hands in a fresh
    # set (loclint/runwide.py), so no check imports the declarations.
    evidence: dict[str, Evidence] = field(default_factory=dict)

    @property
    def acronym_usage(self) -> AcronymUsage:
        """P004: how this group's locales use each acronym of their sources."""
        return self.evidence["acronyms"].usage

    @property
    def deferred(self) -> list[tuple[Candidate, str | None, Diagnostic]]:
        """P004 findings waiting for the run-wide acronym usage: (what the unit saw, locale, diagnostic)."""
        return self.evidence["acronyms"].pending

    @property
    def translations(self) -> TranslationIndex:
        """T004/T005: this group's short units, merged run-wide and settled at the end."""
        return self.evidence["translations"].index

    def enabled(self, *codes: str) -> bool:
        return any(code in self.settings.enabled for code in codes)

    def features(self, text: str) -> TextFeatures:
        """Tokens and markup counts of a segment text, computed once per distinct text."""
        found = self._features.get(text)
        if found is None:
            found = self._features[text] = analyse(text, active_patterns(self.settings.compiled_patterns))
        return found

    @cached_property
    def partial(self) -> bool:
        """Are some variants here only to judge the others (files named one by one, pre-commit)?

        Then a check may look at a source's reported translations first and weigh the other
        locales only when one of those departs from it: findings land on reported files alone."""
        return any(not variant.report for variant in self.group.variants)

    @cached_property
    def bilingual(self) -> list[Variant]:
        return [variant for variant in self.comparable if variant.segments]

    @cached_property
    def segments_by_key(self) -> dict[int, dict[str, Segment]]:
        """For each bilingual variant (by id()), its segments by key; the first of a duplicate wins."""
        table: dict[int, dict[str, Segment]] = {}
        for variant in self.bilingual:
            by_key: dict[str, Segment] = {}
            for segment in variant.segments:
                by_key.setdefault(segment.key, segment)
            table[id(variant)] = by_key
        return table

    @cached_property
    def same_source(self) -> dict[tuple[str, str], list[tuple[Variant, Segment]]]:
        """Everyone who translated the same source segment, by (segment key, source text): the
        group against which a variant's departure from its source is weighed."""
        table: dict[tuple[str, str], list[tuple[Variant, Segment]]] = {}
        for variant in self.bilingual:
            for segment in self.segments_by_key[id(variant)].values():
                if segment.source is not None:
                    table.setdefault((segment.key, segment.source), []).append((variant, segment))
        return table

    @cached_property
    def aligned(self) -> list[Cohort]:
        """The plain variants' cohorts, their blocks aligned (see loclint/alignment.py)."""
        return align_group(self.group, self.comparable, self.features)

    @cached_property
    def columns(self) -> list[Column]:
        """Every comparison column of the group, bilingual and plain (see loclint/columns.py)."""
        columns = segment_columns(self.same_source) + block_columns(self.aligned)
        # The columns hold every (segment, variant) pair of `same_source`: its table of them, and
        # the tables by key it was made from, are let go (built again if asked for), so a group of
        # a million segments does not keep them all.
        self.__dict__.pop("same_source", None)
        self.__dict__.pop("segments_by_key", None)
        return columns

    @cached_property
    def cohorts(self) -> dict[int, list[Variant]]:
        """Variants translated from the same source version (same `ms.sourcegitcommit`).

        Segment-level parity compares a variant only with its cohort: a stale locale is reported
        once (M002), not once per segment that changed in the source since.
        """
        by_commit: dict[object, list[Variant]] = {}
        for variant in self.comparable:
            by_commit.setdefault(canonical(variant.meta("ms.sourcegitcommit")), []).append(variant)
        return {id(variant): members for members in by_commit.values() for variant in members}

    def diagnostic(
        self,
        variant: Variant,
        code: str,
        message: str,
        offset: int,
        end_offset: int | None = None,
        *,
        subject: str | None = None,
        segment: Segment | None = None,
        unit: Unit | None = None,
        token: str | None = None,
        fix: Fix | None = None,
        source_text: str | None = None,  # without a segment: what was compared (a plain block's)
        target_text: str | None = None,
        compared_locale: str | None = None,  # whose text `source_text` is, when not the source's
    ) -> Diagnostic:
        if unit is not None:  # a column's unit: its segment's, or its block's key and texts
            segment = unit.segment
            subject = subject if subject is not None else unit.key
        line, column = variant.position(offset)
        end_line, end_column = variant.position(end_offset if end_offset is not None else offset)
        return Diagnostic(
            path=variant.display_path,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            code=code,
            message=message,
            locale=variant.locale,
            article=self.group.key,
            subject=subject if subject is not None else (segment.key if segment else None),
            source_text=segment.source if segment else (source_text if source_text is not None else (unit.source if unit else None)),
            target_text=segment.target if segment else (target_text if target_text is not None else (unit.text if unit else None)),
            token=token,
            fix=fix,
            compared_locale=compared_locale,
        )


