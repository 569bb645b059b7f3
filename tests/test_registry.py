"""The contract between `rules/` (what each rule is), `loclint/checks/` (what it does) and
`tests/fixtures/rules/` (proof that it does it): every code is in all three, with complete data.

Checked on the raw YAML, not on `registry.Rule`, which fills in defaults for missing fields and
would let a duplicate code silently replace the first one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from loclint.checks.families import implemented_codes
from loclint.registry import FAMILY_FILES, all_rules, load_data_file, rules_dir

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
CODES = sorted(all_rules())
REQUIRED_TEXT = ("name", "summary", "why", "fix")
FIX_SAFETY = {"none", "safe", "unsafe"}
_EXPECTATION = re.compile(r"(?P<path>[^\s].*):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): (?P<code>[A-Z]\d{3})")
_CODE = re.compile(r"[A-Z]\d{3}")
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _entries() -> list[tuple[str, str, dict]]:
    """(family file, family letter, raw rule entry) for every rule in `rules/`."""
    return [
        (file_name, load_data_file(file_name)["family"], entry)
        for file_name in FAMILY_FILES
        for entry in load_data_file(file_name)["rules"]
    ]


def _fixture(code: str) -> dict:
    path = FIXTURES / f"{code}.yaml"
    assert path.is_file(), f"{code} has no fixture file tests/fixtures/rules/{code}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# (1) rules/ and loclint/checks/ name the same codes.


def test_every_rule_in_rules_has_an_implementation() -> None:
    missing = sorted(set(CODES) - implemented_codes())
    assert not missing, f"codes in rules/ that no check module declares in CODES: {missing}"


def test_every_implemented_code_has_rule_data() -> None:
    undocumented = sorted(implemented_codes() - set(CODES))
    assert not undocumented, f"codes declared by checks but missing from rules/: {undocumented}"


def test_every_family_file_is_registered() -> None:
    # A rules file that registry.FAMILY_FILES does not list would be silently ignored.
    for path in sorted(rules_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "rules" in data:
            assert path.name in FAMILY_FILES, f"{path.name} holds rules but is not in registry.FAMILY_FILES"


# (2) every code has a fixture that triggers it and a clean one.


@pytest.mark.parametrize("code", CODES)
def test_rule_has_a_hit_and_a_clean_fixture(code: str) -> None:
    data = _fixture(code)
    assert data.get("rule") == code, f"{code}.yaml says `rule: {data.get('rule')}`"
    cases = data.get("cases") or {}
    hits, clean = [], []
    for name, case in cases.items():
        expect = case.get("expect")
        assert isinstance(expect, list), f"{code}.yaml case `{name}` needs an `expect` list ([] when clean)"
        if not expect:
            clean.append(name)
        codes = []
        for item in expect:
            where = str(item).split(" ~ ")[0]
            match = _EXPECTATION.fullmatch(where)
            assert match, f"{code}.yaml case `{name}`: `{item}` is not `path:line:col: CODE [~ text]`"
            codes.append(match["code"])
        if code in codes:
            hits.append(name)
    assert hits, f"{code}.yaml has no case that expects a {code} finding"
    assert clean, f"{code}.yaml has no clean case (`expect: []`)"


def test_every_fixture_file_names_a_known_rule() -> None:
    stray = sorted(path.stem for path in FIXTURES.glob("*.yaml") if path.stem not in CODES)
    assert not stray, f"fixture files for codes that rules/ does not have: {stray}"


# (3) every rule's data is complete, and codes and names are unique.


def _entry_id(value: object) -> str | None:
    return value.get("code") if isinstance(value, dict) else None


@pytest.mark.parametrize(("file_name", "family", "entry"), _entries(), ids=_entry_id)
def test_rule_data_is_complete(file_name: str, family: str, entry: dict) -> None:
    code = entry.get("code")
    assert isinstance(code, str) and _CODE.fullmatch(code), f"{file_name}: bad code {code!r}"
    assert code.startswith(family), f"{code} is listed in {file_name}, the `{family}` family"
    for key in REQUIRED_TEXT:
        value = entry.get(key)
        assert isinstance(value, str) and value.strip(), f"{code}: `{key}` is missing or empty"
    assert _NAME.fullmatch(entry["name"]), f"{code}: name `{entry['name']}` is not kebab-case"
    example = entry.get("example")
    assert isinstance(example, dict), f"{code}: `example` with `bad` and `good` is missing"
    for key in ("bad", "good"):
        value = example.get(key)
        assert isinstance(value, str) and value.strip(), f"{code}: `example.{key}` is missing or empty"
    assert example["bad"].strip() != example["good"].strip(), f"{code}: the bad and good examples are the same"
    assert entry.get("fix-safety") in FIX_SAFETY, f"{code}: `fix-safety` must be one of {sorted(FIX_SAFETY)}"
    assert isinstance(entry.get("default", True), bool), f"{code}: `default` must be true or false"


def test_codes_and_names_are_unique() -> None:
    entries = _entries()
    for field in ("code", "name"):
        seen: dict[str, str] = {}
        for file_name, _, entry in entries:
            value = entry.get(field)
            assert value not in seen, f"{field} `{value}` is used in {seen.get(value)} and again in {file_name}"
            seen[value] = file_name
