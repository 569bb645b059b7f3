"""T: terminology. Do-not-translate terms of the source (rules/terms.yaml plus the user's glossary)
must reach the target unchanged: not lost (T001), not re-cased (T002), not misspelt (T003). And one
locale should translate the same source the same way in every article (T004), and not give one
translation to different sources (T005); those two are settled at the end of the run from an index
that every group adds to (loclint/consistency.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import cache

import regex
from rapidfuzz import fuzz

from loclint.checks.context import Context
from loclint.consistency import Site, indexable
from loclint.glossary import FREE, Term, TermList, words_pattern
from loclint.model import Diagnostic, Segment, Variant
from loclint.reference import peers_keep

CODES = ("T001", "T002", "T003", "T004", "T005")

_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}]*")  # a word or a number: terms hold both (`Microsoft 365`)


def check(ctx: Context) -> Iterator[Diagnostic]:
    terms = ctx.settings.terms
    if terms is not None and terms.terms and ctx.enabled("T001", "T002", "T003"):
        yield from _terms(ctx, terms)
    if ctx.enabled("T004", "T005"):
        _index_translations(ctx)


def _terms(ctx: Context, terms: TermList) -> Iterator[Diagnostic]:
    for (_, source), holders in ctx.same_source.items():
        wanted = Counter(term for term, _, _ in terms.find(source))
        for term, count in sorted(wanted.items(), key=lambda item: item[0].text):
            forms = [term.form_for(variant.locale) for variant, _ in holders]
            kept = [form == FREE or _kept(form, segment.target) for form, (_, segment) in zip(forms, holders)]
            for (variant, segment), form, ok in zip(holders, forms, kept):
                if form == FREE:
                    continue
                found = list(_term_findings(ctx, terms, variant, segment, term, form, count))
                if found:
                    yield from found
                elif not ok and ctx.enabled("T001") and not term.may_drop and not _acronym_held(ctx, term):
                    # A locale may rephrase around a name; it is a loss when the others keep it.
                    peers = len(holders) - 1
                    if peers_keep(sum(kept) - ok, peers, strict=False):
                        yield _missing(ctx, variant, segment, form, sum(kept), len(holders))


def _term_findings(
    ctx: Context, terms: TermList, variant: Variant, segment: Segment, term: Term, form: str, count: int
) -> Iterator[Diagnostic]:
    """T002 for each re-cased occurrence the target has in place of an exact one, else T003 for a
    near miss when the term is missing altogether."""
    target = segment.target
    exact = _count(form, target)
    if exact >= count:
        return
    recased = [match for match in _any_case(form).finditer(target) if match.group() != form and _is_case_variant(match.group(), form)]
    if recased and ctx.enabled("T002"):
        for match in recased[: count - exact]:
            message = f"term `{form}` has its case changed to `{match.group()}`"
            yield _at(ctx, variant, segment, "T002", message, match.start(), match.end(), match.group())
        return
    # Counted, not only present: `Microsoft 365` twice in the source, once here and once as
    # `Microsoft 356`, has a misspelt occurrence (a near miss is precise evidence; a count alone is not).
    if recased or not ctx.enabled("T003") or len(form) < terms.near_miss_min_length:
        return
    near = _near_miss(target, form, terms.near_miss_score)
    if near is not None:
        start, end = near
        message = f"`{target[start:end]}` looks like a misspelling of the term `{form}`"
        yield _at(ctx, variant, segment, "T003", message, start, end, target[start:end])


def _is_case_variant(found: str, form: str) -> bool:
    # `İ`/`ı` fold differently; compare letters only, so a Turkish dotted capital is still a variant.
    return found.casefold() == form.casefold() or found.lower() == form.lower()


def _near_miss(target: str, form: str, threshold: float) -> tuple[int, int] | None:
    """The run of target words most like `form`, if it is close but not the term or an inflection."""
    words = list(_WORD.finditer(target))
    size = len(form.split())
    folded = form.casefold()
    best, best_score = None, threshold
    for index in range(len(words) - size + 1):
        start, end = words[index].start(), words[index + size - 1].end()
        candidate = " ".join(match.group() for match in words[index : index + size])
        if folded in candidate.casefold() or len(candidate) < len(form) - 2:
            continue  # inflected (`Outlooku`, `وOutlook`), or too short to be a misspelling
        score = fuzz.ratio(candidate, form)
        if score >= best_score:
            best, best_score = (start, end), score
    return best


def _missing(ctx: Context, variant: Variant, segment: Segment, form: str, kept: int, total: int) -> Diagnostic:
    message = f"term `{form}` of the source is missing in the target; {kept} of {total} locales keep it"
    end = segment.target_start + len(segment.target)
    return ctx.diagnostic(variant, "T001", message, segment.target_start, end, segment=segment, token=form)


def _at(ctx: Context, variant: Variant, segment: Segment, code: str, message: str, start: int, end: int, token: str) -> Diagnostic:
    offset = segment.target_start
    return ctx.diagnostic(variant, code, message, offset + start, offset + end, segment=segment, token=token)


def _acronym_held(ctx: Context, term: Term) -> bool:
    """P004 reports a lost all-caps or CamelCase token; T001 does not report it a second time."""
    return any(token.kind == "acronym" for token in ctx.features(term.text).tokens)


def _kept(form: str, text: str) -> bool:
    """The term is there, or a word derived from it (Czech `excelový` from `Excel`)."""
    return _count(form, text) > 0 or _derived(form).search(text) is not None


def _count(form: str, text: str) -> int:
    return len(_exact(form).findall(text))


# Before a term only a letter of its own script is a word boundary: an Arabic clitic glued to a
# Latin name (`وApple`) is the next word's prefix, not part of the name.
_BEFORE = r"(?<![\p{Latin}\p{N}_])"


@cache
def _exact(form: str) -> regex.Pattern:
    # Only the start is bounded: inflected forms keep the term (`Outlook'ta`, `Outlooku`, `Excelで`).
    return regex.compile(_BEFORE + words_pattern(form))


@cache
def _derived(form: str) -> regex.Pattern:
    return regex.compile(_BEFORE + "(?i:" + words_pattern(form) + r")\p{L}")


@cache
def _any_case(form: str) -> regex.Pattern:
    # Whole words only: `excelový` (a Czech adjective made from `Excel`) is not a re-cased `Excel`.
    return regex.compile(_BEFORE + "(?i:" + words_pattern(form) + r")(?![\p{L}\p{N}_])")


def _index_translations(ctx: Context) -> None:
    """Add this group's short segments to the run-wide translation index (T004, T005); the
    engine's evidence pass (another shard's groups) gathers through here too."""
    indexed: dict[str, bool] = {}  # by source: every locale of the group repeats the same sources
    for variant in ctx.bilingual:
        for segment in ctx.segments_by_key[id(variant)].values():
            if segment.source is None or not segment.target.strip():
                continue
            wanted = indexed.get(segment.source)
            if wanted is None:
                wanted = indexed[segment.source] = indexable(ctx.features(segment.source).masked)
            if not wanted:
                continue
            line, column = variant.position(segment.target_start)
            end_line, end_column = variant.position(segment.target_start + len(segment.target))
            site = Site(variant.display_path, line, column, end_line, end_column, ctx.group.key, segment.key, segment.source, segment.target)
            ctx.translations.record(variant.locale, _context(variant, segment), segment.source, segment.target, site)


def _context(variant: Variant, segment: Segment) -> str:
    """Where the segment stands: a heading, a table cell or running text (see TranslationIndex)."""
    line_start = max(variant.text.rfind("\n", 0, segment.start), variant.text.rfind("\r", 0, segment.start)) + 1
    lead = variant.text[line_start : segment.start].lstrip()
    if lead.startswith("#"):
        return "heading"
    return "table" if lead.startswith("|") else "text"
