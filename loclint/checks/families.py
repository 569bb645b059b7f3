"""The table of built-in check families. Each module declares the codes it implements (`CODES`)
and a `check(ctx)` generator; this table is the only registry."""

from loclint.checks import (
    blocks,
    inputs,
    markup,
    metadata,
    nesting,
    placeholders,
    segments,
    terms,
    typography,
)

FAMILY_CHECKS = (inputs, metadata, segments, markup, nesting, placeholders, blocks, terms, typography)


def implemented_codes() -> set[str]:
    from loclint import (
        coverage,  # M007 is decided from the plan (which locales have which articles), before any check
        history,  # H is judged once per run from git, not per group (loclint/history.py)
        suppress,  # X001 is raised by the suppression filter, not by a check
    )

    return {code for module in (*FAMILY_CHECKS, coverage, history, suppress) for code in module.CODES}
