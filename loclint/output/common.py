"""What several renderers share: escaping text for terminals and the JSON object of a finding."""

from __future__ import annotations

import regex

from loclint.model import Diagnostic

# Text taken from translations may hold terminal control sequences and line breaks (a code span
# can span lines); text formats show them escaped, so every finding stays on its own line and a
# translation cannot start a line of its own in a CI log (where `::command::` lines are obeyed).
_CONTROL = regex.compile(r"[\x00-\x08\x0a-\x1f\x7f\x80-\x9f\u2028\u2029]")


def safe_text(text: str) -> str:
    return _CONTROL.sub(_escape_char, text)


def _escape_char(match: regex.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def as_json_object(d: Diagnostic) -> dict:
    """ruff's JSON fields, plus what loclint knows about the article, locale and subject."""
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
