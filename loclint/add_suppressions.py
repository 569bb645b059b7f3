"""`check --add-suppressions [REASON]`: a suppression comment for every current finding (ruff's
`--add-noqa`), so a team can adopt loclint in one commit without a baseline file.

Where a comment goes is chosen so that the rendered page does not change:

- a finding on the first line of a top-level block (a paragraph, heading, list, table, fence,
  block quote) gets `<!-- loclint-disable-next-line CODE -->` on the line before it;
- a finding further inside one (a later list item, a table row, a code line, the second line of
  a paragraph or of a span segment) gets `<!-- loclint-disable CODE -->` before the block and
  `<!-- loclint-enable CODE -->` after it: a comment line inside would end the list, cut the
  table, become code, or split the paragraph in two;
- a finding in the front matter, where an HTML comment would be YAML, gets
  `<!-- loclint-disable-file CODE -->` on the first line after it.

Comments start at column 0 on a line of their own, which CommonMark reads as an HTML block that
ends at `-->`; it may interrupt a paragraph, so the block before it ends where it ended anyway.
Files are rewritten as `--fix` rewrites them (see fix.py): only if they are as the check read
them, in their own encoding and line breaks, atomically.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from loclint.fix import Fingerprint, Refused, encode_like, write_atomically
from loclint.frontmatter import read_front_matter
from loclint.lazyre import lazy_pattern
from loclint.markdown import top_level_lines
from loclint.model import Diagnostic, LineIndex
from loclint.source import decode
from loclint.suppress import UNUSED

_DIRECTIVE_LINE = lazy_pattern(r"\s*<!--[ \t]*loclint-[a-z-]+\b.*?-->\s*")


@dataclass
class Outcome:
    """What `--add-suppressions` wrote, and the files it would not touch."""

    comments: int = 0  # comment lines written
    covered: int = 0  # findings they suppress
    files: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "path: why"


def clean_reason(reason: str | None) -> str | None:
    """The reason on one line; ValueError for one that would end the comment early."""
    if reason is None or not reason.strip():
        return None
    text = " ".join(reason.split())
    if "-->" in text or "--!>" in text:
        raise ValueError("the reason must not hold `-->`, which would end the comment")
    return text


def add_suppressions(diagnostics: list[Diagnostic], reason: str | None, before: dict[str, Fingerprint]) -> Outcome:
    """Write the comments; `before` holds each file's fingerprint taken before the check read it."""
    reason = clean_reason(reason)
    outcome = Outcome()
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in diagnostics:
        if diagnostic.code != UNUSED:  # an unused suppression is removed, not suppressed
            by_path[diagnostic.path].append(diagnostic)
    for display, found in sorted(by_path.items()):
        try:
            comments = _rewrite(Path(display), before.get(display), found, reason)
        except Refused as exc:
            outcome.refused.append(f"{display}: {exc}")
            continue
        except OSError as exc:
            outcome.refused.append(f"{display}: cannot write it: {exc.strerror or exc}")
            continue
        outcome.comments += comments
        outcome.covered += len(found)
        outcome.files.append(display)
    return outcome


def _rewrite(path: Path, expected: Fingerprint | None, found: list[Diagnostic], reason: str | None) -> int:
    import hashlib

    if expected is None:
        raise Refused("it could not be read before the check")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != expected.digest:
        raise Refused("the file changed since loclint read it; run loclint again")
    read = decode(data)
    if read.text is None or encode_like(read.text, data) != data:
        raise Refused("its bytes do not survive decoding unchanged (invalid or mixed encoding); fix the encoding first")
    text, comments = with_comments(read.text, found, reason)
    write_atomically(path, encode_like(text, data), expected)
    return comments


def with_comments(text: str, found: list[Diagnostic], reason: str | None) -> tuple[str, int]:
    """`text` with the comments that suppress `found` inserted; and how many lines were added."""
    lines = LineIndex(text)
    front = read_front_matter(text)
    if front.error_code == "E004" and not front.body_start:
        raise Refused("its front matter is never closed, so no line after it is safe; close it first")
    body_start = front.body_start
    body_line = _first_body_line(lines, body_start)
    blocks = top_level_lines(text, body_start, lines) if body_start < len(text) else []
    plan = _Plan()
    for diagnostic in found:
        if diagnostic.line < body_line:
            plan.file_codes.add(diagnostic.code)
            continue
        block = next(((first, last) for first, last in blocks if first <= diagnostic.line <= last), None)
        if block is None:
            plan.next_line[diagnostic.line].add(diagnostic.code)
        else:
            plan.in_block[block].append(diagnostic)
    return plan.apply(text, lines, body_line, reason)


def _first_body_line(lines: LineIndex, body_start: int) -> int:
    """The first line wholly after the front matter (its closing `---` line ends where the body starts)."""
    line, column = lines.position(body_start)
    return line + 1 if column > 1 else line


@dataclass
class _Plan:
    """The suppression comments one file needs, by where they go."""

    file_codes: set[str] = field(default_factory=set)
    next_line: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    in_block: dict[tuple[int, int], list[Diagnostic]] = field(default_factory=lambda: defaultdict(list))

    def apply(self, text: str, lines: LineIndex, body_line: int, reason: str | None) -> tuple[str, int]:
        # Comment lines to insert before each 1-based line (line_count + 1: at the end), in order.
        before: dict[int, list[str]] = defaultdict(list)
        ranges: list[tuple[int, int, set[str]]] = []
        for (first, last), found in self.in_block.items():
            codes = {d.code for d in found}
            if all(d.line == first for d in found) and not _directive_above(text, lines, first):
                self.next_line[first] |= codes
            else:
                ranges.append((first, last, codes))
        if self.file_codes:
            before[body_line].append(_comment("disable-file", self.file_codes, reason))
        for first, last, codes in sorted(ranges):
            before[_above_directives(text, lines, first)].append(_comment("disable", codes, reason))
            before[last + 1].insert(0, _comment("enable", codes, None))  # closes before the next block opens
        for line, codes in sorted(self.next_line.items()):
            before[line].append(_comment("disable-next-line", codes, reason))
        return _insert(text, lines, before), sum(len(items) for items in before.values())


def _comment(kind: str, codes: set[str], reason: str | None) -> str:
    because = f" -- {reason}" if reason else ""
    return f"<!-- loclint-{kind} {', '.join(sorted(codes))}{because} -->"


def _line_text(text: str, lines: LineIndex, number: int) -> str:
    start, end = lines.line_span(number)
    return text[start:end]


def _directive_above(text: str, lines: LineIndex, line: int) -> bool:
    """Is the line above a loclint comment? A `disable-next-line` there must keep its line."""
    return line > 1 and bool(_DIRECTIVE_LINE.fullmatch(_line_text(text, lines, line - 1)))


def _above_directives(text: str, lines: LineIndex, line: int) -> int:
    """The first of the loclint comment lines directly above `line` (or `line` itself)."""
    while _directive_above(text, lines, line):
        line -= 1
    return line


def _insert(text: str, lines: LineIndex, before: dict[int, list[str]]) -> str:
    pieces, cursor = [], 0
    for number in sorted(before):
        newline = _line_break(text, lines, number)
        comments = "".join(comment + newline for comment in before[number])
        if number > lines.line_count:  # after the last line, which has no line break
            pieces.append(text[cursor:] + newline + comments)
            cursor = len(text)
            continue
        start = lines.line_span(number)[0]
        pieces.append(text[cursor:start] + comments)
        cursor = start
    pieces.append(text[cursor:])
    return "".join(pieces)


def _line_break(text: str, lines: LineIndex, number: int) -> str:
    """The line break the inserted lines take: that of the line they go before, else of the one above."""
    for candidate in (number, number - 1):
        if 1 <= candidate <= lines.line_count:
            start, end = lines.line_span(candidate)
            ending = text[start:end][len(text[start:end].rstrip("\r\n")):]
            if ending:
                return ending
    return "\n"
