"""YAML front matter: found, bounded, loaded safely, and mapped back to key positions.

Only a safe loader is ever used, and aliases are counted before loading, so a "billion laughs"
front matter is refused instead of expanded by whoever walks the loaded value later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from types import ModuleType
from typing import Any

from loclint.lazyre import MULTILINE, lazy_pattern, regex

MAX_ALIASES = 64
# What a loaded front matter may expand to, counting a value reached through an alias each time
# it is reached (that is how checks walk it): eight lists of eight aliases, nested eight deep,
# are 64 aliases but 16 million values, and took 1.7 GB and minutes to compare and print.
MAX_VALUES = 100_000
MAX_DEPTH = 64
# Merge keys (`<<: [*a, *a]`) that each double what they merge: PyYAML before 6.0.4 builds the
# merged mapping eagerly, so 29 of them took minutes and gigabytes before a value was seen. No
# article's metadata merges mappings; a few are allowed, as YAML allows them.
MAX_MERGES = 8
_MERGE = lazy_pattern(r"(?:^|[\s{,])<<[ \t]*:", MULTILINE)
_BRACKET = lazy_pattern(r"[\[\]{}]")
_OPENING = lazy_pattern(r"---[ \t]*(?:\r\n|\r|\n)")
# Line starts and ends by hand: `^`/`$` know only LF, and a CRLF file's `---\r` must still close.
_CLOSING = lazy_pattern(r"(?:\A|(?<=[\r\n]))(?:---|\.\.\.)[ \t]*(?=[\r\n]|\Z)")
_ALIAS = lazy_pattern(r"(?:^|[\s\[{,:-])\*[^\s,\[\]{}]+", MULTILINE)
# The fast path reads one-line entries only: a plain-word key, then nothing, a plain scalar that
# cannot begin anything longer, or a quoted string without escapes.
_PLAIN_KEY = lazy_pattern(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_LIST_ITEM = lazy_pattern(r"( *)- (.*)")
# What a value may not hold: characters YAML does not print or takes for line breaks, and tabs.
_NOT_PRINTED = lazy_pattern(r"[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# A plain scalar starting with one of these is an indicator, a document marker, a merge or a value key.
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`.<= ")
_TOP_LEVEL_KEY = lazy_pattern(r"(?:\A|(?<=[\r\n]))([^\s#:\-'\"][^:\r\n]*?)[ \t]*:(?=[ \t\r\n]|\Z)")


@dataclass(slots=True)
class FrontMatter:
    """A file's front matter: its mapping, where each key is, and any problem."""

    data: dict[str, Any] | None = None
    key_offsets: dict[str, int] = field(default_factory=dict)
    body_start: int = 0
    error_code: str | None = None  # E003 missing, E004 invalid
    error: str | None = None
    error_offset: int = 0


# Front matter that is there but does not start the file: key lines closed by `---` (the opening
# line was lost), or a whole `---` block after some other first line (text was prepended).
_MISPLACED = lazy_pattern(
    r"\A(?:[\w.-]+[ \t]*:[^\r\n]*\r?\n)+---[ \t]*(?:\r?\n|\Z)"
    r"|^---[ \t]*\r?\n(?:[\w.-]+[ \t]*:[^\r\n]*\r?\n)+---[ \t]*$",
    MULTILINE)


def misplaced_front_matter(text: str) -> bool:
    """Does the file hold a front matter block that fails to start it (a damaged block, not none)?"""
    return _MISPLACED.search(text[:4096]) is not None


def read_front_matter(text: str) -> FrontMatter:
    opening = _OPENING.match(text)
    if not opening:
        return FrontMatter(error_code="E003", error="no YAML front matter: the file must start with a `---` line")
    closing = _CLOSING.search(text, opening.end())
    if not closing:
        return FrontMatter(
            error_code="E004",
            error="front matter is never closed: add a `---` line after the last key",
        )
    yaml_start, yaml_end = opening.end(), closing.start()
    yaml_text = text[yaml_start:yaml_end]
    body_start = closing.end()
    result = FrontMatter(body_start=body_start)

    alias_count = sum(1 for _ in _ALIAS.finditer(yaml_text))
    if alias_count > MAX_ALIASES:
        result.error_code, result.error = "E004", (
            f"front matter uses {alias_count} YAML aliases (limit {MAX_ALIASES}); refused as a possible alias bomb"
        )
        result.error_offset = yaml_start
        return result
    if _flow_depth(yaml_text) > MAX_DEPTH:
        # Refused before loading: the libyaml of PyYAML before 6.0.4 has no depth limit and
        # crashes the interpreter (a segmentation fault) on 100,000 nested `[`.
        result.error_code, result.error = "E004", f"front matter is nested more than {MAX_DEPTH} levels deep; refused"
        result.error_offset = yaml_start
        return result
    merges = sum(1 for _ in _MERGE.finditer(yaml_text)) if "<<" in yaml_text else 0
    if merges > MAX_MERGES:
        result.error_code, result.error = "E004", (
            f"front matter uses {merges} YAML merge keys (limit {MAX_MERGES}); refused as a possible merge-key bomb"
        )
        result.error_offset = yaml_start
        return result
    try:
        flat = _load_flat(yaml_text)
        data = flat[0] if flat else _load(yaml_text)
    except _yaml().YAMLError as exc:  # evaluated only when something was raised
        result.error_code, result.error = "E004", f"invalid YAML in front matter: {_yaml_problem(exc)}"
        result.error_offset = yaml_start + _yaml_offset(exc, yaml_text)
        return result
    except (RecursionError, MemoryError):
        result.error_code, result.error = "E004", "front matter is nested too deeply to load"
        result.error_offset = yaml_start
        return result
    except (ValueError, TypeError, OverflowError) as exc:
        # The loader's constructors raise these for a value that matches a type's spelling but
        # is none of it: `ms.date: 2018-13-45` (no month 13), `ms.custom: 0b_` (no digits).
        result.error_code, result.error = "E004", f"front matter holds a value YAML cannot read: {exc}"
        result.error_offset = yaml_start
        return result
    if data is None:
        data = {}
    too_big = None if flat else _too_big(data)
    if too_big:
        result.error_code, result.error, result.error_offset = "E004", too_big, yaml_start
        return result
    if not isinstance(data, dict):
        result.error_code, result.error = "E004", f"front matter is a {type(data).__name__}, not a mapping of keys"
        result.error_offset = yaml_start
        return result
    result.data = {str(key): value for key, value in data.items()}
    if flat:
        result.key_offsets = {key: yaml_start + offset for key, offset in flat[1].items()}
    else:
        result.key_offsets = {
            match.group(1).strip(): yaml_start + match.start(1) for match in _TOP_LEVEL_KEY.finditer(yaml_text)
        }
    return result


def _flow_depth(yaml_text: str) -> int:
    """How deep `[` and `{` nest, quotes not considered (brackets in a quoted value can only make
    it look deeper): an upper bound, counted only when there are enough brackets to matter."""
    if yaml_text.count("[") + yaml_text.count("{") <= MAX_DEPTH:
        return 0
    depth = deepest = 0
    for match in _BRACKET.finditer(yaml_text):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(depth - 1, 0)
    return deepest


def _too_big(data: Any) -> str | None:
    """Why the loaded value is refused (too many values once aliases are expanded, or nested too
    deeply), or None. Walked without recursion, and stopped as soon as a limit is passed."""
    pending = [(data, 1)]
    seen = 0
    while pending:
        value, depth = pending.pop()
        seen += 1
        if seen > MAX_VALUES:
            return f"front matter expands to more than {MAX_VALUES:,} values (through aliases or merge keys); refused as a possible alias bomb"
        if depth > MAX_DEPTH:
            return f"front matter is nested more than {MAX_DEPTH} levels deep; refused"
        if isinstance(value, dict):
            pending.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list | tuple | set):
            pending.extend((item, depth + 1) for item in value)
    return None


def _load_flat(yaml_text: str) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The mapping of a front matter made only of one-line `key: scalar` entries and the offset
    of each key in `yaml_text`, or None.

    Such front matter (nearly all of it) is read line by line, each scalar as the safe loader
    reads it (`_scalar`: most without the loader, the rest once per distinct spelling), which is
    several times faster than loading each document whole; so is a list of such scalars under a
    key, one `- item` a line at one indentation. Anything else, another indented line, a nested
    list, a flow collection, an anchor, a quote that is not closed on its line, gets None: the
    caller loads the document whole, so the result, or the error, is exactly the loader's.
    """
    data: dict[str, Any] = {}
    offsets: dict[str, int] = {}
    line_start = 0
    listed: tuple[str, int] | None = None  # (key, indentation) of the list being read, if any
    last_empty: str | None = None  # the last key, if it has no value on its line (a list may follow)
    for line in yaml_text.split("\n"):
        at, line_start = line_start, line_start + len(line) + 1
        if line.endswith("\r"):
            line = line[:-1]
        if "\r" in line:
            return None  # a lone CR breaks lines too
        if not line.strip() or line.startswith("#"):
            continue
        item = _LIST_ITEM.fullmatch(line)
        if item is not None:  # `- scalar` under `key:` (`ms.custom:` then `- "3800004"` lines)
            indent, scalar = len(item.group(1)), item.group(2).strip(" ")
            if listed is None and last_empty is not None:
                listed, last_empty = (last_empty, indent), None
                data[listed[0]] = []
            if listed is None or indent != listed[1] or not scalar or not _flat_scalar(scalar):
                return None
            data[listed[0]].append(_scalar(scalar))
            continue
        listed = last_empty = None
        key, colon, value = line.partition(":")
        if not colon or not _PLAIN_KEY.fullmatch(key) or _scalar(key) != key:
            return None  # no key, or one the loader would read as a bool, a number or null
        scalar = value.strip(" ")
        if value and (value[0] != " " or (scalar and not _flat_scalar(scalar))):
            return None  # `key:value` is one plain string to YAML, not an entry
        if not scalar:
            data[key], last_empty = None, key
        else:
            data[key] = _scalar(scalar)
        offsets[key] = at
    return data, offsets


def _flat_scalar(value: str) -> bool:
    """Is `value` a whole scalar on its own: a plain one, or a quoted one without escapes?"""
    if _NOT_PRINTED.search(value):
        return False
    if value[0] == "'":
        return len(value) > 1 and value[-1] == "'" and "'" not in value[1:-1]
    if value[0] == '"':
        return len(value) > 1 and value[-1] == '"' and '"' not in value[1:-1] and "\\" not in value
    return value[0] not in _NOT_PLAIN_START and ": " not in value and " #" not in value and value[-1] != ":"


_MAX_MEMO_SCALAR = 200  # characters of a scalar worth remembering (`ms.topic: article` recurs)


# The plain scalars the safe loader reads as other than strings: YAML 1.1's implicit bool, float,
# int, null and timestamp, and the merge and value keys, spelled as PyYAML resolves them (a
# one-digit month is a date only with a time of day). Anything else is the string it spells.
# Compiled by the standard `re` (it uses nothing `regex` adds, and `re` compiles it 3x faster).
_TYPED_SCALAR = (
    r"(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
    r"|~|null|Null|NULL|<<|="
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)"
)


@cache
def _typed_scalar() -> re.Pattern[str]:
    return re.compile(_TYPED_SCALAR)


def _scalar(spelling: str) -> Any:
    """A one-line scalar (one `_flat_scalar` accepts, or a plain key) as the safe loader reads it.

    A quoted one without escapes is its inside; a plain one that no implicit type could match
    is itself: nearly every value (`ms.topic: article`), so YAML is not even imported for the
    front matter of most files. The rest go to the loader."""
    if spelling[0] in "'\"":
        return spelling[1:-1]
    if not _typed_scalar().fullmatch(spelling):
        return spelling
    if len(spelling) > _MAX_MEMO_SCALAR:  # a long value seldom recurs: not worth keeping
        return _load(spelling)
    return _loaded_scalar(spelling)


@lru_cache(maxsize=4096)
def _loaded_scalar(spelling: str) -> Any:
    """The loader's reading of a short scalar; immutable, so safe to share between files."""
    return _load(spelling)


def _load(yaml_text: str) -> Any:
    yaml = _yaml()
    return yaml.load(yaml_text, Loader=_safe_loader(yaml))  # noqa: S506 - a safe loader


@cache
def _yaml() -> ModuleType:
    """PyYAML, imported when a front matter needs it (a tenth of a pre-commit run's start-up)."""
    import yaml

    return yaml


def _safe_loader(yaml: ModuleType) -> type:
    # libyaml's loader is ~10x faster; the pure-Python one is an exact fallback.
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml_problem(exc: Exception) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return " ".join(str(problem).split())


def _yaml_offset(exc: Exception, yaml_text: str) -> int:
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return 0
    lines = yaml_text.splitlines(keepends=True)
    return sum(len(line) for line in lines[: mark.line]) + mark.column
