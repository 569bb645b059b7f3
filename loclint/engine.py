"""Paths to sorted diagnostics: discover groups, load each group's variants, run the checks,
filter by the settings. Never prints; the CLI renders what this returns."""

from __future__ import annotations

import dataclasses
import fnmatch
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from loclint.baseline import Baseline, apply_baseline
from loclint.baseline import Key as BaselineKey
from loclint.cache import ResultCache
from loclint.config import Settings
from loclint.consistency import AcronymUsage, Site, TranslationIndex
from loclint.discover import FileRef, PlannedGroup, plan
from loclint.model import Diagnostic, Group, Variant
from loclint.parallel import checked_groups
from loclint.parse import new_variant, parse_variant
from loclint.shard import Shard
from loclint.source import read_text
from loclint.suppress import GroupSuppressions

if TYPE_CHECKING:
    from loclint.checks.context import Context
    from loclint.evidence import Candidate


@dataclass
class RunResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    groups: int = 0
    segments: int = 0
    missing_paths: list[str] = field(default_factory=list)
    acronym_usage: AcronymUsage = field(default_factory=AcronymUsage)
    deferred: list[tuple[Candidate, str | None, Diagnostic]] = field(default_factory=list)
    # Every article seen and the locales it has, so reports can tell a clean cell from an absent one.
    article_locales: dict[str, set[str | None]] = field(default_factory=dict)
    # Each file reported on: display path -> (article, locale). Baselines and JUnit need them.
    reported_files: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    baselined: int = 0  # findings a baseline hid
    baseline_fixed: list[tuple[BaselineKey, int]] = field(default_factory=list)  # entries no longer found
    translations: TranslationIndex = field(default_factory=TranslationIndex)  # T004/T005, settled at the end


@dataclass
class GroupResult:
    diagnostics: list[Diagnostic]
    acronym_usage: AcronymUsage
    deferred: list[tuple[Candidate, str | None, Diagnostic]]
    translations: TranslationIndex = field(default_factory=TranslationIndex)


def run(
    paths: list[str],
    settings: Settings,
    *,
    shard: Shard | None = None,
    baseline: Baseline | None = None,
    jobs: int = 1,
    cache: ResultCache | None = None,
) -> RunResult:
    """Check every group; `jobs` worker processes share the groups, `cache` skips unchanged ones.

    Whatever `jobs` and `cache` are, the result is the same: outcomes are merged in plan order
    and run-wide evidence (acronym usage, translations) is settled once, at the end. Under
    `shard`, the groups of other shards are not checked but still weighed (`gather_evidence`),
    so the shards together report exactly what one unsharded run reports.
    """
    with _fewer_collections():
        return _run(paths, settings, shard, baseline, jobs, cache)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run with the cyclic garbage collector woken less often. A run builds hundreds of thousands
    of small objects that live until it ends (segments, features, index entries), and the default
    thresholds rescan them again and again: a fifth of a cold run's CPU time. The objects form
    few cycles, so memory does not grow for it."""
    thresholds = gc.get_threshold()
    gc.set_threshold(200_000, 30, 30)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _run(
    paths: list[str], settings: Settings, shard: Shard | None, baseline: Baseline | None, jobs: int,
    cache: ResultCache | None,
) -> RunResult:
    layout = plan(paths, settings)
    weigh = shard is not None and bool(settings.enabled & RUN_WIDE)
    if shard is not None and not weigh:  # nothing is decided run-wide: other shards' groups are not even read
        layout.groups = [planned for planned in layout.groups if shard.takes(planned.article)]
    elsewhere = (lambda planned: not shard.takes(planned.article)) if weigh else None
    result = RunResult(missing_paths=layout.missing)
    for outcome in checked_groups(layout.groups, settings, jobs, cache, weigh_only=elsewhere):
        _merge(result, outcome)
    for group in _loose_groups(layout.loose, settings):
        if shard is None or shard.takes(group.key):
            _merge(result, check_loaded(group, settings))
        elif weigh:
            _merge(result, gather_evidence(group, settings))
    _settle_deferred(result, settings)
    if baseline is not None:
        _apply_baseline(result, baseline, settings)
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


@dataclass
class GroupEvidence:
    """All a run keeps of another shard's group: its part of the run-wide evidence, no findings."""

    acronym_usage: AcronymUsage
    translations: TranslationIndex


@dataclass
class GroupOutcome:
    """All a run keeps of one checked group: made in a worker or read from the cache, merged in order."""

    key: str
    files: int
    segments: int
    locales: list[str | None]
    reported: list[tuple[str, str | None]]  # (display path, locale) of each file reported on
    checked: GroupResult


def check_planned(planned: PlannedGroup, settings: Settings) -> GroupOutcome:
    return check_loaded(load_group(planned, settings), settings)


def check_loaded(group: Group, settings: Settings) -> GroupOutcome:
    return GroupOutcome(
        key=group.key,
        files=len(group.variants),
        segments=sum(len(variant.segments) for variant in group.variants),
        locales=[variant.locale for variant in group.variants],
        reported=[(variant.display_path, variant.locale) for variant in group.variants if variant.report],
        checked=check_group(group, settings),
    )


def _merge(result: RunResult, outcome: GroupOutcome | GroupEvidence) -> None:
    if isinstance(outcome, GroupEvidence):  # another shard's group: evidence only, nothing counted
        _merge_evidence(result, outcome.acronym_usage, outcome.translations)
        return
    result.groups += 1
    result.files += outcome.files
    result.segments += outcome.segments
    result.article_locales.setdefault(outcome.key, set()).update(outcome.locales)
    result.reported_files.update((path, (outcome.key, locale)) for path, locale in outcome.reported)
    checked = outcome.checked
    result.diagnostics.extend(checked.diagnostics)
    result.deferred.extend(checked.deferred)
    _merge_evidence(result, checked.acronym_usage, checked.translations)


def _merge_evidence(result: RunResult, acronym_usage: AcronymUsage, translations: TranslationIndex) -> None:
    result.acronym_usage.merge(acronym_usage)
    result.translations.merge(translations)


def _settle_deferred(result: RunResult, settings: Settings) -> None:
    """Keep a lost-acronym finding only if the other locales keep that acronym nearly everywhere."""
    if result.deferred:  # only then is the P004 check needed (a warm run may import no check)
        from loclint.checks.placeholders import acronym_loss_stands

        threshold = settings.compiled_patterns.acronym_keep_share
        result.diagnostics.extend(
            stands for candidate, locale, diagnostic in result.deferred
            if (stands := acronym_loss_stands(result.acronym_usage, candidate, locale, diagnostic, threshold))
        )
        result.deferred.clear()
    result.diagnostics.extend(result.translations.settle(settings.enabled))
    result.translations = TranslationIndex()


def _apply_baseline(result: RunResult, baseline: Baseline, settings: Settings) -> None:
    outcome = apply_baseline(baseline, result.diagnostics, result.reported_files.values(), settings.enabled)
    result.diagnostics = outcome.new
    result.baselined = outcome.matched
    result.baseline_fixed = outcome.fixed


def load_variant(ref: FileRef, settings: Settings, frame: bool = True) -> Variant:
    variant = new_variant(ref.path, ref.display, ref.place_locale)
    variant.report = ref.report
    parse_variant(variant, read_text(ref.path, settings.max_file_size), frame=frame)
    declared = variant.meta("ms.contentlocale")
    if variant.locale is None and isinstance(declared, str) and declared.strip():
        variant.locale = declared.strip().lower()
    return variant


def load_group(planned: PlannedGroup, settings: Settings, frame: bool = True) -> Group:
    """`frame=False` for a group that is only weighed: no check that reads the skeleton runs on it."""
    variants = [load_variant(ref, settings, frame) for ref in planned.files]
    group = _make_group(planned.article, variants, settings)
    if group.reference is None and planned.source:
        # A docs-site preset knows which file is the source (`docs/` beside `i18n/` in Docusaurus).
        group.reference = next((v for v in variants if v.readable and v.display_path == planned.source), None)
    if planned.preset:
        # Docs sites make front matter optional: its absence (E003) is no defect there.
        for variant in variants:
            variant.problems = [problem for problem in variant.problems if problem.code != "E003"]
    return group


def _make_group(key: str, variants: list[Variant], settings: Settings) -> Group:
    reference = None
    if settings.source_locale:
        reference = next((v for v in variants if v.readable and v.locale == settings.source_locale), None)
    return Group(key=key, variants=variants, reference=reference)


def _loose_groups(refs: list[FileRef], settings: Settings) -> list[Group]:
    """Files with no locale in their path: grouped by `group-by` when set, else each on its own."""
    variants = [load_variant(ref, settings) for ref in refs]
    if not settings.group_by:
        return [_make_group(variant.display_path, [variant], settings) for variant in variants]
    by_value: dict[str, list[Variant]] = {}
    for variant in variants:
        value = variant.meta(settings.group_by)
        key = f"{settings.group_by}={value}" if value not in (None, "") else variant.display_path
        by_value.setdefault(key, []).append(variant)
    return [_make_group(key, members, settings) for key, members in sorted(by_value.items())]


def check_group(group: Group, settings: Settings) -> GroupResult:
    ctx = _context(group, settings)
    reporting = _Reporting(group, settings)
    suppressions = reporting.suppressions
    from loclint.checks import FAMILY_CHECKS

    # Suppression comments see every raw finding, so one whose finding a config ignore drops
    # anyway still counts as used; X001 (unused suppression) then passes the same filter.
    raw = [diagnostic for family in FAMILY_CHECKS for diagnostic in family.check(ctx)]
    raw = [diagnostic for diagnostic in raw if not suppressions.covers(diagnostic)]
    raw_deferred = [item for item in ctx.deferred if not suppressions.covers(item[2])]
    reporting.keep_sites(ctx.translations)  # before `unused`: a site a suppression covers uses it
    found = [kept for diagnostic in [*raw, *suppressions.unused(settings.enabled)] if (kept := reporting.wanted(diagnostic))]
    deferred = [(word, locale, kept) for word, locale, diagnostic in raw_deferred if (kept := reporting.wanted(diagnostic))]
    return GroupResult(found, ctx.acronym_usage, deferred, translations=ctx.translations)


# The rules decided from evidence of every article of the run.
RUN_WIDE = frozenset({"P004", "T004", "T005"})


def gather_planned(planned: PlannedGroup, settings: Settings) -> GroupEvidence:
    return gather_evidence(load_group(planned, settings, frame=False), settings)


def gather_evidence(group: Group, settings: Settings) -> GroupEvidence:
    """What a group of another shard adds to the run-wide evidence, without checking it.

    The families that gather evidence run with the selection narrowed to the run-wide rules, so
    the evidence comes from the very code of a full check (nothing gathered twice, nothing that
    can drift) at a fraction of its cost; their findings are the other shard's to report. Sites
    are filtered as the full check filters them, then set aside: they count and break ties as in
    the unsharded run, but this shard never reports them.
    """
    from loclint.checks import blocks, placeholders, terms  # the families that gather evidence

    ctx = _context(group, dataclasses.replace(settings, enabled=settings.enabled & RUN_WIDE))
    for family in (placeholders, blocks, terms):
        for _ in family.check(ctx):
            pass
    _Reporting(group, settings).keep_sites(ctx.translations)
    ctx.translations.set_aside()
    return GroupEvidence(ctx.acronym_usage, ctx.translations)


def _context(group: Group, settings: Settings) -> Context:
    # The checks are imported when a group is first checked: a warm run, served by the cache
    # from end to end, never needs them (a third of its start-up).
    from loclint.checks.context import Context
    from loclint.checks.inputs import split_duplicates

    comparable, _ = split_duplicates(group)
    return Context(group=group, settings=settings, comparable=comparable)


class _Reporting:
    """Which findings of a group the run reports: not suppressed, in a file reported on, not ignored."""

    def __init__(self, group: Group, settings: Settings) -> None:
        self.group = group
        self.settings = settings
        self.files = {variant.display_path: variant for variant in group.variants if variant.report}
        self.suppressions = GroupSuppressions(self.files.values())
        self.ignored = {path: _ignored_prefixes(variant, settings) for path, variant in self.files.items()}

    def wanted(self, diagnostic: Diagnostic) -> Diagnostic | None:
        prefixes = self.ignored.get(diagnostic.path)
        code = diagnostic.code
        if prefixes is None or code not in self.settings.enabled or code.startswith(prefixes):
            return None
        if diagnostic.article is None:
            diagnostic = dataclasses.replace(diagnostic, article=self.group.key)
        return diagnostic

    def keep_sites(self, translations: TranslationIndex) -> None:
        """Index sites not to report become None: they still count as evidence (T004/T005).

        A site is weighed under each enabled code on its own, so a suppression comment or an
        ignore of T004 leaves its T005 finding, and the reverse."""
        codes = tuple(code for code in ("T004", "T005") if code in self.settings.enabled)

        def reportable(site: Site, code: str) -> bool:
            candidate = site.diagnostic(code, "")
            covered = self.suppressions.covers(candidate)  # first: covering a site uses the suppression
            return not covered and self.wanted(candidate) is not None

        translations.retain(reportable, codes)


def _ignored_prefixes(variant: Variant, settings: Settings) -> tuple[str, ...]:
    """The code prefixes `per-locale-ignores` and `per-file-ignores` drop for this file.

    Resolved once per file, not per finding: a file can have thousands of candidate findings."""
    prefixes = [prefix.upper() for prefix in settings.per_locale_ignores.get(variant.locale or "", ())]
    path = PurePath(variant.display_path).as_posix()
    name = PurePath(path).name
    for pattern, codes in settings.per_file_ignores.items():
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(name, pattern):
            prefixes.extend(prefix.upper() for prefix in codes)
    return tuple(prefixes)
