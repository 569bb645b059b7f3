"""`check --show-settings` and `check --show-files`: loclint explaining what it would do.

Both are plain text for people; they never run a check.
"""

from __future__ import annotations

import json
from pathlib import Path

from loclint.config import Settings
from loclint.discover import plan
from loclint.shard import Shard
from loclint.wording import plural


def _value(value: object) -> str:
    """A value in TOML syntax, as it would be written in the configuration."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(str(key))} = {_value(item)}" for key, item in value.items()) + " }" if value else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if value is None:
        return "(unset)"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def settings_report(settings: Settings, shard: Shard | None, baseline: Path | None) -> str:
    source = str(settings.config_path) if settings.config_path else "none found (defaults and command line only)"
    lines = [f"# configuration file: {source}"]
    rows = [(key, _value(getattr(settings, key.replace("-", "_")))) for key in sorted(settings.origins)]
    width = max(len(f"{key} = {value}") for key, value in rows)
    for (key, value), origin in zip(rows, (settings.origins[key] for key, _ in rows), strict=True):
        lines.append(f"{f'{key} = {value}':<{width}}  # {origin}")
    lines.append(f"# enabled rules ({len(settings.enabled)}): {' '.join(sorted(settings.enabled))}")
    if shard is not None:
        lines.append(f"# shard: {shard} (article groups whose key hashes to bucket {shard.index - 1} of {shard.count})")
    if baseline is not None:
        lines.append(f"# baseline: {baseline}")
    return "\n".join(lines)


def files_report(paths: list[str], settings: Settings, shard: Shard | None) -> str:
    """Every article group and its files, each with why it was taken; then the files skipped and why."""
    layout = plan(paths, settings, explain=True)
    groups = [planned for planned in layout.groups if shard is None or shard.takes(planned.article)]
    out: list[str] = []
    for planned in groups:
        out.append(f"{planned.article}  ({plural(planned.size, 'variant')})\n")
        for ref in planned.files:
            why = layout.reasons.get(ref.display) or ("taken" if ref.report else "sibling: loaded to judge, not reported")
            out.append(f"  {ref.place_locale or '?':<12} {ref.display}  # {why}\n")
    loose, skipped = _loose_files(layout, settings)
    if loose:
        how = f"grouped by `{settings.group_by}` after reading" if settings.group_by else "each its own group"
        out.append(f"loose files ({how}):\n")
        out.extend(f"  {display}\n" for display in loose)
    skipped.extend((display, why[len("skipped: "):]) for display, why in layout.reasons.items() if why.startswith("skipped: "))
    if skipped:
        out.append("skipped:\n")
        out.extend(f"  {display}  # {why}\n" for display, why in skipped)
    for missing in layout.missing:
        out.append(f"missing: {missing}\n")
    for note in layout.notes:
        out.append(f"note: {note}\n")
    count = f", {len(loose)} loose file{'s' if len(loose) != 1 else ''}" if loose else ""
    in_shard = f" in shard {shard}" if shard is not None else ""
    out.append(f"{len(groups)} article group{'s' if len(groups) != 1 else ''}{in_shard}{count}.\n")
    return "".join(out)


def _loose_files(layout, settings: Settings) -> tuple[list[str], list[tuple[str, str]]]:
    """Loose files checked, and those skipped because they declare no locale (see engine._loose_groups)."""
    if settings.group_by or settings.layout == "loose":
        return [ref.display for ref in layout.loose], []
    from loclint.engine import load_variant

    kept, skipped = [], []
    for ref in layout.loose:
        if load_variant(ref, settings).locale is not None:
            kept.append(ref.display)
        else:
            skipped.append((ref.display, "not a localized article: no locale in its path, no sibling locale, no `ms.contentlocale`"))
    return kept, skipped
