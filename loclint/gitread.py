"""Read-only access to the git history of the files checked, in a bounded number of processes.

Everything loclint learns from git comes through here: one `git rev-parse` per repository (the
commit at HEAD, and whether the clone is shallow), then, unless the cache already holds it for
that HEAD, one `git log --name-only` over the checked folders and one `git ls-tree` of HEAD, and
one `git cat-file --batch` per round of old file versions. Nothing is ever written to the
repository (`GIT_OPTIONAL_LOCKS=0`), and no process is started per file.

What git said is cached under the result cache's folder by commit id: the log and tree under the
HEAD they were read at, file versions under the full commit id they belong to (immutable), so a
warm run on an unchanged tree starts one git process per repository and reads nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

_CACHE_FILE = "history-v1.json"
_MAX_CACHED_BLOBS = 20_000  # beyond this the version cache starts afresh (bounded, and rarely hit)
_REMEMBERED = 4096  # bytes of a remembered object kept: a commit's header, never a whole file
_TIMEOUT = 300  # seconds per git process: a huge repository's log, never an endless wait


class GitUnavailable(Exception):
    """git cannot answer for this repository; the message says why, for a note to the user."""


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit as git log reports it: id, time, message and the files it touched."""

    id: str
    time: int  # committer time, seconds since the epoch
    message: str
    files: tuple[str, ...]  # paths relative to the repository's top, as git names them


@dataclass
class Repo:
    """One repository's history as far as the checked files need it (newest commit first)."""

    root: Path
    head: str
    commits: list[Commit] = field(default_factory=list)
    tree: dict[str, str] = field(default_factory=dict)  # path -> blob id at HEAD
    touched: dict[str, list[Commit]] = field(default_factory=dict)  # path -> its commits, newest first

    def index(self) -> None:
        self.touched = {}
        for commit in self.commits:
            for path in commit.files:
                self.touched.setdefault(path, []).append(commit)

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def is_modified(self, path: Path) -> bool:
        """Does the file in the work tree differ from HEAD's (or is it not in HEAD at all)?"""
        blob = self.tree.get(self.relative(path))
        if blob is None:
            return True
        try:
            data = path.read_bytes()
        except OSError:
            return True
        return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() != blob  # noqa: S324 - git's own id


def find_root(path: Path, memo: dict[Path, Path | None]) -> Path | None:
    """The work tree holding `path` (the nearest folder above it with a `.git`), without running git."""
    folder = path.resolve().parent
    seen = []
    found: Path | None = None
    for candidate in [folder, *folder.parents]:
        if candidate in memo:
            found = memo[candidate]
            break
        seen.append(candidate)
        if (candidate / ".git").exists():
            found = candidate
            break
    for candidate in seen:
        memo[candidate] = found
    return found


class Git:
    """Runs git read-only and counts the processes it starts (a test holds it to its bound)."""

    def __init__(self, cache_dir: Path | None, version: str = "") -> None:
        self.calls = 0
        self._cache_dir = cache_dir
        self._version = version  # what is derived (memo, outcomes) holds only for this build of loclint
        self._loaded: _Cache | None = None

    @cached_property
    def executable(self) -> str | None:
        return shutil.which("git")

    @property
    def _cache(self) -> _Cache:
        if self._loaded is None:
            self._loaded = _Cache(self._cache_dir)
            if self._loaded.data.get("version") != self._version:
                self._loaded.data.update({"version": self._version, "memo": {}, "outcomes": {}})
        return self._loaded

    def run(self, root: Path, args: list[str], stdin: str | None = None) -> bytes:
        if self.executable is None:
            raise GitUnavailable("git is not installed (or not on PATH)")
        self.calls += 1
        env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
        try:
            done = subprocess.run(  # noqa: S603 - a fixed executable, arguments never from the shell
                [self.executable, "-C", str(root), "-c", "core.quotepath=off", *args],
                input=stdin.encode("utf-8") if stdin is not None else None,
                capture_output=True, env=env, timeout=_TIMEOUT, check=False,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise GitUnavailable(f"git could not be run in {root}: {exc}") from exc
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitUnavailable(f"git {args[0]} failed in {root}: {message[-1] if message else done.returncode}")
        return done.stdout

    def open(self, root: Path, pathspec: str) -> Repo:
        """The repository at `root` with the log of `pathspec`, from the cache when HEAD is unchanged."""
        out = self.run(root, ["rev-parse", "--is-shallow-repository", "HEAD"]).decode().split()
        if len(out) != 2:
            raise GitUnavailable(f"{root}: git gave no HEAD commit (an empty repository?)")
        if out[0] == "true":
            raise GitUnavailable(
                f"{root} is a shallow clone: its history is cut off, so staleness cannot be told "
                "(`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)"
            )
        head = out[1]
        cached = self._cache.repo(root, head, pathspec)
        if cached is not None:
            return cached
        repo = Repo(root=root, head=head, commits=self._log(root, [head], pathspec), tree=self._tree(root, head, pathspec))
        repo.index()
        self._cache.keep_repo(repo, pathspec)
        return repo

    def log(self, root: Path, revisions: list[str], pathspec: str) -> list[Commit]:
        return self._log(root, revisions, pathspec)

    def _log(self, root: Path, revisions: list[str], pathspec: str) -> list[Commit]:
        args = ["log", "--no-merges", "--no-renames", "-z", "--name-only", "--format=%x1e%H%x1f%ct%x1f%B%x1f", *revisions, "--"]
        raw = self.run(root, [*args, pathspec] if pathspec else args).decode("utf-8", "replace")
        commits = []
        for record in raw.split("\x1e")[1:]:
            parts = record.split("\x1f", 3)
            if len(parts) < 4:
                continue
            files = tuple(name for name in parts[3].lstrip("\0\n").split("\0") if name.strip("\n"))
            commits.append(Commit(parts[0], int(parts[1]), parts[2], tuple(name.lstrip("\n") for name in files)))
        return commits

    def _tree(self, root: Path, head: str, pathspec: str) -> dict[str, str]:
        raw = self.run(root, ["ls-tree", "-r", "-z", "--full-tree", head, "--", *([pathspec] if pathspec else [])])
        tree = {}
        for entry in raw.decode("utf-8", "replace").split("\0"):
            meta, _, path = entry.partition("\t")
            fields = meta.split()
            if len(fields) == 3 and fields[1] == "blob":
                tree[path] = fields[2]
        return tree

    def objects(self, repo: Repo, names: list[str], remember: bool = False) -> dict[str, tuple[str, bytes] | None]:
        """`git cat-file --batch` for `rev:path` and `rev^{commit}` names: each one's object id and
        content, or None when it does not exist. One process for all of them; names that start
        with a full commit id come from the cache when it has them."""
        found: dict[str, tuple[str, bytes] | None] = {}
        wanted = []
        for name in dict.fromkeys(names):
            if "\n" in name:
                found[name] = None  # git cannot be asked about a name with a line break
            elif remember and (hit := self._cache.blob(_cache_name(repo, name))) is not _MISS:
                found[name] = hit
            else:
                wanted.append(name)
        if wanted:
            out = self.run(repo.root, ["cat-file", "--batch"], stdin="".join(name + "\n" for name in wanted))
            for name, content in zip(wanted, _batch_contents(out, len(wanted))):
                found[name] = content
                if remember:  # what is asked of small objects (commits), kept without big contents
                    self._cache.keep_blob(_cache_name(repo, name), None if content is None else (content[0], content[1][:_REMEMBERED]))
        return found

    def memo(self, kind: str, key: str):
        """Something derived from objects named by full commit ids (so valid for ever), or None."""
        return self._cache.data.get("memo", {}).get(kind, {}).get(key)

    def keep_memo(self, kind: str, key: str, value) -> None:
        if self._cache.path is None:
            return
        table = self._cache.data.setdefault("memo", {}).setdefault(kind, {})
        if len(table) >= _MAX_CACHED_BLOBS:
            table.clear()
        table[key] = value
        self._cache.changed = True

    def outcome(self, key: str):
        """A whole earlier verdict for the same heads, files and settings (see history.History)."""
        return self._cache.data.get("outcomes", {}).get(key)

    def keep_outcome(self, key: str, value) -> None:
        if self._cache.path is not None:
            self._cache.data["outcomes"] = {key: value}  # only the latest: one tree, one verdict
            self._cache.changed = True

    def save(self) -> None:
        self._cache.save()


def _batch_contents(out: bytes, count: int) -> list[tuple[str, bytes] | None]:
    """The objects of `cat-file --batch` output, in the order asked: (object id, content)."""
    contents: list[tuple[str, bytes] | None] = []
    position = 0
    for _ in range(count):
        line_end = out.find(b"\n", position)
        if line_end < 0:
            contents.append(None)
            continue
        header = out[position:line_end].split()
        position = line_end + 1
        if len(header) == 3 and header[2].isdigit():
            size = int(header[2])
            contents.append((header[0].decode("ascii", "replace"), out[position:position + size]))
            position += size + 1
        else:  # `<name> missing` or `<name> ambiguous`
            contents.append(None)
    return contents


def commit_time(commit_object: bytes) -> int | None:
    """The committer time written in a raw commit object."""
    for line in commit_object.split(b"\n"):
        if not line:
            break
        if line.startswith(b"committer "):
            fields = line.split()
            try:
                return int(fields[-2])
            except (ValueError, IndexError):
                return None
    return None


_MISS = object()


class _Cache:
    """What git said, in one JSON file under the cache folder; nothing when there is no folder."""

    def __init__(self, folder: Path | None) -> None:
        self.path = Path(folder) / _CACHE_FILE if folder is not None else None
        self.data: dict = {"repos": {}, "blobs": {}}
        self.changed = False
        if self.path is not None:
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
                if isinstance(loaded, dict) and isinstance(loaded.get("repos"), dict) and isinstance(loaded.get("blobs"), dict):
                    self.data = loaded
            except (OSError, ValueError):
                pass  # no cache yet, or a damaged one: start afresh

    def repo(self, root: Path, head: str, pathspec: str) -> Repo | None:
        entry = self.data["repos"].get(str(root))
        if not isinstance(entry, dict) or entry.get("head") != head or entry.get("pathspec") != pathspec:
            return None
        try:
            commits = [Commit(c[0], int(c[1]), c[2], tuple(c[3])) for c in entry["commits"]]
            repo = Repo(root=root, head=head, commits=commits, tree=dict(entry["tree"]))
        except (KeyError, TypeError, ValueError, IndexError):
            return None
        repo.index()
        return repo

    def keep_repo(self, repo: Repo, pathspec: str) -> None:
        self.data["repos"][str(repo.root)] = {
            "head": repo.head, "pathspec": pathspec, "tree": repo.tree,
            "commits": [[c.id, c.time, c.message, list(c.files)] for c in repo.commits],
        }
        self.changed = True

    def blob(self, name: str):
        value = self.data["blobs"].get(name, _MISS)
        if value is _MISS or value is None:
            return value
        if not (isinstance(value, list) and len(value) == 2 and all(isinstance(part, str) for part in value)):
            return _MISS
        return value[0], value[1].encode("utf-8", "surrogateescape")

    def keep_blob(self, name: str, content: tuple[str, bytes] | None) -> None:
        if self.path is None:
            return
        if len(self.data["blobs"]) >= _MAX_CACHED_BLOBS:
            self.data["blobs"] = {}
        self.data["blobs"][name] = None if content is None else [content[0], content[1].decode("utf-8", "surrogateescape")]
        self.changed = True

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".history-")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(self.data, out, ensure_ascii=True)
            os.replace(temporary, self.path)
        except (OSError, ValueError):
            pass  # a cache that cannot be written only costs the next run time
        self.changed = False


def _cache_name(repo: Repo, name: str) -> str:
    """A name that starts with a full commit id means the same object in every state of the
    repository; any other (a short id written in front matter) only under the HEAD it was read at."""
    rev = name.split(":", 1)[0].split("^", 1)[0]
    if len(rev) == 40 and all(char in "0123456789abcdef" for char in rev):
        return name
    return f"{repo.head} {repo.root} {name}"
