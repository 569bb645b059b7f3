"""P: placeholder preservation. A token of the source (number, URL, inline code, acronym,
placeholder, e-mail, path, GUID) must survive in the target, judged by the group: a loss is
reported when the other locales that translated the same source kept the token."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

import regex
from rapidfuzz import fuzz

from loclint.checks.context import Context
from loclint.columns import Column, Unit
from loclint.consistency import AcronymUsage
from loclint.model import Diagnostic, Fix
from loclint.tokens import STRICT_KINDS, Token, normalise_number

CODE_BY_KIND = {
    "number": "P001",
    "url": "P002",
    "code": "P003",
    "acronym": "P004",
    "placeholder": "P005",
    "email": "P006",
    "path": "P007",
    "guid": "P008",
}
CODES = tuple(sorted(CODE_BY_KIND.values()))
NOUN = {"url": "URL", "code": "inline code", "guid": "GUID", "email": "e-mail address"}


def check(ctx: Context) -> Iterator[Diagnostic]:
    kinds = {kind for kind, code in CODE_BY_KIND.items() if ctx.enabled(code)}
    if not kinds:
        return
    lost_numbers: dict[tuple[int, str], list[Diagnostic]] = {}  # (variant, number) -> its P001 findings
    for column in ctx.columns:
        for token in _candidates(ctx, column, kinds):
            if ctx.partial and token.kind != "acronym" and _reported_keep(ctx, column, token):
                continue  # nothing to report, so the other locales need not be measured
            kept = [_keeps(ctx, unit.search_text, token) for unit in column.units]
            kept_total = sum(kept)
            if token.kind == "number":  # a number written as a word is kept, but does not vouch for others
                written_in = column.source if column.source is not None else _holder(ctx, column, token)
                kept = [ok or spelled_out(ctx, written_in, unit.search_text, token) for ok, unit in zip(kept, column.units)]
            if token.kind == "acronym":
                for unit, ok in zip(column.units, kept):
                    ctx.acronym_usage.record(token.text, unit.variant.locale, ok)
            for unit, ok in zip(column.units, kept):
                if ok or not column.judge.loss_stands(kept_total, len(column.units), strict=token.kind in STRICT_KINDS):
                    continue
                finding = _finding(ctx, column, unit, token, kept_total)
                if token.kind == "acronym":
                    # Whether other locales keep this acronym everywhere is known only at the
                    # end of the run: the engine decides then (see AcronymUsage).
                    ctx.deferred.append((token.text, unit.variant.locale, finding))
                elif token.kind == "number":
                    lost_numbers.setdefault((id(unit.variant), token.norm), []).append(finding)
                else:
                    yield finding
    for findings in lost_numbers.values():
        yield from _once_if_systematic(findings)


def _candidates(ctx: Context, column: Column, kinds: set[str]) -> list[Token]:
    """The tokens every unit should keep: the source's, or with no source any unit's (the judge
    then asks the majority)."""
    if column.source is not None:
        return distinct(ctx.features(column.source).tokens, kinds)
    return distinct([token for unit in column.units for token in ctx.features(unit.text).tokens], kinds)


def _holder(ctx: Context, column: Column, token: Token) -> str:
    """With no source, the first unit that has `token`: what a spelled-out number is weighed against."""
    return next((unit.text for unit in column.units if ctx.features(unit.text).has(token)), "")


def _reported_keep(ctx: Context, column: Column, token: Token) -> bool:
    """Does every reported translation keep `token`? Acronyms are not asked: every locale's use
    of them is run-wide evidence (AcronymUsage), reported or not."""
    return all(_keeps(ctx, unit.search_text, token) for unit in column.units if unit.variant.report)


_SYSTEMATIC = 3  # segments of one file that lose the same number: the locale's way of writing it


def _once_if_systematic(findings: list[Diagnostic]) -> list[Diagnostic]:
    """A number one file loses in every segment of several, as `Tax 1099` written `IRPF` in
    Spanish (the name its UI gives the form), is how that locale names it, not a slip in each
    segment: it is reported once, at its first segment, for a person to confirm the name."""
    if len(findings) < _SYSTEMATIC:
        return findings
    first = min(findings, key=Diagnostic.sort_key)
    more = f"; lost in {len(findings)} segments of this file: a name the locale writes otherwise, or a systematic loss"
    return [replace(first, message=first.message + more, fix=None)]


def acronym_loss_stands(usage: AcronymUsage, acronym: str, locale: str | None, finding: Diagnostic, threshold: float) -> bool:
    """Is a lost acronym a defect, now that the whole run's usage is known?

    Other locales must keep it nearly everywhere (else it is translatable: `OK`, `BOM`). Then a
    loss stands when the target shows a slip: a look-alike (`MAE`, `BAN`, `DF`) or re-cased form
    (`api`, `Sharepoint`) in its place. Otherwise an abbreviation the source defines by its
    expansion (`product data management (PDM)`) or the target writes out (`Active Directory` for
    `AD`) is translated, not lost; a CamelCase identifier (`LedgerCFO`) gone is a loss; and an
    all-caps one (sizes `XL` -> `GG`, `CAD` -> "Canadian dollars") is reported only where the
    locale otherwise keeps it.
    """
    if usage.kept_elsewhere(acronym, locale) < threshold:
        return False
    if _looks_alike(acronym, finding.token) or _recased_in(acronym, finding.target_text):
        return True
    if _defined_by_expansion(acronym, finding.source_text) or _defined_by_expansion(acronym, finding.target_text):
        return False
    if not acronym.isupper():
        return True
    # With no look-alike in its place, an all-caps loss is as often a translation (`CAD` as
    # "Canadian dollars", `API` written out) as a slip: report it only in a locale that keeps
    # this acronym in nearly all of its (several) other instances.
    kept, seen = usage.kept_in(acronym, locale)
    return seen - 1 >= 3 and kept >= 0.8 * (seen - 1)


def _looks_alike(acronym: str, replacement: str | None) -> bool:
    if not replacement or replacement == acronym:
        return False
    return sorted(replacement) == sorted(acronym) or fuzz.ratio(replacement, acronym) >= 60


def _recased_in(acronym: str, text: str | None) -> bool:
    if not text:
        return False
    found = regex.search(r"(?<![\p{L}\p{N}])(?i:" + regex.escape(acronym) + r")(?![\p{L}\p{N}])", text)
    return found is not None and found.group() != acronym


def _defined_by_expansion(acronym: str, text: str | None) -> bool:
    """`text` spells the acronym out: consecutive words whose initials are its letters."""
    if not text or len(acronym) < 2:
        return False
    initials = [word[0].casefold() for word in _EXPANSION_WORD.findall(text)]
    letters = [char.casefold() for char in acronym if char.isalpha()]
    size = len(letters)
    return any(initials[i : i + size] == letters for i in range(len(initials) - size + 1))


# Words of an expansion; short function words (`of`, `and`) are skipped, as acronyms skip them.
_EXPANSION_WORD = regex.compile(r"(?<![\p{L}\p{N}])(?!(?:of|and|for|the|to|in|on)\b)\p{L}[\p{L}\p{N}]*")


def distinct(tokens: list[Token], kinds: set[str]) -> list[Token]:
    seen: set[tuple[str, str]] = set()
    result = []
    for token in tokens:
        if token.kind in kinds and (token.kind, token.norm) not in seen:
            seen.add((token.kind, token.norm))
            result.append(token)
    return result


# Cyrillic and Greek capitals that look like Latin ones: `ОК` in a Russian UI label is `OK` kept.
_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТХУІЅЈΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEKMHOPCTXYISJABEZHIKMNOPTYX")


def _keeps(ctx: Context, target: str, token: Token) -> bool:
    if token.kind == "acronym":
        if _acronym_pattern(token.text).search(target.translate(_HOMOGLYPHS)) is not None:
            return True
        return token.text.isupper() and any(_latin(word) == token.text for word in _CYRILLIC_CAPS.findall(target))
    if ctx.features(target).has(token):
        return True
    if token.kind == "number":
        return _number_kept(ctx, target, token)
    if token.text.startswith("&lt;"):
        return _description_kept(token.text, target)
    # A path, e-mail or placeholder the target wrapped in code or a link is still kept.
    return token.kind in ("placeholder", "email", "path", "guid") and token.text in target


# A decimal part of one or two digits (three would be a thousands group: `1,000`).
_DECIMALS = regex.compile(r"(.*?)([.,\u066b])(\d{1,2})")


def _without_trailing_zeros(number: str) -> str:
    match = _DECIMALS.fullmatch(number)
    if match is None:
        return number
    decimals = match.group(3).rstrip("0")
    return match.group(1) + (match.group(2) + decimals if decimals else "")


def _number_kept(ctx: Context, target: str, token: Token) -> bool:
    """Numbers written another way: `500.00` as `500`, `2.5` as `2,50`, and `30%` as the Turkish
    `%30`, which the placeholder pattern (`%1`) takes for a placeholder."""
    features = ctx.features(target)
    whole = _without_trailing_zeros(token.text)
    if whole != token.text and normalise_number(whole) in features.present.get("number", ()):
        return True
    # ... and the reverse: `88.1` written `88,10`.
    wanted = normalise_number(whole)
    if any(t.kind == "number" and normalise_number(_without_trailing_zeros(t.text)) == wanted for t in features.tokens):
        return True
    # A space groups thousands in many locales, so `400 100.000` (department 400, then 100,000)
    # reads as one number: a run of its space-separated parts may be the one kept.
    for number in (t for t in features.tokens if t.kind == "number" and _GROUP_SPACE.search(t.text)):
        parts = _GROUP_SPACE.split(number.text)
        runs = (" ".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1))
        if any(normalise_number(_without_trailing_zeros(run)) == wanted for run in runs):
            return True
    for placeholder in (t for t in features.tokens if t.kind == "placeholder" and t.text[1:].isdigit()):
        # The placeholder pattern stops at the decimal separator: `%66,6667` keeps `66.6667`.
        decimals = _DECIMAL_TAIL.match(target, placeholder.start + len(placeholder.text))
        written = placeholder.text[1:] + (decimals.group() if decimals else "")
        if normalise_number(_without_trailing_zeros(written)) == wanted:
            return True
    return False


_DECIMAL_TAIL = regex.compile(r"[.,\u066b]\d+")
_GROUP_SPACE = regex.compile(r"[ \u00a0\u202f\u2009]")


_DESCRIPTION = regex.compile(r"&lt;[^&<>]+?&gt;")


def _description_kept(placeholder: str, target: str) -> bool:
    """A descriptive placeholder (`&lt;LineQty&gt;`, `&lt;your-domain&gt;`) names what the reader
    fills in, and locales translate the name (`&lt;QtéLigne&gt;`): it is kept when the target
    has a descriptive placeholder of its own that is not a broken copy (`&lt;LineQty &gt;`)."""
    squeezed = "".join(placeholder.split()).casefold()
    found = _DESCRIPTION.findall(target)
    return bool(found) and not any(f != placeholder and "".join(f.split()).casefold() == squeezed for f in found)


def spelled_out(ctx: Context, source: str, target: str, token: Token) -> bool:
    """A small count (`4 items`) the target writes as a word (`cuatro`, `الرابع`): no other number
    stands in its place, and style guides ask for words below ten."""
    if token.kind != "number" or not token.text.isdigit() or int(token.text) > 10:
        return False
    in_source = ctx.features(source).present.get("number", set())
    return all(t.norm in in_source for t in ctx.features(target).tokens if t.kind == "number")


# Russian and other Cyrillic texts write some acronyms in their own letters: `ИАТА` is IATA.
_CYRILLIC_CAPS = regex.compile(r"(?<!\p{L})\p{Script=Cyrillic}{2,}(?!\p{L})")
_TO_LATIN = dict(zip("АБВГДЕЁЗИЙКЛМНОПРСТУФХЦЫЭ", "ABVGDEEZIYKLMNOPRSTUFHCYE"))


def _latin(word: str) -> str:
    return "".join(_TO_LATIN.get(char, "?") for char in word) if word.isupper() else ""


@lru_cache(maxsize=4096)  # keyed by words from user files: bounded (issue 18)
def _acronym_pattern(word: str) -> regex.Pattern:
    # Inflected forms keep the acronym: `MFA'nın`, `MFAを`, `MFA-t` all contain it; so does a
    # unit glued to its number, as CJK text writes it (`30GB`).
    return regex.compile(r"(?<![\p{Lu}])" + regex.escape(word) + r"(?![\p{Lu}\p{N}])")


def _finding(ctx: Context, column: Column, unit: Unit, token: Token, kept: int) -> Diagnostic:
    code = CODE_BY_KIND[token.kind]
    noun = NOUN.get(token.kind, token.kind)
    replacement = _likely_replacement(ctx, column, unit, token)
    instead = f" (`{replacement.text}` instead?)" if replacement else ""
    if column.from_segments:
        group = f"; {kept} of {len(column.units)} locales keep it" if len(column.units) > 1 else ""
        message = f"{noun} `{shown(token)}` of the source is missing in the target{instead}{group}"
    else:
        message = f"{noun} `{shown(token)}` is missing in this {unit.label}{instead}; {column.who_keeps(kept)}"
    if replacement is not None:
        start, end = unit.span(replacement.start, replacement.start + len(replacement.text))
    elif unit.block is not None:  # nothing in its place: the block's start, not the whole paragraph
        start, end = unit.start, unit.start + 1
    else:
        start, end = unit.start, unit.end
    fix = _restore_fix(ctx, column, unit, token, replacement)
    return ctx.diagnostic(unit.variant, code, message, start, end, unit=unit,
                          token=replacement.text if replacement else token.text, fix=fix)


# Kinds whose lost token an unsafe fix may restore from the source (P001, P002, P003).
_RESTORABLE = frozenset({"number", "url", "code"})


def _restore_fix(ctx: Context, column: Column, unit: Unit, token: Token, replacement: Token | None) -> Fix | None:
    """Put the source's token back in place of the one candidate the target has instead.

    Unsafe: the target's token may be a deliberate localisation (a localized URL, a number in
    a sentence that was rewritten). Offered only when exactly one target token of the kind is
    absent from the source, so there is no choice to guess at.
    """
    if replacement is None or token.kind not in _RESTORABLE or column.source is None:
        return None
    source_present = ctx.features(column.source).present.get(token.kind, set())
    candidates = [t for t in ctx.features(unit.text).tokens if t.kind == token.kind and t.norm not in source_present]
    if len(candidates) != 1:
        return None
    end = replacement.start + len(replacement.text)
    if unit.text[replacement.start : end] != replacement.text:
        return None  # the token is not literally there (normalised away): nothing exact to replace
    where = unit.locate(replacement.start, end)
    if where is None:
        return None
    return Fix(where[0], where[1], token.text, False, f"restore `{short(token.text)}` from the source")


def _likely_replacement(ctx: Context, column: Column, unit: Unit, token: Token) -> Token | None:
    """The unit's token of the same kind that looks most like `token` and that the source lacks
    (with no source: that no other unit has)."""
    if column.source is not None:
        elsewhere = ctx.features(column.source).present.get(token.kind, set())
    else:
        elsewhere = set()
        for other in column.units:
            if other is not unit:
                elsewhere |= ctx.features(other.text).present.get(token.kind, set())
    best, best_score = None, 0.0
    for candidate in ctx.features(unit.text).tokens:
        if candidate.kind != token.kind or candidate.norm in elsewhere:
            continue
        score = fuzz.ratio(candidate.norm, token.norm)
        if score > best_score:
            best, best_score = candidate, score
    return best


def short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(token: Token) -> str:
    """A lost token as a message quotes it: whole for a URL, whose difference from the target's
    is often at its end (a translated slug), shortened otherwise."""
    return token.text if token.kind == "url" else short(token.text)
