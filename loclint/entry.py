"""The `loclint` command's entry point: answers `--version` before anything heavy is imported.

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
    from loclint.cli import main as cli

    cli()
