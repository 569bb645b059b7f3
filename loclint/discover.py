"""Paths on the command line to article groups: which files are locale variants of the same article.

Layouts (auto-detected per file, or forced with `layout`):
- locale folders:   ROOT/<locale>/<relative path>          (tr-TR, tr-tr, sr-Latn-RS)
- sibling repos:    ROOT/<name>.<locale>/<relative path>   (localization repos cloned side by side)
- loose files:      no locale in the path; the locale comes from `ms.contentlocale` and the group
                    from a front-matter key (`group-by`, e.g. `ms.assetid`).
A group is every variant with the same root and relative path. Files named one by one (as
pre-commit passes them) bring their sibling variants along, loaded to judge them but not reported.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePath

import regex

from loclint.config import Settings
from loclint.fsguard import ReadPolicy, RefusedPath, check_path, tree_roots
from loclint.presets import PRESETS, Preset, detect

LOCALE = regex.compile(r"[a-z]{2,3}(?:-[a-z]{4})?-(?:[a-z]{2}|\d{3})", regex.IGNORECASE)
SIBLING_REPO = regex.compile(r"(.+)\.([a-z]{2,3}(?:-[a-z]{4})?-(?:[a-z]{2}|\d{3}))", regex.IGNORECASE)


@dataclass(slots=True)
class FileRef:
    path: Path
    display: str
    place_locale: str | None
    report: bool


@dataclass(slots=True)
class PlannedGroup:
    key: str  # unique: root + relative path, or the group-by value
    article: str  # the relative path (or group-by value) shown to users and used by baselines
    files: list[FileRef] = field(default_factory=list)
    source: str | None = None  # display path of the site's source file, when a preset knows it
    preset: str | None = None  # the docs-site preset that placed the group's files


@dataclass(slots=True)
class Plan:
    groups: list[PlannedGroup]
    loose: list[FileRef]  # files whose group is decided by their front matter
    missing: list[str]  # paths on the command line that do not exist
    presets: list[Preset] = field(default_factory=list)  # docs-site layouts detected or forced


@dataclass(frozen=True, slots=True)
class Place:
    root: str  # the folder holding the locale folders, plus the repo name for sibling repos
    locale: str
    rel: str  # posix relative path under the locale folder
    sibling_name: str | None  # the `<name>` of `<name>.<locale>`, for sibling repos
    preset: Preset | None = None  # the docs-site preset that placed the file
    source: bool = False  # the preset's source-language file


def locate(path: Path, layout: str) -> Place | None:
    """Where a file sits: the deepest folder of its path that names a locale."""
    if layout == "loose":
        return None
    parts = path.parts
    siblings = layout in ("auto", "sibling-repos")
    folders = layout in ("auto", "locale-folders")
    for index in range(len(parts) - 2, -1, -1):
        part = parts[index]
        # Path parts hold no separator (only a root part can, and it is never a folder name
        # matched here), so joining strings gives what PurePath would, without building one.
        sibling = SIBLING_REPO.fullmatch(part) if siblings else None
        if sibling:
            name = sibling.group(1)
            return Place(f"{_parent(parts, index)}/{name}.*", sibling.group(2).lower(), "/".join(parts[index + 1 :]), name)
        if folders and LOCALE.fullmatch(part):
            return Place(_parent(parts, index), part.lower(), "/".join(parts[index + 1 :]), None)
    return None


def _parent(parts: tuple[str, ...], index: int) -> str:
    """The folder holding `parts[index]`, written as `str(PurePath(*parts[:index]))` would be."""
    return os.path.join(*parts[:index]) if index else ""


def detect_presets(paths: list[str], settings: Settings) -> list[Preset]:
    """The docs-site presets of the paths given: detected from marker files with `layout = "auto"`,
    looked for by name when `layout` names one; none for the other layouts."""
    if settings.layout != "auto" and settings.layout not in PRESETS:
        return []
    forced = settings.layout if settings.layout in PRESETS else None
    found: dict[str, Preset] = {}
    looked_from: set[str] = set()  # files named one by one mostly share folders: look from each once
    for raw in paths:
        start = Path(raw)
        folder = str(start if start.is_dir() else start.parent)
        if folder in looked_from:
            continue
        looked_from.add(folder)
        preset = detect(start, forced, settings.source_locale)
        if preset is not None:
            found.setdefault(str(preset.root.resolve()), preset)
    return list(found.values())


def _preset_place(path: Path, presets: list[Preset]) -> Place | None | bool:
    """The place a preset gives `path`; False when no preset covers it (other layouts decide)."""
    for preset in presets:
        if preset.contains(path):
            where = preset.locate(path)
            if where is None:
                return None
            return Place(f"{preset.root}#{preset.name}", where.locale, where.rel, None, preset, where.source)
    return False


def plan(paths: list[str], settings: Settings) -> Plan:
    presets = detect_presets(paths, settings)
    excluded = [*settings.exclude, *settings.extend_exclude]
    roots = settings.read_policy.roots or tree_roots(paths)  # where folder links may lead (E009)
    named: dict[Path, FileRef] = {}
    walked: dict[Path, FileRef] = {}
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file_path in _walk(path, settings.include, excluded, None if settings.follow_symlinks else roots):
                walked.setdefault(file_path, FileRef(file_path, str(file_path), None, True))
            continue
        if os.path.lexists(path):
            named[path] = FileRef(path, raw, None, True)
        else:
            missing.append(raw)

    groups: dict[str, PlannedGroup] = {}
    loose: list[FileRef] = []
    # Every file taken, by normalised path: its entry and the group it joined (None when loose).
    seen: dict[str, tuple[FileRef, PlannedGroup | None]] = {}

    def add(ref: FileRef, place: Place) -> PlannedGroup:
        key = f"{place.root}\0{place.rel}"
        group = groups.get(key)
        if group is None:
            group = groups[key] = PlannedGroup(key, place.rel)
        ref.place_locale = place.locale
        if place.source:
            group.source = ref.display
        if place.preset is not None:
            group.preset = place.preset.name
        identity = os.path.normpath(str(ref.path))
        if identity not in seen:
            seen[identity] = (ref, group)
            group.files.append(ref)
        else:  # a file both walked and named: the named entry decides whether it is reported
            existing, owner = seen[identity]
            if owner is group:
                existing.report = existing.report or ref.report
        return group

    take_loose_walked = bool(settings.group_by) or settings.layout == "loose"
    def where(path: Path) -> Place | None:
        by_preset = _preset_place(path, presets)
        if by_preset is not False:
            return by_preset
        return None if settings.layout in PRESETS else locate(path, settings.layout)

    for ref in [*named.values(), *walked.values()]:
        place = where(ref.path)
        if place is None:
            # A README or include found by walking a folder is not a locale variant: only files
            # named on the command line, or all files when grouping loose files, are checked.
            if ref.path not in named and not take_loose_walked:
                continue
            identity = os.path.normpath(str(ref.path))
            if identity not in seen:
                seen[identity] = (ref, None)
                loose.append(ref)
            continue
        add(ref, place)
    # Files named one by one bring their siblings, loaded for judging, reported only on request.
    for ref in named.values():
        place = where(ref.path)
        if place is None:
            continue
        found = place.preset.siblings(ref.path) if place.preset else _siblings(ref.path, place)
        for sibling_path in found:
            sibling_place = where(sibling_path)
            if sibling_place is not None:
                add(FileRef(sibling_path, str(sibling_path), None, settings.report_siblings), sibling_place)
    ordered = sorted(groups.values(), key=lambda group: group.key)
    for group in ordered:
        group.files.sort(key=lambda ref: (ref.place_locale or "", ref.display))
    return Plan(ordered, sorted(loose, key=lambda ref: ref.display), missing, presets)


def _walk(top: Path, include: list[str], excluded: list[str], roots: tuple[str, ...] | None = None) -> list[Path]:
    """The files under `top` to check, depth first, each folder's entries in name order.

    Symbolic links to folders are never followed (a link to `/` would walk the machine); one
    leading out of the checked tree (`roots`; None: links may lead anywhere) is listed as a file,
    so that reading it reports E009. Unreadable folders are skipped.
    """
    included = _glob_pattern(tuple(glob.lower() for glob in include))
    skipped = _glob_pattern(tuple(os.path.normcase(glob) for glob in excluded))
    found: list[Path] = []
    pending = [(str(top), top)]
    while pending:
        folder, folder_path = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = [(entry.name, _enterable(entry), _folder_link(entry)) for entry in entries]
        except OSError:
            continue
        prefix = _posix_prefix(folder)
        kept = sorted((name, enter, link) for name, enter, link in listed if not _excluded(name, prefix, skipped))
        # A directory named like a Markdown file is reported (E001) rather than silently skipped.
        found.extend(
            folder_path / name
            for name, _, link in kept
            if included.match(name.lower()) or (link and roots is not None and _leads_out(folder_path / name, roots))
        )
        subfolders = [name for name, enter, _ in kept if enter]
        pending.extend((os.path.join(folder, name), folder_path / name) for name in reversed(subfolders))
    return found


def _enterable(entry: os.DirEntry) -> bool:
    """A real folder: walked into. A link to a folder is listed like one but never followed."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _folder_link(entry: os.DirEntry) -> bool:
    try:
        return entry.is_symlink() and entry.is_dir()
    except OSError:
        return False


def _leads_out(path: Path, roots: tuple[str, ...]) -> bool:
    try:
        check_path(path, ReadPolicy(roots))
    except RefusedPath:
        return True
    return False


def _posix_prefix(folder: str) -> str:
    """What `PurePath(folder, name).as_posix()` puts before `name`."""
    posix = PurePath(folder).as_posix()
    if posix == ".":
        return ""
    return posix if posix.endswith("/") else posix + "/"


def _excluded(name: str, prefix: str, skipped: re.Pattern) -> bool:
    """Does an exclude glob match the entry's name or its whole path (as `fnmatch.fnmatch` would)?"""
    return bool(skipped.match(os.path.normcase(name)) or skipped.match(os.path.normcase(prefix + name)))


@lru_cache(maxsize=32)
def _glob_pattern(globs: tuple[str, ...]) -> re.Pattern:
    """One compiled pattern matching a name that any of the globs matches (none when no globs)."""
    if not globs:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{fnmatch.translate(glob)})" for glob in globs))


def _siblings(path: Path, place: Place) -> list[Path]:
    """Other locales' files for the same relative path, found by listing the locale folders."""
    parts = path.parts
    rel_parts = PurePath(place.rel).parts
    locale_index = len(parts) - len(rel_parts) - 1
    container = Path(*parts[:locale_index]) if locale_index else Path(".")
    try:
        entries = sorted(os.listdir(container))
    except OSError:
        return []
    found = []
    for entry in entries:
        if place.sibling_name is not None:
            match = SIBLING_REPO.fullmatch(entry)
            if not match or match.group(1) != place.sibling_name:
                continue
        elif not LOCALE.fullmatch(entry):
            continue
        candidate = container / entry / Path(*rel_parts)
        if entry != parts[locale_index] and candidate.is_file():
            found.append(candidate)
    return found
