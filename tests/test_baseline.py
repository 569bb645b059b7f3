"""Baselines: `--write-baseline` records findings, `--baseline` hides them, keyed by article,
locale, code and subject (not line), with counts; stale entries show up as fixed in --statistics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixture_tree import write_tree
from loclint.baseline import Baseline, BaselineError, apply_baseline, load_baseline
from loclint.cli import main
from loclint.model import Diagnostic

DE = "{{103: Bis zu 1000 Benutzer. || Up to 1000 users.}}\n\n{{104: Oder 2000 Geräte. || Or 2000 devices.}}\n"
FR = "{{103: Jusqu'à 1000 utilisateurs. || Up to 1000 users.}}\n\n{{104: Ou 2000 appareils. || Or 2000 devices.}}\n"
RO = "{{103: Până la 500 de utilizatori. || Up to 1000 users.}}\n\n{{104: Sau 3000 de dispozitive. || Or 2000 devices.}}\n"


def check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--select", "P001", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.fixture
def tree(tmp_path: Path, monkeypatch) -> Path:
    write_tree(tmp_path, {"de-DE/a.md": DE, "fr-FR/a.md": FR, "ro-RO/a.md": RO, "de-DE/b.md": DE, "fr-FR/b.md": FR, "ro-RO/b.md": DE})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_write_then_apply(tree: Path):
    code, output = check(".")
    assert code == 1 and output.count(" P001 ") == 2
    code, output = check(".", "--write-baseline", "base.json")
    assert code == 0
    document = json.loads((tree / "base.json").read_text(encoding="utf-8"))
    assert document["loclint-baseline"] == 1
    assert document["entries"] == [
        {"article": "a.md", "locale": "ro-ro", "code": "P001", "subject": "103", "count": 1},
        {"article": "a.md", "locale": "ro-ro", "code": "P001", "subject": "104", "count": 1},
    ]
    code, output = check(".", "--baseline", "base.json")
    assert code == 0
    assert "All checks passed" in output and "2 more in the baseline" in output


def test_lines_moving_do_not_resurrect_entries(tree: Path):
    check(".", "--write-baseline", "base.json")
    path = tree / "ro-RO/a.md"
    text = path.read_text(encoding="utf-8")
    body = text.index("<span")
    path.write_text(text[:body] + "## A new heading\n\nA new paragraph.\n\n" + text[body:], encoding="utf-8")
    code, output = check(".", "--baseline", "base.json")
    assert (code, output.count(" P001 ")) == (0, 0), output


def test_a_new_finding_is_reported(tree: Path):
    check(".", "--write-baseline", "base.json")
    path = tree / "ro-RO/b.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Bis zu 1000", "Bis zu 100"), encoding="utf-8")
    code, output = check(".", "--baseline", "base.json")
    assert code == 1
    assert [line.split(" ")[0:2] for line in output.splitlines() if " P001 " in line] == [["ro-RO/b.md:7:38:", "P001"]]


def test_a_second_finding_with_the_same_key_is_new():
    finding = Diagnostic("ro-RO/a.md", 7, 39, 7, 42, "P001", "m", locale="ro-ro", article="a.md", subject="103")
    moved = Diagnostic("ro-RO/a.md", 9, 12, 9, 15, "P001", "m2", locale="ro-ro", article="a.md", subject="103")
    baseline = Baseline()
    baseline.counts[("a.md", "ro-ro", "P001", "103")] = 1
    outcome = apply_baseline(baseline, [finding, moved], [("a.md", "ro-ro")], frozenset({"P001"}))
    assert outcome.new == [moved] and outcome.matched == 1 and outcome.fixed == []


def test_fixed_entries_show_in_statistics(tree: Path):
    check(".", "--write-baseline", "base.json")
    path = tree / "ro-RO/a.md"
    path.write_text(path.read_text(encoding="utf-8").replace("500", "1000"), encoding="utf-8")
    code, output = check(".", "--baseline", "base.json", "--statistics")
    assert code == 0
    lines = output.splitlines()
    assert "1  hidden by the baseline" in lines
    assert "1  fixed: in the baseline, no longer found" in lines
    assert any("a.md ro-ro P001 [103]" in line for line in lines), output


def test_entries_of_files_not_checked_are_not_fixed(tree: Path):
    check(".", "--write-baseline", "base.json")
    # Only de-DE/a.md is named: ro-RO is loaded to judge it but not reported on, so its entries
    # are neither matched nor stale.
    code, output = check("de-DE/a.md", "--baseline", "base.json", "--statistics")
    assert code == 0 and "fixed" not in output


def test_entries_of_rules_not_selected_are_not_fixed(tree: Path):
    check(".", "--write-baseline", "base.json")
    result = CliRunner().invoke(main, ["check", "--select", "S", ".", "--baseline", "base.json", "--statistics"])
    assert result.exit_code == 0 and "fixed" not in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"entries": []}', "not a loclint baseline"),
        ('{"loclint-baseline": 1, "entries": [{"article": "a.md"}]}', "has no `code`"),
        ('{"loclint-baseline": 1, "entries": [{"code": "P001", "count": 0}]}', "invalid `count`"),
    ],
)
def test_bad_baseline_files_are_errors(tmp_path: Path, content: str, message: str):
    path = tmp_path / "base.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError, match=message):
        load_baseline(path)


def test_missing_baseline_exits_2(tree: Path):
    code, output = check(".", "--baseline", "nope.json")
    assert code == 2 and "cannot read baseline" in output
