"""The skeleton: an article's frame, the body with every segment masked, line by line.

No translator should change the frame (headings, list markers, anchors, fences, tables, includes),
so B006 compares it across locales. Lines are normalised so that what translators rightly change
(image alt and link text outside segments, spacing around segments, suppression comments) does
not count, and every normalised line keeps a map back to the original text: a finding's column
points at the exact character that differs.
"""

from __future__ import annotations

import bisect
from array import array
import hashlib
from collections.abc import Callable, Iterator

from loclint.lazyre import DOTALL, IGNORECASE, lazy_pattern, regex
from loclint.model import Segment
from loclint.suppress import DIRECTIVE

# Each segment pair becomes this character; segments side by side on a line become one.
SEGMENT_MASK = "\ufffc"
MAX_LINE = 2000  # characters of a line compared as text; the rest stands as a digest

_MASK_RUN = lazy_pattern(r"[ \t]*" + SEGMENT_MASK + r"(?:[ \t]*" + SEGMENT_MASK + r")*[ \t]*")
# Text outside segments that translators rightly change: image alt text, link text, alt-text="".
_TRANSLATABLE = lazy_pattern(
    r"""(!?\[)(?:[^\[\]]|\[[^\[\]]*\])*(\]\()|(\balt(?:-text)?\s*=\s*")[^"]*(")""", IGNORECASE
)
_SPACE_RUN = lazy_pattern(r"\s+")
# A line holding an inline icon (`:::image type="icon" ...:::`): the hand-off tool leaves such a
# sentence out of its segments, so its words stand translated in the frame. Only the line's
# markup is frame: its block marker, its directives, table pipes and masks; the words around
# them, and whether there are any before or after, are translation and word order.
_ICON_LINE = lazy_pattern(
    r"""\A(?=.*:::image[ \t]+type\s*=\s*"icon")(?P<marker>[ \t]*(?:(?:[>*+-]|\d+[.)]|\#{1,6})[ \t]+)*)(?P<rest>.*)\Z""",
    DOTALL,
)
_ICON_LINE_PARTS = lazy_pattern(r""":::.*?:::|[|\ufffc]|(?P<prose>(?:(?!:::.*?:::)[^|\ufffc])+)""", DOTALL)
# A text that is one Markdown link: `[text](target)`, brackets in the text balanced (an image, `[x]`).
_WHOLE_LINK = lazy_pattern(r"""(?P<text>\[(?:[^\[\]]++|(?&text))*\])\((?P<target>[^()\s]+(?:[ \t]+"[^"]*")?)\)""")
# `&quot;` inside a tag, in a file whose span markup was escaped (E011): the hand-off that escaped
# the spans' quotes escaped the other tags' quotes too; E011 reports that once, B006 reads `"`.
_QUOTE_IN_TAG = lazy_pattern(r"(?<=<[A-Za-z/][^<>]*)&quot;(?=[^<>]*>)")

# A piece of output: its text, and the index in the input its first character came from
# (characters after the first map to consecutive input indices, capped at the piece's end).
Piece = tuple[str, int]


class SkeletonLine:
    """One normalised line of the frame. The map back to the masked line is worked out only when a
    finding needs a column (`masked_index`): most lines match across locales and never need it."""

    __slots__ = ("text", "masked_start", "_raw", "_breaks", "_unescape")

    def __init__(self, text: str, masked_start: int, raw: str, unescape: bool = False) -> None:
        self.text = text  # the normalised frame of one line
        self.masked_start = masked_start  # offset of the line in the masked body
        self._raw = raw  # the masked line the text was normalised from
        self._breaks: tuple[tuple[int, int], ...] | None = None
        self._unescape = unescape  # read `&quot;` in tags as `"` (see _QUOTE_IN_TAG)

    def __reduce__(self) -> tuple:
        # As constructor arguments: a parsed sibling in the parse cache holds hundreds of lines,
        # and this unpickles several times faster than slot state (the map is worked out anew).
        return SkeletonLine, (self.text, self.masked_start, self._raw, self._unescape)

    @property
    def breaks(self) -> tuple[tuple[int, int], ...]:
        """(index in text, index in the masked line) where the map from text to line jumps."""
        if self._breaks is None:
            _, self._breaks = normalise(self._raw, self._unescape)
        return self._breaks

    def masked_index(self, index: int) -> int:
        """The index in the masked line that character `index` of `text` came from."""
        breaks = self.breaks
        at = bisect.bisect_right(breaks, (index, float("inf"))) - 1
        text_at, masked_at = breaks[at] if at >= 0 else (0, 0)
        return masked_at + (index - text_at)


class Skeleton:
    """A file's skeleton lines, packed: for each line its normalised text and masked line (strings
    shared by the lines alike) and its offset in an integer array, 24 bytes a line where a
    `SkeletonLine` each held about 110; a line is built when read. B006 counts lines by `texts`."""

    __slots__ = ("texts", "_raws", "_starts", "_unescape")

    def __init__(self, unescape: bool = False) -> None:
        self.texts: list[str] = []  # each line's normalised text, in file order
        self._raws: list[str] = []
        self._starts = array("q")
        self._unescape = unescape

    def append(self, text: str, masked_start: int, raw: str) -> None:
        self.texts.append(text)
        self._starts.append(masked_start)
        self._raws.append(raw)

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, index: int) -> SkeletonLine:
        return SkeletonLine(self.texts[index], self._starts[index], self._raws[index], self._unescape)

    def __iter__(self) -> Iterator[SkeletonLine]:
        return map(self.__getitem__, range(len(self.texts)))

    def __getstate__(self) -> tuple:
        return self.texts, self._raws, self._starts.tobytes(), self._unescape  # see MaskedOffsets

    def __setstate__(self, state: tuple) -> None:
        self.texts, self._raws, starts, self._unescape = state
        self._starts = array("q")
        self._starts.frombytes(starts)


class MaskedOffsets:
    """Maps an offset in the masked body back to the offset in the original text.

    Four integer arrays, not lists of tuples: one mask per segment, so a file of a million
    segments keeps 32 bytes per segment here instead of about 200."""

    __slots__ = ("_after_masked", "_after_original", "_mask_masked", "_mask_original", "_body_start")

    def __init__(self, body_start: int, segments: list[Segment], lengths: list[int] | None = None) -> None:
        """`lengths`: how long each segment's stand-in is in the masked body (1, the mask, if None)."""
        # (masked offset after a mask, original offset there) and (masked offset of a mask, segment start)
        self._after_masked, self._after_original = array("q"), array("q")
        self._mask_masked, self._mask_original = array("q"), array("q")
        masked, cursor = 0, body_start
        for index, segment in enumerate(segments):
            if segment.start < cursor:
                continue
            masked += segment.start - cursor
            self._mask_masked.append(masked)
            self._mask_original.append(segment.start)
            masked += lengths[index] if lengths else 1
            cursor = segment.end
            self._after_masked.append(masked)
            self._after_original.append(cursor)
        self._body_start = body_start

    def __getstate__(self) -> tuple:
        # As bytes: the parse cache's unpickler builds no `array` (its reconstructor is a function).
        arrays = (self._after_masked, self._after_original, self._mask_masked, self._mask_original)
        return (*(values.tobytes() for values in arrays), self._body_start)

    def __setstate__(self, state: tuple) -> None:
        *packed, self._body_start = state
        arrays = []
        for data in packed:
            values = array("q")
            values.frombytes(data)
            arrays.append(values)
        self._after_masked, self._after_original, self._mask_masked, self._mask_original = arrays

    def original(self, masked_offset: int) -> int:
        mask = bisect.bisect_right(self._mask_masked, masked_offset) - 1
        if mask >= 0 and masked_offset < self._after_masked[mask]:
            return self._mask_original[mask]  # in a segment's stand-in: the segment's first character
        index = bisect.bisect_right(self._after_masked, masked_offset) - 1
        if index < 0:
            return self._body_start + masked_offset
        return self._after_original[index] + (masked_offset - self._after_masked[index])


def build(
    text: str, body_start: int, segments: list[Segment], unescape: bool = False
) -> tuple[Skeleton, MaskedOffsets]:
    """The non-blank normalised lines of the body's frame, and the map back to the text.
    `unescape`: the file's span markup was escaped, read `&quot;` in its tags as `"`."""
    pieces: list[str] = []
    lengths: list[int] = []
    cursor = body_start
    for segment in segments:
        stand_in = stand_in_for(segment)
        lengths.append(len(stand_in))
        if segment.start < cursor:
            continue
        pieces.append(text[cursor : segment.start])
        pieces.append(stand_in)
        cursor = segment.end
    pieces.append(text[cursor:])
    masked = "".join(pieces)
    lines = Skeleton(unescape)
    # A frame repeats its lines (a mask alone, `|---|`, `:::`): one string object for each
    # distinct line, not one per line, keeps a file of a million segments from holding a million copies.
    seen: dict[str, str] = {}
    for start, raw in _lines(masked):
        if not raw.strip():
            continue
        raw = seen.setdefault(raw, raw)
        normalised = normalised_text(raw, unescape)
        if normalised:
            lines.append(seen.setdefault(normalised, normalised), start, raw)
    return lines, MaskedOffsets(body_start, segments, lengths)


def stand_in_for(segment: Segment) -> str:
    """What a segment is in the frame: the mask, or `[mask](target)` for a segment whose source is
    one whole link. One hand-off puts such a link's span inside the link (`[<span>…</span>](url)`),
    another puts the link inside the span: the frame is the same. The source decides, not the
    translation, so what a target does to its link is B004's and B014's to report, not B006's."""
    source = segment.source
    if not source or "](" not in source:
        return SEGMENT_MASK
    link = _WHOLE_LINK.fullmatch(source.strip())
    return f"[{SEGMENT_MASK}]({link.group('target')})" if link else SEGMENT_MASK


def normalised_text(line: str, unescape: bool = False) -> str:
    """`normalise(line)[0]`, without tracking where each character came from: the same steps as
    plain substitutions, each skipped when the characters it needs are absent."""
    digest = ""
    if len(line) > MAX_LINE:
        digest = _tail_digest(line)
        line = line[:MAX_LINE]
    if unescape and "&quot;" in line:
        line = _QUOTE_IN_TAG.sub('"', line)
    if "loclint-" in line:
        line = DIRECTIVE.sub("", line)
    if ":::" in line:
        line = _ICON_LINE.sub(lambda match: "".join(piece for piece, _ in _markup_only(match)), line)
    if SEGMENT_MASK in line:
        line = _MASK_RUN.sub(SEGMENT_MASK, line)
    if "[" in line or "=" in line:
        line = _TRANSLATABLE.sub(_delimiters_around_mask, line)
    return _SPACE_RUN.sub(" ", line).strip() + digest


def _delimiters_around_mask(match: regex.Match) -> str:
    if match.group(1) is not None:
        return match.group(1) + SEGMENT_MASK + match.group(2)
    return match.group(3) + SEGMENT_MASK + match.group(4)


def _tail_digest(line: str) -> str:
    """What stands for the part of a long line past MAX_LINE: a digest of its non-space bytes."""
    tail = line[MAX_LINE:].encode("utf-8", "surrogatepass").translate(None, b" \t\r\n\x0b\x0c")
    return f"…[{hashlib.blake2b(tail, digest_size=8).hexdigest()}]"


def normalise(line: str, unescape: bool = False) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A masked line as compared across locales, with the breakpoints of its map to `line`."""
    pieces: list[Piece] = [(line, 0)]
    digest = ""
    if len(line) > MAX_LINE:
        digest = _tail_digest(line)
        pieces = [(line[:MAX_LINE], 0)]
    for pattern, replace in (_UNESCAPE_STEP, *_STEPS) if unescape else _STEPS:
        pieces = _substitute(pieces, pattern, replace)
    text, breaks = _join(pieces)
    stripped = text.strip()
    if stripped != text:
        lead = len(text) - len(text.lstrip())
        text = stripped
        breaks = _shift(breaks, lead, len(text))
    if digest:
        breaks = (*breaks, (len(text), MAX_LINE))
        text += digest
    return text, breaks


def _keep_delimiters(match: regex.Match) -> list[Piece]:
    if match.group(1) is not None:
        return [(match.group(1), match.start(1)), (SEGMENT_MASK, match.end(1)), (match.group(2), match.start(2))]
    return [(match.group(3), match.start(3)), (SEGMENT_MASK, match.end(3)), (match.group(4), match.start(4))]


def _mask_alone(match: regex.Match) -> list[Piece]:
    return [(SEGMENT_MASK, match.start() + match.group().index(SEGMENT_MASK))]


def _markup_only(match: regex.Match) -> list[Piece]:
    """An icon line's marker, then its markup, each run of prose replaced by a space."""
    pieces = [(match.group("marker"), match.start("marker"))]
    offset = match.start("rest")
    for part in _ICON_LINE_PARTS.finditer(match.group("rest")):
        if part.group("prose") is None:
            pieces.append((part.group(), offset + part.start()))
        else:  # prose: whether a sentence starts or ends with its icon is word order, not frame
            pieces.append((" ", offset + part.start()))
    return pieces


_UNESCAPE_STEP = (_QUOTE_IN_TAG, lambda match: [('"', match.start())])
_STEPS: tuple[tuple[regex.Pattern, Callable[[regex.Match], list[Piece]]], ...] = (
    (DIRECTIVE, lambda match: []),  # a suppression in one locale is not a layout change
    (_ICON_LINE, _markup_only),
    (_MASK_RUN, _mask_alone),  # segments side by side, and the spaces around them, are one mask
    (_TRANSLATABLE, _keep_delimiters),
    (_SPACE_RUN, lambda match: [(" ", match.start())]),
)


def _substitute(pieces: list[Piece], pattern: regex.Pattern, replace: Callable[[regex.Match], list[Piece]]) -> list[Piece]:
    """`pattern.sub` over the pieces' joined text, keeping where every output character came from."""
    text, breaks = _join(pieces)
    if not pattern.search(text):
        return pieces
    origin = _Origin(breaks)
    result: list[Piece] = []
    cursor = 0
    for match in pattern.finditer(text):
        if match.start() > cursor:
            result.append((text[cursor : match.start()], origin(cursor)))
        result.extend((piece, origin(index)) for piece, index in replace(match) if piece)
        cursor = match.end()
    if cursor < len(text):
        result.append((text[cursor:], origin(cursor)))
    return result


class _Origin:
    def __init__(self, breaks: tuple[tuple[int, int], ...]) -> None:
        self._breaks = breaks

    def __call__(self, index: int) -> int:
        at = bisect.bisect_right(self._breaks, (index, float("inf"))) - 1
        text_at, source_at = self._breaks[at] if at >= 0 else (0, 0)
        return source_at + (index - text_at)


def _join(pieces: list[Piece]) -> tuple[str, tuple[tuple[int, int], ...]]:
    breaks = []
    length = 0
    for piece, origin in pieces:
        breaks.append((length, origin))
        length += len(piece)
    return "".join(piece for piece, _ in pieces), tuple(breaks)


def _shift(breaks: tuple[tuple[int, int], ...], lead: int, length: int) -> tuple[tuple[int, int], ...]:
    """The breakpoints after cutting `lead` characters off the front."""
    origin = _Origin(breaks)
    kept = [(0, origin(lead))]
    kept.extend((at - lead, source) for at, source in breaks if lead < at < lead + length)
    return tuple(kept)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for each line, split at CR, LF or CRLF; `str.find` keeps a 50 MB line fast."""
    flat = text.replace("\r", "\n") if "\r" in text else text
    start = 0
    while True:
        end = flat.find("\n", start)
        if end < 0:
            yield start, text[start:]
            return
        yield start, text[start:end]
        start = end + 1
