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
import itertools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePath

from loclint.config import Settings
from loclint.fsguard import ReadPolicy, RefusedPath, check_path, tree_roots
from loclint.locales import LocaleNames, has_region, is_tag, listing, normalise
from loclint.presets import PRESETS, Preset, detect

_ANY_NAMES = LocaleNames()


class FileRef:
    """One file of the plan: where it is, how it is shown, its folder's locale, whether it is reported.

    A run over many small groups holds one of these per file until it ends, so it is kept small:
    the path is kept as a string only when it is not the display string (it is for every walked
    file), and `path` builds the `Path` when asked."""

    __slots__ = ("display", "place_locale", "report", "_path")

    def __init__(self, path: Path | str, display: str, place_locale: str | None, report: bool) -> None:
        path = os.fspath(path)
        self.display = display
        self.place_locale = place_locale
        self.report = report
        self._path = None if path == display else path

    @classmethod
    def walked(cls, path: str, place_locale: str | None, report: bool) -> FileRef:
        """A file whose path is its display string (every walked file), made without checks."""
        ref = cls.__new__(cls)
        ref.display, ref.place_locale, ref.report, ref._path = path, place_locale, report, None
        return ref

    @property
    def path(self) -> Path:
        return Path(self.path_text)

    @property
    def path_text(self) -> str:
        """The path as a string, without building a `Path`."""
        return self.display if self._path is None else self._path

    def _fields(self) -> tuple:
        return (self.path_text, self.display, self.place_locale, self.report)

    def __eq__(self, other: object) -> bool:
        return self._fields() == other._fields() if isinstance(other, FileRef) else NotImplemented

    __hash__ = None  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return f"FileRef(path={self.path!r}, display={self.display!r}, place_locale={self.place_locale!r}, report={self.report!r})"

    def __getstate__(self) -> tuple:
        return (self.display, self.place_locale, self.report, self._path)

    def __setstate__(self, state: tuple) -> None:
        self.display, self.place_locale, self.report, self._path = state


_SHARED_ITEMS = 24  # items (three a file) a group keeps as a tuple while planning


def _shared(items: tuple, shared: dict | None) -> tuple:
    """The one tuple of these items in the plan (`shared`); items holding a `FileRef`, their own."""
    if shared is None or any(items[index].__class__ is not str for index in range(0, len(items), 3)):
        return items
    return shared.setdefault(items, items)


class PlannedGroup:
    """The files of one article group, before any is read.

    A run holds one of these per group until it ends, so the files are kept flat, three items
    each: a walked file's path is its locale folder followed by the article (`de-DE/` +
    `a.md`), so it is kept as (folder, locale, reported), the folder one string for all its
    files; a file laid out otherwise (a named path written another way) as (its `FileRef`,
    None, None). `files` builds the `FileRef`s each time it is read: read it once where the
    objects' identity matters, and change a group through `take`, `report` and `sort`, not
    through them. Once planned (`pack`), the items are a tuple shared by every group laid
    out alike, and the key is kept as its root, shared, and the article."""

    __slots__ = ("_key", "article", "_files", "source", "preset")

    def __init__(self, key: str | tuple[str], article: str, files: list[FileRef] | None = None,
                 source: str | None = None, preset: str | None = None) -> None:
        self._key = key  # unique: root + NUL + relative path (or the root alone, shared), or the group-by value
        self.article = article  # the relative path (or group-by value) shown to users and used by baselines
        self._files: tuple | list = ()  # a list only while planning a large group
        self.source = source  # display path of the site's source file, when a preset knows it
        self.preset = preset  # the docs-site preset that placed the group's files
        for ref in files or ():
            self.take(ref)

    @property
    def key(self) -> str:
        key = self._key
        return key if key.__class__ is str else key[0] + self.article

    @property
    def files(self) -> list[FileRef]:
        items, article = self._files, self.article
        return [FileRef.walked(items[index] + article, items[index + 1], items[index + 2])
                if items[index].__class__ is str else items[index] for index in range(0, len(items), 3)]

    @property
    def size(self) -> int:
        """How many files the group has, without building their `FileRef`s."""
        return len(self._files) // 3

    @files.setter
    def files(self, refs: list[FileRef]) -> None:
        self._files = ()
        for ref in refs:
            self.take(ref)

    def take(self, ref: FileRef, shared: dict | None = None) -> None:
        """Add a file (`shared`: one string per folder, one tuple per layout, across the plan).

        A group of a few files keeps them as a tuple, shared with the groups laid out alike even
        while planning (two locales' groups all hold one); a larger group, as a list."""
        display, article = ref.display, self.article
        if ref._path is None and display.endswith(article):
            folder = display[: len(display) - len(article)]
            item = (folder if shared is None else shared.setdefault(folder, folder), ref.place_locale, ref.report)
        else:
            item = (ref, None, None)
        files = self._files
        if files.__class__ is list:
            files += item
        elif len(files) < _SHARED_ITEMS:
            self._files = _shared(files + item, shared)
        else:
            self._files = [*files, *item]

    def report(self, position: int) -> None:
        """Report the file at `position` of `files` (a file both walked and named)."""
        items = self._files
        if items.__class__ is tuple:  # perhaps shared: this group's own from now on
            items = self._files = list(items)
        if items[position * 3].__class__ is str:
            items[position * 3 + 2] = True
        else:
            items[position * 3].report = True

    def sort(self, shared: dict | None = None) -> None:
        """Files in locale order, then by display path."""
        refs = sorted(self.files, key=lambda ref: (ref.place_locale or "", ref.display))
        self._files = ()
        for ref in refs:
            self.take(ref, shared)

    def pack(self, shared: dict) -> None:
        """The planning done: the key and items kept packed, shared across the plan (`shared`)."""
        article, key = self.article, self._key
        if key.__class__ is str and key.endswith(article):
            head = key[: len(key) - len(article)]
            self._key = shared.setdefault(("key", head), (head,))
        self._files = _shared(tuple(self._files), shared)

    def _fields(self) -> tuple:
        return (self.key, self.article, self.files, self.source, self.preset)

    def __eq__(self, other: object) -> bool:
        return self._fields() == other._fields() if isinstance(other, PlannedGroup) else NotImplemented

    __hash__ = None  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        key, article, files, source, preset = self._fields()
        return f"PlannedGroup(key={key!r}, article={article!r}, files={files!r}, source={source!r}, preset={preset!r})"

    def __getstate__(self) -> tuple:
        return (self._key, self.article, self._files, self.source, self.preset)

    def __setstate__(self, state: tuple) -> None:
        self._key, self.article, self._files, self.source, self.preset = state


@dataclass(slots=True)
class Plan:
    """What a run will check: its groups, the files placed by front matter, and why."""

    groups: list[PlannedGroup]
    loose: list[FileRef]  # files whose group is decided by their front matter
    missing: list[str]  # paths on the command line that do not exist
    presets: list[Preset] = field(default_factory=list)  # docs-site layouts detected or forced
    # Why each file given or found was taken or skipped: display path -> reason (for --show-files).
    reasons: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # said once on stderr: siblings not found, ...
    skipped: list[str] = field(default_factory=list)  # named files that are not localized articles
    # Per container of locale folders or repositories: locale -> the folder holding its files.
    locale_folders: dict[str, dict[str, str]] = field(default_factory=dict)
    walked: list[str] = field(default_factory=list)  # the folders walked, absolute


@dataclass(frozen=True, slots=True)
class Place:
    """Where a file sits in a locale layout: its root, locale and relative path."""

    root: str  # the folder holding the locale folders, plus the repo name for sibling repos
    locale: str
    rel: str  # posix relative path under the locale folder
    sibling_name: str | None  # the `<name>` of `<name>.<locale>`, for sibling repos
    preset: Preset | None = None  # the docs-site preset that placed the file
    source: bool = False  # the preset's source-language file, or the unsuffixed `Docs/` repository
    container: str = ""  # the folder holding the locale folders or repositories


def locate(path: Path, layout: str, names: LocaleNames | None = None, source_locale: str | None = None) -> Place | None:
    """Where a file sits: the deepest folder of its path that names a locale and has another
    locale beside it, else the deepest that names one at all (see loclint/locales.py).

    Company outranks depth because a path can name two locales: `de-DE/bots/to-do/a.md` sits in
    `de-DE` (beside `fr-FR`), whatever `to-do` reads as. Without any, a folder `<name>` beside
    `<name>.<locale>` repositories is the source locale's repository (the Microsoft Docs
    convention: `Docs/` beside `Docs.tr-tr/`)."""
    if layout == "loose":
        return None
    names = names or _ANY_NAMES
    parts = path.parts
    siblings = layout in ("auto", "sibling-repos")
    folders = layout in ("auto", "locale-folders")
    deepest = None
    for index in range(len(parts) - 2, -1, -1):
        place = _named_place(parts, index, names, siblings, folders)
        if place is None:
            continue
        if _has_company(place, parts[index], names):
            return place
        deepest = deepest or place
    if deepest or not siblings:
        return deepest
    for index in range(len(parts) - 2, -1, -1):
        parent = _parent(parts, index)
        found = names.suffixed_siblings(parent, parts[index])
        if found:
            locale = source_name([locale for _, locale in found], source_locale)
            return Place(f"{parent}/{parts[index]}.*", locale, "/".join(parts[index + 1 :]), parts[index], source=True,
                         container=parent)
    return None


def _named_place(parts: tuple[str, ...], index: int, names: LocaleNames, siblings: bool, folders: bool) -> Place | None:
    """The place `parts[index]` gives the file when that folder names a locale, else None."""
    part = parts[index]
    # Path parts hold no separator (only a root part can, and it is never a folder name
    # matched here), so joining strings gives what PurePath would, without building one.
    parent = _parent(parts, index)
    rel = "/".join(parts[index + 1 :])
    sibling = names.suffix(parent, part) if siblings else None
    if sibling:
        name = sibling[0]
        return Place(f"{parent}/{name}.*", sibling[1], rel, name, container=parent)
    if folders and names.folder(parent, part):
        return Place(parent, normalise(part), rel, None, container=parent)
    return None


def _has_company(place: Place, part: str, names: LocaleNames) -> bool:
    """Another locale sits beside the place's folder: `fr-FR/` beside `de-DE/`, `Docs.fr-fr`
    or the unsuffixed `Docs` beside `Docs.de-de`."""
    if place.sibling_name is not None:
        base = place.sibling_name
        return base in listing(place.container) or len(names.suffixed_siblings(place.container, base)) > 1
    return any(entry != part for entry, _ in names.folders(place.container))


def source_name(others: list[str], configured: str | None) -> str:
    """The locale of an unsuffixed repository: `source-locale`, else English in its siblings' form."""
    if configured:
        return configured
    return "en-us" if any(has_region(locale) for locale in others) else "en"


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


def plan(paths: list[str], settings: Settings, explain: bool = False) -> Plan:
    """The groups and loose files of a run. Why each file was taken is recorded in `reasons`
    only when `explain` (for `--show-files`): a check run does not need it, and it is an entry
    per file. Why files were skipped is always recorded."""
    listing.cache_clear()  # folders may have changed since an earlier run in this process
    _ANY_NAMES.forget()
    presets = detect_presets(paths, settings)
    names = LocaleNames(settings.locales)
    named, walked, missing, tops, reasons = _gather(paths, settings)

    groups: dict[str, dict[str, PlannedGroup]] = {}  # root -> article -> group (the key is both)
    loose: list[FileRef] = []
    locale_folders: dict[str, dict[str, str]] = {}
    seen = _Seen(every=len(tops) > 1)
    # One string per distinct locale, folder and reason, one tuple per root and per layout of a
    # group's files, not one per file: the plan lives until the run ends.
    shared: dict = {}

    def add(ref: FileRef, place: Place, why: str, walked: bool = False) -> PlannedGroup:
        root = place.root if place.preset is not None else os.path.abspath(place.root)
        article = _article(ref.display, place.rel)
        by_article = groups.setdefault(root, {})
        group = by_article.get(article)
        if group is None:
            head = root + "\0"
            group = by_article[article] = PlannedGroup(shared.setdefault(("key", head), (head,)), article)
        ref.place_locale = shared.setdefault(place.locale, place.locale)
        if place.source:
            group.source = ref.display
        if place.preset is not None:
            group.preset = place.preset.name
        else:
            locale_folders.setdefault(root, {}).setdefault(place.locale, _locale_folder(ref.display, place.rel))
        same = seen.identity(ref.path_text)
        known = seen.get(same, _ABSENT)
        if known is _ABSENT:
            seen.record(same, group, walked)
            group.take(ref, shared)
            if explain:
                reasons.setdefault(ref.display, shared.setdefault(why, why))
        elif known is group and ref.report:  # a file both walked and named: reported if either entry is
            group.report(next(index for index, other in enumerate(group.files) if seen.identity(other.path_text) == same))
        return group

    take_loose_walked = bool(settings.group_by) or settings.layout == "loose"

    def where(path: Path) -> Place | None:
        by_preset = _preset_place(path, presets)
        if by_preset is not False:
            return by_preset
        if settings.layout in PRESETS:
            return None
        found = locate(path, settings.layout, names, settings.source_locale)
        if found is None and not path.is_absolute():
            # Run from inside a locale folder or repository (`cd Docs.ro-ro && loclint check a.md`):
            # the locale is in the part of the path above the working folder.
            found = locate(Path(os.path.abspath(path)), settings.layout, names, settings.source_locale)
        return found

    # The files whose siblings are looked for (below): kept while walking, not all files placed.
    placed: list[tuple[FileRef, Place]] = []
    # A walked file's `FileRef` is made as its turn comes: a file skipped never has one.
    for ref in itertools.chain(named.values(), (FileRef.walked(text, None, True) for text in _drained(walked))):
        path = ref.path
        is_named = path in named if named else False
        place = where(path)
        if place is None:
            # A README or include found by walking a folder is not a locale variant: only files
            # named on the command line, or all files when grouping loose files, are checked.
            if not is_named and not take_loose_walked:
                reasons.setdefault(ref.display, "skipped: no locale in its path and no sibling locale")
                continue
            same = seen.identity(ref.path_text)
            if same not in seen:
                seen.record(same, None, not is_named)
                loose.append(ref)
                if explain:
                    reasons.setdefault(ref.display, f"loose: grouped by `{settings.group_by}`" if settings.group_by
                                       else "loose: no locale in its path; checked alone if it declares `ms.contentlocale`")
            continue
        where_from = f"locale {place.locale}" + (f" (docs-site preset {place.preset.name})" if place.preset else "")
        add(ref, place, f"taken: {where_from}", not is_named)
        # A walked file whose locales the walk covers (a docs site's, as before) brings no sibling.
        if is_named or (place.preset is None and not _covered(place, tops)):
            placed.append((ref, place))
    # Files named one by one, and files of folders walked below their locales' container, bring
    # their siblings: loaded for judging, reported only on request.
    elsewhere = _sibling_folders(settings, names)
    lonely: dict[str, str] = {}
    if placed:  # a sibling may be a walked file
        seen.complete([group for by_article in groups.values() for group in by_article.values()], loose)
    for ref, place in placed:
        if place.preset is not None:
            found = [(path, where(path)) for path in place.preset.siblings(ref.path)]
        else:
            found = _siblings(ref.path, place, names, settings.source_locale) + _configured_siblings(place, elsewhere, ref.path)
        for sibling_path, sibling_place in found:
            if sibling_place is not None:
                add(FileRef(sibling_path, _shown(sibling_path), None, settings.report_siblings), sibling_place,
                    f"sibling of {ref.display}: loaded to judge it" + ("" if settings.report_siblings else ", not reported"))
        if place.preset is None and not elsewhere and not _has_other_locales(place, names):
            lonely.setdefault(place.container or ".", place.locale)
    # In key order: `root + NUL + article`, which orders as (root, article) does.
    ordered = [groups[root][article] for root in sorted(groups) for article in sorted(groups[root])]
    for group in ordered:
        group.sort(shared)
        group.pack(shared)
    notes = [
        f"{os.path.abspath(container)}: holds no locale but {locale}, so cross-locale rules cannot judge it; "
        f"point at the other locales with `siblings = [\"../Docs.*\"]` in the configuration or `--siblings GLOB`"
        for container, locale in sorted(lonely.items())]
    return Plan(ordered, sorted(loose, key=lambda ref: ref.display), missing, presets, reasons, notes,
                locale_folders=locale_folders, walked=tops)


_ABSENT = object()


class _Seen(dict):
    """Every file taken, by `identity`: the group it joined (None when loose).

    One walk finds each file once, so a walked file is recorded only when another walk could
    find it again (`every`); before siblings are added, which may be walked files, `complete`
    records the rest. A run over one folder so holds no entry per file while it plans."""

    def __init__(self, every: bool) -> None:
        super().__init__()
        self.every = every
        self._here = os.path.join(os.getcwd(), "")

    def identity(self, text: str) -> str:
        """The file's absolute path, written relative to the working folder when below it: for a
        walked file that is its own display string, so an entry holds no second string."""
        absolute = os.path.abspath(text)
        if not absolute.startswith(self._here):
            return absolute
        relative = absolute[len(self._here):]
        return text if text == relative else relative

    def record(self, same: str, group: PlannedGroup | None, walked: bool) -> None:
        if self.every or not walked:
            self[same] = group

    def complete(self, groups: list[PlannedGroup], loose: list[FileRef]) -> None:
        if self.every:
            return
        self.every = True
        for group in groups:
            self.update((self.identity(ref.path_text), group) for ref in group.files)
        self.update((self.identity(ref.path_text), None) for ref in loose)


def _drained(items: list) -> Iterator:
    """The items in order, each let go of by the list as it is handed out."""
    items.reverse()
    while items:
        yield items.pop()


def _gather(paths: list[str], settings: Settings):
    """The files named, the files found by walking folders (less those git ignores), the paths
    that do not exist, the folders walked (absolute) and why files were skipped."""
    excluded = [*settings.exclude, *settings.extend_exclude]
    roots = settings.read_policy.roots or tree_roots(paths)  # where folder links may lead (E009)
    named: dict[Path, FileRef] = {}
    walked: list[str] = []
    missing: list[str] = []
    tops: list[str] = []  # siblings inside a walked folder are walked anyway
    reasons: dict[str, str] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            tops.append(os.path.abspath(raw))
            found = _walk(path, settings.include, excluded, None if settings.follow_symlinks else roots)
            ignored = git_ignored(found) if settings.respect_gitignore else set()
            for file_path in found:
                if file_path in ignored:
                    reasons.setdefault(file_path, "skipped: ignored by git (respect-gitignore = false checks it)")
                    continue
                walked.append(file_path)
        elif os.path.lexists(path):
            named[path] = FileRef(path, raw, None, True)
        else:
            missing.append(raw)
    if len(tops) > 1:  # one walk finds each file once; folders given twice, or nested, find some again
        walked = list(dict.fromkeys(walked))
    return named, walked, missing, tops, reasons


def _article(display: str, rel: str) -> str:
    """The relative path as a string of its own, cut from the display path when it ends with it.
    `rel` can be a part of a `Path`, which Python interns, and an interned string holds an entry
    in the interpreter's table for as long as it lives: for the whole run, once per article."""
    return display[len(display) - len(rel):] if display.endswith(rel) else rel


def _locale_folder(display: str, rel: str) -> str:
    """The folder holding a locale's files: the display path less its relative path."""
    posix = PurePath(display).as_posix()
    return posix[: -len(rel) - 1] if posix.endswith("/" + rel) else str(PurePath(display).parent)


def _shown(path: Path) -> str:
    """A sibling found by an absolute path, shown relative to the working folder when below it."""
    if not path.is_absolute():
        return str(path)
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def _covered(place: Place, tops: list[str]) -> bool:
    """Is the folder holding the place's locales inside a folder the run walks (all siblings seen)?"""
    container = os.path.abspath(place.container or ".")
    return any(container == top or container.startswith(top.rstrip(os.sep) + os.sep) for top in tops)


def _has_other_locales(place: Place, names: LocaleNames) -> bool:
    container = place.container
    if place.sibling_name is not None:
        others = names.suffixed_siblings(container, place.sibling_name)
        return len(others) > 1 or (not place.source and os.path.isdir(os.path.join(container or ".", place.sibling_name)))
    return len(names.folders(container)) > 1


def git_ignored(files: list[str]) -> set[str]:
    """The files git ignores (`.gitignore`, `.git/info/exclude`, the global excludes), asked in one
    `git check-ignore --stdin` call per work tree. No git, or not in a work tree: none."""
    import subprocess  # here: only a walk inside a git work tree needs it

    by_tree: dict[str, list[str]] = {}
    tree_of: dict[str, str | None] = {}
    for path in files:
        tree = _work_tree(os.path.dirname(os.path.abspath(path)), tree_of)
        if tree is not None:
            by_tree.setdefault(tree, []).append(path)
    ignored: set[str] = set()
    for tree, members in by_tree.items():
        absolute = {os.path.abspath(path): path for path in members}
        try:
            done = subprocess.run(["git", "-C", tree, "check-ignore", "--stdin", "-z"], input="\0".join(absolute) + "\0",
                                  capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return set()
        if done.returncode not in (0, 1):  # 128: git cannot tell (not a work tree after all, ...)
            continue
        ignored.update(absolute[name] for name in done.stdout.split("\0") if name in absolute)
    return ignored


def _work_tree(folder: str, known: dict[str, str | None]) -> str | None:
    """The git work tree holding `folder` (the nearest folder with a `.git`), remembered per folder."""
    chain = []
    current = folder
    while current not in known:
        chain.append(current)
        if os.path.exists(os.path.join(current, ".git")):
            known[current] = current
            break
        parent = os.path.dirname(current)
        if parent == current:
            known[current] = None
            break
        current = parent
    found = known[current]
    for visited in chain:
        known[visited] = found
    return found


def _walk(top: Path, include: list[str], excluded: list[str], roots: tuple[str, ...] | None = None) -> list[str]:
    """The files under `top` to check, depth first, each folder's entries in name order, each as
    `str(top / ... / name)` would be (strings, not `Path`s: a plan holds one per file).

    Symbolic links to folders are never followed (a link to `/` would walk the machine); one
    leading out of the checked tree (`roots`; None: links may lead anywhere) is listed as a file,
    so that reading it reports E009. Unreadable folders are skipped.
    """
    included = _glob_pattern(tuple(glob.lower() for glob in include))
    skipped = _glob_pattern(tuple(os.path.normcase(glob) for glob in excluded))
    found: list[str] = []
    pending = [(str(top), _joined_prefix(str(top)))]
    while pending:
        folder, shown = pending.pop()
        # Names, and the few that are folders or folder links apart: a folder of 100,000 files
        # is listed as 100,000 strings, not as that many tuples as well.
        names: list[str] = []
        enterable: set[str] = set()
        links: set[str] = set()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    names.append(entry.name)
                    if _enterable(entry):
                        enterable.add(entry.name)
                    if _folder_link(entry):
                        links.add(entry.name)
        except OSError:
            continue
        prefix = _posix_prefix(folder)
        kept = sorted(name for name in names if not _excluded(name, prefix, skipped))
        del names
        # A directory named like a Markdown file is reported (E001) rather than silently skipped.
        found.extend(
            shown + name
            for name in kept
            if included.match(name.lower()) or (name in links and roots is not None and _leads_out(Path(shown + name), roots))
        )
        subfolders = [name for name in kept if name in enterable]
        pending.extend((os.path.join(folder, name), shown + name + os.sep) for name in reversed(subfolders))
    return found


def _joined_prefix(folder: str) -> str:
    """What `str(Path(folder) / name)` puts before `name` (`folder` as `str(Path)` writes it)."""
    if folder == ".":
        return ""
    return folder if folder.endswith(os.sep) else folder + os.sep


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


def _siblings(path: Path, place: Place, names: LocaleNames, source_locale: str | None) -> list[tuple[Path, Place]]:
    """Other locales' files for the same relative path, found by listing the locales' container."""
    container = place.container
    base = Path(container) if container else Path(".")
    rel = Path(*PurePath(place.rel).parts)
    own_parts = PurePath(os.path.abspath(path)).parts
    own = own_parts[-len(rel.parts) - 1] if len(own_parts) > len(rel.parts) else None
    if place.sibling_name is None:
        entries = [(entry, locale, False) for entry, locale in names.folders(container)]
    else:
        suffixed = names.suffixed_siblings(container, place.sibling_name)
        entries = [(entry, locale, False) for entry, locale in suffixed]
        if os.path.isdir(base / place.sibling_name):  # `Docs/` beside `Docs.tr-tr/`: the source
            entries.append((place.sibling_name, source_name([locale for _, locale in suffixed], source_locale), True))
    found = []
    for entry, locale, source in entries:
        candidate = base / entry / rel
        if entry != own and locale != place.locale and candidate.is_file():
            found.append((candidate, Place(place.root, locale, place.rel, place.sibling_name, source=source, container=container)))
    return found


def _sibling_folders(settings: Settings, names: LocaleNames) -> list[tuple[Path, str, bool]]:
    """The folders `siblings` globs name (relative to the configuration that set them):
    (folder, its locale, whether it is the unsuffixed source repository)."""
    if not settings.siblings:
        return []
    origin = settings.origins.get("siblings", "default")
    anchor = settings.config_path.parent if origin not in ("default", "command line") and settings.config_path else Path.cwd()
    folders = []
    for pattern in settings.siblings:
        for match in sorted(anchor.glob(pattern)) if not os.path.isabs(pattern) else sorted(Path("/").glob(pattern.lstrip("/"))):
            if not match.is_dir():
                continue
            folder = match.resolve()
            parent, name = str(folder.parent), folder.name
            split = names.suffix(parent, name)
            if split is not None:
                folders.append((folder, split[1], False))
            elif names.folder(parent, name) or is_tag(name):
                folders.append((folder, normalise(name), False))
            elif names.suffixed_siblings(parent, name):
                folders.append((folder, source_name([], settings.source_locale), True))
    return folders


def _configured_siblings(place: Place, folders: list[tuple[Path, str, bool]], path: Path) -> list[tuple[Path, Place]]:
    own = Path(os.path.abspath(path))
    found = []
    for folder, locale, source in folders:
        candidate = folder / place.rel
        if locale != place.locale and candidate.is_file() and candidate.resolve() != own.resolve():
            found.append((candidate, Place(place.root, locale, place.rel, place.sibling_name, source=source, container=place.container)))
    return found
