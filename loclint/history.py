"""H: what changed in the source since each translation was made, read from git.

For each translated file of a group with a known source (the `source-locale` variant or a
docs-site preset's source file), the source version it was translated from is, in this order:
the commit its front matter records (`ms.sourcegitcommit`, MDN's `l10n.sourceCommit`, or any key
in `history-commit-keys`), else the source as it was at the last commit that touched the
translation (a translation changed in the work tree counts as translated from the current source:
it is being updated). The source's versions since then are compared unit by unit (blocks of a
plain file, segments of a bilingual one), each current source unit learns the commits that
changed it, and the changed units are aligned to the translation (`align_units`).

The locales are weighed together (README, "Translations and history"):
- a unit changed after this translation's base is stale (H001), unless the locales translated
  after that change all left their counterpart as it was: then the change looks cosmetic (H004,
  off by default);
- a translation dated after the change that did not touch its counterpart while most other
  locales did is stale too (H001), whatever its date says;
- commits whose message carries a `history-skip-markers` marker (`[skip l10n]`) do not count.
More than `history-summary-over` stale units in a file give one H002 instead of one H001 each.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING

from loclint.runwide import HISTORY_CODES
from loclint.gitread import Commit, Git, GitUnavailable, Repo, commit_time, find_root
from loclint.model import Diagnostic, Group, Variant
from loclint.parse import new_variant, parse_variant
from loclint.source import decode

if TYPE_CHECKING:
    from loclint.checks.context import Context
    from loclint.config import Settings
    from loclint.discover import FileRef, PlannedGroup

# How a group's files are read and parsed: the engine's `load_group` (`frame=False`: no skeleton).
LoadGroup = Callable[..., Group]
CODES = tuple(sorted(HISTORY_CODES))  # declared with the other once-per-run rules in runwide.py
_MIN_DEPTH = 4  # source commits always looked at, so "most locales followed it" can be told
# A translation dated after a change is called stale on the other locales' word only when at
# least this many followed the change: one other locale updating a block is thin evidence (on
# opentelemetry.io, 2 of the 9 pages it alone flagged were pages with a single other locale).
_MIN_FOLLOWERS = 2
_MAX_VERSIONS = 60  # source versions read per file at most (the oldest base may lie further back)


class HistoryError(ValueError):
    """A request the user must correct (`--since` naming no commit); exit status 2."""


# --- what the run reports besides findings ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileDrift:
    """One translated file whose history was read."""

    path: str
    locale: str | None
    behind: int  # source units changed since its base, and units of it the source removed (0: up to date)
    units: int  # units of the current source
    base_time: int | None  # when the version it was translated from was committed


@dataclass
class HistoryReport:
    """What reading the git history found: drifted files and notes."""

    notes: list[str] = field(default_factory=list)
    files: list[FileDrift] = field(default_factory=list)
    git_calls: int = 0

    def locales(self) -> list[tuple[str, int, int, int, int | None]]:
        """(locale, up to date, stale, units behind, oldest base of a stale file) per locale."""
        rows: dict[str, list] = {}
        for drift in self.files:
            row = rows.setdefault(drift.locale or "?", [0, 0, 0, None])
            if drift.behind:
                row[1] += 1
                row[2] += drift.behind
                if drift.base_time is not None:
                    row[3] = drift.base_time if row[3] is None else min(row[3], drift.base_time)
            else:
                row[0] += 1
        return [(locale, *row) for locale, row in sorted(rows.items())]

    def to_update(self) -> list[FileDrift]:
        return sorted((d for d in self.files if d.behind), key=lambda d: (-d.behind, d.path))


def day(timestamp: int | None) -> str:
    if timestamp is None:
        return "?"
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%Y-%m-%d")


# --- units and their alignment ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unit:
    """What is compared between versions: a plain block or a bilingual segment."""

    kind: str  # block kind (`paragraph`, `heading`, ...) or `segment`
    text: str  # whitespace-normalised: the source text of a segment, the content of a block
    start: int
    end: int
    key: str | None = None  # a segment's key, shared by every locale and version
    block: object = None  # the markdown Block, for the block alignment
    shown: str = ""  # what the translation has there (a segment's target), for `followed`


def parse_text(text: str, path: str) -> Variant:
    variant = new_variant(Path(path), path, None)
    return parse_variant(variant, decode(text.encode("utf-8", "surrogateescape")), frame=False)


def units_of(variant: Variant) -> list[Unit]:
    if variant.segments:
        return [
            Unit("segment", _norm(segment.source if segment.source is not None else segment.target),
                 segment.target_start, segment.target_start + len(segment.target), segment.key, None, _norm(segment.target))
            for segment in variant.segments
        ]
    from loclint.markdown import parse_blocks

    return [
        Unit(block.kind, _norm(block.content), block.start, block.end, None, block, _norm(block.content))
        for block in parse_blocks(variant.text, variant.front_matter_end, variant.lines)
        if not _COMMENT_ONLY.fullmatch(block.content)  # not rendered: a linter directive, a note to editors
    ]


_COMMENT_ONLY = re.compile(r"\s*(?:<!--.*?-->\s*)+", re.DOTALL)


def align_units(ctx: Context, source: list[Unit], translation: list[Unit], variant: Variant) -> list[int | None]:
    """For each current source unit, the index of its counterpart in the translation, or None.

    The one place history pairs a source with a translation: segments by their key, a plain
    source with a bilingual translation by the English a segment embeds, plain files through the
    block alignment of checks/blocks.py (to be pointed at the comparison model when it lands)."""
    if source and translation and source[0].key is not None and translation[0].key is not None:
        by_key = {unit.key: index for index, unit in reversed(list(enumerate(translation)))}
        return [by_key.get(unit.key) for unit in source]
    if translation and translation[0].key is not None:
        return _by_embedded_english(source, translation)
    if source and source[0].key is not None:
        return [None] * len(source)
    from loclint.alignment import align_blocks

    return align_blocks(ctx.features, [unit.block for unit in source], [unit.block for unit in translation], variant).matched


def _by_embedded_english(source: list[Unit], segments: list[Unit]) -> list[int | None]:
    """Plain source blocks to bilingual segments, in order: a block takes the first later
    segment whose English it contains (and the run of segments after it that it also contains,
    the other sentences of a paragraph); a block that contains none (its English changed) takes
    the first unused segment before the next anchored one."""
    matched: list[int | None] = [None] * len(source)

    def inside(i: int, text: str) -> bool:
        return bool(segments[i].text) and segments[i].text in text

    last = -1
    used: set[int] = set()
    for j, unit in enumerate(source):
        first = next((i for i in range(last + 1, len(segments)) if inside(i, unit.text)), None)
        if first is None:
            continue
        matched[j] = last = first
        used.add(first)
        while last + 1 < len(segments) and inside(last + 1, unit.text):
            last += 1
            used.add(last)
    for j, own in enumerate(matched):
        if own is not None:
            continue
        before = max((m for m in matched[:j] if m is not None), default=-1)
        after = min((m for m in matched[j + 1:] if m is not None), default=len(segments))
        free = [i for i in range(before + 1, after) if i not in used]
        if free:
            matched[j] = free[0]
            used.add(free[0])
    return matched


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()


def _norm(text: str) -> str:
    return " ".join(text.split())


# --- a source file's versions and what each changed ---------------------------------------------


@dataclass
class Chain:
    """A source file's versions, oldest first; the last is the work tree's. `changes[j]` lists the
    version indices at which current unit j changed or appeared (newest first), `before[j][i]` its
    text just before the change at version i (None where it appeared)."""

    commits: list[Commit | None]  # per version; None for the work tree's
    units: list[Unit]
    changes: list[list[int]]
    before: list[dict[int, str | None]]
    removed: list[tuple[int, str, str]] = field(default_factory=list)  # (version, kind, text) of units dropped there

    def base_index(self, time: int) -> int:
        """The version in effect at `time`: the newest committed one no later than it (0 if older)."""
        found = 0
        for index, commit in enumerate(self.commits):
            if commit is not None and commit.time <= time:
                found = index
        return found

    def counted(self, index: int, markers: list[str]) -> bool:
        commit = self.commits[index]
        return commit is None or not any(marker in commit.message for marker in markers)

    def text_at(self, j: int, index: int) -> str | None:
        """Unit j's text in version `index`: as it was before the first change after it."""
        later = [point for point in self.changes[j] if point > index]
        return self.before[j][min(later)] if later else self.units[j].text


def build_chain(texts: list[str], commits: list[Commit | None], path: str, current: list[Unit]) -> Chain:
    """Trace each unit of the current source (`current`, the units of `texts[-1]`) back through the
    versions; only the texts before each change are kept."""
    parsed: dict[str, list[Unit]] = {}  # a version equal to another (a revert) is parsed once
    versions = [parsed[text] if text in parsed else parsed.setdefault(text, units_of(parse_text(text, path))) for text in texts[:-1]]
    versions.append(current)
    changes: list[list[int]] = [[] for _ in current]
    before: list[dict[int, str | None]] = [{} for _ in current]
    back = [_back_map(versions[i - 1], versions[i]) for i in range(1, len(versions))]
    removed = []
    for i, mapping in enumerate(back, start=1):
        kept = {earlier for _, earlier in mapping if earlier is not None}
        removed.extend((i, unit.kind, unit.text) for index, unit in enumerate(versions[i - 1]) if index not in kept)
    for j in range(len(current)):
        position: int | None = j
        for i in range(len(versions) - 1, 0, -1):
            kind, earlier = back[i - 1][position]
            if kind != "equal":
                changes[j].append(i)
                before[j][i] = versions[i - 1][earlier].text if earlier is not None else None
            if earlier is None:
                break
            position = earlier
    return Chain(commits, current, changes, before, removed)


def _back_map(old: list[Unit], new: list[Unit]) -> list[tuple[str, int | None]]:
    """For each unit of `new`: ("equal" | "changed" | "new", its index in `old`)."""
    result: list[tuple[str, int | None]] = [("new", None)] * len(new)
    if new and new[0].key is not None:
        by_key = {unit.key: index for index, unit in enumerate(old)}
        for j, unit in enumerate(new):
            i = by_key.get(unit.key)
            if i is not None:
                result[j] = ("equal" if old[i].text == unit.text else "changed", i)
        return result
    matcher = difflib.SequenceMatcher(None, [(u.kind, u.text) for u in old], [(u.kind, u.text) for u in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(j2 - j1):
                result[j1 + offset] = ("equal", i1 + offset)
        elif tag == "replace":
            for offset in range(min(i2 - i1, j2 - j1)):
                result[j1 + offset] = ("changed", i1 + offset)
    return result


# --- one translation --------------------------------------------------------------------------


@dataclass
class _Translation:
    """One translated file of a group, with where its source version sits in git."""

    ref: FileRef
    variant: Variant
    repo: Repo | None
    rel: str | None  # its path in its repository
    base_time: int | None = None
    base_label: str = ""  # `a1b2c3d` or `a1b2c3d (recorded)`
    current: bool = False  # changed in the work tree, or new: translated from the current source
    record: tuple[str, str] | None = None  # (front-matter key, commit) when it records one
    units: list[Unit] | None = None
    matched: list[int | None] | None = None


@dataclass
class _Job:
    """One group whose translations are dated against their source's history."""

    planned: PlannedGroup
    group: Group
    source: Variant
    repo: Repo
    rel: str
    translations: list[_Translation]
    chain: Chain | None = None


def record_of(variant: Variant, keys: list[str]) -> tuple[str, str] | None:
    """The source commit a translation's front matter records, under the first key it has.
    A dotted key is also looked up as a path (`l10n.sourceCommit` is `l10n: {sourceCommit: ...}`)."""
    front = variant.front_matter or {}
    for key in keys:
        value = front.get(key)
        if value is None and "." in key:
            value = front
            for part in key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, (str, int)) and str(value).strip():
            return key, str(value).strip()
    return None


# --- the run ---------------------------------------------------------------------------------


class History:
    """Reads the history of every group's files with a bounded number of git processes, then judges."""

    def __init__(self, settings: Settings, cache_dir: Path | None, load_group: LoadGroup) -> None:
        self.settings = settings
        self.load_group = load_group  # the engine's, handed in (this module never imports the engine)
        from loclint.cache import code_fingerprint

        self.git = Git(cache_dir, code_fingerprint())  # reads nothing until asked: a run outside git pays nothing
        self.report = HistoryReport()
        self.roots: dict[Path, Path | None] = {}
        self.repos: dict[Path, Repo | None] = {}
        self.markers = list(settings.history_skip_markers)
        self.groups_by_path: dict[str, Group] = {}  # every loaded file's group, to filter its findings

    def check(self, groups: list[PlannedGroup], since: str | None) -> list[Diagnostic]:
        pending = self._pending(groups)
        if not pending:
            return []
        if self.git.executable is None:
            self.report.notes.append("git is not installed (or not on PATH): the H rules (translation history) were skipped")
            return []
        self._open_repos(pending)
        key = self._outcome_key(pending, since)
        cached = self.git.outcome(key)
        if cached is not None and self._restore(pending, cached):
            self.report.git_calls = self.git.calls
            return cached_findings(cached)
        jobs = [job for planned, source, others in pending if (job := self._job(planned, source, others))]
        found: list[Diagnostic] = []
        found.extend(self._read_records(jobs))
        self._read_chains(jobs)
        judged = _Judgement(self, jobs)
        found.extend(judged.findings())
        if since is not None:
            found.extend(self._since(jobs, since))
        self.git.keep_outcome(key, {"findings": [dataclasses.asdict(d) for d in found],
                                    "files": [dataclasses.asdict(d) for d in self.report.files]})
        self.git.save()
        self.report.git_calls = self.git.calls
        return found

    def _outcome_key(self, pending, since: str | None) -> str:
        """What the verdict depends on: each repository's HEAD, every file's bytes, the settings
        and loclint's code. A warm run with the same key reads nothing from git but HEAD."""
        from loclint.cache import code_fingerprint, settings_fingerprint

        hasher = hashlib.blake2b(digest_size=32)
        heads = sorted((str(root), repo.head if repo else None) for root, repo in self.repos.items())
        hasher.update(json.dumps([code_fingerprint(), settings_fingerprint(self.settings), since, heads]).encode())
        for planned, _, _ in pending:
            for ref in planned.files:
                hasher.update(ref.display.encode("utf-8", "surrogateescape") + b"\0")
                try:
                    hasher.update(hashlib.blake2b(ref.path.read_bytes(), digest_size=16).digest())
                except OSError:
                    hasher.update(b"unreadable")
        return hasher.hexdigest()

    def _restore(self, pending, cached) -> bool:
        """Take an earlier verdict: the groups its findings need are loaded for the filters."""
        try:
            self.report.files = [FileDrift(**entry) for entry in cached["files"]]
        except (KeyError, TypeError):
            return False
        paths = {entry["path"] for entry in cached.get("findings", []) if isinstance(entry, dict)}
        paths |= {drift.path for drift in self.report.files}
        for planned, _, _ in pending:
            if any(ref.display in paths for ref in planned.files):
                group = self.load_group(planned, self.settings, frame=False)
                self.groups_by_path.update((variant.display_path, group) for variant in group.variants)
        return True

    def _pending(self, groups: list[PlannedGroup]) -> list[tuple[PlannedGroup, FileRef, list[FileRef]]]:
        pending = []
        for planned in groups:
            source = _source_ref(planned, self.settings)
            others = [ref for ref in planned.files if ref != source]  # `files` may be built afresh on each read
            if source is None or not others:
                continue
            if find_root(source.path, self.roots) is None:
                continue
            pending.append((planned, source, others))
        return pending

    def _open_repos(self, pending) -> None:
        by_root: dict[Path, list[Path]] = {}
        for _, source, others in pending:
            for ref in (source, *others):
                root = find_root(ref.path, self.roots)
                if root is not None:
                    by_root.setdefault(root, []).append(ref.path.resolve())
        for root, paths in sorted(by_root.items()):
            try:
                self.repos[root] = self.git.open(root, _pathspec(root, paths))
            except GitUnavailable as exc:
                self.report.notes.append(f"{exc}; the H rules (translation history) were skipped there")
                self.repos[root] = None

    def _repo_of(self, path: Path) -> Repo | None:
        root = find_root(path, self.roots)
        return self.repos.get(root) if root is not None else None

    def _job(self, planned: PlannedGroup, source_ref: FileRef, others: list[FileRef]) -> _Job | None:
        repo = self._repo_of(source_ref.path)
        if repo is None:
            return None
        rel = repo.relative(source_ref.path)
        if rel not in repo.touched:
            return None  # a source git has never seen: nothing to compare with
        group = self.load_group(planned, self.settings, frame=False)
        self.groups_by_path.update((variant.display_path, group) for variant in group.variants)
        by_path = {variant.display_path: variant for variant in group.variants}
        source = by_path.get(source_ref.display)
        if source is None or not source.readable:
            return None
        translations = []
        for ref in others:
            variant = by_path.get(ref.display)
            if variant is None or not variant.readable:
                continue
            own = self._repo_of(ref.path)
            translation = _Translation(ref, variant, own, own.relative(ref.path) if own else None)
            translation.record = record_of(variant, self.settings.history_commit_keys)
            translations.append(translation)
        return _Job(planned, group, source, repo, rel, translations)

    def _read_records(self, jobs: list[_Job]) -> list[Diagnostic]:
        """Resolve the recorded commits (one `cat-file --batch` per repository); a record that
        names no commit, or a commit without the source file, is H003, and the translation falls
        back to its last commit."""
        names: dict[int, list[str]] = {}
        for job in jobs:
            for translation in job.translations:
                if translation.record:
                    commit = translation.record[1]
                    names.setdefault(id(job.repo), []).extend([f"{commit}^{{commit}}", f"{commit}:{job.rel}"])
        answers = self._ask({id(job.repo): job.repo for job in jobs}, names, remember=True)
        found = []
        for job in jobs:
            for translation in job.translations:
                found.extend(self._base(job, translation, answers))
        return found

    def _base(self, job: _Job, translation: _Translation, answers: dict) -> list[Diagnostic]:
        problem = None
        if translation.record:
            key, commit = translation.record
            resolved = answers.get((id(job.repo), f"{commit}^{{commit}}"))
            if resolved is None:
                problem = f"`{key}` records commit `{_clip(commit, 40)}`, which the source's repository does not have"
            elif answers.get((id(job.repo), f"{commit}:{job.rel}")) is None:
                problem = f"`{key}` records commit `{commit[:12]}`, which has no `{job.rel}`: the record names another file's history"
            else:
                translation.base_time = commit_time(resolved[1])
                translation.base_label = f"{resolved[0][:7]} (recorded)"
                return []
        self._last_touch(job, translation)
        if problem is None:
            return []
        if translation.base_time is not None:
            problem += f"; judged from its last commit ({translation.base_label}, {day(translation.base_time)}) instead"
        key = translation.record[0]
        offsets = translation.variant.key_offsets
        offset = offsets.get(key, offsets.get(key.split(".")[0], 0))  # `l10n.sourceCommit` is under `l10n:`
        return [_diagnostic(job, translation.variant, "H003", problem, offset, offset + len(translation.record[0]), "record")]

    def _last_touch(self, job: _Job, translation: _Translation) -> None:
        repo = translation.repo
        if repo is None or translation.rel is None:
            return
        if repo.is_modified(translation.ref.path):
            translation.current = True  # being translated right now (pre-commit), or new
            return
        commits = repo.touched.get(translation.rel)
        if commits:
            translation.base_time = commits[0].time
            translation.base_label = commits[0].id[:7]

    def _read_chains(self, jobs: list[_Job]) -> None:
        """Trace every source's versions since its oldest translation. A chain already traced for
        the same commits and current text comes from the cache; the others' versions are read in
        one batch per repository."""
        windows: dict[int, list[Commit]] = {}
        names: dict[int, list[str]] = {}
        for job in jobs:
            times = [t.base_time for t in job.translations if t.base_time is not None]
            if not times and not any(t.current for t in job.translations):
                continue
            window = _window(job.repo.touched.get(job.rel, []), min(times) if times else None)
            if not window:
                continue
            current = units_of(job.source)
            cached = self._cached_chain(job, window, current)
            if cached is not None:
                job.chain = cached
                continue
            windows[id(job)] = window
            names.setdefault(id(job.repo), []).extend(f"{commit.id}:{job.rel}" for commit in window)
        answers = self._ask({id(job.repo): job.repo for job in jobs}, names)
        for job in jobs:
            window = windows.get(id(job))
            if window is None:
                continue
            texts, commits = [], []
            for commit in reversed(window):  # oldest first
                blob = answers.get((id(job.repo), f"{commit.id}:{job.rel}"))
                if blob is not None:
                    texts.append(decode(blob[1]).text or "")
                    commits.append(commit)
            if not texts:
                continue
            if job.source.text != texts[-1]:
                texts.append(job.source.text)  # the work tree's source is the current one
                commits.append(None)
            else:
                texts[-1] = job.source.text
            job.chain = build_chain(texts, commits, job.rel, units_of(job.source))
            self._keep_chain(job, window, job.chain)

    def _chain_key(self, job: _Job, window: list[Commit]) -> str:
        from loclint.cache import code_fingerprint

        identity = [code_fingerprint(), job.rel, [commit.id for commit in window]]
        hasher = hashlib.blake2b(json.dumps(identity).encode(), digest_size=20)
        hasher.update(job.source.text.encode("utf-8", "surrogateescape"))
        return hasher.hexdigest()

    def _cached_chain(self, job: _Job, window: list[Commit], current: list[Unit]) -> Chain | None:
        entry = self.git.memo("chains", self._chain_key(job, window))
        by_id = {commit.id: commit for commit in window}
        try:
            commits = [by_id[commit] if commit is not None else None for commit in entry["commits"]]
            changes = [list(points) for points in entry["changes"]]
            before = [{int(point): text for point, text in texts} for texts in entry["before"]]
            removed = [(int(index), str(kind), str(text)) for index, kind, text in entry["removed"]]
        except (TypeError, KeyError, ValueError):
            return None
        if len(changes) != len(current) or len(before) != len(current):
            return None
        return Chain(commits, current, changes, before, removed)

    def _keep_chain(self, job: _Job, window: list[Commit], chain: Chain) -> None:
        self.git.keep_memo("chains", self._chain_key(job, window), {
            "commits": [commit.id if commit is not None else None for commit in chain.commits],
            "changes": chain.changes,
            "before": [sorted(texts.items()) for texts in chain.before],
            "removed": chain.removed,
        })

    def _ask(self, repos: dict[int, Repo], names: dict[int, list[str]], remember: bool = False) -> dict[tuple[int, str], tuple[str, bytes] | None]:
        answers = {}
        for key, wanted in names.items():
            if not wanted:
                continue
            try:
                got = self.git.objects(repos[key], wanted, remember)
            except GitUnavailable as exc:
                self.report.notes.append(str(exc))
                continue
            answers.update({(key, name): value for name, value in got.items()})
        return answers

    def _since(self, jobs: list[_Job], since: str) -> list[Diagnostic]:
        """H005: sources changed in `since..HEAD` (by commits that count) whose translations the
        range left alone. Only for translations in the source's own repository: one pull request."""
        if since.startswith("-") or not since.strip() or any(char in since for char in "\n\0"):
            raise HistoryError(f"--since {since!r}: not a revision")  # never let it reach git as an option
        found = []
        by_repo: dict[int, list[_Job]] = {}
        for job in jobs:
            by_repo.setdefault(id(job.repo), []).append(job)
        for repo_jobs in by_repo.values():
            repo = repo_jobs[0].repo
            try:
                self.git.run(repo.root, ["rev-parse", "--verify", "--quiet", f"{since}^{{commit}}"])
                commits = self.git.log(repo.root, [f"{since}..{repo.head}"], "")
            except GitUnavailable as exc:
                raise HistoryError(f"--since {since}: not a commit in {repo.root}") from exc
            counted = [commit for commit in commits if not any(marker in commit.message for marker in self.markers)]
            touched = {path for commit in commits for path in commit.files}
            for job in repo_jobs:
                changed = [commit for commit in counted if job.rel in commit.files]
                if not changed:
                    continue
                for translation in job.translations:
                    if translation.repo is not repo or translation.rel in touched or translation.current:
                        continue
                    plural = "s" if len(changed) > 1 else ""
                    message = (f"the source `{job.rel}` changed in {since}..HEAD ({len(changed)} commit{plural}, "
                               f"last {changed[0].id[:7]}) and this translation did not: update it, or mark the "
                               f"commit{plural} `{self.markers[0] if self.markers else '[skip l10n]'}`")
                    found.append(_diagnostic(job, translation.variant, "H005", message, 0, 0, "since"))
        return found


class _Judgement:
    """The verdicts for every translation of every job, once the history is read."""

    def __init__(self, history: History, jobs: list[_Job]) -> None:
        self.history = history
        self.jobs = [job for job in jobs if job.chain is not None]
        self.markers = history.markers
        self.earlier = self._earlier_versions()

    def _earlier_versions(self) -> dict[tuple[int, int], set[str] | None]:
        """For each (translation, source version) a unit last changed at: the unit texts the
        translation had at that change, or None when it did not exist yet. One batch per repository."""
        wanted: dict[tuple[int, int], tuple[Repo, str]] = {}
        for job in self.jobs:
            for index in self._latest_changes(job):
                commit = job.chain.commits[index]
                for translation in job.translations:
                    if translation.repo is None or commit is None or self._behind_at(job, translation, index):
                        continue
                    if translation.repo is job.repo:  # as it was just before the change (the parent's)
                        name = f"{commit.id}^:{translation.rel}"
                    else:  # another repository: its last commit of the translation before the change
                        before = next((c for c in translation.repo.touched.get(translation.rel, []) if c.time < commit.time), None)
                        if before is None:
                            continue
                        name = f"{before.id}:{translation.rel}"
                    wanted[(id(translation), index)] = (translation.repo, name)
        git = self.history.git
        known = {name: git.memo("earlier", name) for _, name in wanted.values()}
        names: dict[int, list[str]] = {}
        repos: dict[int, Repo] = {}
        for repo, name in wanted.values():
            if known[name] is None:
                names.setdefault(id(repo), []).append(name)
                repos[id(repo)] = repo
        answers = self.history._ask(repos, names)
        by_blob: dict[str, list[str]] = {}  # one version asked for several changes is parsed once
        for repo, name in wanted.values():
            if known[name] is not None or (id(repo), name) not in answers:
                continue
            blob = answers[(id(repo), name)]
            if blob is None:
                known[name] = "absent"
            else:
                if blob[0] not in by_blob:
                    by_blob[blob[0]] = sorted({_digest(unit.shown) for unit in units_of(parse_text(decode(blob[1]).text or "", name))})
                known[name] = by_blob[blob[0]]
            git.keep_memo("earlier", name, known[name])
        return {key: (None if known[name] == "absent" else set(known[name]))
                for key, (_, name) in wanted.items() if known[name] is not None}

    def _latest_changes(self, job: _Job) -> set[int]:
        return {latest for j in range(len(job.chain.units)) if (latest := self._latest(job, j)) is not None}

    def _latest(self, job: _Job, j: int) -> int | None:
        """The last counted version at which current unit j changed."""
        return next((i for i in job.chain.changes[j] if job.chain.counted(i, self.markers)), None)

    def _behind_at(self, job: _Job, translation: _Translation, index: int) -> bool:
        """Was the translation's base older than source version `index`?"""
        if translation.current or translation.base_time is None:
            return False
        return job.chain.base_index(translation.base_time) < index

    def findings(self) -> list[Diagnostic]:
        found = []
        for job in self.jobs:
            for translation in job.translations:
                found.extend(self._translation(job, translation))
        return found

    def _translation(self, job: _Job, translation: _Translation) -> list[Diagnostic]:
        if translation.base_time is None and not translation.current:
            return []
        chain = job.chain
        stale: list[tuple[int, int]] = []  # (source unit, the change it missed)
        cosmetic: list[tuple[int, int]] = []
        for j in range(len(chain.units)):
            latest = self._latest(job, j)
            if latest is None:
                continue
            verdict = self._verdict(job, translation, j, latest)
            if verdict == "stale":
                stale.append((j, latest))
            elif verdict == "cosmetic":
                cosmetic.append((j, latest))
        dropped = self._dropped(job, translation)
        self.history.report.files.append(
            FileDrift(translation.variant.display_path, translation.variant.locale, len(stale) + len(dropped),
                      len(chain.units), None if translation.current else translation.base_time))
        return self._report(job, translation, stale, cosmetic, dropped)

    def _dropped(self, job: _Job, translation: _Translation) -> list[tuple[int, int, str]]:
        """(translation unit, version, removed source text): units the source removed since the
        translation's base, matched by kind, in order, with the translation's units that have no
        counterpart in the current source."""
        chain = job.chain
        removed = [(i, kind, text) for i, kind, text in chain.removed
                   if self._behind_at(job, translation, i) and chain.counted(i, self.markers)]
        if not removed:
            return []
        matched = self._matched(job, translation)
        taken = {own for own in matched if own is not None}
        spare = [index for index in range(len(translation.units)) if index not in taken]
        found = []
        for i, kind, text in removed:
            own = next((index for index in spare if translation.units[index].kind == kind), None)
            if own is not None:
                spare.remove(own)
                found.append((own, i, text))
        return found

    def _verdict(self, job: _Job, translation: _Translation, j: int, latest: int) -> str | None:
        """The verdict table of README "Translations and history", for one unit and one translation."""
        after = [t for t in job.translations if t is not translation and not self._behind_at(job, t, latest)]
        followed = [flag for t in after if (flag := self._followed(job, t, j, latest)) is not None]
        if self._behind_at(job, translation, latest):
            if followed and not any(followed):
                return "cosmetic"  # translated after it, nobody touched this unit: a typo fix?
            return "stale"
        others = len(job.translations) - 1
        mine = self._followed(job, translation, j, latest)
        followers = sum(followed)
        if mine is False and followers >= _MIN_FOLLOWERS and followers * 2 > others:
            return "stale"  # dated after the change, yet it left the unit alone where most updated theirs
        return None

    def _followed(self, job: _Job, translation: _Translation, j: int, latest: int) -> bool | None:
        """Did the translation change its counterpart of unit j since source version `latest`?
        None when it cannot be told (no counterpart, no earlier version read)."""
        key = (id(translation), latest)
        if key not in self.earlier:
            return None
        earlier = self.earlier[key]
        if earlier is None:
            return True  # the translation was made after the change: from the changed source
        counterpart = self._matched(job, translation)[j]
        if counterpart is None:
            return None
        return _digest(translation.units[counterpart].shown) not in earlier

    def _matched(self, job: _Job, translation: _Translation) -> list[int | None]:
        if translation.matched is None:
            from loclint.checks.context import Context

            translation.units = units_of(translation.variant)
            group = Group(key=job.group.key, variants=[job.source, translation.variant], reference=job.source)
            ctx = Context(group=group, settings=self.history.settings, comparable=[job.source, translation.variant])
            translation.matched = align_units(ctx, job.chain.units, translation.units, translation.variant)
        return translation.matched

    def _report(self, job: _Job, translation: _Translation, stale, cosmetic, dropped) -> list[Diagnostic]:
        matched = self._matched(job, translation) if stale or cosmetic or dropped else []
        since = f"{day(translation.base_time)}, {translation.base_label}" if not translation.current else "the work tree's"
        limit = self.history.settings.history_summary_over
        if len(stale) + len(dropped) > limit and not stale:
            own = translation.units[min(dropped)[0]]
            message = (f"{len(dropped)} {_units_word(job)} of this translation were removed from the source since "
                       f"its source version ({since})")
            return [_diagnostic(job, translation.variant, "H002", message, own.start, own.start, "summary")]
        if len(stale) + len(dropped) > limit:
            first = min(stale)[0]
            offset = self._offset(translation, matched, first)
            lines = list(dict.fromkeys(self._line(translation, matched, j) for j, _ in stale))  # added units share a place
            listed = "lines " + ", ".join(map(str, lines[:5])) + (", ..." if len(lines) > 5 else "") if len(lines) > 1 else f"line {lines[0]}"
            if any(self._behind_at(job, translation, latest) for _, latest in stale):
                what = f"changed since this translation's source version ({since})"
            else:  # every one is a change the translation's date covers but most locales followed and it did not
                what = f"changed, and most locales updated theirs where this translation (source version {since}) did not"
            message = f"{len(stale)} of {len(job.chain.units)} source {_units_word(job)} {what}: {listed}"
            if dropped:
                message += f"; and {len(dropped)} removed from the source"
            return [_diagnostic(job, translation.variant, "H002", message, offset, offset, "summary")]
        found = []
        for code, units in (("H001", stale), ("H004", cosmetic)):
            for j, latest in units:
                found.append(self._unit_finding(job, translation, matched, code, j, latest, since))
        for own, index, text in dropped:
            unit = translation.units[own]
            commit = job.chain.commits[index]
            when = f"{commit.id[:7]}, {day(commit.time)}" if commit else "uncommitted"
            message = f"the source removed this {unit.kind} ({when}) since this translation ({since}): removed `{_clip(text, 60)}`"
            found.append(_diagnostic(job, translation.variant, "H001", message, unit.start, unit.end, f"removed:{own}"))
        return found

    def _unit_finding(self, job, translation, matched, code, j, latest, since) -> Diagnostic:
        chain = job.chain
        unit = chain.units[j]
        base = 0 if translation.current or translation.base_time is None else chain.base_index(translation.base_time)
        before = chain.text_at(j, latest - 1 if not self._behind_at(job, translation, latest) else base)
        change = _change(before, unit.text)
        commit = chain.commits[latest]
        when = f"{commit.id[:7]}, {day(commit.time)}" if commit else "uncommitted"
        counterpart = matched[j] if j < len(matched) else None
        if code == "H004":
            lead = f"the source {unit.kind} changed ({when}) and no locale translated since changed theirs; cosmetic?"
        elif not self._behind_at(job, translation, latest):
            lead = f"the source {unit.kind} changed ({when}) and most locales updated theirs; this one did not"
        else:
            lead = f"the source {unit.kind} changed since this translation ({since})"
        if counterpart is None:
            offset = self._offset(translation, matched, j)
            return _diagnostic(job, translation.variant, code, f"{lead}: {change}; it has no counterpart here", offset, offset, f"{unit.kind}:{j}")
        own = translation.units[counterpart]
        return _diagnostic(job, translation.variant, code, f"{lead}: {change}", own.start, own.end, f"{unit.kind}:{j}")

    def _offset(self, translation: _Translation, matched: list[int | None], j: int) -> int:
        """Where source unit j is (or would be) in the translation: its counterpart, else just
        after the nearest earlier unit that has one."""
        for index in range(j, -1, -1):
            if index < len(matched) and matched[index] is not None:
                unit = translation.units[matched[index]]
                return unit.start if index == j else unit.end
        return translation.variant.front_matter_end

    def _line(self, translation: _Translation, matched, j: int) -> int:
        return translation.variant.position(self._offset(translation, matched, j))[0]


def cached_findings(cached: dict) -> list[Diagnostic]:
    try:
        return [Diagnostic(**{**entry, "fix": None}) for entry in cached.get("findings", [])]
    except TypeError:
        return []


def _units_word(job: _Job) -> str:
    return "segments" if job.chain.units and job.chain.units[0].key is not None else "blocks"


def _change(before: str | None, after: str) -> str:
    """A short excerpt of the change: both texts when short, else the part that differs, widened
    to whole words, with a little context."""
    if before is None:
        return f"added `{_clip(after, 60)}`"
    if not after:
        return f"removed `{_clip(before, 60)}`"
    if len(before) <= 60 and len(after) <= 60:
        return f"`{_clip(before, 60)}` became `{_clip(after, 60)}`"
    prefix = len(os.path.commonprefix([before, after]))
    suffix = len(os.path.commonprefix([before[prefix:][::-1], after[prefix:][::-1]]))
    start = max(0, prefix - 20)
    space = before.rfind(" ", 0, start)
    start = space + 1 if space >= 0 and start - space < 15 else start  # a word's start, if near
    lead = "…" if start else ""

    def middle(text: str) -> str:
        stop = min(len(text), len(text) - suffix + 20)
        return lead + _clip(text[start:stop], 60) + ("…" if stop < len(text) else "")

    return f"`{middle(before)}` became `{middle(after)}`"


def _clip(text: str, width: int) -> str:
    text = text.replace("`", "'")
    return text if len(text) <= width else text[: width - 1] + "…"


def _window(commits: list[Commit], oldest_base: int | None) -> list[Commit]:
    """The source commits to read, newest first: all since the oldest base, the one in effect at
    it, at least the last few (to see which changes the locales followed), at most a bound."""
    window = []
    for index, commit in enumerate(commits):
        window.append(commit)
        if len(window) >= _MAX_VERSIONS:
            break
        if index + 1 >= _MIN_DEPTH and (oldest_base is None or commit.time <= oldest_base):
            break
    return window


def _pathspec(root: Path, paths: list[Path]) -> str:
    """The deepest folder under `root` holding every path: the log is read for it only."""
    relative = [os.path.dirname(path.relative_to(root).as_posix()) for path in paths]
    common = os.path.commonpath(relative) if relative else ""
    return common.replace(os.sep, "/")


def _source_ref(planned: PlannedGroup, settings: Settings) -> FileRef | None:
    if planned.source:
        return next((ref for ref in planned.files if ref.display == planned.source), None)
    if settings.source_locale:
        return next((ref for ref in planned.files if ref.place_locale == settings.source_locale), None)
    return None


def _diagnostic(job: _Job, variant: Variant, code: str, message: str, offset: int, end: int, subject: str) -> Diagnostic:
    line, column = variant.position(offset)
    end_line, end_column = variant.position(end)
    return Diagnostic(variant.display_path, line, column, end_line, end_column, code, message,
                      locale=variant.locale, article=job.group.key, subject=subject)


def check_history(groups: list[PlannedGroup], settings: Settings, cache_dir: Path | None,
                  since: str | None, load_group: LoadGroup) -> tuple[list[Diagnostic], HistoryReport]:
    """The H findings of the groups, filtered like every other finding (enabled codes, files
    reported on, ignores, suppression comments), and the drift report of the files reported on."""
    from loclint.reporting import Reporting

    history = History(settings, cache_dir, load_group)
    raw = history.check(groups, since)
    filters: dict[str, Reporting] = {}
    kept = []
    for diagnostic in raw:
        group = history.groups_by_path[diagnostic.path]
        reporting = filters.get(group.key)
        if reporting is None:
            reporting = filters[group.key] = Reporting(group, settings)
        if not reporting.suppressions.covers(diagnostic) and (wanted := reporting.wanted(diagnostic)) is not None:
            kept.append(wanted)
    history.report.files = [drift for drift in history.report.files if history.groups_by_path[drift.path] is not None
                            and _reports(history.groups_by_path[drift.path], drift.path)]
    return kept, history.report


def _reports(group: Group, path: str) -> bool:
    return any(variant.report for variant in group.variants if variant.display_path == path)
