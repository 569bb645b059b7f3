"""The table of built-in check families. Each module declares the codes it implements (`CODES`)
and a `check(ctx)` generator; this table is the only registry."""

from loclint.checks import (
    blocks,
    inputs,
    markup,
    metadata,
    placeholders,
    segments,
    terms,
    typography,
)

FAMILY_CHECKS = (inputs, metadata, segments, markup, placeholders, blocks, terms, typography)


def implemented_codes() -> set[str]:
    from loclint import (
        suppress,  # X001 is raised by the suppression filter, not by a check
    )

    return {code for module in (*FAMILY_CHECKS, suppress) for code in module.CODES}
