"""Bytes on disk to text: decoding, BOMs, and the input errors that reading can meet.

Nothing here raises on bad input: every failure becomes a `ReadResult` with an error message,
so one unreadable file never stops the run.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path

from loclint.fsguard import ReadPolicy, RefusedPath, check_path, read_checked

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class ReadResult:
    """A file's text as decoded, or the problem that stopped reading it."""

    text: str | None  # None when nothing usable could be read
    encoding: str | None = None
    error_code: str | None = None  # an E code when reading met a problem
    error: str | None = None
    error_offset: int = 0  # character offset in `text` the problem is at (0 when text is None)


def read_text(path: Path, max_bytes: int, policy: ReadPolicy = ReadPolicy()) -> ReadResult:
    """Read a file as text; never raises for I/O or decoding problems. A link out of the tree
    (E009) or a FIFO or device (E010) is reported without being read (see fsguard)."""
    try:
        check_path(path, policy)  # before any stat: not even the size of what lies outside is read
        size = os.stat(path).st_size
        if size > max_bytes:
            return ReadResult(
                None,
                error_code="E006",
                error=f"file is {size:,} bytes, over the limit of {max_bytes:,} "
                "(raise `max-file-size` in the configuration to check it)",
            )
        data = read_checked(path, policy, max_bytes + 1)
    except RefusedPath as exc:
        return ReadResult(None, error_code=exc.code, error=exc.message)
    except IsADirectoryError:
        return ReadResult(None, error_code="E001", error="is a directory, not a file")
    except FileNotFoundError:
        return ReadResult(None, error_code="E001", error="file vanished while the run was going on")
    except PermissionError:
        return ReadResult(None, error_code="E001", error="permission denied: cannot read the file")
    except OSError as exc:
        return ReadResult(None, error_code="E001", error=f"cannot read the file: {exc.strerror or exc}")
    return decode(data)


def decode(data: bytes) -> ReadResult:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                return ReadResult(None, error_code="E002", error=f"invalid {encoding} after its BOM: {exc.reason}")
            text = text.lstrip("\ufeff")
            if encoding == "utf-8-sig":
                return ReadResult(text, encoding)
            # UTF-16/32 is readable but not what Markdown pipelines expect: check it, and say so.
            return ReadResult(text, encoding, "E002", f"file is {encoding.upper()} with a BOM; docs pipelines expect UTF-8")
    if b"\x00" in data[:8192]:
        return ReadResult(None, error_code="E007", error="file holds NUL bytes: binary, not Markdown")
    try:
        return ReadResult(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        # Keep checking what can be read: undecodable bytes become U+FFFD, the file is reported once.
        text = data.decode("utf-8", errors="replace")
        offset = len(data[: exc.start].decode("utf-8", errors="replace"))
        return ReadResult(
            text,
            "utf-8",
            "E002",
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start} ({exc.reason}); "
            "re-save the file as UTF-8",
            offset,
        )
