"""Paths to sorted diagnostics: discover groups, load each group's variants, run the checks,
filter by the settings. Never prints; the CLI renders what this returns."""

from __future__ import annotations

import dataclasses
import fnmatch
from dataclasses import dataclass, field
from pathlib import PurePath

from loclint.checks import FAMILY_CHECKS
from loclint.checks.context import AcronymUsage, Context
from loclint.checks.inputs import split_duplicates
from loclint.config import Settings
from loclint.discover import FileRef, PlannedGroup, plan
from loclint.model import Diagnostic, Group, Variant
from loclint.parse import new_variant, parse_variant
from loclint.source import read_text


@dataclass
class RunResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    groups: int = 0
    segments: int = 0
    missing_paths: list[str] = field(default_factory=list)
    acronym_usage: AcronymUsage = field(default_factory=AcronymUsage)
    deferred: list[tuple[str, str | None, Diagnostic]] = field(default_factory=list)


@dataclass
class GroupResult:
    diagnostics: list[Diagnostic]
    acronym_usage: AcronymUsage
    deferred: list[tuple[str, str | None, Diagnostic]]


def run(paths: list[str], settings: Settings) -> RunResult:
    layout = plan(paths, settings)
    result = RunResult(missing_paths=layout.missing)
    for planned in layout.groups:
        group = load_group(planned, settings)
        _collect(result, group, settings)
    for group in _loose_groups(layout.loose, settings):
        _collect(result, group, settings)
    _settle_deferred(result, settings)
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


def _collect(result: RunResult, group: Group, settings: Settings) -> None:
    result.groups += 1
    result.files += len(group.variants)
    result.segments += sum(len(variant.segments) for variant in group.variants)
    checked = check_group(group, settings)
    result.diagnostics.extend(checked.diagnostics)
    result.acronym_usage.merge(checked.acronym_usage)
    result.deferred.extend(checked.deferred)


def _settle_deferred(result: RunResult, settings: Settings) -> None:
    """Keep a lost-acronym finding only if the other locales keep that acronym nearly everywhere."""
    threshold = settings.compiled_patterns.acronym_keep_share
    for acronym, locale, diagnostic in result.deferred:
        if result.acronym_usage.kept_elsewhere(acronym, locale) >= threshold:
            result.diagnostics.append(diagnostic)
    result.deferred.clear()


def load_variant(ref: FileRef, settings: Settings) -> Variant:
    variant = new_variant(ref.path, ref.display, ref.place_locale)
    variant.report = ref.report
    parse_variant(variant, read_text(ref.path, settings.max_file_size))
    declared = variant.meta("ms.contentlocale")
    if variant.locale is None and isinstance(declared, str) and declared.strip():
        variant.locale = declared.strip().lower()
    return variant


def load_group(planned: PlannedGroup, settings: Settings) -> Group:
    variants = [load_variant(ref, settings) for ref in planned.files]
    return _make_group(planned.article, variants, settings)


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
    comparable, _ = split_duplicates(group)
    ctx = Context(group=group, settings=settings, comparable=comparable)
    reported = {variant.display_path: variant for variant in group.variants if variant.report}

    def wanted(diagnostic: Diagnostic) -> Diagnostic | None:
        variant = reported.get(diagnostic.path)
        if variant is None or not _wanted(diagnostic, variant, settings):
            return None
        if diagnostic.article is None:
            diagnostic = dataclasses.replace(diagnostic, article=group.key)
        return diagnostic

    found = [kept for family in FAMILY_CHECKS for diagnostic in family.check(ctx) if (kept := wanted(diagnostic))]
    deferred = [(word, locale, kept) for word, locale, diagnostic in ctx.deferred if (kept := wanted(diagnostic))]
    return GroupResult(found, ctx.acronym_usage, deferred)


def _wanted(diagnostic: Diagnostic, variant: Variant, settings: Settings) -> bool:
    code = diagnostic.code
    if code not in settings.enabled:
        return False
    locale_ignores = settings.per_locale_ignores.get(variant.locale or "", ())
    if any(code.startswith(prefix.upper()) for prefix in locale_ignores):
        return False
    path = PurePath(diagnostic.path).as_posix()
    for pattern, codes in settings.per_file_ignores.items():
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(PurePath(path).name, pattern):
            if any(code.startswith(prefix.upper()) for prefix in codes):
                return False
    return True
