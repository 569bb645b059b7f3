"""YAML front matter: found, bounded, loaded safely, and mapped back to key positions.

Only a safe loader is ever used, and aliases are counted before loading, so a "billion laughs"
front matter is refused instead of expanded by whoever walks the loaded value later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex
import yaml

try:  # libyaml's loader is ~10x faster; the pure-Python one is an exact fallback.
    _SafeLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _SafeLoader = yaml.SafeLoader

MAX_ALIASES = 64
_OPENING = regex.compile(r"---[ \t]*(?:\r\n|\r|\n)")
# Line starts and ends by hand: `^`/`$` know only LF, and a CRLF file's `---\r` must still close.
_CLOSING = regex.compile(r"(?:\A|(?<=[\r\n]))(?:---|\.\.\.)[ \t]*(?=[\r\n]|\Z)")
_ALIAS = regex.compile(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}]+", regex.MULTILINE)
_TOP_LEVEL_KEY = regex.compile(r"(?:\A|(?<=[\r\n]))([^\s#:\-'\"][^:\r\n]*?)[ \t]*:(?=[ \t\r\n]|\Z)")


@dataclass(slots=True)
class FrontMatter:
    data: dict[str, Any] | None = None
    key_offsets: dict[str, int] = field(default_factory=dict)
    body_start: int = 0
    error_code: str | None = None  # E003 missing, E004 invalid
    error: str | None = None
    error_offset: int = 0


def read_front_matter(text: str) -> FrontMatter:
    opening = _OPENING.match(text)
    if not opening:
        return FrontMatter(error_code="E003", error="no YAML front matter: the file must start with a `---` line")
    closing = _CLOSING.search(text, opening.end())
    if not closing:
        return FrontMatter(
            error_code="E004",
            error="front matter is never closed: add a `---` line after the last key",
        )
    yaml_start, yaml_end = opening.end(), closing.start()
    yaml_text = text[yaml_start:yaml_end]
    body_start = closing.end()
    result = FrontMatter(body_start=body_start)

    alias_count = sum(1 for _ in _ALIAS.finditer(yaml_text))
    if alias_count > MAX_ALIASES:
        result.error_code, result.error = "E004", (
            f"front matter uses {alias_count} YAML aliases (limit {MAX_ALIASES}); refused as a possible alias bomb"
        )
        result.error_offset = yaml_start
        return result
    try:
        data = yaml.load(yaml_text, Loader=_SafeLoader)  # noqa: S506 - the loader is a safe one
    except yaml.YAMLError as exc:
        result.error_code, result.error = "E004", f"invalid YAML in front matter: {_yaml_problem(exc)}"
        result.error_offset = yaml_start + _yaml_offset(exc, yaml_text)
        return result
    except (RecursionError, MemoryError):
        result.error_code, result.error = "E004", "front matter is nested too deeply to load"
        result.error_offset = yaml_start
        return result
    if data is None:
        data = {}
    if not isinstance(data, dict):
        result.error_code, result.error = "E004", f"front matter is a {type(data).__name__}, not a mapping of keys"
        result.error_offset = yaml_start
        return result
    result.data = {str(key): value for key, value in data.items()}
    result.key_offsets = {
        match.group(1).strip(): yaml_start + match.start(1) for match in _TOP_LEVEL_KEY.finditer(yaml_text)
    }
    return result


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return " ".join(str(problem).split())


def _yaml_offset(exc: yaml.YAMLError, yaml_text: str) -> int:
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return 0
    lines = yaml_text.splitlines(keepends=True)
    return sum(len(line) for line in lines[: mark.line]) + mark.column
