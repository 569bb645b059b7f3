"""Numbers a locale writes as words or names (P001), from the data of `rules/numbers.yaml`.

`written_out` answers one question for the evidence model of kept tokens: does the target hold
the value of a source number in words (`cent` for 100, `الخامس والعشرين` for 25) or, for the
month of a date, as the month's name (`jūnija` for the 6 of `6/23`)?
"""

from __future__ import annotations

from functools import cache, lru_cache

from loclint.lazyre import regex
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
    `午後 5 時 30 分`), or of a 12-hour time (`1:00 pm`) it gives on a 24-hour clock (`13:00`).
    Principle: the same time in the locale's clock is the same number."""
    escaped = regex.escape(number)
    if 13 <= value <= 23:
        return str(value - 12) in target_numbers and regex.search(
            rf"(?<!\p{{N}}){escaped}\s?(?:[:.h]|時)\s?\p{{N}}", source) is not None
    if not 1 <= value <= 12:
        return False
    after_noon = regex.search(rf"(?<![\p{{N}}:.]){escaped}(?::\p{{N}}{{2}})?\s?(?i:(p)\.?m\b|a\.?m\b)", source)
    if after_noon is None:
        return False
    hour = value % 12 + (12 if after_noon.group(1) else 0)
    return str(hour) in target_numbers


# CJK hour words are followed by text glued to them (`1 時に`); Latin ones end a word.
_HOUR = "(?:時|时|点|시|(?:Uhr|h)(?![\\p{L}]))"


def whole_hour(number: str, source: str, target: str) -> bool:
    """The minutes `00` of a whole hour (`1:00 pm`) the target leaves out, giving the hour with
    the word for it (`午後 1 時`, `13 Uhr`, `13 h`). Principle: `1:00` and `1 o'clock` are one time."""
    if number not in ("00", "0"):
        return False
    if regex.search(r"(?<!\p{N})\p{N}{1,2}:00(?!\p{N})", source) is None:
        return False
    return regex.search(r"(?<![\p{N}:])\p{N}{1,2}\s?" + _HOUR, target) is not None


@cache
def _multipliers() -> dict[str, int]:
    """word -> its value (`mil` 1000, `万` 10000), of every language in rules/numbers.yaml."""
    return {str(word): int(value) for words in (_data().get("multipliers") or {}).values()
            for value, words_of in words.items() for word in words_of}


def _scaled(text: str) -> set[int]:
    """The values of the numbers of `text` that a multiplier word follows (`10 mil`, `1 万`, `10K`)."""
    words = _multipliers()
    if not words:
        return set()
    pattern = _scaled_pattern()
    values = set()
    for match in pattern.finditer(text):
        digits = "".join(char for char in match.group(1) if char.isdigit())
        if digits:
            values.add(int(digits) * words[match.group(2)])
    return values


@cache
def _scaled_pattern() -> regex.Pattern:
    """A number and the multiplier word after it, longest words first (`mil` before `mi`)."""
    # A Latin word ends a word (`10 mil`, not `10 millas`); CJK text glues the next word on (`1 万个`).
    words = sorted(_multipliers(), key=len, reverse=True)
    alternatives = (regex.escape(w) + (r"(?![\p{L}])" if w[-1].isascii() else "") for w in words)
    return regex.compile(r"(?<![\p{N}.,])(\p{Nd}+)\s?(" + "|".join(alternatives) + ")")


def same_scaled(number: str, source: str, target: str) -> bool:
    """A round number written as a count of the locale's thousands or ten-thousands: `10,000` (or
    `10K`) as `10 mil` or `1 万`. Principle: the same value in the locale's units is the same number."""
    digits = "".join(char for char in number if char.isdigit())
    if not digits:
        return False
    values = {int(digits)} | {value for value in _scaled(source) if str(value).startswith(digits.lstrip("0") or "0")}
    return bool(values & _scaled(target))


def source_words(source: str) -> set[str]:
    """The numbers the (English) source writes as words (`seven-part`): a digit in the target for
    one of them stands for that word, not in place of a lost number."""
    return {str(value) for value, pattern in _words("en").items() if pattern.search(source)}


def written_out(value: int, number: str, source: str, target: str, locale: str | None) -> bool:
    language = (locale or "").split("-")[0].lower()
    return in_words(value, target, language) or month_named(value, number, source, target, language)
