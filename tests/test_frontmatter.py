"""Front matter read line by line (the fast path) must be exactly what the safe loader reads
whole; whatever the fast path cannot be sure of goes to the loader."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from loclint.frontmatter import _TOP_LEVEL_KEY, _load_flat, read_front_matter

KEYS = ["title", "ms.date", "ms.custom", "yes", "on", "null", "a_b", "ms.search.validFrom", "k-1", "title"]
VALUES = [
    "", " ", "abc", "Application User", "14091", "0x1F", "1_000", "08/01/2017", "2016-02-28", "2016-02-28 10:00:00",
    "''", "'it''s'", '"5823848"', '"a\\tb"', "~", "null", "yes", "No", "on", "OFF", "true", "1.5", ".5", ".inf", "...",
    "a: b", "a:b", "a:", "x #c", "x#c", "- a", "[a, b]", "{a: 1}", "&anchor v", "*alias", "!!str 1", "|", ">",
    "%x", "@x", "`x`", "<<", "=", "?x", "tr-TR", "C:\\path", "a\u2028b", "a\x85b", "é ü 日本", "\ufeffx", "a\tb",
]
LINES = st.one_of(
    st.builds(lambda key, value: f"{key}:{' ' if value else ''}{value}", st.sampled_from(KEYS), st.sampled_from(VALUES)),
    st.sampled_from(["", "\r", "# comment", "k: v\r", "k:\tv", "  indented: 1", "- item", "continued text", "---", "key:value", "k:  v  "]),
)
DOCUMENTS = st.lists(LINES, max_size=8).map("\n".join)


@given(DOCUMENTS)
def test_line_by_line_equals_the_whole_load(text):
    flat = _load_flat(text)
    if flat is None:
        return  # left to the loader, which decides alone
    fast, offsets = flat
    whole = yaml.load(text, Loader=yaml.SafeLoader)
    assert offsets == {match.group(1).strip(): match.start(1) for match in _TOP_LEVEL_KEY.finditer(text)}
    assert fast == (whole or {})
    assert [type(value) for value in fast.values()] == [type(value) for value in (whole or {}).values()]
    assert list(fast) == list(whole or {})


def test_typical_microsoft_docs_front_matter_takes_the_fast_path():
    text = "title: CFO\nms.date: 08/01/2017\nms.prod: ''\nms.custom: 14091\nms.search.validFrom: 2016-02-28\nms.locfileid: \"5823848\"\n"
    assert _load_flat(text)[0] == yaml.safe_load(text)
    assert _load_flat(text.replace("\n", "\r\n"))[0] == yaml.safe_load(text)


def test_what_the_fast_path_cannot_read_goes_to_the_loader():
    for text in ["a: [1, 2]", "a:\n  - 1", "a: &x 1\nb: *x", "yes: 1", "a: 'open\n  close'", "a: b: c"]:
        assert _load_flat(text) is None, text
    broken = read_front_matter("---\na: b: c\n---\n")
    assert broken.error_code == "E004"


def test_long_values_are_read_but_not_remembered():
    from loclint.frontmatter import _MAX_MEMO_SCALAR, _scalar

    before = _scalar.cache_info().currsize
    value = "x" * (_MAX_MEMO_SCALAR + 1)
    assert _load_flat(f"description: {value}\n")[0] == {"description": value}
    assert _scalar.cache_info().currsize <= before + 1  # the key only
