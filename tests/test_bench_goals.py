"""bench/run.py judges the issue's goals from measured figures: each row says met or missed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _case(wall: float, cpu: float | None = None, rss: float = 40) -> dict:
    return {"wall": wall, "cpu": wall if cpu is None else cpu, "rss": rss}


def _size(scale: int, cold: float, warm: float, precommit: float, resident: float | None = None) -> dict:
    files = 100 * scale
    cases = {"floor": _case(0.1 * scale), "cold": _case(cold), "warm": _case(warm), "pre-commit": {**_case(precommit), "files": 40}}
    if resident is not None:
        cases["pre-commit, resident"] = {**_case(resident), "files": 40}
    return {"scale": scale, "volume": {"files": files, "bytes": files * 9000, "segments": files * 30}, "cases": cases}


def _verdicts(results, peer=None, startup=None) -> dict[str, str]:
    return {goal.split(" (")[0].split(":")[0]: verdict for goal, _, _, verdict in _bench().goals(results, peer, startup)}


def test_goals_met():
    results = [_size(1, 0.5, 0.15, 0.12, 0.09), _size(16, 8.0, 1.6, 0.13, 0.1)]
    peer = {"scale": 1, "tests": ["numbers"], "units": 3000, "wall": 11.0, "cpu": 11.0}
    startup = {"python": _case(0.012), "loclint": _case(0.030)}
    verdicts = _verdicts(results, peer, startup)
    assert set(verdicts.values()) == {"met"}, verdicts
    assert len(verdicts) == 9
    assert "pre-commit with the resident server" in verdicts and "pre-commit in a fresh process" in verdicts


def test_goals_missed_on_either_clock():
    results = [_size(1, 0.5, 0.15, 0.12, 0.1), _size(16, 8.0, 1.6, 0.13, 0.1)]
    results[1]["cases"]["pre-commit"] = _case(0.14, cpu=0.2)  # fine on the wall clock only
    results[1]["cases"]["cold"] = _case(17.0)  # 10.6x the floor, and twice the cost per file of 1x
    startup = {"python": _case(0.012), "loclint": _case(0.060)}
    verdicts = _verdicts(results, None, startup)
    assert verdicts["pre-commit in a fresh process"] == "**missed**"
    assert verdicts["pre-commit with the resident server"] == "met"
    assert verdicts["`loclint --version`"] == "**missed**"
    assert verdicts["cold against the read-and-scan floor"] == "**missed**"
    assert verdicts["warm against the read-and-scan floor"] == "met"
    assert verdicts["cold cost per file against 1×"] == "**missed**"


def test_the_table_shows_pofilter_beside_loclint():
    results = [_size(1, 0.5, 0.15, 0.12)]
    peer = {"scale": 1, "tests": ["numbers"], "units": 3000, "wall": 2.0, "cpu": 2.0, "rss": 30, "po_files": 90, "po_bytes": 500_000}
    report = _bench().table(results, peer, 5, 1, {"python": _case(0.012), "loclint": _case(0.03)})
    rows = [line for line in report.splitlines() if line.startswith("| 1× |")]
    assert [row.split(" | ")[1] for row in rows] == ["floor", "cold", "warm", "pre-commit", "pofilter (PO)"]
    assert "| cold vs pofilter" in report and "4.0× (wall)" in report


def test_benchmark_tree_is_made_from_the_fixtures_without_the_shared_corpus(tmp_path, monkeypatch):
    """A clone of this repository alone can run the benchmark: its tree is made of the rule
    fixtures' files (history cases, symlinks and FIFOs left out), with the 40-locale group beside."""
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH.parent / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    monkeypatch.setattr(generate, "SHARED_CORPUS", tmp_path / "no-corpus")
    info = generate.generate(tmp_path / "out", 1)
    tree = tmp_path / "out" / info["tree"]
    files = [path for path in tree.rglob("*") if not path.is_dir()]
    assert info["source"] == "tests/fixtures"
    assert len(files) > 100 and all(path.is_file() and not path.is_symlink() for path in files)
    assert len(list((tmp_path / "out" / "precommit").glob("*/article.md"))) == 40
