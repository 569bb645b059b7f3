"""W: typography and whitespace, locale-aware, from rules/typography.yaml. Each rule compares a
target with its own source, so only what the translation introduced is reported: a space lost after
closing emphasis (W001), a space before punctuation the locale does not space (W002), a double space
(W003), leading or trailing whitespace unlike the source's (W004), a segment left untranslated while
the other locales translated it (W005), and a length far outside what the locale's translations do
(W006). Code, tags and URLs are set aside first (`TextFeatures.masked`), so their insides never count."""

from __future__ import annotations

from collections.abc import Callable, Iterator


from loclint.checks.context import Context
from loclint.columns import Column, Unit
from loclint.consistency import comparable
from loclint.lazyre import lazy_pattern, regex
from loclint.markdown import TABLE
from loclint.model import Diagnostic, Fix
from loclint.reference import peers_keep
from loclint.typography_rules import Typography

CODES = ("W001", "W002", "W003", "W004", "W005", "W006")

_EMPHASIS = lazy_pattern(r"\*{1,3}|_{1,3}")
_DOUBLE_SPACE = lazy_pattern(r"(?<=\S)  +(?=\S)")
_LEADING = lazy_pattern(r"^\s+")
_TRAILING = lazy_pattern(r"\s+$")
_SEPARATORS = "\x1c\x1d\x1e\x1f"  # `str.isspace` takes them for spaces, regex's `\s` does not
_WORD = lazy_pattern(r"\p{L}{2,}")
_SYMBOL = lazy_pattern(r"[=<>\[\]{}()|&×÷+*/\\^%$#@~]")
_WORD_AT = lazy_pattern(r"[\p{L}\p{M}\p{N}]+")
# A word with a capital after a small letter (`contentUrl`, `groupChat`, `SharePoint`): an
# identifier or a product name, which no locale translates.
_IDENTIFIER = lazy_pattern(r"\b\p{L}*\p{Ll}\p{Lu}\p{L}*")


def check(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.enabled(*CODES):
        return
    data = ctx.settings.compiled_typography
    on = {code for code in CODES if ctx.enabled(code)}  # asked once: this loop runs per column
    for column in ctx.columns:
        yield from _spacing(ctx, data, on, column)
        if column.source is None:
            continue  # a copy of the source or a length against it needs the source
        if "W005" in on:
            yield from _untranslated(ctx, data, column)
        if "W006" in on:
            yield from _length(ctx, data, column)


def _spacing(ctx: Context, data: Typography, on: set[str], column: Column) -> Iterator[Diagnostic]:
    """W001-W004 for every translation in a column: what the target shows is checked first, and
    then whether the source does the same (with no source: the other units, see Column)."""

    def masked(text: str) -> str:
        return ctx.features(text).masked

    for unit in column.units:
        if not unit.variant.report:
            continue  # W001-W004 weigh no other locale's choice of its own: only reported files can have findings
        target = masked(unit.text)
        # The target's glued closer first: it is rare, and the source is asked only then.
        if ("W001" in on and ("*" in target or "_" in target) and _glued_closer(target)
                and column.source_always(lambda text: _glue_free_closers(masked(text)), unit)):
            yield from _glued_emphasis(ctx, data, unit, target)
        if "W002" in on and data.space_before_pattern(unit.variant.locale).search(target):
            yield from _spaced_punctuation(ctx, data, column, unit, target, masked)
        if "W003" in on and "  " in target and not column.source_ever(lambda text: _DOUBLE_SPACE.search(masked(text)) is not None, unit):
            for match in _DOUBLE_SPACE.finditer(target):
                fix = _fix(unit, match.start(), match.end(), " ", "collapse the spaces into one")
                yield _at(ctx, unit, "W003", "double space in the target (its source has none)", match.start(), match.end(), fix)
        if "W004" in on and column.source is not None and _edge_spaces(unit.text) != _edge_spaces(column.source):
            yield from _edges(ctx, unit)


def _glue_free_closers(source: str) -> bool:
    """Does the source close emphasis, and always with a space or punctuation after it? Only then
    is a target's glued closer (W001) something the translation introduced."""
    if "*" not in source and "_" not in source:
        return False
    closers = _closers(source)
    return bool(closers) and not any(after.isalpha() for _, after in closers)


def _glued_closer(text: str) -> bool:
    """Does some closing emphasis of `text` run straight into a letter (`**Next**select`)?"""
    return any(after.isalpha() for _, after in _closers(text))


def _glued_emphasis(ctx: Context, data: Typography, unit: Unit, target: str) -> Iterator[Diagnostic]:
    """W001: closing emphasis glued to the next word (`**İleri'yi**seçin`), which the source never does."""
    language = (unit.variant.locale or "").split("-")[0]
    if language in data.no_word_spaces:
        return
    for end, after in _closers(target):
        if after.isalpha():
            word = _WORD_AT.match(target, end)
            message = f"no space between closing emphasis and `{word.group()}`; the source always has one"
            fix = _fix(unit, end, end, " ", "add a space after the closing emphasis")
            yield _at(ctx, unit, "W001", message, end, word.end(), fix)


def _spaced_punctuation(ctx: Context, data: Typography, column: Column, unit: Unit, target: str,
                        masked: Callable[[str], str]) -> Iterator[Diagnostic]:
    """W002: a space before a mark the locale writes without one, unless the source spaces it too."""
    for match in data.space_before_pattern(unit.variant.locale).finditer(target):
        mark = match.group(2)
        if _markup_mark(unit, target, match):
            continue
        spaced = data.space_before(frozenset(mark))
        if column.source_ever(lambda text, spaced=spaced: spaced.search(masked(text)) is not None, unit):
            continue  # the source spaces it too: copied, not introduced
        message = f"space before `{mark}`, which this locale writes without one"
        fix = _fix(unit, match.start(1), match.end(1), "", f"remove the space before `{mark}`")
        yield _at(ctx, unit, "W002", message, match.start(1), match.end(2), fix)


def _markup_mark(unit: Unit, target: str, match: regex.Match) -> bool:
    """Is the spaced mark markup rather than punctuation? The `!` of an image (`![`); a mark
    opening a plain table's cell, whose space is that of the ` | ` joining the cells."""
    if match.group(2) == "!" and target.startswith("[", match.end(2)):
        return True
    return unit.block is not None and unit.block.kind == TABLE and target[match.start(1) - 1] == "|"


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


def _edge_spaces(text: str) -> tuple[bool, bool]:
    """Whether `text` starts and ends with whitespace, as `_LEADING` and `_TRAILING` see it (regex's
    `\\s` is `str.isspace` without the separators U+001C-U+001F), without a regex call per segment."""
    first, last = text[:1], text[-1:]
    return (first.isspace() and first not in _SEPARATORS, last.isspace() and last not in _SEPARATORS)


def _edges(ctx: Context, unit: Unit) -> Iterator[Diagnostic]:
    """W004: whitespace at the start or end of the target that the source does not have, or the reverse."""
    source, target = unit.source or "", unit.text
    for pattern, where in ((_LEADING, "leading"), (_TRAILING, "trailing")):
        in_target, in_source = pattern.search(target), pattern.search(source)
        if bool(in_target) == bool(in_source) or not target.strip():
            continue
        if in_target:
            message = f"{where} whitespace in the target; its source has none"
            start, end = in_target.span()
            fix = _fix(unit, start, end, "", f"remove the {where} whitespace")
        else:
            message = f"the source has {where} whitespace; the target has none"
            start = end = 0 if where == "leading" else len(target)
            fix = _fix(unit, start, end, in_source.group(), f"add the source's {where} whitespace")
        yield _at(ctx, unit, "W004", message, start, end, fix)


def _untranslated(ctx: Context, data: Typography, column: Column) -> Iterator[Diagnostic]:
    """W005: a target equal to its source, while most other locales translated the unit."""
    source, units = column.source, column.units
    same = comparable(source)
    copied = [comparable(unit.text) == same for unit in units]
    if not any(copied):
        return  # nearly every column: no copy, so the source's words need no counting
    if ctx.partial and not any(is_copy for unit, is_copy in zip(units, copied) if unit.variant.report):
        return  # no reported translation is a copy: nothing to report
    if _words_to_translate(ctx, source) < data.untranslated_min_words:
        return
    translated = len(units) - sum(copied)
    for unit, is_copy in zip(units, copied):
        if not is_copy or (unit.variant.locale or "").startswith("en"):
            continue
        if peers_keep(translated, len(units) - 1, strict=False):  # peers that translated it
            message = f"the target is the untranslated source; {translated} of {len(units)} locales translate it"
            yield _at(ctx, unit, "W005", message, 0, len(unit.text))


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
    spans += [match.span() for match in _IDENTIFIER.finditer(features.masked)]
    if ctx.settings.terms is not None:
        spans += [(start, end) for _, start, end in ctx.settings.terms.find(features.masked)]
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return len(_WORD.findall("".join(chars)))


def _length(ctx: Context, data: Typography, column: Column) -> Iterator[Diagnostic]:
    """W006: a target far shorter or longer than its source, by the locale's bounds, when the other
    locales' translations of the unit are within theirs (else the source is unusual, not the target)."""
    masked_source = ctx.features(column.source).masked.strip()
    if len(masked_source) < data.length_ratio_min_source:
        return
    units = column.units
    if ctx.partial and all(_ratio(ctx, data, unit, masked_source)[3] for unit in units if unit.variant.report):
        return  # every reported translation is within its bounds: nothing to report
    verdicts = [_ratio(ctx, data, unit, masked_source) for unit in units]
    within = sum(ok for *_, ok in verdicts)
    for unit, (ratio, low, high, ok) in zip(units, verdicts):
        if ok or not peers_keep(within, len(units) - 1, strict=False):
            continue
        side = "short" if ratio < low else "long"
        message = f"target is suspiciously {side}: {ratio:.2f}× its source's length (this locale: {low}–{high})"
        yield _at(ctx, unit, "W006", message, 0, len(unit.text))


def _ratio(ctx: Context, data: Typography, unit: Unit, masked_source: str) -> tuple[float, float, float, bool]:
    """(target/source length, the locale's low and high bounds, whether the ratio is within them)."""
    low, high = data.lookup(data.length_ratio, unit.variant.locale, data.length_ratio["default"])
    ratio = len(ctx.features(unit.text).masked.strip()) / len(masked_source)
    return ratio, low, high, low <= ratio <= high


def _at(ctx: Context, unit: Unit, code: str, message: str, start: int, end: int, fix: Fix | None = None) -> Diagnostic:
    token = unit.text[start:end]
    file_start, file_end = unit.span(start, end)
    return ctx.diagnostic(unit.variant, code, message, file_start, file_end, unit=unit, token=token, fix=fix)


def _fix(unit: Unit, start: int, end: int, content: str, message: str) -> Fix | None:
    """A safe fix of whitespace only: `text[start:end]` becomes `content`. None where the unit's
    text is not in the file literally there (a block's joined table cells)."""
    where = unit.locate(start, end)
    return Fix(where[0], where[1], content, True, message) if where is not None else None
