"""Which locales have which articles: per-locale coverage and M007 (missing translation).

Both are read from the plan alone, before any file is parsed: an article group is one relative
path under one container of locale folders (or repositories), so the locales of a container are
every locale any of its groups has. Docs-site presets and loose files are left out: a preset's
locales live in the site's own scheme, and loose files have no place to be missing from.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from loclint.discover import Plan, PlannedGroup
from loclint.model import Diagnostic

CODES = ("M007",)


@dataclass
class Coverage:
    """Per locale: the articles it has and the articles of the containers it is in."""

    have: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)

    def merge(self, other: Coverage) -> None:
        for mine, theirs in ((self.have, other.have), (self.total, other.total)):
            for locale, count in theirs.items():
                mine[locale] = mine.get(locale, 0) + count

    def rows(self) -> list[tuple[str, int, int]]:
        return [(locale, self.have.get(locale, 0), self.total[locale]) for locale in sorted(self.total)]


def _by_container(layout: Plan) -> dict[str, list[PlannedGroup]]:
    found: dict[str, list[PlannedGroup]] = {}
    for group in layout.groups:
        if group.preset is None:
            found.setdefault(group.key.split("\0", 1)[0], []).append(group)
    return found


def coverage(layout: Plan) -> Coverage:
    result = Coverage()
    for container, groups in _by_container(layout).items():
        locales = set(layout.locale_folders.get(container, {}))
        for locale in locales:
            result.total[locale] = result.total.get(locale, 0) + len(groups)
        for group in groups:
            for locale in {ref.place_locale for ref in group.files if ref.place_locale}:
                result.have[locale] = result.have.get(locale, 0) + 1
    return result


def missing_translations(layout: Plan, settings, takes=None) -> list[Diagnostic]:
    """M007: an article more than half of its container's locales have, and a locale lacks.

    Reported only for locales the run reports on there (a file named alone reports nothing on
    its siblings' locales), at the path the translation would have."""
    found = []
    for container, groups in _by_container(layout).items():
        folders = layout.locale_folders.get(container, {})
        reported = {ref.place_locale for group in groups for ref in group.files if ref.report}
        total = len(folders)
        if total < 3:  # with two locales there is no majority to miss an article against
            continue
        for group in groups:
            if takes is not None and not takes(group.article):
                continue
            present = {ref.place_locale for ref in group.files}
            if len(present) * 2 <= total:
                continue
            for locale in sorted(reported - present):
                path = f"{folders[locale]}/{group.article}"
                if _ignored(path, locale, settings):
                    continue
                found.append(Diagnostic(
                    path, 1, 1, 1, 1, "M007",
                    f"missing translation: {len(present)} of {total} locales have `{group.article}`, {locale} does not; "
                    f"translate it, or exclude the article for this locale if it is not meant to be translated",
                    locale=locale, article=group.article, subject=group.article))
    return found


def _ignored(path: str, locale: str, settings) -> bool:
    codes = list(settings.per_locale_ignores.get(locale, ()))
    name = path.rsplit("/", 1)[-1]
    for pattern, listed in settings.per_file_ignores.items():
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(name, pattern):
            codes.extend(listed)
    return any("M007".startswith(code.upper()) for code in codes)
