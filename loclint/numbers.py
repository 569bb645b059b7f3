"""Numbers a locale writes as words or names (P001), from the data of `rules/numbers.yaml`.

`written_out` answers one question for the evidence model of kept tokens: does the target hold
the value of a source number in words (`cent` for 100, `الخامس والعشرين` for 25) or, for the
month of a date, as the month's name (`jūnija` for the 6 of `6/23`)?
"""

from __future__ import annotations

from functools import cache, lru_cache

import regex

from loclint.registry import load_data_file

_ARABIC_PREFIX = "[وبل]?"  # `و` and, `ب` with, `ل` for: written joined to the next word


@cache
def _data() -> dict:
    return load_data_file("numbers.yaml")


@lru_cache(maxsize=256)  # keyed by a locale's language (user text): bounded
def _words(language: str, section: str = "words") -> dict[int, regex.Pattern]:
    """value -> a pattern of its words (or ordinals) as whole words of the target."""
    table = (_data().get(section) or {}).get(language) or {}
    prefix = _ARABIC_PREFIX if language == "ar" else ""
    return {
        int(value): regex.compile(r"(?<!\p{L})" + prefix + "(?:" + "|".join(regex.escape(str(w)) for w in words) + r")(?!\p{L})", regex.IGNORECASE)
        for value, words in table.items()
    }


@lru_cache(maxsize=256)  # likewise
def _months(language: str) -> list[regex.Pattern]:
    names = (_data().get("months") or {}).get(language) or []
    patterns = []
    for name in names:
        stems = name if isinstance(name, list) else [name]
        patterns.append(regex.compile(r"(?<!\p{L})(?:" + "|".join(regex.escape(stem) for stem in stems) + ")", regex.IGNORECASE))
    return patterns


def ordinal(value: int, text: str, locale: str | None) -> bool:
    """`text` holds the ordinal of `value` (`quatrième` for 4) in the locale's language."""
    found = _words((locale or "").split("-")[0].lower(), "ordinals").get(value)
    return found is not None and found.search(text) is not None


def leading_zero_min_digits() -> int:
    return int(_data().get("leading-zero-min-digits", 3))


def in_words(value: int, text: str, language: str) -> bool:
    """`text` writes `value` in words of `language`: its own word, or the words of its tens and units."""
    words = _words(language)
    found = words.get(value)
    if found is not None and found.search(text):
        return True
    tens, units = divmod(value, 10)
    if 2 <= tens <= 9 and units:
        ten, unit = words.get(tens * 10), words.get(units)
        return ten is not None and unit is not None and bool(ten.search(text)) and bool(unit.search(text))
    return False


def month_named(value: int, number: str, source: str, target: str, language: str) -> bool:
    """The number is the month of a date in `source` (`6/23`, `23.6.2020`, `6 月`) and `target` names that month."""
    if not 1 <= value <= 12:
        return False
    escaped = regex.escape(number)
    date = rf"(?<![\p{{N}}.,]){escaped}[/.\-]\p{{N}}|\p{{N}}[/.\-]{escaped}(?![\p{{N}},]|\.\p{{N}})"
    date += rf"|(?<!\p{{N}}){escaped}\s?月"  # CJK: `6 月`, `6月23日`
    if not regex.search(date, source):
        return False
    months = _months(language)
    return len(months) == 12 and months[value - 1].search(target) is not None


def twelve_hour(value: int, number: str, source: str, target_numbers: set[str]) -> bool:
    """An hour of a 24-hour time (`17:30`, `17 h 30`) the target gives on a 12-hour clock (`5:30 PM`,
    `午後 5 時 30 分`). Principle: the same time in the locale's clock is the same number."""
    if not 13 <= value <= 23 or str(value - 12) not in target_numbers:
        return False
    return regex.search(rf"(?<!\p{{N}}){regex.escape(number)}\s?(?:[:.h]|時)\s?\p{{N}}", source) is not None


def source_words(source: str) -> set[str]:
    """The numbers the (English) source writes as words (`seven-part`): a digit in the target for
    one of them stands for that word, not in place of a lost number."""
    return {str(value) for value, pattern in _words("en").items() if pattern.search(source)}


def written_out(value: int, number: str, source: str, target: str, locale: str | None) -> bool:
    language = (locale or "").split("-")[0].lower()
    return in_words(value, target, language) or month_named(value, number, source, target, language)
