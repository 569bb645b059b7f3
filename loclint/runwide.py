"""Run-wide evidence: the rules decided only once every group of the run is known.

Each such rule is declared once, in `RUN_WIDE_RULES`: the codes it decides, the check families
that gather its evidence, and the evidence type, which says how the evidence is merged (groups,
workers, cache entries, shards), kept to what the run may report (suppressions and ignores, per
code), set aside (another shard's group: it counts, it is never reported) and settled at the end.
The engine, its shard pass, the cache (through the result types) and the suppression filter all
read these declarations, so a new run-wide rule adds a declaration and an evidence type here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from loclint.consistency import AcronymUsage, Site, TranslationIndex
from loclint.model import Diagnostic

if TYPE_CHECKING:
    from loclint.config import Settings
    from loclint.evidence import Candidate

# A group's filter for pending findings: the finding as the run reports it, or None (suppressed,
# ignored, in a file not reported on). Asked before the group's unused suppressions are counted.
Wanted = Callable[[Diagnostic], Diagnostic | None]


class Evidence(Protocol):
    def merge(self, other: Evidence) -> None: ...
    def keep(self, wanted: Wanted, codes: tuple[str, ...]) -> None: ...
    def set_aside(self) -> None: ...
    def settle(self, settings: Settings) -> Iterator[Diagnostic]: ...


@dataclass
class AcronymEvidence:
    """P004 and T001: how every locale uses each acronym and do-not-translate term, and the losses
    waiting for that usage (loclint/evidence.py judges them with it)."""

    usage: AcronymUsage = field(default_factory=AcronymUsage)
    pending: list[tuple[Candidate, str | None, Diagnostic]] = field(default_factory=list)  # (what the unit saw, locale, finding)

    def merge(self, other: AcronymEvidence) -> None:
        self.usage.merge(other.usage)
        self.pending.extend(other.pending)

    def keep(self, wanted: Wanted, codes: tuple[str, ...]) -> None:
        self.pending = [(word, locale, kept) for word, locale, finding in self.pending if (kept := wanted(finding))]

    def set_aside(self) -> None:
        self.pending = []  # another shard reports them; their usage still counts

    def settle(self, settings: Settings) -> Iterator[Diagnostic]:
        """Keep a lost-token finding only if the run's evidence says so (the other locales keep the
        token nearly everywhere, and this locale has not its own name for it)."""
        pending, self.pending = self.pending, []
        if not pending:  # only then is the verdict needed (a warm run imports no check for it)
            return
        from loclint.evidence import loss_stands
        from loclint.patterns import acronym_keep_share

        threshold = acronym_keep_share(settings.compiled_patterns)
        for candidate, locale, finding in pending:
            stands = loss_stands(self.usage, candidate, locale, finding, threshold)
            if stands is not None:
                yield stands  # the finding, with the evidence that decided (loclint/evidence.py)


@dataclass
class TranslationEvidence:
    """T004/T005: every short source's translations per locale, with the sites to report."""

    index: TranslationIndex = field(default_factory=TranslationIndex)

    def merge(self, other: TranslationEvidence) -> None:
        self.index.merge(other.index)

    def keep(self, wanted: Wanted, codes: tuple[str, ...]) -> None:
        """Sites not to report become None: they still count as evidence. A site is weighed under
        each code on its own, so a suppression or an ignore of T004 leaves its T005 finding."""

        def reportable(site: Site, code: str) -> bool:
            return wanted(site.diagnostic(code, "")) is not None

        self.index.retain(reportable, codes)

    def set_aside(self) -> None:
        self.index.set_aside()

    def settle(self, settings: Settings) -> Iterator[Diagnostic]:
        index, self.index = self.index, TranslationIndex()
        yield from index.settle(settings.enabled)


@dataclass(frozen=True)
class RunWide:
    """One run-wide rule (or rules sharing one body of evidence)."""

    name: str
    codes: tuple[str, ...]
    families: tuple[str, ...]  # the modules of loclint.checks that gather the evidence
    evidence: type


RUN_WIDE_RULES = (
    RunWide("acronyms", ("P004", "T001"), ("placeholders", "terms"), AcronymEvidence),
    RunWide("translations", ("T004", "T005"), ("terms",), TranslationEvidence),
)
RUN_WIDE_CODES = frozenset(code for rule in RUN_WIDE_RULES for code in rule.codes)

# The rules judged once per run from git, after every group (loclint/history.py): their
# suppression comments are used by that pass, so a group's check never counts them unused.
HISTORY_CODES = frozenset({"H001", "H002", "H003", "H004", "H005"})


def fresh_evidence() -> dict[str, Evidence]:
    """Empty evidence of every run-wide rule, by name."""
    return {rule.name: rule.evidence() for rule in RUN_WIDE_RULES}


def merge_evidence(into: dict[str, Evidence], other: dict[str, Evidence]) -> None:
    for name, evidence in other.items():
        into[name].merge(evidence)


def keep_reported(evidence: dict[str, Evidence], wanted: Wanted, enabled: frozenset[str]) -> None:
    """Keep of each rule's pending findings what the run may report, code by code."""
    for rule in RUN_WIDE_RULES:
        evidence[rule.name].keep(wanted, tuple(code for code in rule.codes if code in enabled))


def settle(evidence: dict[str, Evidence], settings: Settings) -> list[Diagnostic]:
    """Every run-wide finding, once the whole run's evidence is in."""
    return [finding for rule in RUN_WIDE_RULES for finding in evidence[rule.name].settle(settings)]


def gathering_families(enabled: frozenset[str]) -> list[str]:
    """The check families an evidence-only pass runs for the enabled run-wide rules."""
    names = []
    for rule in RUN_WIDE_RULES:
        if enabled & set(rule.codes):
            names.extend(name for name in rule.families if name not in names)
    return names
