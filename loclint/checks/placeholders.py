"""P: placeholder preservation. A token of the source (number, URL, inline code, acronym,
placeholder, e-mail, path, GUID) must survive in the target, judged by the group: a loss is
reported when the other locales that translated the same source kept the token."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache


from loclint import evidence, numbers
from loclint.checks.context import Context
from loclint.columns import Column, Unit
from loclint.glossary import FREE
from loclint.lazyre import lazy_pattern, regex
from loclint.model import Diagnostic, Fix
from loclint.reference import LENIENT_MIN_PEERS
from loclint.similarity import ratio
from loclint.tokens import STRICT_KINDS, Token, normalise_number, without_code_and_tags

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
    lost_numbers: dict[tuple[int, str], list[Diagnostic]] = {}  # (variant, number as written) -> its P001 findings
    for column in ctx.columns:
        for token in _candidates(ctx, column, kinds):
            if ctx.partial and token.kind != "acronym" and _reported_keep(ctx, column, token):
                continue  # nothing to report, so the other locales need not be measured
            written_in = column.source if column.source is not None else _holder(ctx, column, token)
            # Every occurrence of a URL, code or placeholder counts; a form the glossary approves
            # for the locale is the token kept, as evidence too.
            kept = [(_keeps(ctx, unit.search_text, token) and count_kept(ctx, written_in, unit.text, token))
                    or approved_form(ctx, unit.variant.locale, token, unit.text) for unit in column.units]
            kept_total = sum(kept)
            if token.kind == "number":  # a number written as a word is kept, but does not vouch for others
                kept = [ok or spelled_out(ctx, written_in, unit.search_text, token, unit.variant.locale)
                        for ok, unit in zip(kept, column.units)]
            if token.kind == "acronym":
                for unit, ok in zip(column.units, kept):
                    ctx.acronym_usage.record(token.text, unit.variant.locale, ok)
            # Plain: the other source versions' locales whose block holds the token count too, for
            # the kinds a revision rarely touches (see `_pooled`).
            kept_elsewhere, judged_elsewhere = 0, 0
            if _pooled(column, token) and not all(kept):
                kept_elsewhere, judged_elsewhere = column.across_versions(
                    lambda text, token=token, written_in=written_in: _keeps(ctx, text, token) and count_kept(ctx, written_in, text, token))
            judged = len(column.units) + judged_elsewhere
            for unit, ok in zip(column.units, kept):
                if ok or (not column.judge.loss_stands(kept_total + kept_elsewhere, judged, strict=token.kind in STRICT_KINDS)
                          and not _slip(ctx, column, unit, token, kept_total)):
                    continue
                finding = _finding(ctx, column, unit, token, kept_total + kept_elsewhere, judged, kept_elsewhere)
                if token.kind == "acronym":
                    # Whether other locales keep this acronym everywhere is known only at the
                    # end of the run: the engine decides then (see AcronymUsage, evidence.py).
                    others = [other.text for other in column.units if other is not unit]
                    candidate = kept_candidate(ctx, token, written_in, unit.text, others, kept_total + kept_elsewhere, judged - 1,
                                               unit.variant.text, pooled=judged_elsewhere > 0)
                    ctx.deferred.append((candidate, unit.variant.locale, finding))
                elif token.kind == "number":
                    lost_numbers.setdefault((id(unit.variant), token.text), []).append(finding)
                else:
                    yield finding
    for (_, number), findings in lost_numbers.items():
        yield from _once_if_systematic(number, findings)


def _pooled(column: Column, token: Token) -> bool:
    """Do the other source versions' blocks count as evidence on `token` in this plain column
    (rules/evidence.yaml)? URLs, code and the like always (`across-versions`), unless a source of
    this version is in the cohort: whether this version lost a token is for it to say. Acronyms
    only when the cohort has too few peers to judge one (`across-versions-when-few`): the source,
    or the blocks that hold the acronym, already say it belongs; the question left is whether
    locales keep it, which another version's locales answer as well as this one's."""
    if not column.elsewhere:
        return False
    if token.kind in evidence.across_versions():
        return column.source is None
    return token.kind in evidence.across_versions_when_few() and len(column.units) - 1 < LENIENT_MIN_PEERS


def _slip(ctx: Context, column: Column, unit: Unit, token: Token, kept_total: int) -> bool:
    """An acronym the other locales of the unit translate is still weighed when the target has a
    look-alike or re-cased form in its place (`NOTSE` for `NOTES`): this locale's own usage decides.
    Without a source, only a token most units hold is the source's: a form most units write
    (`Powershell` in five of six) is no one locale's slip."""
    if token.kind != "acronym" or (column.source is None and kept_total * 2 <= len(column.units)):
        return False
    replacement = _likely_replacement(ctx, column, unit, token)
    return evidence.looks_alike(token.text, replacement.text if replacement else None) or _recased_in(token.text, _prose(ctx, unit.text)) is not None


# Kinds whose every occurrence is kept, not only one: a URL, code span or placeholder written twice
# in the source and once in the target lost one (numbers are reworded too often to count).
_COUNTED = frozenset({"url", "code", "placeholder"})


def count_kept(ctx: Context, source: str, target: str, token: Token) -> bool:
    """Does the target hold `token` as often as the source does (for the counted kinds)?"""
    if token.kind not in _COUNTED or token.text.startswith("&lt;"):
        return True  # a descriptive placeholder is translated: its count is not comparable
    wanted = sum(1 for t in ctx.features(source).tokens if t.kind == token.kind and t.norm == token.norm)
    return wanted < 2 or sum(1 for t in ctx.features(target).tokens if t.kind == token.kind and t.norm == token.norm) >= wanted


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
    written_in = column.source if column.source is not None else _holder(ctx, column, token)
    return all(_keeps(ctx, unit.search_text, token) and count_kept(ctx, written_in, unit.text, token)
               for unit in column.units if unit.variant.report)


# Segments of one file that lose the same number: the locale's way of writing it. Principle (as
# own-usage-min-instances in rules/evidence.yaml): three instances are the fewest that show a habit.
_SYSTEMATIC = 3


def _once_if_systematic(number: str, findings: list[Diagnostic]) -> list[Diagnostic]:
    """A number one file loses in several segments is judged once for all (evidence.systematic_loss):
    dropped as the locale's naming, or reported at its first segment."""
    if len(findings) < _SYSTEMATIC:
        return findings
    first = min(findings, key=Diagnostic.sort_key)
    verdict = evidence.systematic_loss(number, first.source_text or "", len(findings))
    return [replace(first, message=f"{first.message}; {verdict.because}", fix=None)] if verdict.stands else []


def approved_form(ctx: Context, locale: str | None, token: Token, target: str) -> bool:
    """Does the user's glossary approve what this locale writes for `token` (`{term: CMR,
    translations: {fr: CMT}}` and `CMT` in a French target), or leave the locale free to translate it?"""
    terms = ctx.settings.terms
    term = terms.by_text.get(token.text) if terms is not None else None
    if term is None:
        return False
    form = term.form_for(locale)
    if form == FREE:
        return True
    return form != token.text and regex.search(r"(?<![\p{L}\p{N}])" + regex.escape(form) + r"(?![\p{L}\p{N}])", target) is not None


def kept_candidate(ctx: Context, token: Token, source: str, target: str, peer_targets: list[str], kept_total: int,
                   peers: int, file_text: str = "", pooled: bool = False) -> evidence.Candidate:
    """What the unit says about a lost acronym, for the run-wide verdict (`evidence.loss_stands`).
    `pooled`: some of the peers are another source version's locales (`_pooled`); then a re-cased
    form counts only in what the locale wrote, not in a URL (see `_prose`)."""
    shape = evidence.shape_of(token.text, source)
    prose = _prose(ctx, target)
    recased = _recased_in(token.text, ctx.features(target).masked if pooled else prose)
    identifier = shape == evidence.IDENTIFIER
    return evidence.Candidate(token.text, shape, kept_total, peers,
                              _stand_in(ctx, source, target, peer_targets),
                              _defined_by_expansion(token.text, source) or _defined_by_expansion(token.text, target)
                              or _long_form_of_file(token.text, prose, file_text),
                              recased, identifier and _worded(token.text, ctx.features(target).masked, source),
                              identifier and recased is not None and _spelled_in_code(recased, file_text),
                              _as_term(ctx, token.text, prose) if identifier else None)


def _as_term(ctx: Context, name: str, prose: str) -> str | None:
    """The term of the term list that `prose` holds and that spells `name` with its words apart
    or in the plural (`Power Apps` for PowerApp): the product's own name written for a variant of it."""
    terms = ctx.settings.terms
    if terms is None:
        return None
    squeezed = name.casefold()
    for text in terms.by_squeezed.get(squeezed, ()) + terms.by_squeezed.get(squeezed + "s", ()):
        if text != name and regex.search(r"(?<![\p{L}\p{N}])" + regex.escape(text) + r"(?![\p{L}\p{N}])", prose):
            return text
    return None


# The words of a CamelCase name: `DevTools` -> Dev, Tools; `AppID` -> App, ID.
_NAME_WORD = lazy_pattern(r"\p{Lu}+(?!\p{Ll})|\p{Lu}\p{Ll}+|\p{Ll}+")
# A word of the text; a change of script ends one, as Korean and Japanese glue particles to a
# Latin word (`ID를`, `IDを`).
_TEXT_WORD = lazy_pattern(r"[\p{Latin}\p{N}]+|[^\W\p{Latin}\p{N}_]+")


def _worded(name: str, text: str, source: str) -> bool:
    """Does `text` (code, tags and URLs set aside) write the CamelCase `name` as words of its own
    language, translating some of its words and keeping another next to them: `应用 ID` for
    AppID, `Entwicklertools` for DevTools? Not when every word is kept (`Direct Query`: the name
    split), nor when the kept word stands among the source's own words (`Set-Mailbox User` for
    `Set-Mailbox ProblemUser`: the name cut), nor glued into another name (`ContabilidadCFO`)."""
    parts = [part.casefold() for part in _NAME_WORD.findall(name)]
    folded_text = text.casefold()
    if len(parts) < 2 or all(part in folded_text for part in parts):
        return False
    source_words = {word.casefold() for word in _TEXT_WORD.findall(source)}
    words = _TEXT_WORD.findall(text)
    for index, word in enumerate(words):
        folded = word.casefold()
        for part in parts:
            if folded in (part, part + "s"):
                neighbours = words[max(index - 1, 0) : index] + words[index + 1 : index + 2]
                if any(n.casefold() not in source_words and n.casefold() not in parts for n in neighbours):
                    return True
            elif len(part) >= 4 and sum(c.isupper() for c in word) <= 1:
                rest = folded[: -len(part)] if folded.endswith(part) else folded[len(part) :] if folded.startswith(part) else ""
                if len(rest) >= 3 and rest not in source_words:
                    return True
    return False


def _spelled_in_code(form: str, file_text: str) -> bool:
    """Is the mixed-case `form` (`userIds`) a name in the file's own inline code? Then the prose
    writes the identifier as the code spells it, which is its true spelling."""
    if not (any(c.isupper() for c in form) and any(c.islower() for c in form)) or "`" not in file_text:
        return False
    name = regex.compile(r"(?<![\p{L}\p{N}_])" + regex.escape(form) + r"(?![\p{L}\p{N}_])")
    return any(name.search(match.group(2)) for match in _INLINE_CODE.finditer(file_text) if form in match.group(2))


_INLINE_CODE = lazy_pattern(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def _stand_in(ctx: Context, source: str, target: str, peer_targets: list[str]) -> str | None:
    """The acronym the target wrote in the lost one's place (`(XYZ)` where the others keep
    `(IBAN)`): the only one that neither the source nor any other locale of the unit has, when the
    target lost only this one acronym of the source (else which stands for which is a guess). An
    all-caps word (`AYARLANABILIR`) is a translated word, not a stand-in."""
    source_acronyms = ctx.features(source).present("acronym")
    target_acronyms = ctx.features(target).present("acronym")
    if len(source_acronyms - target_acronyms) != 1:
        return None
    known = set(source_acronyms)
    for other in peer_targets:
        known |= ctx.features(other).present("acronym")
    new = [text for text in target_acronyms - known if text.isupper() and evidence.shape_of(text) != evidence.WORD]
    return new[0] if len(new) == 1 else None


def _prose(ctx: Context, text: str) -> str:
    """`text` without its inline code and tags, for the re-cased form of a lost acronym.
    Principle: a re-cased form is read in the text, not in code or markup - `id` in
    `channelData.tenant.id` or `<a name="sso-issues">` is a name of its own, lowercase by design.
    A URL stays: a link whose text lost `CORS` while its slug says `cors` shows the loss, when the
    locales that translated this very block keep `CORS`. A slug is copied, not written by the
    locale: with peers of another source version (`_pooled`), whose block is another revision's,
    it is too weak to stand beside them, and only a re-cased form the locale wrote counts."""
    return without_code_and_tags(text)


def _recased_in(acronym: str, text: str | None) -> str | None:
    """The acronym written in other letter case in `text` (`Sharepoint`, `api`), which is prose
    (see `_prose`)."""
    if not text:
        return None
    found = regex.search(r"(?<![\p{L}\p{N}])(?i:" + regex.escape(acronym) + r")(?![\p{L}\p{N}])", text)
    return found.group() if found is not None and found.group() != acronym else None


def _defined_by_expansion(acronym: str, text: str | None) -> bool:
    """`text` spells the acronym out: consecutive words whose initials are its letters."""
    if not text or len(acronym) < 2:
        return False
    initials = [word[0].casefold() for word in _EXPANSION_WORD.findall(text)]
    letters = [char.casefold() for char in acronym if char.isalpha()]
    size = len(letters)
    return any(initials[i : i + size] == letters for i in range(len(initials) - size + 1))


def _long_form_of_file(acronym: str, text: str, file_text: str) -> bool:
    """Does the target's own file define the acronym by a long form of its language (`fournisseur
    d’identité (IdP)`), which `text` writes in its place? Then the text spells it out as the file
    taught the reader. The long form is the last content words before `(IdP)`, as many as the
    acronym has capitals; each must start a word of `text` (its first five letters: inflections)."""
    size = sum(char.isupper() for char in acronym)
    folded = text.casefold()
    for before in _before_each(f"({acronym})", file_text):
        words = [word for word in _LONG_FORM_WORD.findall(before) if len(word) >= 3][-size:]
        if len(words) == size and all(regex.search(r"(?<!\p{L})" + regex.escape(word.casefold()[:5]), folded) for word in words):
            return True
    return False


def _before_each(marker: str, file_text: str, reach: int = 80) -> Iterator[str]:
    """For each `marker` in `file_text`, the text just before it on its line: up to `reach`
    characters, not across a parenthesis, white space before the marker left out.

    Found with `str.find` and read backwards: a pattern that tries every position of the file
    for a lazy run before the marker took seconds on a 70 KB file (once per acronym lost)."""
    start = file_text.find(marker)
    while start != -1:
        end = start
        while end > 0 and file_text[end - 1].isspace():
            end -= 1
        begin = max(end - reach, 0)
        stop = max(file_text.rfind(char, begin, end) for char in "()\n")
        yield file_text[max(begin, stop + 1):end]
        start = file_text.find(marker, start + len(marker))


# A word of a long form, without an elided article or preposition before it (`d’identité`, `l'app`).
_LONG_FORM_WORD = lazy_pattern(r"(?<![\p{L}])(?:\p{L}{1,2}['’])?(\p{L}+)")


# Words of an expansion; short function words (`of`, `and`) are skipped, as acronyms skip them.
_EXPANSION_WORD = lazy_pattern(r"(?<![\p{L}\p{N}])(?!(?:of|and|for|the|to|in|on)\b)\p{L}[\p{L}\p{N}]*")


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


@lru_cache(maxsize=1024)  # a target is searched once per acronym of its source: mapped once
def _latin_capitals(target: str) -> str:
    return target.translate(_HOMOGLYPHS)


def _keeps(ctx: Context, target: str, token: Token) -> bool:
    if token.kind == "acronym":
        if _acronym_pattern(token.text).search(_latin_capitals(target)) is not None:
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
_DECIMALS = lazy_pattern(r"(.*?)([.,\u066b])(\d{1,2})")


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
    if whole != token.text and normalise_number(whole) in features.present("number"):
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
    # A date in the locale's order (`03/10/2022` or `2022/3/10` for `10.03.2022`): the same day.
    day = _date_parts(token.text)
    if day is not None and any(_date_parts(written.group()) == day for written in _DATE_WRITTEN.finditer(target)):
        return True
    for placeholder in (t for t in features.tokens if t.kind == "placeholder" and t.text[1:].isdigit()):
        # The placeholder pattern stops at the decimal separator: `%66,6667` keeps `66.6667`.
        decimals = _DECIMAL_TAIL.match(target, placeholder.start + len(placeholder.text))
        written = placeholder.text[1:] + (decimals.group() if decimals else "")
        if normalise_number(_without_trailing_zeros(written)) == wanted:
            return True
    return False


_DECIMAL_TAIL = lazy_pattern(r"[.,\u066b]\d+")
_GROUP_SPACE = lazy_pattern(r"[ \u00a0\u202f\u2009]")
# A date: a 4-digit year first or last, a day and a month of 1-2 digits, one separator twice.
_DATE = lazy_pattern(r"(?P<y1>\d{4})(?P<sep>[./-])(?P<a>\d{1,2})(?P=sep)(?P<b>\d{1,2})"
                     r"|(?P<c>\d{1,2})(?P<sep2>[./-])(?P<d>\d{1,2})(?P=sep2)(?P<y2>\d{4})")
_DATE_WRITTEN = lazy_pattern(r"(?<!\d)\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?!\d)")


def _date_parts(text: str) -> tuple[int, tuple[int, int]] | None:
    """(year, sorted day and month) of a date written in any order, or None for what is no date
    (a version such as `10.0.13` has no 4-digit year at an end, and is compared whole)."""
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    year = match.group("y1") or match.group("y2")
    first, second = (int(match.group("a")), int(match.group("b"))) if match.group("y1") else (int(match.group("c")), int(match.group("d")))
    if not (1 <= min(first, second) <= 12 and max(first, second) <= 31):
        return None
    return int(year), tuple(sorted((first, second)))


_DESCRIPTION = lazy_pattern(r"&lt;[^&<>]+?&gt;")


def _description_kept(placeholder: str, target: str) -> bool:
    """A descriptive placeholder (`&lt;LineQty&gt;`, `&lt;your-domain&gt;`) names what the reader
    fills in, and locales translate the name (`&lt;QtéLigne&gt;`): it is kept when the target
    has a descriptive placeholder of its own that is not a broken copy (`&lt;LineQty &gt;`)."""
    squeezed = "".join(placeholder.split()).casefold()
    found = _DESCRIPTION.findall(target)
    return bool(found) and not any(f != placeholder and "".join(f.split()).casefold() == squeezed for f in found)


def spelled_out(ctx: Context, source: str, target: str, token: Token, locale: str | None = None) -> bool:
    """A number the target writes in words or as a name (rules/numbers.yaml): the month of a date
    (`jūnija` for the 6 of `6/23`), a larger value in the locale's words (`cent`, `الخامس
    والعشرين`), an ordinal, an hour on the other clock (`13:00` for `1:00 pm`), a whole hour's
    minutes left out (`午後 1 時`), a count of thousands (`10 mil`, `1 万`), or a small count (`4 items` as `cuatro`),
    which style guides ask for in words: then no other number may stand in its place (the
    source's own number words, `seven-part`, aside)."""
    if token.kind != "number":
        return False
    if numbers.same_scaled(token.text, source, target) or numbers.whole_hour(token.text, source, target):
        return True
    if not token.text.isdigit():
        return False
    value = int(token.text)
    if numbers.month_named(value, token.text, source, target, (locale or "").split("-")[0].lower()):
        return True
    if numbers.twelve_hour(value, token.text, source, ctx.features(target).present("number")):
        return True
    if numbers.ordinal(value, target, locale):
        return True
    if value > 10:
        return numbers.written_out(value, token.text, source, target, locale)
    in_source = ctx.features(source).present("number") | numbers.source_words(source)
    return all(t.norm in in_source for t in ctx.features(target).tokens if t.kind == "number")


# Russian and other Cyrillic texts write some acronyms in their own letters: `ИАТА` is IATA.
_CYRILLIC_CAPS = lazy_pattern(r"(?<!\p{L})\p{Script=Cyrillic}{2,}(?!\p{L})")
_TO_LATIN = dict(zip("АБВГДЕЁЗИЙКЛМНОПРСТУФХЦЫЭ", "ABVGDEEZIYKLMNOPRSTUFHCYE"))


def _latin(word: str) -> str:
    return "".join(_TO_LATIN.get(char, "?") for char in word) if word.isupper() else ""


@lru_cache(maxsize=4096)  # keyed by words from user files: bounded (issue 18)
def _acronym_pattern(word: str) -> regex.Pattern:
    # Inflected forms keep the acronym: `MFA'nın`, `MFAを`, `MFA-t` all contain it; so does a
    # unit glued to its number, as CJK text writes it (`30GB`).
    return regex.compile(r"(?<![\p{Lu}])" + regex.escape(word) + r"(?![\p{Lu}\p{N}])")


def _finding(ctx: Context, column: Column, unit: Unit, token: Token, kept: int, judged: int | None = None,
             elsewhere: int = 0) -> Diagnostic:
    code = CODE_BY_KIND[token.kind]
    noun = NOUN.get(token.kind, token.kind)
    replacement = _likely_replacement(ctx, column, unit, token)
    instead = f" (`{replacement.text}` instead?)" if replacement else ""
    if token.kind == "number" and replacement is None:
        broken = _full_width_grouped(token, unit.text)
        if broken:
            instead = f" (`{broken}` instead? a full-width comma is no digit group separator)"
    if column.from_segments:
        group = f"; {kept} of {len(column.units)} locales keep it" if len(column.units) > 1 else ""
        message = f"{noun} `{shown(token)}` of the source is missing in the target{instead}{group}"
    else:
        message = f"{noun} `{shown(token)}` is missing in this {unit.label}{instead}; {column.who_keeps(kept, judged, elsewhere)}"
    if ctx.features(unit.text).has(token):  # kept, but not as often as the source has it
        source = column.source if column.source is not None else _holder(ctx, column, token)
        times = sum(1 for t in ctx.features(source).tokens if t.kind == token.kind and t.norm == token.norm)
        message = f"{noun} `{shown(token)}` occurs {times} times in the source, fewer here{instead}; {column.who_keeps(kept, judged, elsewhere)}"
    if replacement is not None:
        start, end = unit.span(replacement.start, replacement.start + len(replacement.text))
    elif unit.block is not None:  # nothing in its place: the block's start, not the whole paragraph
        start, end = unit.start, unit.start + 1
    else:
        start, end = unit.start, unit.end
    fix = _restore_fix(ctx, column, unit, token, replacement)
    return ctx.diagnostic(unit.variant, code, message, start, end, unit=unit,
                          token=replacement.text if replacement else token.text, fix=fix)


# Digits grouped by a full-width comma (`4，000`), which CJK text uses between clauses, not in numbers.
_FULL_WIDTH_GROUPED = lazy_pattern(r"(?<!\p{Nd})\p{Nd}{1,3}(?:\uff0c\p{Nd}{3})+(?!\p{Nd})")


def _full_width_grouped(token: Token, text: str) -> str | None:
    """The lost number as `text` writes it with full-width commas between its digit groups, if so:
    the number is there, but broken (it reads as `4, 000`)."""
    if "\uff0c" not in text:
        return None
    return next((m.group() for m in _FULL_WIDTH_GROUPED.finditer(text) if normalise_number(m.group()) == token.norm), None)


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
    source_present = ctx.features(column.source).present(token.kind)
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
    (with no source: that no other unit has, nor, for a kind judged across versions, any other
    version's block: what another locale wrote is not this one's replacement)."""
    if column.source is not None:
        elsewhere = ctx.features(column.source).present(token.kind)
    else:
        elsewhere = set()
        others = [other.text for other in column.units if other is not unit]
        if token.kind in evidence.across_versions():
            others.extend(witness.text for witness in column.elsewhere)
        for text in others:
            elsewhere |= ctx.features(text).present(token.kind)
    best, best_score = None, 0.0
    for candidate in ctx.features(unit.text).tokens:
        if candidate.kind != token.kind or candidate.norm in elsewhere:
            continue
        score = ratio(candidate.norm, token.norm)
        if score > best_score:
            best, best_score = candidate, score
    return best


def short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(token: Token) -> str:
    """A lost token as a message quotes it: whole for a URL, whose difference from the target's
    is often at its end (a translated slug), shortened otherwise."""
    return token.text if token.kind == "url" else short(token.text)
