"""The run-wide acronym evidence (P004) a run leaves beside its cache, for later runs of a part.

P004 reports a lost acronym only when the other locales keep it nearly everywhere *in the run*.
A file named alone (pre-commit) or one locale folder would weigh its own article(s) only, and miss
findings the whole tree gives. So every run with a cache records each article group's acronym
usage in `<cache>/evidence-<run key>.json`; a later run adds the recorded usage of every group
it does not check itself, so a file named alone is judged on the evidence of the whole tree as
last checked. Groups whose first file is gone are dropped, and a run that walks a folder drops the
entries below it that it no longer found. The file is JSON, signed with the user's cache key like
every cache entry, and read defensively: anything without the expected shape is ignored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from loclint.consistency import AcronymUsage

FORMAT = 1
_KEY = f"run-evidence-{FORMAT}"  # the entry header's key (see cache.read_entry)


def _path(cache) -> Path:
    return cache.root / f"evidence-{cache.run_key[:24]}.json"  # beside the digest memo, not among entries


def load(cache) -> dict[str, dict]:
    """key -> {"file": first file's absolute path, "acronyms": {acronym: [[locale, kept, seen], ...]}}."""
    from loclint.cache import read_entry

    payload = read_entry(_path(cache), _KEY)  # signed: one planted in the tree is never read
    if payload is None:
        return {}
    try:
        data = json.loads(payload)
    except ValueError:
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("groups"), dict):
        return {}
    return {key: entry for key, entry in data["groups"].items() if _valid(entry)}


def _valid(entry) -> bool:
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or not isinstance(entry.get("acronyms"), dict):
        return False
    return all(isinstance(rows, list) and all(
        isinstance(row, list) and len(row) == 3 and (row[0] is None or isinstance(row[0], str))
        and isinstance(row[1], int) and isinstance(row[2], int) for row in rows) for rows in entry["acronyms"].values())


def entry(first_file: Path, usage: AcronymUsage) -> dict:
    return {"file": os.path.abspath(first_file),
            "acronyms": {acronym: [[locale, kept, seen] for locale, (kept, seen) in by_locale.items()]
                         for acronym, by_locale in usage.counts.items()}}


def others(recorded: dict[str, dict], checked: set[str]) -> AcronymUsage:
    """The recorded usage of the groups this run does not check, whose files still exist."""
    usage = AcronymUsage()
    for key, item in recorded.items():
        if key in checked or not os.path.exists(item["file"]):
            continue
        for acronym, rows in item["acronyms"].items():
            by_locale = usage.counts.setdefault(acronym, {})
            for locale, kept, seen in rows:
                counts = by_locale.setdefault(locale, [0, 0])
                counts[0] += kept
                counts[1] += seen
    return usage


def save(cache, recorded: dict[str, dict], fresh: dict[str, dict], walked: list[str]) -> None:
    """Record this run's groups; drop entries of gone files and of walked folders' lost groups."""
    kept = {key: item for key, item in recorded.items()
            if key not in fresh and os.path.exists(item["file"]) and not _below(item["file"], walked)}
    kept.update(fresh)
    if kept == recorded:
        return  # a warm run rewrites nothing
    payload = json.dumps({"format": FORMAT, "groups": kept}, ensure_ascii=False, sort_keys=True).encode("utf-8")
    from loclint.cache import write_entry

    try:
        cache.prepare_quietly()  # the cache folder and its marker files, as for an entry
    except OSError:
        return  # a cache that cannot be written is skipped, as its entries are
    write_entry(_path(cache), _KEY, payload)


def _below(path: str, tops: list[str]) -> bool:
    return any(path.startswith(top.rstrip(os.sep) + os.sep) for top in tops)
