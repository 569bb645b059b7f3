"""Runs every case of tests/fixtures/rules/<CODE>.yaml: write the files, check, compare findings.

A case lists `files` (see fixture_tree.py for the shorthand) and `expect`: the exact findings of
that case's rule as `path:line:col: CODE` strings, optionally followed by ` ~ substring` that the
message must contain. `args` adds command-line style options (`select`, `group-by`, ...).
Findings of other rules are ignored unless the case sets `only: true`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from fixture_tree import write_tree
from loclint.config import load_settings
from loclint.engine import run

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def _cases():
    for path in sorted(FIXTURES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, case in data["cases"].items():
            yield pytest.param(data["rule"], case, id=f"{data['rule']}-{name}")


def run_case(tmp_path: Path, rule: str, case: dict) -> tuple[list[str], list]:
    write_tree(tmp_path, case["files"])
    overrides = {"select": [rule]} if not case.get("only") else {}
    overrides.update(case.get("args", {}))
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        settings = load_settings(None, overrides, tmp_path)
        result = run(case.get("paths", ["."]), settings)
    finally:
        os.chdir(cwd)
    found = [f"{Path(d.path).as_posix()}:{d.line}:{d.column}: {d.code}" for d in result.diagnostics]
    return found, result.diagnostics


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
