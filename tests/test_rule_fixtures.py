"""Runs every case of tests/fixtures/rules/<CODE>.yaml: write the files, check, compare findings.

A case lists `files` (see fixture_tree.py for the shorthand) and `expect`: the exact findings of
that case's rule as `path:line:col: CODE` strings, optionally followed by ` ~ substring` that the
message must contain. `args` adds command-line style options (`select`, `group-by`, ...).
Findings of other rules are ignored unless the case sets `only: true`.

A case of the H family (translation history) lists `commits` instead of `files`: each one a
`message` and the `files` it writes, committed in order one day apart in a real git repository
(tests/git_tree.py); those files are written as given, with no default front matter.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from fixture_tree import write_tree
from git_tree import GIT, GitTree
from loclint.config import load_settings
from loclint.engine import run

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def _cases():
    for path in sorted(FIXTURES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, case in data["cases"].items():
            yield pytest.param(data["rule"], case, id=f"{data['rule']}-{name}")


def run_case(tmp_path: Path, rule: str, case: dict) -> tuple[list[str], list]:
    if "commits" in case:
        _commit_history(tmp_path, case["commits"])
    else:
        write_tree(tmp_path, case["files"])
    overrides = {"select": [rule]} if not case.get("only") else {}
    overrides.update(case.get("args", {}))
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        since = overrides.pop("since", None)  # a run option (H005), not a setting
        settings = load_settings(None, overrides, tmp_path)
        result = run(case.get("paths", ["."]), settings, since=since)
    finally:
        os.chdir(cwd)
    found = [f"{Path(d.path).as_posix()}:{d.line}:{d.column}: {d.code}" for d in result.diagnostics]
    return found, result.diagnostics


def _commit_history(root: Path, commits: list[dict]) -> None:
    if GIT is None:
        pytest.skip("git is not installed: the H fixtures need a real repository")
    tree = GitTree(root)
    for commit in commits:
        tree.commit(commit["message"], commit["files"])


@pytest.mark.parametrize(("rule", "case"), list(_cases()))
def test_rule_fixture(tmp_path: Path, rule: str, case: dict) -> None:
    found, diagnostics = run_case(tmp_path, rule, case)
    expected = [str(item).split(" ~ ")[0] for item in case.get("expect", [])]
    assert sorted(found) == sorted(expected), "\n".join(
        f"{Path(d.path).as_posix()}:{d.line}:{d.column}: {d.code} {d.message}" for d in diagnostics
    )
    for item in case.get("expect", []):
        if " ~ " in str(item):
            where, needle = str(item).split(" ~ ", 1)
            messages = [d.message for d in diagnostics if f"{Path(d.path).as_posix()}:{d.line}:{d.column}: {d.code}" == where]
            assert any(needle in message for message in messages), (needle, messages)
