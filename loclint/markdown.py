"""A variant's Markdown body to a flat list of blocks, with offsets into the file text.

Plain translated Markdown has no segment ids to pair a translation with its source, so the
blocks are what gets paired instead (see `checks/blocks.py`). Parsing uses markdown-it-py's
CommonMark block parser (plus GFM tables): containers, lazy continuation lines, fences inside
list items and HTML blocks are hard to get right by hand, and the parser gives each block its
source lines, from which the offsets are computed here. Inline text is left raw: the tokens and
markup counts of a block come from `tokens.analyse`, like those of a bilingual segment.

Each block is a leaf that carries its container path, so a list is a run of `item` blocks and a
note is a run of blocks whose container says `alert:NOTE`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from loclint.lazyre import DOTALL, IGNORECASE, lazy_pattern, regex
from loclint.model import LineIndex

if TYPE_CHECKING:  # imported when a plain file is first parsed: bilingual runs never need it
    from markdown_it import MarkdownIt

HEADING, PARAGRAPH, ITEM, CODE, TABLE, HTML, INCLUDE, IMAGE, RULE = (
    "heading", "paragraph", "item", "code", "table", "html", "include", "image", "rule",
)

_ALERT = lazy_pattern(r"\s*\[!([A-Za-z][A-Za-z-]*)\]")
_INCLUDE = lazy_pattern(r"\s*\[!(?:INCLUDE|include)\s*\[[^\]]*\]\([^)]*\)\]\s*$")
_IMAGE_ONLY = lazy_pattern(r"\s*(?:\[\s*)?!\[[^\]]*\]\([^)]*\)(?:\s*\]\([^)]*\))?\s*$")
# Explicit heading ids that in-page links target: `{#custom-id}` (Docusaurus, Hugo, MkDocs attr_list)
# and `<a name="id"></a>` / `<a id="id">` (Microsoft Docs).
# An HTML block of loclint comments only (`<!-- loclint-disable-next-line P004 -->`): a note to
# loclint, not part of the article, so adding one to a single locale changes no block alignment.
_DIRECTIVES_ONLY = lazy_pattern(r"(?:\s*<!--[ \t]*loclint-[a-z-]+\b.*?-->)+\s*", DOTALL)
_HEADING_ANCHOR = lazy_pattern(r"""\{#([\w-]+)\}|<a\s+(?:name|id)\s*=\s*["']([^"']*)["']""", IGNORECASE)


@dataclass(frozen=True, slots=True)
class Block:
    """One Markdown block: its kind, span in the file, compared text and form."""

    kind: str
    start: int  # offset of the block's first content character in the file text
    end: int  # offset just past its last line (line break excluded)
    text: str  # what is compared: inline content, code content, table cells joined by ` | `
    container: tuple[str, ...] = ()  # outermost first: "ol", "ul", "quote", "alert:NOTE"
    form: str = ""  # what must stay the same when the block is kept: `h2`, `fence:powershell`, ...
    list_id: int = -1  # items of one list share it; -1 for blocks outside lists
    columns: int = 0  # tables only
    rows: int = 0  # tables only: body rows
    marker: str = ""  # ordered list items: the number and delimiter that `text` starts with (`7. `)

    @property
    def content(self) -> str:
        """The text without an ordered item's number, which renumbering changes freely."""
        return self.text[len(self.marker):]

    @property
    def label(self) -> str:
        """A short human name: `heading`, `list item`, `code block`, `note`..."""
        noun = {ITEM: "list item", CODE: "code block", HTML: "HTML block", RULE: "thematic break"}.get(self.kind, self.kind)
        alert = next((part[6:] for part in self.container if part.startswith("alert:")), None)
        if alert and self.kind == PARAGRAPH:
            return f"{alert} alert paragraph"
        return noun


@cache
def _parser() -> MarkdownIt:
    # CommonMark plus GFM tables; no linkify or typographer: the text stays as written. The
    # inline pass is switched off (it is half the parse time): inline tokens keep their raw
    # `content`, which is all the checks need.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


@dataclass(frozen=True, slots=True)
class RenderedEmphasis:
    """What a reader sees of a text's emphasis once CommonMark has paired its markers."""

    spans: Counter  # "em" / "strong" -> count; spans of one kind separated by spaces only count once
    stray: int  # `*` and `_` printed literally (markers that paired with nothing), escapes left out


@cache
def _inline_parser() -> MarkdownIt:
    # text_join would merge escaped characters (`\*`) into plain text: kept apart, they are not stray.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").disable("text_join")


def rendered_emphasis(text: str) -> RenderedEmphasis:
    """The emphasis of one inline text as rendered. Slower than counting delimiter runs
    (`tokens.analyse`), so callers use it only to confirm a count that differs."""
    spans: Counter = Counter()
    stray = 0
    closed = ""  # the kind of span just closed, while only spaces follow it
    for token in _inline_parser().parseInline(text)[0].children or []:
        kind = token.type.partition("_")[0]
        if token.type in ("em_open", "strong_open"):
            if closed != kind:  # `**Size** **groups**` is one span to the reader: 尺寸组
                spans[kind] += 1
            closed = ""
        elif token.type in ("em_close", "strong_close"):
            closed = kind
        elif token.type == "text":
            stray += token.content.count("*") + token.content.count("_")
            closed = closed if not token.content.strip() else ""
        else:  # an escaped character (`\>`), code, a tag or a link: visible, so spans part
            closed = ""
    return RenderedEmphasis(spans, stray)


def parse_blocks(text: str, body_start: int, lines: LineIndex | None = None) -> list[Block]:
    """The blocks of `text[body_start:]`; offsets are into `text`."""
    lines = lines or LineIndex(text)
    body = text[body_start:]
    first_line = lines.position(body_start)[0]
    return _Walker(text, lines, first_line).walk(_parser().parse(body))


def top_level_lines(text: str, body_start: int, lines: LineIndex | None = None) -> list[tuple[int, int]]:
    """(first, last) 1-based file lines of each top-level block of the body: a whole list, table,
    block quote, fence or paragraph, the units that a line inserted between them cannot break."""
    lines = lines or LineIndex(text)
    first_line = lines.position(body_start)[0]
    spans = []
    for token in _parser().parse(text[body_start:]):
        if token.level == 0 and token.map and token.nesting >= 0:
            start, end = token.map
            spans.append((first_line + start, first_line + end - 1))
    return spans


class _Walker:
    """Turns markdown-it's token stream into leaf blocks, tracking containers on a stack."""

    def __init__(self, text: str, lines: LineIndex, first_line: int) -> None:
        self.text = text
        self.lines = lines
        self.first_line = first_line  # 1-based file line of the body's line 0
        self.blocks: list[Block] = []
        self.container: list[str] = []
        self.lists: list[int] = []  # list ids, innermost last
        self.item_open: list[bool] = []  # per open item: has its first paragraph been taken?
        self.next_list = 0
        self.marker = ""  # the number and delimiter of the ordered item being read (`7.`)

    def walk(self, tokens) -> list[Block]:
        index = 0
        while index < len(tokens):
            index = self._step(tokens, index)
        return self.blocks

    def _step(self, tokens, index: int) -> int:
        token = tokens[index]
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            self.container.append("ol" if kind == "ordered_list_open" else "ul")
            self.lists.append(self.next_list)
            self.next_list += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.container.pop()
            self.lists.pop()
        elif kind == "list_item_open":
            self.item_open.append(False)
            # An ordered item's number is compared with its text: `- 7. April` read as a list
            # marker must not look like a lost `7`, and a renumbered step is worth a finding.
            self.marker = f"{token.info}{token.markup} " if token.info else ""
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if following is not None and following.type in ("bullet_list_open", "ordered_list_open"):
                # `- 7. April...` (or a doubled marker, `1. 1. Step`) is an item that opens with a
                # nested list: its first nested item stands for it, so a date read as a list marker
                # is one form change, not an extra item, and a paragraph after the nested list is
                # the item's next paragraph, not its text.
                self.item_open[-1] = True
            elif following is None or following.type != "paragraph_open":
                # An item that starts with a code block still counts in the list.
                self.item_open[-1] = True
                self._add(ITEM, token.map, "", form=self.container[-1], list_id=self.lists[-1])
        elif kind == "list_item_close":
            self.item_open.pop()
        elif kind == "blockquote_open":
            self.container.append(self._quote_kind(tokens, index))
        elif kind == "blockquote_close":
            self.container.pop()
        elif kind == "heading_open":
            inline = tokens[index + 1]
            self._add(HEADING, token.map, inline.content, form=_heading_form(token.tag, inline.content))
            return index + 3
        elif kind == "paragraph_open":
            self._paragraph(token.map, tokens[index + 1].content)
            return index + 3
        elif kind in ("fence", "code_block"):
            form = f"fence:{token.info.strip().split(' ')[0].lower()}" if kind == "fence" else "indented"
            self._add(CODE, token.map, token.content, form=form, at_line_start=kind == "fence")
        elif kind == "html_block":
            if not _DIRECTIVES_ONLY.fullmatch(token.content):
                self._add(HTML, token.map, token.content.rstrip("\n"))
        elif kind == "hr":
            self._add(RULE, token.map, "")
        elif kind == "table_open":
            return self._table(tokens, index)
        return index + 1

    def _quote_kind(self, tokens, index: int) -> str:
        """`alert:NOTE` for a `> [!NOTE]` block quote (Microsoft Docs, GitHub), else `quote`."""
        following = tokens[index + 2] if index + 2 < len(tokens) else None
        if following is not None and following.type == "inline":
            found = _ALERT.match(following.content)
            if found and not _INCLUDE.match(following.content):
                return f"alert:{found.group(1).upper()}"
        return "quote"

    def _paragraph(self, where, content: str) -> None:
        if _INCLUDE.match(content):
            self._add(INCLUDE, where, content)
        elif self.item_open and not self.item_open[-1] and self._inside_item_directly():
            self.item_open[-1] = True
            form = self.container[-1] if self.container else ""
            self._add(ITEM, where, content, form=form, list_id=self.lists[-1] if self.lists else -1,
                      marker=self.marker)
        elif _IMAGE_ONLY.match(content):
            self._add(IMAGE, where, content)
        else:
            self._add(PARAGRAPH, where, content)

    def _inside_item_directly(self) -> bool:
        return bool(self.container) and self.container[-1] in ("ol", "ul")

    def _table(self, tokens, index: int) -> int:
        where = tokens[index].map
        cells: list[str] = []
        header_cells = rows = 0
        in_head = False
        while index < len(tokens) and tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open" and not in_head:
                rows += 1
            elif token.type == "th_open":
                header_cells += 1
            elif token.type == "inline":
                cells.append(token.content)
            index += 1
        self._add(TABLE, where, " | ".join(cells), columns=header_cells, rows=rows)
        return index + 1

    def _add(self, kind: str, where, content: str, *, form: str = "", list_id: int = -1,
             columns: int = 0, rows: int = 0, at_line_start: bool = False, marker: str = "") -> None:
        first, last = where if where else (0, 1)
        line_start, _ = self.lines.line_span(self.first_line + first)
        _, end = self.lines.line_span(min(self.first_line + last - 1, self.lines.line_count))
        while end > line_start and self.text[end - 1] in "\r\n":  # line_span's end holds the break
            end -= 1
        start = self._content_start(line_start, content, at_line_start)
        self.blocks.append(Block(kind, start, max(start, end), marker + content, tuple(self.container), form,
                                 list_id, columns, rows, marker))

    def _content_start(self, line_start: int, content: str, at_line_start: bool) -> int:
        """Where the block's own text begins on its first line: after indentation, `>` and list markers."""
        line_end = self.lines.line_span(self.lines.position(line_start)[0])[1]
        raw = self.text[line_start:line_end]
        if not at_line_start:
            head = content.split("\n", 1)[0].strip()
            if head:
                found = raw.find(head[:40])
                if found >= 0:
                    return line_start + found
        stripped = len(raw) - len(raw.lstrip(" \t>"))
        return line_start + stripped


def _heading_form(tag: str, content: str) -> str:
    anchors = [a or b for a, b in _HEADING_ANCHOR.findall(content)]
    return tag + "".join(f"#{anchor}" for anchor in anchors)
