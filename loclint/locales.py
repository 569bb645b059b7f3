"""Which folder names and suffixes are locales: BCP 47 tags as people write them.

A name is a *tag* when it reads `language[-Script][-REGION]`: a 2-3 letter language, an optional
4-letter script, an optional 2-letter or 3-digit region, in any case, joined by `-` or `_`
(`fr`, `pt-BR`, `pt_br`, `zh-Hans`, `sr-Latn-RS`, `es-419`). Tags are normalised to lower case
with `-` (`pt-br`).

Short words are easily mistaken for languages (`src/`, `img/`, `it/`, `how-to/`), so the rule is:
- a tag with a region whose language is in `rules/languages.txt` (ISO 639-1 and the few longer
  codes CLDR uses) is a locale on its own (`tr-TR`, `es-419`, `sr-Latn-RS`, `fil-PH`);
- any other tag (`fr`, `zh-Hans`, and `how-to`, whose `how` is no language) is a locale only if
  another locale sits beside it in the same folder: `docs/en/` beside `docs/fr/` is a locale, a
  lone `docs/it/`, `docs/ts/` or `bots/how-to/` is not.
- `locales = [...]` in the configuration replaces the rule: exactly the names listed are locales.
"""

from __future__ import annotations

import os
from functools import cache, lru_cache

import re

# language, optional script, optional region; `_` or `-` between subtags.
_TAG = r"([a-z]{2,3})(?:[-_]([a-z]{4}))?(?:[-_]([a-z]{2}|\d{3}))?"
# `<name>.<tag>`: a sibling repository (`Docs.tr-tr`) or a suffixed name.
_SUFFIXED = r"(.+)\.([a-z]{2,3}(?:[-_][a-z]{4})?(?:[-_](?:[a-z]{2}|\d{3}))?)"


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    """Compiled at first use: `loclint --version` and warm runs need neither (start-up time)."""
    return re.compile(_TAG, re.IGNORECASE | re.ASCII), re.compile(_SUFFIXED, re.IGNORECASE | re.ASCII)


def _tag(name: str) -> re.Match | None:
    return _patterns()[0].fullmatch(name)


def is_tag(name: str) -> bool:
    return _tag(name) is not None


def normalise(tag: str) -> str:
    return tag.lower().replace("_", "-")


@cache
def languages() -> frozenset[str]:
    """The language subtags a bare tag may have, read once from `rules/languages.txt`."""
    from loclint.registry import rules_dir

    with open(rules_dir() / "languages.txt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip() and not line.startswith("#"))


def has_region(name: str) -> bool:
    match = _tag(name)
    return bool(match and match.group(3))


def _self_evident(match: re.Match) -> bool:
    """A region and a known language (`pt-BR`): a locale whatever sits beside it.

    The language must be known too: `how-to`, `add-on` and `tic-tac` read as language-region
    but are ordinary folder names, and a checkout of one locale has no company to tell them apart."""
    return bool(match.group(3)) and match.group(1).lower() in languages()


def plausible(name: str) -> bool:
    """A tag whose language is known, or that has a region: a locale if the place agrees."""
    match = _tag(name)
    if not match:
        return False
    return bool(match.group(3)) or match.group(1).lower() in languages()


@lru_cache(maxsize=4096)
def listing(folder: str) -> tuple[str, ...]:
    """The entries of `folder` ("" is the working folder), sorted; empty when it cannot be read.

    Cached for the run: discovery asks about the same few folders for thousands of files."""
    try:
        return tuple(sorted(os.listdir(folder or ".")))
    except OSError:
        return ()


class LocaleNames:
    """Decides whether a folder entry is a locale, from its name and what sits beside it."""

    def __init__(self, configured: list[str] | None = None) -> None:
        self.configured = frozenset(normalise(name) for name in configured) if configured else None
        self._folders: dict[tuple[str, str], bool] = {}
        # Each folder's locale folders and `<base>.<locale>` siblings, listed once per run: every
        # file of a group asks, and listing them anew for each was n² in a group of 10,000
        # locales (100 million names normalised, 29 s of a 30 s run).
        self._folder_lists: dict[str, tuple[tuple[str, str], ...]] = {}
        self._suffixed: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}

    def forget(self) -> None:
        """Drop what was learnt of the folders: they may have changed since (a new run)."""
        self._folders.clear()
        self._folder_lists.clear()
        self._suffixed.clear()

    def folder(self, parent: str, name: str) -> bool:
        """Is `parent/name` a locale folder (`docs/fr`, `docs/pt-BR`)?"""
        known = self._folders.get((parent, name))
        if known is None:
            known = self._folders[(parent, name)] = self._is_folder(parent, name)
        return known

    def _is_folder(self, parent: str, name: str) -> bool:
        if self.configured is not None:
            return normalise(name) in self.configured
        match = _tag(name)
        if not match:
            return False
        if _self_evident(match):
            return True
        return plausible(name) and any(
            other != name and _tag(other) and plausible(other) and os.path.isdir(os.path.join(parent or ".", other))
            for other in listing(parent))

    def suffix(self, parent: str, name: str) -> tuple[str, str] | None:
        """`(base, locale)` when `parent/name` is `<base>.<locale>` (`Docs.tr-tr`, `Docs.fr`)."""
        match = _patterns()[1].fullmatch(name)
        if not match:
            return None
        base, tag = match.group(1), match.group(2)
        if self.configured is not None:
            return (base, normalise(tag)) if normalise(tag) in self.configured else None
        if _self_evident(_tag(tag)):
            return base, normalise(tag)
        if not plausible(tag):
            return None
        # Any other tag (`Docs.fr`) needs company: another `<base>.<locale>` or the unsuffixed `<base>`.
        for other in listing(parent):
            if other == base or (other != name and other.startswith(base + ".") and plausible(other[len(base) + 1 :])):
                return base, normalise(tag)
        return None

    def suffixed_siblings(self, parent: str, base: str) -> tuple[tuple[str, str], ...]:
        """The `(entry, locale)` of every `<base>.<locale>` in `parent`."""
        found = self._suffixed.get((parent, base))
        if found is None:
            siblings = []
            for entry in listing(parent):
                if entry.startswith(base + "."):
                    split = self.suffix(parent, entry)
                    if split is not None and split[0] == base:
                        siblings.append((entry, split[1]))
            found = self._suffixed[(parent, base)] = tuple(siblings)
        return found

    def folders(self, parent: str) -> tuple[tuple[str, str], ...]:
        """The `(entry, locale)` of every locale folder in `parent`."""
        found = self._folder_lists.get(parent)
        if found is None:
            found = self._folder_lists[parent] = tuple(
                (entry, normalise(entry)) for entry in listing(parent) if self.folder(parent, entry))
        return found
