"""Issue 12: loclint meets real repositories where they are, and never passes silently.

Every case builds a real tree in tmp_path and runs the real command line (in a subprocess where
the working folder or git matters). The seed article (../shared/seeds, five locales, two ro-RO
P004 findings: `MFA` translated as `MAE` and `AMF`) must give the same two findings in every
layout: bare ISO folders, region folders, `Docs.<locale>` repositories with an unsuffixed
English one, a run from inside a locale folder, one locale folder named, a config beside the
tree run from `/`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SHARED
from fixture_tree import write_tree
from loclint.cli import main
from loclint.config import Settings
from loclint.discover import git_ignored, locate, plan

SEEDS = SHARED / "seeds"
NEEDS_SEEDS = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent (only in the project workspace)")
NEEDS_GIT = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
SEGMENT = "{{103: Hallo || Hello}}\n"
RO_P004 = [":26:459: P004 acronym `MFA`", ":28:128: P004 acronym `MFA`"]
_PAIR = re.compile(r'(<span data-ttu-id="[^"]+">)([^<]*)(</span><span class="sxs-lookup"><span data-stu-id="[^"]+">)([^<]*)(</span></span>)')


def _seeds() -> dict[str, str]:
    """locale (as the seed declares it, `ro-RO`) -> the seed's text."""
    found = {}
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        locale = re.search(r"^ms\.contentlocale:\s*(\S+)", text, re.MULTILINE).group(1)
        found[locale] = text
    return found


def _english(seed: str) -> str:
    """The seed's English source as a file of its own: every target span holds its source text."""
    text = _PAIR.sub(lambda m: m.group(1) + m.group(4) + m.group(3) + m.group(4) + m.group(5), seed)
    return re.sub(r"^ms\.contentlocale:.*$", "ms.contentlocale: en-US", text, count=1, flags=re.MULTILINE)


def _lay(root: Path, folder) -> list[Path]:
    """Write every seed as `app-passwords.md` at `folder(locale)` under root."""
    written = []
    for locale, text in _seeds().items():
        path = root / folder(locale) / "app-passwords.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def loclint(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """The installed command line, in `cwd` (a real process: the working folder matters here)."""
    return subprocess.run([sys.executable, "-m", "loclint", "check", "--no-cache", "--jobs", "1", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def _ro_p004(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": P004 " in line]


def _assert_ro_mfa(done: subprocess.CompletedProcess, ro_path: str) -> None:
    found = _ro_p004(done.stdout)
    assert len(found) == 2 and done.returncode == 1, done.stdout + done.stderr
    for line, where in zip(found, RO_P004, strict=True):
        assert line.startswith(ro_path + where), (line, done.stdout)


# --- locale names --------------------------------------------------------------------------


def test_bare_languages_scripts_and_underscores_are_locales(tmp_path):
    write_tree(tmp_path, {f"docs/{name}/a.md": SEGMENT for name in ("en", "fr", "zh-Hans", "pt_BR", "sr-Latn-RS", "es-419")})
    (group,) = plan([str(tmp_path / "docs")], Settings().finish()).groups
    assert sorted(ref.place_locale for ref in group.files) == ["en", "es-419", "fr", "pt-br", "sr-latn-rs", "zh-hans"]


def test_short_folder_names_that_are_not_locales(tmp_path):
    # `src`, `lib`, `bin`, `api`, `img`, `js` are no languages; `ts` (Tsonga) and `it` (Italian)
    # are, but a lone one beside folders that are not locales is not taken for one.
    write_tree(tmp_path, {f"{name}/a.md": SEGMENT for name in ("src", "lib", "bin", "api", "img", "js", "art", "doc")})
    write_tree(tmp_path, {"web/ts/a.md": SEGMENT, "web/js/a.md": SEGMENT, "guide/it/a.md": SEGMENT, "guide/img/a.md": SEGMENT})
    assert plan([str(tmp_path)], Settings().finish()).groups == []
    assert locate(Path("repo/setup.old/a.md"), "auto") is None  # `old` is no language: `setup.old/` is no locale


def test_locales_setting_names_them_outright(tmp_path):
    write_tree(tmp_path, {"content/english/a.md": SEGMENT, "content/deutsch/a.md": SEGMENT, "content/img/a.md": SEGMENT})
    (group,) = plan([str(tmp_path)], Settings(locales=["english", "deutsch"]).finish()).groups
    assert sorted(ref.place_locale for ref in group.files) == ["deutsch", "english"]


@NEEDS_SEEDS
def test_acceptance_seeds_in_bare_language_folders(tmp_path):
    _lay(tmp_path, lambda locale: Path("docs") / locale.split("-")[0].lower())
    done = loclint(tmp_path, "docs")
    _assert_ro_mfa(done, "docs/ro/app-passwords.md")
    assert "M006" not in done.stdout  # `ar-SA` declared in the `ar/` folder agrees with it
    assert "5 files in 1 article group" in done.stdout


@NEEDS_SEEDS
@pytest.mark.parametrize("form", [str.lower, str, lambda tag: tag.replace("-", "_")])
def test_seeds_in_region_folders_of_any_case_and_separator(tmp_path, form):
    _lay(tmp_path, lambda locale: Path("docs") / form(locale))
    _assert_ro_mfa(loclint(tmp_path, "docs"), f"docs/{form('ro-RO')}/app-passwords.md")


# --- siblings wherever they are --------------------------------------------------------------


@NEEDS_SEEDS
def test_docs_repositories_with_an_unsuffixed_english_one(tmp_path):
    _lay(tmp_path, lambda locale: Path("repos") / f"Docs.{locale.lower()}" / "articles")
    english = tmp_path / "repos/Docs/articles/app-passwords.md"
    english.parent.mkdir(parents=True)
    english.write_text(_english(_seeds()["ro-RO"]), encoding="utf-8")
    layout = plan([str(tmp_path / "repos")], Settings().finish())
    (group,) = layout.groups
    assert len(group.files) == 6 and group.source == str(english)  # the English repository is the reference
    assert {ref.place_locale for ref in group.files} >= {"en-us", "ro-ro"}
    _assert_ro_mfa(loclint(tmp_path, "repos"), "repos/Docs.ro-ro/articles/app-passwords.md")
    # From inside one locale's repository, the file named alone still meets the others.
    _assert_ro_mfa(loclint(tmp_path / "repos/Docs.ro-ro", "articles/app-passwords.md"), "articles/app-passwords.md")


@NEEDS_SEEDS
def test_a_run_from_inside_a_locale_folder_and_of_one_locale_folder(tmp_path):
    _lay(tmp_path, lambda locale: Path("docs") / locale)
    _assert_ro_mfa(loclint(tmp_path / "docs/ro-RO", "app-passwords.md"), "app-passwords.md")
    _assert_ro_mfa(loclint(tmp_path / "docs/ro-RO", "."), "app-passwords.md")
    one = loclint(tmp_path, "docs/ro-RO")
    _assert_ro_mfa(one, "docs/ro-RO/app-passwords.md")
    assert "5 files in 1 article group" in one.stdout  # siblings loaded, not reported
    assert not [line for line in one.stdout.splitlines() if line.startswith("docs/") and not line.startswith("docs/ro-RO/")]


@NEEDS_SEEDS
def test_a_config_beside_the_tree_applies_when_run_from_the_root_folder(tmp_path):
    _lay(tmp_path, lambda locale: Path("site/docs") / locale)
    (tmp_path / "site/loclint.toml").write_text('ignore = ["W", "T"]\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "loclint", "check", "--jobs", "1", str(tmp_path / "site/docs")], cwd="/",
                          capture_output=True, text=True, timeout=300)
    _assert_ro_mfa(done, str(tmp_path / "site/docs/ro-RO/app-passwords.md"))
    assert ": W00" not in done.stdout and ": T00" not in done.stdout  # the config was found from the path
    assert (tmp_path / "site/.loclint_cache").is_dir()  # and the cache sits beside it


@NEEDS_SEEDS
def test_a_translators_checkout_finds_its_siblings_through_the_setting(tmp_path):
    _lay(tmp_path, lambda locale: Path("others") / f"Docs.{locale.lower()}")
    mine = tmp_path / "work/Docs.ro-ro"
    mine.parent.mkdir()
    shutil.move(tmp_path / "others/Docs.ro-ro", mine)
    alone = loclint(mine, "app-passwords.md")
    assert alone.returncode == 0 and alone.stderr.count("siblings = ") == 1, alone.stderr  # said once, with the fix
    assert "holds no locale but ro-ro" in alone.stderr
    (mine / "loclint.toml").write_text('siblings = ["../../others/Docs.*"]\n', encoding="utf-8")
    _assert_ro_mfa(loclint(mine, "app-passwords.md"), "app-passwords.md")
    (mine / "loclint.toml").unlink()
    _assert_ro_mfa(loclint(mine, "--siblings", "../../others/Docs.*", "app-passwords.md"), "app-passwords.md")


# --- a gate that checks nothing fails --------------------------------------------------------


def test_a_tree_without_article_groups_is_exit_2_naming_what_was_looked_for(tmp_path):
    write_tree(tmp_path, {"docs/guide/a.md": SEGMENT, "docs/src/b.md": SEGMENT})
    done = loclint(tmp_path, "docs")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "no article group found in docs" in done.stderr and "locales = [...]" in done.stderr


def test_named_files_that_are_not_articles_are_skipped_quietly(tmp_path):
    write_tree(tmp_path, {"de-DE/a.md": SEGMENT, "fr-FR/a.md": SEGMENT})
    (tmp_path / "README.md").write_text("# Project\n", encoding="utf-8")
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github/PULL_REQUEST_TEMPLATE.md").write_text("## What\n", encoding="utf-8")
    done = loclint(tmp_path, "README.md", ".github/PULL_REQUEST_TEMPLATE.md")
    assert done.returncode == 0 and "E003" not in done.stdout, done.stdout
    assert "Nothing to check: 2 files named, none a localized article" in done.stdout
    both = loclint(tmp_path, "README.md", "de-DE/a.md")
    assert both.returncode == 0 and "2 files in 1 article group" in both.stdout, both.stdout
    shown = loclint(tmp_path, "--show-files", "README.md", "de-DE/a.md").stdout
    assert "README.md  # not a localized article" in shown
    assert "de-DE/a.md  # taken: locale de-de" in shown
    assert "fr-FR/a.md  # sibling of de-DE/a.md" in shown


# --- configuration like ruff -----------------------------------------------------------------


@NEEDS_GIT
def test_git_ignored_build_output_is_not_checked_unless_named(tmp_path):
    write_tree(tmp_path, {"docs/de-DE/a.md": SEGMENT, "docs/fr-FR/a.md": SEGMENT,
                          "_site/docs/de-DE/a.md": "{{103: Hallo 5 || Hello}}\n", "_site/docs/fr-FR/a.md": SEGMENT})
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".gitignore").write_text("_site/\n", encoding="utf-8")
    done = loclint(tmp_path, ".")
    assert done.returncode == 0 and "2 files in 1 article group" in done.stdout, done.stdout
    assert "_site" in loclint(tmp_path, "--show-files", ".").stdout  # said why it was skipped
    (tmp_path / "loclint.toml").write_text("respect-gitignore = false\n", encoding="utf-8")
    assert "4 files in 2 article groups" in loclint(tmp_path, ".").stdout
    (tmp_path / "loclint.toml").unlink()
    (tmp_path / ".gitignore").unlink()
    (tmp_path / ".git/info").mkdir(exist_ok=True)
    (tmp_path / ".git/info/exclude").write_text("_site\n", encoding="utf-8")
    assert "2 files in 1 article group" in loclint(tmp_path, ".").stdout
    named = loclint(tmp_path, "_site/docs/de-DE/a.md")  # named: checked, ignored or not
    assert "2 files in 1 article group" in named.stdout, named.stdout


@NEEDS_GIT
def test_a_folder_git_ignores_whole_says_so_and_exits_2(tmp_path):
    """All of it ignored (a build output, a benchmark copy): the gate fails and says why."""
    write_tree(tmp_path, {"_site/docs/de-DE/a.md": SEGMENT, "_site/docs/fr-FR/a.md": SEGMENT})
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".gitignore").write_text("_site/\n", encoding="utf-8")
    done = loclint(tmp_path, "_site")
    assert done.returncode == 2
    assert "its 2 files are ignored by git" in done.stderr and "respect-gitignore = false" in done.stderr, done.stderr


def test_without_git_nothing_is_filtered_and_nothing_crashes(tmp_path, monkeypatch):
    write_tree(tmp_path, {"de-DE/a.md": SEGMENT})
    (tmp_path / ".git").mkdir()  # looks like a work tree, but git cannot run

    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")

    monkeypatch.setattr(subprocess, "run", no_git)
    assert git_ignored([tmp_path / "de-DE/a.md"]) == set()


def test_paths_under_different_configurations_are_checked_with_their_own(tmp_path):
    for project, ignore in (("one", "[]"), ("two", '["M"]')):
        write_tree(tmp_path / project, {
            "de-DE/a.md": SEGMENT,
            "fr-FR/a.md": "---\ntitle: T\nms.assetid: other\nms.sourcegitcommit: 55eff703a17e500681d8fa6a87eb067019ade3cc\n"
                          "ms.contentlocale: fr-FR\n---\n{{103: Bonjour || Hello}}\n",
            "ja-JP/a.md": SEGMENT})
        (tmp_path / project / "loclint.toml").write_text(f"ignore = {ignore}\n", encoding="utf-8")
    done = loclint(tmp_path, "one", "two")
    assert "one/fr-FR/a.md:3:1: M001" in done.stdout and "two/fr-FR" not in done.stdout, done.stdout
    assert "6 files in 2 article groups" in done.stdout


def test_source_locale_that_no_variant_has_is_exit_2_and_a_partial_one_is_counted(tmp_path):
    write_tree(tmp_path, {"de-DE/a.md": SEGMENT, "fr-FR/a.md": SEGMENT, "de-DE/b.md": SEGMENT, "en-US/b.md": SEGMENT})
    wrong = loclint(tmp_path, "--source-locale", "en-gb", ".")
    assert wrong.returncode == 2 and "source-locale `en-gb` matches no locale" in wrong.stderr, wrong.stderr
    shown = loclint(tmp_path, "--source-locale", "en-us", "--show-settings", ".").stdout
    assert "# source-locale en-us: in 1 of 2 article groups; the other 1 are judged against the majority" in shown


# --- coverage --------------------------------------------------------------------------------


def test_statistics_show_the_coverage_of_each_locale(tmp_path):
    write_tree(tmp_path, {"de-DE/a.md": SEGMENT, "fr-FR/a.md": SEGMENT, "ja-JP/a.md": SEGMENT,
                          "de-DE/b.md": SEGMENT, "fr-FR/b.md": SEGMENT})
    result = CliRunner().invoke(main, ["check", "--no-cache", "--statistics", str(tmp_path)])
    lines = result.output.splitlines()
    assert "coverage (articles per locale):" in lines
    assert "  ja-jp  1 of 2  (1 missing)" in lines and "  de-de  2 of 2" in lines


# --- run-wide evidence for a file named alone ------------------------------------------------


def test_a_file_named_alone_is_weighed_on_the_evidence_a_whole_run_left(tmp_path):
    # pl-PL keeps `XYZ` in four articles and drops it in e.md: the whole run reports it (the
    # locale keeps it elsewhere). Named alone, e.md's own article cannot show that.
    keep = "{{101: %s XYZ. || Use XYZ.}}\n"
    files = {f"{locale}/{name}.md": keep % word for name in "abcd" for locale, word in
             (("de-DE", "Nutzen Sie"), ("fr-FR", "Utilisez"), ("pl-PL", "Użyj"))}
    files.update({"de-DE/e.md": keep % "Nutzen Sie", "fr-FR/e.md": keep % "Utilisez", "pl-PL/e.md": "{{101: Użyj tego. || Use XYZ.}}\n"})
    write_tree(tmp_path, files)
    cache = ["--cache-dir", str(tmp_path / "cache")]
    whole = subprocess.run([sys.executable, "-m", "loclint", "check", *cache, "."], cwd=tmp_path, capture_output=True, text=True)
    assert "pl-PL/e.md:7:" in whole.stdout and ": P004 " in whole.stdout, whole.stdout
    expected = _ro_p004(whole.stdout)
    alone = loclint(tmp_path, "pl-PL/e.md")  # --no-cache: only the article's own evidence
    assert _ro_p004(alone.stdout) == []
    named = subprocess.run([sys.executable, "-m", "loclint", "check", *cache, "pl-PL/e.md"], cwd=tmp_path, capture_output=True, text=True)
    assert _ro_p004(named.stdout) == expected, named.stdout
    inside = subprocess.run([sys.executable, "-m", "loclint", "check", *cache, "e.md"], cwd=tmp_path / "pl-PL", capture_output=True, text=True)
    assert [line.replace("e.md", "pl-PL/e.md", 1) for line in _ro_p004(inside.stdout)] == expected
    (tmp_path / "cache" / next(p.name for p in (tmp_path / "cache").glob("evidence-*.json"))).write_text("{not json", encoding="utf-8")
    damaged = subprocess.run([sys.executable, "-m", "loclint", "check", *cache, "pl-PL/e.md"], cwd=tmp_path, capture_output=True, text=True)
    assert damaged.returncode in (0, 1) and "Traceback" not in damaged.stderr  # a damaged record is ignored


def test_the_health_report_shows_the_coverage_of_each_locale(tmp_path):
    write_tree(tmp_path, {"de-DE/a.md": SEGMENT, "fr-FR/a.md": SEGMENT, "ja-JP/a.md": SEGMENT,
                          "de-DE/b.md": SEGMENT, "fr-FR/b.md": SEGMENT})
    page = CliRunner().invoke(main, ["check", "--no-cache", "--exit-zero", "--output-format", "html", str(tmp_path)]).output
    section = page[page.index('<section id="coverage">'):]
    section = section[: section.index("</section>")]
    assert '<th scope="row">ja-jp</th>' in section and "1 of 2 articles (1 missing)" in section
