"""Renderers: diagnostics to text. Each format is a function `(diagnostics, run) -> str`.

`FORMATS` is the one table of formats: the command line's `--output-format` choices and the
configuration's `output-format` values both come from it. Formats meant for a terminal also take
`color` and `unsafe` (which fixes count as fixable); `render` passes them only to them.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING

from loclint.model import Diagnostic
from loclint.output.common import as_json_object, safe_text
from loclint.wording import plural

if TYPE_CHECKING:
    from loclint.results import RunResult

__all__ = ["FORMATS", "HUMAN_FORMATS", "as_json_object", "fix_counts", "fixable_line", "render", "safe_text", "statistics", "summary", "wants_color"]

Renderer = Callable[[list[Diagnostic], "RunResult"], str]


class _Renderers(Mapping[str, Renderer]):
    """Format name -> renderer, each renderer's module imported when it is first looked up.

    A run prints one format: importing every renderer (the HTML report's entity table, JUnit's
    XML library) would cost every run for what one format needs."""

    def __init__(self, table: dict[str, str]) -> None:
        self._table = table  # name -> "module:function" under loclint.output
        self._loaded: dict[str, Renderer] = {}

    def __getitem__(self, name: str) -> Renderer:
        found = self._loaded.get(name)
        if found is None:
            module, function = self._table[name].split(":")
            found = self._loaded[name] = getattr(import_module(f"loclint.output.{module}"), function)
        return found

    def __contains__(self, name: object) -> bool:
        return name in self._table

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


FORMATS: Mapping[str, Renderer] = _Renderers({
    "full": "text:full",
    "concise": "text:concise",
    "grouped": "text:grouped",
    "json": "json_formats:json_format",
    "json-lines": "json_formats:json_lines",
    "github": "github:github",
    "gitlab": "gitlab:gitlab",
    "sarif": "sarif:sarif",
    "junit": "junit:junit",
    "pylint": "text:pylint",
    "html": "html:html_report",
})
# Formats read by people: they get colour on a terminal and the one-line summary after them.
HUMAN_FORMATS = frozenset({"full", "concise", "grouped"})


def wants_color(stream, to_file: bool) -> bool:
    """Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org)."""
    return not to_file and not os.environ.get("NO_COLOR") and hasattr(stream, "isatty") and stream.isatty()


def render(name: str, diagnostics: list[Diagnostic], run: RunResult, *, color: bool = False, unsafe: bool = False) -> str:
    """`unsafe` (`--unsafe-fixes`): unsafe fixes count as fixable, so their findings get the marker."""
    renderer = FORMATS[name]
    if name in HUMAN_FORMATS:
        return renderer(diagnostics, run, color=color, unsafe=unsafe)  # type: ignore[call-arg]
    return renderer(diagnostics, run)


def summary(diagnostics: list[Diagnostic], run: RunResult, *, unsafe: bool = False) -> str:
    checked = f"{plural(run.files, 'file')} in {plural(run.groups, 'article group')}"
    hidden = f"; {run.baselined} more in the baseline" if getattr(run, "baselined", 0) else ""
    skipped = getattr(run, "skipped", [])
    if not diagnostics and not run.files and skipped:
        return f"Nothing to check: {plural(len(skipped), 'file')} named, none a localized article (see --show-files)."
    if not diagnostics:
        return f"All checks passed ({checked}{hidden})."
    files = len({d.path for d in diagnostics})
    found = f"Found {plural(len(diagnostics), 'problem')} in {plural(files, 'file')} ({checked} checked{hidden})."
    fixable = fixable_line(diagnostics, unsafe)
    return f"{found}\n{fixable}" if fixable else found


def fixable_line(diagnostics: list[Diagnostic], unsafe: bool) -> str:
    """ruff's closing hint: `[*] 3 fixable with `--fix` (2 more with `--unsafe-fixes`).`; empty when none is."""
    safe, more = fix_counts(diagnostics, unsafe)
    if not safe and not more:
        return ""
    extra = f" ({more} more with `--unsafe-fixes`)" if more else ""
    if not safe:
        return f"No fixes with `--fix`{extra}."
    option = "--fix --unsafe-fixes" if unsafe else "--fix"
    return f"[*] {safe} fixable with `{option}`{extra}."


def fix_counts(diagnostics: list[Diagnostic], unsafe: bool) -> tuple[int, int]:
    """(findings the fix run would repair, findings only `--unsafe-fixes` would add)."""
    fixable = sum(d.fixable(unsafe) for d in diagnostics)
    return fixable, sum(d.fixable(True) for d in diagnostics) - fixable


def statistics(diagnostics: list[Diagnostic], run: RunResult, *, as_json: bool = False) -> str:
    """Counts per code, most frequent first, and the baseline entries no longer found ("fixed")."""
    from loclint.registry import all_rules

    rules = all_rules()
    counts = Counter(d.code for d in diagnostics)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    fixed = sum(count for _, count in run.baseline_fixed)
    coverage = run.coverage.rows() if getattr(run, "coverage", None) is not None else []
    if len(coverage) < 2:  # one locale: nothing to be missing against
        coverage = []
    if as_json:
        document = {
            "codes": [{"code": code, "name": rules[code].name if code in rules else None, "count": count} for code, count in rows],
            "baseline": {"hidden": run.baselined, "fixed": fixed},
            "coverage": [{"locale": locale, "articles": have, "of": total} for locale, have, total in coverage],
        }
        if run.history is not None and run.history.files:
            document["drift"] = _drift_document(run.history)
        return json.dumps(document, indent=2) + "\n"
    width = max((len(str(count)) for _, count in rows), default=1)
    lines = [f"{count:>{width}}  {code}  {rules[code].name if code in rules else ''}".rstrip() for code, count in rows]
    if run.baselined or run.baseline_fixed:
        lines.append(f"{run.baselined:>{width}}  hidden by the baseline")
        lines.append(f"{fixed:>{width}}  fixed: in the baseline, no longer found")
        for (article, locale, code, subject), count in run.baseline_fixed:
            where = " ".join(part for part in (article, locale, code, subject and f"[{subject}]") if part)
            lines.append(f"{'':>{width}}    {where}" + (f" ×{count}" if count > 1 else ""))
    lines.extend(_coverage_lines(coverage))
    if run.history is not None and run.history.files:
        lines.extend(_drift_lines(run.history))
    return "\n".join(lines) + ("\n" if lines else "")


def _drift_lines(history) -> list[str]:
    """The per-locale drift table and the files to update, most behind first (H rules)."""
    from loclint.history import day

    rows = [("locale", "up to date", "stale", "units behind", "oldest")]
    rows += [(locale, str(fresh), str(stale), str(behind), day(oldest) if stale else "-")
             for locale, fresh, stale, behind, oldest in history.locales()]
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    lines = ["", "translation drift (from git history):"]
    lines += ["  " + "  ".join(cell.ljust(width) if column == 0 else cell.rjust(width)
                               for column, (cell, width) in enumerate(zip(row, widths))) for row in rows]
    to_update = history.to_update()
    if to_update:
        lines += ["", f"to update ({len(to_update)} files):"]
        lines += [f"  {drift.path}  {drift.behind} units behind since {day(drift.base_time)} (the source has {drift.units})"
                  for drift in to_update]
    return lines


def _drift_document(history) -> dict:
    from loclint.history import day

    return {
        "locales": [{"locale": locale, "up_to_date": fresh, "stale": stale, "units_behind": behind,
                     "oldest": day(oldest) if stale else None} for locale, fresh, stale, behind, oldest in history.locales()],
        "to_update": [{"path": d.path, "locale": d.locale, "units_behind": d.behind, "units": d.units,
                       "since": day(d.base_time)} for d in history.to_update()],
    }


def _coverage_lines(rows: list[tuple[str, int, int]]) -> list[str]:
    """Articles per locale, of the articles of the locale folders it is in (see loclint/coverage.py)."""
    if not rows:
        return []
    width = max(len(locale) for locale, _, _ in rows)
    digits = len(str(max(total for _, _, total in rows)))
    lines = ["coverage (articles per locale):"]
    for locale, have, total in rows:
        gap = f"  ({total - have} missing)" if have < total else ""
        lines.append(f"  {locale:<{width}}  {have:>{digits}} of {total}{gap}")
    return lines
