"""What a run produces, and what it keeps of each group: made by the engine, stored by the cache,
handed back by workers, read by the renderers. Types only: no module here imports the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from loclint.baseline import Key as BaselineKey
from loclint.coverage import Coverage
from loclint.model import Diagnostic
from loclint.runwide import Evidence, fresh_evidence

if TYPE_CHECKING:
    from loclint.history import HistoryReport


@dataclass
class RunResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    groups: int = 0
    segments: int = 0
    missing_paths: list[str] = field(default_factory=list)
    # The run-wide rules' evidence (see loclint/runwide.py), settled at the end.
    evidence: dict[str, Evidence] = field(default_factory=fresh_evidence)
    # Every article seen and the locales it has, so reports can tell a clean cell from an absent one.
    article_locales: dict[str, set[str | None]] = field(default_factory=dict)
    # Each file reported on: display path -> (article, locale). Baselines and JUnit need them.
    reported_files: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    baselined: int = 0  # findings a baseline hid
    baseline_fixed: list[tuple[BaselineKey, int]] = field(default_factory=list)  # entries no longer found
    # Seconds spent in each phase ("discovery", "check", "settle"), in order, for `--verbose`.
    timings: dict[str, float] = field(default_factory=dict)
    # Texts checked that are not on disk (`--stdin-filename`), by display path: what reports quote.
    texts: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # discovery's word to the user (siblings not found)
    skipped: list[str] = field(default_factory=list)  # named files that are not localized articles
    coverage: Coverage | None = None  # articles per locale (--statistics, the HTML report)
    history: HistoryReport | None = None  # the drift of each translation, when git history was read
    ignored: int = 0  # files found under the paths that git ignores (not checked: respect-gitignore)
    planned: int = 0  # article groups and loose files found, before sharding: 0 means nothing to check

    def absorb(self, other: RunResult) -> None:
        """Add another project's result of the same command line to this one (findings unsorted).
        Kept beside the fields so that a new field is merged here too. Not merged: `evidence` (each
        project's run settles its own), `texts` (only `--stdin-filename` has them, and it names one
        project) and `history` (the first project's is kept: histories of several projects are not
        put together yet)."""
        self.diagnostics.extend(other.diagnostics)
        for name in ("files", "groups", "segments", "baselined", "planned", "ignored"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("missing_paths", "notes", "skipped", "baseline_fixed"):
            getattr(self, name).extend(getattr(other, name))
        self.article_locales.update(other.article_locales)
        self.reported_files.update(other.reported_files)
        self.timings = {phase: self.timings.get(phase, 0.0) + other.timings.get(phase, 0.0)
                        for phase in {**self.timings, **other.timings}}
        if self.coverage is not None and other.coverage is not None:
            self.coverage.merge(other.coverage)


@dataclass
class GroupResult:
    diagnostics: list[Diagnostic]
    evidence: dict[str, Evidence] = field(default_factory=fresh_evidence)


@dataclass
class GroupEvidence:
    """All a run keeps of another shard's group: its part of the run-wide evidence, no findings."""

    evidence: dict[str, Evidence]


@dataclass
class GroupOutcome:
    """All a run keeps of one checked group: made in a worker or read from the cache, merged in order."""

    key: str
    files: int
    segments: int
    locales: list[str | None]
    reported: list[tuple[str, str | None]]  # (display path, locale) of each file reported on
    checked: GroupResult
