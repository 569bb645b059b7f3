"""The parse cache: a file named alone parses only itself; its siblings come from the cache
while their bytes are unchanged, and a changed or damaged sibling is parsed again."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import loclint.engine
from fixture_tree import tree_in_docs
from loclint.cache import ResultCache
from loclint.config import load_settings
from loclint.engine import run
from loclint.parse_cache import ParseCache

TREE = {
    "de-DE/a.md": "---\nms.date: 2024-01-15\n---\n{{103: Port 8080 öffnen. || Open port 8080.}}\n",
    "fr-FR/a.md": "---\nms.date: 2024-01-15\n---\n{{103: Ouvrez le port 8080. || Open port 8080.}}\n",
    "ro-RO/a.md": "---\nms.date: 2024-01-15\n---\n{{103: Deschideți portul. || Open port 8080.}}\n",
    "it-IT/a.md": "---\nms.date: 2024-01-15\n---\n{{103: Aprire la porta 8080. || Open port 8080.}}\n",
}


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return tree_in_docs(tmp_path, monkeypatch, TREE)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files actually parsed (not served from the parse cache) from now on."""
    seen: list[str] = []
    original = loclint.engine.parse_variant

    def spy(variant, read, **kwargs):
        seen.append(variant.display_path)
        return original(variant, read, **kwargs)

    monkeypatch.setattr(loclint.engine, "parse_variant", spy)
    return seen


def _check(named: str, cache_dir: Path | None) -> list[str]:
    settings = load_settings(None, {"extend-select": ["P001"]}, Path.cwd())
    cache = ResultCache(cache_dir, settings) if cache_dir else None
    result = run([named], settings, cache=cache)
    return [f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in result.diagnostics]


def _state(value):
    """A parsed value as plain data: LineIndex and the skeleton classes define no equality."""
    if isinstance(value, list | tuple):
        return [_state(item) for item in value]
    if isinstance(value, dict):
        return {key: _state(item) for key, item in value.items()}
    if isinstance(value, Path):
        return str(value)
    slots = [name for cls in type(value).__mro__ for name in getattr(cls, "__slots__", ())]
    if slots and not isinstance(value, str):
        return (type(value).__name__, {name: _state(getattr(value, name, None)) for name in slots})
    if hasattr(value, "__dict__") and type(value).__module__.startswith("loclint"):
        return (type(value).__name__, _state(vars(value)))
    return value


def _touch(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def test_named_file_parses_only_itself_once_siblings_are_cached(tree: Path, tmp_path: Path, parsed: list[str]):
    cache = tmp_path / "cache"
    expected = _check("ro-RO/a.md", None)
    assert any(" P001 " in line for line in expected)
    assert _check("ro-RO/a.md", cache) == expected
    assert sorted(parsed[-4:]) == ["de-DE/a.md", "fr-FR/a.md", "it-IT/a.md", "ro-RO/a.md"]
    parsed.clear()
    _touch(tree / "ro-RO/a.md")  # the group's result entry no longer matches: it is checked again
    assert _check("ro-RO/a.md", cache) == expected
    assert parsed == ["ro-RO/a.md"]


def test_changed_sibling_is_parsed_again(tree: Path, tmp_path: Path, parsed: list[str]):
    cache = tmp_path / "cache"
    _check("ro-RO/a.md", cache)
    (tree / "fr-FR/a.md").write_text(TREE["fr-FR/a.md"].replace("8080", "9090"), encoding="utf-8")
    parsed.clear()
    found = _check("ro-RO/a.md", cache)
    assert parsed == ["fr-FR/a.md", "ro-RO/a.md"]
    assert found == _check("ro-RO/a.md", None)


def test_damaged_entry_is_a_miss(tree: Path, tmp_path: Path, parsed: list[str]):
    cache = tmp_path / "cache"
    expected = _check("ro-RO/a.md", cache)
    for entry in (cache / "parse-v1").rglob("*"):
        if entry.is_file():
            entry.write_bytes(entry.read_bytes()[:-20])
    _touch(tree / "ro-RO/a.md")
    parsed.clear()
    assert _check("ro-RO/a.md", cache) == expected
    assert sorted(parsed) == ["de-DE/a.md", "fr-FR/a.md", "it-IT/a.md", "ro-RO/a.md"]


def test_whole_tree_run_writes_no_parse_entry(tree: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    _check(".", cache)
    assert not (cache / "parse-v1").exists()


def test_cached_variant_equals_a_fresh_parse(tree: Path, tmp_path: Path):
    settings = load_settings(None, {}, Path.cwd())
    planned = loclint.engine.plan(["ro-RO/a.md"], settings).groups[0]
    parses = ParseCache(tmp_path / "cache")
    first = loclint.engine.load_group(planned, settings, parses=parses)
    second = loclint.engine.load_group(planned, settings, parses=parses)
    for fresh, cached in zip(first.variants, second.variants):
        assert cached.path == fresh.path and cached.report == fresh.report
        assert _state(cached) == _state(fresh)
    assert second.variants[0].meta("ms.date") == datetime.date(2024, 1, 15)  # YAML dates survive the cache
