"""A file named alone (as pre-commit names it) is judged against its sibling locales, and the
checks then measure the siblings only where the named file departs from its source. That
shortcut must never change a verdict: for every rule fixture, each file named alone gets
exactly the findings it gets when its whole group is reported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fixture_tree import write_tree
from loclint.config import load_settings
from loclint.engine import run
from test_rule_fixtures import _cases

# Cases of several files in locale folders: the ones where siblings weigh in.
CASES = [case for case in _cases() if len(case.values[1].get("files", {})) >= 2 and not case.values[1].get("args")]


def _findings(root: Path, path: str, report_siblings: bool) -> list[str]:
    settings = load_settings(None, {"select": ["ALL"], "report-siblings": report_siblings}, root)
    result = run([path], settings)
    return sorted(f"{Path(d.path).as_posix()}:{d.line}:{d.column}: {d.code} {d.message}" for d in result.diagnostics
                  if Path(d.path).as_posix() == path)


@pytest.mark.parametrize(("rule", "case"), CASES)
def test_a_named_file_gets_what_its_group_run_gives_it(tmp_path: Path, rule: str, case: dict) -> None:
    written = write_tree(tmp_path, case["files"])
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for path in written:
            if not path.is_file():
                continue
            named = path.relative_to(tmp_path).as_posix()
            assert _findings(tmp_path, named, False) == _findings(tmp_path, named, True), named
    finally:
        os.chdir(cwd)


def test_each_example_file_named_alone_gets_its_planted_findings() -> None:
    """The bundled example group (one article, four locales, planted defects), named file by file,
    gives the findings of the whole run: the shortcut keeps every real finding."""
    examples = Path(__file__).resolve().parents[1] / "examples"
    cwd = os.getcwd()
    os.chdir(examples)
    try:
        whole = _findings_everywhere(examples)
        named = sorted(line for path in sorted(examples.rglob("*.md")) if path.parent != examples
                       for line in _findings(examples, path.relative_to(examples).as_posix(), False))
    finally:
        os.chdir(cwd)
    assert len(whole) >= 5
    assert named == whole


def _findings_everywhere(root: Path) -> list[str]:
    result = run(["."], load_settings(None, {"select": ["ALL"]}, root))
    return sorted(f"{Path(d.path).as_posix()}:{d.line}:{d.column}: {d.code} {d.message}" for d in result.diagnostics)
