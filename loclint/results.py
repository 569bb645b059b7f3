"""What a run produces, and what it keeps of each group: made by the engine, stored by the cache,
handed back by workers, read by the renderers. Types only: no module here imports the engine."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from loclint.baseline import Key as BaselineKey
from loclint.coverage import Coverage
from loclint.model import Diagnostic
from loclint.runwide import Evidence, fresh_evidence

if TYPE_CHECKING:
    from loclint.discover import PlannedGroup
    from loclint.history import HistoryReport


class PlanIndex(Mapping):
    """A run-long index with an entry per article or per file, kept as the plan's own groups.

    A run of many small groups holds its plan (one `FileRef` per file) until it ends anyway; an
    index of its own would hold a second entry per file (about 250 bytes). So a group whose
    outcome says what its plan entry says is kept as that `PlannedGroup` (8 bytes), and the index
    is built from it when first read (by the reports that need it: baselines, JUnit, HTML). A
    group that says otherwise (a loose group, a locale read from front matter) is kept as it is.
    `entries(planned)` says what one group adds; `join` says how a key seen twice is merged.
    """

    def __init__(self, entries: Mapping | None = None) -> None:
        self._parts: list[Any] = [("given", dict(entries))] if entries else []
        self._built: dict | None = None

    def add_planned(self, planned: PlannedGroup) -> None:
        self._parts.append(planned)
        self._built = None

    def add(self, items: Iterable[tuple[Any, Any]]) -> None:
        if not self._parts or not isinstance(self._parts[-1], tuple):
            self._parts.append(("given", {}))
        self.join(self._parts[-1][1], items)
        self._built = None

    def update(self, other: Mapping) -> None:
        """Another project's index, after this one's."""
        self._parts.extend(other._parts if isinstance(other, PlanIndex) else [("given", dict(other))])
        self._built = None

    def _index(self) -> dict:
        if self._built is None:
            built: dict = {}
            for part in self._parts:
                self.join(built, part[1].items() if isinstance(part, tuple) else self.entries(part))
            self._built = built
        return self._built

    @staticmethod
    def entries(planned: PlannedGroup) -> Iterable[tuple[Any, Any]]:
        raise NotImplementedError

    @staticmethod
    def join(built: dict, items: Iterable[tuple[Any, Any]]) -> None:
        built.update(items)

    def __getitem__(self, key: Any) -> Any:
        return self._index()[key]

    def __iter__(self) -> Iterator:
        return iter(self._index())

    def __len__(self) -> int:
        return len(self._index())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._index()!r})"


class ArticleLocales(PlanIndex):
    """Every article seen -> the locales it has (a set)."""

    @staticmethod
    def entries(planned: PlannedGroup) -> Iterable[tuple[str, set[str | None]]]:
        return [(planned.article, {ref.place_locale for ref in planned.files})]

    @staticmethod
    def join(built: dict, items: Iterable[tuple[str, Any]]) -> None:
        for key, locales in items:
            built.setdefault(key, set()).update(locales)

    @staticmethod
    def matches(planned: PlannedGroup, key: str, locales: list[str | None]) -> bool:
        return key == planned.article and {ref.place_locale for ref in planned.files} == set(locales)


class ReportedFiles(PlanIndex):
    """Each file reported on: display path -> (article, locale)."""

    @staticmethod
    def entries(planned: PlannedGroup) -> Iterable[tuple[str, tuple[str, str | None]]]:
        return [(ref.display, (planned.article, ref.place_locale)) for ref in planned.files if ref.report]

    @staticmethod
    def matches(planned: PlannedGroup, key: str, reported: list[tuple[str, str | None]]) -> bool:
        return key == planned.article and reported == [(ref.display, ref.place_locale) for ref in planned.files if ref.report]


@dataclass
class RunResult:
    """Everything a run found and counted, merged group by group."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    groups: int = 0
    segments: int = 0
    missing_paths: list[str] = field(default_factory=list)
    # The run-wide rules' evidence (see loclint/runwide.py), settled at the end.
    evidence: dict[str, Evidence] = field(default_factory=fresh_evidence)
    # Every article seen and the locales it has, so reports can tell a clean cell from an absent one.
    # Both are PlanIndex mappings: kept as the plan's groups where they can be (see PlanIndex).
    article_locales: Mapping[str, set[str | None]] = field(default_factory=ArticleLocales)
    # Each file reported on: display path -> (article, locale). Baselines and JUnit need them.
    reported_files: Mapping[str, tuple[str, str | None]] = field(default_factory=ReportedFiles)
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
        self.article_locales = _joined(ArticleLocales, self.article_locales, other.article_locales)
        self.reported_files = _joined(ReportedFiles, self.reported_files, other.reported_files)
        self.timings = {phase: self.timings.get(phase, 0.0) + other.timings.get(phase, 0.0)
                        for phase in {**self.timings, **other.timings}}
        if self.coverage is not None and other.coverage is not None:
            self.coverage.merge(other.coverage)


@dataclass
class GroupResult:
    """The findings of one group, and what it adds to the run-wide evidence."""

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


def _joined(kind: type[PlanIndex], first: Mapping, second: Mapping) -> PlanIndex:
    """`first` then `second` as one index, neither built. (Projects share no file, so no key.)"""
    joined = first if isinstance(first, kind) else kind(first)
    joined.update(second)
    return joined
