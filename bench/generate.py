"""Deterministic benchmark corpora: the shared corpus (or the test fixtures) copied N times over.

    python bench/generate.py OUT --scale 4

Copy k of the corpus lives in `OUT/tree/copy-k/<family>/<locale>/...`, so N copies hold N times the
article groups and files of the original, each as realistic as the original. A 40-locale article
group (`OUT/precommit/<locale>/article.md`) is added for the pre-commit case: the variants of one
real bilingual article spread over 40 locale folders, each declaring its own `ms.contentlocale`.
It lies outside `OUT/tree`, the folder the throughput runs time: a fixed group of 40 large files
inside it would weigh more at 1× than at 16× and bend the cost-per-file comparison.
Generation is skipped when OUT already holds the same scale made from the same source.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
FIXTURES = REPO / "tests" / "fixtures" / "rules"
PRECOMMIT_LOCALES = (
    "ar-sa bg-bg cs-cz da-dk de-de el-gr en-us es-es et-ee fi-fi fr-fr he-il hi-in hr-hr hu-hu id-id it-it "
    "ja-jp ko-kr lt-lt lv-lv ms-my nb-no nl-nl pl-pl pt-br pt-pt ro-ro ru-ru sk-sk sl-si sr-latn-rs sv-se "
    "th-th tr-tr uk-ua vi-vn zh-cn zh-tw ca-es"
).split()
MARKER = "corpus.json"
LAYOUT = 2  # 2: the copies under OUT/tree, the pre-commit group beside it
TREE = "tree"


def generate(out: Path, scale: int, source: Path | None = None, fraction: int = 1) -> dict:
    """Write `scale` copies of `source` (default: the shared corpus, else the fixtures) under `out`.

    With `fraction` F > 1, a copy holds every F-th article group only (all its locales), chosen by
    a stable hash of the article's path: a smaller unit, for machines where 16 full copies are slow.
    """
    source = source or (SHARED_CORPUS if SHARED_CORPUS.is_dir() else None)
    wanted = {"scale": scale, "source": str(source) if source else "tests/fixtures", "fraction": fraction, "layout": LAYOUT}
    marker = out / MARKER
    if marker.is_file():
        info = json.loads(marker.read_text(encoding="utf-8"))
        if {key: info.get(key) for key in wanted} == wanted:
            return info
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    template = out / "template"
    if source is None:
        _fixture_corpus(template)
        source = template
    files = sorted(path for path in source.rglob("*.md") if path.is_file() and _kept(path, source, fraction))
    for copy in range(scale):
        for path in files:
            target = out / TREE / f"copy-{copy}" / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    precommit = _precommit_group(out / "precommit", files)
    if template.exists():
        shutil.rmtree(template)
    info = dict(wanted, tree=TREE, precommit=str(precommit.relative_to(out)) if precommit else None)
    marker.write_text(json.dumps(info), encoding="utf-8")
    return info


def _precommit_group(folder: Path, files: list[Path]) -> Path | None:
    """One article in 40 locales, built from the locale variants of the largest bilingual article."""
    by_article: dict[tuple[Path, Path], list[Path]] = {}
    for path in files:
        if "data-ttu-id" not in path.read_text(encoding="utf-8", errors="replace")[:20000]:
            continue
        locale_dir = next((parent for parent in path.parents if _is_locale(parent.name)), None)
        if locale_dir is not None:
            by_article.setdefault((locale_dir.parent, path.relative_to(locale_dir)), []).append(path)
    if not by_article:
        return None
    # The article with the most locales, then the most bytes: a heavy but real pre-commit group.
    variants = max(by_article.values(), key=lambda paths: (len(paths), sum(p.stat().st_size for p in paths)))
    variants.sort()
    first = None
    for index, locale in enumerate(PRECOMMIT_LOCALES):
        text = variants[index % len(variants)].read_text(encoding="utf-8", errors="replace")
        text = _set_content_locale(text, locale)
        target = folder / locale / "article.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
        first = first or target
    return first


def _kept(path: Path, source: Path, fraction: int) -> bool:
    """Is the path's article group in the sample? Judged on the path with its locale folder left out."""
    if fraction <= 1:
        return True
    parts = [part for part in path.relative_to(source).parts if not _is_locale(part)]
    return zlib.crc32("/".join(parts).encode()) % fraction == 0


def _set_content_locale(text: str, locale: str) -> str:
    lines = text.split("\n")
    for index, line in enumerate(lines[:60]):
        if line.startswith("ms.contentlocale:"):
            lines[index] = f"ms.contentlocale: {locale}" + ("\r" if line.endswith("\r") else "")
            break
    return "\n".join(lines)


def _is_locale(name: str) -> bool:
    parts = name.lower().split("-")
    return 2 <= len(parts) <= 3 and 2 <= len(parts[0]) <= 3 and parts[0].isalpha() and len(parts[-1]) in (2, 3)


def _fixture_corpus(folder: Path) -> None:
    """Without the shared corpus: every rule fixture case, each as its own little docs tree."""
    import yaml

    sys.path.insert(0, str(REPO / "tests"))
    from fixture_tree import write_tree

    for path in sorted(FIXTURES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, case in data["cases"].items():
            # History cases are git commits, not files; symlinks, FIFOs and folders are the
            # hostile cases' (a FIFO copied into a benchmark tree would block the copy).
            files = {rel: content for rel, content in case.get("files", {}).items() if not isinstance(content, dict) or "bare" in content}
            if files:
                write_tree(folder / f"{data['rule']}-{name}", files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--source", type=Path, help="corpus to copy (default: ../shared/corpus, else the test fixtures)")
    parser.add_argument("--fraction", type=int, default=1, help="keep every F-th article group only (default 1: all)")
    args = parser.parse_args()
    print(json.dumps(generate(args.out, args.scale, args.source, args.fraction)))


if __name__ == "__main__":
    main()
