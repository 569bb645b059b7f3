"""Measure every rule on the shared corpus: findings, findings per 1,000 segments, and a reproducible
random sample of each rule's findings (with the segment's source and target) for a person to judge.

    python bench/precision.py --table-only         # per rule: findings per 1,000 segments, judged precision
    python bench/precision.py                      # the table, and the samples to judge
    python bench/precision.py --rules P004 W002    # only these rules' samples
    python bench/precision.py --table-only --write rules/precision.md   # the table as rules/precision.md
    python bench/precision.py --corpus DIR --judged FILE   # another family, with its own verdicts

Run from the worktree root with the project installed (`pip install -e '.[test,bench]'`); it takes
about a minute on the 175,805 segments of ../shared/corpus.

The table has one row per rule: `default` (on or off), `findings` on the corpus, `per 1,000
segments`, `sample` (how many findings were drawn to judge: 30, or all when fewer), `judged` (how
many of those have a verdict) and `judged precision` (true verdicts / judged). A rule is on by
default only when its judged precision is 90% or more; its `precision:` entry in rules/*.yaml
records the table's numbers, the false patterns fixed at their cause and those left.

Every rule runs, default-off ones too (`select = ALL`). The sample is drawn per rule with a fixed
seed from the findings sorted by position, so the same corpus and code give the same sample.
Verdicts live in bench/judged.yaml (`CODE: {"path:line:col": "true|false — why"}`, the path
relative to the corpus); the judged precision of a rule is the share of true verdicts among its
sampled findings that have one. Another family is measured with `--corpus DIR` and its own
`--judged FILE`, so verdicts on data that is not the project's stay out of the repository.
`--write PATH` also writes the table as a Markdown page (rules/precision.md is that page for the
shared corpus; each rule's `precision:` entry quotes its row).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from loclint.config import load_settings
from loclint.engine import run
from loclint.model import Diagnostic
from loclint.registry import all_rules

HERE = Path(__file__).resolve().parent
# ../shared/corpus of the checkout, found from any depth (a worktree may sit one level lower).
CORPUS = next((parent / "shared" / "corpus" for parent in HERE.parents if (parent / "shared" / "corpus").is_dir()),
              HERE.parent.parent / "shared" / "corpus")
JUDGED = HERE / "judged.yaml"
SAMPLE_SIZE = 30
SEED = 20261123


def measure(corpus: Path) -> tuple[dict[str, list[Diagnostic]], int]:
    settings = load_settings(None, {"select": ["ALL"]}, corpus)
    result = run([str(corpus)], settings)
    by_code: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in result.diagnostics:
        by_code[diagnostic.code].append(diagnostic)
    return by_code, result.segments


def sample(findings: list[Diagnostic], size: int = SAMPLE_SIZE) -> list[Diagnostic]:
    ordered = sorted(findings, key=Diagnostic.sort_key)
    if len(ordered) <= size:
        return ordered
    return sorted(random.Random(SEED).sample(ordered, size), key=Diagnostic.sort_key)


def where(diagnostic: Diagnostic, corpus: Path) -> str:
    path = Path(diagnostic.path)
    try:
        path = path.resolve().relative_to(corpus.resolve())
    except ValueError:
        pass
    return f"{path.as_posix()}:{diagnostic.line}:{diagnostic.column}"


def sibling_lines(diagnostic: Diagnostic) -> list[tuple[str, str]]:
    """A plain (not bilingual) finding has no source text: show its line, and the same line of the
    article in every other locale (`<family>/<locale>/<path>`), which is usually the same block."""
    path = Path(diagnostic.path)
    parts = path.parts
    index = next((i for i, part in enumerate(parts) if part == diagnostic.locale or part.lower() == (diagnostic.locale or "")), None)
    if index is None:
        return []
    root, relative = Path(*parts[:index]), Path(*parts[index + 1 :])
    shown = []
    for folder in sorted(root.iterdir()):
        candidate = folder / relative
        if candidate.is_file():
            lines = candidate.read_text(encoding="utf-8-sig", errors="replace").splitlines()
            line = lines[diagnostic.line - 1] if diagnostic.line <= len(lines) else ""
            mark = "*" if folder.name == parts[index] else ""
            shown.append((mark + folder.name, line.strip()))
    return shown


def load_verdicts(judged: Path = JUDGED) -> dict[str, dict[str, bool]]:
    if not judged.is_file():
        return {}
    data = yaml.safe_load(judged.read_text(encoding="utf-8")) or {}
    return {code: {place: str(text).strip().lower().startswith("true") for place, text in (entries or {}).items()} for code, entries in data.items()}


def table(by_code: dict[str, list[Diagnostic]], segments: int, verdicts: dict[str, dict[str, bool]],
          corpus: Path) -> tuple[list[str], dict[str, list[Diagnostic]]]:
    """The per-rule table's lines (as printed) and each rule's sample."""
    lines = [f"{segments} segments", "",
             "| rule | default | findings | per 1,000 segments | sample | judged | judged precision |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    samples = {}
    for code, rule in all_rules().items():
        findings = by_code.get(code, [])
        picked = samples[code] = sample(findings)
        judged = [verdicts.get(code, {}).get(where(d, corpus)) for d in picked]
        judged = [v for v in judged if v is not None]
        precision = f"{sum(judged) / len(judged):.0%}" if judged else "-"
        # Plain files have no segments: a rate per 1,000 of them would read as none.
        rate = f"{1000 * len(findings) / segments:.2f}" if segments else "-"
        lines.append(f"| {code} | {'on' if rule.default else 'off'} | {len(findings)} | {rate} | {len(picked)} | {len(judged)} | {precision} |")
    return lines, samples


def label(path: Path, default: Path, name: str) -> str:
    """The default paths by their names in the repository, so the page does not depend on the checkout."""
    return name if path.resolve() == default.resolve() else str(path)


def page(lines: list[str], corpus: Path, judged: Path) -> str:
    """The table as a Markdown page that says how it was made, so it can be made again."""
    head = [
        "# Judged precision of every rule",
        "",
        "Generated by `python bench/precision.py --table-only --write rules/precision.md`; do not edit by hand.",
        f"Corpus: `{label(corpus, CORPUS, '../shared/corpus')}` (every rule runs, default-off ones too); verdicts: `{label(judged, JUDGED, 'bench/judged.yaml')}`.",
        "`sample` is how many findings were drawn to judge (30, or all when fewer, with a fixed seed),",
        "`judged` how many of them have a verdict, `judged precision` the share of true verdicts among those.",
        "A rule is on by default only when its judged precision is 90% or more; its `precision:` entry in",
        "rules/*.yaml quotes its row and names the false patterns fixed at their cause and those left.",
        "",
    ]
    return "\n".join(head + lines) + "\n"


def show(diagnostic: Diagnostic, code: str, verdict: bool | None, corpus: Path) -> None:
    mark = {True: "TRUE", False: "FALSE", None: "?"}[verdict]
    print(f"\n[{mark}] {where(diagnostic, corpus)}: {code} {diagnostic.message}")
    if diagnostic.source_text is not None:
        print(f"    source: {diagnostic.source_text}")
    if diagnostic.target_text is not None:
        print(f"    target: {diagnostic.target_text}")
    if diagnostic.source_text is None:
        # A plain file has no source: the same line in the other locales stands in for it.
        for locale, line in sibling_lines(diagnostic):
            print(f"    {locale:>6}: {line[:240]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus to measure (default: ../shared/corpus)")
    parser.add_argument("--judged", type=Path, default=JUDGED, help="the verdict file (default: bench/judged.yaml)")
    parser.add_argument("--rules", nargs="*", help="print the samples of these codes only")
    parser.add_argument("--table-only", action="store_true", help="print the per-rule table, not the samples")
    parser.add_argument("--write", type=Path, metavar="PATH", help="also write the table as a Markdown page")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    by_code, segments = measure(args.corpus)
    verdicts = load_verdicts(args.judged)
    lines, samples = table(by_code, segments, verdicts, args.corpus)
    print("\n".join(lines))
    if args.write:
        args.write.write_text(page(lines, args.corpus, args.judged), encoding="utf-8")
    if args.table_only:
        return 0
    for code, picked in samples.items():
        if args.rules and code not in args.rules:
            continue
        for diagnostic in picked:
            show(diagnostic, code, verdicts.get(code, {}).get(where(diagnostic, args.corpus)), args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
