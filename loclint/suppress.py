"""Suppression comments inside Markdown, invisible when the page is rendered.

    <!-- loclint-disable-next-line P004 -->      the line after the comment
    <!-- loclint-disable S004, B006 -->          from this line ...
    <!-- loclint-enable -->                      ... to here (or to the end of the file)
    <!-- loclint-disable-file M002 -->           the whole file

Codes are rule codes or prefixes (`P`, `P00`), separated by spaces or commas; a directive without
codes covers every rule. A reason may follow the codes after ` -- ` (as ESLint spells it):

    <!-- loclint-disable-next-line P004 -- the product name is translated in Latvian --> Comments inside fenced code blocks are examples, not directives.

A suppression that covers no finding is itself reported as X001, one finding per code it names,
so stale suppressions do not pile up. Codes that are not enabled in the run are not reported as
unused: the rule could not have fired, so its suppression may well still be needed. Nor are
suppressions that cover a candidate of a rule decided after the whole run (see GroupSuppressions).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from loclint.lazyre import DOTALL, MULTILINE, lazy_pattern, regex
from loclint.model import Diagnostic, Variant
from loclint.registry import SelectionError, expand

CODES = ("X001",)
UNUSED = "X001"

DIRECTIVE = lazy_pattern(r"<!--[ \t]*loclint-(disable-next-line|disable-file|disable|enable)\b(.*?)-->", DOTALL)
_SELECTOR_SPLIT = lazy_pattern(r"[\s,]+")
_REASON = lazy_pattern(r"(?:^|\s)--(?:\s|$)")  # where a directive's codes end and its reason begins
# A fence opens with 3+ backticks or tildes, indented by at most three spaces (CommonMark).
_FENCE = lazy_pattern(r"^[ ]{0,3}(`{3,}|~{3,})", MULTILINE)


@dataclass(slots=True)
class Suppression:
    """One code (or every code, when `selector` is None) suppressed over lines first..last."""

    kind: str  # "next-line", "range" or "file"
    selector: str | None
    codes: frozenset[str] | None  # the codes the selector expands to; None for every code
    first_line: int
    last_line: int
    offset: int  # where the comment starts, for reporting it
    end_offset: int
    used: bool = False

    def covers(self, diagnostic: Diagnostic) -> bool:
        if not self.first_line <= diagnostic.line <= self.last_line:
            return False
        return self.codes is None or diagnostic.code in self.codes


@dataclass(slots=True)
class FileSuppressions:
    """The suppression comments of one file, and the problems in them."""

    variant: Variant
    entries: list[Suppression] = field(default_factory=list)
    problems: list[tuple[int, int, str]] = field(default_factory=list)  # (offset, end, message)

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        """True if any suppression covers the diagnostic; every one that does counts as used."""
        hit = False
        for entry in self.entries:
            if entry.covers(diagnostic):
                entry.used = True
                hit = True
        return hit

    def unused(self, enabled: frozenset[str]) -> Iterator[Diagnostic]:
        for entry in self.entries:
            if entry.used or (entry.codes is not None and not entry.codes & enabled):
                continue
            what = f"`{entry.selector}`" if entry.selector else "every rule"
            yield self._diagnostic(entry.offset, entry.end_offset, f"unused suppression: `loclint-{_DIRECTIVE_NAME[entry.kind]}` of {what} suppresses no finding; remove it", entry.selector)
        for offset, end, message in self.problems:
            yield self._diagnostic(offset, end, message, None)

    def _diagnostic(self, offset: int, end: int, message: str, selector: str | None) -> Diagnostic:
        line, column = self.variant.position(offset)
        end_line, end_column = self.variant.position(end)
        # The subject is the directive, not its line, so baselines survive edits elsewhere.
        return Diagnostic(
            self.variant.display_path, line, column, end_line, end_column, UNUSED, message,
            locale=self.variant.locale, subject=f"suppression {selector or '*'}",
        )


_DIRECTIVE_NAME = {"next-line": "disable-next-line", "range": "disable", "file": "disable-file"}


def parse_suppressions(variant: Variant) -> FileSuppressions:
    """The suppressions a variant's text declares (outside its front matter and code fences)."""
    found = FileSuppressions(variant)
    text = variant.text
    if "loclint-" not in text or variant.lines is None:
        return found
    fences = _fenced_spans(text, variant.front_matter_end)
    last_line = variant.lines.line_count
    open_ranges: list[Suppression] = []
    for match in DIRECTIVE.finditer(text, variant.front_matter_end):
        if _inside(match.start(), fences):
            continue
        name, rest = match.group(1), _REASON.split(match.group(2), maxsplit=1)[0]
        start_line = variant.position(match.start())[0]
        end_line = variant.position(match.end())[0]
        selectors = [part for part in _SELECTOR_SPLIT.split(rest.strip()) if part]
        if name == "enable":
            _close_ranges(found, open_ranges, selectors, start_line, match)
            continue
        kind = {"disable-next-line": "next-line", "disable-file": "file", "disable": "range"}[name]
        first, last = {"next-line": (end_line + 1, end_line + 1), "file": (1, last_line), "range": (start_line, last_line)}[kind]
        for selector, codes in _expand_selectors(found, selectors, match):
            entry = Suppression(kind, selector, codes, first, last, match.start(), match.end())
            found.entries.append(entry)
            if kind == "range":
                open_ranges.append(entry)
    return found


def _expand_selectors(found: FileSuppressions, selectors: list[str], match: regex.Match) -> Iterator[tuple[str | None, frozenset[str] | None]]:
    if not selectors:
        yield None, None
        return
    for selector in selectors:
        try:
            yield selector.upper(), frozenset(expand(selector))
        except SelectionError:
            found.problems.append((match.start(), match.end(), f"suppression names `{selector}`, which is not a rule code or prefix (see `loclint rule --all`)"))


def _close_ranges(found: FileSuppressions, open_ranges: list[Suppression], selectors: list[str], line: int, match: regex.Match) -> None:
    """`loclint-enable` ends every open range; `loclint-enable P004` ends the ranges of `P004` only."""
    wanted = {selector.upper() for selector in selectors}
    closing = [entry for entry in open_ranges if not wanted or entry.selector in wanted]
    if not closing:
        what = ", ".join(f"`{selector}`" for selector in selectors) or "any rule"
        found.problems.append((match.start(), match.end(), f"`loclint-enable` of {what} has no `loclint-disable` open before it; remove it"))
        return
    for entry in closing:
        entry.last_line = line
        open_ranges.remove(entry)


def _fenced_spans(text: str, start: int) -> list[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks; an unclosed fence runs to the end of the text."""
    spans: list[tuple[int, int]] = []
    opener: regex.Match | None = None
    for match in _FENCE.finditer(text, start):
        fence = match.group(1)
        if opener is None:
            opener = match
        elif fence[0] == opener.group(1)[0] and len(fence) >= len(opener.group(1)):
            spans.append((opener.start(), match.end()))
            opener = None
    if opener is not None:
        spans.append((opener.start(), len(text)))
    return spans


def _inside(offset: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def strip_directives(line: str) -> str:
    """A line without its loclint comments: they are per-file notes, not part of the article's frame."""
    return DIRECTIVE.sub("", line) if "loclint-" in line else line



class GroupSuppressions:
    """The suppressions of every reported file of a group, applied to its findings.

    Findings decided only after the whole run (P004's deferred candidates, the T004/T005 sites of
    the translation index) are covered as candidates: a suppression that covers a candidate counts
    as used even if the run later drops it. Better a silent suppression than an X001 that comes and
    goes with the rest of the run (or with the shard).
    """

    def __init__(self, variants: Iterable[Variant]) -> None:
        parsed = {variant.display_path: parse_suppressions(variant) for variant in variants}
        self._by_path = {path: sups for path, sups in parsed.items() if sups.entries or sups.problems}

    def covers(self, diagnostic: Diagnostic) -> bool:
        sups = self._by_path.get(diagnostic.path)
        return sups is not None and diagnostic.code != UNUSED and sups.suppresses(diagnostic)

    def unused(self, enabled: frozenset[str]) -> list[Diagnostic]:
        """X001 findings; call after every finding and candidate of the group has been covered."""
        return [diagnostic for sups in self._by_path.values() for diagnostic in sups.unused(enabled)]
