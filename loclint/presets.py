"""Docs-site layouts as presets: where a site keeps its source pages and each locale's copies.

| preset | source | a translation |
| --- | --- | --- |
| docusaurus | `docs/<path>` | `i18n/<locale>/docusaurus-plugin-content-docs/current/<path>` |
| hugo | `content/<lang>/<path>` (the default language) or `content/<path>.md` | `content/<lang>/<path>` or `content/<path>.<lang>.md` |
| mkdocs | `docs/<path>.md` | `docs/<path>.<lang>.md` (the i18n plugin's suffix form) |
| vitepress | `<root>/<path>` | `<root>/<lang>/<path>` |

A preset is detected from marker files at or above the paths checked (`docusaurus.config.js`,
`hugo.toml`, `mkdocs.yml`, `.vitepress/`), or forced with `layout = "<preset>"`. Locale names in
these sites are short (`fr`, `pt-BR`, `zh-Hans`), so each preset knows its languages from the
site's configuration where it can read it, else from folder or suffix names that are language
codes. The source file of each article is the reference of its group: the site says which it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from types import ModuleType

from loclint.lazyre import DOTALL, IGNORECASE, MULTILINE, lazy_pattern, regex
from loclint.locales import languages

PRESETS = ("docusaurus", "hugo", "mkdocs", "vitepress")

# A short locale as docs sites name them: `fr`, `pt-BR`, `zh-Hans`, `zh_CN`, `sr-Latn-RS`.
SHORT_LOCALE = lazy_pattern(r"[a-z]{2,3}(?:[-_](?:[A-Za-z]{4}|[A-Za-z]{2}|\d{3}))*", IGNORECASE)
_DOCUSAURUS_CONFIGS = ("docusaurus.config.js", "docusaurus.config.ts", "docusaurus.config.mjs", "docusaurus.config.cjs")
_HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
_HUGO_LEGACY_CONFIGS = ("config.toml", "config.yaml", "config.yml")
# A Hugo site may keep its settings split up in a configuration folder instead of one root file.
_HUGO_CONFIG_DIR = Path("config") / "_default"
_HUGO_LANGUAGE_FILES = ("languages.toml", "languages.yaml", "languages.yml")
_MKDOCS_CONFIGS = ("mkdocs.yml", "mkdocs.yaml")
_VITEPRESS_CONFIGS = ("config.js", "config.ts", "config.mjs", "config.mts")
_DEFAULT_LOCALE_JS = lazy_pattern(r"""defaultLocale\s*:\s*['"]([\w-]+)['"]""")
_VITEPRESS_LOCALES = lazy_pattern(r"""locales\s*:\s*\{""")
_JS_KEY = lazy_pattern(r"""(?:^|[,{]\s*)['"]?([\w-]+)['"]?\s*:\s*\{""", MULTILINE)
_VITEPRESS_ROOT_LANG = lazy_pattern(r"""root\s*:\s*\{[^{}]*?lang\s*:\s*['"]([\w-]+)['"]""", DOTALL)
_DOCUSAURUS_DOCS = "docusaurus-plugin-content-docs/current"


@dataclass(frozen=True, slots=True)
class PresetPlace:
    """A file's place as a docs-site preset sees it."""

    locale: str  # lower case
    rel: str  # posix path relative to the site's content root, the same for every locale
    source: bool  # the site's source-language file


@dataclass(slots=True)
class Preset:
    """A docs-site layout (Docusaurus, Hugo, MkDocs, ...) found at a root folder."""

    name: str
    root: Path  # the site's root folder (where its configuration is)
    source_locale: str  # lower case
    languages: set[str] = field(default_factory=set)  # lower case; empty when any language code counts

    def describe(self) -> str:
        langs = f", languages {', '.join(sorted(self.languages))}" if self.languages else ""
        return f"{self.name} at {self.root} (source locale {self.source_locale}{langs})"

    def is_language(self, name: str) -> bool:
        lowered = name.lower().replace("_", "-")
        if self.languages:
            return lowered in self.languages
        if not SHORT_LOCALE.fullmatch(name):
            return False
        # A bare code counts as a language only if it is one (rules/languages.txt, shared with
        # the locale-folder layout), so `content/en/` is a language and `docs/ui/` is not.
        return lowered.split("-")[0] in languages() or "-" in lowered

    def contains(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return False
        return True

    def locate(self, path: Path) -> PresetPlace | None:
        """Where a file sits in the site, or None when it is not a page of the preset's content."""
        try:
            parts = PurePath(os.path.relpath(path.resolve(), self.root.resolve())).parts
        except ValueError:
            return None
        if not parts or parts[0] == "..":
            return None
        return _LOCATORS[self.name](self, parts)

    def siblings(self, path: Path) -> list[Path]:
        """The other locales' files of the article at `path` that exist."""
        place = self.locate(path)
        if place is None:
            return []
        found = []
        for candidate in self.candidates(place.rel):
            if candidate.is_file() and candidate.resolve() != path.resolve():
                found.append(candidate)
        return found

    def candidates(self, rel: str) -> list[Path]:
        return _CANDIDATES[self.name](self, rel)


# --- where each preset puts source and translations ------------------------------------------


def _docusaurus_locate(preset: Preset, parts: tuple[str, ...]) -> PresetPlace | None:
    if len(parts) >= 2 and parts[0] == "docs":
        return PresetPlace(preset.source_locale, PurePath(*parts[1:]).as_posix(), True)
    docs = tuple(_DOCUSAURUS_DOCS.split("/"))
    if len(parts) > 2 + len(docs) and parts[0] == "i18n" and parts[2 : 2 + len(docs)] == docs:
        return PresetPlace(parts[1].lower(), PurePath(*parts[2 + len(docs) :]).as_posix(), False)
    return None


def _docusaurus_candidates(preset: Preset, rel: str) -> list[Path]:
    found = [preset.root / "docs" / rel]
    i18n = preset.root / "i18n"
    for locale in _listdir(i18n):
        found.append(i18n / locale / _DOCUSAURUS_DOCS / rel)
    return found


def _split_suffix(preset: Preset, name: str) -> tuple[str, str | None]:
    """`page.fr.md` -> (`page.md`, `fr`); `page.md` -> (`page.md`, None)."""
    stem, dot, extension = name.rpartition(".")
    base, dot2, language = stem.rpartition(".")
    if dot and dot2 and base and preset.is_language(language):
        return f"{base}.{extension}", language.lower().replace("_", "-")
    return name, None


def _hugo_locate(preset: Preset, parts: tuple[str, ...]) -> PresetPlace | None:
    if len(parts) < 2 or parts[0] != "content":
        return None
    if len(parts) >= 3 and preset.is_language(parts[1]):
        locale = parts[1].lower().replace("_", "-")
        return PresetPlace(locale, PurePath(*parts[2:]).as_posix(), locale == preset.source_locale)
    return _suffix_place(preset, parts[1:])


def _suffix_place(preset: Preset, parts: tuple[str, ...]) -> PresetPlace:
    name, language = _split_suffix(preset, parts[-1])
    rel = PurePath(*parts[:-1], name).as_posix()
    if language is None or language == preset.source_locale:
        return PresetPlace(preset.source_locale, rel, True)
    return PresetPlace(language, rel, False)


def _hugo_candidates(preset: Preset, rel: str) -> list[Path]:
    content = preset.root / "content"
    found = [content / rel]
    found.extend(content / name / rel for name in _listdir(content) if preset.is_language(name))
    found.extend(_suffix_candidates(preset, content, rel))
    return found


def _suffix_candidates(preset: Preset, folder: Path, rel: str) -> list[Path]:
    path = folder / rel
    stem, dot, extension = path.name.rpartition(".")
    if not dot:
        return []
    found = []
    for name in _listdir(path.parent):
        base, dot2, rest = name.partition(".")
        if name.startswith(stem + ".") and name.endswith("." + extension):
            language = name[len(stem) + 1 : -len(extension) - 1]
            if language and preset.is_language(language):
                found.append(path.parent / name)
    return found


def _mkdocs_locate(preset: Preset, parts: tuple[str, ...]) -> PresetPlace | None:
    if len(parts) < 2 or parts[0] != "docs":
        return None
    return _suffix_place(preset, parts[1:])


def _mkdocs_candidates(preset: Preset, rel: str) -> list[Path]:
    docs = preset.root / "docs"
    return [docs / rel, *_suffix_candidates(preset, docs, rel)]


def _vitepress_locate(preset: Preset, parts: tuple[str, ...]) -> PresetPlace | None:
    if parts[0].startswith(".") or parts[0] in ("public", "node_modules"):
        return None
    if len(parts) >= 2 and preset.is_language(parts[0]):
        return PresetPlace(parts[0].lower(), PurePath(*parts[1:]).as_posix(), False)
    return PresetPlace(preset.source_locale, PurePath(*parts).as_posix(), True)


def _vitepress_candidates(preset: Preset, rel: str) -> list[Path]:
    found = [preset.root / rel]
    found.extend(preset.root / name / rel for name in _listdir(preset.root) if preset.is_language(name))
    return found


_LOCATORS = {"docusaurus": _docusaurus_locate, "hugo": _hugo_locate, "mkdocs": _mkdocs_locate, "vitepress": _vitepress_locate}
_CANDIDATES = {"docusaurus": _docusaurus_candidates, "hugo": _hugo_candidates, "mkdocs": _mkdocs_candidates,
               "vitepress": _vitepress_candidates}


def _listdir(folder: Path) -> list[str]:
    try:
        return sorted(name for name in os.listdir(folder) if (folder / name).is_dir())
    except OSError:
        return []


# --- detection ----------------------------------------------------------------------------


def detect(start: Path, forced: str | None = None, source_locale: str | None = None) -> Preset | None:
    """The preset of the site holding `start`, found from marker files at or above it.

    `forced` names the preset to look for (from `layout`); `source_locale` overrides the one the
    site's configuration gives.
    """
    folder = start if start.is_dir() else start.parent
    for candidate in [folder, *folder.resolve().parents]:
        preset = _detect_here(candidate, forced)
        if preset is not None:
            if source_locale:
                preset.source_locale = source_locale.lower()
            return preset
    return None


def _detect_here(folder: Path, forced: str | None) -> Preset | None:
    def wanted(name: str) -> bool:
        return forced in (None, name)

    if wanted("docusaurus") and (_any_file(folder, _DOCUSAURUS_CONFIGS) or (folder / "i18n").is_dir() and any(
            (folder / "i18n" / name / "docusaurus-plugin-content-docs").is_dir() for name in _listdir(folder / "i18n"))):
        return Preset("docusaurus", folder, _js_value(folder, _DOCUSAURUS_CONFIGS, _DEFAULT_LOCALE_JS) or "en")
    if wanted("vitepress") and (folder / ".vitepress").is_dir():
        return _vitepress(folder)
    if wanted("mkdocs") and _any_file(folder, _MKDOCS_CONFIGS):
        return _mkdocs(folder)
    if wanted("hugo") and (folder / "content").is_dir() and (
            _any_file(folder, _HUGO_CONFIGS) or _any_file(folder / _HUGO_CONFIG_DIR, _HUGO_CONFIGS)
            or _any_file(folder, _HUGO_LEGACY_CONFIGS) and (folder / "archetypes").is_dir()
            or forced == "hugo"):
        return _hugo(folder)
    return None


def _any_file(folder: Path, names: tuple[str, ...]) -> Path | None:
    return next((folder / name for name in names if (folder / name).is_file()), None)


def _read(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _js_value(folder: Path, names: tuple[str, ...], pattern: regex.Pattern) -> str | None:
    found = pattern.search(_read(_any_file(folder, names)))
    return found.group(1).lower() if found else None


def _vitepress(folder: Path) -> Preset:
    config = _read(_any_file(folder / ".vitepress", _VITEPRESS_CONFIGS))
    languages: set[str] = set()
    opened = _VITEPRESS_LOCALES.search(config)
    if opened:
        # The keys of the `locales: { ... }` object, read up to its closing brace.
        depth, index = 1, opened.end()
        while index < len(config) and depth:
            depth += {"{": 1, "}": -1}.get(config[index], 0)
            index += 1
        body = config[opened.end() : index - 1]
        depth_zero = _top_level(body)
        languages = {key.lower() for key in _JS_KEY.findall(depth_zero) if key != "root"}
    root_lang = _VITEPRESS_ROOT_LANG.search(config)
    source = root_lang.group(1).lower() if root_lang else "en"
    return Preset("vitepress", folder, source, languages)


def _top_level(body: str) -> str:
    """`body` with everything nested in braces removed, so only its own keys remain (with `{`)."""
    out, depth = [], 0
    for char in body:
        if char == "{":
            if depth == 0:
                out.append(char)
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def _lenient_safe_loader(yaml: ModuleType) -> type:
    """A safe loader that reads custom tags (`!!python/name:...`, common in mkdocs.yml) as None."""

    class LenientSafeLoader(yaml.SafeLoader):
        pass

    LenientSafeLoader.add_multi_constructor("", lambda loader, suffix, node: None)
    return LenientSafeLoader


def _mkdocs(folder: Path) -> Preset:
    import yaml  # here: only a docs site's configuration needs it, and it costs every run's start-up

    source, languages = "en", set()
    try:
        data = yaml.load(_read(_any_file(folder, _MKDOCS_CONFIGS)), Loader=_lenient_safe_loader(yaml)) or {}  # noqa: S506
    except yaml.YAMLError:
        data = {}
    for plugin in data.get("plugins", []) if isinstance(data, dict) else []:
        options = plugin.get("i18n") if isinstance(plugin, dict) else None
        if not isinstance(options, dict):
            continue
        for language in options.get("languages", []) or []:
            if isinstance(language, dict) and language.get("locale"):
                code = str(language["locale"]).lower()
                languages.add(code)
                if language.get("default"):
                    source = code
        if options.get("default_language"):
            source = str(options["default_language"]).lower()
    return Preset("mkdocs", folder, source, languages)


def _hugo(folder: Path) -> Preset:
    config_dir = folder / _HUGO_CONFIG_DIR
    data = _load_config(_any_file(folder, _HUGO_CONFIGS) or _any_file(config_dir, _HUGO_CONFIGS)
                        or _any_file(folder, _HUGO_LEGACY_CONFIGS) or _any_file(config_dir, _HUGO_LEGACY_CONFIGS))
    source = str(data.get("defaultContentLanguage", "en")).lower()
    # In a configuration folder the languages have a file of their own, whose top-level keys they are.
    languages_table = data.get("languages")
    if not isinstance(languages_table, dict):
        languages_table = _load_config(_any_file(config_dir, _HUGO_LANGUAGE_FILES))
    languages = {str(key).lower() for key in languages_table}
    return Preset("hugo", folder, source, languages)


def _load_config(path: Path | None) -> dict:
    """A TOML or YAML settings file as a mapping; empty when absent, broken or not a mapping."""
    import json  # here, with tomllib and yaml: only a Hugo site needs them, and they cost every run's start-up
    import tomllib

    import yaml

    text = _read(path)
    data: object = {}
    try:
        if path is not None and path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path is not None and path.suffix in (".yaml", ".yml"):
            data = yaml.safe_load(text) or {}
        elif path is not None and path.suffix == ".json":
            data = json.loads(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError, ValueError):
        data = {}
    return data if isinstance(data, dict) else {}
