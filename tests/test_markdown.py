"""Plain translated Markdown: block parsing with exact offsets, block alignment across locales,
and the CommonMark spec's examples as test data for the B rules."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
import regex

from loclint.config import load_settings
from loclint.engine import check_group
from loclint.markdown import CODE, HEADING, HTML, IMAGE, INCLUDE, ITEM, PARAGRAPH, RULE, TABLE, parse_blocks
from loclint.model import Group, LineIndex
from loclint.parse import new_variant, parse_variant
from loclint.source import decode

SPEC = json.loads((Path(__file__).parent / "fixtures" / "commonmark" / "spec-examples.json").read_text(encoding="utf-8"))

DOC = """---
title: T
---
# <a name="top"></a>Title {#top}

Intro with `code` and a [link](https://example.org/a "Title").

> [!NOTE]
> Keep MFA on.

1. First step.
2. Second step:

   ```powershell
   Get-MsolUser
   ```

- bullet

| a | b | c |
| --- | --- | --- |
| 1 | 2 | 3 |
| 4 | 5 | 6 |

[!INCLUDE [note](../includes/note.md)]

![Screenshot](media/shot.png)

<div class="x">
html
</div>

---

    indented code
"""


def _blocks(text: str):
    body = text.index("---\n", 4) + 4 if text.startswith("---") else 0
    return parse_blocks(text, body)


def test_every_block_kind_with_its_offset():
    blocks = _blocks(DOC)
    assert [block.kind for block in blocks] == [
        HEADING, PARAGRAPH, PARAGRAPH, ITEM, ITEM, CODE, ITEM, TABLE, INCLUDE, IMAGE, HTML, RULE, CODE,
    ]
    # Each block starts at its own text: after `# `, `> `, `1. ` and the list indentation.
    starts = [DOC[block.start : block.start + 12] for block in blocks]
    assert starts[0] == '<a name="top'
    assert starts[2] == "[!NOTE]\n> Ke"
    assert starts[3] == "First step.\n"
    assert starts[5] == "```powershel"
    assert starts[7] == "| a | b | c "
    heading, _, note, first, second, code, bullet, table, include, image, *_ = blocks
    assert heading.form == "h1#top#top"
    assert note.container == ("alert:NOTE",) and note.label == "NOTE alert paragraph"
    assert first.text == "1. First step." and first.content == "First step." and first.form == "ol"
    assert first.list_id == second.list_id != bullet.list_id and bullet.form == "ul"
    assert code.form == "fence:powershell" and code.text == "Get-MsolUser\n" and code.container == ("ol",)
    assert (table.columns, table.rows) == (3, 2)
    assert include.text.startswith("[!INCLUDE") and image.text == "![Screenshot](media/shot.png)"
    assert blocks[-1].form == "indented"
    # The end of a block is the end of its last line, without the line break.
    assert DOC[code.end - 3 : code.end] == "```"


def test_positions_are_the_same_with_crlf_line_endings():
    text = DOC.replace("\n", "\r\n")
    crlf, lf = LineIndex(text), LineIndex(DOC)
    assert [(crlf.position(b.start), crlf.position(b.end)) for b in _blocks_crlf(text)] == [
        (lf.position(b.start), lf.position(b.end)) for b in _blocks(DOC)
    ]


def _blocks_crlf(text: str):
    body = text.index("---\r\n", 4) + 5
    return parse_blocks(text, body)


def test_an_item_holding_only_a_nested_list_is_its_nested_item():
    # `- 7. April` is a bulleted item whose content became a numbered list: one item, numbered.
    blocks = _blocks("- 7. April\n- 8. Mai\n")
    assert [(block.kind, block.form, block.marker) for block in blocks] == [("item", "ol", "7. "), ("item", "ol", "8. ")]


# --- whole groups, without files -----------------------------------------------------------


def _group(texts: dict[str, str]) -> Group:
    variants = []
    for locale, text in texts.items():
        variant = new_variant(Path(f"{locale}/a.md"), f"{locale}/a.md", locale)
        parse_variant(variant, decode(text.encode("utf-8")))
        variants.append(variant)
    return Group(key="a.md", variants=variants)


@pytest.fixture(scope="module")
def settings():
    return load_settings(None, {"select": ["B", "P"]}, Path("/"))


def _findings(settings, texts: dict[str, str]) -> list[str]:
    result = check_group(_group(texts), settings)
    return sorted(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in result.diagnostics)


def test_one_missing_block_is_one_finding_not_a_cascade(settings):
    paragraphs = [f"Paragraph {n} mentions version {n}.{n} and `cmd{n}`." for n in range(1, 9)]
    full = "# Title\n\n" + "\n\n".join(paragraphs) + "\n"
    lacking = "# Title\n\n" + "\n\n".join(paragraphs[:3] + paragraphs[4:]) + "\n"
    texts = {"de-de": full, "fr-fr": lacking, "ro-ro": full, "tr-tr": full}
    found = _findings(settings, texts)
    # Right after paragraph 3 (the end of line 7), and nothing about the paragraphs after it.
    assert found == [
        "fr-fr/a.md:7:45: B008 paragraph (`Paragraph 4 mentions version 4.4 and `cmd4`.`) is missing here; "
        "3 of 4 locales have it"
    ]


def test_a_lost_token_in_an_aligned_block_is_reported_where_it_is(settings):
    texts = {
        "de-de": "# A\n\nSee [docs](https://example.org/x) for MFA.\n",
        "fr-fr": "# A\n\nVoir [docs](https://example.org/y) pour MFA.\n",
        "ro-ro": "# A\n\nVezi [docs](https://example.org/x) pentru MFA.\n",
    }
    assert _findings(settings, texts) == [
        "fr-fr/a.md:3:13: P002 URL `https://example.org/x` is missing in this paragraph "
        "(`https://example.org/y` instead?); 2 of 3 locales keep it"
    ]


def test_bilingual_variants_are_left_to_the_segment_checks(settings):
    bilingual = '<span data-ttu-id="a-1">Hallo</span><span class="sxs-lookup"><span data-stu-id="a-1">Hello</span></span>\n'
    texts = {"de-de": "# A\n\n" + bilingual, "fr-fr": "# A\n\nextra\n\nmore\n", "ro-ro": "# A\n\n" + bilingual}
    # Only one plain variant: nothing to align it with.
    assert [line for line in _findings(settings, texts) if " B00" in line and "B006" not in line] == []


# --- the CommonMark spec's examples as test data ---------------------------------------------

_EXAMPLES = [pytest.param(example["markdown"], id=f"spec-{example['example']}") for example in SPEC["examples"]]


def test_spec_sections_are_present():
    sections = {example["section"] for example in SPEC["examples"]}
    assert {"Emphasis and strong emphasis", "Code spans", "Links", "Fenced code blocks"} <= sections


@pytest.mark.parametrize("markdown", _EXAMPLES)
def test_spec_example_identical_in_every_locale_is_clean(settings, markdown):
    """No balance, structure or token finding when source and target are the spec example itself."""
    text = "---\ntitle: x\n---\n" + markdown
    assert _findings(settings, {"en-us": text, "de-de": text, "fr-fr": text}) == []


# Pseudo-translation: letters outside markup change, everything CommonMark reads stays. URLs,
# HTML tags, code spans and fence lines are kept, as a translator keeps them.
_KEEP = regex.compile(
    r"^[ \t]*(?:`{3,}|~{3,})[^\n]*|`+[^`]*`+|<[^>]*>|&\w+;|\]\([^)]*\)"
    r"|\b(?:https?|ftp|mailto|xref|www)\b[^\s)\]>]*|\[[^\]]*\]:[^\n]*",
    regex.MULTILINE,
)
_SHIFT = str.maketrans(string.ascii_lowercase, string.ascii_lowercase[13:] + string.ascii_lowercase[:13])


def pseudo_translate(markdown: str) -> str:
    out, cursor = [], 0
    for match in _KEEP.finditer(markdown):
        out.append(markdown[cursor : match.start()].translate(_SHIFT))
        out.append(match.group())
        cursor = match.end()
    out.append(markdown[cursor:].translate(_SHIFT))
    return "".join(out)


@pytest.mark.parametrize("markdown", _EXAMPLES)
def test_spec_example_pseudo_translated_keeps_its_balance(settings, markdown):
    """A translation that keeps every delimiter has the same markup counts as its source."""
    source = "---\ntitle: x\n---\n" + markdown
    target = "---\ntitle: x\n---\n" + pseudo_translate(markdown)
    balance = ("B001", "B002", "B003", "B004", "B005", "B008", "B009", "B010", "B012", "B013")
    found = [line for line in _findings(settings, {"en-us": source, "de-de": target, "fr-fr": target})
             if any(f" {code} " in line for code in balance)]
    assert found == []


def test_include_and_image_paths_are_link_targets(settings):
    texts = {
        "de-de": "[!INCLUDE [hinweis](../includes/note.md)]\n\n![Bild](media/a.png)\n",
        "fr-fr": "[!INCLUDE [remarque](../includes/remarque.md)]\n\nBild](media/a.png)\n",
        "ro-ro": "[!INCLUDE [notă](../includes/note.md)]\n\n![Imagine](media/a.png)\n",
    }
    found = _findings(settings, texts)
    # The damaged image is still paired with the images of the other locales (not missing + extra):
    # its count is off (B005) and its path is no longer a link target (P002), as in a segment.
    assert [line.split(" ", 2)[1] for line in found] == ["P002", "B005", "P002"]
    assert found[0].startswith("fr-fr/a.md:1:22: P002 URL `../includes/note.md`")
    assert found[1].startswith("fr-fr/a.md:3:1: B005 paragraph has no images where 2 of 3 locales have 1 image")
    assert found[2].startswith("fr-fr/a.md:3:1: P002 URL `media/a.png`")
