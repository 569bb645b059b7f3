"""Baselines: adopt loclint on a repository with many existing findings, report only new ones.

`--write-baseline FILE` records the findings of a run; `--baseline FILE` hides the findings it
records. An entry is keyed by article, locale, code and subject (the segment key or front-matter
key the finding is about), never by line or column, so edits elsewhere in a file do not bring
baselined findings back. Each key carries a count: if a segment had one P001 and now has two,
one of them is new and is reported.

An entry whose article and locale were checked in this run, for a code that is enabled, but which
matched fewer findings than its count is *fixed*: `--statistics` reports it, so the baseline can
be rewritten smaller. Entries for files the run did not check (another shard, a pre-commit run
on a few files) are neither matched nor fixed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from loclint.model import Diagnostic

FORMAT_VERSION = 1
Key = tuple[str | None, str | None, str, str | None]  # (article, locale, code, subject)
_FIELDS = ("article", "locale", "code", "subject")


class BaselineError(ValueError):
    """A baseline file that cannot be read or written; reported with exit status 2."""


def key_of(diagnostic: Diagnostic) -> Key:
    return (diagnostic.article, diagnostic.locale, diagnostic.code, diagnostic.subject)


def _sortable(key: Key) -> tuple[str, ...]:
    return tuple(part or "" for part in key)


@dataclass
class Baseline:
    """Findings recorded as accepted: how many of each key."""

    counts: Counter[Key] = field(default_factory=Counter)


@dataclass
class BaselineOutcome:
    """A run's findings set against a baseline: new, hidden and fixed."""

    new: list[Diagnostic]  # the findings the baseline does not hold, in their original order
    matched: int  # findings the baseline hid
    fixed: list[tuple[Key, int]]  # entries (and how many of their count) no longer found


def from_diagnostics(diagnostics: Iterable[Diagnostic]) -> Baseline:
    return Baseline(Counter(key_of(diagnostic) for diagnostic in diagnostics))


def write_baseline(path: Path, baseline: Baseline) -> int:
    """Write entries sorted by key, so the file diffs well in review; returns the entry count."""
    entries = []
    for key in sorted(baseline.counts, key=_sortable):
        entry = dict(zip(_FIELDS, key, strict=True))
        entry["count"] = baseline.counts[key]
        entries.append(entry)
    document = {"loclint-baseline": FORMAT_VERSION, "entries": entries}
    try:
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror or exc}") from exc
    return len(entries)


def load_baseline(path: Path) -> Baseline:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise BaselineError(f"baseline {path} is not valid JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("loclint-baseline") != FORMAT_VERSION:
        raise BaselineError(f"{path} is not a loclint baseline (version {FORMAT_VERSION}); write one with --write-baseline")
    counts: Counter[Key] = Counter()
    for number, entry in enumerate(document.get("entries") or [], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
            raise BaselineError(f"baseline {path}: entry {number} has no `code`")
        key = tuple(_optional_text(entry.get(name)) for name in _FIELDS)
        count = entry.get("count", 1)
        if not isinstance(count, int) or count < 1:
            raise BaselineError(f"baseline {path}: entry {number} has an invalid `count`")
        counts[key] += count  # type: ignore[index]
    return Baseline(counts)


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)


def apply_baseline(
    baseline: Baseline,
    diagnostics: list[Diagnostic],
    checked: Iterable[tuple[str | None, str | None]],
    enabled: frozenset[str],
) -> BaselineOutcome:
    """Split findings into new ones and baselined ones; find entries that are fixed.

    `checked` is the (article, locale) of every file reported on in this run.
    """
    remaining = Counter(baseline.counts)
    new: list[Diagnostic] = []
    for diagnostic in diagnostics:
        key = key_of(diagnostic)
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(diagnostic)
    checked = set(checked)
    fixed = [
        (key, left)
        for key, left in sorted(remaining.items(), key=lambda item: _sortable(item[0]))
        if left > 0 and (key[0], key[1]) in checked and key[2] in enabled
    ]
    return BaselineOutcome(new, len(diagnostics) - len(new), fixed)
