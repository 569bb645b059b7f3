"""Formats for people and for editors: `full`, `concise`, `grouped` and `pylint`.

`full` shows the offending source line with a caret under the finding. Long lines (a bilingual
segment line is often a thousand characters) are cut to a window around the finding, and the
caret is placed by display width, so it stays under the right character after CJK text.
Colour is used only when the caller asks for it (a terminal, `NO_COLOR` unset).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from loclint.model import Diagnostic, LineIndex
from loclint.output.common import safe_path, safe_text
from loclint.source import read_text

if TYPE_CHECKING:
    from loclint.results import RunResult

WINDOW = 100  # terminal columns of a long source line shown around the finding (a CJK character takes two)
_LEAD = 30  # of them, before the finding's column
_MAX_READ = 64 * 1024 * 1024

_BOLD, _RED, _CYAN, _DIM, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[36m", "\x1b[2m", "\x1b[0m"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


FIXABLE = "[*]"  # after the code of a finding `--fix` repairs, as ruff marks it


def _code(d: Diagnostic, color: bool, unsafe: bool) -> str:
    code = _paint(d.code, _RED + _BOLD, color)
    return f"{code} {_paint(FIXABLE, _CYAN, color)}" if d.fixable(unsafe) else code


def _headline(d: Diagnostic, color: bool, unsafe: bool) -> str:
    where = _paint(f"{safe_path(d.path)}:{d.line}:{d.column}:", _BOLD, color)
    return f"{where} {_code(d, color, unsafe)} {safe_text(d.message)}"


def concise(diagnostics: list[Diagnostic], run: RunResult, *, color: bool = False, unsafe: bool = False) -> str:
    return "".join(_headline(d, color, unsafe) + "\n" for d in diagnostics)


def grouped(diagnostics: list[Diagnostic], run: RunResult, *, color: bool = False, unsafe: bool = False) -> str:
    out: list[str] = []
    current = None
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        if d.path != current:
            if current is not None:
                out.append("\n")
            out.append(_paint(f"{safe_path(d.path)}:", _BOLD, color) + "\n")
            current = d.path
        out.append(f"  {d.line}:{d.column} {_code(d, color, unsafe)} {safe_text(d.message)}\n")
    return "".join(out)


def pylint(diagnostics: list[Diagnostic], run: RunResult) -> str:
    return "".join(f"{safe_path(d.path)}:{d.line}: [{d.code}] {safe_text(d.message)}\n" for d in diagnostics)


def full(diagnostics: list[Diagnostic], run: RunResult, *, color: bool = False, unsafe: bool = False) -> str:
    sources = _SourceLines(getattr(run, "texts", None) or {})
    out: list[str] = []
    for d in diagnostics:
        out.append(_headline(d, color, unsafe) + "\n")
        snippet = sources.line(d.path, d.line)
        if snippet is not None:
            out.extend(_snippet(d, snippet, color))
        out.append("\n")
    return "".join(out)


class _SourceLines:
    """Reads each file once, decoding it the way the checks did, to show the lines findings name."""

    def __init__(self, given: dict[str, str]) -> None:
        # Texts the run was handed (standard input) are quoted as checked, not as on disk.
        self._files: dict[str, tuple[str, LineIndex] | None] = {path: (text, LineIndex(text)) for path, text in given.items()}

    def line(self, path: str, number: int) -> str | None:
        if path not in self._files:
            read = read_text(Path(path), _MAX_READ)
            self._files[path] = (read.text, LineIndex(read.text)) if read.text is not None else None
        loaded = self._files[path]
        if loaded is None or not 1 <= number <= loaded[1].line_count:
            return None
        text, index = loaded
        start, end = index.line_span(number)
        return text[start:end].rstrip("\r\n")


def _snippet(d: Diagnostic, line: str, color: bool) -> list[str]:
    # A window of the line around the finding; `start`/`end` are 0-based character positions.
    start = min(max(d.column - 1, 0), len(line))
    end = d.end_column - 1 if d.end_line == d.line else len(line)
    end = max(end, start + 1)
    cut_from, cut_to = _window(line, start)
    ellipsis = "…" if cut_from else ""
    before = ellipsis + _display(line[cut_from:start])
    marked = _display(line[start : min(end, cut_to)])
    shown = ellipsis + _display(line[cut_from:cut_to]) + ("…" if cut_to < len(line) else "")
    gutter = " " * len(str(d.line))
    caret = " " * _width(before) + "^" * max(1, _width(marked))
    return [
        _paint(f"{gutter} |", _CYAN, color) + "\n",
        _paint(f"{d.line} |", _CYAN, color) + f" {shown}\n",
        _paint(f"{gutter} |", _CYAN, color) + " " + _paint(caret, _RED, color) + "\n",
    ]


def _window(line: str, start: int) -> tuple[int, int]:
    """The character range of `line` to show: about `_LEAD` columns before `start`, `WINDOW` in all.
    Counted in display columns, so a line of CJK text is cut as wide as a line of Latin text."""
    # A line is measured only when short: a 50 MB line is cut without being walked.
    if len(line) <= WINDOW // 2 or len(line) <= 4 * WINDOW and _width(line) <= WINDOW:
        return 0, len(line)
    cut_from, lead = start, 0
    while cut_from > 0 and lead + _width(line[cut_from - 1]) <= _LEAD:
        cut_from -= 1
        lead += _width(line[cut_from])
    cut_to, shown = cut_from, 0
    while cut_to < len(line) and shown + _width(line[cut_to]) <= WINDOW:
        shown += _width(line[cut_to])
        cut_to += 1
    while cut_from > 0 and cut_to == len(line) and shown + _width(line[cut_from - 1]) <= WINDOW:
        cut_from -= 1  # near the end of the line: fill the window from the left instead
        shown += _width(line[cut_from])
    return cut_from, cut_to


def _display(text: str) -> str:
    """What a terminal should show for a piece of a source line: tabs as spaces, controls escaped."""
    return safe_text(text.replace("\t", " "))


def _width(text: str) -> int:
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width
