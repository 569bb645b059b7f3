"""The data every part of loclint shares: positions, segments, variants, groups and diagnostics.

Parsers store character offsets only; line and column are computed from a `LineIndex` when a
diagnostic is built, so the model stays cheap to produce and exact for CRLF and mixed line endings.
"""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loclint.lazyre import lazy_pattern

if TYPE_CHECKING:
    from loclint.skeleton import MaskedOffsets, Skeleton, SkeletonLine

_LINE_BREAK = lazy_pattern(r"\r\n|\r|\n")


class LineIndex:
    """Maps a character offset in a text to a 1-based (line, column).

    A line ends at CRLF, LF or a lone CR, so positions stay right in files with mixed endings.
    """

    __slots__ = ("_starts", "_length")

    def __init__(self, text: str) -> None:
        self._starts = array("q", (0,))  # 8 bytes a line; a list of ints held 40
        if "\r" in text:
            self._starts.extend(m.end() for m in _LINE_BREAK.finditer(text))
        else:  # LF only: `str.find` skips a 50 MB line ~10x faster than a regex scan
            index = text.find("\n")
            while index >= 0:
                self._starts.append(index + 1)
                index = text.find("\n", index + 1)
        self._length = len(text)

    def __getstate__(self) -> tuple[bytes, int]:
        return self._starts.tobytes(), self._length  # the parse cache's unpickler builds no `array`

    def __setstate__(self, state: tuple[bytes, int]) -> None:
        self._starts = array("q")
        self._starts.frombytes(state[0])
        self._length = state[1]

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, self._length))
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_span(self, line: int) -> tuple[int, int]:
        """Start and end offsets (end excludes the line break) of a 1-based line."""
        start = self._starts[line - 1]
        end = self._starts[line] if line < len(self._starts) else self._length
        return start, end

    @property
    def line_count(self) -> int:
        return len(self._starts)


@dataclass(frozen=True, slots=True)
class Fix:
    """A replacement of text[start:end] by `content`, in the file the diagnostic names."""

    start: int
    end: int
    content: str
    safe: bool
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding. `path` is as shown to the user; positions are 1-based, columns in characters."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    message: str
    locale: str | None = None
    article: str | None = None
    # What the finding is about, stable across edits elsewhere in the file: a segment key
    # ("103"), a metadata key ("ms.custom"), or None for whole-file findings. Baselines key on it.
    subject: str | None = None
    # The segment's source and target text and the offending token, for reports that show them.
    source_text: str | None = None
    target_text: str | None = None
    token: str | None = None
    fix: Fix | None = None
    # When `source_text` is not the source's but another locale's (a plain file judged by the
    # majority): that locale, so reports do not call it the source.
    compared_locale: str | None = None

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def fixable(self, unsafe: bool = False) -> bool:
        """Would `--fix` repair it (with `--unsafe-fixes` when `unsafe`)? The one test of that."""
        return self.fix is not None and self.code not in NEVER_FIXED and (self.fix.safe or unsafe)


# Codes whose findings are never fixed, whatever a check offers: a stale `ms.sourcegitcommit`
# must stay visible until the translation is actually updated.
NEVER_FIXED = frozenset({"M002"})


@dataclass(slots=True)
class Segment:
    """A bilingual segment: the translated target span and its side-by-side English source span."""

    id: str  # the full id, "26072-103"
    prefix: str  # per-file part, "26072"
    key: str  # the part shared by every locale, "103" or "p102"
    target: str
    # Where the target and source texts start, counted from `start`: offsets past 256 are an
    # integer object each, these short distances the interpreter's shared ones (64 bytes a segment).
    target_at: int
    source: str | None  # None when the sxs-lookup span is missing
    source_at: int | None
    source_id: str | None  # the data-stu-id, which should equal `id`
    start: int  # offset of the opening `<span data-ttu-id`
    end: int  # offset just past the whole pair

    @property
    def target_start(self) -> int:
        """The offset of the target text."""
        return self.start + self.target_at

    @property
    def source_start(self) -> int | None:
        """The offset of the source text, None without one."""
        return None if self.source_at is None else self.start + self.source_at


@dataclass(slots=True)
class Variant:
    """One locale's file of an article, parsed."""

    path: Path
    display_path: str
    locale: str | None  # normalised lower case: "tr-tr"
    place_locale: str | None  # the locale the file's place says (folder or file name), if any
    text: str = ""
    lines: LineIndex | None = None
    readable: bool = False  # False when the bytes could not be decoded at all
    front_matter: dict[str, Any] | None = None
    key_offsets: dict[str, int] = field(default_factory=dict)  # front-matter key -> offset
    front_matter_end: int = 0  # offset where the body starts
    segments: list[Segment] = field(default_factory=list)
    skeleton: Skeleton | list[SkeletonLine] = field(default_factory=list)  # the frame outside segments, per line
    skeleton_map: MaskedOffsets | None = None  # skeleton positions back to offsets in `text`
    orphan_sources: list[tuple[str, int]] = field(default_factory=list)  # (stu id, offset) with no target
    stray_span_closers: list[int] = field(default_factory=list)  # offsets of `</span>` closing nothing
    broken_keys: set[str] = field(default_factory=set)  # segments E005 already reports as unreadable
    problems: list[Diagnostic] = field(default_factory=list)  # input errors met while reading
    report: bool = True  # False for siblings loaded only to judge the files named on the command line

    def position(self, offset: int) -> tuple[int, int]:
        return self.lines.position(offset) if self.lines else (1, 1)

    def skeleton_offset(self, line: SkeletonLine, index: int) -> int:
        """The offset in `text` of character `index` of a skeleton line."""
        return self.skeleton_map.original(line.masked_start + line.masked_index(index))

    @property
    def is_bilingual(self) -> bool:
        return bool(self.segments)

    def meta(self, key: str) -> Any:
        return self.front_matter.get(key) if self.front_matter else None


@dataclass(slots=True)
class Group:
    """Every locale variant of one article."""

    key: str  # the article: its path relative to the locale root, or the group-by value
    variants: list[Variant]
    reference: Variant | None = None  # the source-locale variant, when configured and present
