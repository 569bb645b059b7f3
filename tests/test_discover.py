"""Finding article groups: layouts, depth, files named one by one, loose files."""

from __future__ import annotations

import os
from pathlib import Path

from fixture_tree import write_tree
from loclint.config import Settings
from loclint.discover import locate, plan

SEGMENT = "{{103: Hallo || Hello}}\n"


def _plan(paths, **settings):
    return plan([str(p) for p in paths], Settings(**settings).finish())


def test_locale_codes_of_every_form_are_recognised():
    for folder in ("tr-TR", "tr-tr", "sr-Latn-RS", "es-419"):
        place = locate(Path(f"docs/{folder}/articles/a.md"), "auto")
        assert place is not None and place.locale == folder.lower() and place.rel == "articles/a.md"
    assert locate(Path("docs/api/a.md"), "auto") is None


def test_locale_folders_at_any_depth_form_one_run_over_two_families(tmp_path):
    write_tree(tmp_path, {
        "corpus/one/de-DE/x/a.md": SEGMENT, "corpus/one/fr-FR/x/a.md": SEGMENT,
        "corpus/two/de-DE/a.md": SEGMENT, "corpus/two/fr-FR/a.md": SEGMENT,
    })
    groups = _plan([tmp_path / "corpus"]).groups
    assert [(g.article, len(g.files)) for g in groups] == [("x/a.md", 2), ("a.md", 2)]


def test_a_folder_that_only_reads_like_a_locale_does_not_split_its_article_from_its_siblings(tmp_path):
    # `how-to` reads as language-region, but `how` is no language; `to-do` is Tonga in the
    # Dominican Republic, but `de-DE` beside `fr-FR` is the locale that has company.
    write_tree(tmp_path, {
        "de-DE/bots/how-to/a.md": SEGMENT, "fr-FR/bots/how-to/a.md": SEGMENT,
        "de-DE/app/to-do/b.md": SEGMENT, "fr-FR/app/to-do/b.md": SEGMENT,
    })
    groups = _plan([tmp_path]).groups
    assert sorted((g.article, sorted(f.place_locale for f in g.files)) for g in groups) == [
        ("app/to-do/b.md", ["de-de", "fr-fr"]), ("bots/how-to/a.md", ["de-de", "fr-fr"])]


def test_a_lone_locale_checkout_keeps_its_locale_over_a_word_that_reads_like_one(tmp_path):
    write_tree(tmp_path, {"de-DE/bots/how-to/a.md": SEGMENT})
    place = locate(tmp_path / "de-DE/bots/how-to/a.md", "auto")
    assert place is not None and (place.locale, place.rel) == ("de-de", "bots/how-to/a.md")


def test_a_real_locale_nested_in_a_locale_like_folder_is_still_found(tmp_path):
    # Depth still decides between places of equal standing: both here have company.
    write_tree(tmp_path, {"fr-FR/site/de-DE/a.md": SEGMENT, "fr-FR/site/it-IT/a.md": SEGMENT, "de-DE/x.md": SEGMENT})
    place = locate(tmp_path / "fr-FR/site/de-DE/a.md", "auto")
    assert place is not None and (place.locale, place.rel) == ("de-de", "a.md")


def test_sibling_repositories(tmp_path):
    write_tree(tmp_path, {"Docs.de-de/articles/a.md": SEGMENT, "Docs.tr-tr/articles/a.md": SEGMENT})
    groups = _plan([tmp_path]).groups
    assert len(groups) == 1 and sorted(f.place_locale for f in groups[0].files) == ["de-de", "tr-tr"]


def test_a_named_file_brings_its_siblings_unreported(tmp_path):
    write_tree(tmp_path, {"de-DE/a.md": SEGMENT, "fr-FR/a.md": SEGMENT, "ja-JP/a.md": SEGMENT})
    (group,) = _plan([tmp_path / "fr-FR" / "a.md"]).groups
    assert {(f.place_locale, f.report) for f in group.files} == {("de-de", False), ("fr-fr", True), ("ja-jp", False)}
    (group,) = _plan([tmp_path / "fr-FR" / "a.md"], report_siblings=True).groups
    assert all(f.report for f in group.files)


def test_loose_files_are_checked_only_when_named_or_grouped(tmp_path):
    write_tree(tmp_path, {"README.md": "# readme\n", "de-DE/a.md": SEGMENT})
    layout = _plan([tmp_path])
    assert layout.loose == [] and len(layout.groups) == 1
    assert [ref.path.name for ref in _plan([tmp_path], group_by="ms.assetid").loose] == ["README.md"]
    assert [ref.path.name for ref in _plan([tmp_path / "README.md"]).loose] == ["README.md"]


def test_forced_layout_ignores_the_other_form(tmp_path):
    write_tree(tmp_path, {"Docs.de-de/a.md": SEGMENT})
    assert _plan([tmp_path], layout="locale-folders").groups == []
    assert len(_plan([tmp_path], layout="sibling-repos").groups) == 1


def test_missing_paths_are_reported(tmp_path):
    assert _plan([tmp_path / "nope"]).missing == [str(tmp_path / "nope")]


def _walked(top, **settings) -> list[str]:
    """The files a walk of `top` finds, as sorted posix paths relative to `top`."""
    found = []
    for group in _plan([top], **settings).groups:
        found += [ref.path.relative_to(top).as_posix() for ref in group.files]
    return sorted(found)


def test_exclude_globs_match_a_name_or_the_whole_path(tmp_path, monkeypatch):
    write_tree(tmp_path, {
        "docs/de-DE/a.md": SEGMENT, "docs/de-DE/build/b.md": SEGMENT, "docs/de-DE/drafts/c.md": SEGMENT,
        "docs/de-DE/node_modules/d.md": SEGMENT, "docs/de-DE/e.md": SEGMENT,
    })
    monkeypatch.chdir(tmp_path)
    assert _walked(Path("docs"), extend_exclude=["build", "docs/de-DE/drafts", "*/e.md"]) == ["de-DE/a.md"]
    assert _walked(Path("."), extend_exclude=["docs/de-DE/drafts"]) == [
        "docs/de-DE/a.md", "docs/de-DE/build/b.md", "docs/de-DE/e.md",
    ]  # `.` is left out of the whole path, as it is in `docs/...`; node_modules is a default exclude


def test_include_is_case_insensitive_and_a_folder_link_is_listed_but_never_entered(tmp_path):
    write_tree(tmp_path, {"de-DE/A.MD": SEGMENT, "de-DE/sub/b.md": SEGMENT, "elsewhere/de-DE/c.md": SEGMENT})
    os.symlink(tmp_path / "elsewhere", tmp_path / "de-DE" / "linked")
    os.symlink(tmp_path / "elsewhere", tmp_path / "de-DE" / "linked.md")  # named like a file: reported
    found = [ref.path.relative_to(tmp_path).as_posix() for group in _plan([tmp_path]).groups for ref in group.files]
    assert sorted(found) == ["de-DE/A.MD", "de-DE/linked.md", "de-DE/sub/b.md", "elsewhere/de-DE/c.md"]


def test_planning_a_group_in_many_locale_folders_is_linear(tmp_path, monkeypatch):
    """Each file asks whether another locale sits beside its folder; the folder's locales are
    listed once per run, not once per file (which was 100 million names for 10,000 locales)."""
    from loclint import locales

    for index in range(1500):
        folder = tmp_path / f"{chr(97 + index // 26 // 26 % 26)}{chr(97 + index // 26 % 26)}{chr(97 + index % 26)}-{index % 900 + 100:03d}"
        folder.mkdir()
        (folder / "a.md").write_text("---\ntitle: T\n---\nText.\n", encoding="utf-8")
    calls = []
    real = locales.normalise
    monkeypatch.setattr(locales, "normalise", lambda name: calls.append(name) or real(name))
    monkeypatch.chdir(tmp_path)
    planned = plan(["."], Settings())
    assert [group.size for group in planned.groups] == [1500]
    assert len(calls) < 10 * 1500, len(calls)  # 2,250,000 before
