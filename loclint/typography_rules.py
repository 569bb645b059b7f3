"""W's locale data (rules/typography.yaml), loaded like the other rule data: once per run, when
the settings are resolved, with the configuration's `typography` table laid over the shipped one
(as `patterns` is over rules/patterns.yaml). Checks read it from `Settings.typography`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from loclint.lazyre import regex
from loclint.registry import load_data_file

_SPACE = "[ \t\u00a0\u202f\u2009]"


class TypographyError(ValueError):
    """A `typography` override that cannot be used."""


_MAX_PATTERNS = 512


@dataclass(frozen=True)
class Typography:
    """The typography rules' data per locale (rules/typography.yaml)."""

    punctuation: frozenset[str]
    space_before_allowed: dict[str, frozenset[str]]
    no_word_spaces: frozenset[str]
    length_ratio: dict[str, tuple[float, float]]
    length_ratio_min_source: int
    untranslated_min_words: int
    label_marks: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    _patterns: dict[Any, regex.Pattern] = field(default_factory=dict, compare=False, repr=False)

    def _bound(self) -> None:
        """The patterns are keyed by locales from front matter (user text): a file can declare any
        number of them, so the memo is emptied before it grows past a few hundred."""
        if len(self._patterns) >= _MAX_PATTERNS:
            self._patterns.clear()

    def lookup(self, table: dict, locale: str | None, default):
        locale = locale or ""
        return table.get(locale, table.get(locale.split("-")[0], default))

    def label_pattern(self, locale: str | None) -> regex.Pattern | None:
        """A UI label in the marks this locale writes around one (`“保存”`, `[保存]`), or None. A
        bracket pair is no label where Markdown makes it a link or an image (`[x](`, `![x]`, `[x][`)."""
        key = ("labels", (locale or "").split("-")[0])
        if key not in self._patterns:
            self._bound()
            pairs = self.lookup(self.label_marks, locale, ())
            alternatives = []
            for opening, closing in pairs:
                inner = rf"[^{regex.escape(closing)}{regex.escape(opening)}\n]{{1,60}}"
                guard = (r"(?<![!\]])", r"(?![(\[])") if opening == "[" else ("", "")
                alternatives.append(f"{guard[0]}{regex.escape(opening)}{inner}{regex.escape(closing)}{guard[1]}")
            self._patterns[key] = regex.compile("|".join(alternatives)) if alternatives else None  # type: ignore[assignment]
        return self._patterns[key]

    def space_before_pattern(self, locale: str | None) -> regex.Pattern:
        """W002's pattern for a locale: every mark but those the locale spaces."""
        found = self._patterns.get(locale)
        if found is None:
            self._bound()
            allowed = self.lookup(self.space_before_allowed, locale, frozenset())
            found = self._patterns[locale] = self.space_before(self.punctuation - allowed)
        return found

    def space_before(self, marks: frozenset[str]) -> regex.Pattern:
        """A space before one of `marks` that ends a clause: followed by a space, the end, or
        closing markup or a quote. So `.NET`, `0.5` and `:param` are not punctuation, a mark
        before a slash starts a path (`./dist`, `.\\bin`), and an ellipsis ` ...` is left alone."""
        found = self._patterns.get(marks)
        if found is None:
            self._bound()
            mark_class = "[" + "".join(regex.escape(mark) for mark in sorted(marks)) + "]"
            found = self._patterns[marks] = regex.compile(
                rf"(?<=[^\s.])({_SPACE}+)({mark_class})(?![\p{{L}}\p{{N}}./\\]|{mark_class})")
        return found


def build_typography(overrides: dict[str, Any] | None = None) -> Typography:
    """rules/typography.yaml with `overrides` (the configuration's `typography` table) laid over it."""
    data = dict(load_data_file("typography.yaml"))
    unknown = sorted(set(overrides or {}) - set(data))
    if unknown:
        raise TypographyError(f"unknown typography key `{unknown[0]}` (known keys: {', '.join(sorted(data))})")
    data.update(overrides or {})
    try:
        ratios = {str(key).lower(): (float(low), float(high)) for key, (low, high) in data["length-ratio"].items()}
        return Typography(
            punctuation=frozenset(str(mark) for mark in data["punctuation"]),
            space_before_allowed={str(k).lower(): frozenset(v) for k, v in (data.get("space-before-allowed") or {}).items()},
            no_word_spaces=frozenset(str(item).lower() for item in data.get("no-word-spaces") or []),
            length_ratio=ratios,
            length_ratio_min_source=int(data["length-ratio-min-source"]),
            untranslated_min_words=int(data["untranslated-min-words"]),
            label_marks={str(k).lower(): tuple(_mark_pair(pair) for pair in v) for k, v in (data.get("label-marks") or {}).items()},
        )
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise TypographyError(f"typography: {exc!r} is not a usable value") from exc


def _mark_pair(pair: Any) -> tuple[str, str]:
    """`“”` as the pair (`“`, `”`): an opening and a closing mark of one character each."""
    text = str(pair)
    if len(text) != 2:
        raise ValueError(f"label mark pair {text!r} is not two characters")
    return text[0], text[1]
