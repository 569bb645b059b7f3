"""Docs-site layouts: each preset's fixture tree (tests/fixtures/presets/<name>/) is detected,
grouped with the site's source file as the reference, and its one planted defect is found.

The trees are copied to a temporary folder first, so no marker file of this repository (or of a
folder above it) can take part in detection.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from loclint.cli import main
from loclint.config import load_settings
from loclint.discover import plan
from loclint.engine import run
from loclint.presets import detect

PRESETS = Path(__file__).parent / "fixtures" / "presets"

# tree -> (preset, source locale, {article: sorted locales}, the one expected finding)
CASES = {
    "docusaurus": (
        "docusaurus", "en",
        {"intro.md": ["en", "fr", "pt-br"], "guide/setup.md": ["en", "fr"]},
        "i18n/fr/docusaurus-plugin-content-docs/current/guide/setup.md:6:1: B011",
    ),
    "hugo-dirs": ("hugo", "en", {"posts/hello.md": ["de", "en"]}, "content/de/posts/hello.md:4:5: B010"),
    "hugo-suffix": ("hugo", "en", {"posts/hello.md": ["en", "fr"]}, "content/posts/hello.fr.md:6:35: B008"),
    "mkdocs": ("mkdocs", "en", {"index.md": ["en", "es"], "ui.md": ["en"]}, "docs/index.es.md:3:25: B012"),
    "vitepress": (
        "vitepress", "en-us",
        {"index.md": ["en-us", "zh"], "guide/start.md": ["en-us", "zh"], "api/reference.md": ["en-us"]},
        "zh/index.md:3:14: P002",
    ),
}


@pytest.fixture
def site(tmp_path: Path, request) -> Path:
    root = tmp_path / request.param
    shutil.copytree(PRESETS / request.param, root)
    return root


def _settings(root: Path, **overrides):
    return load_settings(None, overrides, root)


@pytest.mark.parametrize("site", list(CASES), indirect=True)
def test_preset_is_detected(site: Path) -> None:
    name, source, _, _ = CASES[site.name]
    preset = detect(site)
    assert preset is not None and preset.name == name and preset.source_locale == source
    # Detection works from inside the site too, e.g. `loclint check docs/`.
    inner = next(path for path in sorted(site.rglob("*.md")))
    assert detect(inner.parent).root == preset.root


@pytest.mark.parametrize("site", list(CASES), indirect=True)
def test_preset_groups_articles_with_the_source_as_reference(site: Path) -> None:
    _, source, articles, _ = CASES[site.name]
    layout = plan([str(site)], _settings(site))
    found = {group.article: sorted(ref.place_locale for ref in group.files) for group in layout.groups}
    assert found == articles
    for group in layout.groups:
        source_ref = next(ref for ref in group.files if ref.place_locale == source)
        assert group.source == source_ref.display


@pytest.mark.parametrize("site", list(CASES), indirect=True)
def test_preset_finds_its_planted_defect(site: Path) -> None:
    expected = CASES[site.name][3]
    cwd = os.getcwd()
    os.chdir(site)
    try:
        result = run(["."], _settings(site))
    finally:
        os.chdir(cwd)
    found = [f"{Path(d.path).as_posix()}:{d.line}:{d.column}: {d.code}" for d in result.diagnostics]
    # Front matter is optional on docs sites: no E003 there.
    assert found == [expected]


@pytest.mark.parametrize("site", ["docusaurus"], indirect=True)
def test_a_named_file_brings_its_preset_siblings(site: Path) -> None:
    named = site / "i18n" / "fr" / "docusaurus-plugin-content-docs" / "current" / "guide" / "setup.md"
    layout = plan([str(named)], _settings(site))
    (group,) = layout.groups
    assert sorted(ref.place_locale for ref in group.files) == ["en", "fr"]
    assert [ref.report for ref in group.files if ref.place_locale == "en"] == [False]


@pytest.mark.parametrize("site", ["hugo-suffix"], indirect=True)
def test_forced_preset_and_show_settings(site: Path) -> None:
    layout = plan([str(site)], _settings(site, layout="hugo"))
    assert [preset.name for preset in layout.presets] == ["hugo"]
    # A layout that is no preset turns detection off.
    assert plan([str(site)], _settings(site, layout="locale-folders")).presets == []
    result = CliRunner().invoke(main, ["check", "--show-settings", str(site)])
    assert result.exit_code == 0 and "# layout preset: hugo at" in result.output


def test_no_preset_without_markers(tmp_path: Path) -> None:
    (tmp_path / "de-DE").mkdir()
    (tmp_path / "de-DE" / "a.md").write_text("# A\n", encoding="utf-8")
    assert detect(tmp_path) is None
    result = CliRunner().invoke(main, ["check", "--show-settings", str(tmp_path)])
    assert "no docs-site preset detected" in result.output


@pytest.mark.parametrize("config", ["hugo.yaml", "hugo.toml", "hugo.json"])
def test_hugo_settings_in_a_configuration_folder(tmp_path: Path, config: str) -> None:
    # Hugo sites may split their settings into config/_default/, languages in a file of their own.
    (tmp_path / "config" / "_default").mkdir(parents=True)
    body = {"hugo.yaml": "defaultContentLanguage: de\n", "hugo.toml": 'defaultContentLanguage = "de"\n',
            "hugo.json": '{"defaultContentLanguage": "de"}'}[config]
    (tmp_path / "config" / "_default" / config).write_text(body, encoding="utf-8")
    (tmp_path / "config" / "_default" / "languages.toml").write_text("[de]\nweight = 1\n[fr]\nweight = 2\n",
                                                                      encoding="utf-8")
    for locale in ("de", "fr"):
        (tmp_path / "content" / locale).mkdir(parents=True)
        (tmp_path / "content" / locale / "a.md").write_text("# Title\n\nText.\n", encoding="utf-8")
    preset = detect(tmp_path)
    assert preset is not None and preset.name == "hugo"
    assert preset.source_locale == "de" and preset.languages == {"de", "fr"}


def test_hugo_without_a_configuration_is_not_a_hugo_site(tmp_path: Path) -> None:
    (tmp_path / "content" / "de").mkdir(parents=True)
    (tmp_path / "content" / "de" / "a.md").write_text("# Title\n", encoding="utf-8")
    assert detect(tmp_path) is None
