"""A run of many small groups holds little per file: the plan keeps strings, not Paths, and the
run-long indexes (article -> locales, reported files) are kept as the plan's groups."""

from __future__ import annotations

import os
from pathlib import Path

from fixture_tree import write_tree
from loclint.config import load_settings
from loclint.discover import FileRef, PlannedGroup, plan
from loclint.engine import run
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
