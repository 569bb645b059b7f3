"""A big article group is held whole while it is checked, so its memory follows its size: this
bounds how much, per segment and locale, by allocation (the README's Robustness table measures
the same at a million segments by peak RSS)."""

from __future__ import annotations

import gc
import os
import tracemalloc
from pathlib import Path

from loclint.config import load_settings
from loclint.discover import plan
from loclint.engine import _fewer_collections, check_loaded, load_group, with_tree

LOCALES = {"de-DE": "Port {index} öffnen", "fr-FR": "Ouvrir le port {index}"}


def _write_group(root: Path, count: int) -> None:
    """One article in two locales, `count` segments each (as bench/stress.py writes them, but each
    locale's targets its own, as translations are)."""
    for locale, target in LOCALES.items():
        (root / locale).mkdir(parents=True)
        pairs = (f'<span data-ttu-id="s-{index}">{target.format(index=index)}</span><span class="sxs-lookup">'
                 f'<span data-stu-id="s-{index}">Open port {index}</span></span>\n' for index in range(count))
        text = f"---\ntitle: T\nms.assetid: 1\nms.contentlocale: {locale}\n---\n" + "".join(pairs)
        (root / locale / "big.md").write_text(text, encoding="utf-8")


def _peak_while_checked(root: Path, count: int) -> tuple[int, int]:
    """(peak bytes over what was held before, bytes held after) of loading and checking the group."""
    cwd = os.getcwd()
    os.chdir(root)
    try:
        settings = with_tree(load_settings(None, {}, root), ["."])
        planned = plan(["."], settings).groups[0]
        with _fewer_collections():  # as a run checks it
            gc.collect()
            tracemalloc.start()
            try:
                before = tracemalloc.get_traced_memory()[0]
                outcome = check_loaded(load_group(planned, settings), settings)
                gc.collect()
                held, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
    finally:
        os.chdir(cwd)
    assert outcome.segments == 2 * count and outcome.checked.diagnostics == []
    return peak - before, held - before


_SEGMENTS = 5_000


def test_a_big_group_peaks_under_1500_bytes_per_segment_and_locale(tmp_path: Path) -> None:
    _write_group(tmp_path / "warm", 20)
    _peak_while_checked(tmp_path / "warm", 20)  # imports, compiled patterns and first-call caches
    _write_group(tmp_path / "big", _SEGMENTS)
    peak, held = _peak_while_checked(tmp_path / "big", _SEGMENTS)
    per_segment = peak / (2 * _SEGMENTS)
    print(f"{per_segment:.0f} bytes per segment and locale at the peak")
    # 2,540 before 2026-12-07 (features held a set per text and kind, units every field, the
    # skeleton an object per line, B006 a key per line), about 1,370 since. The headroom is for
    # an interpreter table growing a step, which this cannot tell from the group's own memory.
    assert per_segment < 1_500
    assert held / (2 * _SEGMENTS) < 100  # what a checked group leaves behind is its findings only


def test_a_raised_size_limit_reserves_only_what_the_file_holds(tmp_path: Path) -> None:
    """Under `max-file-size = 2000000000` (the stress case), a file is read into a buffer of its
    own size, not of the limit (a 2 GB reservation the system may refuse), and all of it is read."""
    from loclint.fsguard import ReadPolicy, read_checked

    path = tmp_path / "a.md"
    path.write_bytes(b"x" * 100_000)
    tracemalloc.start()
    try:
        data = read_checked(path, ReadPolicy(follow_links=True), 2_000_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(data) == 100_000 and peak < 1_000_000
    assert read_checked(path, ReadPolicy(follow_links=True), 10) == b"x" * 10
