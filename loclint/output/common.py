"""What several renderers share: escaping text for terminals and the JSON object of a finding."""

from __future__ import annotations

from loclint.lazyre import lazy_pattern, regex
from loclint.model import Diagnostic

# Text taken from translations (and file names, which a pull request chooses) may hold terminal
# control sequences, line breaks and bidirectional controls. Every renderer neutralises them:
# - controls (ESC starts ANSI sequences; C1 holds CSI) drive a terminal or a CI log viewer;
# - a line break would let a translation start a line of its own in a CI log, where `::command::`
#   lines are obeyed (text formats escape it; JSON and XML escape it by their own rules);
# - bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069, the marks) reorder what
#   a reader sees ("Trojan Source"): shown as `\u202e`, in every format;
# - lone surrogates stand for bytes of a file name that are not UTF-8 (Python's surrogateescape):
#   shown as the byte, `\xff`, and never written raw (they cannot even be encoded).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_CONTROL = lazy_pattern(rf"[\x00-\x08\x0a-\x1f\x7f\x80-\x9f\u2028\u2029{_BIDI}\ud800-\udfff]")
# What stays dangerous inside a format that has its own escaping for line breaks (HTML, XML):
_INVISIBLE = lazy_pattern(rf"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f{_BIDI}\ud800-\udfff]")
# In JSON output: characters to write as `\uXXXX` so the bytes are inert while the parsed value
# is unchanged (json.dumps already escapes C0 controls).
_JSON_RAW = lazy_pattern(rf"[\x7f\x80-\x9f\u2028\u2029{_BIDI}\ud800-\udfff]")


def safe_text(text: str) -> str:
    """One line of text a terminal shows as it is: controls, breaks and bidi controls escaped."""
    if text.isprintable():  # every character `_CONTROL` escapes is a control, format or separator
        return text
    return _CONTROL.sub(_escape_char, text)


def visible_text(text: str) -> str:
    """`safe_text` that keeps tabs and line breaks, for formats that escape those themselves."""
    return _INVISIBLE.sub(_escape_char, text)


def safe_path(path: str) -> str:
    """A file name as text formats print it at the start of a line: escaped, and never starting
    with `-` (an option when pasted into a command) or `:` (a workflow command in a CI log)."""
    shown = safe_text(path)
    return "./" + shown if shown.startswith(("-", ":")) else shown


def inert_json(text: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) with bidi controls, C1 controls, line
    separators and lone surrogates written as JSON \\u escapes: the same value, harmless bytes."""
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _escape_char(match: regex.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


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
