"""The tunable patterns of `rules/patterns.yaml`, merged with the user's and compiled once per run."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from loclint.lazyre import lazy_pattern, regex
from loclint.registry import load_data_file


class PatternError(ValueError):
    """A user-supplied pattern that does not compile or runs away; the message names it."""


# Seconds one match call of a user-supplied pattern may run (`timeout` in the `patterns` table).
DEFAULT_TIMEOUT = 1.0
# Texts a catastrophically backtracking pattern typically chokes on, tried once at load so most
# bad patterns are refused before any file is read; the time limit catches the rest at run time.
_PROBES = tuple(char * 64 + "\u0000" for char in "a1 -.xA_/") + ("ab" * 32 + "\u0000", "a1" * 32 + "\u0000")


@dataclass(frozen=True)
class Patterns:
    """The compiled token patterns: literals, numbers, acronyms and markup."""

    # (kind, pattern, hints) matched before numbers; see `_hints`
    literal_kinds: tuple[tuple[str, regex.Pattern | Alternation, tuple[str, ...] | None], ...]
    number: regex.Pattern
    acronym: regex.Pattern
    url_locale_segment: regex.Pattern
    void_elements: frozenset[str]
    acronym_keep_share: float


@functools.lru_cache(maxsize=1)  # no argument: one entry, not keyed by user text
def shipped_patterns() -> Patterns:
    """The shipped patterns, compiled once per process on first use."""
    return build_patterns(None)


def acronym_keep_share(compiled: Patterns | None) -> float:
    """The share of instances the run's other locales must keep for a lost acronym to stand
    (P004), without compiling the shipped patterns to read one number of them (a warm run)."""
    return compiled.acronym_keep_share if compiled is not None else float(load_data_file("patterns.yaml")["acronym-keep-share"])


def active_patterns(compiled: Patterns | None) -> Patterns:
    """A configuration's compiled patterns, or the shipped ones when it overrides none."""
    return compiled if compiled is not None else shipped_patterns()


def build_patterns(overrides: dict[str, Any] | None = None) -> Patterns:
    data = dict(load_data_file("patterns.yaml"))
    overrides = dict(overrides or {})
    timeout = _timeout(overrides.pop("timeout", DEFAULT_TIMEOUT))
    data.update(overrides)

    def compile_(name: str, pattern: str) -> regex.Pattern | TimedPattern:
        # Shipped patterns are written to run in linear time; the user's run under a time limit.
        return _compile(name, pattern, timeout if name in overrides else None)

    literal_kinds = (
        ("email", compile_("email", data["email"]), _hints("email", data, overrides)),
        ("guid", compile_("guid", data["guid"]), _hints("guid", data, overrides)),
        ("placeholder", Alternation("placeholders", data["placeholders"], timeout if "placeholders" in overrides else None),
         _hints("placeholders", data, overrides)),
        ("path", Alternation("paths", data["paths"], timeout if "paths" in overrides else None),
         _hints("paths", data, overrides)),
    )
    return Patterns(
        literal_kinds=literal_kinds,
        number=compile_("number", data["number"]),
        acronym=compile_("acronym", data["acronym"]),
        url_locale_segment=compile_("url-locale-segment", data["url-locale-segment"]),
        void_elements=frozenset(str(name).lower() for name in data["void-elements"]),
        acronym_keep_share=float(data["acronym-keep-share"]),
    )


def _hints(name: str, data: dict[str, Any], overrides: dict[str, Any]) -> tuple[str, ...] | None:
    """Strings one of which every match of pattern `name` holds, or None to scan every text.

    A hint is only as good as the pattern it was written for: a replaced pattern keeps the
    shipped hints only if the configuration gives hints of its own."""
    key = f"{name}-hints"
    if name in overrides and key not in overrides:
        return None
    hints = data.get(key)
    if hints is None:
        return None
    if not isinstance(hints, list) or not hints or not all(isinstance(hint, str) and hint for hint in hints):
        raise PatternError(f"pattern hints `{key}` must be a list of non-empty strings")
    return tuple(hints)


# A back-reference numbers groups across the whole alternation: such lists are matched as one pattern.
_BACKREFERENCE = lazy_pattern(r"\\[1-9]|\\g<|\(\?P=")


class Alternation:
    """A list of patterns matched as `(?:a)|(?:b)|...`, found faster than the compiled alternation.

    The `regex` module scans an alternation an order of magnitude slower than each branch on its
    own (the branches' literal prefixes go unused), so each branch is searched by itself and the
    matches are merged the way the alternation picks them: leftmost first, then the earlier branch.
    """

    def __init__(self, name: str, patterns: list[str], timeout: float | None = None) -> None:
        if not isinstance(patterns, list) or not all(isinstance(pattern, str) for pattern in patterns):
            raise PatternError(f"pattern `{name}` must be a list of regular expressions")
        self.union = _compile(name, _union(patterns), timeout)
        self.branches = tuple(_compile(name, pattern, timeout) for pattern in patterns)
        # Inline flags such as `(?i)` apply to the whole alternation: merge only when none differ.
        self._split = all(branch.flags == self.union.flags for branch in self.branches) and not any(
            _BACKREFERENCE.search(pattern) for pattern in patterns
        )

    def finditer(self, text: str) -> list[regex.Match]:
        if not self._split:
            return list(self.union.finditer(text))
        found = [branch.search(text) for branch in self.branches]
        matches: list[regex.Match] = []
        position = 0
        while True:
            best = None
            for index, match in enumerate(found):
                if match is not None and match.start() < position:
                    match = found[index] = self.branches[index].search(text, position)
                if match is not None and (best is None or match.start() < best.start()):
                    best = match
            if best is None:
                return matches
            if best.end() == best.start():  # empty matches follow subtler rules: leave them to `regex`
                return list(self.union.finditer(text))
            matches.append(best)
            position = best.end()


def _union(patterns: list[str]) -> str:
    return "|".join(f"(?:{pattern})" for pattern in patterns)


def _compile(name: str, pattern: str, timeout: float | None = None) -> regex.Pattern | TimedPattern:
    try:
        compiled = regex.compile(pattern)
    except (regex.error, TypeError, ValueError) as exc:
        raise PatternError(f"pattern `{name}` does not compile: {exc}") from exc
    if timeout is None:
        return compiled
    timed = TimedPattern(name, compiled, timeout)
    for probe in _PROBES:
        timed.search(probe)  # raises PatternError for a pattern that backtracks without end
    return timed


def _timeout(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 60:
        raise PatternError(f"`patterns.timeout` must be a number of seconds between 0 and 60, not {value!r}")
    return float(value)


class TimedPattern:
    """A user-supplied pattern: each call runs under `regex`'s time limit.

    A pattern such as `(a|aa)+$` backtracks exponentially on some texts; it is stopped and
    reported as a configuration problem (PatternError, exit 2) instead of hanging the run.
    Offers the few `regex.Pattern` methods the checks use; `finditer` returns a list.
    """

    __slots__ = ("compiled", "name", "timeout")

    def __init__(self, name: str, compiled: regex.Pattern, timeout: float) -> None:
        self.name, self.compiled, self.timeout = name, compiled, timeout

    @property
    def flags(self) -> int:
        return self.compiled.flags

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    def search(self, text: str, pos: int | None = None) -> regex.Match | None:
        try:
            return self.compiled.search(text, pos, timeout=self.timeout)
        except TimeoutError:
            raise self._runaway(text) from None

    def finditer(self, text: str, pos: int | None = None) -> list[regex.Match]:
        try:
            return list(self.compiled.finditer(text, pos, timeout=self.timeout))
        except TimeoutError:
            raise self._runaway(text) from None

    def sub(self, replacement: Any, text: str, count: int = 0) -> str:
        try:
            return self.compiled.sub(replacement, text, count, timeout=self.timeout)
        except TimeoutError:
            raise self._runaway(text) from None

    def _runaway(self, text: str) -> PatternError:
        return PatternError(
            f"pattern `{self.name}` (`{self.compiled.pattern}`) ran longer than {self.timeout:g} s on a text of "
            f"{len(text):,} characters and was stopped: it backtracks without end (nested or overlapping "
            "repetition such as `(a|aa)+`); rewrite it in the configuration, e.g. with possessive quantifiers"
        )
