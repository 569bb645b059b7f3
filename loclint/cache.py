"""What checking an article group found, kept on disk so an unchanged group is never checked twice.

An entry is keyed by everything the result depends on: the bytes of every variant in the group,
the group's layout (paths, locales, which files are reported), the settings, and the loclint code
and `rules/` data themselves (hashed, so an edited check or rule file never serves a stale result).

Safety: entries are written to a temporary file in the same folder and renamed into place, so a
reader sees a whole entry or none, and two runs at once never corrupt each other. An entry that is
truncated, corrupt, from another format or for another key is ignored and rebuilt. Entries are
pickles read by an unpickler that only builds loclint's own classes and a few plain containers,
so a cache folder planted in a repository cannot run code.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import tempfile
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loclint import __version__

if TYPE_CHECKING:  # the engine imports this module; only type hints need it back
    from loclint.config import Settings
    from loclint.discover import PlannedGroup
    from loclint.engine import GroupEvidence, GroupOutcome

DEFAULT_DIR = ".loclint_cache"
FORMAT = 1
_MAGIC = b"loclint-cache %d\n" % FORMAT
# Settings that change how results are shown or where they go, never what a group yields.
_NOT_IN_KEY = {"origins", "config_path", "compiled_patterns", "terms", "output_format"}
_SAFE_BUILTINS = {("builtins", name) for name in ("set", "frozenset", "list", "dict", "tuple", "slice")}
_SAFE_BUILTINS |= {("collections", "Counter"), ("collections", "OrderedDict"), ("collections", "defaultdict")}


class ResultCache:
    """Group results under `folder`, valid for one set of settings and one build of loclint."""

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.root = Path(folder)
        self.folder = self.root / f"v{FORMAT}"
        self.max_file_size = settings.max_file_size
        self._run_key = _digest(code_fingerprint().encode(), settings_fingerprint(settings).encode())
        self._prepared = False

    def key(self, planned: PlannedGroup, part: str = "outcome") -> str:
        """The entry name for a group: a hash of the run key, its layout and every file's content.

        `part` is what the entry holds: the group's whole outcome, or only its evidence (the
        groups of other shards under `--shard`)."""
        hasher = hashlib.blake2b(self._run_key.encode(), digest_size=32)
        identity = [part, planned.key, planned.article, getattr(planned, "source", None), getattr(planned, "preset", None)]
        hasher.update(json.dumps(identity).encode())
        for ref in planned.files:
            hasher.update(json.dumps([str(ref.path), ref.display, ref.place_locale, ref.report]).encode())
            hasher.update(file_digest(ref.path, self.max_file_size))
        return hasher.hexdigest()

    def load(self, key: str) -> GroupOutcome | GroupEvidence | None:
        """The stored outcome for `key`, or None when there is none or it cannot be trusted."""
        from loclint.engine import GroupEvidence, GroupOutcome

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
        try:
            buffer = io.BytesIO()
            _CompactPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(outcome)
            payload = buffer.getvalue()
        except Exception:  # noqa: BLE001 - an unpicklable result is simply not cached
            return
        path = self._path(key)
        try:
            self._prepare()
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False)
            try:
                with handle:
                    handle.write(_MAGIC + key.encode() + b"\n" + payload)
                os.replace(handle.name, path)
            except BaseException:
                _remove(handle.name)
                raise
        except OSError:
            return

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

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
            return f"too-large:{size}".encode()
        with open(path, "rb") as handle:
            return hashlib.blake2b(handle.read(max_bytes + 1), digest_size=32).digest()
    except OSError as exc:
        return f"unreadable:{type(exc).__name__}:{exc.errno}".encode()


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
