"""Front matter read line by line (the fast path) must be exactly what the safe loader reads
whole; whatever the fast path cannot be sure of goes to the loader."""

from __future__ import annotations

import pytest
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
    for text in ["a: [1, 2]", "a:\n  - - 1", "a:\n  - 1\n    - 2", "a: &x 1\nb: *x", "yes: 1", "a: 'open\n  close'", "a: b: c"]:
        assert _load_flat(text) is None, text
    broken = read_front_matter("---\na: b: c\n---\n")
    assert broken.error_code == "E004"


def test_long_values_are_read_but_not_remembered():
    from loclint.frontmatter import _MAX_MEMO_SCALAR, _loaded_scalar

    before = _loaded_scalar.cache_info().currsize
    value = "1" * (_MAX_MEMO_SCALAR + 1)  # an int to YAML: only the loader can read it
    assert _load_flat(f"description: {value}\n")[0] == {"description": int(value)}
    assert _loaded_scalar.cache_info().currsize == before


# Spellings at the edges of YAML 1.1's implicit types, as the safe loader resolves them.
_EDGE_SCALARS = [
    "article", "title", "True", "true", "TRUE", "tRue", "yes", "Yes", "y", "n", "on", "Off", "null", "Null", "nUll",
    "~", "0", "07", "08", "0x1F", "0b101", "0o17", "1_000", "190:20:30", "1.5", "1e3", "1.5e+3", ".5", "-.inf", ".NaN",
    ".nan.", "2016-02-28", "2016-2-8", "2016-02-28 10:00:00", "2016-02-28T10:00:00Z", "06/15/2018", "5823848",
    "26072-103", "a3569-p102", "dead-beef", "abc", "ms.topic", "ZZ", "t", "T", "x", "B", "e", "E", "<<", "=", "==",
    "a:b", "a,b", "x]", "x}", "a?", "a# b", "mvc, seo-msft", "'quoted'", "'it''s'", '"double"', "''", '""',
    "'  spaced  '", "café", "日本語", "Microsoft Authenticator",
]


def test_the_fast_path_reads_every_scalar_as_the_loader_does():
    import random

    from loclint.frontmatter import _flat_scalar, _scalar

    rng = random.Random(20261207)
    alphabet = "0123456789abcdefnorstuxyABEFNOTYZ+-._:~'\" ,#é"
    generated = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))) for _ in range(20_000)]
    parts = ["2018", "5", "05", "31", "-", ":", ".", "T", "t", " ", "Z", "+01", "-05:00", "10", "0", "1e", "+3", "0x",
             "0b", "0o", "_", "7d0cfb", "e5", "inf", "nan", "NaN", "Inf"]
    generated += ["".join(rng.choice(parts) for _ in range(rng.randint(1, 7))) for _ in range(20_000)]
    for spelling in _EDGE_SCALARS + generated:
        spelling = spelling.strip(" ")
        if not spelling or not _flat_scalar(spelling):
            continue
        try:
            expected = yaml.safe_load(spelling)
        except yaml.YAMLError:
            continue  # the whole-document path reports these
        except ValueError:  # a type's spelling the loader cannot build (`0b_`): E004, both ways
            with pytest.raises(ValueError):
                _scalar(spelling)
            continue
        found = _scalar(spelling)
        assert (found, type(found)) == (expected, type(expected)), spelling


def test_front_matter_of_plain_strings_is_read_without_yaml():
    import subprocess
    import sys

    script = (
        "import sys; from loclint.frontmatter import read_front_matter;"
        "data = read_front_matter('---\\ntitle: A title\\nms.topic: article\\nms.date: 06/15/2018\\n---\\n').data;"
        "assert data == {'title': 'A title', 'ms.topic': 'article', 'ms.date': '06/15/2018'}, data;"
        "print('yaml' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("value", ["2018-13-45", "0b_", "0x_"])
def test_a_value_the_loader_cannot_build_is_an_e004_not_a_crash(value):
    found = read_front_matter(f"---\ntitle: T\nms.date: {value}\n---\nBody\n")
    assert found.error_code == "E004"
    assert "cannot read" in found.error and found.error_offset == 4


def test_lists_of_scalars_are_read_on_the_fast_path_as_the_loader_reads_them():
    import random

    rng = random.Random(11)
    lines = ["ms.custom:", "title: T", "ms.date: 2018-05-31", "- a", "- \"3800004\"", "  - b", "  - 7", "- ", "-  c",
             "- - d", "- e: f", "    - g", "# note", "", "key: ''", "- 'x y'", "- true", "tags:"]
    read = 0
    for _ in range(20_000):
        text = "\n".join(rng.choice(lines) for _ in range(rng.randint(1, 8))) + "\n"
        flat = _load_flat(text)
        if flat is None:
            continue
        read += 1
        assert flat[0] == (yaml.safe_load(text) or {}), text
    assert read > 1_000  # the fast path is taken, lists included
    assert _load_flat("ms.custom:\n- \"3800004\"\n- seo\ntitle: T\n")[0] == {"ms.custom": ["3800004", "seo"], "title": "T"}
