"""What checking an article group found, kept on disk so an unchanged group is never checked twice.

An entry is keyed by everything the result depends on: the bytes of every variant in the group,
the group's layout (paths, locales, which files are reported), the settings, and the loclint code
and `rules/` data themselves (hashed, so an edited check or rule file never serves a stale result).

Safety: entries are written to a temporary file in the same folder and renamed into place, so a
reader sees a whole entry or none, and two runs at once never corrupt each other. An entry that is
truncated, corrupt, from another format or for another key is ignored and rebuilt. Entries are
pickles read by an unpickler that only builds loclint's own classes and a few plain containers,
so a cache folder planted in a repository cannot run code.

Trust: the unpickler limits what an entry can build, not whether what it says is true. A pull
request can commit a `.loclint_cache/` whose entries match its own files and claim "no findings".
So every entry (and the digest memo) carries an HMAC made with a per-user secret that lives
outside the checked tree (`EntrySigner`, key in the user's cache folder, mode 0600): an entry
this user did not write on this machine fails verification and is checked afresh and rewritten.
Every cache kind reads and writes through `EntrySigner.sign` / `EntrySigner.verify`.

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
import stat
import time
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loclint import __version__
from loclint.fsguard import ReadPolicy, RefusedPath, check_path, read_checked
from loclint.signing import TEMP_PREFIX, EntrySigner, key_path, remove_quietly, write_atomic

if TYPE_CHECKING:
    from loclint.config import Settings
    from loclint.discover import PlannedGroup
    from loclint.results import GroupEvidence, GroupOutcome

DEFAULT_DIR = ".loclint_cache"
# The tag that marks a cache folder for backup tools (bford.info/cachedir), and for `loclint clean` as ours.
CACHE_TAG_NAME = "CACHEDIR.TAG"
CACHE_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# loclint's result cache; safe to delete.\n"
FORMAT = 1
_MAGIC = b"loclint-cache %d\n" % FORMAT
# Settings that change how results are shown or where they go, never what a group yields.
# The tree's roots are not either: what they decide for a file (read or refused) is in its digest.
_NOT_IN_KEY = {"origins", "config_path", "compiled_patterns", "compiled_typography", "terms", "output_format",
               "_resolved", "read_policy"}
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
        self._signer = EntrySigner.for_user()

    @property
    def run_key(self) -> str:
        """The digest of the settings and loclint's code that every entry of this cache is for."""
        return self._run_key

    def keys(self, planned: list[PlannedGroup], parts: list[str] | None = None, policy: ReadPolicy = ReadPolicy()) -> list[str]:
        """The entry names of the groups, in order (each for its `part`, see `key`); the digest
        memo is saved once, after them all."""
        found = [self.key(group, part, policy) for group, part in zip(planned, parts or ["outcome"] * len(planned))]
        if self._memo is not None and self._memo.changed:
            self.prepare_quietly()
            self._memo.save()
        return found

    def key(self, planned: PlannedGroup, part: str = "outcome", policy: ReadPolicy = ReadPolicy()) -> str:
        """The entry name for a group: a hash of the run key, its layout and every file's content.

        `part` is what the entry holds: the group's whole outcome, or only its evidence (the
        groups of other shards under `--shard`)."""
        if self._memo is None:
            self._memo = DigestMemo(self.root / _MEMO_FILE, self._signer)
        hasher = hashlib.blake2b(self._run_key.encode(), digest_size=32)
        identity = [part, planned.key, planned.article, getattr(planned, "source", None), getattr(planned, "preset", None)]
        hasher.update(json.dumps(identity).encode())
        for ref in planned.files:
            hasher.update(repr((str(ref.path), ref.display, ref.place_locale, ref.report)).encode())  # str, None, bool: exact
            hasher.update(self._memo.digest(ref.path, self.max_file_size, policy))
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
                data = self._signer.verify(handle.read())
                if data is not None:
                    _mark_used(handle)
        except OSError:
            return None
        header = _MAGIC + key.encode() + b"\n"
        if data is None:  # not written by this user on this machine: checked afresh, then rewritten
            return None
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
        if not self._signer.usable:  # an entry nobody can verify is not worth writing
            return
        try:
            self._prepare()
            write_atomic(self._path(key), self._signer.sign(_MAGIC + key.encode() + b"\n" + payload))
        except OSError:
            return

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def prepare_quietly(self) -> None:
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
        remove_stale_temporaries(self.root)
        prune_if_due(self.root)
        for name, content in (
            (CACHE_TAG_NAME, CACHE_TAG),
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
    """Stores frozen and slotted dataclasses (a run can hold 100,000 diagnostics, a parsed
    sibling hundreds of segments) as constructor arguments.

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
    """The fields of a dataclass whose constructor takes them all, in order; else None.

    Frozen or slotted only: a plain dataclass may carry attributes beyond its fields (a cached
    property's value) that its constructor would not restore; and none with `__post_init__`,
    which could change what it is given."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or hasattr(cls, "__post_init__"):
        return None
    if not (params.frozen or cls.__dictoffset__ == 0):  # 0: its instances have no `__dict__`
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


def file_digest(path: Path, max_bytes: int, policy: ReadPolicy = ReadPolicy()) -> bytes:
    """A digest of a file's bytes, or of why it cannot be read: both decide what checking reports."""
    try:
        check_path(path, policy)
        size = os.stat(path).st_size
        if size > max_bytes:  # reported as too large (E006) whatever it holds
            return _too_large(size)
        return _content_digest(path, max_bytes, policy)
    except OSError as exc:
        return _unreadable(exc)


def _content_digest(path: Path, max_bytes: int, policy: ReadPolicy = ReadPolicy()) -> bytes:
    """Read through fsguard: a FIFO, a device or a link out of the tree is never read."""
    return hashlib.blake2b(read_checked(path, policy, max_bytes + 1), digest_size=32).digest()


def _too_large(size: int) -> bytes:
    return f"too-large:{size}".encode()


def _unreadable(exc: OSError) -> bytes:
    if isinstance(exc, RefusedPath):  # the message names the link's target: a new target, a new key
        return f"refused:{exc.code}:{exc.message}".encode()
    return f"unreadable:{type(exc).__name__}:{exc.errno}".encode()


class DigestMemo:
    """File digests remembered by path and stat fields, so an unchanged file is never read again.

    Only a hint: an entry whose stat fields differ in any way is hashed afresh, and a memo that is
    missing, damaged or of another format is an empty one. It holds JSON, never code.
    """

    def __init__(self, path: Path, signer: EntrySigner) -> None:
        self.path = path
        self.signer = signer
        self.entries = self._read()
        self.used: dict[str, list] = {}  # this run's files, kept whatever the size of the memo
        self.changed = False

    def digest(self, path: Path, max_bytes: int, policy: ReadPolicy = ReadPolicy()) -> bytes:
        """`file_digest(path, max_bytes)`, read from the memo when the file's stat is unchanged."""
        try:
            check_path(path, policy)
            status = os.stat(path, follow_symlinks=False)
            name = os.path.abspath(path)
        except OSError:  # refused, unreadable, or the working folder is gone: no memo for it
            return file_digest(path, max_bytes, policy)
        if not stat.S_ISREG(status.st_mode):  # a link (its target may change), FIFO, device: never remembered
            return file_digest(path, max_bytes, policy)
        if status.st_size > max_bytes:
            return _too_large(status.st_size)
        stamp = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]
        remembered = _remembered_digest(self.entries.get(name), stamp)
        if remembered is not None:
            self.used[name] = self.entries[name]
            return remembered
        try:
            digest = _content_digest(path, max_bytes, policy)
        except OSError as exc:
            return _unreadable(exc)
        if _settled(status):
            self.used[name] = self.entries[name] = [*stamp, digest.hex()]
            self.changed = True
        return digest

    def save(self) -> None:
        """Write the memo atomically (two runs at once: the last one's memo wins, both are whole)."""
        if not self.signer.usable:  # a memo nobody can verify would only be read as empty
            return
        entries = self.entries if len(self.entries) <= _MEMO_LIMIT else self.used
        data = json.dumps({"format": _MEMO_FORMAT, "files": entries}, separators=(",", ":")).encode()
        try:
            write_atomic(self.path, self.signer.sign(data))
        except OSError:
            return
        self.changed = False

    def _read(self) -> dict[str, list]:
        try:
            with open(self.path, "rb") as handle:
                verified = self.signer.verify(handle.read())
            data = json.loads(verified) if verified is not None else None
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




# The bound on the entry folders (`v<N>/` results, `parse-v<N>/` parsed siblings, of any format):
# an entry not used for `PRUNE_AGE_DAYS` is removed, then the least recently used ones while the
# entries hold more than `PRUNE_MAX_BYTES`. An entry's mtime is when it was last used (a hit
# touches an entry not touched for a day), so pruning reads no entry and needs no key.
# It runs at most once per `PRUNE_EVERY_SECONDS`, by the first run that writes an entry then.
PRUNE_AGE_DAYS = 30
PRUNE_MAX_BYTES = 512 * 1024 * 1024
PRUNE_EVERY_SECONDS = 24 * 3600
_USED_EVERY_SECONDS = 24 * 3600  # a hit refreshes an entry's mtime at most this often
_PRUNE_MARK = "last-prune"


def _mark_used(handle) -> None:
    """Record that the entry open in `handle` was used (its mtime), unless that was done lately."""
    try:
        if os.fstat(handle.fileno()).st_mtime < time.time() - _USED_EVERY_SECONDS:
            os.utime(handle.fileno())
    except OSError:
        pass  # a read-only cache: the entry just ages


def prune_if_due(root: Path, now: float | None = None) -> int:
    """Prune the cache under `root` if no run did in the last `PRUNE_EVERY_SECONDS`; entries removed.

    The run claims the turn by writing the mark first, so runs at once do not all prune. Removing
    an entry another run is about to read only makes that read a miss; a temporary file being
    written (`.tmp-…`) is never touched, and an entry renamed into place meanwhile is new, so
    neither old nor least recently used."""
    now = time.time() if now is None else now
    mark = Path(root) / _PRUNE_MARK
    try:
        if os.stat(mark).st_mtime > now - PRUNE_EVERY_SECONDS:
            return 0
    except FileNotFoundError:
        pass
    except OSError:
        return 0
    try:
        write_atomic(mark, b"loclint prunes this cache at most once a day; see loclint/cache.py\n")
    except OSError:
        return 0  # a cache nobody may write to is not pruned by this user either
    return prune(root, now)


def prune(root: Path, now: float | None = None, max_age_days: float = PRUNE_AGE_DAYS,
          max_bytes: int = PRUNE_MAX_BYTES) -> int:
    """Remove the entries under `root` unused for `max_age_days`, then the least recently used
    ones until the rest hold at most `max_bytes`. Returns how many were removed."""
    now = time.time() if now is None else now
    kept: list[tuple[float, int, str]] = []
    removed = 0
    for folder in _entry_folders(Path(root)):
        for sub in _listed(folder, dirs=True):
            for entry in _listed(sub, dirs=False):
                if entry.name.startswith(TEMP_PREFIX):
                    continue  # a write under way, or a killed run's (remove_stale_temporaries)
                try:
                    status = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if status.st_mtime < now - max_age_days * 86400:
                    removed += _removed(entry.path)
                else:
                    kept.append((status.st_mtime, status.st_size, entry.path))
    total = sum(size for _, size, _ in kept)
    for _, size, path in sorted(kept):
        if total <= max_bytes:
            break
        removed += _removed(path)
        total -= size
    return removed


def _entry_folders(root: Path) -> list[os.DirEntry]:
    """`v<N>/` and `parse-v<N>/` under `root`, whatever their format (an old format's are garbage)."""
    return [entry for entry in _listed(root, dirs=True) if entry.name.removeprefix("parse-").removeprefix("v").isdigit()
            and entry.name.removeprefix("parse-").startswith("v")]


def _listed(folder, dirs: bool) -> list[os.DirEntry]:
    """The real folders (`dirs`) or files in `folder`; links are never followed."""
    try:
        with os.scandir(folder) as entries:
            return [entry for entry in entries
                    if (entry.is_dir(follow_symlinks=False) if dirs else entry.is_file(follow_symlinks=False))]
    except OSError:
        return []


def _removed(path: str) -> int:
    try:
        os.unlink(path)
    except OSError:
        return 0
    return 1


def remove_stale_temporaries(root: Path) -> None:
    """Delete temporary files left by runs killed mid-write (SIGKILL), in `root` and its entry
    folders; those of a process still running are left alone."""
    folders = [root, *(root / f"v{FORMAT}").glob("*")]
    for folder in folders:
        try:
            names = [name for name in os.listdir(folder) if name.startswith(TEMP_PREFIX)]
        except OSError:
            continue
        for name in names:
            pid = name[len(TEMP_PREFIX) :].split("-", 1)[0]
            if not pid.isdigit() or not _running(int(pid)):
                remove_quietly(os.path.join(folder, name))


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process, alive
    return True


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
    """loclint's version, sources and rule data: a result is valid only for the code that made it.

    Each file counts by its name, size and modification time, as Python's own bytecode cache
    judges a source (and as the digest memo judges a checked file): reading and hashing the
    sources' bytes instead was a fortieth of a pre-commit run."""
    from loclint.registry import rules_dir

    hasher = hashlib.blake2b(__version__.encode(), digest_size=32)
    package = Path(__file__).resolve().parent
    files = sorted(package.rglob("*.py")) + sorted(path for path in rules_dir().rglob("*") if path.is_file())
    for path in files:
        hasher.update(str(path.relative_to(path.parents[1])).encode())
        try:
            status = path.stat()
            hasher.update(b"%d %d" % (status.st_size, status.st_mtime_ns))
        except OSError:
            hasher.update(b"unreadable")
    return hasher.hexdigest()


def _digest(*parts: bytes) -> str:
    hasher = hashlib.blake2b(digest_size=32)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little") + part)
    return hasher.hexdigest()


# Entry files other than group outcomes (the parse cache, loclint/parse_cache.py) are read and
# written here and only here: a header naming the key, then the payload, signed with this user's
# key (EntrySigner) so that an entry planted in the tree is never believed.
def read_entry(path: Path, key: str) -> bytes | None:
    """The payload `write_entry` stored at `path` for `key`; None when absent or for another key."""
    try:
        with open(path, "rb") as handle:
            data = EntrySigner.for_user().verify(handle.read())
            if data is not None:
                _mark_used(handle)
    except OSError:
        return None
    header = _MAGIC + key.encode() + b"\n"
    return data[len(header) :] if data is not None and data.startswith(header) else None


def write_entry(path: Path, key: str, payload: bytes) -> None:
    """Store `payload` for `key` at `path` atomically; a cache that cannot be written is skipped."""
    signer = EntrySigner.for_user()
    if not signer.usable:
        return  # no key of this user's to sign with: the cache is skipped, never written unsigned
    try:
        write_atomic(path, signer.sign(_MAGIC + key.encode() + b"\n" + payload))
    except OSError:
        return


