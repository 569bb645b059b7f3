"""The built-in checks, one module per rule family. Each module declares the codes it implements
(`CODES`) and a `check(ctx)` generator; this table is the only registry."""

from loclint.checks import inputs, markup, metadata, placeholders, segments

FAMILY_CHECKS = (inputs, metadata, segments, markup, placeholders)


def implemented_codes() -> set[str]:
    return {code for module in FAMILY_CHECKS for code in module.CODES}
