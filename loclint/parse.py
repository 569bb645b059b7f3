"""Text to a parsed `Variant`: front matter, bilingual segments and the skeleton.

Segments are found by one scan over `<span ...>` and `</span>` tags with a stack, because targets
hold nested spans of their own (`<span class="ui">`). Broken markup never stops the scan: an
opening tag that is never closed becomes an E005 diagnostic and the scan resumes after it.
A pair whose id or `sxs-lookup` class is quoted with `&quot;` is escaped markup, not a segment:
it is still a span to the scan (so what follows pairs up right), but it is set aside, reported
once per file (E011) and masked in the skeleton like a segment.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


from loclint import skeleton
from loclint.frontmatter import read_front_matter
from loclint.lazyre import IGNORECASE, lazy_pattern, regex
from loclint.model import Diagnostic, LineIndex, Segment, Variant
from loclint.source import ReadResult

_SPAN_TAG = lazy_pattern(r"<span\b([^<>]*)>|</span\s*>", IGNORECASE)
# An id's value in quotes, apostrophes or `&quot;` (group `escaped`: markup escaped as text).
_ID_VALUE = r"""\s*=\s*(?:"(?P<value>[^"]*)"|'(?P<value>[^']*)'|&quot;(?P<escaped>(?:(?!&quot;)[^<>])*)&quot;)"""
_TTU_ID = lazy_pattern(r"data-ttu-id" + _ID_VALUE, IGNORECASE)
_STU_ID = lazy_pattern(r"data-stu-id" + _ID_VALUE, IGNORECASE)
_SXS_CLASS = lazy_pattern(r"""class\s*=\s*(?:["']sxs-lookup["']|(?P<escaped>&quot;)sxs-lookup&quot;)""", IGNORECASE)

# The well-formed bilingual pair, written as Microsoft's tools write it, in one pattern: a target
# span, then at once the sxs-lookup span holding the source span. Inside either text, spans of other
# kinds may nest (`<span class="ui">`); any other tag-like text falls back to the tag-by-tag scan.
_PAIR = lazy_pattern(
    r'<span data-ttu-id="(?P<id>[^"<>]*)">(?P<target>(?&inner))</span>'
    r'<span class="sxs-lookup"><span data-stu-id="(?P<source_id>[^"<>]*)">(?P<source>(?&inner))</span></span>'
    r"(?(DEFINE)(?P<inner>(?:[^<]++|<(?!(?i:/?span\b))"
    r"|<span\b(?![^<>]*(?i:data-ttu-id|data-stu-id|sxs-lookup))[^<>]*+>(?&inner)</span\s*>)*+))"
)

# `regex` keeps about 130 bytes per repetition of `inner`, one per `<` in a segment, while it
# matches the segment: past this many `<` in one window of the body (a hostile or broken file),
# the linear tag-by-tag scan is used instead, so memory stays bounded.
_MAX_FAST_TAGS = 200_000
# Pairs are matched a window of about this many characters at a time, each window cut before a
# target span's opening (which no pair holds but at its start): a body of a million well-formed
# pairs takes the fast path too, each window within the bound.
_WINDOW = 1 << 16
_TARGET_OPENING = '<span data-ttu-id="'

TARGET, SXS, SOURCE, OTHER = "target", "sxs", "source", "other"
# A file with thousands of unclosed spans is damaged as a whole: listing each one helps nobody and
# slows the run, so past this many the rest are summed up in one E005.
MAX_BROKEN_REPORTS = 100
# Characters a segment's target or source may hold before it is taken for broken markup (E005).
MAX_SEGMENT_CHARS = 100_000


@dataclass(slots=True)
class _Open:
    """A span tag opened and not yet closed while scanning."""

    kind: str
    start: int  # offset of the `<`
    content_start: int  # offset after the `>`
    ident: str | None
    escaped: bool = False  # its id or class is quoted with `&quot;`


@dataclass(slots=True)
class _Scan:
    """What scanning a file's spans found: segments, orphans and broken markup."""

    segments: list[Segment] = field(default_factory=list)
    orphan_sources: list[tuple[str, int]] = field(default_factory=list)  # (id, offset)
    stray_closers: list[int] = field(default_factory=list)
    broken: list[tuple[str, str | None, int]] = field(default_factory=list)  # (kind, id, offset)
    prefixes: dict[str, str] = field(default_factory=dict)  # each id prefix seen, to share one string
    # Escaped pairs (E011), set aside from `segments`, and the keys of escaped spans left unpaired.
    escaped: list[Segment] = field(default_factory=list)
    escaped_keys: set[str] = field(default_factory=set)
    escaped_at: int | None = None  # offset of the first escaped span tag


def parse_variant(variant: Variant, read: ReadResult, *, frame: bool = True) -> Variant:
    """Fill `variant` from the text that reading produced; input errors go to `variant.problems`.

    `frame=False` skips the skeleton (only B006 reads it): for a group that is only weighed."""
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
    variant.segments = _sentence_sized(variant, scan.segments)
    variant.orphan_sources = scan.orphan_sources
    variant.stray_span_closers = scan.stray_closers
    for kind, ident, offset in scan.broken[:MAX_BROKEN_REPORTS]:
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
    if len(scan.broken) > MAX_BROKEN_REPORTS:
        rest = scan.broken[MAX_BROKEN_REPORTS:]
        variant.broken_keys.update(_split_id(ident)[1] if ident else "" for _, ident, _ in rest)
        variant.problems.append(
            _problem(
                variant,
                "E005",
                f"{len(rest):,} more spans after this one are never closed (only the first "
                f"{MAX_BROKEN_REPORTS} are listed): the markup of this file is badly damaged",
                rest[0][2],
            )
        )
    if scan.escaped_at is not None:
        _report_escaped(variant, scan)
    if frame:
        # Escaped pairs are masked like segments: they stand where segments stand in the other locales.
        framed = sorted(scan.segments + scan.escaped, key=lambda segment: segment.start) if scan.escaped else scan.segments
        variant.skeleton, variant.skeleton_map = skeleton.build(
            text, front.body_start, framed, unescape=scan.escaped_at is not None
        )
    return variant


def _report_escaped(variant: Variant, scan: _Scan) -> None:
    """One E011 for a file's escaped span markup: one hand-off escaped every quote from some
    point on, and each of its segments after that is the same defect. Their keys count as held
    but unreadable (like E005's), so S006 and S007 do not report them again."""
    keys = {segment.key for segment in scan.escaped} | scan.escaped_keys
    variant.broken_keys.update(keys)
    count = len(keys)
    first = min(scan.escaped, key=lambda segment: segment.start).id if scan.escaped else None
    which = f"{count} segment{'s' if count != 1 else ''}" + (f", first `{first}`," if first else "")
    message = (
        f"span markup of {which} is escaped: an id or the `sxs-lookup` class is quoted with `&quot;`, so it "
        "is text, not a segment (no tool can match it; an escaped class shows readers the English source)"
    )
    variant.problems.append(_problem(variant, "E011", message, scan.escaped_at))


def _sentence_sized(variant: Variant, segments: list[Segment]) -> list[Segment]:
    """The segments short enough to compare; each longer one becomes an E005 and is skipped.

    A segment is a sentence or two. One of megabytes is a `</span>` lost long ago that swallowed
    the file, and analysing its tokens would cost seconds per locale for findings nobody can use.
    """
    kept = []
    for segment in segments:
        length = max(len(segment.target), len(segment.source or ""))
        if length <= MAX_SEGMENT_CHARS:
            kept.append(segment)
            continue
        variant.broken_keys.add(segment.key)
        message = (
            f"segment `{segment.id}` is {length:,} characters long (limit {MAX_SEGMENT_CHARS:,}), too long to be "
            "a sentence: a `</span>` is probably missing earlier; the segment is skipped"
        )
        variant.problems.append(_problem(variant, "E005", message, segment.start))
    return kept


def scan_segments(text: str, start: int = 0) -> _Scan:
    """The segments of the body from `start`, and what is broken about its span markup."""
    return _scan_well_formed(text, start) or _scan_tags(text, start)


def _scan_well_formed(text: str, start: int) -> _Scan | None:
    """The fast path, for a body whose every span tag lies in a well-formed pair (nearly every file).

    Each pair is matched whole by `_PAIR`; if any span tag is left between the pairs, something is
    irregular (an orphan, a stray closer, an unclosed span, another spelling) and None hands the body
    to `_scan_tags`, which then finds exactly what this would have, and the rest.
    """
    scan = _Scan()
    cursor = start
    search_tag, segments, prefixes = _SPAN_TAG.search, scan.segments, scan.prefixes
    for window_start, window_end in windows(text, start, _TARGET_OPENING, _WINDOW):
        if text.count("<", window_start, window_end) > _MAX_FAST_TAGS:
            return None
        for match in _PAIR.finditer(text, window_start, window_end):
            pair_start, pair_end = match.span()
            if search_tag(text, cursor, pair_start):
                return None
            ident, target, source_id, source = match.group("id", "target", "source_id", "source")
            prefix, key = _split_id(ident)
            prefix = prefixes.setdefault(prefix, prefix)  # one string per file's prefix, not per segment
            if source_id == ident:
                source_id = ident
            segments.append(
                Segment(ident, prefix, key, target, match.start("target") - pair_start, source,
                        match.start("source") - pair_start, source_id, pair_start, pair_end)
            )
            cursor = pair_end
    return None if _SPAN_TAG.search(text, cursor) else scan


def windows(text: str, start: int, cut_before: str, size: int) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive windows of `text` from `start`, each about `size` characters:
    it ends where `cut_before` next begins after that, so nothing that starts with `cut_before`
    (a target span's opening, a tag's `<`) is cut in two. A body of millions of segments is then
    matched a window at a time, and what a window's matches hold is bounded."""
    end = len(text)
    while start < end:
        cut = text.find(cut_before, start + size) if start + size < end else -1
        cut = end if cut < 0 else cut
        yield start, cut
        start = cut


def _scan_tags(text: str, start: int) -> _Scan:
    """The general scan: tag by tag with a stack, recording whatever is broken and going on."""
    scan = _Scan()
    stack: list[_Open] = []
    # How many openers of each kind the stack holds: `drop_open` skips the walk down the stack
    # when there is nothing to drop, so 100,000 unclosed spans stay linear, not quadratic.
    open_kinds = dict.fromkeys((TARGET, SXS, SOURCE, OTHER), 0)
    pending_target: Segment | None = None  # a target whose sxs-lookup span may follow at once

    def drop_open(kind: str) -> None:
        """An opener of `kind` can't nest here: whatever is open from it up was never closed."""
        if not open_kinds[kind]:
            return
        for index in range(len(stack) - 1, -1, -1):
            if stack[index].kind == kind:
                _record_broken(scan, stack[index:])
                for dropped in stack[index:]:
                    open_kinds[dropped.kind] -= 1
                del stack[index:]
                return

    for match in _SPAN_TAG.finditer(text, start):
        attributes = match.group(1)
        if attributes is None:  # a closing tag
            if not stack:
                scan.stray_closers.append(match.start())
                continue
            opened = stack.pop()
            open_kinds[opened.kind] -= 1
            pending_target = _close(scan, opened, match, text, pending_target, stack[-1] if stack else None)
            continue
        kind, ident, escaped = _classify(attributes)
        if escaped and scan.escaped_at is None:
            scan.escaped_at = match.start()
        if kind == TARGET:
            drop_open(TARGET)
            drop_open(SXS)
        elif kind == SXS:
            drop_open(TARGET)
        opened = _Open(kind, match.start(), match.end(), ident, escaped)
        if kind == SXS:
            # Pair it with the target that ended right before it, or report a source without target.
            if pending_target is None or pending_target.end != match.start():
                pending_target = None
        stack.append(opened)
        open_kinds[kind] += 1
    _record_broken(scan, stack)
    if scan.escaped:
        set_aside = {id(segment) for segment in scan.escaped}
        scan.segments = [segment for segment in scan.segments if id(segment) not in set_aside]
    return scan


def _record_broken(scan: _Scan, unclosed: list[_Open]) -> None:
    """One E005 per broken span, except that an unclosed sxs-lookup span and the source span
    inside it are one broken source: reported once, at the sxs-lookup span, with the source's id."""
    previous: _Open | None = None
    for opened in unclosed:
        if opened.kind == SOURCE and previous is not None and previous.kind == SXS:
            scan.broken[-1] = (SXS, opened.ident, previous.start)
        elif opened.kind != OTHER:
            scan.broken.append((opened.kind, opened.ident, opened.start))
        previous = opened


def _classify(attributes: str) -> tuple[str, str | None, bool]:
    """(kind, id, escaped) of an opening span tag's attributes."""
    lowered = attributes.lower()
    for kind, name, pattern in ((TARGET, "data-ttu-id", _TTU_ID), (SOURCE, "data-stu-id", _STU_ID)):
        if name in lowered:
            found = pattern.search(attributes)
            if found is None:
                return kind, "", False
            escaped = found.group("escaped")
            return kind, (escaped if escaped is not None else found.group("value")), escaped is not None
    found = _SXS_CLASS.search(attributes)
    if found:
        return SXS, None, found.group("escaped") is not None
    return OTHER, None, False


def _close(
    scan: _Scan, opened: _Open, closer: regex.Match, text: str, pending: Segment | None, parent: _Open | None
) -> Segment | None:
    """Record what a closing tag completes; return the target still waiting for its source span."""
    if opened.kind == TARGET:
        ident = opened.ident or ""
        prefix, key = _split_id(ident)
        prefix = scan.prefixes.setdefault(prefix, prefix)
        segment = Segment(
            id=ident,
            prefix=prefix,
            key=key,
            target=text[opened.content_start : closer.start()],
            target_at=opened.content_start - opened.start,
            source=None,
            source_at=None,
            source_id=None,
            start=opened.start,
            end=closer.end(),
        )
        scan.segments.append(segment)
        if opened.escaped:
            scan.escaped.append(segment)
        return segment
    if opened.kind == SOURCE:
        escaped = opened.escaped or (parent is not None and parent.kind == SXS and parent.escaped)
        if pending is not None and pending.source is None and pending.end <= opened.start:
            if escaped and (not scan.escaped or scan.escaped[-1] is not pending):
                scan.escaped.append(pending)  # a real target with an escaped source: one escaped pair
            pending.source = text[opened.content_start : closer.start()]
            pending.source_at = opened.content_start - pending.start
            source_id = opened.ident or ""
            pending.source_id = pending.id if source_id == pending.id else source_id
        elif escaped:
            scan.escaped_keys.add(_split_id(opened.ident or "")[1])  # escaped text, not a source
        else:
            # An orphan is reported where its sxs-lookup span opens: that is where the target belongs.
            where = parent.start if parent is not None and parent.kind == SXS else opened.start
            scan.orphan_sources.append((opened.ident or "", where))
        return pending
    if opened.kind == SXS:
        if pending is not None and pending.source is not None:
            pending.end = closer.end()
        return None
    return pending


def share_texts(variants: list[Variant]) -> None:
    """One string object for each distinct id, key and text among a group's segments. Every locale
    repeats the keys and (mostly) the sources, each sliced from its own file: a group of a million
    segments in two locales held all of them twice."""
    shared: dict[str, str] = {}
    for variant in variants:
        for segment in variant.segments:
            ident = shared.setdefault(segment.id, segment.id)
            if segment.source_id == ident:
                segment.source_id = ident
            segment.id = ident
            segment.prefix = shared.setdefault(segment.prefix, segment.prefix)
            segment.key = shared.setdefault(segment.key, segment.key)
            segment.target = shared.setdefault(segment.target, segment.target)
            if segment.source is not None:
                segment.source = shared.setdefault(segment.source, segment.source)


def _split_id(ident: str) -> tuple[str, str]:
    """`26072-103` -> (`26072`, `103`): the key after the last dash is what every locale shares."""
    prefix, _, key = ident.rpartition("-")
    return prefix, key


def _file_problem(variant: Variant, code: str, message: str) -> Diagnostic:
    return Diagnostic(variant.display_path, 1, 1, 1, 1, code, message, variant.locale, None)


def _problem(variant: Variant, code: str, message: str, offset: int) -> Diagnostic:
    line, column = variant.position(offset)
    return Diagnostic(variant.display_path, line, column, line, column, code, message, variant.locale, None)


def new_variant(path: Path, display_path: str, place_locale: str | None) -> Variant:
    return Variant(path=path, display_path=display_path, locale=place_locale, place_locale=place_locale)
