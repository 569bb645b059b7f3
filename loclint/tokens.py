"""What a segment's text holds that translation must keep: protected tokens and markup counts.

`analyse` runs once per distinct text (sources repeat across locales, so callers memoise it) and
returns a `TextFeatures`: the tokens of each kind (numbers, URLs, code, ...) with their offsets in
the text, and the counts of markup (emphasis, backticks, tags, links, images) for the B rules.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from loclint.lazyre import DOTALL, IGNORECASE, lazy_pattern, regex
from loclint.numbers import leading_zero_min_digits
from loclint.patterns import Patterns

# Kinds whose loss is a defect unless most sibling locales lost them too (see reference.peers_keep).
STRICT_KINDS = frozenset({"number", "url", "code", "placeholder", "email", "path", "guid"})

# What set-aside text (code, tags, URLs) is replaced by: neither space, letter, digit nor
# punctuation, so `*<b>x</b>*` stays flanked like `*x*` and no number or acronym matches it.
BLANK = "\ue000"

_CODE_SPAN = lazy_pattern(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", DOTALL)
# Two code spans meeting with no space between: a closing and an opening backtick between two
# characters that are neither blank nor backticks.
_GLUE = lazy_pattern(r"(?<=[^`\s])``(?=[^`\s])")
_HTML_TAG = lazy_pattern(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*?(/?)>")
_HTML_ATTR_URL = lazy_pattern(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", IGNORECASE)
_ENTITY = lazy_pattern(r"&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
# Link text may nest brackets two deep (an image whose alt text quotes a `[UI label]`, in a link).
_MD_LINK = lazy_pattern(r"(!?)\[(?:[^\[\]]|\[(?:[^\[\]]|\[[^\[\]]*\])*\])*\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
# A URL is ASCII, or an IRI's letters: CJK punctuation (U+3000-303F), the full-width forms
# (U+FF01-FF65), curly quotes (U+2018-201F) and guillemets are never part of one, so
# `https://a.com。` or `Contoso“，”` ends where the sentence's punctuation starts, as `.` would;
# and set-aside text (BLANK: a tag, code) is no part of the URL before it.
_URL_CHAR = "[^\\s<>\"'`\\]\\[()\ue000\u00ab\u00bb\u2018-\u201f\u2039\u203a\u3000-\u303f\uff01-\uff65]"
_BARE_URL = lazy_pattern(r"(?:https?|ftp)://" + _URL_CHAR + r"+|\bxref:" + _URL_CHAR + "+")
_TRAILING_PUNCTUATION = ".,;:!?"
_EMPHASIS_RUN = lazy_pattern(r"\*+|_+")
_DIGIT_RUN = lazy_pattern(r"\p{Nd}+(?:[.,/:\-\u066b\u066c\u2019' \u00a0\u202f\u2009]\p{Nd}+)*")
_DIGITS_ONLY = lazy_pattern(r"\p{Nd}+")
_NOT_LINE_BREAK = lazy_pattern(r"[^\r\n]")
_CODE_DIGITS = leading_zero_min_digits()  # a run this long with a leading zero is a code


@dataclass(frozen=True, slots=True)
class Token:
    """A kept token (number, URL, code, acronym, ...) found in a text."""

    kind: str
    text: str  # as written
    norm: str  # the form compared across locales
    start: int  # offset in the analysed text


# What `analyse` leaves in a field that found nothing: one shared empty value, not a new container
# per text (a group of 1,000,000 segments holds a million features; four empty containers each
# were a quarter of a gigabyte). Features are read, never changed, once `analyse` returns.
_NO_COUNTS: dict = {}
_NONE_LOOSE: frozenset[str] = frozenset()  # an empty frozenset is a new object each time since 3.10


@dataclass(slots=True)
class Markup:
    """A text's markup counts, what the B rules compare. Markup counts are plain dicts of positive
    counts, not Counters: the B rules compare them for every segment, and dict equality runs in C
    where Counter's runs in Python."""

    tags: dict[str, int] = field(default_factory=dict)  # "b", "/b" ... (void elements left out)
    tag_balance_ok: bool = True
    emphasis: dict[str, int] = field(default_factory=dict)  # "**", "*", "__", "_" delimiter runs
    backticks: int = 0
    glued: tuple[int, ...] = ()  # where code spans written with no space between meet (`a``b`): see `_glued_spans`
    links: int = 0
    images: int = 0
    empty_links: int = 0  # Markdown links whose text is empty or blank: `[](url)`


# The markup of every text that has none (most segments): one record, not one per text.
NO_MARKUP = Markup()


@dataclass(slots=True)
class TextFeatures:
    """What the rules compare about one text: tokens, markup counts, the text with code set aside."""

    tokens: tuple[Token, ...] | list[Token] = field(default_factory=list)  # a tuple once `analyse` returns
    # Numbers read leniently beyond the number tokens' own forms: a digit run glued to a word
    # ("2016年"), and each run of a date or time (8/28/2006 -> 8, 28, 2006), reordered per locale.
    loose_numbers: frozenset[str] = _NONE_LOOSE
    markup: Markup = field(default_factory=Markup)
    masked: str = ""  # the text with code, tags, entities and URLs blanked out

    def has(self, token: Token) -> bool:
        """Is `token`'s normalised form in the text (numbers leniently)?"""
        kind, norm = token.kind, token.norm
        for own in self.tokens:
            if own.norm == norm and own.kind == kind:
                return True
        return kind == "number" and norm in self.loose_numbers

    def present(self, kind: str) -> frozenset[str]:
        """The normalised forms of `kind` in the text (numbers leniently). Worked out from the
        tokens when asked, not stored: a dict of sets per text was 400 bytes a segment of a big group."""
        found = frozenset(token.norm for token in self.tokens if token.kind == kind)
        return found | self.loose_numbers if kind == "number" and self.loose_numbers else found


def analyse(text: str, patterns: Patterns, locale_segment: regex.Pattern | None = None) -> TextFeatures:
    features = TextFeatures()
    # Each stage sees the text with what earlier stages set aside blanked out. Stages whose
    # marker character is absent are skipped: most segments hold no code, tags or URLs.
    stripped = text
    if "`" in text:
        spans = []
        glued = []
        for match in _CODE_SPAN.finditer(text):
            pieces = _glued_spans(match)
            if pieces:
                glued.append(pieces[1][0] - 1)  # the glue: the first piece's closer, the second's opener
            for start, content in pieces or [(match.start(), match.group(2))]:
                features.markup.backticks += 2
                _add(features, Token("code", f"{match.group(1)}{content}{match.group(1)}", content.strip(), start))
            spans.append(match.span())
        features.markup.glued = tuple(glued)
        stripped = _blank(stripped, spans)
        features.markup.backticks += stripped.count("`")  # unpaired backticks left after code spans

    spans = []
    if "](" in stripped:
        _links(stripped, 0, len(stripped), features, patterns, spans)
    if "<" in stripped:
        for match in _HTML_TAG.finditer(stripped):
            closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
            for attr in _HTML_ATTR_URL.finditer(match.group()):
                url = attr.group(1) if attr.group(1) is not None else attr.group(2)
                if url:
                    _add(features, Token("url", url, _normalise_url(url, patterns), match.start() + attr.start()))
            if name == "a" and not closing:
                features.markup.links += 1
            if name == "img":
                features.markup.images += 1
            if name not in patterns.void_elements and not self_closing:
                tag = ("/" if closing else "") + name
                features.markup.tags[tag] = features.markup.tags.get(tag, 0) + 1
            spans.append(match.span())
    stripped = _blank(stripped, spans)
    if "://" in stripped or "xref:" in stripped:
        spans = []
        for match in _BARE_URL.finditer(stripped):
            url = match.group().rstrip(_TRAILING_PUNCTUATION)
            _add(features, Token("url", url, _normalise_url(url, patterns), match.start()))
            spans.append((match.start(), match.start() + len(url)))
        stripped = _blank(stripped, spans)
    for kind, pattern, hints in patterns.literal_kinds:
        if hints is not None:
            for hint in hints:
                if hint in stripped:
                    break
            else:
                continue  # no match can be there: spare the scan
        spans = []
        for match in pattern.finditer(stripped):
            norm = match.group().lower() if kind == "guid" else match.group()
            _add(features, Token(kind, match.group(), norm, match.start()))
            spans.append(match.span())
        stripped = _blank(stripped, spans)
    if "&" in stripped:
        stripped = _blank(stripped, [match.span() for match in _ENTITY.finditer(stripped)])
    for match in patterns.number.finditer(stripped):
        written = match.group()
        norm = normalise_number(written)
        _add(features, Token("number", written, written if norm == written else norm, match.start()))
    for match in patterns.acronym.finditer(stripped):
        word = match.group()
        if sum(1 for char in word if char.isupper()) >= 2:
            _add(features, Token("acronym", word, word, match.start()))
    # Lenient presence for numbers: a digit run glued to a word ("2016年") still counts as kept.
    numbers: set[str] = set()
    for match in _DIGIT_RUN.finditer(stripped):
        written = match.group()
        numbers.add(normalise_number(written))
        if not written.isdigit():  # all digits: a single run, its own only part
            # Dates and times are reordered per locale (8/28/2006 -> 28.08.2006): each run counts.
            numbers.update(normalise_number(run) for run in _DIGITS_ONLY.findall(written))
    numbers.difference_update(token.norm for token in features.tokens if token.kind == "number")
    if numbers:
        features.loose_numbers = frozenset(numbers)

    if "*" in stripped or "_" in stripped:
        features.markup.emphasis = _emphasis_runs(stripped)
    if features.markup.tags:
        features.markup.tag_balance_ok = _balanced(features.markup.tags)
    features.masked = stripped
    _compact(features)
    return features


def _glued_spans(match: regex.Match) -> list[tuple[int, str]] | None:
    """The code spans meant by one span whose content holds a double backtick between two
    characters (`configs``states`): two spans written with no space between, which a translator
    glued when dropping the words around them. CommonMark reads a single-backtick span up to the
    next single backtick, so it renders one span with the backticks shown; what was meant is each
    piece as its own span, and it is counted so (the backticks, the code tokens), the glue being
    reported once by B003 and not as lost code. (offset of each piece's opening backtick, its
    content), or None when the span is no glue (longer delimiters, a piece with a backtick or
    blank at the glue: `` ` `` `` and similar literal backticks)."""
    if len(match.group(1)) != 1 or "``" not in match.group(2):
        return None
    content, offset = match.group(2), match.start(2)
    pieces, cursor = [], 0
    for glue in _GLUE.finditer(content):
        pieces.append((offset + cursor - 1, content[cursor:glue.start()]))
        cursor = glue.end()
    pieces.append((offset + cursor - 1, content[cursor:]))
    if len(pieces) < 2 or any("`" in piece for _, piece in pieces):
        return None
    return pieces


# A link to an anchor of the same page: `](#get-the-user-id)`. The id is made from the source's
# heading, lowercase by design, like `<a name="...">`.
_ANCHOR_TARGET = lazy_pattern(r"\]\(\s*(#[^()\s]*)\s*\)")
# An image's path (`![alt](../img/bots_appid.png)`, `:::image source="..."`) names a file, not the text.
_IMAGE_PATH = lazy_pattern(r"!\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^()\s<>]*)|:::image\b[^\n]*?\bsource=\"([^\"]*)\"")


@lru_cache(maxsize=4096)  # a target is read once per acronym it lost: blanked once (bounded)
def without_code_and_tags(text: str) -> str:
    """`text` with its inline code spans, HTML tags, in-page anchor targets and image paths set to BLANK."""
    if "`" in text:
        text = _blank(text, [match.span() for match in _CODE_SPAN.finditer(text)])
    if "<" in text:
        text = _blank(text, [match.span() for match in _HTML_TAG.finditer(text)])
    if "](" in text:
        text = _blank(text, [match.span(1) for match in _ANCHOR_TARGET.finditer(text)])
    if "![" in text or ":::image" in text:
        text = _blank(text, [match.span(1) if match.group(1) is not None else match.span(2) for match in _IMAGE_PATH.finditer(text)])
    return text


def _compact(features: TextFeatures) -> None:
    """Drop what analysing left over: the tokens' list slack, and empty containers (shared ones
    stand in for them)."""
    features.tokens = tuple(features.tokens)
    markup = features.markup
    if markup == NO_MARKUP:
        features.markup = NO_MARKUP
        return
    if not markup.tags:
        markup.tags = _NO_COUNTS
    if not markup.emphasis:
        markup.emphasis = _NO_COUNTS


def _links(text: str, start: int, end: int, features: TextFeatures, patterns: Patterns, spans: list[tuple[int, int]]) -> None:
    """Count the Markdown links and images of `text[start:end]` and take their URLs, including
    an image nested in a link's text (`[![alt](a.png)](url)`), which is read with its link."""
    for match in _MD_LINK.finditer(text, start, end):
        image = bool(match.group(1))
        if image:
            features.markup.images += 1
        else:
            features.markup.links += 1
        target = match.group(2)
        if target:
            _add(features, Token("url", target, _normalise_url(target, patterns), match.start(2)))
            spans.append(match.span(2))
        # A title (`![x](a.png "Examine call stack")`) is a tooltip, text a locale translates: set
        # aside with the URL, so an identifier-like title is not taken for a kept token.
        spans.append((match.end(2), match.end() - 1))
        text_start = match.start() + len(match.group(1)) + 1
        text_end = text.rfind("](", text_start, match.start(2)) if target else text.rfind("](", text_start, match.end())
        label = text[text_start:text_end] if text_end >= text_start else ""
        if not image and not label.strip():
            features.markup.empty_links += 1
        elif not image and "](" in label:
            _links(text, text_start, text_end, features, patterns, spans)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with every character inside `spans` (which may overlap) but line breaks set to BLANK."""
    if not spans:
        return text
    pieces = []
    cursor = 0
    for start, end in sorted(spans):
        start = max(start, cursor)
        if end <= start:
            continue
        pieces.append(text[cursor:start])
        chunk = text[start:end]
        if "\n" in chunk or "\r" in chunk:
            pieces.append(_NOT_LINE_BREAK.sub(BLANK, chunk))
        else:
            pieces.append(BLANK * len(chunk))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _add(features: TextFeatures, token: Token) -> None:
    features.tokens.append(token)


def normalise_number(text: str) -> str:
    """`1,000`, `1.000`, `1 000` and `١٬٠٠٠` all become `1000`; leading zeros are dropped, except
    in a code (one run of 3 or more digits, `045`: rules/numbers.yaml), where they are significant."""
    if text.isascii():
        digits = text if text.isdigit() else "".join(char for char in text if char.isdigit())
    else:
        digits = "".join(str(unicodedata.decimal(char)) for char in text if char.isdecimal())
    if digits[:1] == "0" and len(digits) >= _CODE_DIGITS and len(digits) == len(text):
        return digits
    return digits.lstrip("0") or "0"


def _normalise_url(url: str, patterns: Patterns) -> str:
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if sep:
        host, slash, path = rest.partition("/")
        url = f"{scheme.lower()}://{host.lower()}{slash}{path}"
    url = patterns.url_locale_segment.sub("/{locale}", url)
    return url.rstrip("/")


def _emphasis_runs(text: str) -> dict[str, int]:
    """Count emphasis delimiter runs that can open or close (CommonMark flanking, simplified).

    `_` inside a word (snake_case) and `*` between spaces (2 * 3) are not delimiters.
    """
    counts: dict[str, int] = {}
    for match in _EMPHASIS_RUN.finditer(text):
        run = match.group()
        before = text[match.start() - 1] if match.start() > 0 else " "
        after = text[match.end()] if match.end() < len(text) else " "
        left_flanking = not after.isspace()
        right_flanking = not before.isspace()
        if not (left_flanking or right_flanking):
            continue
        if run[0] == "_" and before.isalnum() and after.isalnum():
            continue
        if len(run) > 3:
            continue  # a horizontal rule or decoration, not emphasis
        counts[run] = counts.get(run, 0) + 1
    return counts


def _balanced(tags: dict[str, int]) -> bool:
    return all(count == tags.get("/" + name, 0) for name, count in tags.items() if not name.startswith("/")) and all(
        tags.get(name[1:], 0) for name in tags if name.startswith("/")
    )
