"""Property-based tests: for any text, loclint returns diagnostics (never raises), every position
lies inside the file, and the output is the same on every run.

Bounded for CI by the `ci` profile (60 examples per test). Maintainers run longer with
`LOCLINT_HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties.py` (5,000 examples each).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loclint.config import load_settings
from loclint.engine import run
from loclint.fix import apply_fixes, encode_like
from loclint.model import Fix
from loclint.parse import new_variant, parse_variant
from loclint.source import decode

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("LOCLINT_HYPOTHESIS_PROFILE", "ci"))

# Pieces that exercise the parser's corners, glued together at random with arbitrary text.
PIECES = [
    "---\n", "---\r\n", "...\n", "title: x\n", "ms.contentlocale: tr-tr\n", "ms.custom: &a [1]\n", "k: *a\n",
    "\t- tab\n", '<span data-ttu-id="p-101">', '<span data-ttu-id=\'q"-7\'>', "</span>",
    '<span class="sxs-lookup">', '<span data-stu-id="p-101">', "<span>", "`code`", "**", "_", "[a](http://x/y)",
    "{0}", "1,000", "\r", "\n", "\r\n", "\ufeff", "\ufffd", "\x00", "\u202e", "ş", "日本", "&lt;x&gt;", "<b>",
]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=25).map("".join)


def _variant(text: str):
    variant = new_variant(Path("tr-tr/a.md"), "tr-tr/a.md", "tr-tr")
    return parse_variant(variant, decode(text.encode("utf-8", "surrogatepass")))


def _inside(diagnostic, lines: list[str]) -> bool:
    """Line within the file; column at most one past the end of that line."""
    if not 1 <= diagnostic.line <= max(1, len(lines)):
        return False
    length = len(lines[diagnostic.line - 1]) if lines else 0
    return 1 <= diagnostic.column <= length + 1


def _lines(text: str) -> list[str]:
    # The same line breaks as LineIndex: CRLF, CR or LF; a final break opens an empty line.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@given(texts)
def test_parser_never_raises_and_positions_stay_inside(text):
    variant = _variant(text)
    lines = _lines(variant.text)
    for problem in variant.problems:
        assert _inside(problem, lines), problem
    for segment in variant.segments:
        assert 0 <= segment.start <= segment.target_start <= segment.end <= len(variant.text)
        assert variant.text[segment.target_start : segment.target_start + len(segment.target)] == segment.target


@given(st.binary(max_size=200))
def test_decoding_any_bytes_never_raises(data):
    read = decode(data)
    assert read.text is not None or read.error_code in ("E002", "E007")


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(texts, min_size=1, max_size=3))
def test_whole_check_is_total_positioned_and_deterministic(bodies):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        written = {}
        for locale, body in zip(["en-us", "tr-tr", "de-de"], bodies):
            path = root / locale / "a.md"
            path.parent.mkdir(parents=True)
            path.write_bytes(body.encode("utf-8", "surrogatepass"))
            written[f"{locale}/a.md"] = decode(path.read_bytes()).text or ""
        cwd = os.getcwd()
        os.chdir(root)
        try:
            config = load_settings(None, {"select": ["ALL"]}, root)
            first = run(["."], config).diagnostics
            second = run(["."], config).diagnostics
        finally:
            os.chdir(cwd)
    assert first == second
    assert first == sorted(first, key=lambda d: d.sort_key())
    for diagnostic in first:
        assert _inside(diagnostic, _lines(written[diagnostic.path])), diagnostic


@given(texts, st.lists(st.tuples(st.integers(0, 40), st.integers(0, 10), st.text(max_size=5)), max_size=6))
def test_fixes_apply_inside_the_text_and_the_encoding_round_trips(text, edits):
    fixes = [Fix(start, start + length, content, True, "") for start, length, content in edits]
    fixed, applied = apply_fixes(text, fixes)
    assert applied <= len(fixes)
    for original in (b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        data = encode_like(fixed, original)
        assert data.startswith(original)
        if "\x00" not in fixed and "\ufeff" not in fixed[:1] and not any(0xD800 <= ord(c) <= 0xDFFF for c in fixed):
            assert decode(data).text == fixed
