"""The on-disk caches are bounded: entries unused for 30 days go, then the least recently used
while the entries hold more than the size cap; at most once a day, by a run that writes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import loclint.cache
from fixture_tree import tree_in_docs
from loclint.cache import ResultCache, prune, prune_if_due
from loclint.config import load_settings
from loclint.engine import run

DAY = 86400
TREE = {
    "de-DE/a.md": "{{103: Port 8080 öffnen. || Open port 8080.}}\n",
    "fr-FR/a.md": "{{103: Deschideți portul. || Open port 8080.}}\n",
}


def _entry(root: Path, folder: str, name: str, age_days: float, size: int = 10) -> Path:
    path = root / folder / name[:2] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    stamp = time.time() - age_days * DAY
    os.utime(path, (stamp, stamp))
    return path


def test_entries_unused_for_a_month_are_removed_of_every_kind_and_format(tmp_path: Path) -> None:
    old = [_entry(tmp_path, "v1", "aa01", 40), _entry(tmp_path, "parse-v1", "bb01", 31), _entry(tmp_path, "v0", "cc01", 90)]
    fresh = [_entry(tmp_path, "v1", "aa02", 2), _entry(tmp_path, "parse-v1", "bb02", 29)]
    writing = _entry(tmp_path, "v1", ".tmp-1-x", 40)  # a write under way is never pruned
    other = tmp_path / "digests.json"
    other.write_text("{}")
    os.utime(other, (time.time() - 90 * DAY,) * 2)
    assert prune(tmp_path) == 3
    assert not any(path.exists() for path in old)
    assert all(path.exists() for path in [*fresh, writing, other])


def test_over_the_size_cap_the_least_recently_used_go_first(tmp_path: Path) -> None:
    paths = [_entry(tmp_path, "v1", f"aa{age:02d}", age, size=100) for age in (1, 5, 3, 2)]
    assert prune(tmp_path, max_bytes=250) == 2
    assert [path.exists() for path in paths] == [True, False, False, True]
    assert prune(tmp_path, max_bytes=250) == 0  # under the cap: nothing more


def test_pruning_runs_at_most_once_a_day(tmp_path: Path) -> None:
    stale = _entry(tmp_path, "v1", "aa01", 40)
    mark = tmp_path / "last-prune"
    mark.write_text("")
    assert prune_if_due(tmp_path) == 0 and stale.exists()  # pruned less than a day ago
    os.utime(mark, (time.time() - 2 * DAY,) * 2)
    assert prune_if_due(tmp_path) == 1 and not stale.exists()
    assert mark.stat().st_mtime > time.time() - 60  # the turn is claimed for the next day


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return tree_in_docs(tmp_path, monkeypatch, TREE)


def _check(cache_dir: Path):
    settings = load_settings(None, {"extend-select": ["P001"]}, Path.cwd())
    return run(["."], settings, cache=ResultCache(cache_dir, settings))


def test_a_hit_keeps_an_entry_in_use_and_a_writing_run_prunes_the_rest(tree: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cold = [d.code for d in _check(cache_dir).diagnostics]
    assert cold == ["P001"]
    (used,) = [path for path in (cache_dir / "v1").rglob("*") if path.is_file()]
    long_ago = time.time() - 40 * DAY
    os.utime(used, (long_ago, long_ago))
    assert [d.code for d in _check(cache_dir).diagnostics] == cold  # a hit...
    assert used.stat().st_mtime > time.time() - 60  # ...marks the entry used
    stale = _entry(cache_dir, "v1", "ff" + "0" * 62, 40)
    os.utime(cache_dir / "last-prune", (long_ago,) * 2)
    (tree / "fr-FR/a.md").write_text((tree / "fr-FR/a.md").read_text() + "\n")  # a miss: this run writes
    assert [d.code for d in _check(cache_dir).diagnostics] == cold
    assert used.exists() and not stale.exists()


def test_a_hit_on_a_recently_used_entry_writes_nothing(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    _check(cache_dir)
    touched: list = []
    monkeypatch.setattr(loclint.cache.os, "utime", lambda *args, **kwargs: touched.append(args))
    _check(cache_dir)
    assert touched == []


def test_a_parse_cache_hit_marks_its_entry_used_and_a_forged_one_is_not(tmp_path: Path) -> None:
    from loclint.cache import read_entry, write_entry

    path = tmp_path / "parse-v1" / "ab" / "abcd"
    write_entry(path, "abcd", b"payload")
    long_ago = time.time() - 40 * DAY
    os.utime(path, (long_ago,) * 2)
    assert read_entry(path, "abcd") == b"payload"
    assert path.stat().st_mtime > time.time() - 60
    forged = tmp_path / "parse-v1" / "ab" / "abce"
    forged.write_bytes(b"\0" * 32 + b"not signed by this user")
    os.utime(forged, (long_ago,) * 2)
    assert read_entry(forged, "abce") is None
    assert forged.stat().st_mtime < time.time() - 39 * DAY  # kept old: the next prune removes it
