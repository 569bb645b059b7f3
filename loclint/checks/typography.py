"""W: typography and whitespace, locale-aware, from rules/typography.yaml. Each rule compares a
target with its own source, so only what the translation introduced is reported: a space lost after
closing emphasis (W001), a space before punctuation the locale does not space (W002), a double space
(W003), leading or trailing whitespace unlike the source's (W004), a segment left untranslated while
the other locales translated it (W005), and a length far outside what the locale's translations do
(W006). Code, tags and URLs are set aside first (`TextFeatures.masked`), so their insides never count."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from loclint.checks.context import Context
from loclint.consistency import comparable
from loclint.model import Diagnostic, Segment, Variant
from loclint.reference import peers_keep
from loclint.registry import load_data_file

CODES = ("W001", "W002", "W003", "W004", "W005", "W006")

_SPACE = "[ \t\u00a0\u202f\u2009]"
_EMPHASIS = regex.compile(r"\*{1,3}|_{1,3}")
_DOUBLE_SPACE = regex.compile(r"(?<=\S)  +(?=\S)")
_LEADING = regex.compile(r"^\s+")
_TRAILING = regex.compile(r"\s+$")
_SEPARATORS = "\x1c\x1d\x1e\x1f"  # `str.isspace` takes them for spaces, regex's `\s` does not
_WORD = regex.compile(r"\p{L}{2,}")
_SYMBOL = regex.compile(r"[=<>\[\]{}()|&×÷+*/\\^%$#@~]")
_WORD_AT = regex.compile(r"[\p{L}\p{M}\p{N}]+")


@dataclass(frozen=True)
class Typography:
    punctuation: frozenset[str]
    space_before_allowed: dict[str, frozenset[str]]
    no_word_spaces: frozenset[str]
    length_ratio: dict[str, tuple[float, float]]
    length_ratio_min_source: int
    untranslated_min_words: int

    def lookup(self, table: dict, locale: str | None, default):
        locale = locale or ""
        return table.get(locale, table.get(locale.split("-")[0], default))


@cache
def typography() -> Typography:
    data = load_data_file("typography.yaml")
    ratios = {str(key).lower(): (float(low), float(high)) for key, (low, high) in data["length-ratio"].items()}
    return Typography(
        punctuation=frozenset(data["punctuation"]),
        space_before_allowed={str(k).lower(): frozenset(v) for k, v in data.get("space-before-allowed", {}).items()},
        no_word_spaces=frozenset(str(item).lower() for item in data.get("no-word-spaces", [])),
        length_ratio=ratios,
        length_ratio_min_source=int(data["length-ratio-min-source"]),
        untranslated_min_words=int(data["untranslated-min-words"]),
    )


def check(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.enabled(*CODES):
        return
    data = typography()
    on = {code for code in CODES if ctx.enabled(code)}  # asked once: this loop runs per segment
    for (_, source), holders in ctx.same_source.items():
        yield from _segments(ctx, data, on, source, holders)
        if "W005" in on:
            yield from _untranslated(ctx, data, source, holders)
        if "W006" in on:
            yield from _length(ctx, data, source, holders)


def _segments(
    ctx: Context, data: Typography, on: set[str], source: str, holders: list[tuple[Variant, Segment]]
) -> Iterator[Diagnostic]:
    """W001-W004 for every translation of one source; what depends on the source alone is found once."""
    masked_source = ctx.features(source).masked
    glue_free_closers = "W001" in on and _glue_free_closers(masked_source)
    spaced_source = "W003" in on and _DOUBLE_SPACE.search(masked_source) is not None
    source_edges = _edge_spaces(source)
    for variant, segment in holders:
        if not variant.report:
            continue  # W001-W004 weigh no other locale: only reported files can have findings
        target = ctx.features(segment.target).masked
        if glue_free_closers:
            yield from _glued_emphasis(ctx, data, variant, segment, target)
        if "W002" in on and _space_before_pattern(variant.locale).search(target):
            yield from _spaced_punctuation(ctx, variant, segment, masked_source, target)
        if "W003" in on and not spaced_source and "  " in target:
            for match in _DOUBLE_SPACE.finditer(target):
                yield _at(ctx, variant, segment, "W003", "double space in the target (its source has none)", match.start(), match.end())
        if "W004" in on and _edge_spaces(segment.target) != source_edges:
            yield from _edges(ctx, variant, segment)


def _glue_free_closers(source: str) -> bool:
    """Does the source close emphasis, and always with a space or punctuation after it? Only then
    is a target's glued closer (W001) something the translation introduced."""
    if "*" not in source and "_" not in source:
        return False
    closers = _closers(source)
    return bool(closers) and not any(after.isalpha() for _, after in closers)


def _glued_emphasis(ctx: Context, data: Typography, variant: Variant, segment: Segment, target: str) -> Iterator[Diagnostic]:
    """W001: closing emphasis glued to the next word (`**İleri'yi**seçin`), which the source never does."""
    if "*" not in target and "_" not in target:
        return
    language = (variant.locale or "").split("-")[0]
    if language in data.no_word_spaces:
        return
    for end, after in _closers(target):
        if after.isalpha():
            word = _WORD_AT.match(target, end)
            message = f"no space between closing emphasis and `{word.group()}`; the source always has one"
            yield _at(ctx, variant, segment, "W001", message, end, word.end())


def _spaced_punctuation(
    ctx: Context, variant: Variant, segment: Segment, source: str, target: str
) -> Iterator[Diagnostic]:
    """W002: a space before a mark the locale writes without one, unless the source spaces it too."""
    for match in _space_before_pattern(variant.locale).finditer(target):
        mark = match.group(2)
        if _space_before(frozenset(mark)).search(source):
            continue  # the source spaces it too: copied, not introduced
        message = f"space before `{mark}`, which this locale writes without one"
        yield _at(ctx, variant, segment, "W002", message, match.start(1), match.end(2))


@lru_cache(maxsize=256)  # keyed by a locale from front matter (user text): bounded
def _space_before_pattern(locale: str | None) -> regex.Pattern:
    """W002's pattern for a locale: every mark but those the locale spaces."""
    data = typography()
    allowed = data.lookup(data.space_before_allowed, locale, frozenset())
    return _space_before(data.punctuation - allowed)


def _closers(text: str) -> list[tuple[int, str]]:
    """Each closing emphasis run: (offset just past it, the character that follows)."""
    open_runs: dict[str, int] = {}
    closers = []
    for match in _EMPHASIS.finditer(text):
        run, before = match.group(), text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if run[0] == "_" and before.isalnum() and after.isalnum():
            continue  # snake_case, not emphasis
        if before == "\\":
            continue  # `\*` is a literal asterisk (a broken `*\*` is B002's, not a missing space)
        if open_runs.get(run):
            open_runs[run] = 0
            closers.append((match.end(), after))
        elif not after.isspace():
            open_runs[run] = 1
    return closers


@lru_cache(maxsize=256)
def _space_before(marks: frozenset[str]) -> regex.Pattern:
    # The mark must end a clause: followed by a space, the end, or closing markup or a quote. So
    # `.NET`, `0.5` and `:param` are not punctuation, and an ellipsis ` ...` is left alone.
    mark_class = "[" + "".join(regex.escape(mark) for mark in sorted(marks)) + "]"
    return regex.compile(rf"(?<=[^\s.])({_SPACE}+)({mark_class})(?![\p{{L}}\p{{N}}.]|{mark_class})")


def _edge_spaces(text: str) -> tuple[bool, bool]:
    """Whether `text` starts and ends with whitespace, as `_LEADING` and `_TRAILING` see it (regex's
    `\\s` is `str.isspace` without the separators U+001C-U+001F), without a regex call per segment."""
    first, last = text[:1], text[-1:]
    return (first.isspace() and first not in _SEPARATORS, last.isspace() and last not in _SEPARATORS)


def _edges(ctx: Context, variant: Variant, segment: Segment) -> Iterator[Diagnostic]:
    """W004: whitespace at the start or end of the target that the source does not have, or the reverse."""
    source, target = segment.source or "", segment.target
    for pattern, where in ((_LEADING, "leading"), (_TRAILING, "trailing")):
        in_target, in_source = pattern.search(target), pattern.search(source)
        if bool(in_target) == bool(in_source) or not target.strip():
            continue
        if in_target:
            message = f"{where} whitespace in the target; its source has none"
            start, end = in_target.span()
        else:
            message = f"the source has {where} whitespace; the target has none"
            start = end = 0 if where == "leading" else len(target)
        yield _at(ctx, variant, segment, "W004", message, start, end)


def _untranslated(ctx: Context, data: Typography, source: str, holders: list[tuple[Variant, Segment]]) -> Iterator[Diagnostic]:
    """W005: a target equal to its source, while most other locales translated the segment."""
    if _words_to_translate(ctx, source) < data.untranslated_min_words:
        return
    same = comparable(source)
    if ctx.partial and all(comparable(segment.target) != same for variant, segment in holders if variant.report):
        return  # no reported translation is a copy: nothing to report
    copied = [comparable(segment.target) == same for _, segment in holders]
    for (variant, segment), is_copy in zip(holders, copied):
        if not is_copy or (variant.locale or "").startswith("en"):
            continue
        peers = len(holders) - 1
        if peers_keep(len(holders) - sum(copied), peers, strict=False):  # peers that translated it
            message = f"the target is the untranslated source; {len(holders) - sum(copied)} of {len(holders)} locales translate it"
            yield _at(ctx, variant, segment, "W005", message, 0, len(segment.target))


def _words_to_translate(ctx: Context, source: str) -> int:
    """Words of the source that are neither code, URLs, numbers, acronyms nor do-not-translate terms.

    A formula or expression (`Not[x] & Not[y == 3]`) and a name in Title Case (`Financial Reporter
    Report Designer`) count as nothing: locales rightly copy them.
    """
    features = ctx.features(source)
    if len(_SYMBOL.findall(features.masked)) * 8 > len(features.masked):
        return 0
    words = _WORD.findall(features.masked)
    if words and sum(word[0].isupper() for word in words) * 2 > len(words) + 1:
        return 0
    chars = list(features.masked)
    spans = [(token.start, token.start + len(token.text)) for token in features.tokens if token.kind == "acronym"]
    if ctx.settings.terms is not None:
        spans += [(start, end) for _, start, end in ctx.settings.terms.find(features.masked)]
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return len(_WORD.findall("".join(chars)))


def _length(ctx: Context, data: Typography, source: str, holders: list[tuple[Variant, Segment]]) -> Iterator[Diagnostic]:
    """W006: a target far shorter or longer than its source, by the locale's bounds, when the other
    locales' translations of the segment are within theirs (else the source is unusual, not the target)."""
    masked_source = ctx.features(source).masked.strip()
    if len(masked_source) < data.length_ratio_min_source:
        return
    if ctx.partial and all(_ratio(ctx, data, variant, segment, masked_source)[3] for variant, segment in holders if variant.report):
        return  # every reported translation is within its bounds: nothing to report
    verdicts = [_ratio(ctx, data, variant, segment, masked_source) for variant, segment in holders]
    within = sum(ok for *_, ok in verdicts)
    for (variant, segment), (ratio, low, high, ok) in zip(holders, verdicts):
        peers = len(holders) - 1
        if ok or not peers_keep(within, peers, strict=False):
            continue
        side = "short" if ratio < low else "long"
        message = f"target is suspiciously {side}: {ratio:.2f}× its source's length (this locale: {low}–{high})"
        yield _at(ctx, variant, segment, "W006", message, 0, len(segment.target))


def _ratio(ctx: Context, data: Typography, variant: Variant, segment: Segment, masked_source: str) -> tuple[float, float, float, bool]:
    """(target/source length, the locale's low and high bounds, whether the ratio is within them)."""
    low, high = data.lookup(data.length_ratio, variant.locale, data.length_ratio["default"])
    ratio = len(ctx.features(segment.target).masked.strip()) / len(masked_source)
    return ratio, low, high, low <= ratio <= high


def _at(ctx: Context, variant: Variant, segment: Segment, code: str, message: str, start: int, end: int) -> Diagnostic:
    offset = segment.target_start
    token = segment.target[start:end]
    return ctx.diagnostic(variant, code, message, offset + start, offset + end, segment=segment, token=token)
