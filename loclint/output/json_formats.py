"""`json` (one array, ruff's fields) and `json-lines` (one object per line, for streaming tools)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from loclint.model import Diagnostic
from loclint.output.common import as_json_object

if TYPE_CHECKING:
    from loclint.results import RunResult


def json_format(diagnostics: list[Diagnostic], run: RunResult) -> str:
    return json.dumps([as_json_object(d) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


def json_lines(diagnostics: list[Diagnostic], run: RunResult) -> str:
    # json.dumps escapes CR and LF inside strings, so each finding stays on exactly one line.
    return "".join(json.dumps(as_json_object(d), ensure_ascii=False) + "\n" for d in diagnostics)
