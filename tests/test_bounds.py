"""Every memo keyed by text from user files has a bound (issue 18): a hostile tree with a million
distinct acronyms, locales or terms must not grow a process without end.

Caches found by inspection: every function in loclint wrapped by functools' caches. Unbounded
ones are allowed only when their key cannot come from a checked file (listed with the reason).
"""

from __future__ import annotations

import importlib
import pkgutil

import loclint

# function -> why an unbounded memo is fine there
UNBOUNDED_OK = {
    "loclint.cache._constructor_fields": "keyed by loclint's own classes",
    "loclint.cache.code_fingerprint": "no argument",
    "loclint.signing._user_key": "keyed by the key file's path: one per run",
    "loclint.locales._patterns": "no argument",
    "loclint.evidence.thresholds": "keyed by the configured keep share: one per run",
    "loclint.evidence._codes": "no argument",
    "loclint.evidence.across_versions": "no argument",
    "loclint.evidence.across_versions_when_few": "no argument",
    "loclint.numbers._data": "no argument",
    "loclint.numbers._scaled_pattern": "no argument",
    "loclint.numbers._multipliers": "no argument",
    "loclint.locales.languages": "no argument",
    "loclint.markdown._parser": "no argument",
    "loclint.markdown._inline_parser": "no argument",
    "loclint.registry._rules_data": "no argument",
    "loclint.frontmatter._yaml": "no argument",
    "loclint.frontmatter._typed_scalar": "no argument",
    "loclint.similarity._rapidfuzz": "no argument",
    "loclint.registry.all_rules": "no argument",
}


def _memoised():
    for info in pkgutil.walk_packages(loclint.__path__, "loclint."):
        if info.name.startswith("loclint.lsp") or info.name == "loclint.__main__":
            continue  # the optional server (its own dependencies); the command itself
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if callable(value) and hasattr(value, "cache_info") and getattr(value, "__module__", None) == info.name:
                yield f"{info.name}.{name}", value


def test_every_memo_of_user_text_is_bounded() -> None:
    found = dict(_memoised())
    assert "loclint.checks.placeholders._acronym_pattern" in found
    unbounded = sorted(name for name, function in found.items() if function.cache_parameters()["maxsize"] is None)
    assert [name for name in unbounded if name not in UNBOUNDED_OK] == []


def test_the_acronym_memo_stays_small_under_a_flood_of_distinct_words() -> None:
    from loclint.checks.placeholders import _acronym_pattern

    for index in range(20_000):
        _acronym_pattern(f"X{index:05d}")
    assert _acronym_pattern.cache_info().currsize <= _acronym_pattern.cache_parameters()["maxsize"] < 20_000


def test_the_flags_patterns_are_declared_with_are_regex_s_own():
    import regex

    from loclint import lazyre

    assert (lazyre.IGNORECASE, lazyre.MULTILINE, lazyre.DOTALL) == (regex.IGNORECASE, regex.MULTILINE, regex.DOTALL)
    assert lazyre.regex.escape is regex.escape and lazyre.regex.Pattern is regex.Pattern
