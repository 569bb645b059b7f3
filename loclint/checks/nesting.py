"""B016: HTML nested deeper than any article needs. A body of thousands of nested `<span>`s is
generated or hostile: renderers give up on it, and comparing it with other locales proves
nothing when they are all alike or when there are only two of them. So it is judged per file,
against a fixed limit, with one linear scan and one finding per file.

Code is text, not markup: a `<...>` inside a fenced code block (`Promise<void>`,
`ITurnContext<IConversationUpdateActivity>`) or an inline code span (`` `/l/message/<channelId>` ``)
is shown as written and never opens an element, so it does not count."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate


from loclint.checks.context import Context
from loclint.lazyre import MULTILINE, lazy_pattern, regex
from loclint.model import Diagnostic
from loclint.parse import windows

CODES = ("B016",)
MAX_DEPTH = 32  # real articles nest a few levels (a segment pair is two); 32 is far past any
# HTML elements that never take a closing tag: they do not nest.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# A tag: `<`, `/` if it closes, its name, its attributes, `/` if it closes itself, `>`. Written
# possessively (every `/` not before `>` is part of the attributes): the same matches as a lazy
# `[^<>]*?(/?)>`, which tries the end at every character and was a twentieth of a cold run.
_TAG = lazy_pattern(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>/]*+(?:/(?!>)[^<>/]*+)*+(/?)>")
# A fence line at any indentation: fences inside list items are indented past CommonMark's 3.
_FENCE = lazy_pattern(r"^[ \t]*(`{3,}|~{3,})", MULTILINE)
_BACKTICKS = lazy_pattern(r"`+")
_PIECE = 1 << 16  # characters whose tags `_deepest_at_most` lists at once (a file of a million
# segments lists a piece's tags, not its six million)


def check(ctx: Context) -> Iterator[Diagnostic]:
    if not ctx.enabled("B016"):
        return
    for variant in ctx.comparable:
        if not variant.report:  # judged per file: a sibling loaded only to judge others needs no scan
            continue
        found = too_deep(variant.text, variant.front_matter_end)
        if found is not None:
            offset, end, deepest = found
            message = (
                f"HTML tags nested {deepest:,} levels deep (limit {MAX_DEPTH}): no article needs this; "
                "the body is generated or hostile"
            )
            yield ctx.diagnostic(variant, "B016", message, offset, end)


def too_deep(text: str, start: int = 0) -> tuple[int, int, int] | None:
    """(offset and end of the first tag past MAX_DEPTH, the deepest nesting), or None."""
    code = code_spans(text, start) if "`" in text or "~~~" in text else []
    if _deepest_at_most(text, start, code, MAX_DEPTH):
        return None  # nearly every file: no tag of it needs to be looked at one by one
    return _first_too_deep(text, start, code)


def _deepest_at_most(text: str, start: int, code: list[tuple[int, int]], limit: int) -> bool:
    """Is the nesting of `text` from `start` surely within `limit`? Decided from the tags' running
    balance (+1 an element opened, -1 one closed) summed in C, with code blanked out first: it is
    the nesting itself unless a stray closer takes the balance below zero, which the exact scan
    then judges (it does not let depth fall below zero)."""
    if text.count("<", start) <= limit:
        return True  # too few tags to nest that deep
    if code:
        pieces, position = [], start
        for code_start, code_end in code:
            pieces.append(text[position:code_start])
            pieces.append(" " * (code_end - code_start))  # same length, no `<` or `>`
            position = code_end
        pieces.append(text[position:])
        text, start = "".join(pieces), 0
    balance = lowest = highest = 0
    for piece_start, piece_end in windows(text, start, "<", _PIECE):  # a tag holds no `<` but its first
        steps = [-1 if closing else 0 if self_closing or name.lower() in _VOID else 1
                 for closing, name, self_closing in _TAG.findall(text, piece_start, piece_end)]
        if steps:
            balances = list(accumulate(steps, initial=balance))
            lowest, highest, balance = min(lowest, min(balances)), max(highest, max(balances)), balances[-1]
    return lowest >= 0 and highest <= limit


def _first_too_deep(text: str, start: int, code: list[tuple[int, int]]) -> tuple[int, int, int] | None:
    depth = deepest = 0
    first: tuple[int, int] | None = None
    index = 0  # the first code span that does not end before the current tag
    for match in _TAG.finditer(text, start):
        while index < len(code) and code[index][1] <= match.start():
            index += 1
        if index < len(code) and code[index][0] <= match.start():
            continue  # inside code: text, not markup
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            depth = max(0, depth - 1)
            continue
        if self_closing or name in _VOID:
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if depth > MAX_DEPTH and first is None:
                first = (match.start(), match.end())
    return (*first, deepest) if first is not None else None


def code_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Sorted, disjoint (start, end) offsets of the fenced code blocks and inline code spans of
    `text` from `start`. Linear: a fence closes at the next fence line of its character at least
    as long (an unclosed one runs to the end); an inline span, on one line outside fences, closes
    at the next run of exactly as many backticks (CommonMark), found through each length's runs."""
    spans: list[tuple[int, int]] = []
    fences: list[tuple[int, int]] = []
    opener: regex.Match | None = None
    for match in _FENCE.finditer(text, start):
        fence = match.group(1)
        if opener is None:
            opener = match
        elif fence[0] == opener.group(1)[0] and len(fence) >= len(opener.group(1)):
            fences.append((opener.start(), match.end()))
            opener = None
    if opener is not None:
        fences.append((opener.start(), len(text)))
    position = start
    for fence_start, fence_end in [*fences, (len(text), len(text))]:
        spans.extend(_inline_code(text, position, fence_start))
        if fence_start < fence_end:
            spans.append((fence_start, fence_end))
        position = fence_end
    return spans


def _inline_code(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Inline code spans of `text[start:end]`, each within one line."""
    spans: list[tuple[int, int]] = []
    line_start = start
    while line_start < end:
        line_end = text.find("\n", line_start, end)
        line_end = end if line_end < 0 else line_end
        if text.find("`", line_start, line_end) >= 0:
            runs = [(match.start(), match.end()) for match in _BACKTICKS.finditer(text, line_start, line_end)]
            by_length: dict[int, list[int]] = {}
            for number, (run_start, run_end) in enumerate(runs):
                by_length.setdefault(run_end - run_start, []).append(number)
            cursor = {length: 0 for length in by_length}  # next candidate closer per length
            number = 0
            while number < len(runs):
                run_start, run_end = runs[number]
                length = run_end - run_start
                same = by_length[length]
                while cursor[length] < len(same) and same[cursor[length]] <= number:
                    cursor[length] += 1
                if cursor[length] < len(same):
                    closer = same[cursor[length]]
                    spans.append((run_start, runs[closer][1]))
                    number = closer + 1
                else:
                    number += 1  # no closer: the backticks are literal
        line_start = line_end + 1
    return spans
