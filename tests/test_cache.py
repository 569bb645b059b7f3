"""The result cache: a warm run reports what a cold one does, and a damaged cache is never trusted."""

from __future__ import annotations

import json
import os
import pickle
import threading
from pathlib import Path

import pytest

import loclint.cache
import loclint.engine
from fixture_tree import tree_in_docs
from loclint.cache import _MAGIC, DigestMemo, ResultCache
from loclint.signing import EntrySigner
from loclint.config import load_settings
from loclint.engine import RunResult, check_planned, run
from loclint.discover import plan

# Two articles in three locales: a.md has a lost number (P001), b.md a lost acronym (P004, settled
# at the end of the run from the acronym usage of both articles).
TREE = {
    "de-DE/a.md": "{{103: Port 8080 öffnen. || Open port 8080.}}\n",
    "fr-FR/a.md": "{{103: Ouvrez le port 8080. || Open port 8080.}}\n",
    "ro-RO/a.md": "{{103: Deschideți portul. || Open port 8080.}}\n",
    "de-DE/b.md": "{{104: Mit MFA anmelden. || Sign in with MFA.}}\n",
    "fr-FR/b.md": "{{104: Se connecter avec MFA. || Sign in with MFA.}}\n",
    "ro-RO/b.md": "{{104: Conectați-vă cu AMF. || Sign in with MFA.}}\n",
}


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return tree_in_docs(tmp_path, monkeypatch, TREE)


def _settings(**overrides):
    overrides.setdefault("extend-select", ["P001"])  # the tree's planted defects; P001 is off by default
    return load_settings(None, overrides, Path.cwd())


def _check(cache_dir: Path, **overrides) -> RunResult:
    settings = _settings(**overrides)
    return run(["."], settings, cache=ResultCache(cache_dir, settings))


def _lines(result: RunResult) -> list[str]:
    return [f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in result.diagnostics]


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The articles actually checked (not served from the cache) from now on."""
    seen: list[str] = []
    original = loclint.engine.check_group

    def counting(group, settings):
        seen.append(group.key)
        return original(group, settings)

    monkeypatch.setattr(loclint.engine, "check_group", counting)
    return seen


def _entries(cache_dir: Path) -> list[Path]:
    return sorted(path for path in (cache_dir / "v1").rglob("*") if path.is_file())


def test_warm_run_equals_cold_run_and_checks_nothing(tree: Path, tmp_path: Path, checked: list[str]) -> None:
    cache_dir = tmp_path / "cache"
    cold = _check(cache_dir)
    assert {d.code for d in cold.diagnostics} == {"P001", "P004"}  # P004 needs the settled usage
    assert sorted(checked) == ["a.md", "b.md"]
    checked.clear()
    warm = _check(cache_dir)
    assert checked == []
    assert warm.diagnostics == cold.diagnostics
    assert (warm.files, warm.groups, warm.segments) == (cold.files, cold.groups, cold.segments)
    assert (warm.article_locales, warm.reported_files) == (cold.article_locales, cold.reported_files)
    assert (cache_dir / "CACHEDIR.TAG").is_file()


def test_a_changed_file_rechecks_its_group_only(tree: Path, tmp_path: Path, checked: list[str]) -> None:
    cache_dir = tmp_path / "cache"
    _check(cache_dir)
    checked.clear()
    path = tree / "ro-RO" / "a.md"
    path.write_text(path.read_text(encoding="utf-8").replace("portul.", "portul 8080."), encoding="utf-8")
    result = _check(cache_dir)
    assert checked == ["a.md"]
    assert [d.code for d in result.diagnostics] == ["P004"]


def test_other_settings_do_not_share_entries(tree: Path, tmp_path: Path, checked: list[str]) -> None:
    cache_dir = tmp_path / "cache"
    _check(cache_dir)
    checked.clear()
    result = _check(cache_dir, ignore=["P001"])
    assert sorted(checked) == ["a.md", "b.md"]
    assert [d.code for d in result.diagnostics] == ["P004"]


def test_corrupt_entries_are_ignored_and_rebuilt(tree: Path, tmp_path: Path, checked: list[str]) -> None:
    cache_dir = tmp_path / "cache"
    cold = _lines(_check(cache_dir))
    entries = _entries(cache_dir)
    assert len(entries) == 2
    entries[0].write_bytes(entries[0].read_bytes()[:-7])  # truncated
    entries[1].write_bytes(b"garbage")
    checked.clear()
    assert _lines(_check(cache_dir)) == cold
    assert sorted(checked) == ["a.md", "b.md"]
    checked.clear()
    assert _lines(_check(cache_dir)) == cold  # rebuilt entries serve the next run
    assert checked == []


def test_an_entry_under_another_key_is_ignored(tree: Path, tmp_path: Path, checked: list[str]) -> None:
    cache_dir = tmp_path / "cache"
    cold = _lines(_check(cache_dir))
    first, second = _entries(cache_dir)
    first.write_bytes(second.read_bytes())  # b.md's result filed under a.md's key
    checked.clear()
    assert _lines(_check(cache_dir)) == cold
    assert len(checked) == 1


def test_a_planted_entry_cannot_run_code(tree: Path, tmp_path: Path) -> None:
    settings = _settings()
    cache = ResultCache(tmp_path / "cache", settings)
    planned = plan(["."], settings).groups[0]
    key = cache.key(planned)
    witness = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {witness}",))

    entry = cache.folder / key[:2] / key
    entry.parent.mkdir(parents=True)
    # Signed with this user's own key, so only the restricted unpickler stands in the way.
    entry.write_bytes(EntrySigner.for_user().sign(_MAGIC + key.encode() + b"\n" + pickle.dumps(Exploit())))
    assert cache.load(key) is None
    assert not witness.exists()


def test_concurrent_writers_leave_one_whole_entry(tree: Path, tmp_path: Path) -> None:
    settings = _settings()
    cache = ResultCache(tmp_path / "cache", settings)
    planned = plan(["."], settings).groups[0]
    key = cache.key(planned)
    outcome = check_planned(planned, settings)

    def write_often() -> None:
        for _ in range(25):
            cache.store(key, outcome)
            assert cache.load(key) is not None  # a reader never sees half an entry

    threads = [threading.Thread(target=write_often) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.load(key).checked.diagnostics == outcome.checked.diagnostics
    assert [path.name for path in _entries(tmp_path / "cache")] == [key]  # no temporary files left


def test_an_unwritable_cache_folder_only_costs_speed(tree: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    settings = _settings()
    assert _lines(run(["."], settings, cache=ResultCache(blocker, settings))) == _lines(run(["."], settings))


def test_command_line_cache_options(tree: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from loclint.cli import main

    runner = CliRunner()
    default = runner.invoke(main, ["check", ".", "--jobs", "2"])
    assert default.exit_code == 1, default.output
    assert (tree / ".loclint_cache" / "v1").is_dir()
    elsewhere = runner.invoke(main, ["check", ".", "--cache-dir", str(tmp_path / "c")])
    assert elsewhere.output == default.output
    assert (tmp_path / "c" / "v1").is_dir()
    uncached = runner.invoke(main, ["check", ".", "--no-cache", "--cache-dir", str(tmp_path / "none")])
    assert uncached.output == default.output
    assert not (tmp_path / "none").exists()


# --- the digest memo: unchanged files are known by their stat fields, not read again ----------


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test count as settled at once (the memo waits for older files)."""
    monkeypatch.setattr(loclint.cache, "_RACY_SECONDS", -60)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose bytes were hashed from now on."""
    seen: list[str] = []
    original = loclint.cache._content_digest

    def counting(path, max_bytes, *policy):
        seen.append(Path(path).as_posix())
        return original(path, max_bytes, *policy)

    monkeypatch.setattr(loclint.cache, "_content_digest", counting)
    return seen


def _memo(cache_dir: Path) -> dict:
    return json.loads(EntrySigner.for_user().verify((cache_dir / "digests.json").read_bytes()))["files"]


def test_a_warm_run_reads_no_file_whose_stat_is_unchanged(tree: Path, tmp_path: Path, settled, reads: list[str]) -> None:
    cache_dir = tmp_path / "cache"
    cold = _lines(_check(cache_dir))
    assert len(reads) == len(TREE)
    assert sorted(_memo(cache_dir)) == sorted(str(tree / name) for name in TREE)
    reads.clear()
    assert _lines(_check(cache_dir)) == cold
    assert reads == []


def test_a_file_rewritten_with_its_old_size_and_mtime_is_hashed_again(tree: Path, tmp_path: Path, settled, reads: list[str], checked: list[str]) -> None:
    cache_dir = tmp_path / "cache"
    _check(cache_dir)
    path = tree / "ro-RO" / "a.md"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("port 8080.", "port 8081."), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `touch -r` or an archive restore would
    assert path.stat().st_size == before.st_size
    reads.clear()
    checked.clear()
    result = _check(cache_dir)
    assert reads == ["ro-RO/a.md"]  # the change of ctime gives it away
    assert checked == ["a.md"]
    assert "8081" in " ".join(d.message for d in result.diagnostics)


def test_a_file_changed_just_now_is_not_remembered(tree: Path, tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loclint.cache, "_RACY_SECONDS", 3600)  # "just now": within the hour
    cache_dir = tmp_path / "cache"
    cold = _lines(_check(cache_dir))
    assert not (cache_dir / "digests.json").exists()  # every file of the tree was written a moment ago
    reads.clear()
    assert _lines(_check(cache_dir)) == cold
    assert len(reads) == len(TREE)


@pytest.mark.parametrize(
    "memo",
    [
        b"garbage",
        b'{"format": 1, "files": []}',
        b'{"format": 99, "files": {}}',
        b'[' * 100_000,
        None,  # filled in by the test: entries with the right stat fields but damaged digests
    ],
)
def test_a_damaged_memo_is_ignored(tree: Path, tmp_path: Path, settled, reads: list[str], memo: bytes | None) -> None:
    cache_dir = tmp_path / "cache"
    cold = _lines(_check(cache_dir))
    if memo is None:
        entries = _memo(cache_dir)
        broken = ["zz" * 32, "ab", 7]
        for index, name in enumerate(sorted(entries)):
            entries[name][5] = broken[index % len(broken)]
        memo = json.dumps({"format": 1, "files": entries}).encode()
    (cache_dir / "digests.json").write_bytes(EntrySigner.for_user().sign(memo))  # damaged, yet signed
    reads.clear()
    assert _lines(_check(cache_dir)) == cold
    assert len(reads) == len(TREE)


def test_concurrent_memo_writers_leave_a_whole_memo(tree: Path, tmp_path: Path, settled) -> None:
    memo_path = tmp_path / "cache" / "digests.json"
    first = DigestMemo(memo_path, EntrySigner.for_user())
    for name in TREE:
        first.digest(tree / name, 1 << 20)
    full = first.entries
    assert len(full) == len(TREE)
    seen: list[int] = []

    def save_often() -> None:
        for _ in range(25):
            memo = DigestMemo(memo_path, EntrySigner.for_user())
            memo.entries = dict(full)
            memo.save()
            seen.append(len(DigestMemo(memo_path, EntrySigner.for_user()).entries))  # a reader never sees half a memo

    threads = [threading.Thread(target=save_often) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(seen) == {len(TREE)}
    assert DigestMemo(memo_path, EntrySigner.for_user()).entries == full
    assert [path.name for path in memo_path.parent.iterdir()] == ["digests.json"]  # no temporary files left


def test_unreadable_and_too_large_files_are_keyed_by_why(tree: Path, tmp_path: Path, settled) -> None:
    (tree / "de-DE" / "c.md").symlink_to(tree / "nowhere.md")  # stat fails: never remembered
    (tree / "fr-FR" / "c.md").write_text("{{105: Grand || Big}}\n" * 50, encoding="utf-8")
    settings = _settings(**{"max-file-size": 800})
    uncached = _lines(run(["."], settings))
    assert any(" E00" in line for line in uncached)  # each file's problem is reported
    cache_dir = tmp_path / "cache"
    for _ in range(2):  # the cold run, then the warm one
        assert _lines(run(["."], settings, cache=ResultCache(cache_dir, settings))) == uncached
    remembered = _memo(cache_dir)
    assert str(tree / "de-DE" / "a.md") in remembered
    assert str(tree / "de-DE" / "c.md") not in remembered and str(tree / "fr-FR" / "c.md") not in remembered


def test_a_warm_run_reads_each_entry_when_its_turn_comes(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    cold = _lines(_check(cache_dir))
    events: list[str] = []
    load, merge = ResultCache.load, loclint.engine._merge
    monkeypatch.setattr(ResultCache, "load", lambda self, key: events.append("load") or load(self, key))
    monkeypatch.setattr(loclint.engine, "_merge", lambda result, outcome, *rest: events.append("merge") or merge(result, outcome, *rest))
    assert _lines(_check(cache_dir)) == cold
    assert events == ["load", "merge"] * 2  # never every outcome in memory at once
