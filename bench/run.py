"""The loclint benchmark: throughput at several corpus sizes, a peer and a floor, as one table.

    python bench/run.py                      # sizes 1, 4, 16; 3 runs each; pofilter at 1x
    python bench/run.py --sizes 1,4 --repeat 5 --peer-scale 0

For each size N (N copies of ../shared/corpus, or of the test fixtures without it; see
generate.py) it times, as separate `loclint` processes with every core:
- cold:      an empty result cache;
- warm:      the cache of the cold run, nothing changed;
- touch 1%:  every hundredth file changed, the rest cached;
- pre-commit: `loclint check` on one changed file of a 40-locale article group (kept outside the
             tree the other runs time), with the cache of the runs above;
- floor:     reading every byte and scanning it once with one compiled pattern (floor.py);
once, the fixed cost of any run: `python -c pass` and `loclint --version` (start-up);
and at the peer scale, translate-toolkit's `pofilter` with its comparable checks over the same
segments exported to PO files. Each figure is the median of the runs; peak RSS is that of the
largest process (the main one or a worker it waited for). Results go to bench/out/results.md
and .json.

Every changed-file run writes content no earlier run wrote (one more trailing newline per run),
so a repeat can never be served from the cache entry the previous repeat stored. loclint's
modules are byte-compiled first, as an installed package is: with PYTHONDONTWRITEBYTECODE set,
every process would otherwise compile loclint's sources anew and time that too.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

OUT = HERE / "out"
LOCLINT = [sys.executable, "-m", "loclint", "check", "--exit-zero", "--quiet"]
PEER_TESTS = (
    "numbers urls xmltags variables printf pythonbraceformat acronyms emails filepaths "
    "untranslated doublespacing endpunc brackets"
).split()


def timed(command: list[str], cwd: Path | None = None) -> dict:
    """Wall and CPU seconds and peak RSS (MB) of one process and the workers it waited for."""
    with tempfile.TemporaryFile() as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=sink, stderr=subprocess.PIPE)
        stderr = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        sink.seek(0)
        output = sink.read()
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {stderr.decode(errors='replace')[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024, "output": output}


def median_of(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in ("wall", "cpu", "rss")}


def touch(paths: list[Path], run: int) -> dict[Path, bytes]:
    """Change files by replacing them, with `run` + 1 more trailing newlines: each run of a case
    writes new content, so no run reuses a result cached by the one before. Returns the old bytes."""
    old = {}
    for path in paths:
        old[path] = data = path.read_bytes()
        replacement = path.with_name(path.name + ".new")
        replacement.write_bytes(data + b"\n" * (run + 1))
        os.replace(replacement, path)
    return old


def restore(old: dict[Path, bytes]) -> None:
    for path, data in old.items():
        path.write_bytes(data)


def bench_size(scale: int, repeat: int, jobs: int | None, fraction: int) -> dict:
    root = OUT / f"scale-{scale}"
    info = generate(root, scale, fraction=fraction)
    tree = root / info["tree"]
    cache = OUT / f"cache-{scale}"
    options = ["--cache-dir", str(cache)] + (["--jobs", str(jobs)] if jobs else [])
    floor_runs = [timed([sys.executable, str(HERE / "floor.py"), str(tree)]) for _ in range(repeat)]
    volume = json.loads(floor_runs[0]["output"])
    cases: dict[str, dict] = {"floor": median_of(floor_runs)}

    cold = []
    for _ in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(timed([*LOCLINT, *options, str(tree)]))
    cases["cold"] = median_of(cold)
    cases["warm"] = median_of([timed([*LOCLINT, *options, str(tree)]) for _ in range(repeat)])

    files = sorted(path for path in tree.rglob("*.md") if path.is_file())
    touched = []
    for run in range(repeat):
        old = touch(files[run::100], run)
        try:
            touched.append(timed([*LOCLINT, *options, str(tree)]))
        finally:
            restore(old)
    cases["touch 1%"] = median_of(touched)

    if info.get("precommit"):
        changed = root / info["precommit"]
        precommit = []
        for run in range(repeat):
            old = touch([changed], run)
            try:
                precommit.append(timed([*LOCLINT, *options, info["precommit"]], cwd=root))
            finally:
                restore(old)
        cases["pre-commit"] = median_of(precommit)
        cases["pre-commit"]["files"] = len(list((root / "precommit").rglob("*.md")))
    return {"scale": scale, "volume": volume, "cases": cases}


def bench_peer(scale: int, repeat: int) -> dict | None:
    # The peer installed beside this Python (a venv not activated) before any on PATH.
    beside = Path(sys.executable).with_name("pofilter")
    pofilter = str(beside) if beside.is_file() else shutil.which("pofilter")
    if pofilter is None:
        print("pofilter not found: `pip install -e .[bench]` installs translate-toolkit", file=sys.stderr)
        return None
    tree = OUT / f"scale-{scale}" / "tree"
    po_in, po_out = OUT / f"po-{scale}", OUT / f"po-{scale}-flagged"
    shutil.rmtree(po_in, ignore_errors=True)
    exported = json.loads(subprocess.run(
        [sys.executable, str(HERE / "po_export.py"), str(tree), str(po_in)], check=True, capture_output=True, text=True
    ).stdout)
    command = [pofilter, "--progress=none", *[f"--test={test}" for test in PEER_TESTS], "-i", str(po_in), "-o", str(po_out)]
    runs = []
    for _ in range(repeat):
        shutil.rmtree(po_out, ignore_errors=True)
        runs.append(timed(command))
    return {"scale": scale, "tests": PEER_TESTS, **exported, **median_of(runs)}


def bench_startup(repeat: int) -> dict:
    """What every run pays before reading a file: the interpreter, then loclint's command line."""
    return {
        "python": median_of([timed([sys.executable, "-c", "pass"]) for _ in range(repeat)]),
        "loclint": median_of([timed([sys.executable, "-m", "loclint", "--version"]) for _ in range(repeat)]),
    }


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {model}, Python {platform.python_version()}"


def table(results: list[dict], peer: dict | None, repeat: int, fraction: int, startup: dict | None = None) -> str:
    rows = [
        "| size | run | files | MB | segments | wall s | CPU s | files/s | MB/s | segments/s | peak RSS MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        volume = result["volume"]
        for name, case in result["cases"].items():
            files = case.get("files", volume["files"])
            megabytes = volume["bytes"] / 1e6 if name != "pre-commit" else None
            segments = volume["segments"] if name != "pre-commit" else None
            wall = case["wall"]
            rows.append(
                f"| {result['scale']}× | {name} | {files:,} | {_num(megabytes)} | {_num(segments, 0)} | {wall:.3f} | "
                f"{case['cpu']:.2f} | {files / wall:,.0f} | {_num(megabytes and megabytes / wall)} | "
                f"{_num(segments and segments / wall, 0)} | {case['rss']:.0f} |"
            )
    unit = "the whole corpus" if fraction == 1 else f"every {fraction}th article group of the corpus"
    lines = [*rows, "", f"1× is {unit}. Medians of {repeat} runs. Machine: {machine()}."]
    lines += ["", *verdicts(results, peer, startup)]
    return "\n".join(lines) + "\n"


def verdicts(results: list[dict], peer: dict | None, startup: dict | None = None) -> list[str]:
    """The issue's targets, each with the measured figure."""
    out = []
    first, last = results[0], results[-1]
    for result in results:
        cases = result["cases"]
        out.append(
            f"- {result['scale']}×: cold is {cases['cold']['wall'] / cases['floor']['wall']:.1f}× the floor "
            f"(target ≤ 10×), warm {cases['warm']['wall'] / cases['floor']['wall']:.1f}× (target ≤ 2×)"
        )
    if "pre-commit" in first["cases"]:
        walls = ", ".join(f"{r['cases']['pre-commit']['wall'] * 1000:.0f} ms at {r['scale']}×" for r in results)
        out.append(f"- pre-commit (one changed file, 40-locale group, process start-up included): {walls} (target < 150 ms)")
    if startup:
        out.append(
            f"- start-up, in every run: `python -c pass` {startup['python']['wall'] * 1000:.0f} ms, "
            f"`loclint --version` {startup['loclint']['wall'] * 1000:.0f} ms wall"
        )
    out.append(f"- peak RSS at {last['scale']}×: {max(case['rss'] for case in last['cases'].values()):.0f} MB (target < 150 MB)")
    if len(results) > 1:
        for case in ("cold", "warm"):
            out.append(f"- {case} cost per file relative to {first['scale']}×: {per_file_growth(results, case)} (target 0.80–1.20)")
    if peer:
        cold = next(r for r in results if r["scale"] == peer["scale"])["cases"]["cold"]
        out.append(
            f"- peer: pofilter ({len(peer['tests'])} checks) over the {peer['units']:,} segments of {peer['scale']}× "
            f"took {peer['wall']:.1f} s wall, {peer['cpu']:.1f} s CPU; loclint cold (all checks, every file) is "
            f"{peer['wall'] / cold['wall']:.1f}× faster in wall time and {peer['cpu'] / cold['cpu']:.1f}× in CPU time "
            "(target ≥ 20×)"
        )
    return out


def per_file_growth(results: list[dict], case: str) -> str:
    """Seconds per file at each size over those at the first, in wall and in CPU time (CPU time
    is the steadier on a shared machine)."""

    def per_file(result: dict, measure: str) -> float:
        return result["cases"][case][measure] / result["volume"]["files"]

    first = results[0]
    return ", ".join(
        f"{r['scale']}×: {per_file(r, 'wall') / per_file(first, 'wall'):.2f} wall, "
        f"{per_file(r, 'cpu') / per_file(first, 'cpu'):.2f} CPU"
        for r in results[1:]
    )


def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description="loclint benchmark (see the module docstring)")
    parser.add_argument("--sizes", default="1,4,16", help="corpus copies per size, comma-separated (default 1,4,16)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; medians are reported (default 3)")
    parser.add_argument("--peer-scale", type=int, default=1, help="size to run pofilter at; 0 skips the peer (default 1)")
    parser.add_argument("--peer-repeat", type=int, default=1, help="pofilter runs (slow; default 1)")
    parser.add_argument("--jobs", type=int, help="worker processes for loclint (default: every core)")
    parser.add_argument("--fraction", type=int, default=1, help="1× is every F-th article group of the corpus (default 1: all)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.peer_scale and args.peer_scale not in sizes:
        parser.error(f"--peer-scale {args.peer_scale} must be one of --sizes: pofilter is compared with loclint's cold run there")
    OUT.mkdir(exist_ok=True)
    compileall.compile_dir(str(HERE.parent / "loclint"), quiet=1)  # time loclint as installed: see the docstring
    results = []
    for scale in sizes:
        print(f"size {scale}×...", file=sys.stderr, flush=True)
        results.append(bench_size(scale, args.repeat, args.jobs, args.fraction))
    peer = bench_peer(args.peer_scale, args.peer_repeat) if args.peer_scale else None
    startup = bench_startup(max(args.repeat, 5))
    report = table(results, peer, args.repeat, args.fraction, startup)
    (OUT / "results.md").write_text(report, encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps({"results": results, "peer": peer, "startup": startup, "machine": machine()}, indent=2), encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
