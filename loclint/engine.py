"""Paths to sorted diagnostics: discover groups, load each group's variants, run the checks,
filter by the settings. Never prints; the CLI renders what this returns."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from loclint.baseline import Baseline, apply_baseline
from loclint.cache import ResultCache
from loclint.config import Settings
from loclint import run_evidence
from loclint.coverage import coverage, missing_translations
from loclint.discover import FileRef, PlannedGroup, plan
from loclint.frontmatter import misplaced_front_matter
from loclint.fsguard import ReadPolicy, tree_roots
from loclint.model import Diagnostic, Group, Variant
from loclint.parallel import Workers, checked_groups
from loclint.parse import new_variant, parse_variant, share_texts
from loclint.results import ArticleLocales, GroupEvidence, GroupOutcome, GroupResult, ReportedFiles, RunResult
from loclint.reporting import Reporting
from loclint.runwide import (
    HISTORY_CODES,
    RUN_WIDE_CODES,
    fresh_evidence,
    gathering_families,
    keep_reported,
    merge_evidence,
    settle,
)
from loclint.shard import Shard
from loclint.source import ReadResult, decode, read_text

if TYPE_CHECKING:
    from loclint.checks.context import Context
    from loclint.parse_cache import ParseCache
    from loclint.progress import Progress


def run(
    paths: list[str],
    settings: Settings,
    *,
    shard: Shard | None = None,
    baseline: Baseline | None = None,
    jobs: int = 1,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
    since: str | None = None,
) -> RunResult:
    """Check every group; `jobs` worker processes share the groups, `cache` skips unchanged ones.

    Whatever `jobs` and `cache` are, the result is the same: outcomes are merged in plan order
    and run-wide evidence (acronym usage, translations) is settled once, at the end. Under
    `shard`, the groups of other shards are not checked but still weighed (`gather_evidence`),
    so the shards together report exactly what one unsharded run reports.
    """
    with _fewer_collections():
        return _run(paths, settings, shard, baseline, jobs, cache, progress, since)


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
    cache: ResultCache | None, progress: Progress | None = None, since: str | None = None,
) -> RunResult:
    clock = _Clock()
    settings = with_tree(settings, paths)
    layout = plan(paths, settings)
    check_source_locale(layout, settings)
    clock.lap("discovery")
    weigh = shard is not None and bool(settings.enabled & RUN_WIDE_CODES)
    if shard is not None and not weigh:  # nothing is decided run-wide: other shards' groups are not even read
        layout.groups = [planned for planned in layout.groups if shard.takes(planned.article)]
    elsewhere = (lambda planned: not shard.takes(planned.article)) if weigh else None
    result = RunResult(missing_paths=layout.missing, notes=layout.notes, coverage=coverage(layout),
                       planned=len(layout.groups) + len(layout.loose), ignored=_ignored_by_git(layout))
    if "M007" in settings.enabled:
        result.diagnostics.extend(missing_translations(layout, settings, shard.takes if shard else None))
    record = cache is not None and shard is None and "P004" in settings.enabled
    fresh: dict[str, dict] = {}
    progress = progress or _NO_PROGRESS
    progress.start(sum(planned.size for planned in layout.groups) + len(layout.loose))
    try:
        outcomes = checked_groups(layout.groups, settings, _WORKERS, jobs, cache, weigh_only=elsewhere)
        for outcome, planned in zip(outcomes, layout.groups):  # outcomes first: run to their end
            _merge(result, outcome, planned)
            if record and (files := planned.files) and all(ref.report for ref in files):
                # A group checked whole: its acronym evidence is complete, worth recording.
                fresh[planned.key] = run_evidence.entry(files[0].path, outcome.checked.evidence["acronyms"].usage)
            progress.advance(planned.size)
        if record:
            _weigh_recorded(result, layout, cache, fresh)
        for group in _loose_groups(layout.loose, settings, skipped=result.skipped):
            if shard is None or shard.takes(group.key):
                _merge(result, check_loaded(group, settings))
            elif weigh:
                _merge(result, gather_evidence(group, settings))
            progress.advance(len(group.variants))
    finally:
        progress.finish()
    _read_history(result, layout.groups, settings, shard, cache, since)
    clock.lap("check")
    _finish(result, settings, baseline)
    clock.lap("settle")
    result.timings = clock.laps
    return result


def _ignored_by_git(layout) -> int:
    return sum(1 for why in layout.reasons.values() if why.startswith("skipped: ignored by git"))


def _finish(result: RunResult, settings: Settings, baseline: Baseline | None) -> None:
    result.diagnostics.extend(settle(result.evidence, settings))
    if baseline is not None:
        _apply_baseline(result, baseline, settings)
    result.diagnostics.sort(key=Diagnostic.sort_key)


def with_tree(settings: Settings, paths: list[str]) -> Settings:
    """The settings with the run's checked tree, the one place no read may leave (see fsguard)."""
    return settings.with_read_policy(ReadPolicy(tree_roots(paths), settings.follow_symlinks))


class _Clock:
    """Wall time per phase of a run, for `--verbose`."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.laps[phase] = self.laps.get(phase, 0.0) + now - self._last
        self._last = now


def run_text(path: str, data: bytes, settings: Settings, *, baseline: Baseline | None = None) -> RunResult:
    """Check `data` as the content of the file `path` (`--stdin-filename`, an editor's buffer).

    Its sibling locales are read from disk, as when the file is named on the command line; the
    file on disk, if there is one, is not read. A path that is not on disk (a new, unsaved file)
    has no place to find siblings from and is checked alone. One process, no cache: the text
    is new each time.
    """
    clock = _Clock()
    settings = with_tree(settings, [path])
    layout = plan([path], settings)
    if path in layout.missing:
        layout.missing.remove(path)
        layout.loose.append(FileRef(Path(path), path, None, True))
    given = decode_limited(data, settings.max_file_size)
    texts = {path: given}
    clock.lap("discovery")
    result = RunResult(missing_paths=layout.missing, notes=layout.notes, planned=len(layout.groups) + len(layout.loose))
    if given.text is not None:
        result.texts[path] = given.text
    for planned in layout.groups:
        _merge(result, check_loaded(load_group(planned, settings, texts=texts), settings), planned)
    for group in _loose_groups(layout.loose, settings, texts, skipped=result.skipped):
        _merge(result, check_loaded(group, settings))
    clock.lap("check")
    _finish(result, settings, baseline)
    clock.lap("settle")
    result.timings = clock.laps
    return result


def decode_limited(data: bytes, max_bytes: int) -> ReadResult:
    """Bytes handed over (not read from a file) as text, under the same size limit as files."""
    if len(data) > max_bytes:
        return ReadResult(None, error_code="E006", error=f"input is {len(data):,} bytes, over the limit of {max_bytes:,} "
                          "(raise `max-file-size` in the configuration to check it)")
    return decode(data)


def check_planned(planned: PlannedGroup, settings: Settings, parses: ParseCache | None = None) -> GroupOutcome:
    return check_loaded(load_group(planned, settings, parses=parses), settings)


def check_loaded(group: Group, settings: Settings) -> GroupOutcome:
    return GroupOutcome(
        key=group.key,
        files=len(group.variants),
        segments=sum(len(variant.segments) for variant in group.variants),
        locales=[variant.locale for variant in group.variants],
        reported=[(variant.display_path, variant.locale) for variant in group.variants if variant.report],
        checked=check_group(group, settings),
    )


def _merge(result: RunResult, outcome: GroupOutcome | GroupEvidence, planned: PlannedGroup | None = None) -> None:
    if isinstance(outcome, GroupEvidence):  # another shard's group: evidence only, nothing counted
        merge_evidence(result.evidence, outcome.evidence)
        return
    result.groups += 1
    result.files += outcome.files
    result.segments += outcome.segments
    # What the plan already holds is not held twice (results.PlanIndex): only what differs from it.
    if planned is not None and ArticleLocales.matches(planned, outcome.key, outcome.locales):
        result.article_locales.add_planned(planned)
    else:
        result.article_locales.add([(outcome.key, outcome.locales)])
    if planned is not None and ReportedFiles.matches(planned, outcome.key, outcome.reported):
        result.reported_files.add_planned(planned)
    else:
        result.reported_files.add((path, (outcome.key, locale)) for path, locale in outcome.reported)
    result.diagnostics.extend(outcome.checked.diagnostics)
    merge_evidence(result.evidence, outcome.checked.evidence)


def _read_history(result: RunResult, groups: list[PlannedGroup], settings: Settings, shard: Shard | None,
                  cache: ResultCache | None, since: str | None) -> None:
    """The H findings, judged once per run from git (not per group: they depend on the history,
    not on the files' bytes, so the group cache never holds them)."""
    if not (settings.enabled & HISTORY_CODES) and since is None:
        return
    taken = [planned for planned in groups if shard is None or shard.takes(planned.article)]
    if not settings.source_locale and not any(planned.source for planned in taken):
        return  # no group knows its source, so there is no history to read (not even git's import)
    from loclint.history import check_history

    found, result.history = check_history(taken, settings, cache.root if cache is not None else None, since, load_group)
    result.diagnostics.extend(found)
    result.notes.extend(result.history.notes)


def _weigh_recorded(result: RunResult, layout, cache: ResultCache, fresh: dict[str, dict]) -> None:
    """Add the acronym usage earlier runs recorded for groups this run does not check (a file
    named alone is weighed against the whole tree, see run_evidence.py), then record this run's."""
    acronyms = result.evidence["acronyms"]
    if not acronyms.pending and not fresh:  # the pre-commit case without a candidate reads nothing
        return
    recorded = run_evidence.load(cache)
    if acronyms.pending:
        acronyms.usage.merge(run_evidence.others(recorded, {planned.key for planned in layout.groups}))
    run_evidence.save(cache, recorded, fresh, layout.walked)


def _apply_baseline(result: RunResult, baseline: Baseline, settings: Settings) -> None:
    outcome = apply_baseline(baseline, result.diagnostics, result.reported_files.values(), settings.enabled)
    result.diagnostics = outcome.new
    result.baselined = outcome.matched
    result.baseline_fixed = outcome.fixed


def load_variant(
    ref: FileRef, settings: Settings, frame: bool = True,
    texts: dict[str, ReadResult] | None = None, parses: ParseCache | None = None,
) -> Variant:
    """`texts`: contents given by display path (standard input), read instead of the file;
    `parses`: the parse cache that serves unchanged siblings of named files."""
    given = texts.get(ref.display) if texts else None
    read = given or read_text(ref.path, settings.max_file_size, settings.read_policy)
    if parses is not None and given is None:
        return parses.variant(ref, read, frame, lambda: _parsed(ref, read, frame))
    return _parsed(ref, read, frame)


def _parsed(ref: FileRef, read: ReadResult, frame: bool) -> Variant:
    variant = new_variant(ref.path, ref.display, ref.place_locale)
    variant.report = ref.report
    parse_variant(variant, read, frame=frame)
    declared = variant.meta("ms.contentlocale")
    if variant.locale is None and isinstance(declared, str) and declared.strip():
        variant.locale = declared.strip().lower()
    return variant


def load_group(
    planned: PlannedGroup, settings: Settings, frame: bool = True,
    texts: dict[str, ReadResult] | None = None, parses: ParseCache | None = None,
) -> Group:
    """`frame=False` for a group that is only weighed: no check that reads the skeleton runs on it.

    `parses` serves the siblings of named files (the pre-commit case); a group whose every file
    is reported is parsed afresh, as nothing of it was stored."""
    files = planned.files  # built on each read (discover.PlannedGroup): read once
    if parses is not None and all(ref.report for ref in files):
        parses = None
    variants = [load_variant(ref, settings, frame, texts, parses) for ref in files]
    group = _make_group(planned.article, variants, settings)
    if group.reference is None and planned.source:
        # A docs-site preset knows which file is the source (`docs/` beside `i18n/` in Docusaurus).
        group.reference = next((v for v in variants if v.readable and v.display_path == planned.source), None)
    if planned.preset:
        # Docs sites make front matter optional: its absence (E003) is no defect there.
        _drop_missing_front_matter(variants)
    elif _none_has_front_matter(variants):
        # Include files (`includes/*.md`) carry no front matter in any locale: absence is the
        # article's convention, not a loss. A block that is there but damaged is still reported.
        _drop_missing_front_matter([v for v in variants if not misplaced_front_matter(v.text)])
    return group


def _none_has_front_matter(variants: list[Variant]) -> bool:
    """Two or more readable variants, and every one lacks front matter (E003)."""
    readable = [v for v in variants if v.readable]
    return len(readable) >= 2 and all(any(p.code == "E003" for p in v.problems) for v in readable)


def _drop_missing_front_matter(variants: list[Variant]) -> None:
    for variant in variants:
        variant.problems = [problem for problem in variant.problems if problem.code != "E003"]


def check_source_locale(layout, settings: Settings) -> str | None:
    """`source-locale` must name a locale of the run: none having it is a configuration error.
    Returns the `--show-settings` note on how many groups lack it (they use the majority)."""
    from loclint.config import ConfigError

    if not settings.source_locale or not layout.groups:
        return None
    having = sum(1 for group in layout.groups if any(ref.place_locale == settings.source_locale for ref in group.files))
    if having == 0 and not layout.loose:
        seen = sorted({ref.place_locale for group in layout.groups for ref in group.files if ref.place_locale})
        raise ConfigError(f"source-locale `{settings.source_locale}` matches no locale of the files checked "
                          f"({', '.join(seen)}); set it to one of them, or unset it to judge against the majority")
    lacking = len(layout.groups) - having
    return (f"# source-locale {settings.source_locale}: in {having} of {len(layout.groups)} article groups"
            + (f"; the other {lacking} are judged against the majority" if lacking else ""))


def _make_group(key: str, variants: list[Variant], settings: Settings) -> Group:
    share_texts(variants)
    reference = None
    if settings.source_locale:
        reference = next((v for v in variants if v.readable and v.locale == settings.source_locale), None)
    return Group(key=key, variants=variants, reference=reference)


def _loose_groups(refs: list[FileRef], settings: Settings, texts: dict[str, ReadResult] | None = None,
                  skipped: list[str] | None = None) -> list[Group]:
    """Files with no locale in their path: grouped by `group-by` when set, else each on its own.

    Without `group-by` (and `layout` not `loose`), a file that declares no `ms.contentlocale`
    is not a localized article (a README, a changelog, a template named by pre-commit): it is
    skipped and listed in `skipped`, not checked for front matter it was never meant to have."""
    variants = [load_variant(ref, settings, texts=texts) for ref in refs]
    if not settings.group_by and settings.layout != "loose":
        if skipped is not None:
            skipped.extend(variant.display_path for variant in variants if variant.locale is None)
        variants = [variant for variant in variants if variant.locale is not None]
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
    reporting = Reporting(group, settings)
    suppressions = reporting.suppressions
    from loclint.checks.families import FAMILY_CHECKS

    # Suppression comments see every raw finding, so one whose finding a config ignore drops
    # anyway still counts as used; X001 (unused suppression) then passes the same filter.
    raw = [diagnostic for family in FAMILY_CHECKS for diagnostic in family.check(ctx)]
    raw = [diagnostic for diagnostic in raw if not suppressions.covers(diagnostic)]
    # Before `unused`: a run-wide candidate a suppression covers uses it.
    keep_reported(ctx.evidence, reporting.pending, settings.enabled)
    # The H rules' suppressions are used by the history pass, once per run: not unused here.
    unused = suppressions.unused(settings.enabled - HISTORY_CODES)
    found = [kept for diagnostic in [*raw, *unused] if (kept := reporting.wanted(diagnostic))]
    return GroupResult(found, ctx.evidence)


def gather_planned(planned: PlannedGroup, settings: Settings, parses: ParseCache | None = None) -> GroupEvidence:
    return gather_evidence(load_group(planned, settings, frame=False, parses=parses), settings)


def gather_evidence(group: Group, settings: Settings) -> GroupEvidence:
    """What a group of another shard adds to the run-wide evidence, without checking it.

    The families that gather evidence (loclint/runwide.py) run with the selection narrowed to the
    run-wide rules, so the evidence comes from the very code of a full check (nothing gathered
    twice, nothing that can drift) at a fraction of its cost; their findings are the other
    shard's to report. Pending findings are filtered as the full check filters them, then set
    aside: they count and break ties as in the unsharded run, but this shard never reports them.
    """
    import importlib

    ctx = _context(group, settings.narrowed(settings.enabled & RUN_WIDE_CODES))
    for name in gathering_families(ctx.settings.enabled):
        for _ in importlib.import_module(f"loclint.checks.{name}").check(ctx):
            pass
    keep_reported(ctx.evidence, Reporting(group, settings).pending, settings.enabled)
    for evidence in ctx.evidence.values():
        evidence.set_aside()
    return GroupEvidence(ctx.evidence)


class _NoProgress:
    """A progress line nobody asked for (the library's callers, tests)."""

    def start(self, total: int) -> None: ...

    def advance(self, files: int) -> None: ...

    def finish(self) -> None: ...


_NO_PROGRESS = _NoProgress()

# What a worker process runs: a group checked, or only weighed (another shard's).
_WORKERS = Workers(check=check_planned, gather=gather_planned)


def _context(group: Group, settings: Settings) -> Context:
    # The checks are imported when a group is first checked: a warm run, served by the cache
    # from end to end, never needs them (a third of its start-up).
    from loclint.checks.context import Context
    from loclint.checks.inputs import split_duplicates

    comparable, _ = split_duplicates(group)
    return Context(group=group, settings=settings, comparable=comparable, evidence=fresh_evidence())
