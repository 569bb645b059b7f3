"""The command line: exit statuses, output, configuration errors, rule docs, the README table."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from fixture_tree import write_tree
from loclint.cli import main
from loclint.docs import with_table

ROOT = Path(__file__).resolve().parents[1]
GOOD = "{{103: Mit MFA anmelden. || Sign in with MFA.}}\n"
BAD = "{{103: Conectați-vă cu MAE. || Sign in with MFA.}}\n"


def _tree(tmp_path, bad=True):
    write_tree(tmp_path, {"de-DE/a.md": GOOD, "fr-FR/a.md": GOOD.replace("Mit MFA anmelden", "Connexion MFA"),
                          "ro-RO/a.md": BAD if bad else GOOD})


def invoke(*args, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args))
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args))
    finally:
        os.chdir(old)


def test_findings_exit_1_with_lint_lines_and_a_summary(tmp_path):
    _tree(tmp_path)
    result = invoke("check", ".", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    first, summary = result.output.splitlines()
    assert first.startswith("ro-RO/a.md:7:47: P004 acronym `MFA`")
    assert summary.startswith("Found 1 problem in 1 file")


def test_clean_exits_0_and_exit_zero_forces_0(tmp_path):
    _tree(tmp_path, bad=False)
    assert invoke("check", ".", cwd=tmp_path).exit_code == 0
    _tree(tmp_path)
    assert invoke("check", ".", "--exit-zero", cwd=tmp_path).exit_code == 0


def test_json_has_ruff_fields_plus_locale_and_article(tmp_path):
    _tree(tmp_path)
    result = invoke("check", ".", "--output-format", "json", cwd=tmp_path)
    (item,) = json.loads(result.output)
    assert item["code"] == "P004" and item["filename"] == "ro-RO/a.md"
    assert item["location"] == {"row": 7, "column": 47} and item["end_location"] == {"row": 7, "column": 50}
    assert item["locale"] == "ro-ro" and item["article"] == "a.md" and "fix" in item


def test_select_and_ignore_by_prefix(tmp_path):
    _tree(tmp_path)
    assert invoke("check", ".", "--ignore", "P", cwd=tmp_path).exit_code == 0
    assert invoke("check", ".", "--select", "P004", cwd=tmp_path).exit_code == 1
    assert invoke("check", ".", "--select", "M", cwd=tmp_path).exit_code == 0


def test_isolated_ignores_the_trees_configuration(tmp_path):
    # A pull request can carry a configuration that turns the gate off; --isolated does not read it.
    _tree(tmp_path)
    (tmp_path / "loclint.toml").write_text('ignore = ["ALL"]\n')
    assert invoke("check", ".", cwd=tmp_path).exit_code == 0
    result = invoke("check", ".", "--isolated", cwd=tmp_path)
    assert result.exit_code == 1 and "P004 acronym `MFA`" in result.output
    (tmp_path / "pyproject.toml").write_text('[tool.loclint]\nselect = ["M"]\n')
    assert invoke("check", "ro-RO/a.md", "--isolated", cwd=tmp_path).exit_code == 1
    result = invoke("check", ".", "--isolated", "--config", "loclint.toml", cwd=tmp_path)
    assert result.exit_code == 2 and "does not go with --config" in result.output


def test_unknown_code_or_config_key_is_exit_2(tmp_path):
    _tree(tmp_path)
    result = invoke("check", ".", "--select", "Q999", cwd=tmp_path)
    assert result.exit_code == 2 and "unknown rule code" in result.output
    (tmp_path / "loclint.toml").write_text('selekt = ["P"]\n')
    result = invoke("check", ".", cwd=tmp_path)
    assert result.exit_code == 2 and "unknown configuration key `selekt`" in result.output


def test_configuration_file_and_per_locale_ignores(tmp_path):
    _tree(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.loclint]\nper-locale-ignores = { "ro-RO" = ["P004"] }\n')
    assert invoke("check", ".", cwd=tmp_path).exit_code == 0


def test_per_file_ignores(tmp_path):
    _tree(tmp_path)
    (tmp_path / ".loclint.toml").write_text('per-file-ignores = { "ro-RO/*.md" = ["P"] }\n')
    assert invoke("check", ".", cwd=tmp_path).exit_code == 0


def test_missing_path_is_exit_2(tmp_path):
    result = invoke("check", "nowhere", cwd=tmp_path)
    assert result.exit_code == 2 and "no such file or folder" in result.output


def test_rule_docs():
    result = invoke("rule", "P004")
    assert result.exit_code == 0 and "acronym-changed" in result.output and "## Why" in result.output
    assert invoke("rule", "Z123").exit_code == 2
    listing = invoke("rule", "--all").output
    assert "P004" in listing and "E001" in listing


def test_readme_rule_table_is_in_sync_with_rules_data():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert with_table(readme) == readme, "run `python -m loclint.docs` to regenerate the README rule table"


def test_bundled_example_shows_its_five_planted_defects():
    result = invoke("check", str(ROOT / "examples"), "--output-format", "json")
    found = sorted((Path(item["filename"]).parent.name, item["code"]) for item in json.loads(result.output))
    assert found == [("de-DE", "M002"), ("fr-FR", "P004"), ("ja-JP", "B002"), ("tr-TR", "P003"), ("tr-TR", "S006")]
