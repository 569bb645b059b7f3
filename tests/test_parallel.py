"""Checking on several cores reports exactly what checking on one does, in the same order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from conftest import SHARED
from fixture_tree import write_tree
from loclint.cache import ResultCache
from loclint.config import load_settings
from loclint.engine import RunResult, run

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def _all_fixture_cases(root: Path) -> None:
    """Every rule fixture case as its own folder of one tree: many groups, every rule exercised."""
    for path in sorted(FIXTURES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, case in data["cases"].items():
            if case.get("args") or case.get("paths"):
                continue  # needs options of its own; the rest of the tree covers the rule
            write_tree(root / f"{data['rule']}-{name}", case["files"])


def _run(root: Path, jobs: int, cache_dir: Path | None = None) -> RunResult:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        settings = load_settings(None, {"select": ["ALL"]}, root)
        cache = ResultCache(cache_dir, settings) if cache_dir is not None else None
        return run(["."], settings, jobs=jobs, cache=cache)
    finally:
        os.chdir(cwd)


def _summary(result: RunResult) -> tuple:
    return (
        result.diagnostics,
        result.files,
        result.groups,
        result.segments,
        result.article_locales,
        result.reported_files,
    )


def test_parallel_run_equals_serial_run_on_every_fixture(tmp_path: Path) -> None:
    _all_fixture_cases(tmp_path)
    serial = _run(tmp_path, jobs=1)
    assert serial.groups > 50 and serial.diagnostics  # a tree worth splitting over workers
    assert _summary(_run(tmp_path, jobs=2)) == _summary(serial)
    assert _summary(_run(tmp_path, jobs=3)) == _summary(serial)


def test_entries_written_from_workers_serve_a_serial_warm_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Workers hand back the cache payload itself; the main process stores those bytes as they are.
    tree, cache_dir = tmp_path / "tree", tmp_path / "cache"
    _all_fixture_cases(tree)
    uncached = _run(tree, jobs=1)
    assert _summary(_run(tree, jobs=2, cache_dir=cache_dir)) == _summary(uncached)
    entries = [path for path in (cache_dir / "v1").rglob("*") if path.is_file()]
    assert len(entries) == uncached.groups

    def no_checking(*args, **kwargs):
        raise AssertionError("a warm run checked a group")

    monkeypatch.setattr("loclint.engine.check_planned", no_checking)
    assert _summary(_run(tree, jobs=1, cache_dir=cache_dir)) == _summary(uncached)


def test_run_wide_evidence_is_settled_over_every_worker(tmp_path: Path) -> None:
    # The P004 finding in b.md needs the acronym usage of a.md, which another worker may check.
    files = {}
    for index in range(12):
        for locale, word in (("de-DE", "MFA"), ("fr-FR", "MFA"), ("ro-RO", "MFA" if index else "AMF")):
            files[f"{locale}/art{index:02d}.md"] = f"{{{{103: Text {word}. || Text MFA.}}}}\n"
    write_tree(tmp_path, files)
    serial = _run(tmp_path, jobs=1)
    assert [d.code for d in serial.diagnostics if d.code == "P004"] == ["P004"]
    assert _summary(_run(tmp_path, jobs=2)) == _summary(serial)


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is not present in this checkout")
def test_parallel_run_equals_serial_run_on_the_seeds(tmp_path: Path) -> None:
    settings = load_settings(None, {"select": ["ALL"]}, tmp_path)
    serial = run([str(SHARED / "seeds")], settings, jobs=1)
    assert _summary(run([str(SHARED / "seeds")], settings, jobs=2)) == _summary(serial)
