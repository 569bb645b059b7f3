"""The pre-commit case (one file named alone, its siblings loaded only to judge it) does no work
for the siblings that only their own findings need: what is judged per file is judged for the
named file alone, with the same findings there as in a whole-tree run."""

from __future__ import annotations

from pathlib import Path

import pytest

import loclint.checks.nesting
from fixture_tree import tree_in_docs
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
    return tree_in_docs(tmp_path, monkeypatch, TREE)


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


def _counting(function, calls: list[str]):
    """`function`, with every call counted in `calls` by its name."""

    def counted(*args, **kwargs):
        calls.append(function.__name__)
        return function(*args, **kwargs)

    return counted


OLD, NEW = "Open the port 8080 on the server.", "Open port 8080 on the host server."
BILINGUAL = {
    # de-DE was translated from an older English source (S009) and changed a frame line (B006).
    "de-DE/b.md": "Introduction!\n\n{{103: Port 8080 öffnen. || " + OLD + "}}\n",
    "fr-FR/b.md": "Introduction.\n\n{{103: Ouvrez le port 8080. || " + NEW + "}}\n",
    "ro-RO/b.md": "Introduction.\n\n{{103: Deschideți portul 8080. || " + NEW + "}}\n",
    "it-IT/b.md": "Introduction.\n\n{{103: Aprire la porta 8080. || " + NEW + "}}\n",
}


@pytest.fixture
def bilingual(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return tree_in_docs(tmp_path, monkeypatch, BILINGUAL)


def _codes(named: str, codes: list[str]) -> list[str]:
    result = run([named], load_settings(None, {"select": codes}, Path.cwd()))
    return [f"{d.path}:{d.line}: {d.code}" for d in result.diagnostics]


def test_source_drift_measures_only_named_files(bilingual: Path, monkeypatch: pytest.MonkeyPatch):
    import loclint.checks.segments as segments

    calls: list[str] = []
    monkeypatch.setattr(segments, "ratio", _counting(segments.ratio, calls))
    assert _codes("de-DE/b.md", ["S009"]) == ["de-DE/b.md:9: S009"]
    assert calls == ["ratio"]
    calls.clear()
    # ro-RO has the majority's source: de-DE's drift is not its finding, and is not measured.
    assert _codes("ro-RO/b.md", ["S009"]) == []
    assert calls == []
    assert _codes(".", ["S009"]) == ["de-DE/b.md:9: S009"]


def test_skeleton_lines_matched_only_for_named_files(bilingual: Path, monkeypatch: pytest.MonkeyPatch):
    import loclint.checks.markup as markup

    calls: list[str] = []
    monkeypatch.setattr(markup, "closest", _counting(markup.closest, calls))
    assert _codes("de-DE/b.md", ["B006"]) == ["de-DE/b.md:7: B006"]
    assert calls == ["closest"]
    calls.clear()
    assert _codes("ro-RO/b.md", ["B006"]) == []
    assert calls == []
    assert _codes(".", ["B006"]) == ["de-DE/b.md:7: B006"]
