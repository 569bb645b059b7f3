"""Applying the `Fix` objects that checks attach to diagnostics: `--fix`, `--diff`, `--unsafe-fixes`.

A fix replaces `text[start:end]` (character offsets into the decoded text, line breaks included)
with new content. Writing one back must never lose a byte, so:

- before the check reads anything, every planned file is fingerprinted (size, times, inode and a
  hash of its bytes); a file whose fingerprint differs when the fixes are written is left alone
  and reported, because the offsets were computed on other text;
- the new text is encoded exactly as the old one was (UTF-8, or UTF-16/32 with the same byte
  order, the BOM kept), and a file whose bytes do not survive decoding and re-encoding unchanged
  (invalid UTF-8, a doubled BOM) is never rewritten;
- the write goes to a temporary file in the same folder, is fsync'ed, takes the old file's
  permission bits, and replaces the old file with one atomic rename.

Fixes of one file that overlap are applied one pass at a time: the check runs again after each
pass, so the next pass sees offsets into the text as it now is. A second `--fix` changes nothing.
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loclint.discover import plan
from loclint.model import Diagnostic, Fix
from loclint.fsguard import ReadPolicy, RefusedPath, is_link, read_checked, tree_roots
from loclint.signing import replacing
from loclint.source import decode

MAX_PASSES = 5  # passes of check-then-fix; overlapping fixes need one pass each

# (BOM, codec that writes the text after it); the order matters as in source.decode.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A file's state when it was read, to refuse a fix over a file changed since."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    digest: str


@dataclass
class FixOutcome:
    """What a fix run did. `result` is the check of the files as they are at the end."""

    result: object  # the engine's RunResult of the last check
    fixed: int = 0  # findings whose fix was applied (or, with `--diff`, would be)
    files: list[str] = field(default_factory=list)  # display paths changed (or that would change)
    diff: str = ""
    refused: list[str] = field(default_factory=list)  # "path: why" for files left untouched


def wanted_fixes(diagnostics: list[Diagnostic], unsafe: bool) -> dict[str, list[Fix]]:
    """The fixes to apply, by display path: safe ones, and unsafe ones only when asked."""
    by_path: dict[str, list[Fix]] = {}
    for diagnostic in diagnostics:
        if diagnostic.fixable(unsafe):
            by_path.setdefault(diagnostic.path, []).append(diagnostic.fix)
    return by_path


def apply_fixes(text: str, fixes: list[Fix]) -> tuple[str, int]:
    """`text` with every fix that fits and overlaps no earlier one; and how many were applied.

    Identical fixes count once. A fix reaching outside the text is dropped, never guessed at.
    """
    chosen: list[Fix] = []
    seen: set[tuple[int, int, str]] = set()
    for fix in sorted(fixes, key=lambda item: (item.start, item.end, item.content)):
        if (fix.start, fix.end, fix.content) in seen or not 0 <= fix.start <= fix.end <= len(text):
            continue
        if chosen and fix.start < chosen[-1].end:
            continue  # overlaps: left for the next pass, where its offsets are fresh
        if chosen and fix.start == fix.end == chosen[-1].end == chosen[-1].start:
            continue  # two insertions at one point: their order would be arbitrary
        seen.add((fix.start, fix.end, fix.content))
        chosen.append(fix)
    pieces, cursor = [], 0
    for fix in chosen:
        pieces.append(text[cursor : fix.start])
        pieces.append(fix.content)
        cursor = fix.end
    pieces.append(text[cursor:])
    applied = sum(1 for fix in chosen if text[fix.start : fix.end] != fix.content)
    return "".join(pieces), applied


def fingerprint(path: Path, policy: ReadPolicy = ReadPolicy()) -> Fingerprint | None:
    """Through fsguard: a FIFO, a device or a link out of the tree is never read (nor fixed)."""
    try:
        info = os.stat(path)
        digest = hashlib.sha256(read_checked(path, policy, info.st_size + 1)).hexdigest()
    except OSError:
        return None
    return Fingerprint(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, digest)


def encode_like(text: str, original: bytes) -> bytes:
    """`text` in the encoding and with the BOM of `original` (what source.decode read)."""
    for bom, codec in _BOMS:
        if original.startswith(bom):
            return bom + text.encode(codec)
    return text.encode("utf-8")


class Refused(Exception):
    """A file that must not be rewritten; the message says why."""


def new_bytes(path: Path, expected: Fingerprint, fixes: list[Fix]) -> tuple[bytes, bytes, int]:
    """(old bytes, new bytes, fixes applied) for a file, or Refused."""
    if is_link(path):
        raise Refused("it is reached through a symbolic link; --fix never writes through one")
    try:
        data = read_checked(path, ReadPolicy(), expected.size + 1)
    except RefusedPath as exc:
        raise Refused(exc.message) from exc
    except OSError as exc:
        raise Refused(f"cannot read it again: {exc.strerror or exc}") from exc
    if hashlib.sha256(data).hexdigest() != expected.digest:
        raise Refused("the file changed since loclint read it; run loclint again")
    read = decode(data)
    if read.text is None or encode_like(read.text, data) != data:
        raise Refused("its bytes do not survive decoding unchanged (invalid or mixed encoding); fix the encoding first")
    text, applied = apply_fixes(read.text, fixes)
    return data, encode_like(text, data), applied


def write_atomically(path: Path, data: bytes, expected: Fingerprint) -> None:
    """Replace the file's content with `data`: temporary file in the same folder, fsync, rename.

    A path through a symbolic link is refused: writing through it could change a file anywhere
    (`ro-RO/a.md -> ~/.bashrc`). The old permission bits are kept (and the owner, when the
    process may set it). Refused when the file changed meanwhile.
    """
    if is_link(path):
        raise Refused("it is reached through a symbolic link; --fix never writes through one")
    target = Path(os.path.abspath(path))
    info = os.stat(target, follow_symlinks=False)
    # This process's pid in the name: a later run removes the file if this one is killed (SIGKILL).
    temporary = os.path.join(target.parent, f".{target.name}.{os.getpid()}.{os.urandom(6).hex()}{_TEMP_SUFFIX}")
    with replacing(target, temporary) as out:
        out.write(data)
        out.flush()
        os.fchmod(out.fileno(), stat.S_IMODE(info.st_mode))
        if hasattr(os, "fchown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.fchown(out.fileno(), info.st_uid, info.st_gid)
            except PermissionError:
                pass  # not ours to give away: the file keeps the new owner, and its mode
        os.fsync(out.fileno())
        # Last look before the rename: an editor that saved in the meantime wins.
        if fingerprint(path) != expected:
            raise Refused("the file changed while loclint was fixing it; run loclint again")
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform can open a folder."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


_TEMP_SUFFIX = ".loclint-fix"  # `.<name>.<pid>.<random>.loclint-fix`: never a checked name


def remove_stale_temporaries(folders: set[str]) -> None:
    """Delete the temporary files of `--fix` runs that were killed (SIGKILL, power loss) before
    they could rename or remove them: those whose process no longer runs. A running fix's are
    left alone."""
    for folder in folders:
        try:
            names = [name for name in os.listdir(folder or ".") if name.startswith(".") and name.endswith(_TEMP_SUFFIX)]
        except OSError:
            continue
        for name in names:
            if not _owner_alive(name):
                try:
                    os.unlink(os.path.join(folder, name))
                except OSError:
                    pass


def _owner_alive(name: str) -> bool:
    parts = name.split(".")
    pid = next((int(part) for part in reversed(parts[:-2]) if part.isdigit()), None)
    if pid is None or pid == os.getpid():
        return False  # not named by a fix run, or left by this very process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # alive, another user's
    return True


def fingerprints(paths: list[str], settings, tidy: bool = False) -> dict[str, Fingerprint]:
    """Fingerprints of every file the check will read, by display path, taken before it reads.
    With `tidy`, killed fix runs' temporary files beside them are removed first."""
    layout = plan(paths, settings)
    refs = [ref for group in layout.groups for ref in group.files] + list(layout.loose)
    if tidy:
        remove_stale_temporaries({os.path.dirname(str(ref.path)) for ref in refs})
    policy = ReadPolicy(tree_roots(paths), settings.follow_symlinks)
    found = {}
    for ref in refs:
        print_ = fingerprint(ref.path, policy)
        if print_ is not None:
            found[ref.display] = print_
    return found


def fix_paths(paths: list[str], settings, check: Callable[[], object], *, unsafe: bool, write: bool) -> FixOutcome:
    """Check, fix, and check again until nothing is left to fix (at most MAX_PASSES times).

    With `write` False (`--diff`) one pass is computed and shown as a unified diff; nothing is written.
    """
    outcome = FixOutcome(result=None)
    refused: dict[str, str] = {}
    for attempt in range(MAX_PASSES if write else 1):
        before = fingerprints(paths, settings, tidy=write and attempt == 0)
        result = check()
        outcome.result = result
        pending = {path: fixes for path, fixes in wanted_fixes(result.diagnostics, unsafe).items() if path not in refused}
        changed_any = False
        for display, fixes in sorted(pending.items()):
            path = Path(display)
            try:
                expected = before.get(display)
                if expected is None:
                    raise Refused("it could not be read before the check")
                old, new, applied = new_bytes(path, expected, fixes)
                if new == old:
                    continue
                if write:
                    write_atomically(path, new, expected)
                else:
                    outcome.diff += _diff(display, old, new)
            except Refused as exc:
                refused[display] = str(exc)
                continue
            except OSError as exc:
                refused[display] = f"cannot write it: {exc.strerror or exc}"
                continue
            outcome.fixed += applied
            if display not in outcome.files:
                outcome.files.append(display)
            changed_any = True
        if not changed_any or not write:
            break
    else:
        outcome.result = check()  # the last pass wrote: report on the files as they are now
    outcome.refused = [f"{path}: {why}" for path, why in sorted(refused.items())]
    return outcome


def _diff(display: str, old: bytes, new: bytes) -> str:
    old_text, new_text = decode(old).text or "", decode(new).text or ""
    lines = difflib.unified_diff(
        old_text.splitlines(keepends=True),
        new_text.splitlines(keepends=True),
        fromfile=f"a/{display}",
        tofile=f"b/{display}",
    )
    # Lines keep their own endings (CRLF stays CRLF) so the diff applies with `git apply`.
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)
