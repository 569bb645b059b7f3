"""Pattern hints let `analyse` skip a literal pattern on texts that cannot hold a match. A wrong
hint would silently hide tokens, so every shipped hint is checked against its pattern here."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loclint.patterns import PatternError, build_patterns
from loclint.tokens import analyse

SHIPPED = build_patterns()
# Pieces the shipped literal patterns are made of, glued at random with plain text.
PIECES = [
    "{", "}", "0", "12", "name", "%", "1$", "d", "s", ".2f", "$(", ")", "var", "&lt;", "&gt;", "x-y", "C", ":", "\\",
    "\\\\", "/", "~", "etc", "hosts", ".", " ", "Program Files", "@", "example", "com", "-", "0123abcd", "ABCD",
    "89ab", "0123456789ab", "é", "ж", "日本",
]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=20).map("".join)


@given(texts)
def test_every_match_of_a_shipped_pattern_holds_one_of_its_hints(text):
    for kind, pattern, hints in SHIPPED.literal_kinds:
        assert hints is not None, kind
        for match in pattern.finditer(text):
            assert any(hint in match.group() for hint in hints), (kind, match.group())


@pytest.mark.parametrize("text", ["Use {0} and %1$d", "Open C:\\Program Files\\App\\", "See \\\\server\\share\\x",
                                  "Edit /etc/hosts", "Mail admin@example.com", "Id 0123abcd-0123-4567-89ab-0123456789ab"])
def test_hinted_and_unhinted_analysis_agree(text):
    # The whole text as the only hint: every pattern scans it, as without hints.
    always_scanned = build_patterns({f"{name}-hints": [text] for name in ("placeholders", "paths", "email", "guid")})
    assert analyse(text, SHIPPED).tokens == analyse(text, always_scanned).tokens
    assert analyse(text, SHIPPED).tokens  # each example holds a literal token


def test_a_replaced_pattern_drops_the_shipped_hints():
    patterns = build_patterns({"email": r"\b\w+ at \w+ dot com\b"})
    email = next(entry for entry in patterns.literal_kinds if entry[0] == "email")
    assert email[2] is None
    assert [token.text for token in analyse("write to admin at example dot com", patterns).tokens if token.kind == "email"] == [
        "admin at example dot com"
    ]


def test_hints_must_be_strings():
    with pytest.raises(PatternError, match="email-hints"):
        build_patterns({"email-hints": "@"})
