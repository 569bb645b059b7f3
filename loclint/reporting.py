"""Which findings of a group a run reports: not suppressed by a comment, in a file reported on,
not dropped by `per-locale-ignores` or `per-file-ignores`, of an enabled code. The group checks
and the history pass (loclint/history.py) filter their findings through the same object."""

from __future__ import annotations

import dataclasses
import fnmatch
from pathlib import PurePath

from loclint.config import Settings
from loclint.model import Diagnostic, Group, Variant
from loclint.suppress import GroupSuppressions


class Reporting:
    """Which findings of a group the run reports: not suppressed, in a file reported on, not ignored."""

    def __init__(self, group: Group, settings: Settings) -> None:
        self.group = group
        self.settings = settings
        self.files = {variant.display_path: variant for variant in group.variants if variant.report}
        self.suppressions = GroupSuppressions(self.files.values())
        self.ignored = {path: ignored_prefixes(variant, settings) for path, variant in self.files.items()}

    def wanted(self, diagnostic: Diagnostic) -> Diagnostic | None:
        prefixes = self.ignored.get(diagnostic.path)
        code = diagnostic.code
        if prefixes is None or code not in self.settings.enabled or code.startswith(prefixes):
            return None
        if diagnostic.article is None:
            diagnostic = dataclasses.replace(diagnostic, article=self.group.key)
        return diagnostic

    def pending(self, diagnostic: Diagnostic) -> Diagnostic | None:
        """A run-wide candidate as the run would report it, or None; covering it uses a suppression."""
        if self.suppressions.covers(diagnostic):
            return None
        return self.wanted(diagnostic)


def ignored_prefixes(variant: Variant, settings: Settings) -> tuple[str, ...]:
    """The code prefixes `per-locale-ignores` and `per-file-ignores` drop for this file.

    Resolved once per file, not per finding: a file can have thousands of candidate findings."""
    prefixes = [prefix.upper() for prefix in settings.per_locale_ignores.get(variant.locale or "", ())]
    path = PurePath(variant.display_path).as_posix()
    name = PurePath(path).name
    for pattern, codes in settings.per_file_ignores.items():
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(name, pattern):
            prefixes.extend(prefix.upper() for prefix in codes)
    return tuple(prefixes)
