"""Parsed files kept on disk, so a file named alone (the pre-commit case) parses only itself.

Judging one file needs every sibling locale of its article parsed: 40 locales cost about 80 ms
to parse and 40 of them are unchanged from the last commit. Each sibling's parsed `Variant` is
kept under a key made of loclint's code and rules (`code_fingerprint`), what parsing is told
(display path, place locale, whether the skeleton is built, the size limit) and the digest of
the text read from the file, so a sibling whose bytes changed is parsed again and never served
stale. Only siblings (files loaded to judge others, not reported) are stored: a run over a whole
tree reports every file and neither reads nor writes this cache, so cold runs pay nothing for it.

Entries live beside the result cache (`<cache-dir>/parse-v1/`), are read and written through
`cache.read_entry` / `cache.write_entry`, and unpickled by the result cache's safe unpickler,
which builds only loclint's classes and plain values.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loclint import cache as result_cache

if TYPE_CHECKING:
    from loclint.discover import FileRef
    from loclint.model import Variant
    from loclint.source import ReadResult

FORMAT = 1
# Front matter may hold YAML timestamps: plain value types, safe to build.
_DATE_TYPES = {("datetime", name) for name in ("date", "datetime", "time", "timedelta", "timezone")}


class ParseCache:
    """Parsed sibling variants under `root/parse-v<FORMAT>/`, valid for one build of loclint."""

    def __init__(self, root: Path) -> None:
        self.folder = Path(root) / f"parse-v{FORMAT}"
        self._code = result_cache.code_fingerprint().encode()

    def variant(self, ref: FileRef, read: ReadResult, frame: bool, parse: Callable[[], Variant]) -> Variant:
        """The variant `parse()` makes of `read`, from the cache when this text was parsed before.

        `read` is what `parse` will parse, so the key is the digest of the very text parsed: a
        file changed while the run reads it can never be stored under its old content."""
        key = self._key(ref, read, frame)
        variant = self._load(key)
        if variant is not None:
            variant.path, variant.report = ref.path, ref.report
            variant.text = read.text if read.text is not None else ""  # as `parse()` sets it
            return variant
        variant = parse()
        if not ref.report:
            self._store(key, variant)
        return variant

    def _key(self, ref: FileRef, read: ReadResult, frame: bool) -> str:
        hasher = hashlib.blake2b(self._code, digest_size=32)
        told = (ref.display, ref.place_locale, frame, read.encoding, read.error_code, read.error, read.error_offset)
        hasher.update(repr(told).encode())
        if read.text is not None:
            hasher.update(read.text.encode("utf-8", "surrogatepass"))
        return hasher.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def _load(self, key: str) -> Variant | None:
        from loclint.model import Variant

        payload = result_cache.read_entry(self._path(key), key)
        if payload is None:
            return None
        try:
            found = _VariantUnpickler(io.BytesIO(payload)).load()
        except Exception:  # noqa: BLE001 - a damaged entry is a miss
            return None
        return found if isinstance(found, Variant) else None

    def _store(self, key: str, variant: Variant) -> None:
        # A Path is no loclint class, and the text is what the next run reads anyway (the key is
        # its digest): the entry leaves both out, and `variant` puts them back (half the bytes).
        path, text = variant.path, variant.text
        variant.path, variant.text = None, ""
        try:
            payload = result_cache.dump_outcome(variant)
        finally:
            variant.path, variant.text = path, text
        if payload is not None:
            result_cache.write_entry(self._path(key), key, payload)


class _VariantUnpickler(result_cache._SafeUnpickler):
    """The result cache's unpickler, and the date types YAML front matter can hold."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _DATE_TYPES:
            return pickle.Unpickler.find_class(self, module, name)
        return super().find_class(module, name)
