"""Suppression comments: next-line, disable/enable ranges, file level, and X001 for unused ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fixture_tree import write_tree
from loclint.config import load_settings
from loclint.engine import run
from loclint.model import LineIndex, Variant
from loclint.suppress import parse_suppressions, strip_directives

# Three locales agree on 1000 and 2000; ro-RO changes both numbers (two P001 findings) unless suppressed.
DE = "{{103: Bis zu 1000 Benutzer. || Up to 1000 users.}}\n\n{{104: Oder 2000 Geräte. || Or 2000 devices.}}\n"
FR = "{{103: Jusqu'à 1000 utilisateurs. || Up to 1000 users.}}\n\n{{104: Ou 2000 appareils. || Or 2000 devices.}}\n"
FIRST = "{{103: Până la 500 de utilizatori. || Up to 1000 users.}}\n"
SECOND = "{{104: Sau 3000 de dispozitive. || Or 2000 devices.}}\n"
SECOND_FIXED = SECOND.replace("3000", "2000")


def findings(tmp_path: Path, ro: str, **overrides) -> list[str]:
    write_tree(tmp_path, {"de-DE/a.md": DE, "fr-FR/a.md": FR, "ro-RO/a.md": ro})
    if "select" not in overrides:
        overrides["extend-select"] = ["P001"]  # off by default; the changed numbers are the findings here
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = run(["."], load_settings(None, overrides, tmp_path))
    finally:
        os.chdir(cwd)
    return [f"{Path(d.path).as_posix()}:{d.line}:{d.column}: {d.code}" for d in result.diagnostics]


def test_without_suppressions_both_numbers_are_reported(tmp_path):
    assert findings(tmp_path, FIRST + "\n" + SECOND) == ["ro-RO/a.md:7:39: P001", "ro-RO/a.md:9:35: P001"]


def test_disable_next_line_covers_only_the_next_line(tmp_path):
    ro = "<!-- loclint-disable-next-line P001 -->\n" + FIRST + "\n" + SECOND
    assert findings(tmp_path, ro) == ["ro-RO/a.md:10:35: P001"]


def test_a_prefix_and_a_comma_list_select_codes(tmp_path):
    ro = "<!-- loclint-disable-next-line P, S004 -->\n" + FIRST + "\n" + SECOND
    # `P` covers the P001 below; `S004` covers nothing and is reported on its own.
    assert findings(tmp_path, ro) == ["ro-RO/a.md:7:1: X001", "ro-RO/a.md:10:35: P001"]


def test_disable_enable_range(tmp_path):
    ro = "<!-- loclint-disable P001 -->\n" + FIRST + "<!-- loclint-enable -->\n\n" + SECOND
    assert findings(tmp_path, ro) == ["ro-RO/a.md:11:35: P001"]


def test_range_without_enable_runs_to_the_end_of_the_file(tmp_path):
    ro = "<!-- loclint-disable P001 -->\n" + FIRST + "\n" + SECOND
    assert findings(tmp_path, ro) == []


def test_enable_of_one_code_ends_only_its_range(tmp_path):
    ro = "<!-- loclint-disable P001 B006 -->\n" + FIRST + "<!-- loclint-enable P001 -->\n\n" + SECOND
    # P001 on the second segment is back; the B006 range stays open and covers nothing: X001.
    assert findings(tmp_path, ro) == ["ro-RO/a.md:7:1: X001", "ro-RO/a.md:11:35: P001"]


def test_disable_file(tmp_path):
    ro = FIRST + "\n" + SECOND + "<!-- loclint-disable-file P001 -->\n"
    assert findings(tmp_path, ro) == []


def test_directive_without_codes_covers_every_rule(tmp_path):
    ro = "<!-- loclint-disable-next-line -->\n" + FIRST + "\n<!-- loclint-disable-next-line -->\n\n" + SECOND
    # The second directive is followed by a blank line, so it covers nothing.
    assert findings(tmp_path, ro) == ["ro-RO/a.md:10:1: X001", "ro-RO/a.md:12:35: P001"]


def test_unused_suppression_can_be_ignored_like_any_code(tmp_path):
    ro = "<!-- loclint-disable-next-line P001 -->\n\n" + FIRST + "\n" + SECOND_FIXED
    assert findings(tmp_path, ro) == ["ro-RO/a.md:7:1: X001", "ro-RO/a.md:9:39: P001"]
    assert findings(tmp_path, ro, ignore=["X001"]) == ["ro-RO/a.md:9:39: P001"]


def test_suppression_of_a_rule_that_is_not_selected_is_not_reported(tmp_path):
    ro = "<!-- loclint-disable-next-line P001 -->\n" + FIRST + "\n" + SECOND_FIXED
    assert findings(tmp_path, ro, select=["S", "X"]) == []


def test_suppression_that_a_config_ignore_makes_redundant_still_counts_as_used(tmp_path):
    ro = "<!-- loclint-disable-next-line P001 -->\n" + FIRST + "\n" + SECOND_FIXED
    assert findings(tmp_path, ro, **{"per-locale-ignores": {"ro-RO": ["P001"]}}) == []


def test_a_suppression_line_in_one_locale_is_not_a_layout_difference(tmp_path):
    # Every rule on (B006 compares the lines outside segments): the comment itself changes nothing.
    ro = "<!-- loclint-disable-next-line P001 -->\n" + FIRST + "\n" + SECOND_FIXED
    assert findings(tmp_path, ro) == []


def _variant(text: str) -> Variant:
    variant = Variant(path=Path("a.md"), display_path="a.md", locale="ro-ro", place_locale="ro-ro", text=text)
    variant.lines = LineIndex(text)
    variant.readable = True
    return variant


def test_directives_in_code_fences_are_examples():
    text = "```markdown\n<!-- loclint-disable-file -->\n```\n~~~~\n<!-- loclint-disable P001 -->\n~~~\n~~~~\n<!-- loclint-disable-next-line P002 -->\nx\n"
    (entry,) = parse_suppressions(_variant(text)).entries
    assert (entry.kind, entry.selector, entry.first_line, entry.last_line) == ("next-line", "P002", 9, 9)


def test_multi_line_comment_covers_the_line_after_it_ends():
    text = "<!-- loclint-disable-next-line\n     P001 P004 -->\nx\n"
    entries = parse_suppressions(_variant(text)).entries
    assert [(e.selector, e.first_line) for e in entries] == [("P001", 3), ("P004", 3)]


def test_strip_directives_keeps_the_rest_of_the_line():
    assert strip_directives("text <!-- loclint-disable-next-line P001 --> more") == "text  more"
    assert strip_directives("<!-- an ordinary comment -->") == "<!-- an ordinary comment -->"


def test_a_finding_decided_after_the_run_is_suppressed_too(tmp_path):
    # P004 is settled from run-wide acronym statistics, after every group is checked.
    files = {
        "de-DE/a.md": "{{103: Mit MFA anmelden. || Sign in with MFA.}}\n",
        "fr-FR/a.md": "{{103: Se connecter avec MFA. || Sign in with MFA.}}\n",
        "ro-RO/a.md": "{{103: Conectați-vă cu MAE. || Sign in with MFA.}}\n",
    }
    write_tree(tmp_path / "plain", files)
    files["ro-RO/a.md"] = "<!-- loclint-disable-next-line P004 -->\n" + files["ro-RO/a.md"]
    write_tree(tmp_path / "suppressed", files)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        settings = load_settings(None, {"select": ["P004", "X001"]}, tmp_path)
        plain = [d.code for d in run(["plain"], settings).diagnostics]
        suppressed = [d.code for d in run(["suppressed"], settings).diagnostics]
    finally:
        os.chdir(cwd)
    assert (plain, suppressed) == (["P004"], [])


def _settled_findings(tmp_path: Path, files: dict[str, str], select: list[str]) -> list[str]:
    write_tree(tmp_path, files)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        settings = load_settings(None, {"select": select}, tmp_path)
        return sorted(f"{Path(d.path).as_posix()}:{d.line}: {d.code}" for d in run(["."], settings).diagnostics)
    finally:
        os.chdir(cwd)


# T004 and T005 are settled from the whole run's translations, after every group is checked.
_TWO_WAYS = {
    "es-ES/a.md": "{{103: Fecha de la transacción || Transaction date}}\n",
    "es-ES/b.md": "{{104: Fecha de la transacción || Transaction date}}\n",
    "es-ES/c.md": "{{105: Fecha movimiento || Transaction date}}\n",
}
_ONE_FOR_TWO = {
    "fr-FR/a.md": "{{103: Date de début || Start date}}\n",
    "fr-FR/b.md": "{{103: Date de début || Start date}}\n",
    "fr-FR/c.md": "{{103: Date de début || From date}}\n",
}


@pytest.mark.parametrize(("code", "files", "path"), [("T004", _TWO_WAYS, "es-ES/c.md"), ("T005", _ONE_FOR_TWO, "fr-FR/c.md")])
def test_a_translation_finding_settled_after_the_run_is_suppressed(tmp_path, code, files, path):
    assert _settled_findings(tmp_path / "plain", files, [code, "X001"]) == [f"{path}:7: {code}"]
    suppressed = dict(files)
    suppressed[path] = f"<!-- loclint-disable-next-line {code} -->\n" + files[path]
    # Silenced, and the directive counts as used: no X001 either.
    assert _settled_findings(tmp_path / "suppressed", suppressed, [code, "X001"]) == []


# `Fecha de inicio` for "From date" is a minority translation of it (T004) and the translation of
# "Start date" too (T005): both rules report the segment of c.md.
_BOTH = {
    "es-ES/a.md": "{{103: Fecha de inicio || Start date}}\n",
    "es-ES/b.md": "{{103: Fecha de inicio || Start date}}\n",
    "es-ES/c.md": "{{104: Fecha de inicio || From date}}\n",
    "es-ES/d.md": "{{104: Desde la fecha || From date}}\n",
    "es-ES/e.md": "{{104: Desde la fecha || From date}}\n",
}


@pytest.mark.parametrize(("silenced", "left"), [("T004", "T005"), ("T005", "T004")])
def test_suppressing_one_translation_rule_leaves_the_other(tmp_path, silenced, left):
    assert _settled_findings(tmp_path / "plain", _BOTH, ["T004", "T005", "X001"]) == ["es-ES/c.md:7: T004", "es-ES/c.md:7: T005"]
    files = dict(_BOTH)
    files["es-ES/c.md"] = f"<!-- loclint-disable-next-line {silenced} -->\n" + files["es-ES/c.md"]
    assert _settled_findings(tmp_path / "suppressed", files, ["T004", "T005", "X001"]) == [f"es-ES/c.md:8: {left}"]
