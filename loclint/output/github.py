"""`github`: GitHub Actions workflow commands, one `::error` line per finding.

Messages quote text taken from translations, which anyone who can edit a translation controls.
GitHub reads a workflow command from the start of any line of the step's output, so an unescaped
line break in a message would let a translation start its own command (`::add-mask::`,
`::stop-commands::`). Every value is escaped the way the runner unescapes it: `%`, CR and LF in
the message; those and `:` and `,` in the properties, where they would end a property.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from loclint.lazyre import lazy_pattern
from loclint.model import Diagnostic
from loclint.output.common import visible_text

if TYPE_CHECKING:
    from loclint.results import RunResult

_DATA = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_PROPERTY = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})


# Terminal control characters (ESC, BEL, ...) other than CR and LF, which are %-escaped above:
# a CI log is read in a terminal too, and a translation must not be able to drive it.
_TERMINAL_CONTROL = lazy_pattern(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")


def _visible(text: str) -> str:
    """Also bidi controls and bytes of file names that are not UTF-8 (see output.common)."""
    return visible_text(_TERMINAL_CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text))


def escape_data(text: str) -> str:
    return _visible(text.translate(_DATA))


def escape_property(text: str) -> str:
    return _visible(text.translate(_PROPERTY))


def github(diagnostics: list[Diagnostic], run: RunResult) -> str:
    lines = []
    for d in diagnostics:
        properties = {
            "title": f"loclint ({d.code})",
            "file": d.path,
            "line": d.line,
            "col": d.column,
            "endLine": d.end_line,
            "endColumn": d.end_column,
        }
        rendered = ",".join(f"{name}={escape_property(str(value))}" for name, value in properties.items())
        lines.append(f"::error {rendered}::{escape_data(f'{d.code} {d.message}')}\n")
    return "".join(lines)
