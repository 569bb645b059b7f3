"""A run of many small groups holds little per file: the plan keeps each group's files packed
(a folder string shared by all its files, a file layout shared by the groups laid out alike),
the run-long indexes (article -> locales, reported files) are kept as the plan's groups, and
neither planning nor the check loop holds a second entry per file."""

from __future__ import annotations

import gc
import os
import tracemalloc
from pathlib import Path

from fixture_tree import write_tree
from loclint.config import load_settings
from loclint.discover import FileRef, PlannedGroup, plan
from loclint.engine import run
from loclint.parallel import _Tasks
from loclint.results import ReportedFiles, RunResult


def _in(root: Path, call):
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return call()
    finally:
        os.chdir(cwd)


def _tree(root: Path) -> None:
    write_tree(root, {
        "de-DE/a.md": "Hallo {{1: Hallo || Hello}}\n",
        "fr-FR/a.md": "Bonjour {{1: Bonjour || Hello}}\n",
        "de-DE/b.md": "Tschüss {{1: Tschüss || Bye}}\n",
        "fr-FR/b.md": "Salut {{1: Salut || Bye}}\n",
    })


def test_a_walked_file_keeps_one_string_for_its_path_and_shares_its_locale(tmp_path: Path) -> None:
    _tree(tmp_path)
    layout = _in(tmp_path, lambda: plan(["."], load_settings(None, {}, tmp_path)))
    refs = [ref for group in layout.groups for ref in group.files]
    assert [ref.display for ref in refs] == ["de-DE/a.md", "fr-FR/a.md", "de-DE/b.md", "fr-FR/b.md"]
    assert all(ref._path is None and ref.path == Path(ref.display) for ref in refs)
    assert refs[0].place_locale is refs[2].place_locale == "de-de"  # one string per locale, not per file
    assert layout.reasons == {}  # why each file was taken is recorded only for --show-files
    explained = _in(tmp_path, lambda: plan(["."], load_settings(None, {}, tmp_path), explain=True))
    assert explained.reasons["de-DE/a.md"] == "taken: locale de-de"


def test_a_named_path_written_otherwise_keeps_its_own_string() -> None:
    ref = FileRef(Path("de-DE/a.md"), "./de-DE//a.md", "de-de", True)
    assert ref.path == Path("de-DE/a.md") and ref.path_text == "de-DE/a.md" and ref.display == "./de-DE//a.md"
    assert ref == FileRef("de-DE/a.md", "./de-DE//a.md", "de-de", True)
    assert ref != FileRef("de-DE/a.md", "de-DE/a.md", "de-de", True)


def test_run_indexes_are_the_plans_groups_and_read_as_before(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "loose.md").write_text("---\ntitle: L\nms.contentlocale: ro-RO\n---\nText.\n", encoding="utf-8")
    result = _in(tmp_path, lambda: run([".", "loose.md"], load_settings(None, {}, tmp_path)))
    # The two planned groups are held as themselves; only the loose file, whose locale comes from
    # its front matter, has entries of its own.
    assert [type(part) for part in result.reported_files._parts] == [PlannedGroup, PlannedGroup, tuple]
    assert dict(result.reported_files) == {
        "de-DE/a.md": ("a.md", "de-de"), "fr-FR/a.md": ("a.md", "fr-fr"),
        "de-DE/b.md": ("b.md", "de-de"), "fr-FR/b.md": ("b.md", "fr-fr"),
        "loose.md": ("loose.md", "ro-ro"),
    }
    assert dict(result.article_locales) == {"a.md": {"de-de", "fr-fr"}, "b.md": {"de-de", "fr-fr"}, "loose.md": {"ro-ro"}}


def test_an_outcome_that_differs_from_its_plan_entry_is_kept_as_it_is(tmp_path: Path) -> None:
    group = PlannedGroup("k", "a.md", [FileRef("de-DE/a.md", "de-DE/a.md", "de-de", True)])
    assert ReportedFiles.matches(group, "a.md", [("de-DE/a.md", "de-de")])
    assert not ReportedFiles.matches(group, "a.md", [("de-DE/a.md", "de-at")])
    index = ReportedFiles()
    index.add_planned(group)
    index.add([("x.md", ("x.md", None))])
    assert dict(index) == {"de-DE/a.md": ("a.md", "de-de"), "x.md": ("x.md", None)}


def test_projects_indexes_join_without_being_built(tmp_path: Path) -> None:
    first, second = RunResult(), RunResult(reported_files={"b.md": ("b", None)})
    first.reported_files.add([("a.md", ("a", None))])
    first.absorb(second)
    assert first.reported_files._built is None
    assert dict(first.reported_files) == {"a.md": ("a", None), "b.md": ("b", None)}


def test_groups_laid_out_alike_share_their_files_layout_and_their_key_root(tmp_path: Path) -> None:
    _tree(tmp_path)
    first, second = _in(tmp_path, lambda: plan(["."], load_settings(None, {}, tmp_path))).groups
    assert first._files is second._files  # ("de-DE/", "de-de", True, "fr-FR/", "fr-fr", True)
    assert first._key is second._key and first.key == f"{tmp_path}\0a.md" and second.key == f"{tmp_path}\0b.md"
    assert first.files == [FileRef("de-DE/a.md", "de-DE/a.md", "de-de", True), FileRef("fr-FR/a.md", "fr-FR/a.md", "fr-fr", True)]


def test_a_file_laid_out_otherwise_is_kept_as_its_own_ref() -> None:
    odd = FileRef("de-DE/a.md", "./de-DE//a.md", "de-de", False)
    group = PlannedGroup("k", "a.md", [odd, FileRef("fr-FR/a.md", "fr-FR/a.md", "fr-fr", True)])
    group.report(0)
    group.pack({})
    assert group.files[0] is odd and odd.report and group.files[1] == FileRef("fr-FR/a.md", "fr-FR/a.md", "fr-fr", True)
    assert group.key == "k"


def test_a_plan_holds_under_a_hundred_bytes_per_walked_file(tmp_path: Path) -> None:
    """The bound behind the README's Robustness table: what a run keeps per file of many small
    groups (the plan) and what planning holds at its peak, measured by allocation."""
    count = 2_000
    for locale in ("de-DE", "fr-FR"):
        (tmp_path / locale).mkdir()
        for index in range(count // 2):
            (tmp_path / locale / f"article-{index}.md").write_text("x\n", encoding="utf-8")
    settings = load_settings(None, {}, tmp_path)
    _in(tmp_path, lambda: plan(["."], settings))  # caches and imports first
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        layout = _in(tmp_path, lambda: plan(["."], settings))
        gc.collect()  # what planning's own cycles held is not the plan
        held, peak = tracemalloc.get_traced_memory()
        # A block of a megabyte or more is an interpreter table that grew a step (the interned
        # strings' dict, whose size depends on what ran before this test), not the plan's.
        tables = sum(trace.size for trace in tracemalloc.take_snapshot().traces if trace.size >= 1 << 20)
    finally:
        tracemalloc.stop()
    assert len(layout.groups) == count // 2
    assert (held - tables - before) / count < 100  # 0.45 KB per file held for the whole run before 2026-12-07
    assert (peak - tables - before) / count < 300  # planning itself: no FileRef, path copy or seen entry per file


def test_tasks_are_made_when_read() -> None:
    groups = [PlannedGroup(f"k{index}", f"a{index}.md") for index in range(5)]
    tasks = _Tasks(groups, bytes([0, 1, 0, 0, 1]))
    assert list(tasks) == [(group, bool(flag)) for group, flag in zip(groups, [0, 1, 0, 0, 1])]
    assert list(tasks.picked([1, 3])) == [(groups[1], True), (groups[3], False)]
    assert list(_Tasks(groups, None)) == [(group, False) for group in groups]
