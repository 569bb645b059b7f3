"""B016 counts HTML, not code: a `<...>` inside a fenced code block or an inline code span is text.

Seen on OfficeDev/msteams-docs (2021 side-by-side and 2022 plain branches, 7 locales): every B016
finding (14 and 21) was C#/TypeScript generics in fenced code (`ITurnContext<IConversationUpdateActivity>`,
`Promise<void>`), a JSON placeholder in an indented fence (`"<organizer object ID>"`) or a deep-link
template in inline code (`/l/message/<channelId>/<parentMessageId>?…`), the same in every locale.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_tree import check_tree

from loclint.checks.nesting import MAX_DEPTH, code_spans, too_deep

GENERICS = "Task<IActivity> OnEvent(ITurnContext<IConversationUpdateActivity> context, Func<Promise> next)\n"  # 3 unclosed tags
TEMPLATE = "`https://teams.microsoft.com/l/message/" + "/".join(f"<part{n}>" for n in range(40)) + "`"
DEEP = "<span>" * (MAX_DEPTH + 8) + "x" + "</span>" * (MAX_DEPTH + 8)


def test_tags_in_fenced_code_do_not_nest() -> None:
    fenced = "Text\n\n```csharp\n" + GENERICS * 12 + "```\n"
    assert too_deep(fenced) is None


def test_tags_in_an_indented_fence_inside_a_list_do_not_nest() -> None:
    item = "1. Call it:\n\n    ```json\n" + '    "objectId": "<organizer object ID>",\n' * 40 + "    ```\n"
    assert too_deep(item) is None


def test_tags_in_inline_code_do_not_nest() -> None:
    assert too_deep(f"Use this format: {TEMPLATE}.\n") is None


def test_the_same_tags_outside_code_still_nest() -> None:
    """The hit case: the generics and the template, written as prose, are 40 unclosed tags."""
    found = too_deep("Use this format: " + TEMPLATE.strip("`") + "\n")
    assert found is not None and found[2] == 40
    assert too_deep(GENERICS * 12) is not None


def test_real_nesting_after_code_is_found_at_its_first_tag_past_the_limit() -> None:
    text = "```\n" + GENERICS * 12 + "```\n\n`<a><b>`\n\n" + DEEP + "\n"
    found = too_deep(text)
    assert found is not None
    offset, end, deepest = found
    first_span = text.index("<span>")
    assert deepest == MAX_DEPTH + 8
    assert (offset, end) == (first_span + 6 * MAX_DEPTH, first_span + 6 * (MAX_DEPTH + 1))


def test_code_spans_follow_commonmark_pairing() -> None:
    text = "a `x<b>` and `` y`z `` then ` lone\n```\ncode\n```\n~~~\nmore\n"
    found = [text[start:end] for start, end in code_spans(text)]
    assert found == ["`x<b>`", "`` y`z ``", "```\ncode\n```", "~~~\nmore\n"]  # the lone ` is literal


def test_code_spans_stay_linear_on_many_unpaired_backticks() -> None:
    line = "".join("`" * n + "x" for n in range(1, 400))  # 399 runs, no two of the same length
    assert code_spans(line) == []


def test_a_tree_with_tags_only_in_code_has_no_b016_and_one_with_deep_spans_has_one(tmp_path: Path) -> None:
    body = "# Title\n\n```typescript\n" + GENERICS * 12 + "```\n\nFormat: " + TEMPLATE + "\n"
    files = {f"{locale}/a.md": body for locale in ("de-DE", "fr-FR", "ja-JP")}
    files["de-DE/b.md"] = files["fr-FR/b.md"] = "# Title\n\nText.\n"
    files["ja-JP/b.md"] = "# Title\n\n" + DEEP + "\n"
    result = check_tree(tmp_path, files, {"select": ["B016"]})
    found = [(Path(d.path).as_posix(), d.line, d.column) for d in result.diagnostics]
    # The default front matter is 6 lines: `# Title` is line 7, the spans line 9; the first span
    # past the limit is the 33rd, at column 6 * 32 + 1.
    assert found == [("ja-JP/b.md", 9, 6 * MAX_DEPTH + 1)]


@pytest.mark.parametrize("piece", [1 << 16, 5])
def test_the_quick_tally_decides_as_the_tag_by_tag_scan_does(piece: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Also when the tally weighs the tags a few characters at a time (a big file's pieces)."""
    import random

    from loclint.checks import nesting
    from loclint.checks.nesting import _first_too_deep

    monkeypatch.setattr(nesting, "_PIECE", piece)

    rng = random.Random(7)
    pieces = ["<span>", "</span>", "<b>", "</b>", "<br>", "<img src='x'/>", "<i/>", "</p>", "`", "``", "\n", "```\n",
              "text ", "<span class=`x`>", "a > b", "<"]
    for _ in range(3_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 120)))
        if rng.random() < 0.3:
            text = "<span>" * rng.randint(30, 40) + text
        code = code_spans(text) if "`" in text or "~~~" in text else []
        assert too_deep(text) == _first_too_deep(text, 0, code), text


def test_the_tag_pattern_matches_as_its_plain_lazy_form_does() -> None:
    import random

    import regex

    from loclint.checks.nesting import _TAG

    lazy = regex.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")  # the readable form it must equal
    rng = random.Random(3)
    alphabet = "<>/ab-1 =\"'x\n"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        expected = [(match.span(), match.groups()) for match in lazy.finditer(text)]
        assert [(match.span(), match.groups()) for match in _TAG.finditer(text)] == expected, text
