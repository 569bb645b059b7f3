"""The run-wide translation index behind T004 and T005: per locale, how each source segment is
translated across the articles of the run, built in the same pass as the other checks.

Each group fills its own small index; the engine merges them (`merge`, order-independent, so a
parallel run gives the same result) and settles the findings once at the end (`settle`). A site is
the candidate diagnostic of its segment per code (T004, T005), each already filtered by the engine
(report flag, ignores, suppression comments of that code), or None when the run must not report
it but its evidence still counts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator

import regex

from loclint.model import Diagnostic

# Sources longer than this are sentences that rarely repeat: only labels, headings and short
# instructions are indexed, which keeps the index small (a few MB on 175,000 segments).
MAX_SOURCE_CHARS = 120

_SPACES = regex.compile(r"[\s\u00a0\u202f\u2009\u200b\u200f\u200e]+")
# `comparable` runs for every indexed segment. Where `str.split` would fold the same spaces as
# `_SPACES` (no U+001C-U+001F, which it counts as spaces, and no U+200B/E/F, which it does not),
# it folds them several times faster. These two tests are literal character classes, which the
# standard `re` scans several times faster than `regex` does.
_SPLIT_DIFFERS = re.compile("[\x1c-\x1f\u200b\u200e\u200f]")
_QUOTE_CHARACTERS = "“”„«»‘’‚'「」『』"
_QUOTES = str.maketrans(dict.fromkeys(_QUOTE_CHARACTERS, '"'))
_QUOTE = re.compile(f"[{_QUOTE_CHARACTERS}]")
_EDGE_PUNCTUATION = " .:;!?。．：；！？،؛؟…"
_THREE_LETTERS = regex.compile(r"(?:\P{L}*+\p{L}){3}")  # stops at the third letter; `findall` would list all


def comparable(text: str) -> str:
    """What two translations must share to count as the same: case, spacing, quote style and
    closing punctuation are left out (B and W rules judge those)."""
    # Spaces at the ends go either way: they are in `_EDGE_PUNCTUATION`.
    text = _SPACES.sub(" ", text) if _SPLIT_DIFFERS.search(text) else " ".join(text.split())
    if _QUOTE.search(text):  # `translate` walks every character: only when there is a quote to unify
        text = text.translate(_QUOTES)
    return text.strip(_EDGE_PUNCTUATION).casefold()


def indexable(masked_source: str) -> bool:
    """A source worth indexing: short, and with words left once code, URLs and tags are set aside."""
    return len(masked_source) <= MAX_SOURCE_CHARS and _THREE_LETTERS.match(masked_source) is not None


Site = dict[str, Diagnostic | None]  # code -> candidate; the evidence counts whatever they hold


class TranslationIndex:
    """(locale, context, source) -> translation -> sites, over every group of the run.

    The context (heading, table cell or running text) is part of the key: a heading is rightly
    translated as a noun phrase (`Abonementu grupu iestatīšana`) and the same source as a step in
    the text as an instruction (`Iestatīt abonementu grupas`).
    """

    __slots__ = ("entries",)

    def __init__(self) -> None:
        # (locale, context, comparable source) -> comparable target -> [shown target, sites]
        self.entries: dict[tuple[str | None, str, str], dict[str, list]] = {}

    def record(self, locale: str | None, context: str, source: str, target: str, site: Site) -> None:
        by_target = self.entries.setdefault((locale, context, comparable(source)), {})
        entry = by_target.setdefault(comparable(target), [_SPACES.sub(" ", target).strip(), []])
        entry[1].append(site)

    def retain(self, keep: Callable[[Diagnostic], Diagnostic | None]) -> None:
        """Pass every candidate through the engine's filter; a dropped one still counts as evidence."""
        for by_target in self.entries.values():
            for entry in by_target.values():
                entry[1] = [{code: keep(found) if found is not None else None for code, found in site.items()} for site in entry[1]]

    def merge(self, other: TranslationIndex) -> None:
        for key, by_target in other.entries.items():
            mine = self.entries.setdefault(key, {})
            for norm, (shown, sites) in by_target.items():
                entry = mine.setdefault(norm, [shown, []])
                entry[0] = min(entry[0], shown)  # the same choice whatever the merge order
                entry[1].extend(sites)

    def settle(self, enabled: frozenset[str]) -> Iterator[Diagnostic]:
        if "T004" in enabled:
            yield from self._variant_translations()
        if "T005" in enabled:
            yield from self._shared_translations()

    def _variant_translations(self) -> Iterator[Diagnostic]:
        """T004: the sites whose translation differs from the one most used in the locale."""
        for by_target in self.entries.values():
            if len(by_target) < 2:
                continue
            ranked = sorted(by_target.items(), key=lambda item: (-len(item[1][1]), _first(item[1][1]), item[0]))
            (_, (usual, usual_sites)), *others = ranked
            lead = len(usual_sites) > len(others[0][1][1])
            for _, (shown, sites) in others:
                for site in (site.get("T004") for site in sites):
                    if site is None:
                        continue
                    if lead:
                        where = f"`{_short(usual)}` in {len(usual_sites)} other segment{'s' if len(usual_sites) > 1 else ''} of this locale"
                    else:
                        where = f"`{_short(usual)}` elsewhere in this locale (no majority: {len(ranked)} translations)"
                    message = f"same source translated differently: `{_short(shown)}` here, {where}"
                    yield dataclasses.replace(site, message=message, token=shown)

    def _shared_translations(self) -> Iterator[Diagnostic]:
        """T005: one short translation given to different sources within a locale."""
        # (locale, translation) -> source -> [sites, shown translation]; contexts merged
        by_locale_target: dict[tuple[str | None, str], dict[str, list]] = {}
        for (locale, _, source), by_target in self.entries.items():
            if len(source.split()) > 4:
                continue  # labels only: sentences share translations for many good reasons
            for norm, (shown, sites) in by_target.items():
                entry = by_locale_target.setdefault((locale, norm), {}).setdefault(source, [[], shown])
                entry[0].extend(sites)
                entry[1] = min(entry[1], shown)
        for by_source in by_locale_target.values():
            if len(by_source) < 2:
                continue
            sources = [(source, sites, shown) for source, (sites, shown) in by_source.items()]
            sources.sort(key=lambda item: (-len(item[1]), _first(item[1]), item[0]))
            (usual, usual_sites, _), *others = sources
            for source, sites, shown in others:
                for site in (site.get("T005") for site in sites):
                    if site is not None:
                        message = (
                            f"translation `{_short(shown)}` also translates a different source, "
                            f"`{_short(usual)}`, in {len(usual_sites)} segment{'s' if len(usual_sites) > 1 else ''} of this locale"
                        )
                        yield dataclasses.replace(site, message=message, token=shown)


def _first(sites: list[Site]) -> tuple:
    """A deterministic tie-break: the earliest reported site of a translation."""
    keys = [found.sort_key() for site in sites for found in site.values() if found is not None]
    return min(keys) if keys else ("\uffff",)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
