"""T: terminology. Do-not-translate terms of the source (rules/terms.yaml plus the user's glossary)
must reach the target unchanged: not lost (T001), not re-cased (T002), not misspelt (T003). And one
locale should translate the same source the same way in every article (T004), and not give one
translation to different sources (T005); those two are settled at the end of the run from an index
that every group adds to (loclint/consistency.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache


from loclint.checks.context import Context
from loclint.columns import Column, Unit
from loclint.consistency import Site, indexable
from loclint.evidence import TERM, Candidate
from loclint.glossary import FREE, Term, TermList, words_pattern
from loclint.lazyre import lazy_pattern, regex
from loclint.model import Diagnostic
from loclint.similarity import ratio

CODES = ("T001", "T002", "T003", "T004", "T005")

_WORD = lazy_pattern(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}]*")  # a word or a number: terms hold both (`Microsoft 365`)


def check(ctx: Context) -> Iterator[Diagnostic]:
    terms = ctx.settings.terms
    if terms is not None and terms.terms and ctx.enabled("T001", "T002", "T003"):
        yield from _terms(ctx, terms)
    if ctx.enabled("T004", "T005"):
        _index_translations(ctx)


def _terms(ctx: Context, terms: TermList) -> Iterator[Diagnostic]:
    for column in ctx.columns:
        wanted = _wanted(ctx, terms, column)
        if not wanted:
            continue
        # URLs, code and tags are set aside: `docs.microsoft.com/azure/` is no re-cased `Azure`.
        texts = [ctx.features(unit.text).masked for unit in column.units]
        for term, count in sorted(wanted.items(), key=lambda item: item[0].text):
            forms = [term.form_for(unit.variant.locale) for unit in column.units]
            kept = [form == FREE or _kept(form, text) for form, text in zip(forms, texts)]
            weighed = _may_report_loss(ctx, column, term)
            if weighed:
                for unit, form, ok in zip(column.units, forms, kept):
                    if form != FREE:  # run-wide evidence, as for acronyms (loclint/evidence.py)
                        ctx.acronym_usage.record(term.text, unit.variant.locale, ok)
            for unit, text, form, ok in zip(column.units, texts, forms, kept):
                if form == FREE:
                    continue
                found = list(_term_findings(ctx, terms, unit, text, term, form, count))
                if found:
                    yield from found
                elif not ok and weighed and column.judge.loss_stands(sum(kept), len(column.units), strict=False):
                    # A locale may rephrase around a name; whether it dropped one is decided at the
                    # end of the run with the kept-token evidence: the unit's other locales, the
                    # run's, and this locale's own usage (`Skype Kurumsal` everywhere is its name).
                    candidate = Candidate(term.text, TERM, sum(kept), len(column.units) - 1, None, False)
                    ctx.deferred.append((candidate, unit.variant.locale, _missing(ctx, column, unit, form, sum(kept))))


def _may_report_loss(ctx: Context, column: Column, term: Term) -> bool:
    """T001 is asked about a term that must stay and that P004 does not already guard, in a column
    with a source: without one, a locale missing a name most others keep has most often its own
    official name for it (`Skype Kurumsal`), 3 of 14 true on alchemy-plain."""
    return ctx.enabled("T001") and column.source is not None and not term.may_drop and not _acronym_held(ctx, term)


def _wanted(ctx: Context, terms: TermList, column: Column) -> Counter:
    """The terms a column's units should hold, with how often: the source's, or with no source
    those most units hold (as often as most of those write them)."""
    if column.source is not None:
        return Counter(term for term, _, _ in terms.find(ctx.features(column.source).masked))
    held = [Counter(term for term, _, _ in terms.find(ctx.features(unit.text).masked)) for unit in column.units]
    holders = Counter(term for counts in held for term in counts)
    return Counter({term: Counter(counts[term] for counts in held if term in counts).most_common(1)[0][0]
                    for term, number in holders.items() if number * 2 > len(column.units)})


def _term_findings(ctx: Context, terms: TermList, unit: Unit, target: str, term: Term, form: str, count: int
                   ) -> Iterator[Diagnostic]:
    """T002 for each re-cased occurrence the target (`unit.text` masked) has in place of an exact
    one, else T003 for a near miss when the term is missing altogether."""
    exact = _count(form, target)
    if exact >= count:
        return
    recased = [match for match in _any_case(form).finditer(target)
               if match.group() != form and _is_case_variant(match.group(), form) and not _in_identifier(target, match)]
    if recased and ctx.enabled("T002"):
        for match in recased[: count - exact]:
            message = f"term `{form}` has its case changed to `{match.group()}`"
            yield _at(ctx, unit, "T002", message, match.start(), match.end(), match.group())
        return
    # Counted, not only present: `Microsoft 365` twice in the source, once here and once as
    # `Microsoft 356`, has a misspelt occurrence (a near miss is precise evidence; a count alone is not).
    if recased or not ctx.enabled("T003") or len(form) < terms.near_miss_min_length:
        return
    near = _near_miss(target, form, terms.near_miss_score)
    if near is not None:
        start, end = near
        message = f"`{target[start:end]}` looks like a misspelling of the term `{form}`"
        yield _at(ctx, unit, "T003", message, start, end, target[start:end])


# A lowercase piece joined to a word by `-`, `_`, `.`, `/` or `@`: a package, folder or namespace
# name (`azure-functions-core-tools@3`, `samples/microsoft-teams`), written as its owner spells it.
_JOINED_BEFORE = lazy_pattern(r"[\p{Ll}\p{N}][-_./@]$")
_JOINED_AFTER = lazy_pattern(r"[-_./@][\p{Ll}\p{N}]")


def _in_identifier(text: str, match: regex.Match) -> bool:
    """Is a lowercase occurrence of a term part of an identifier rather than the term in prose?
    `azure-Ressource` (a German compound) and `microsoft 365-Produkten` are prose: the piece
    joined to them is a capitalised word."""
    if not match.group().islower():
        return False
    before = text[max(0, match.start() - 2) : match.start()]
    return bool(_JOINED_BEFORE.search(before) or _JOINED_AFTER.match(text, match.end()))


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
        score = ratio(candidate, form)
        if score >= best_score:
            best, best_score = (start, end), score
    return best


def _missing(ctx: Context, column: Column, unit: Unit, form: str, kept: int) -> Diagnostic:
    if column.from_segments:
        message = f"term `{form}` of the source is missing in the target; {kept} of {len(column.units)} locales keep it"
    else:
        message = f"term `{form}` is missing in this {unit.label}; {column.who_keeps(kept)}"
    return ctx.diagnostic(unit.variant, "T001", message, unit.start, unit.end, unit=unit, token=form)


def _at(ctx: Context, unit: Unit, code: str, message: str, start: int, end: int, token: str) -> Diagnostic:
    start, end = unit.span(start, end)
    return ctx.diagnostic(unit.variant, code, message, start, end, unit=unit, token=token)


def _acronym_held(ctx: Context, term: Term) -> bool:
    """P004 reports a lost all-caps or CamelCase token; T001 does not report it a second time."""
    return any(token.kind == "acronym" for token in ctx.features(term.text).tokens)


def _kept(form: str, text: str) -> bool:
    """The term is there, in any letter case (a re-cased one is T002's, whether or not T002 is
    selected), or a word derived from it (Czech `excelový` from `Excel`)."""
    return _any_case(form).search(text) is not None or _derived(form).search(text) is not None


def _count(form: str, text: str) -> int:
    return len(_exact(form).findall(text))


# Before a term only a letter of its own script is a word boundary: an Arabic clitic glued to a
# Latin name (`وApple`) is the next word's prefix, not part of the name.
_BEFORE = r"(?<![\p{Latin}\p{N}_])"


@lru_cache(maxsize=4096)  # keyed by glossary terms (user data): bounded
def _exact(form: str) -> regex.Pattern:
    # Only the start is bounded: inflected forms keep the term (`Outlook'ta`, `Outlooku`, `Excelで`).
    return regex.compile(_BEFORE + words_pattern(form))


@lru_cache(maxsize=4096)
def _derived(form: str) -> regex.Pattern:
    return regex.compile(_BEFORE + "(?i:" + words_pattern(form) + r")\p{L}")


@lru_cache(maxsize=4096)
def _any_case(form: str) -> regex.Pattern:
    # Whole words only: `excelový` (a Czech adjective made from `Excel`) is not a re-cased `Excel`.
    return regex.compile(_BEFORE + "(?i:" + words_pattern(form) + r")(?![\p{L}\p{N}_])")


def _index_translations(ctx: Context) -> None:
    """Add this group's short units that have a source to the run-wide translation index (T004,
    T005); the engine's evidence pass (another shard's groups) gathers through here too."""
    indexed: dict[str, bool] = {}  # by source: every locale of the group repeats the same sources
    for column in ctx.columns:
        if column.source is None:
            continue  # with no source there is nothing to say the translations are of one text
        wanted = indexed.get(column.source)
        if wanted is None:
            wanted = indexed[column.source] = indexable(ctx.features(column.source).masked)
        if not wanted:
            continue
        for unit in column.units:
            if unit.text.strip():
                _record(ctx, column.source, unit)


def _record(ctx: Context, source: str, unit: Unit) -> None:
    variant = unit.variant
    line, column = variant.position(unit.start)
    end_line, end_column = variant.position(unit.end)
    site = Site(variant.display_path, line, column, end_line, end_column, ctx.group.key, unit.key, source, unit.text)
    ctx.translations.record(variant.locale, unit.place, source, unit.text, site)
