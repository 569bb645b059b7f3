"""Renderers: diagnostics to text. Each format is a function `(diagnostics, run) -> str`."""

from __future__ import annotations

import json
from collections.abc import Callable

import regex

from loclint.engine import RunResult
from loclint.model import Diagnostic

# Text taken from translations may hold terminal control sequences; text formats show them escaped.
_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def safe_text(text: str) -> str:
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def concise(diagnostics: list[Diagnostic], run: RunResult) -> str:
    lines = [f"{safe_text(d.path)}:{d.line}:{d.column}: {d.code} {safe_text(d.message)}" for d in diagnostics]
    return "\n".join(lines) + ("\n" if lines else "")


def as_json_object(d: Diagnostic) -> dict:
    fix = None
    if d.fix is not None:
        fix = {
            "applicability": "safe" if d.fix.safe else "unsafe",
            "message": d.fix.message,
            "edits": [{"content": d.fix.content, "start_offset": d.fix.start, "end_offset": d.fix.end}],
        }
    return {
        "code": d.code,
        "message": d.message,
        "filename": d.path,
        "location": {"row": d.line, "column": d.column},
        "end_location": {"row": d.end_line, "column": d.end_column},
        "fix": fix,
        "locale": d.locale,
        "article": d.article,
        "subject": d.subject,
    }


def json_format(diagnostics: list[Diagnostic], run: RunResult) -> str:
    return json.dumps([as_json_object(d) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[list[Diagnostic], RunResult], str]] = {
    "concise": concise,
    "json": json_format,
}


def summary(diagnostics: list[Diagnostic], run: RunResult) -> str:
    checked = f"{run.files} file{'s' if run.files != 1 else ''} in {run.groups} article group{'s' if run.groups != 1 else ''}"
    if not diagnostics:
        return f"All checks passed ({checked})."
    files = len({d.path for d in diagnostics})
    count = len(diagnostics)
    return f"Found {count} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''} ({checked} checked)."
