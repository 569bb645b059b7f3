"""Translation history (H rules) on real git repositories built in tmp_path: one locale follows a
source change, another does not; recorded commits; shallow clones; no git; separate repositories
(Docs.<locale>); `--since`; the cost in git processes; the drift table."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from git_tree import GIT, GitTree, needs_git
from loclint import gitread
from loclint.cache import ResultCache
from loclint.cli import main
from loclint.config import load_settings
from loclint.engine import RunResult, run

pytestmark = needs_git

EN1 = "# Install\n\nDownload the package.\n\nRun `fixture init`.\n\nDone.\n"
FR1 = "# Installer\n\nTéléchargez le paquet.\n\nExécutez `fixture init`.\n\nTerminé.\n"
DE1 = "# Installieren\n\nLaden Sie das Paket herunter.\n\nFühren Sie `fixture init` aus.\n\nFertig.\n"


def _change(text: str) -> str:
    return text.replace("`fixture init`", "`fixture init --force`")


def _site(root: Path, prefix: str = "docs/") -> GitTree:
    """en-us, fr-fr, de-de; the source changes one paragraph; fr-fr follows, de-de does not."""
    tree = GitTree(root)
    tree.commit("Add the install page", {f"{prefix}en-us/a.md": EN1, f"{prefix}fr-fr/a.md": FR1, f"{prefix}de-de/a.md": DE1})
    tree.commit("install: --force", {f"{prefix}en-us/a.md": _change(EN1)})
    tree.commit("fr: follow", {f"{prefix}fr-fr/a.md": _change(FR1)})
    return tree


def _check(root: Path, overrides: dict | None = None, paths: list[str] | None = None, **options) -> RunResult:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        settings = load_settings(None, {"source-locale": "en-us", **(overrides or {})}, root)
        cache_dir = options.pop("cache_dir", None)
        cache = ResultCache(cache_dir, settings) if cache_dir is not None else None
        return run(paths or ["."], settings, cache=cache, **options)
    finally:
        os.chdir(cwd)


def _lines(result: RunResult, prefix: str = "") -> list[str]:
    return sorted(f"{Path(d.path).as_posix()}:{d.line}:{d.column}: {d.code}" for d in result.diagnostics if d.code.startswith(prefix))


def test_the_follower_is_clean_and_the_laggard_gets_the_changed_block_only(tmp_path: Path) -> None:
    _site(tmp_path)
    result = _check(tmp_path)
    assert _lines(result, "H") == ["docs/de-de/a.md:5:1: H001"]
    (finding,) = [d for d in result.diagnostics if d.code == "H001"]
    assert "`fixture init`" in finding.message.replace("'", "`") or "fixture init" in finding.message
    assert "--force" in finding.message
    assert result.notes == []


def test_without_git_the_tree_gives_todays_findings(tmp_path: Path) -> None:
    _site(tmp_path / "repo")
    shutil.copytree(tmp_path / "repo", tmp_path / "plain", ignore=shutil.ignore_patterns(".git"))
    with_git = _check(tmp_path / "repo", {"select": ["ALL"]})
    without = _check(tmp_path / "plain", {"select": ["ALL"]})
    assert not [d for d in without.diagnostics if d.code.startswith("H")]
    assert without.notes == [] and without.history is not None and without.history.files == []
    assert [d for d in with_git.diagnostics if not d.code.startswith("H")] == without.diagnostics


def test_no_source_known_no_history(tmp_path: Path) -> None:
    _site(tmp_path)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = run(["."], load_settings(None, {"select": ["H"]}, tmp_path))
    finally:
        os.chdir(cwd)
    assert result.diagnostics == []


def test_a_recorded_commit_that_does_not_exist_is_reported(tmp_path: Path) -> None:
    tree = GitTree(tmp_path)
    fr = "---\ntitle: Installer\nms.sourcegitcommit: 0123456789abcdef0123456789abcdef01234567\n---\n" + FR1
    tree.commit("Add", {"en-us/a.md": EN1, "fr-fr/a.md": fr})
    result = _check(tmp_path, {"select": ["H"]})
    assert _lines(result) == ["fr-fr/a.md:3:1: H003"]
    assert "does not have" in result.diagnostics[0].message


def test_a_recorded_commit_without_the_source_file_is_reported(tmp_path: Path) -> None:
    tree = GitTree(tmp_path)
    unrelated = tree.commit("Add the README", {"README.md": "hello\n"})
    fr = f"---\ntitle: Installer\nl10n:\n  sourceCommit: {unrelated}\n---\n" + FR1
    tree.commit("Add", {"en-us/a.md": EN1, "fr-fr/a.md": fr})
    result = _check(tmp_path, {"select": ["H"]})
    assert _lines(result) == ["fr-fr/a.md:3:1: H003"]
    assert "has no `en-us/a.md`" in result.diagnostics[0].message


def test_a_recorded_commit_is_the_base_whatever_the_translation_commit(tmp_path: Path) -> None:
    # MDN style: fr-fr was committed after the source change, but records the older commit.
    tree = GitTree(tmp_path)
    first = tree.commit("Add", {"en-us/a.md": EN1})
    tree.commit("install: --force", {"en-us/a.md": _change(EN1)})
    fr = f"---\ntitle: Installer\nl10n:\n  sourceCommit: {first[:10]}\n---\n" + FR1
    tree.commit("fr: add", {"fr-fr/a.md": fr})
    result = _check(tmp_path, {"select": ["H"]})
    assert _lines(result) == ["fr-fr/a.md:10:1: H001"]
    assert "(recorded)" in result.diagnostics[0].message
    # Recording the current commit makes it up to date.
    head = tree.git("rev-parse", "HEAD")
    tree.commit("fr: update the record", {"fr-fr/a.md": fr.replace(first[:10], head)})
    assert _lines(_check(tmp_path, {"select": ["H"]})) == []


def test_a_configured_commit_key(tmp_path: Path) -> None:
    tree = GitTree(tmp_path)
    first = tree.commit("Add", {"en-us/a.md": EN1})
    tree.commit("install: --force", {"en-us/a.md": _change(EN1)})
    tree.commit("fr", {"fr-fr/a.md": f"---\ndefault_lang_commit: {first}\n---\n" + FR1})
    assert _lines(_check(tmp_path, {"select": ["H"]})) == []
    found = _check(tmp_path, {"select": ["H"], "history-commit-keys": ["default_lang_commit"]})
    assert _lines(found) == ["fr-fr/a.md:8:1: H001"]


def test_a_shallow_clone_degrades_with_a_message(tmp_path: Path) -> None:
    _site(tmp_path / "origin")
    subprocess.run([GIT, "clone", "-q", "--depth", "1", f"file://{tmp_path / 'origin'}", str(tmp_path / "clone")], check=True)
    result = _check(tmp_path / "clone", {"select": ["ALL"]})
    assert not [d for d in result.diagnostics if d.code.startswith("H")]
    assert len(result.notes) == 1 and "shallow" in result.notes[0]


def test_git_missing_is_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _site(tmp_path)
    monkeypatch.setattr(gitread.shutil, "which", lambda name: None)
    result = _check(tmp_path)
    assert not [d for d in result.diagnostics if d.code.startswith("H")]
    assert result.notes and "git is not installed" in result.notes[0]


def test_a_translation_changed_in_the_work_tree_is_being_updated(tmp_path: Path) -> None:
    # pre-commit: de-de is staged with its update, not committed yet.
    _site(tmp_path)
    (tmp_path / "docs/de-de/a.md").write_text(_change(DE1), encoding="utf-8")
    assert _lines(_check(tmp_path, {"select": ["H"]})) == []


def test_an_uncommitted_source_change_counts(tmp_path: Path) -> None:
    tree = GitTree(tmp_path)
    tree.commit("Add", {"en-us/a.md": EN1, "fr-fr/a.md": FR1})
    (tmp_path / "en-us/a.md").write_text(_change(EN1), encoding="utf-8")
    result = _check(tmp_path, {"select": ["H"]})
    assert _lines(result) == ["fr-fr/a.md:5:1: H001"]
    assert "uncommitted" not in result.diagnostics[0].message  # behind its base: the base is named


def _locale_repositories(root: Path, source_name: str) -> None:
    """One repository per locale: the source changes on day 5, French follows on day 7, German never."""
    source = GitTree(root / source_name, start_day=1)
    source.commit("Add", {"articles/a.md": EN1})
    french = GitTree(root / "Docs.fr-fr", start_day=2)
    french.commit("Add", {"articles/a.md": FR1})
    german = GitTree(root / "Docs.de-de", start_day=2)
    german.commit("Add", {"articles/a.md": DE1})
    source.day = 5
    source.commit("install: --force", {"articles/a.md": _change(EN1)})
    french.day = 7
    french.commit("follow", {"articles/a.md": _change(FR1)})


def test_sibling_repositories(tmp_path: Path) -> None:
    """The Docs / Docs.<locale> convention: one repository per locale, dates decide."""
    _locale_repositories(tmp_path, "Docs.en-us")
    result = _check(tmp_path, {"select": ["H"]})
    assert _lines(result) == ["Docs.de-de/articles/a.md:5:1: H001"]


def test_bare_docs_folder_as_the_source(tmp_path: Path) -> None:
    """`Docs` beside `Docs.<locale>`: discovery takes the unsuffixed repository for the source."""
    _locale_repositories(tmp_path, "Docs")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        settings = load_settings(None, {"select": ["H"]}, tmp_path)
        from loclint.discover import plan

        # Discovery takes the unsuffixed `Docs/` beside `Docs.<locale>/` for the source.
        assert all(group.source and group.source.startswith("Docs/") for group in plan(["."], settings).groups)
        result = run(["."], settings)
    finally:
        os.chdir(cwd)
    assert _lines(result) == ["Docs.de-de/articles/a.md:5:1: H001"]


def test_bilingual_segments_by_key(tmp_path: Path) -> None:
    tree = GitTree(tmp_path)
    en = "---\ntitle: T\n---\n{{101: Sign in. || Sign in.}}\n\n{{102: Select Next. || Select Next.}}\n"
    fr = "---\ntitle: T\n---\n{{101: Connectez-vous. || Sign in.}}\n\n{{102: Sélectionnez Suivant. || Select Next.}}\n"
    tree.commit("Add", {"en-us/a.md": en, "fr-fr/a.md": fr})
    tree.commit("next -> continue", {"en-us/a.md": en.replace("Select Next.", "Select Continue.")})
    result = _check(tmp_path, {"select": ["H"]})
    assert _lines(result) == ["fr-fr/a.md:6:31: H001"]
    assert "Continue" in result.diagnostics[0].message and result.diagnostics[0].subject == "segment:1"


def test_a_suppression_comment_covers_a_history_finding_and_is_used(tmp_path: Path) -> None:
    tree = GitTree(tmp_path)
    tree.commit("Add", {"en-us/a.md": EN1, "fr-fr/a.md": FR1.replace("# Installer\n", "# Installer\n\n<!-- loclint-disable-file H001 -->\n")})
    tree.commit("install: --force", {"en-us/a.md": _change(EN1)})
    result = _check(tmp_path, {"select": ["H", "X"]})
    assert _lines(result) == []


def test_since_reports_translations_the_range_did_not_update(tmp_path: Path) -> None:
    tree = _site(tmp_path)
    base = tree.git("rev-parse", "HEAD~2")
    result = _check(tmp_path, {"select": ["H005"]}, since=base)
    assert _lines(result) == ["docs/de-de/a.md:1:1: H005"]
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        bad = runner.invoke(main, ["check", "--source-locale", "en-us", "--no-cache", "--since", "no-such-rev", "docs"])
        good = runner.invoke(main, ["check", "--source-locale", "en-us", "--no-cache", "--select", "H", "--since", base, "docs"])
    finally:
        os.chdir(cwd)
    assert bad.exit_code == 2 and "--since no-such-rev" in bad.output
    os.chdir(tmp_path)
    try:
        option = runner.invoke(main, ["check", "--source-locale", "en-us", "--no-cache", "--since=--output=written", "docs"])
    finally:
        os.chdir(cwd)
    assert option.exit_code == 2 and not (tmp_path / "written").exists()
    assert good.exit_code == 1 and "H005" in good.output and "H001" in good.output


def test_a_warm_run_calls_git_at_most_once(tmp_path: Path) -> None:
    _site(tmp_path)
    cache_dir = tmp_path / ".loclint_cache"
    cold = _check(tmp_path, cache_dir=cache_dir)
    warm = _check(tmp_path, cache_dir=cache_dir)
    assert 1 < cold.history.git_calls <= 6
    assert warm.history.git_calls == 1
    assert warm.diagnostics == cold.diagnostics


def test_git_processes_do_not_grow_with_the_files(tmp_path: Path) -> None:
    tree = GitTree(tmp_path)
    files = {}
    for index in range(30):
        files.update({f"en-us/p{index}.md": EN1, f"fr-fr/p{index}.md": FR1, f"de-de/p{index}.md": DE1})
    tree.commit("Add", files)
    tree.commit("install: --force", {f"en-us/p{index}.md": _change(EN1) for index in range(30)})
    result = _check(tmp_path, {"select": ["H"]})
    assert len(_lines(result)) == 60
    assert result.history.git_calls <= 6


def test_statistics_show_the_drift_table(tmp_path: Path) -> None:
    _site(tmp_path)
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        out = runner.invoke(main, ["check", "--source-locale", "en-us", "--no-cache", "--statistics", "docs"]).output
        as_json = runner.invoke(main, ["check", "--source-locale", "en-us", "--no-cache", "--statistics", "--output-format", "json", "docs"]).output
    finally:
        os.chdir(cwd)
    assert "H001" in out
    assert "de-de" in out and "fr-fr" in out and "to update" in out and "docs/de-de/a.md" in out
    import json

    drift = json.loads(as_json)["drift"]
    assert {row["locale"]: row["stale"] for row in drift["locales"]} == {"de-de": 1, "fr-fr": 0}
    assert drift["to_update"][0]["path"] == "docs/de-de/a.md"


def test_plain_source_with_bilingual_translations(tmp_path: Path) -> None:
    """Microsoft Docs: the English repository is plain, the locale repository bilingual; a
    segment is aligned with the source block holding the English it embeds."""
    source = GitTree(tmp_path / "Docs.en-us", start_day=1)
    en = "---\ntitle: T\n---\n# Sign in\n\nSign in to the portal.\n\nSelect Next.\n"
    source.commit("Add", {"articles/a.md": en})
    french = GitTree(tmp_path / "Docs.fr-fr", start_day=2)
    fr = ("---\ntitle: T\n---\n# {{101: Connexion || Sign in}}\n\n{{102: Connectez-vous au portail. || Sign in to the portal.}}\n\n"
          "{{103: Sélectionnez Suivant. || Select Next.}}\n")
    french.commit("Add", {"articles/a.md": fr})
    source.day = 5
    source.commit("next -> continue", {"articles/a.md": en.replace("Select Next.", "Select Continue.")})
    result = _check(tmp_path, {"select": ["H"]})
    assert _lines(result) == ["Docs.fr-fr/articles/a.md:8:31: H001"]


def test_the_html_report_shows_the_drift(tmp_path: Path) -> None:
    from loclint.output.html import html_report

    _site(tmp_path)
    result = _check(tmp_path)
    page = html_report(result.diagnostics, result)
    assert 'id="drift"' in page and "docs/de-de/a.md" in page and "2026-05-01" in page
    plain = _check(tmp_path, {"ignore": ["H"]})
    assert 'id="drift"' not in html_report(plain.diagnostics, plain)


def test_a_changed_translation_reuses_the_traced_source(tmp_path: Path) -> None:
    _site(tmp_path)
    cache_dir = tmp_path / ".loclint_cache"
    _check(tmp_path, cache_dir=cache_dir)
    (tmp_path / "docs/de-de/a.md").write_text(_change(DE1), encoding="utf-8")
    subprocess.run([GIT, "-C", str(tmp_path), "add", "-A"], check=True)
    subprocess.run([GIT, "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q",
                    "-m", "de: follow"], check=True, env={**os.environ, "GIT_COMMITTER_DATE": "2026-05-10T12:00:00+00:00",
                                                          "GIT_AUTHOR_DATE": "2026-05-10T12:00:00+00:00"})
    after = _check(tmp_path, cache_dir=cache_dir)
    assert _lines(after, "H") == []
    assert after.history.git_calls <= 4  # HEAD moved: log and tree again; the source's chain is cached


def test_a_block_the_source_removed_is_reported_where_the_translation_still_has_it(tmp_path: Path) -> None:
    tree = GitTree(tmp_path)
    tree.commit("Add", {"en-us/a.md": EN1 + "\n## Old UI\n\nThe old UI.\n", "fr-fr/a.md": FR1 + "\n## Ancienne interface\n\nL'ancienne interface.\n"})
    tree.commit("Drop the old UI section", {"en-us/a.md": EN1})
    result = _check(tmp_path, {"select": ["H"]})
    assert _lines(result) == ["fr-fr/a.md:11:1: H001", "fr-fr/a.md:9:4: H001"]
    assert all("the source removed this" in d.message for d in result.diagnostics)


def test_history_settings_are_checked(tmp_path: Path) -> None:
    from loclint.config import ConfigError

    for table in ({"history-summary-over": "many"}, {"history-summary-over": -1}, {"history-skip-markers": "[skip l10n]"}):
        with pytest.raises(ConfigError):
            load_settings(None, table, tmp_path)
    assert load_settings(None, {"history-skip-markers": ["[no-l10n]"]}, tmp_path).history_skip_markers == ["[no-l10n]"]


def test_a_configured_skip_marker(tmp_path: Path) -> None:
    tree = GitTree(tmp_path)
    tree.commit("Add", {"en-us/a.md": EN1, "fr-fr/a.md": FR1})
    tree.commit("install: --force (no-l10n)", {"en-us/a.md": _change(EN1)})
    assert _lines(_check(tmp_path, {"select": ["H"]})) == ["fr-fr/a.md:5:1: H001"]
    assert _lines(_check(tmp_path, {"select": ["H"], "history-skip-markers": ["(no-l10n)"]})) == []
