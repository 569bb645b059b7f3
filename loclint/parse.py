"""Text to a parsed `Variant`: front matter, bilingual segments and the skeleton.

Segments are found by one scan over `<span ...>` and `</span>` tags with a stack, because targets
hold nested spans of their own (`<span class="ui">`). Broken markup never stops the scan: an
opening tag that is never closed becomes an E005 diagnostic and the scan resumes after it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

import regex

from loclint.frontmatter import read_front_matter
from loclint.model import Diagnostic, LineIndex, Segment, Variant
from loclint.source import ReadResult

_SPAN_TAG = regex.compile(r"<span\b([^<>]*)>|</span\s*>", regex.IGNORECASE)
_TTU_ID = regex.compile(r"""data-ttu-id\s*=\s*(?:"([^"]*)"|'([^']*)')""", regex.IGNORECASE)
_STU_ID = regex.compile(r"""data-stu-id\s*=\s*(?:"([^"]*)"|'([^']*)')""", regex.IGNORECASE)
_SXS_CLASS = regex.compile(r"""class\s*=\s*["']sxs-lookup["']""", regex.IGNORECASE)

# The skeleton replaces each segment pair by this character; a run of segments on one line
# (with only spaces between them) collapses to one, so a merged sentence is not a layout change.
SEGMENT_MASK = "\ufffc"
_MASK_RUN = regex.compile(SEGMENT_MASK + r"(?:[ \t]*" + SEGMENT_MASK + r")+")
_SKELETON_LINE = regex.compile(r"[^\r\n]*")
# Text outside segments that translators rightly change: image alt text, link text, alt-text="".
_TRANSLATABLE_FRAME = regex.compile(r"""(!?\[)[^\[\]]*(\]\()|(\balt(?:-text)?\s*=\s*")[^"]*(")""", regex.IGNORECASE)

TARGET, SXS, SOURCE, OTHER = "target", "sxs", "source", "other"


@dataclass(slots=True)
class _Open:
    kind: str
    start: int  # offset of the `<`
    content_start: int  # offset after the `>`
    ident: str | None


@dataclass(slots=True)
class _Scan:
    segments: list[Segment] = field(default_factory=list)
    orphan_sources: list[tuple[str, int]] = field(default_factory=list)  # (id, offset)
    stray_closers: list[int] = field(default_factory=list)
    broken: list[tuple[str, str | None, int]] = field(default_factory=list)  # (kind, id, offset)


def parse_variant(variant: Variant, read: ReadResult) -> Variant:
    """Fill `variant` from the text that reading produced; input errors go to `variant.problems`."""
    if read.text is None:
        variant.problems.append(_file_problem(variant, read.error_code or "E001", read.error or "unreadable"))
        return variant
    text = read.text
    variant.text = text
    variant.lines = LineIndex(text)
    variant.readable = True
    if read.error_code:
        variant.problems.append(_problem(variant, read.error_code, read.error or "", read.error_offset))

    front = read_front_matter(text)
    variant.front_matter = front.data
    variant.key_offsets = front.key_offsets
    variant.front_matter_end = front.body_start
    if front.error_code:
        variant.problems.append(_problem(variant, front.error_code, front.error or "", front.error_offset))

    scan = scan_segments(text, front.body_start)
    variant.segments = scan.segments
    variant.orphan_sources = scan.orphan_sources
    variant.stray_span_closers = scan.stray_closers
    for kind, ident, offset in scan.broken:
        label = {TARGET: "target span", SXS: "sxs-lookup span", SOURCE: "source span"}.get(kind, "span")
        name = f" of segment `{ident}`" if ident else ""
        variant.broken_keys.add(_split_id(ident)[1] if ident else "")
        variant.problems.append(
            _problem(
                variant,
                "E005",
                f"{label}{name} is never closed: the segment cannot be read; add the missing `</span>`",
                offset,
            )
        )
    variant.skeleton = build_skeleton(text, front.body_start, scan.segments)
    return variant


def scan_segments(text: str, start: int = 0) -> _Scan:
    scan = _Scan()
    stack: list[_Open] = []
    pending_target: Segment | None = None  # a target whose sxs-lookup span may follow at once

    def drop_open(kind: str) -> None:
        """An opener of `kind` can't nest here: whatever is open from it up was never closed."""
        for index in range(len(stack) - 1, -1, -1):
            if stack[index].kind == kind:
                for broken in stack[index:]:
                    if broken.kind != OTHER:
                        scan.broken.append((broken.kind, broken.ident, broken.start))
                del stack[index:]
                return

    for match in _SPAN_TAG.finditer(text, start):
        attributes = match.group(1)
        if attributes is None:  # a closing tag
            if not stack:
                scan.stray_closers.append(match.start())
                continue
            opened = stack.pop()
            pending_target = _close(scan, opened, match, text, pending_target)
            continue
        kind, ident = _classify(attributes)
        if kind == TARGET:
            drop_open(TARGET)
            drop_open(SXS)
        elif kind == SXS:
            drop_open(TARGET)
        opened = _Open(kind, match.start(), match.end(), ident)
        if kind == SXS:
            # Pair it with the target that ended right before it, or report a source without target.
            if pending_target is None or pending_target.end != match.start():
                pending_target = None
        stack.append(opened)
    for opened in stack:
        if opened.kind != OTHER:
            scan.broken.append((opened.kind, opened.ident, opened.start))
    return scan


def _classify(attributes: str) -> tuple[str, str | None]:
    if "data-ttu-id" in attributes.lower():
        found = _TTU_ID.search(attributes)
        return TARGET, (found.group(1) if found and found.group(1) is not None else (found.group(2) if found else ""))
    if "data-stu-id" in attributes.lower():
        found = _STU_ID.search(attributes)
        return SOURCE, (found.group(1) if found and found.group(1) is not None else (found.group(2) if found else ""))
    if _SXS_CLASS.search(attributes):
        return SXS, None
    return OTHER, None


def _close(scan: _Scan, opened: _Open, closer: regex.Match, text: str, pending: Segment | None) -> Segment | None:
    """Record what a closing tag completes; return the target still waiting for its source span."""
    if opened.kind == TARGET:
        ident = opened.ident or ""
        prefix, key = _split_id(ident)
        segment = Segment(
            id=ident,
            prefix=prefix,
            key=key,
            target=text[opened.content_start : closer.start()],
            target_start=opened.content_start,
            source=None,
            source_start=None,
            source_id=None,
            start=opened.start,
            end=closer.end(),
        )
        scan.segments.append(segment)
        return segment
    if opened.kind == SOURCE:
        if pending is not None and pending.source is None and pending.end <= opened.start:
            pending.source = text[opened.content_start : closer.start()]
            pending.source_start = opened.content_start
            pending.source_id = opened.ident or ""
        else:
            scan.orphan_sources.append((opened.ident or "", opened.start))
        return pending
    if opened.kind == SXS:
        if pending is not None and pending.source is not None:
            pending.end = closer.end()
        return None
    return pending


def _split_id(ident: str) -> tuple[str, str]:
    """`26072-103` -> (`26072`, `103`): the key after the last dash is what every locale shares."""
    prefix, _, key = ident.rpartition("-")
    return prefix, key


def build_skeleton(text: str, body_start: int, segments: list[Segment]) -> list[tuple[int, str]]:
    """The body's non-blank lines with every segment pair masked: the frame translators keep."""
    pieces: list[str] = []
    cursor = body_start
    for segment in segments:
        if segment.start < cursor:
            continue
        pieces.append(text[cursor : segment.start])
        pieces.append(SEGMENT_MASK)
        cursor = segment.end
    pieces.append(text[cursor:])
    masked = "".join(pieces)
    # Map each masked line back to the offset of its first character in the original text.
    skeleton: list[tuple[int, str]] = []
    offset_map = _MaskedOffsets(body_start, segments)
    for match in _SKELETON_LINE.finditer(masked):
        line = match.group()
        if not line.strip():
            continue
        normalised = _TRANSLATABLE_FRAME.sub(_keep_delimiters, _MASK_RUN.sub(SEGMENT_MASK, line)).rstrip()
        skeleton.append((offset_map.original(match.start()), normalised))
    return skeleton


def _keep_delimiters(match: regex.Match) -> str:
    if match.group(1) is not None:
        return match.group(1) + SEGMENT_MASK + match.group(2)
    return match.group(3) + SEGMENT_MASK + match.group(4)


class _MaskedOffsets:
    """Translates an offset in the masked body back to one in the original text."""

    def __init__(self, body_start: int, segments: list[Segment]) -> None:
        self._points: list[tuple[int, int]] = []  # (masked offset after a mask, original offset there)
        masked = 0
        cursor = body_start
        for segment in segments:
            if segment.start < cursor:
                continue
            masked += segment.start - cursor + 1
            cursor = segment.end
            self._points.append((masked, cursor))
        self._body_start = body_start

    def original(self, masked_offset: int) -> int:
        index = bisect.bisect_right(self._points, (masked_offset, float("inf"))) - 1
        if index < 0:
            return self._body_start + masked_offset
        masked_at, original_at = self._points[index]
        return original_at + (masked_offset - masked_at)


def _file_problem(variant: Variant, code: str, message: str) -> Diagnostic:
    return Diagnostic(variant.display_path, 1, 1, 1, 1, code, message, variant.locale, None)


def _problem(variant: Variant, code: str, message: str, offset: int) -> Diagnostic:
    line, column = variant.position(offset)
    return Diagnostic(variant.display_path, line, column, line, column, code, message, variant.locale, None)


def new_variant(path: Path, display_path: str, place_locale: str | None) -> Variant:
    return Variant(path=path, display_path=display_path, locale=place_locale, place_locale=place_locale)
