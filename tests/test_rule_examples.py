"""The rules/ documentation tells the truth: each example's `bad` fires its code and its `good`
is clean, and each rule's `fix-safety` is what `--diff` does on its fixture's findings.

An example is a snippet of one locale's file. Where it is a bilingual segment that judges itself
(no "the other locales: ..." note), it is checked in a group of three: the bad snippet in one
locale, the good one in two others (the siblings that keep what the bad one lost). The other
examples (front matter, listings, plain Markdown described against other locales, input errors,
rules judged over several articles) are covered by their rule fixtures.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from fixture_tree import write_tree
from loclint.config import load_settings
from loclint.engine import run
from loclint.fix import fix_paths
from loclint.registry import rules_dir

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def _rules() -> list[dict]:
    found = []
    for path in sorted(rules_dir().glob("*.yaml")):
        found.extend(yaml.safe_load(path.read_text(encoding="utf-8")).get("rules", []))
    return found


# Examples a group of three cannot show: file-level input errors (the bytes, a missing front
# matter: the fixture writer adds one) and the rules judged over several articles of a run.
_NOT_BY_SNIPPET = ("E", "T004", "T005")


def _self_judged(rule: dict) -> bool:
    bad = rule["example"]["bad"]
    plain_segment = "data-ttu-id" in bad and "other locales" not in bad and "loclint-" not in bad
    return plain_segment and not rule["code"].startswith(_NOT_BY_SNIPPET)


def _run(root: Path, files: dict, code: str):
    write_tree(root, files)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return run(["."], load_settings(None, {"select": [code]}, root)).diagnostics
    finally:
        os.chdir(cwd)


EXAMPLES = [pytest.param(rule, id=rule["code"]) for rule in _rules() if _self_judged(rule)]


def test_most_examples_are_checked():
    assert len(EXAMPLES) >= 30


@pytest.mark.parametrize("rule", EXAMPLES)
def test_example_bad_fires_and_good_is_clean(tmp_path: Path, rule: dict) -> None:
    code, bad, good = rule["code"], rule["example"]["bad"], rule["example"]["good"]
    found = _run(tmp_path / "bad", {"pl-PL/a.md": bad, "de-DE/a.md": good, "fr-FR/a.md": good}, code)
    assert {(Path(d.path).parts[0], d.code) for d in found} == {("pl-PL", code)}, [d.message for d in found]
    clean = _run(tmp_path / "good", {"pl-PL/a.md": good, "de-DE/a.md": good, "fr-FR/a.md": good}, code)
    assert clean == [], [d.message for d in clean]


def _fixture_hits(code: str) -> list[dict]:
    path = FIXTURES / f"{code}.yaml"
    if not path.is_file():
        return []
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    return [case for name, case in cases.items() if name.startswith("hit") and not case.get("args") and not case.get("paths")]


def _diff(root: Path, case: dict, code: str, unsafe: bool) -> tuple[str, list]:
    write_tree(root, case["files"])
    cwd = os.getcwd()
    os.chdir(root)
    try:
        settings = load_settings(None, {"select": [code]}, root)
        outcome = fix_paths(["."], settings, lambda: run(["."], settings), unsafe=unsafe, write=False)
        return outcome.diff, outcome.result.diagnostics
    finally:
        os.chdir(cwd)


SAFETY = [pytest.param(rule["code"], rule["fix-safety"], id=rule["code"]) for rule in _rules() if _fixture_hits(rule["code"])]


@pytest.mark.parametrize(("code", "safety"), SAFETY)
def test_fix_safety_is_what_diff_does(tmp_path: Path, code: str, safety: str) -> None:
    """`safe`: `--diff` changes the hit fixtures; `unsafe`: only with `--unsafe-fixes`; `none`:
    no finding offers a fix at all."""
    diffs, unsafe_diffs, fixes = [], [], []
    for index, case in enumerate(_fixture_hits(code)):
        diff, found = _diff(tmp_path / f"safe{index}", case, code, unsafe=False)
        unsafe_diff, _ = _diff(tmp_path / f"unsafe{index}", case, code, unsafe=True)
        diffs.append(diff)
        unsafe_diffs.append(unsafe_diff)
        fixes.extend(d.fix for d in found if d.fix is not None)
    if safety == "safe":
        assert any(diffs) and all(fix.safe for fix in fixes)
    elif safety == "unsafe":
        assert not any(diffs) and any(unsafe_diffs) and not any(fix.safe for fix in fixes)
    else:
        assert fixes == [] and not any(unsafe_diffs)
