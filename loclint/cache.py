"""What checking an article group found, kept on disk so an unchanged group is never checked twice.

An entry is keyed by everything the result depends on: the bytes of every variant in the group,
the group's layout (paths, locales, which files are reported), the settings, and the loclint code
and `rules/` data themselves (hashed, so an edited check or rule file never serves a stale result).

Safety: entries are written to a temporary file in the same folder and renamed into place, so a
reader sees a whole entry or none, and two runs at once never corrupt each other. An entry that is
truncated, corrupt, from another format or for another key is ignored and rebuilt. Entries are
pickles read by an unpickler that only builds loclint's own classes and a few plain containers,
so a cache folder planted in a repository cannot run code.

Speed: hashing every file's bytes would make a warm run read the whole tree. Instead the cache
keeps a memo of digests (`digests.json`, beside the entries' folder) keyed by each file's
absolute path and stat fields (size, mtime, ctime, inode, device), as git's index and ruff's
cache do: while they are unchanged the remembered digest is used; when any changed, the content
is hashed again. A file changed less than `_RACY_SECONDS` before it is hashed is not remembered,
since a second write within the timestamp resolution of some file systems could leave every stat
field as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import time
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loclint import __version__

if TYPE_CHECKING:
    from loclint.config import Settings
    from loclint.discover import PlannedGroup
    from loclint.results import GroupEvidence, GroupOutcome

DEFAULT_DIR = ".loclint_cache"
FORMAT = 1
_MAGIC = b"loclint-cache %d\n" % FORMAT
# Settings that change how results are shown or where they go, never what a group yields.
_NOT_IN_KEY = {"origins", "config_path", "compiled_patterns", "compiled_typography", "terms", "output_format", "_resolved"}
_SAFE_BUILTINS = {("builtins", name) for name in ("set", "frozenset", "list", "dict", "tuple", "slice")}
_SAFE_BUILTINS |= {("collections", "Counter"), ("collections", "OrderedDict"), ("collections", "defaultdict")}
_MEMO_FILE = "digests.json"
_MEMO_FORMAT = 1
_MEMO_LIMIT = 200_000  # entries kept from earlier runs; past it only this run's files are kept
_RACY_SECONDS = 2  # coarser than any file system's timestamps (FAT keeps mtime to 2 s)


class ResultCache:
    """Group results under `folder`, valid for one set of settings and one build of loclint."""

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.root = Path(folder)
        self.folder = self.root / f"v{FORMAT}"
        self.max_file_size = settings.max_file_size
        self._run_key = _digest(code_fingerprint().encode(), settings_fingerprint(settings).encode())
        self._prepared = False
        self._memo: DigestMemo | None = None

    def keys(self, planned: list[PlannedGroup], parts: list[str] | None = None) -> list[str]:
        """The entry names of the groups, in order (each for its `part`, see `key`); the digest
        memo is saved once, after them all."""
        found = [self.key(group, part) for group, part in zip(planned, parts or ["outcome"] * len(planned))]
        if self._memo is not None and self._memo.changed:
            self._prepare_quietly()
            self._memo.save()
        return found

    def key(self, planned: PlannedGroup, part: str = "outcome") -> str:
        """The entry name for a group: a hash of the run key, its layout and every file's content.

        `part` is what the entry holds: the group's whole outcome, or only its evidence (the
        groups of other shards under `--shard`)."""
        if self._memo is None:
            self._memo = DigestMemo(self.root / _MEMO_FILE)
        hasher = hashlib.blake2b(self._run_key.encode(), digest_size=32)
        identity = [part, planned.key, planned.article, getattr(planned, "source", None), getattr(planned, "preset", None)]
        hasher.update(json.dumps(identity).encode())
        for ref in planned.files:
            hasher.update(repr((str(ref.path), ref.display, ref.place_locale, ref.report)).encode())  # str, None, bool: exact
            hasher.update(self._memo.digest(ref.path, self.max_file_size))
        return hasher.hexdigest()

    def has(self, key: str) -> bool:
        """Is there an entry for `key`? (Whether it can be trusted, only `load` tells.)"""
        return os.path.isfile(self._path(key))

    def load(self, key: str) -> GroupOutcome | GroupEvidence | None:
        """The stored outcome for `key`, or None when there is none or it cannot be trusted."""
        # Here: a run without a cache never needs the result types' module.
        from loclint.results import GroupEvidence, GroupOutcome

        try:
            with open(self._path(key), "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        header = _MAGIC + key.encode() + b"\n"
        if not data.startswith(header):
            return None
        try:
            outcome = _SafeUnpickler(io.BytesIO(data[len(header) :])).load()
        except Exception:  # noqa: BLE001 - any damage to an entry means "not cached"
            return None
        return outcome if isinstance(outcome, GroupOutcome | GroupEvidence) else None

    def store(self, key: str, outcome: GroupOutcome | GroupEvidence) -> None:
        """Write an entry atomically; a cache that cannot be written (read-only, full) is skipped."""
        payload = dump_outcome(outcome)
        if payload is not None:  # an unpicklable result is simply not cached
            self.store_payload(key, payload)

    def store_payload(self, key: str, payload: bytes) -> None:
        """`store` for an outcome already pickled by `dump_outcome` (by a worker process)."""
        try:
            self._prepare()
            _write_atomic(self._path(key), _MAGIC + key.encode() + b"\n" + payload)
        except OSError:
            return

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def _prepare_quietly(self) -> None:
        """`_prepare` for writes other than entries (the digest memo)."""
        try:
            self._prepare()
        except OSError:
            pass  # an unwritable cache only costs speed

    def _prepare(self) -> None:
        """Mark the folder as a cache: backup tools skip it (CACHEDIR.TAG), git ignores it."""
        if self._prepared:
            return
        self._prepared = True
        self.root.mkdir(parents=True, exist_ok=True)
        for name, content in (
            ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n# loclint's result cache; safe to delete.\n"),
            (".gitignore", "*\n"),
        ):
            target = self.root / name
            if not target.exists():
                target.write_text(content, encoding="utf-8")


def dump_outcome(outcome: GroupOutcome) -> bytes | None:
    """An outcome pickled compactly, as cache entries hold it; None when it cannot be pickled."""
    try:
        buffer = io.BytesIO()
        _CompactPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(outcome)
        return buffer.getvalue()
    except Exception:  # noqa: BLE001 - whatever the cause, the caller goes without the payload
        return None


class _CompactPickler(pickle.Pickler):
    """Stores frozen dataclasses (a run can hold 100,000 diagnostics) as constructor arguments.

    Unpickling a slotted dataclass the default way runs Python code per field; calling the
    constructor with the values in order is several times faster, and a warm run is mostly that.
    """

    def reducer_override(self, obj: Any) -> Any:
        names = _constructor_fields(type(obj))
        if names is None:
            return NotImplemented
        return type(obj), tuple(getattr(obj, name) for name in names)


@cache
def _constructor_fields(cls: type) -> tuple[str, ...] | None:
    """The fields of a frozen dataclass whose constructor takes them all, in order; else None."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen:
        return None
    found = fields(cls)
    if not all(item.init for item in found):
        return None
    return tuple(item.name for item in found)


class _SafeUnpickler(pickle.Unpickler):
    """Builds only classes defined in loclint and plain containers; anything else is refused."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_BUILTINS or (module == "loclint" or module.startswith("loclint.")):
            found = super().find_class(module, name)
            if isinstance(found, type):  # a class, never a function that could act on the system
                return found
        raise pickle.UnpicklingError(f"refusing {module}.{name} in a cache entry")


def file_digest(path: Path, max_bytes: int) -> bytes:
    """A digest of a file's bytes, or of why it cannot be read: both decide what checking reports."""
    try:
        size = os.stat(path).st_size
        if size > max_bytes:  # reported as too large (E006) whatever it holds
            return _too_large(size)
        return _content_digest(path, max_bytes)
    except OSError as exc:
        return _unreadable(exc)


def _content_digest(path: Path, max_bytes: int) -> bytes:
    with open(path, "rb") as handle:
        return hashlib.blake2b(handle.read(max_bytes + 1), digest_size=32).digest()


def _too_large(size: int) -> bytes:
    return f"too-large:{size}".encode()


def _unreadable(exc: OSError) -> bytes:
    return f"unreadable:{type(exc).__name__}:{exc.errno}".encode()


class DigestMemo:
    """File digests remembered by path and stat fields, so an unchanged file is never read again.

    Only a hint: an entry whose stat fields differ in any way is hashed afresh, and a memo that is
    missing, damaged or of another format is an empty one. It holds JSON, never code.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries = self._read()
        self.used: dict[str, list] = {}  # this run's files, kept whatever the size of the memo
        self.changed = False

    def digest(self, path: Path, max_bytes: int) -> bytes:
        """`file_digest(path, max_bytes)`, read from the memo when the file's stat is unchanged."""
        try:
            status = os.stat(path)
            name = os.path.abspath(path)
        except OSError:  # unreadable, or the working folder is gone: no memo for it
            return file_digest(path, max_bytes)
        if status.st_size > max_bytes:
            return _too_large(status.st_size)
        stamp = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]
        remembered = _remembered_digest(self.entries.get(name), stamp)
        if remembered is not None:
            self.used[name] = self.entries[name]
            return remembered
        try:
            digest = _content_digest(path, max_bytes)
        except OSError as exc:
            return _unreadable(exc)
        if _settled(status):
            self.used[name] = self.entries[name] = [*stamp, digest.hex()]
            self.changed = True
        return digest

    def save(self) -> None:
        """Write the memo atomically (two runs at once: the last one's memo wins, both are whole)."""
        entries = self.entries if len(self.entries) <= _MEMO_LIMIT else self.used
        data = json.dumps({"format": _MEMO_FORMAT, "files": entries}, separators=(",", ":")).encode()
        try:
            _write_atomic(self.path, data)
        except OSError:
            return
        self.changed = False

    def _read(self) -> dict[str, list]:
        try:
            with open(self.path, "rb") as handle:
                data = json.loads(handle.read())
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("format") != _MEMO_FORMAT or not isinstance(data.get("files"), dict):
            return {}
        return data["files"]


def _settled(status: os.stat_result) -> bool:
    """Was the file last changed long enough ago that a later change must show in its stat?"""
    return max(status.st_mtime_ns, status.st_ctime_ns) < time.time_ns() - _RACY_SECONDS * 1_000_000_000


def _remembered_digest(known: object, stamp: list[int]) -> bytes | None:
    """The digest a memo entry holds for a file with these stat fields, or None."""
    if not isinstance(known, list) or len(known) != 6 or known[:5] != stamp or not isinstance(known[5], str):
        return None
    try:
        digest = bytes.fromhex(known[5])
    except ValueError:
        return None
    return digest if len(digest) == 32 else None


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place: readers see all or none."""
    import tempfile  # here: a warm run writes nothing

    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False)
    try:
        with handle:
            handle.write(data)
        os.replace(handle.name, path)
    except BaseException:
        _remove(handle.name)
        raise


def settings_fingerprint(settings: Settings) -> str:
    values = {f.name: getattr(settings, f.name) for f in fields(settings) if f.name not in _NOT_IN_KEY}
    glossary = getattr(settings, "_glossary_path", None)
    path = glossary() if callable(glossary) else None
    if path is not None:  # the user's term list is data the checks read: its content counts
        values["glossary-content"] = file_digest(path, 1 << 30).hex()
    return json.dumps(values, sort_keys=True, default=_canonical)


def _canonical(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    return repr(value)


@cache
def code_fingerprint() -> str:
    """loclint's version, sources and rule data: a result is valid only for the code that made it."""
    from loclint.registry import rules_dir

    hasher = hashlib.blake2b(__version__.encode(), digest_size=32)
    package = Path(__file__).resolve().parent
    files = sorted(package.rglob("*.py")) + sorted(path for path in rules_dir().rglob("*") if path.is_file())
    for path in files:
        hasher.update(str(path.relative_to(path.parents[1])).encode())
        try:
            hasher.update(path.read_bytes())
        except OSError:
            hasher.update(b"unreadable")
    return hasher.hexdigest()


def _digest(*parts: bytes) -> str:
    hasher = hashlib.blake2b(digest_size=32)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little") + part)
    return hasher.hexdigest()


def _remove(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


# Entry files other than group outcomes (the parse cache, loclint/parse_cache.py) are read and
# written here and only here: a header naming the key, then the payload. Whatever guards an entry
# (its key in the header today) is added in these two functions.
def read_entry(path: Path, key: str) -> bytes | None:
    """The payload `write_entry` stored at `path` for `key`; None when absent or for another key."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    header = _MAGIC + key.encode() + b"\n"
    return data[len(header) :] if data.startswith(header) else None


def write_entry(path: Path, key: str, payload: bytes) -> None:
    """Store `payload` for `key` at `path` atomically; a cache that cannot be written is skipped."""
    try:
        _write_atomic(path, _MAGIC + key.encode() + b"\n" + payload)
    except OSError:
        return
