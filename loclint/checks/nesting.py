"""B016: HTML nested deeper than any article needs. A body of thousands of nested `<span>`s is
generated or hostile: renderers give up on it, and comparing it with other locales proves
nothing when they are all alike or when there are only two of them. So it is judged per file,
against a fixed limit, with one linear scan and one finding per file."""

from __future__ import annotations

from collections.abc import Iterator

from loclint.checks.context import Context
from loclint.lazyre import lazy_pattern
from loclint.model import Diagnostic

CODES = ("B016",)
MAX_DEPTH = 32  # real articles nest a few levels (a segment pair is two); 32 is far past any
# HTML elements that never take a closing tag: they do not nest.
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_TAG = lazy_pattern(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")


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
    depth = deepest = 0
    first: tuple[int, int] | None = None
    for match in _TAG.finditer(text, start):
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
