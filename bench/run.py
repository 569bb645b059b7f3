"""The loclint benchmark: throughput at several corpus sizes, a peer and a floor, as one table.

    python bench/run.py                      # sizes 1, 4, 16; 5 runs each; pofilter at 1x
    python bench/run.py --sizes 1,4 --repeat 5 --peer-scale 0

For each size N (N copies of ../shared/corpus, or of the test fixtures without it; see
generate.py) it times, as separate `loclint` processes with every core:
- cold:      an empty result cache;
- warm:      the cache of the cold run, nothing changed;
- touch 1%:  every hundredth file changed, the rest cached;
- pre-commit: `loclint check` on one changed file of a 40-locale article group (kept outside the
             tree the other runs time), with the cache of the runs above and of one untimed
             pre-commit run before (as a hook finds it: its siblings' parses kept);
- floor:     reading every byte and scanning it once with one compiled pattern (floor.py);
once, the fixed cost of any run: `python -c pass` and `loclint --version` (start-up);
and at the peer scale, translate-toolkit's `pofilter` with its comparable checks over the same
segments exported to PO files, printed in the table beside loclint's runs at that size. Each
figure is the median of the runs; peak RSS is that of the largest process (the main one or a
worker it waited for). Below the table, every goal of the issue with its target, the measured
figures and a verdict (met only when both CPU and wall time meet it). Results go to
bench/out/results.md and .json.

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


def bench_size(scale: int, repeat: int, jobs: int | None, fraction: int, corpus: Path | None = None) -> dict:
    root = OUT / f"scale-{scale}"
    info = generate(root, scale, corpus, fraction=fraction)
    tree = root / info["tree"]
    # bench/out/ is git-ignored, and loclint skips what git ignores unless told otherwise.
    (tree / "loclint.toml").write_text("respect-gitignore = false\n", encoding="utf-8")
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
        # A hook runs commit after commit: an untimed first run leaves what earlier commits left
        # (the siblings' parsed variants); each timed run then changes the named file anew.
        for run in range(-1, repeat):
            old = touch([changed], run + 1)
            if run < 0:
                try:
                    timed([*LOCLINT, *options, info["precommit"]], cwd=root)
                finally:
                    restore(old)
                continue
            try:
                precommit.append(timed([*LOCLINT, *options, info["precommit"]], cwd=root))
            finally:
                restore(old)
        cases["pre-commit"] = median_of(precommit)
        cases["pre-commit"]["files"] = len(list((root / "precommit").rglob("*.md")))
        resident = bench_resident(root, changed, [*LOCLINT, "--resident", *options, info["precommit"]], repeat)
        if resident is not None:
            cases["pre-commit, resident"] = {**resident, "files": cases["pre-commit"]["files"]}
    return {"scale": scale, "volume": volume, "cases": cases, "source": info["source"]}


def bench_resident(root: Path, changed: Path, command: list[str], repeat: int) -> dict | None:
    """The pre-commit case handed to the resident server (`check --resident`, the
    `loclint-resident` hook): an untimed run starts the server, which then warms up; each timed
    run's CPU time is the caller's plus what the server's child spent checking for it, read
    from the server's /proc entry (it reaps each child at once; the kernel counts in clock
    ticks, 10 ms). The server is stopped at the end. None where there is no /proc or server."""
    from loclint import resident

    resident.stop()
    old = touch([changed], 50)
    try:
        timed(command, cwd=root)
    finally:
        restore(old)
    server = _resident_server(resident.socket_path())
    if server is None:
        return None
    runs = []
    try:
        for run in range(repeat):
            old = touch([changed], 51 + run)
            try:
                before = _children_cpu(server)
                result = timed(command, cwd=root)
                result["cpu"] += _children_cpu(server) - before
                runs.append(result)
            finally:
                restore(old)
    finally:
        resident.stop()
    return median_of(runs)


def _resident_server(path: str | None, timeout: float = 30) -> int | None:
    """The pid of the server listening at `path`, once it listens."""
    deadline = time.monotonic() + timeout
    while path and time.monotonic() < deadline:
        try:
            pid = int(Path(f"{path}.lock").read_text().split()[0])
            if Path(path).exists() and Path(f"/proc/{pid}").exists():
                return pid
        except (OSError, ValueError, IndexError):
            pass
        time.sleep(0.05)
    return None


def _children_cpu(pid: int) -> float:
    """CPU seconds of the reaped children of `pid`, once it has none still running."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        time.sleep(0.01)
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")  # cutime, cstime


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
    exported["po_bytes"] = sum(path.stat().st_size for path in po_in.rglob("*.po"))
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
            megabytes = volume["bytes"] / 1e6 if not name.startswith("pre-commit") else None
            segments = volume["segments"] if not name.startswith("pre-commit") else None
            rows.append(_row(f"{result['scale']}×", name, files, megabytes, segments, case))
        if peer and peer["scale"] == result["scale"]:  # the peer beside loclint, on the same segments
            rows.append(_row(f"{result['scale']}×", "pofilter (PO)", peer["po_files"], peer["po_bytes"] / 1e6, peer["units"], peer))
    unit = "the whole corpus" if fraction == 1 else f"every {fraction}th article group of the corpus"
    source = results[0].get("source", "?")
    lines = [*rows, "", f"1× is {unit} (`{source}`). Medians of {repeat} runs. Machine: {machine()}."]
    if startup:
        lines.append(
            f"Start-up: `python -c pass` {_ms(startup['python'])}, `loclint --version` {_ms(startup['loclint'])} "
            "(median of the runs, CPU and wall)."
        )
    lines += ["", "| goal | target | measured | verdict |", "| --- | --- | --- | --- |"]
    lines += [f"| {goal} | {target} | {measured} | {verdict} |" for goal, target, measured, verdict in goals(results, peer, startup)]
    return "\n".join(lines) + "\n"


def _row(size: str, name: str, files: int, megabytes: float | None, segments: int | None, case: dict) -> str:
    wall = case["wall"]
    return (
        f"| {size} | {name} | {files:,} | {_num(megabytes)} | {_num(segments, 0)} | {wall:.3f} | "
        f"{case['cpu']:.2f} | {files / wall:,.0f} | {_num(megabytes and megabytes / wall)} | "
        f"{_num(segments and segments / wall, 0)} | {case['rss']:.0f} |"
    )


def _ms(case: dict) -> str:
    return f"{case['cpu'] * 1000:.0f} ms CPU / {case['wall'] * 1000:.0f} ms wall"


def _verdict(*met: bool) -> str:
    return "met" if all(met) else "**missed**"


def goals(results: list[dict], peer: dict | None, startup: dict | None = None) -> list[tuple[str, str, str, str]]:
    """The issue's goals, each as (goal, target, measured, verdict).

    Times are judged in CPU seconds and in wall seconds, and a goal is met only when both meet it:
    CPU time is the steadier figure on a shared machine, wall time what a user waits. A run with
    every core does more CPU work than wall time, so ratios against the one-process floor and the
    one-process peer are given both ways."""
    out = []
    first, last = results[0], results[-1]
    for name, how in (("pre-commit", "in a fresh process"), ("pre-commit, resident", "with the resident server (`--resident`)")):
        if name not in first["cases"]:
            continue
        cases = [r["cases"][name] for r in results]
        measured = ", ".join(f"{_ms(case)} at {r['scale']}×" for case, r in zip(cases, results))
        out.append((f"pre-commit {how}: one changed file of a 40-locale article, start-up included", "≤ 150 ms",
                    measured, _verdict(*(case["cpu"] <= 0.150 and case["wall"] <= 0.150 for case in cases))))
    if startup:
        version = startup["loclint"]
        out.append(("`loclint --version`", "≤ 50 ms", _ms(version), _verdict(version["cpu"] <= 0.050, version["wall"] <= 0.050)))
    if peer:
        cold = next(r for r in results if r["scale"] == peer["scale"])["cases"]["cold"]
        wall, cpu = peer["wall"] / cold["wall"], peer["cpu"] / cold["cpu"]
        out.append((
            f"cold vs pofilter ({len(peer['tests'])} checks) on the same {peer['units']:,} segments ({peer['scale']}×)",
            "loclint ≥ 20× faster", f"{wall:.1f}× (wall), {cpu:.1f}× (CPU)", _verdict(wall >= 20, cpu >= 20),
        ))
    for case, limit in (("cold", 10), ("warm", 2)):
        ratios = [(r["scale"], r["cases"][case]["wall"] / r["cases"]["floor"]["wall"], r["cases"][case]["cpu"] / r["cases"]["floor"]["cpu"]) for r in results]
        measured = ", ".join(f"{wall:.1f}× wall / {cpu:.1f}× CPU at {scale}×" for scale, wall, cpu in ratios)
        out.append((f"{case} against the read-and-scan floor", f"≤ {limit}× at every size", measured,
                    _verdict(*(wall <= limit and cpu <= limit for _, wall, cpu in ratios))))
    peak = max(case["rss"] for case in last["cases"].values())
    out.append((f"peak RSS at {last['scale']}×", "≤ 150 MB", f"{peak:.0f} MB", _verdict(peak <= 150)))
    if len(results) > 1:
        for case in ("cold", "warm"):
            growth = per_file_growth(results, case)
            # Start-up is paid once per run, so per file it shrinks as the tree grows: "flat" is read
            # as "never growing" (nothing costs more per file in a larger tree), within noise.
            flat = all(value <= 1.20 for _, _, value in growth)
            measured = ", ".join(f"{wall:.2f} wall / {cpu:.2f} CPU at {scale}×" for scale, wall, cpu in growth)
            out.append((f"{case} cost per file against {first['scale']}×", "flat: ≤ 1.20 (CPU), never growing", measured, _verdict(flat)))
    return out


def per_file_growth(results: list[dict], case: str) -> list[tuple[int, float, float]]:
    """Seconds per file at each size over those at the first, in wall and in CPU time (CPU time
    is the steadier on a shared machine): (scale, wall ratio, CPU ratio)."""

    def per_file(result: dict, measure: str) -> float:
        return result["cases"][case][measure] / result["volume"]["files"]

    first = results[0]
    return [
        (r["scale"], per_file(r, "wall") / per_file(first, "wall"), per_file(r, "cpu") / per_file(first, "cpu"))
        for r in results[1:]
    ]


def _num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description="loclint benchmark (see the module docstring)")
    parser.add_argument("--sizes", default="1,4,16", help="corpus copies per size, comma-separated (default 1,4,16)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; medians are reported (default 5)")
    parser.add_argument("--peer-scale", type=int, default=1, help="size to run pofilter at; 0 skips the peer (default 1)")
    parser.add_argument("--peer-repeat", type=int, default=3, help="pofilter runs (default 3)")
    parser.add_argument("--jobs", type=int, help="worker processes for loclint (default: every core)")
    parser.add_argument("--corpus", type=Path, help="the corpus to copy (default: ../shared/corpus beside the repository, else the test fixtures)")
    parser.add_argument("--fraction", type=int, default=1, help="1× is every F-th article group of the corpus (default 1: all)")
    args = parser.parse_args()
    if args.corpus is not None and not args.corpus.is_dir():
        parser.error(f"--corpus {args.corpus}: no such folder")
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.peer_scale and args.peer_scale not in sizes:
        parser.error(f"--peer-scale {args.peer_scale} must be one of --sizes: pofilter is compared with loclint's cold run there")
    OUT.mkdir(exist_ok=True)
    compileall.compile_dir(str(HERE.parent / "loclint"), quiet=1)  # time loclint as installed: see the docstring
    results = []
    for scale in sizes:
        print(f"size {scale}×...", file=sys.stderr, flush=True)
        results.append(bench_size(scale, args.repeat, args.jobs, args.fraction, args.corpus))
    peer = bench_peer(args.peer_scale, args.peer_repeat) if args.peer_scale else None
    startup = bench_startup(max(args.repeat, 5))
    report = table(results, peer, args.repeat, args.fraction, startup)
    (OUT / "results.md").write_text(report, encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps({"results": results, "peer": peer, "startup": startup, "machine": machine()}, indent=2), encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
