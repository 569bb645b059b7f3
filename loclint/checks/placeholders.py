"""P: placeholder preservation. A token of the source (number, URL, inline code, acronym,
placeholder, e-mail, path, GUID) must survive in the target, judged by the group: a loss is
reported when the other locales that translated the same source kept the token."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import regex
from rapidfuzz import fuzz

from loclint.checks.context import Context
from loclint.model import Diagnostic, Segment, Variant
from loclint.reference import peers_keep
from loclint.tokens import STRICT_KINDS, Token

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
_NOUN = {"url": "URL", "code": "inline code", "guid": "GUID", "email": "e-mail address"}


def check(ctx: Context) -> Iterator[Diagnostic]:
    kinds = {kind for kind, code in CODE_BY_KIND.items() if ctx.enabled(code)}
    if not kinds:
        return
    translations: dict[tuple[str, str], list[tuple[Variant, Segment]]] = {}
    for variant in ctx.bilingual:
        for segment in ctx.segments_by_key[id(variant)].values():
            if segment.source is not None:
                translations.setdefault((segment.key, segment.source), []).append((variant, segment))
    for (_, source), holders in translations.items():
        tokens = _distinct(ctx.features(source).tokens, kinds)
        for token in tokens:
            kept = [_keeps(ctx, segment.target, token) for _, segment in holders]
            kept_total = sum(kept)
            if token.kind == "acronym":
                for (variant, _), ok in zip(holders, kept):
                    ctx.acronym_usage.record(token.text, variant.locale, ok)
            for (variant, segment), ok in zip(holders, kept):
                if ok:
                    continue
                peers = len(holders) - 1
                if not peers_keep(kept_total, peers, strict=token.kind in STRICT_KINDS):
                    continue
                finding = _finding(ctx, variant, segment, token, kept_total, peers + 1)
                if token.kind == "acronym":
                    # Whether other locales keep this acronym everywhere is known only at the
                    # end of the run: the engine decides then (see AcronymUsage).
                    ctx.deferred.append((token.text, variant.locale, finding))
                else:
                    yield finding


def _distinct(tokens: list[Token], kinds: set[str]) -> list[Token]:
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
        return _acronym_pattern(token.text).search(target.translate(_HOMOGLYPHS)) is not None
    if ctx.features(target).has(token):
        return True
    # A path, e-mail or placeholder the target wrapped in code or a link is still kept.
    return token.kind in ("placeholder", "email", "path", "guid") and token.text in target


@cache
def _acronym_pattern(word: str) -> regex.Pattern:
    # Inflected forms keep the acronym: `MFA'nın`, `MFAを`, `MFA-t` all contain it.
    return regex.compile(r"(?<![\p{Lu}\p{N}])" + regex.escape(word) + r"(?![\p{Lu}\p{N}])")


def _finding(ctx: Context, variant: Variant, segment: Segment, token: Token, kept: int, total: int) -> Diagnostic:
    code = CODE_BY_KIND[token.kind]
    noun = _NOUN.get(token.kind, token.kind)
    replacement = _likely_replacement(ctx, segment, token)
    instead = f" (`{replacement.text}` instead?)" if replacement else ""
    group = f"; {kept} of {total} locales keep it" if total > 1 else ""
    message = f"{noun} `{_short(token.text)}` of the source is missing in the target{instead}{group}"
    start = segment.target_start + (replacement.start if replacement else 0)
    end = start + len(replacement.text) if replacement else segment.target_start + len(segment.target)
    return ctx.diagnostic(variant, code, message, start, end, segment=segment, token=replacement.text if replacement else token.text)


def _likely_replacement(ctx: Context, segment: Segment, token: Token) -> Token | None:
    """The target token of the same kind that the source lacks and that looks most like `token`."""
    source_present = ctx.features(segment.source or "").present.get(token.kind, set())
    best, best_score = None, 0.0
    for candidate in ctx.features(segment.target).tokens:
        if candidate.kind != token.kind or candidate.norm in source_present:
            continue
        score = fuzz.ratio(candidate.norm, token.norm)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
