"""The tunable patterns of `rules/patterns.yaml`, merged with the user's and compiled once per run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from loclint.registry import load_data_file


class PatternError(ValueError):
    """A user-supplied pattern that does not compile; the message names it."""


@dataclass(frozen=True)
class Patterns:
    literal_kinds: tuple[tuple[str, regex.Pattern], ...]  # (kind, pattern) matched before numbers
    number: regex.Pattern
    acronym: regex.Pattern
    url_locale_segment: regex.Pattern
    void_elements: frozenset[str]
    acronym_keep_share: float


def build_patterns(overrides: dict[str, Any] | None = None) -> Patterns:
    data = dict(load_data_file("patterns.yaml"))
    data.update(overrides or {})
    literal_kinds = (
        ("email", _compile("email", data["email"])),
        ("guid", _compile("guid", data["guid"])),
        ("placeholder", _compile("placeholders", _union(data["placeholders"]))),
        ("path", _compile("paths", _union(data["paths"]))),
    )
    return Patterns(
        literal_kinds=literal_kinds,
        number=_compile("number", data["number"]),
        acronym=_compile("acronym", data["acronym"]),
        url_locale_segment=_compile("url-locale-segment", data["url-locale-segment"]),
        void_elements=frozenset(str(name).lower() for name in data["void-elements"]),
        acronym_keep_share=float(data["acronym-keep-share"]),
    )


def _union(patterns: list[str]) -> str:
    return "|".join(f"(?:{pattern})" for pattern in patterns)


def _compile(name: str, pattern: str) -> regex.Pattern:
    try:
        return regex.compile(pattern)
    except (regex.error, TypeError) as exc:
        raise PatternError(f"pattern `{name}` does not compile: {exc}") from exc
