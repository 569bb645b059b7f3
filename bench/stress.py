"""Stress cases for the README's Robustness table: time and peak RSS of whole `loclint` runs.

    python bench/stress.py                 # every case at full size (several minutes, ~3 GB of disk)
    python bench/stress.py --scale 0.1     # each case at a tenth of its size
    python bench/stress.py --cases files   # one case

Cases (each in a fresh folder under --work, checked with --no-cache and every core):
- segments: one article, two locales, 1,000,000 segments each (max-file-size raised to fit);
- locales:  one article group in 10,000 locale folders;
- files:    100,000 tiny files (50,000 articles in two locales);
- files-quarter: `files` at a quarter of its size: memory that follows the largest group, not
  the run, stays about the same.
Peak RSS is the largest of the main process and the workers it waited for
(`RUSAGE_CHILDREN`, which Linux reports as the largest child's maximum). Results are printed as
a Markdown table and written to bench/out/stress.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FRONT = "---\ntitle: T\nms.assetid: {asset}\nms.contentlocale: {locale}\n---\n"
LOCALES = ("de-DE", "fr-FR")


def pair(key: str, target: str, source: str) -> str:
    return (f'<span data-ttu-id="{key}">{target}</span>'
            f'<span class="sxs-lookup"><span data-stu-id="{key}">{source}</span></span>\n')


def make_segments(root: Path, count: int) -> str:
    for locale in LOCALES:
        path = root / locale / "big.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as out:
            out.write(FRONT.format(asset=1, locale=locale))
            for index in range(count):
                out.write(pair(f"s-{index}", f"Port {index} öffnen", f"Open port {index}"))
    (root / ".loclint.toml").write_text("max-file-size = 2000000000\n", encoding="utf-8")
    return f"1 file pair, {count:,} segments each"


def make_locales(root: Path, count: int) -> str:
    for index in range(count):
        locale = f"{chr(97 + index // 26 // 26 % 26)}{chr(97 + index // 26 % 26)}{chr(97 + index % 26)}-{index % 900 + 100:03d}"
        path = root / locale / "a.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(FRONT.format(asset=1, locale=locale) + pair("s-1", f"Port {index}", "Open port 8080"), encoding="utf-8")
    return f"1 group, {count:,} locale folders"


def make_files(root: Path, count: int) -> str:
    for locale in LOCALES:
        folder = root / locale
        folder.mkdir(parents=True, exist_ok=True)
        for index in range(count // len(LOCALES)):
            (folder / f"a{index}.md").write_text(FRONT.format(asset=index, locale=locale) + pair("s-1", "Hallo", "Hello"), encoding="utf-8")
    return f"{count:,} files, {count // len(LOCALES):,} groups"


CASES = {
    "segments": (make_segments, 1_000_000),
    "locales": (make_locales, 10_000),
    "files": (make_files, 100_000),
    "files-quarter": (make_files, 25_000),
}


def measure(root: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS in MB, exit status) of one `loclint check . --no-cache` in `root`."""
    script = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "code = subprocess.call([sys.executable, '-m', 'loclint', 'check', '.', '--no-cache', '--exit-zero', '-q'],"
        " stdout=subprocess.DEVNULL)\n"
        "took = time.perf_counter() - start\n"
        "print(took, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    out = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, env=env, check=True).stdout.split()
    return float(out[0]), int(out[1]) // 1024, int(out[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--work", type=Path, default=Path("/tmp/loclint-stress"))
    args = parser.parse_args()
    rows = ["| case | size | time | peak RSS | exit |", "| --- | --- | ---: | ---: | ---: |"]
    for name in args.cases.split(","):
        make, size = CASES[name]
        root = args.work / name
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        described = make(root, max(1, int(size * args.scale)))
        seconds, peak, code = measure(root)
        rows.append(f"| {name} | {described} | {seconds:.1f} s | {peak:,} MB | {code} |")
        print(rows[-1], flush=True)
        shutil.rmtree(root, ignore_errors=True)
    table = "\n".join(rows) + "\n"
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "stress.md").write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
