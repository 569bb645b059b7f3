"""Settings: defaults, then the configuration file, then the command line; each value knows its origin.

Configuration lives in `.loclint.toml`, `loclint.toml` (top level) or `pyproject.toml`
(`[tool.loclint]`), found from each checked path upwards (ruff's rule: the closest one applies;
the working folder matters only when no path is given), or named with `--config`.
An unknown key or rule code is an error (exit 2), never silently ignored.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from loclint.fsguard import ReadPolicy
from loclint.glossary import GlossaryError, TermList, load_terms
from loclint.patterns import Patterns, build_patterns
from loclint.registry import SelectionError, expand, resolve
from loclint.typography_rules import Typography, TypographyError, build_typography

LAYOUTS = ("auto", "locale-folders", "sibling-repos", "loose", "docusaurus", "hugo", "mkdocs", "vitepress")
# Front-matter keys each locale sets for itself; never compared for parity.
PER_LOCALE_KEYS = (
    "title",
    "description",
    "ms.contentlocale",
    "ms.locfileid",
    "ms.lasthandoff",
    "ms.translationtype",
    "ms.openlocfilehash",
)
CONFIG_FILES = (".loclint.toml", "loclint.toml", "pyproject.toml")
# The `output-format` values; loclint/output maps each to its renderer (a test keeps the two equal),
# so reading the configuration never imports the renderers.
OUTPUT_FORMATS = ("full", "concise", "grouped", "json", "json-lines", "github", "gitlab", "sarif", "junit", "pylint", "html")


class ConfigError(ValueError):
    """A configuration problem the user must fix; reported with exit status 2."""


@dataclass
class Settings:
    """Every setting of a run, from the configuration file and the command line."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    per_locale_ignores: dict[str, list[str]] = field(default_factory=dict)
    source_locale: str | None = None
    layout: str = "auto"
    group_by: str | None = None
    parity_keys: list[str] = field(default_factory=list)
    required_keys: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=lambda: [".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__"])
    extend_exclude: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=lambda: ["*.md", "*.markdown"])
    max_file_size: int = 10 * 1024 * 1024
    report_siblings: bool = False
    output_format: str = "concise"
    patterns: dict[str, Any] = field(default_factory=dict)
    typography: dict[str, Any] = field(default_factory=dict)  # laid over rules/typography.yaml
    glossary: str | None = None  # the user's terms (YAML or CSV), added to rules/terms.yaml
    locales: list[str] | None = None  # the locale names of the repository, when not BCP 47 tags
    siblings: list[str] = field(default_factory=list)  # globs of other locales' folders (`../Docs.*`)
    respect_gitignore: bool = True  # skip files git ignores, unless named
    # H rules (loclint/history.py): where a translation records its source commit, the commit
    # messages that do not count as source changes, and how many stale units get one summary.
    history_commit_keys: list[str] = field(default_factory=lambda: ["ms.sourcegitcommit", "l10n.sourceCommit"])
    history_skip_markers: list[str] = field(default_factory=lambda: ["[skip l10n]"])
    history_summary_over: int = 3
    follow_symlinks: bool = False  # read files whose links lead out of the checked tree (E009 otherwise)
    # Where each value came from: "default", a config file path, or "command line".
    origins: dict[str, str] = field(default_factory=dict)
    config_path: Path | None = None

    # Resolved once per run, never by checks: the rule data, each with the configuration's say.
    enabled: frozenset[str] = frozenset()
    compiled_patterns: Patterns | None = None
    compiled_typography: Typography | None = None
    terms: TermList | None = None
    _resolved: bool = field(default=False, init=False, repr=False, compare=False)

    def __setattr__(self, name: str, value: Any) -> None:
        # Resolved settings are shared by every group and worker of a run: nothing may change them.
        if getattr(self, "_resolved", False):
            raise FrozenInstanceError(f"settings are resolved: cannot set `{name}`")
        object.__setattr__(self, name, value)

    def narrowed(self, enabled: frozenset[str]) -> Settings:
        """These resolved settings with only `enabled` rules (the shard pass's evidence-only run)."""
        return self._resolved_copy(enabled=enabled)

    def with_read_policy(self, policy: ReadPolicy) -> Settings:
        """These resolved settings with the run's checked tree (set by the engine for each run)."""
        return self._resolved_copy(read_policy=policy)

    def _resolved_copy(self, **changes: Any) -> Settings:
        copy = replace(self, **changes)
        object.__setattr__(copy, "_resolved", self._resolved)
        return copy
    read_policy: ReadPolicy = ReadPolicy()  # the checked tree, set by the engine for each run

    def finish(self) -> Settings:
        """Validate codes and compile the rule data; call once after every source is applied.
        The settings are frozen from then on."""
        try:
            self.enabled = resolve(self.select, self.extend_select, self.ignore)
            for codes in [*self.per_file_ignores.values(), *self.per_locale_ignores.values()]:
                for code in codes:
                    expand(code)
        except SelectionError as exc:
            raise ConfigError(str(exc)) from exc
        if self.layout not in LAYOUTS:
            raise ConfigError(f"unknown layout `{self.layout}`; choose one of {', '.join(LAYOUTS)}")
        if self.output_format not in OUTPUT_FORMATS:
            origin = self.origins.get("output-format", "default")
            raise ConfigError(f"{origin}: unknown output-format `{self.output_format}`; choose one of {', '.join(OUTPUT_FORMATS)}")
        if self.source_locale:
            self.source_locale = self.source_locale.lower()
        self.per_locale_ignores = {locale.lower(): codes for locale, codes in self.per_locale_ignores.items()}
        # The shipped patterns compile on first use (a fully cached run never needs them); the user's
        # compile here, so that one which does not compile is a configuration error before any work.
        self.compiled_patterns = build_patterns(self.patterns) if self.patterns else None
        try:
            self.compiled_typography = build_typography(self.typography)
        except TypographyError as exc:
            raise ConfigError(f"{self.origins.get('typography', 'default')}: {exc}") from exc
        try:
            self.terms = load_terms(self._glossary_path())
        except GlossaryError as exc:
            raise ConfigError(str(exc)) from exc
        self._resolved = True
        return self

    def _glossary_path(self) -> Path | None:
        """A relative glossary path is read from the folder of the configuration file that set it."""
        if not self.glossary:
            return None
        path = Path(self.glossary)
        from_file = self.origins.get("glossary") not in (None, "default", "command line")
        if not path.is_absolute() and from_file and self.config_path is not None:
            path = self.config_path.parent / path
        return path


_FILE_KEYS = {f.name.replace("_", "-") for f in fields(Settings) if f.init} - {
    "origins", "config-path", "enabled", "compiled-patterns", "compiled-typography", "terms", "read-policy"}
_LIST_KEYS = {"locales", "siblings", "select", "extend-select", "ignore", "parity-keys", "required-keys", "exclude", "extend-exclude", "include",
              "history-commit-keys", "history-skip-markers"}


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration at or above `start`: its path and its loclint table."""
    for folder in [start, *start.parents]:
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            table = _read_table(candidate)
            if table is not None:
                return candidate, table
    return None


def start_folder(raw: str) -> Path:
    """Where the configuration of a checked path is looked for: the folder itself, or a file's folder."""
    path = Path(raw).absolute()
    return path if path.is_dir() else path.parent


def projects(paths: list[str]) -> list[tuple[Path | None, list[str]]]:
    """The paths, partitioned by the configuration closest to each (None: no configuration),
    in the order the paths were given. Each part is checked with its own settings."""
    parts: dict[Path | None, list[str]] = {}
    nearest: dict[Path, Path | None] = {}
    for raw in paths:
        folder = start_folder(raw)
        if folder not in nearest:
            found = find_config(folder)
            nearest[folder] = found[0] if found else None
        parts.setdefault(nearest[folder], []).append(raw)
    return list(parts.items())


def _read_table(path: Path) -> dict[str, Any] | None:
    import tomllib  # here: most runs have no configuration file to read

    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("loclint")
    return data


def load_settings(config_path: Path | None, overrides: dict[str, Any], cwd: Path | None) -> Settings:
    """Settings from `config_path`, else the configuration found from `cwd` upwards (none when
    `cwd` is None: the paths checked have no configuration), then `overrides`."""
    settings = Settings()
    settings.origins = {name: "default" for name in _FILE_KEYS}
    found = None
    if config_path is not None:
        if not config_path.is_file():
            raise ConfigError(f"configuration file not found: {config_path}")
        found = (config_path, _read_table(config_path) or {})
    elif cwd is not None:
        found = find_config(cwd)
    if found:
        settings.config_path = found[0]
        apply(settings, found[1], str(found[0]))
    apply(settings, {key: value for key, value in overrides.items() if value is not None}, "command line")
    return settings.finish()


def apply(settings: Settings, table: dict[str, Any], origin: str) -> None:
    for key, value in table.items():
        if key not in _FILE_KEYS:
            known = ", ".join(sorted(_FILE_KEYS))
            raise ConfigError(f"{origin}: unknown configuration key `{key}` (known keys: {known})")
        if key in _LIST_KEYS and not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
            raise ConfigError(f"{origin}: `{key}` must be a list of strings")
        if key in ("per-file-ignores", "per-locale-ignores", "patterns", "typography") and not isinstance(value, dict):
            raise ConfigError(f"{origin}: `{key}` must be a table")
        if key == "glossary" and not isinstance(value, str):
            raise ConfigError(f"{origin}: `glossary` must be a path (a string)")
        if key == "respect-gitignore" and not isinstance(value, bool):
            raise ConfigError(f"{origin}: `respect-gitignore` must be true or false")
        if key == "follow-symlinks" and not isinstance(value, bool):
            raise ConfigError(f"{origin}: `follow-symlinks` must be true or false")
        if key == "max-file-size" and (not isinstance(value, int) or value <= 0):
            raise ConfigError(f"{origin}: `max-file-size` must be a positive number of bytes")
        if key == "history-summary-over" and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise ConfigError(f"{origin}: `history-summary-over` must be a number of units (0 or more)")
        setattr(settings, key.replace("-", "_"), value)
        settings.origins[key] = origin
