"""The segment scanner's fast path (one pattern per well-formed pair) must find exactly what the
tag-by-tag scan finds, or step aside: for any text, it returns None or the same scan."""

from __future__ import annotations

from unittest.mock import patch

from hypothesis import given
from hypothesis import strategies as st

from loclint import parse
from loclint.parse import _scan_tags, _scan_well_formed, scan_segments

PAIR = '<span data-ttu-id="p-{0}">{1}</span><span class="sxs-lookup"><span data-stu-id="p-{0}">{2}</span></span>'
INNER = ["text", "<b>bold</b>", '<span class="ui">UI</span>', "<SPAN>", "</SPAN >", "<span", "</span", "<", ">",
         '<span data-ttu-id="x">', '<span class="sxs-lookup">', "**", "&lt;", "\n", "</spanx>", "<spanner>",
         "<span data-ttu-id=&quot;x&quot;>", "<span class=&quot;sxs-lookup&quot;>"]
inner = st.lists(st.sampled_from(INNER), max_size=4).map("".join)
pairs = st.builds(PAIR.format, st.sampled_from(["101", "102", "p103"]), inner, inner)
glue = st.sampled_from(["", " ", "\n", "\r\n", "# ", "| ", "</span>", '<span data-ttu-id="q-9">', "<span>", "x"])
texts = st.lists(st.one_of(pairs, glue), max_size=8).map("".join)


@given(texts)
def test_fast_path_finds_what_the_tag_scan_finds(text):
    fast = _scan_well_formed(text, 0)
    if fast is not None:
        assert fast == _scan_tags(text, 0)


@given(texts, st.integers(1, 40))
def test_fast_path_finds_the_same_a_window_at_a_time(text, window):
    """Pairs are matched a window at a time (a big body's): cut anywhere, the scan is the same."""
    with patch.object(parse, "_WINDOW", window):
        fast = _scan_well_formed(text, 0)
    if fast is not None:
        assert fast == _scan_tags(text, 0)
    whole = _scan_well_formed(text, 0)
    assert (fast is None) == (whole is None) and (fast is None or fast == whole)


def test_a_body_of_many_small_pairs_takes_the_fast_path():
    """The bound on `<` holds per window, not per body: a file of a million pairs is no hostile one."""
    text = "\n".join(PAIR.format(index, f"<b>{index}</b>", f"<b>{index}</b>") for index in range(200))
    with patch.object(parse, "_MAX_FAST_TAGS", 100), patch.object(parse, "_WINDOW", 500):
        fast = _scan_well_formed(text, 0)
    assert fast is not None and len(fast.segments) == 200 and fast == _scan_tags(text, 0)


def test_well_formed_pairs_with_nested_spans_take_the_fast_path():
    text = "# " + PAIR.format("101", 'Select <span class="ui">OK</span>.', 'Select <span class="ui">OK</span>.') + "\n"
    fast = _scan_well_formed(text, 0)
    assert fast is not None and fast == _scan_tags(text, 0)
    assert [segment.target for segment in fast.segments] == ['Select <span class="ui">OK</span>.']


def test_a_stray_closer_sends_the_text_to_the_tag_scan():
    text = PAIR.format("101", "a", "a") + "</span>"
    assert _scan_well_formed(text, 0) is None
    assert scan_segments(text).stray_closers == [len(text) - len("</span>")]


def test_a_body_with_very_many_tags_takes_the_linear_scan():
    """`regex` keeps memory per `<` the pair pattern steps over: a hostile body is left to the
    tag-by-tag scan, which finds the same segment."""
    from loclint.parse import _MAX_FAST_TAGS

    text = PAIR.format("101", "<" * (_MAX_FAST_TAGS + 1), "s")
    assert _scan_well_formed(text, 0) is None
    assert [segment.source for segment in scan_segments(text).segments] == ["s"]


def test_escaped_pairs_are_set_aside_and_what_follows_still_pairs():
    escaped = PAIR.format("102", "b", "b").replace('"', "&quot;")
    text = PAIR.format("101", "a", "a") + " " + escaped + " " + PAIR.format("103", "c", "c")
    scan = scan_segments(text)
    assert [segment.key for segment in scan.segments] == ["101", "103"]
    assert [segment.key for segment in scan.escaped] == ["102"]
    assert scan.escaped_at == text.index("<span data-ttu-id=&quot;") and not scan.orphan_sources
