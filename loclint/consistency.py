"""The run-wide evidence: how each locale keeps each acronym (P004, `AcronymUsage`), and the
translation index behind T004 and T005: per locale, how each source segment is translated across
the articles of the run. Both are built in the same pass as the other checks.

Each group fills its own small index; the engine merges them (`merge`, order-independent, so a
parallel run gives the same result) and settles the findings once at the end (`settle`). A site is
kept as a compact `Site` when the run may report it (already filtered by the engine: report flag,
ignores, suppressions), as `Elsewhere` when another shard reports it (`--shard`: it still counts
and breaks ties exactly as in the whole run), or as None when no run reports it but its evidence
still counts.
"""

from __future__ import annotations

import re
import sys
from collections import namedtuple
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import NamedTuple

from loclint.lazyre import lazy_pattern
from loclint.model import Diagnostic

# Sources longer than this are sentences that rarely repeat: only labels, headings and short
# instructions are indexed, which keeps the index small (a few MB on 175,000 segments).
MAX_SOURCE_CHARS = 120

_SPACES = lazy_pattern(r"[\s\u00a0\u202f\u2009\u200b\u200f\u200e]+")
# `comparable` runs for every indexed segment. Where `str.split` would fold the same spaces as
# `_SPACES` (no U+001C-U+001F, which it counts as spaces, and no U+200B/E/F, which it does not),
# it folds them several times faster. These two tests are literal character classes, which the
# standard `re` scans several times faster than `regex` does.
_SPLIT_DIFFERS = re.compile("[\x1c-\x1f\u200b\u200e\u200f]")
_QUOTE_CHARACTERS = "“”„«»‘’‚'「」『』"
_QUOTES = str.maketrans(dict.fromkeys(_QUOTE_CHARACTERS, '"'))
_QUOTE = re.compile(f"[{_QUOTE_CHARACTERS}]")
_EDGE_PUNCTUATION = " .:;!?。．：；！？،؛؟…"
_THREE_LETTERS = lazy_pattern(r"(?:\P{L}*+\p{L}){3}")  # stops at the third letter; `findall` would list all


def comparable(text: str) -> str:
    """What two translations must share to count as the same: case, spacing, quote style and
    closing punctuation are left out (B and W rules judge those)."""
    # Spaces at the ends go either way: they are in `_EDGE_PUNCTUATION`.
    text = _SPACES.sub(" ", text) if _SPLIT_DIFFERS.search(text) else " ".join(text.split())
    if _QUOTE.search(text):  # `translate` walks every character: only when there is a quote to unify
        text = text.translate(_QUOTES)
    return text.strip(_EDGE_PUNCTUATION).casefold()


# The same sources recur in every locale of a group and across articles: fold each once.
_source_key = lru_cache(maxsize=1 << 14)(comparable)


def indexable(masked_source: str) -> bool:
    """A source worth indexing: short, and with words left once code, URLs and tags are set aside."""
    return len(masked_source) <= MAX_SOURCE_CHARS and _THREE_LETTERS.match(masked_source) is not None


_CODE_SETS: dict[frozenset[str], frozenset[str]] = {}


def _shared_codes(codes: frozenset[str]) -> frozenset[str]:
    """One object per set of codes (there are three), not one per site."""
    return _CODE_SETS.setdefault(codes, codes)


def _intern(text: str | None) -> str | None:
    return sys.intern(text) if type(text) is str else text


class Site(namedtuple("_SiteFields", "path line column end_line end_column article subject source_text target_text codes")):
    """A segment the run may report (T004/T005): where it is, what it says, and the codes it may
    be reported under (`TranslationIndex.retain` sets them: a suppression comment or an ignore of
    one code leaves the other).

    The index keeps one per indexed segment (~140,000 on the shared corpus), so a site is a tuple,
    not a Diagnostic, and the strings that repeat across sites (paths, segment keys, the sources
    themselves) are interned, here and when a site comes back from a worker or the cache (pickle
    rebuilds it through `__new__`). A Diagnostic is built only for the sites reported.
    """

    __slots__ = ()

    def __new__(cls, path: str, line: int, column: int, end_line: int, end_column: int, article: str, subject: str,
                source_text: str, target_text: str, codes: frozenset[str] = frozenset()) -> Site:
        intern = sys.intern
        return super().__new__(cls, intern(path), line, column, end_line, end_column, intern(article), intern(subject),
                               intern(source_text), target_text, _shared_codes(codes))

    def diagnostic(self, code: str, message: str, locale: str | None = None, token: str | None = None) -> Diagnostic:
        return Diagnostic(
            self.path, self.line, self.column, self.end_line, self.end_column, code, message, locale=locale, article=self.article,
            subject=self.subject, source_text=self.source_text, target_text=self.target_text, token=token,
        )


class Elsewhere(NamedTuple):
    """A site another shard reports: it counts, and takes part in tie-breaks, but is not reported here."""

    path: str
    line: int
    column: int
    codes: frozenset[str]  # the codes that shard may report it under


# A site of this run's report; Elsewhere, another shard's; None, a site no run reports (a file
# loaded only as a sibling, an ignored path, a suppressed line): its translation still counts.
AnySite = Site | Elsewhere | None


class _Translation:
    """One translation of a source in a locale: how it is shown and where it is used.

    There is nearly one per indexed segment (~108,000 on the shared corpus), so it is kept small:
    its comparable form is derived from `shown` when needed and stored only in the rare case it
    cannot be (a control character at the edge of the text), and the other translations of the
    same source, if any, hang from `next` rather than from a list per source.
    """

    __slots__ = ("shown", "sites", "next", "_norm")

    def __init__(self, shown: str, sites: list[AnySite], norm: str | None = None, next: _Translation | None = None) -> None:
        self.shown = shown
        self.sites = sites
        self.next = next
        self._norm = norm  # None: comparable(shown)

    @classmethod
    def new(cls, norm: str, shown: str, site: AnySite) -> _Translation:
        return cls(shown, [site], None if comparable(shown) == norm else norm)

    @property
    def norm(self) -> str:
        return self._norm if self._norm is not None else comparable(self.shown)

    def show(self, shown: str) -> None:
        """Show the smallest form, whatever the order of merges; the comparable form stays."""
        if shown < self.shown:
            norm = self.norm
            self.shown = shown
            self._norm = None if comparable(shown) == norm else norm

    def __reduce__(self) -> tuple:
        return _Translation, (self.shown, self.sites, self._norm, self.next)


def _chain(first: _Translation | None) -> Iterator[_Translation]:
    while first is not None:
        yield first
        first = first.next


def _find(first: _Translation, text: str, norm: str | None = None) -> _Translation | None:
    """The translation whose comparable form is that of `text`, or `norm` when given (a text whose
    own comparable form is another). The same shown text matches without folding anything: the
    same translation recurring across articles is the common case, and merges meet it often."""
    if norm is None:
        for translation in _chain(first):
            if translation._norm is None and translation.shown == text:
                return translation
        norm = comparable(text)
    return next((translation for translation in _chain(first) if translation.norm == norm), None)


class TranslationIndex:
    """(locale, context, source) -> its translations -> their sites, over every group of the run.

    The context (heading, table cell or running text) is part of the key: a heading is rightly
    translated as a noun phrase (`Abonementu grupu iestatīšana`) and the same source as a step in
    the text as an instruction (`Iestatīt abonementu grupas`).
    """

    __slots__ = ("entries",)

    def __init__(self) -> None:
        # (locale, context, comparable source) -> its first translation (see _Translation.next)
        self.entries: dict[tuple[str | None, str, str], _Translation] = {}

    def record(self, locale: str | None, context: str, source: str, target: str, site: AnySite) -> None:
        key = (locale, context, sys.intern(_source_key(source)))
        first = self.entries.get(key)
        found = _find(first, target) if first is not None else None
        if found is not None:
            found.sites.append(site)
            return
        shown = _SPACES.sub(" ", target).strip()
        added = _Translation.new(comparable(target), target if shown == target else shown, site)  # one string, not two equal ones
        self._add(key, added)

    def _add(self, key: tuple[str | None, str, str], translation: _Translation) -> None:
        """A new translation of the key's source, last of its chain."""
        translation.next = None
        first = self.entries.get(key)
        if first is None:
            self.entries[key] = translation
            return
        *_, last = _chain(first)
        last.next = translation

    def translations(self) -> Iterator[_Translation]:
        for first in self.entries.values():
            yield from _chain(first)

    def sources(self) -> Iterator[tuple[tuple[str | None, str, str], list[_Translation]]]:
        """Each (locale, context, comparable source) with its translations."""
        for key, first in self.entries.items():
            yield key, list(_chain(first))

    def retain(self, reportable: Callable[[Site, str], bool], codes: tuple[str, ...]) -> None:
        """Keep the sites the run may report under one of `codes`, each with those codes; the
        others become None and still count as evidence."""
        for translation in self.translations():
            translation.sites = [_reportable_under(site, reportable, codes) for site in translation.sites]

    def set_aside(self) -> None:
        """This group is another shard's: its sites count and break ties as in the whole run, unreported."""
        for translation in self.translations():
            translation.sites = [Elsewhere(*site[:3], site.codes) if site is not None else None for site in translation.sites]

    def merge(self, other: TranslationIndex) -> None:
        """Add `other`'s records, taking them over (`other` is not to be used afterwards).

        The result does not depend on the order of merges: counts add up, the shown form is the
        smallest, and ties are broken by site positions, never by arrival."""
        for (locale, context, source), first in other.entries.items():
            key = (_intern(locale), _intern(context), _intern(source))
            mine = self.entries.get(key)
            if mine is None:
                self.entries[key] = first
                continue
            for translation in list(_chain(first)):
                found = _find(mine, translation.shown, translation._norm)
                if found is None:
                    self._add(key, translation)
                else:
                    found.show(translation.shown)
                    found.sites.extend(translation.sites)

    def settle(self, enabled: frozenset[str]) -> Iterator[Diagnostic]:
        if "T004" in enabled:
            yield from self._variant_translations()
        if "T005" in enabled:
            yield from self._shared_translations()

    def _variant_translations(self) -> Iterator[Diagnostic]:
        """T004: the sites whose translation differs from the one most used in the locale."""
        for (locale, _, _), first in self.entries.items():
            if first.next is None:
                continue
            ranked = sorted(_chain(first), key=lambda item: (-len(item.sites), _first(item.sites, "T004"), item.norm))
            usual, *others = ranked
            count = len(usual.sites)
            if count > len(others[0].sites):
                where = f"`{_short(usual.shown)}` in {count} other segment{'s' if count > 1 else ''} of this locale"
            else:
                where = f"`{_short(usual.shown)}` elsewhere in this locale (no majority: {len(ranked)} translations)"
            for other in others:
                message = f"same source translated differently: `{_short(other.shown)}` here, {where}"
                for site in _reported(other.sites, "T004"):
                    yield site.diagnostic("T004", message, locale, other.shown)

    def _shared_translations(self) -> Iterator[Diagnostic]:
        """T005: one short translation given to different sources within a locale."""
        # (locale, translation) -> source -> [sites, shown translation]; contexts merged
        by_locale_target: dict[tuple[str | None, str], dict[str, list]] = {}
        for (locale, _, source), first in self.entries.items():
            if len(source.split()) > 4:
                continue  # labels only: sentences share translations for many good reasons
            for translation in _chain(first):
                entry = by_locale_target.setdefault((locale, translation.norm), {}).setdefault(source, [[], translation.shown])
                entry[0].extend(translation.sites)
                entry[1] = min(entry[1], translation.shown)
        for (locale, _), by_source in by_locale_target.items():
            if len(by_source) < 2:
                continue
            sources = [(source, sites, shown) for source, (sites, shown) in by_source.items()]
            sources.sort(key=lambda item: (-len(item[1]), _first(item[1], "T005"), item[0]))
            (usual, usual_sites, _), *others = sources
            count = len(usual_sites)
            for _, sites, shown in others:
                message = (
                    f"translation `{_short(shown)}` also translates a different source, "
                    f"`{_short(usual)}`, in {count} segment{'s' if count > 1 else ''} of this locale"
                )
                for site in _reported(sites, "T005"):
                    yield site.diagnostic("T005", message, locale, shown)


def _reportable_under(site: AnySite, reportable: Callable[[Site, str], bool], codes: tuple[str, ...]) -> Site | None:
    if site is None:
        return None
    kept = frozenset(code for code in codes if reportable(site, code))
    return site._replace(codes=_shared_codes(kept)) if kept else None


def _reported(sites: list[AnySite], code: str) -> Iterator[Site]:
    return (site for site in sites if isinstance(site, Site) and code in site.codes)


def _first(sites: list[AnySite], code: str) -> tuple:
    """A deterministic tie-break: the earliest site that some shard reports under `code` (its
    path, line, column). A site suppressed or ignored for that code counts, but breaks no tie."""
    return min((site[:3] for site in sites if site is not None and code in site.codes), default=("\uffff",))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AcronymUsage:
    """How often each locale keeps each acronym of the source, over every group of the run.

    An acronym that other locales translate somewhere (`OK`, `ID`, `BOM`) is translatable; a
    lost acronym is reported only when the other locales keep it nearly everywhere.
    """

    __slots__ = ("counts",)

    def __init__(self) -> None:
        self.counts: dict[str, dict[str | None, list[int]]] = {}  # acronym -> locale -> [kept, seen]

    def record(self, acronym: str, locale: str | None, kept: bool) -> None:
        entry = self.counts.setdefault(acronym, {}).setdefault(locale, [0, 0])
        entry[0] += kept
        entry[1] += 1

    def merge(self, other: AcronymUsage) -> None:
        for acronym, by_locale in other.counts.items():
            mine = self.counts.setdefault(acronym, {})
            for locale, (kept, seen) in by_locale.items():
                entry = mine.setdefault(locale, [0, 0])
                entry[0] += kept
                entry[1] += seen

    def kept_in(self, acronym: str, locale: str | None) -> tuple[int, int]:
        """(kept, seen) for `acronym` in `locale` itself, over the whole run."""
        kept, seen = self.counts.get(acronym, {}).get(locale, (0, 0))
        return kept, seen

    def kept_elsewhere(self, acronym: str, locale: str | None) -> float:
        """The share of instances of `acronym` that locales other than `locale` keep."""
        kept = seen = 0
        for other_locale, (k, s) in self.counts.get(acronym, {}).items():
            if other_locale != locale:
                kept, seen = kept + k, seen + s
        return kept / seen if seen else 0.0
