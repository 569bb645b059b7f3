"""The skeleton's fast normalisation must give exactly the text of the position-tracking one:
B006 compares the fast text across locales and asks the tracked map only for a finding's column."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from loclint.skeleton import MAX_LINE, SEGMENT_MASK, normalise, normalised_text

# What the normalisation steps act on: masks, spaces, link and image text, alt text, directives.
PIECES = [
    SEGMENT_MASK, " ", "\t", "  ", "[", "]", "](", ")", "![", "[a [b] c](x)", 'alt="', 'alt-text="', '"', "=",
    "<!-- loclint-disable B006 -->", "<!--loclint-enable-->", "<!-- loclint-", "-->", "#", "1.", "|", "\u00a0",
    ':::image type="icon" source="a.png":::', ":::", "* ", "> ", "&quot;", '<a name="', ">", "</a>",
]
lines = st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet="ab \t[]()=\"!", max_size=6)), max_size=30).map("".join)


@given(lines, st.booleans())
def test_fast_text_equals_tracked_text(line, unescape):
    assert normalised_text(line, unescape) == normalise(line, unescape)[0]


def test_long_line_keeps_a_digest_of_its_tail():
    line = "| " + "x" * MAX_LINE + "tail"
    assert normalised_text(line) == normalise(line)[0]
    assert normalised_text(line) != normalised_text(line[:-1] + "T")


def test_examples():
    assert normalised_text(f"  1. {SEGMENT_MASK}  {SEGMENT_MASK} ") == f"1.{SEGMENT_MASK}"  # the spaces around a mask are part of it
    assert normalised_text(f"![{SEGMENT_MASK} alt](media/a.png)") == f"![{SEGMENT_MASK}](media/a.png)"
    assert normalised_text("<!-- loclint-disable-next-line B006 -->") == ""


def test_icon_line_keeps_its_markup_only():
    icon = ':::image type="icon" source="more.png":::'
    early, late = normalised_text(f"1. Select **More** {icon} to add an app."), normalised_text(f"1. To add an app, select **More** {icon}")
    assert early == late == f"1. {icon}"


def test_escaped_quotes_in_tags_read_as_quotes_only_when_asked():
    line = f'## <a name="intro&quot;></a>{SEGMENT_MASK}'
    assert normalised_text(line, unescape=True) == f'## <a name="intro"></a>{SEGMENT_MASK}'
    assert normalised_text(line) == line
