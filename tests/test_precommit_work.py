"""The pre-commit case (one file named alone, its siblings loaded only to judge it) does no work
for the siblings that only their own findings need: what is judged per file is judged for the
named file alone, with the same findings there as in a whole-tree run."""

from __future__ import annotations

from pathlib import Path

import pytest

import loclint.checks.nesting
from fixture_tree import write_tree
from loclint.config import load_settings
from loclint.engine import run

DEEP = "<span>" * 40 + "deep" + "</span>" * 40
TREE = {
    "de-DE/a.md": "Text.\n\n" + DEEP + "\n",
    "fr-FR/a.md": "Texte.\n\n" + DEEP + "\n",
    "ro-RO/a.md": "Text.\n\nshallow\n",
    "it-IT/a.md": "Testo.\n\n" + DEEP + "\n",
}


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "docs"
    write_tree(root, TREE)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many texts B016's nesting scan read."""
    seen: list[int] = []
    original = loclint.checks.nesting.too_deep

    def spy(text, start=0):
        seen.append(1)
        return original(text, start)

    monkeypatch.setattr(loclint.checks.nesting, "too_deep", spy)
    return seen


def _b016(named: str) -> list[str]:
    result = run([named], load_settings(None, {"select": ["B016"]}, Path.cwd()))
    return [f"{d.path}:{d.line}:{d.column}: {d.code}" for d in result.diagnostics]


def test_nesting_scans_only_the_named_file(tree: Path, scanned: list[int]):
    assert _b016("de-DE/a.md") == ["de-DE/a.md:9:193: B016"]
    assert len(scanned) == 1
    scanned.clear()
    assert _b016("ro-RO/a.md") == []  # its deep siblings are not its findings, and are not scanned
    assert len(scanned) == 1


def test_whole_tree_still_scans_and_reports_every_file(tree: Path, scanned: list[int]):
    assert _b016(".") == ["de-DE/a.md:9:193: B016", "fr-FR/a.md:9:193: B016", "it-IT/a.md:9:193: B016"]
    assert len(scanned) == 4
