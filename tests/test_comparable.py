"""`comparable` folds spaces with `str.split` where that is exact and with `_SPACES` elsewhere:
both ways must give what the plain definition gives, for any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from loclint.consistency import _EDGE_PUNCTUATION, _QUOTES, _SPACES, comparable

TRICKY = " a\tB\n\r\u00a0\u202f\u2009\u200b\u200e\u200f\u3000\x1c\x1f\x85\u2028.!“'İß"


def by_definition(text: str) -> str:
    return _SPACES.sub(" ", text).translate(_QUOTES).strip(_EDGE_PUNCTUATION).casefold()


@given(st.text(alphabet=TRICKY, max_size=12) | st.text(max_size=12))
def test_comparable_is_its_definition(text):
    assert comparable(text) == by_definition(text)


def test_examples():
    assert comparable("  Select\u00a0 “OK”.  ") == comparable('select "ok"')
    assert comparable("a\u200bb") == "a b"
    assert comparable("a\x1cb") == "a\x1cb"  # not a space to `_SPACES`
