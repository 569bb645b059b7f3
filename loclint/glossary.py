"""Do-not-translate terms: the built-in list of `rules/terms.yaml`, extended by the user's glossary.

A term (`Outlook`, `Microsoft 365`) must appear unchanged in a target whose source holds it. Per
locale, a term may instead be *free* (the locale legitimately translates it: `Microsoft` is written
`マイクロソフト` in Japanese) or have an *approved form* that the target must use instead.

The user's glossary (config key `glossary`) is YAML in the same shape as `rules/terms.yaml`, or a
TBX-like CSV: a header row whose first column is the source term and whose other columns are locales
or languages; in a row, an empty cell keeps the term unchanged, `*` leaves the locale free, and any
other text is that locale's approved form.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from loclint.lazyre import lazy_pattern, regex
from loclint.registry import load_data_file

FREE = "*"  # in a CSV cell or an `exceptions` list: the locale translates the term as it likes


class GlossaryError(ValueError):
    """A glossary that cannot be read; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary term and the forms each locale may give it."""

    text: str
    # locale or language ("ja-jp", "ja") -> approved form, or FREE when the locale may translate it
    forms: tuple[tuple[str, str], ...] = ()
    # A name a translation may leave out (`Microsoft` in `Microsoft has compiled ...`, rephrased as
    # "we compiled"): never reported missing (T001), still checked for case and spelling.
    may_drop: bool = False

    def form_for(self, locale: str | None) -> str:
        """What a target in `locale` must contain: the term itself, an approved form, or FREE."""
        if locale:
            language = locale.split("-")[0]
            exact = dict(self.forms)
            for key in (locale, language):
                if key in exact:
                    return exact[key]
        return self.text


@dataclass(frozen=True)
class TermList:
    """Every glossary term, with the patterns that find them in a text."""

    terms: tuple[Term, ...]
    near_miss_score: float  # rapidfuzz ratio at or above which a target word is a misspelt term
    near_miss_min_length: int
    by_text: dict[str, Term] = field(default_factory=dict)
    # The terms by their letters without spaces, case folded (`powerapps` -> `Power Apps`): the
    # term a CamelCase name of the source spells with its words apart (P004).
    by_squeezed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    @cached_property
    def source_pattern(self) -> regex.Pattern | None:
        """One alternation of every term, longest first, so `Microsoft 365` wins over `Microsoft`.

        Built when a check first looks for a term: it is one of the costliest patterns to
        compile, and a run whose groups all come from the cache never looks."""
        if not self.terms:
            return None
        alternation = "|".join(words_pattern(term.text) for term in self.terms)
        return regex.compile(r"(?<![\p{L}\p{N}_])(?:" + alternation + r")(?![\p{L}\p{N}_])")

    def find(self, text: str) -> list[tuple[Term, int, int]]:
        """The terms written in `text`, exactly and as whole words: (term, start, end)."""
        if self.source_pattern is None:
            return []
        return [(self.by_text[_canonical(m.group())], m.start(), m.end()) for m in self.source_pattern.finditer(text)]


# Between the words of a term any run of spaces, including no-break ones, is the same space.
_SPACES = lazy_pattern(r"[\s\u00a0\u202f\u2009]+")


def _canonical(text: str) -> str:
    if " ".join(text.split()) == text:
        # Single ASCII spaces between words already: `_SPACES` would change nothing (its class is
        # within str.isspace), and a run that only loads the terms need not import regex for it.
        return text
    return _SPACES.sub(" ", text)


def words_pattern(text: str) -> str:
    return r"[\s\u00a0\u202f\u2009]+".join(regex.escape(word) for word in text.split())


def load_terms(glossary: Path | None = None) -> TermList:
    data = load_data_file("terms.yaml")
    terms = {term.text: term for term in _from_yaml(data, "rules/terms.yaml")}
    if glossary is not None:
        for term in _read_glossary(glossary):
            terms[term.text] = term  # the user's entry replaces the built-in one
    ordered = tuple(sorted(terms.values(), key=lambda term: (-len(term.text), term.text)))
    return TermList(
        terms=ordered,
        near_miss_score=float(data.get("near-miss-score", 88)),
        near_miss_min_length=int(data.get("near-miss-min-length", 5)),
        by_text={term.text: term for term in ordered},
        by_squeezed=_by_squeezed(ordered),
    )


def _by_squeezed(terms: tuple[Term, ...]) -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for term in terms:
        key = "".join(term.text.split()).casefold()
        table[key] = table.get(key, ()) + (term.text,)
    return table


def _read_glossary(path: Path) -> list[Term]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"{path}: cannot read glossary: {exc}") from exc
    if path.suffix.lower() == ".csv":
        return _from_csv(text, str(path))
    import yaml  # here: most runs have no glossary of their own

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise GlossaryError(f"{path}: not valid YAML: {exc}") from exc
    return _from_yaml(data, str(path))


def _from_yaml(data: Any, origin: str) -> list[Term]:
    entries = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise GlossaryError(f"{origin}: expected a `terms:` list")
    terms = []
    for index, entry in enumerate(entries):
        where = f"{origin}: terms[{index}]"
        if isinstance(entry, str):
            entry = {"term": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("term"), str) or not entry["term"].strip():
            raise GlossaryError(f"{where}: each entry needs a non-empty `term`")
        forms: dict[str, str] = {}
        free = entry.get("exceptions", [])
        if not isinstance(free, list) or not all(isinstance(item, str) for item in free):
            raise GlossaryError(f"{where}: `exceptions` must be a list of locales or languages")
        forms.update({locale.lower(): FREE for locale in free})
        approved = entry.get("translations", {})
        if not isinstance(approved, dict) or not all(isinstance(v, str) and v.strip() for v in approved.values()):
            raise GlossaryError(f"{where}: `translations` must map locales to non-empty forms")
        forms.update({str(locale).lower(): form.strip() for locale, form in approved.items()})
        may_drop = entry.get("may-drop", False)
        if not isinstance(may_drop, bool):
            raise GlossaryError(f"{where}: `may-drop` must be true or false")
        terms.append(Term(_canonical(entry["term"].strip()), tuple(sorted(forms.items())), may_drop))
    return terms


def _from_csv(text: str, origin: str) -> list[Term]:
    rows = [row for row in csv.reader(text.splitlines()) if any(cell.strip() for cell in row)]
    if not rows:
        raise GlossaryError(f"{origin}: the CSV glossary is empty")
    locales = [cell.strip().lower() for cell in rows[0][1:]]
    terms = []
    for number, row in enumerate(rows[1:], start=2):
        term = row[0].strip() if row else ""
        if not term:
            raise GlossaryError(f"{origin}: row {number}: the first cell (the term) is empty")
        forms = {locale: cell.strip() for locale, cell in zip(locales, row[1:]) if locale and cell.strip()}
        terms.append(Term(_canonical(term), tuple(sorted(forms.items()))))
    return terms
