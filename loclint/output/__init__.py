"""Renderers: diagnostics to text. Each format is a function `(diagnostics, run) -> str`.

`FORMATS` is the one table of formats: the command line's `--output-format` choices and the
configuration's `output-format` values both come from it. Formats meant for a terminal also take
`color=True`; `render` passes it only to them.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from loclint.model import Diagnostic
from loclint.output.common import as_json_object, plural, safe_text
from loclint.output.github import github
from loclint.output.gitlab import gitlab
from loclint.output.html import html_report
from loclint.output.json_formats import json_format, json_lines
from loclint.output.junit import junit
from loclint.output.sarif import sarif
from loclint.output.text import concise, full, grouped, pylint

if TYPE_CHECKING:
    from loclint.engine import RunResult

__all__ = ["FORMATS", "HUMAN_FORMATS", "as_json_object", "render", "safe_text", "statistics", "summary", "wants_color"]

FORMATS: dict[str, Callable[[list[Diagnostic], RunResult], str]] = {
    "full": full,
    "concise": concise,
    "grouped": grouped,
    "json": json_format,
    "json-lines": json_lines,
    "github": github,
    "gitlab": gitlab,
    "sarif": sarif,
    "junit": junit,
    "pylint": pylint,
    "html": html_report,
}
# Formats read by people: they get colour on a terminal and the one-line summary after them.
HUMAN_FORMATS = frozenset({"full", "concise", "grouped"})


def wants_color(stream, to_file: bool) -> bool:
    """Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org)."""
    return not to_file and not os.environ.get("NO_COLOR") and hasattr(stream, "isatty") and stream.isatty()


def render(name: str, diagnostics: list[Diagnostic], run: RunResult, *, color: bool = False) -> str:
    renderer = FORMATS[name]
    if color and name in HUMAN_FORMATS:
        return renderer(diagnostics, run, color=True)  # type: ignore[call-arg]
    return renderer(diagnostics, run)


def summary(diagnostics: list[Diagnostic], run: RunResult) -> str:
    checked = f"{plural(run.files, 'file')} in {plural(run.groups, 'article group')}"
    hidden = f"; {run.baselined} more in the baseline" if getattr(run, "baselined", 0) else ""
    if not diagnostics:
        return f"All checks passed ({checked}{hidden})."
    files = len({d.path for d in diagnostics})
    return f"Found {plural(len(diagnostics), 'problem')} in {plural(files, 'file')} ({checked} checked{hidden})."


def statistics(diagnostics: list[Diagnostic], run: RunResult, *, as_json: bool = False) -> str:
    """Counts per code, most frequent first, and the baseline entries no longer found ("fixed")."""
    from loclint.registry import all_rules

    rules = all_rules()
    counts = Counter(d.code for d in diagnostics)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    fixed = sum(count for _, count in run.baseline_fixed)
    if as_json:
        document = {
            "codes": [{"code": code, "name": rules[code].name if code in rules else None, "count": count} for code, count in rows],
            "baseline": {"hidden": run.baselined, "fixed": fixed},
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
