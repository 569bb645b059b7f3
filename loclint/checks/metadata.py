"""M: front-matter parity. Keys that must be equal in every locale are compared with the source
locale's value when it is in the group, else with the majority's. `ms.sourcegitcommit` without a
source locale is compared with the commit of the latest `ms.lasthandoff` when every locale dates
its handoff: a majority can be the stale side."""

from __future__ import annotations

import dataclasses

import datetime
import re
from collections.abc import Iterator

from loclint.checks.context import Context
from loclint.config import PER_LOCALE_KEYS
from loclint.model import Diagnostic, Fix, Variant
from loclint.reference import Verdict, canonical, consensus, show

CODES = ("M001", "M002", "M003", "M004", "M005", "M006")

_FIXED_KEYS = {"ms.assetid": "M001", "ms.sourcegitcommit": "M002", "ms.custom": "M003"}


def check(ctx: Context) -> Iterator[Diagnostic]:
    variants = [variant for variant in ctx.comparable if variant.front_matter is not None]
    reference = ctx.group.reference if ctx.group.reference in variants else None
    keys = dict(_FIXED_KEYS)
    keys.update({key: "M004" for key in ctx.settings.parity_keys if key not in keys})
    if len(variants) > 1:
        for key, code in keys.items():
            if ctx.enabled(code):
                found = _parity(ctx, variants, reference, key, code)
                yield from (_with_cohort_note(ctx, d) for d in found) if code == "M002" else found
        if ctx.enabled("M005"):
            yield from _missing_keys(ctx, variants, reference)
    if ctx.enabled("M005") and ctx.settings.required_keys:
        yield from _required_keys(ctx, variants)
    if ctx.enabled("M006"):
        yield from _content_locale(ctx, variants)


def _parity(ctx: Context, variants: list[Variant], reference: Variant | None, key: str, code: str) -> Iterator[Diagnostic]:
    holders = [variant for variant in variants if key in variant.front_matter]
    values = {id(variant): canonical(variant.front_matter[key]) for variant in holders}
    if reference is not None and key not in reference.front_matter:
        return
    if code == "M002" and reference is None:
        newest = _newest_commit(holders, values)
        if newest is not None:
            yield from _behind_newest(ctx, holders, values, key, code, newest)
            if len(newest[0]) > 1:  # a tie on the latest date: among those, only a majority decides
                yield from _tied_on_date(ctx, [v for v in holders if values[id(v)] in newest[0]], values, key, code)
            return
    verdict = consensus(
        values.values(),
        reference=values.get(id(reference)) if reference else None,
        has_reference=reference is not None,
    )
    if verdict is None or (not verdict.from_reference and verdict.agree == verdict.total):
        return
    for variant in holders:
        value = values[id(variant)]
        if variant is reference or (value == verdict.expected and (verdict.majority or verdict.from_reference)):
            continue
        # Without a majority nobody is provably right: every locale is told, and told so.
        yield _mismatch(ctx, variant, key, code, value, verdict)


_HANDOFF = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _handoff(variant: Variant) -> datetime.date | None:
    """`ms.lasthandoff` (`08/05/2021`, month first; or a YAML date) as a date, else None."""
    value = variant.front_matter.get("ms.lasthandoff")
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _HANDOFF.fullmatch(str(value).strip()) if value is not None else None
    if match is None:
        return None
    try:
        return datetime.date(int(match[3]), int(match[1]), int(match[2]))
    except ValueError:
        return None


def _newest_commit(holders: list[Variant], values: dict[int, object]) -> tuple[list[object], datetime.date] | None:
    """The commits handed off last (usually one; several when two commits share the latest
    handoff date), when every locale dates its handoff; None otherwise (the majority then decides)."""
    latest: dict[object, datetime.date] = {}
    for variant in holders:
        date = _handoff(variant)
        if date is None:
            return None
        value = values[id(variant)]
        latest[value] = max(date, latest.get(value, date))
    if len(latest) < 2:
        return None
    top = max(latest.values())
    return sorted((value for value, date in latest.items() if date == top), key=str), top


def _behind_newest(ctx: Context, holders: list[Variant], values: dict[int, object], key: str, code: str, newest) -> Iterator[Diagnostic]:
    """Every locale handed off before the latest handoff is behind. A tie on the latest date is
    never broken against either side: no locale handed off last is blamed (who is newer is unknown)."""
    commits, date = newest
    agree = sum(1 for variant in holders if values[id(variant)] in commits)
    shown = " or ".join(show(commit) for commit in commits)
    for variant in holders:
        value = values[id(variant)]
        if value in commits:
            continue
        offset = variant.key_offsets.get(key, 0)
        message = (
            f"`{key}` is {show(value)}, but {agree} of {len(holders)} locales, handed off later "
            f"({date:%m/%d/%Y}), have {shown}: this locale was translated from an older version of the source"
        )
        yield ctx.diagnostic(variant, code, message, offset, offset + len(key), subject=key)


def _tied_on_date(ctx: Context, tied: list[Variant], values: dict[int, object], key: str, code: str) -> Iterator[Diagnostic]:
    """Locales whose commits were handed off on the same latest date: the dates cannot say which is
    newer, so a majority of them decides, and without one no locale is told (it may be the newest)."""
    verdict = consensus(values[id(variant)] for variant in tied)
    if verdict is None or not verdict.majority:
        return
    for variant in tied:
        if values[id(variant)] != verdict.expected:
            yield _mismatch(ctx, variant, key, code, values[id(variant)], verdict)


def _with_cohort_note(ctx: Context, diagnostic: Diagnostic) -> Diagnostic:
    """A stale locale alone in its source version is compared, segment by segment or block by
    block, with no other locale: its M002 finding says so, once, instead of the silence of the
    checks that skip it (S006-S009, B006, and in plain files B001-B013 and P)."""
    variant = next((v for v in ctx.comparable if v.display_path == diagnostic.path), None)
    if variant is None or len(ctx.cohorts.get(id(variant), ())) != 1:
        return diagnostic
    count = len(variant.segments)
    units = f"its {count} segment{'s are' if count > 1 else ' is'}" if count else "its blocks are"
    note = f"; alone in its source version, {units} compared with no other locale until it is updated"
    return dataclasses.replace(diagnostic, message=diagnostic.message + note)


def _mismatch(ctx: Context, variant: Variant, key: str, code: str, value, verdict: Verdict) -> Diagnostic:
    offset = variant.key_offsets.get(key, 0)
    if not verdict.majority and not verdict.from_reference:
        distinct = len({canonical(v.front_matter.get(key)) for v in ctx.comparable if v.front_matter and key in v.front_matter})
        message = (
            f"`{key}` differs across locales with no majority ({distinct} values among {verdict.total} locales); "
            f"this one has {show(value)}"
        )
        return ctx.diagnostic(variant, code, message, offset, offset + len(key), subject=key)
    have = "has" if verdict.from_reference else "have"  # "the source locale has", "4 of 5 locales have"
    if code == "M002":
        what = "this locale was translated from another version of the source"
        message = f"`{key}` is {show(value)}, but {verdict.describe()} {have} {show(verdict.expected)}: {what}"
    else:
        message = f"`{key}` is {show(value)}, but {verdict.describe()} {have} {show(verdict.expected)}"
    fix = None
    if code in ("M001", "M003") and verdict.majority:
        fix = _value_fix(variant, key, verdict.expected)
    return ctx.diagnostic(variant, code, message, offset, offset + len(key), subject=key, fix=fix)


def _missing_keys(ctx: Context, variants: list[Variant], reference: Variant | None) -> Iterator[Diagnostic]:
    """M005, judged within source versions: a key that a newer source added is no loss in the
    translations of an older one (M002 says they are stale), so a variant is judged by the locales
    of its own version (`ms.sourcegitcommit`) as much as by all of them. With a source locale of
    the variant's version (or of no known version), the source's keys are expected."""
    translations = [variant for variant in variants if variant is not reference]
    version = {id(variant): canonical(variant.meta("ms.sourcegitcommit")) for variant in translations}
    source_version = _reference_version(ctx, reference) if reference is not None else None
    if reference is not None:
        source_keys = {key for key in reference.front_matter if key not in PER_LOCALE_KEYS}
    counts: dict[str, int] = {}  # how many locales hold each key
    for other in variants:
        for key in other.front_matter:
            counts[key] = counts.get(key, 0) + 1
    cohorts: dict[object, tuple[int, dict[str, int]]] = {}  # version: its translations, and how many hold each key
    for variant in translations:
        size, holders = cohorts.get(version[id(variant)], (0, {}))
        for key in variant.front_matter:
            holders[key] = holders.get(key, 0) + 1
        cohorts[version[id(variant)]] = (size + 1, holders)
    for variant in translations:
        if not variant.report:  # a sibling loaded only to judge others: its findings are not reported
            continue
        if reference is not None and source_version in (None, version[id(variant)]):
            for key in sorted(source_keys - variant.front_matter.keys()):
                yield _lacks(ctx, variant, key, "the source locale has it")
            continue
        expected = _expected_keys(variant, *cohorts[version[id(variant)]], counts, len(variants))
        for key in sorted(expected.keys() - variant.front_matter.keys()):
            yield _lacks(ctx, variant, key, expected[key])


def _expected_keys(variant: Variant, cohort: int, holders: dict[str, int], counts: dict[str, int], total: int) -> dict[str, str]:
    """The keys expected of a variant, each with who holds it: those most of all `total` locales
    hold (`counts`) unless the other locales of its own version (its `cohort` of translations,
    `holders` of each key among them) mostly lack them too (that version's source did not have
    them), and those most of its own version hold (a version of three locales or more). The
    commit key itself, which says the version, is judged by all locales."""
    peers = cohort - 1
    expected = {}
    for key, count in counts.items():
        in_version = holders.get(key, 0)
        lacking = peers - (in_version - (key in variant.front_matter))
        if count * 2 > total and (key == "ms.sourcegitcommit" or lacking * 2 < peers or not peers):
            expected[key] = f"{count} of {total} locales have it"
        elif cohort >= 3 and in_version * 2 > cohort:
            expected[key] = f"{in_version} of the {cohort} locales translated from its source version have it"
    return expected


def _reference_version(ctx: Context, reference: Variant) -> object | None:
    """The source version the source-locale file stands for: its own commit, or for plain files
    the one whose translations it was aligned with (alignment._closest_version); None unknown."""
    own = canonical(reference.meta("ms.sourcegitcommit"))
    if own:
        return own
    for cohort in ctx.aligned:
        if cohort.reference is reference:
            commits = {canonical(member.variant.meta("ms.sourcegitcommit")) for member in cohort.members
                       if member.variant is not reference}
            return commits.pop() if len(commits) == 1 else None
    return None


def _lacks(ctx: Context, variant: Variant, key: str, who: str) -> Diagnostic:
    return ctx.diagnostic(variant, "M005", f"front matter lacks `{key}`: {who}", 0, 3, subject=key)


def _required_keys(ctx: Context, variants: list[Variant]) -> Iterator[Diagnostic]:
    for variant in variants:
        for key in ctx.settings.required_keys:
            if key not in variant.front_matter:
                yield ctx.diagnostic(variant, "M005", f"front matter lacks `{key}`, which `required-keys` asks for", 0, 3, subject=key)


def _content_locale(ctx: Context, variants: list[Variant]) -> Iterator[Diagnostic]:
    for variant in variants:
        declared = variant.front_matter.get("ms.contentlocale")
        if variant.place_locale is None or declared is None:
            continue
        if not _same_locale(str(declared), variant.place_locale):
            offset = variant.key_offsets.get("ms.contentlocale", 0)
            place = variant.place_locale
            message = f"`ms.contentlocale` is {show(declared)}, but the file sits in the `{place}` locale's place"
            fix = _value_fix(variant, "ms.contentlocale", _locale_case(place, str(declared)))
            yield ctx.diagnostic(variant, "M006", message, offset, offset + len("ms.contentlocale"), subject="ms.contentlocale", fix=fix)


def _same_locale(declared: str, place: str) -> bool:
    """Does the declared locale agree with the place's? A place that names less (`ar/`, `zh-Hans/`)
    agrees with any declaration of its language (`ar-SA`, `zh-CN`)."""
    from loclint.locales import has_region, normalise

    declared = normalise(declared.strip())
    if declared == place:
        return True
    return not has_region(place) and declared.split("-")[0] == place.split("-")[0]


def _locale_case(locale: str, example: str) -> str:
    """Write `locale` in the letter case the file already uses (`tr-TR` or `tr-tr`)."""
    language, _, rest = locale.partition("-")
    if example.islower():
        return locale
    return language + ("-" + rest.upper() if len(rest) == 2 else "-" + rest.title() if rest else "")


def _value_fix(variant: Variant, key: str, expected) -> Fix | None:
    """Replace a scalar value on the key's own line; list values are left to a person."""
    if isinstance(expected, tuple) or key not in variant.key_offsets:
        return None
    start = variant.key_offsets[key]
    line_end = variant.text.find("\n", start)
    line_end = len(variant.text) if line_end < 0 else line_end
    if variant.text[line_end - 1 : line_end] == "\r":
        line_end -= 1
    return Fix(start, line_end, f"{key}: {expected}", True, f"set `{key}` to {expected}")
