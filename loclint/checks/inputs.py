"""E: input errors. Reading and parsing record them on the variant (E001-E007, E011); a group where two
files claim one locale gets E008 here, and only the first of them is compared."""

from __future__ import annotations

from collections.abc import Iterator

from loclint.checks.context import Context
from loclint.model import Diagnostic, Group, Variant

CODES = ("E001", "E002", "E003", "E004", "E005", "E006", "E007", "E008", "E009", "E010", "E011")


def split_duplicates(group: Group) -> tuple[list[Variant], list[tuple[Variant, Variant]]]:
    """The readable variants one per locale, and (duplicate, the variant it duplicates) pairs."""
    first_by_locale: dict[str, Variant] = {}
    comparable: list[Variant] = []
    duplicates: list[tuple[Variant, Variant]] = []
    for variant in group.variants:
        if not variant.readable:
            continue
        if variant.locale is None:
            comparable.append(variant)
            continue
        first = first_by_locale.setdefault(variant.locale, variant)
        if first is variant:
            comparable.append(variant)
        else:
            duplicates.append((variant, first))
    return comparable, duplicates


def check(ctx: Context) -> Iterator[Diagnostic]:
    for variant in ctx.group.variants:
        for problem in variant.problems:
            yield problem
    if ctx.enabled("E008"):
        for duplicate, first in split_duplicates(ctx.group)[1]:
            yield ctx.diagnostic(
                duplicate, "E008",
                f"another file of this article, {first.display_path}, already claims locale `{duplicate.locale}`; "
                "this one is not compared",
                0,
            )
