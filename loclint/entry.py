"""The `loclint` command's entry point: answers `--version`, or hands a `check --resident` to the
resident server (loclint/resident.py), before anything heavy is imported.

click and the command definitions cost several times the interpreter's own start-up; a version
check (editors and hook managers run one before every session) needs none of it. Every other
command line goes to click unchanged, so the output of `loclint --version` is the one click's
version option prints.
"""

from __future__ import annotations

import sys

_VERSION_FLAGS = (["--version"], ["-V"])


def main() -> None:
    if sys.argv[1:] in _VERSION_FLAGS:
        from loclint import __version__

        sys.stdout.write(f"loclint, version {__version__}\n")
        sys.stdout.flush()
        raise SystemExit(0)
    if resident_wanted(sys.argv[1:]):
        from loclint import resident

        code = resident.run(sys.argv[1:])
        if code is not None:
            raise SystemExit(code)
    from loclint.cli import main as cli

    cli()


def resident_wanted(argv: list[str]) -> bool:
    """A cheap first look (no import) before asking loclint/resident.py for its full answer."""
    if "--resident" not in argv:
        return False
    from loclint.resident import wanted

    return wanted(argv)
