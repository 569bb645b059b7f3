"""Stable verdicts across source-version cohorts (issue 14, items 4 and 5): in plain Markdown, a
finding on a file depends only on evidence about that file's own units, never on which cohort an
unrelated file fell into.

The group: one plain article in six locales, three translated from source version `a` (de-DE,
es-ES, fr-FR, `ms.sourcegitcommit` A) and three from version `b` (it-IT, nl-NL, pt-BR, commit B);
version `b` changed one paragraph (another number, an added acronym). de-DE alone misspells a URL
that every other locale, of either version, keeps. Then one file, not de-DE, is given a third
commit (3-3 becomes 3-2 + 1), as an unrelated update would. Its findings may change (it is now
alone in its version); the others' must not, and de-DE's URL must still be reported: a URL is
judged by every locale whose block of any version holds it (rules/evidence.yaml, across-versions).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_tree import check_tree


A, B, C = "a" * 40, "b" * 40, "c" * 40
_WORD = {"de-DE": "dek", "es-ES": "esp", "fr-FR": "fro", "it-IT": "ita", "nl-NL": "ned", "pt-BR": "por", "en-US": "eng"}
_VERSION = {"de-DE": A, "es-ES": A, "fr-FR": A, "it-IT": B, "nl-NL": B, "pt-BR": B}
DEFECTIVE = "de-DE"
URL = "https://contoso.example/help/setup"
NEW_URL = "https://contoso.example/help/install"  # version `b`'s URL where the source changed it


def _article(locale: str, commit: str | None, version: str, *, url_changed: bool = False,
             defective: str | None = DEFECTIVE, also_defective: str | None = None, acronym_slip: str | None = None) -> str:
    """The article in `locale`; `url_changed`: version `b` replaced the URL upstream; `defective`
    misspells the URL (of its version), and so does `also_defective`; `acronym_slip` writes `AMF`
    for the paragraph's `MFA`."""
    w = _WORD[locale]
    url = NEW_URL if url_changed and version == "b" else URL
    url = url.replace("help/", "hlep/") if locale in (defective, also_defective) else url
    mfa = "AMF" if locale == acronym_slip else "MFA"
    changed = f"{w}tel {w}mar 12 {w}dor VPN {w}bel." if version == "b" else f"{w}tel {w}mar 10 {w}dor."
    front = "---\ntitle: Fixture article\nms.assetid: 4f670a84-a2b8-48ce-b0aa-a9ada3bad066\n"
    front += f"ms.sourcegitcommit: {commit}\n" if commit else ""
    front += f"ms.contentlocale: {locale}\n---\n"
    return (front + f"# {w}ko {w}sa\n\n"
            f"{w}lo {w}ra {w}ta [{w}ni {w}go]({url}) {w}pe.\n\n"
            f"{changed}\n\n"
            f"- {w}ha {w}ri 2024\n- {w}mo {w}ne SQL MFA\n\n"
            f"{w}za {w}du `setup.exe` {w}ke {w}pi {mfa} {w}ro.\n\n"
            f"{w}ba {w}ce ContosoPortal {w}fi 3 {w}lu.\n")


def _check(root: Path, moved: str | None, source: bool, **variant):
    """The group checked, with `moved` given a third commit (see `_article` for `variant`)."""
    files = {}
    for locale, commit in _VERSION.items():
        version = "a" if commit == A else "b"
        files[f"{locale}/article.md"] = _article(locale, C if locale == moved else commit, version, **variant)
    if source:  # a Docs source file names no commit of its own: it joins the version its blocks match (b)
        files["en-US/article.md"] = _article("en-US", None, "b", **variant)
    overrides = {"select": ["ALL"], "ignore": ["H"], **({"source-locale": "en-us"} if source else {})}
    return check_tree(root, files, overrides)


def _findings(root: Path, moved: str | None, source: bool, **variant) -> set[tuple[str, int, str]]:
    """(locale folder, line, code) of every finding but M002, whose subject is the commit itself."""
    result = _check(root, moved, source, **variant)
    return {(Path(d.path).parts[0], d.line, d.code) for d in result.diagnostics if d.code != "M002"}


def _line(needle: str) -> int:
    return next(number for number, text in enumerate(_article(DEFECTIVE, A, "a").splitlines(), 1) if needle in text)


MOVED = pytest.mark.parametrize("moved", ["pt-BR", "fr-FR"])  # leaves the other cohort, leaves de-DE's (3 -> 2)
SOURCE = pytest.mark.parametrize("source", [False, True], ids=["majority", "source-locale"])


@SOURCE
@MOVED
def test_findings_do_not_depend_on_an_unrelated_files_cohort(tmp_path: Path, moved: str, source: bool) -> None:
    """When fr-FR leaves, de-DE's cohort keeps only es-ES (and, with a source locale, the source
    joins the now larger other cohort): judged within it, the URL is 1 of 2, no majority. Judged
    by every locale whose block holds it, it is 5 of 6 either way."""
    before = _findings(tmp_path / "before", None, source)
    after = _findings(tmp_path / "after", moved, source)
    assert before == {(DEFECTIVE, _line("hlep"), "P002")}, before  # the genuine defect, and nothing on the innocent
    assert {f for f in after if f[0] != moved} == before, (before, after)


def test_the_message_counts_the_locales_of_other_versions(tmp_path: Path) -> None:
    found = [d for d in _check(tmp_path, "fr-FR", False).diagnostics if d.code == "P002"]
    assert [(Path(d.path).parts[0], d.token) for d in found] == [(DEFECTIVE, URL.replace("help/", "hlep/"))]
    assert found[0].message.endswith("; 5 of 6 locales keep it, 4 of them translated from another source version"), found[0].message


def test_a_replacement_another_version_also_wrote_is_not_named(tmp_path: Path) -> None:
    """de-DE and fr-FR write the same misspelled URL: it is no one locale's replacement, so de-DE's
    finding names the lost URL at the block's start. When fr-FR leaves for a third commit, its block
    is still evidence of that: the finding keeps its place and token."""
    def de_findings(root: Path, moved: str | None) -> list[tuple[int, int, str | None]]:
        result = _check(root, moved, False, also_defective="fr-FR")
        return [(d.line, d.column, d.token) for d in result.diagnostics if d.code == "P002" and d.path.startswith(DEFECTIVE)]

    before = de_findings(tmp_path / "before", None)
    assert before == [(_line("hlep"), 1, URL)], before
    assert de_findings(tmp_path / "after", "fr-FR") == before


@SOURCE
@pytest.mark.parametrize("moved", [None, "pt-BR", "fr-FR"])
def test_a_url_changed_upstream_is_no_loss_for_the_other_version(tmp_path: Path, moved: str | None, source: bool) -> None:
    """Version `b` replaced the URL: its locales (and the source) have the new one, version `a`'s
    the old one. Neither version is judged by the other's URL: no finding on anyone."""
    assert _findings(tmp_path, moved, source, url_changed=True, defective=None) == set()


@pytest.mark.parametrize("source", [False, True], ids=["majority", "source-locale"])
@pytest.mark.parametrize("moved", [None, "pt-BR", "fr-FR"])
def test_a_version_whose_block_lacks_the_url_does_not_vote(tmp_path: Path, moved: str | None, source: bool) -> None:
    """Version `b` replaced the URL upstream, and de-DE misspells version `a`'s. Version `b`'s
    locales say nothing about the old URL (their block lacks it: their source changed), so they do
    not count against it: with fr-FR alone in its version, es-ES and fr-FR keep it, 2 of 3. The
    source, which names no commit, joins version `b`, whose blocks hold its URL and numbers, even
    on a 3-3 tie where version `a`'s cohort comes first."""
    after = _findings(tmp_path, moved, source, url_changed=True)
    assert {f for f in after if f[0] != moved} == {(DEFECTIVE, _line("hlep"), "P002")}, after


# it-IT writes `AMF` for the paragraph's `MFA`, which every other locale keeps.
SLIP = "it-IT"


def _slip_findings(root: Path, moved: str | None, source: bool) -> set[tuple[str, int, str]]:
    return {f for f in _findings(root, moved, source, defective=None, acronym_slip=SLIP) if f[0] != moved}


@SOURCE
def test_an_acronym_look_alike_is_reported_in_a_full_cohort(tmp_path: Path, source: bool) -> None:
    assert _slip_findings(tmp_path, None, source) == {(SLIP, _line("setup.exe"), "P004")}


@SOURCE
def test_no_acronym_finding_when_every_locale_keeps_it(tmp_path: Path, source: bool) -> None:
    assert _slip_findings(tmp_path, "nl-NL", source) - {(SLIP, _line("setup.exe"), "P004")} == set()
    assert _findings(tmp_path / "clean", "nl-NL", source, defective=None) == set()


@SOURCE
@pytest.mark.parametrize("moved", [
    "de-DE",  # leaves the other cohort
    "nl-NL",  # leaves it-IT's: it-IT has one peer left in its version
])
def test_an_acronym_finding_does_not_depend_on_an_unrelated_files_cohort(tmp_path: Path, moved: str, source: bool) -> None:
    """When nl-NL leaves, it-IT has one peer left in its version, and the lenient acronym rule wants
    two (an acronym is sometimes translated on purpose); the other version's three, whose block has
    the same `MFA`, would be peers too."""
    assert _slip_findings(tmp_path, moved, source) == {(SLIP, _line("setup.exe"), "P004")}


def _versions_4_2(root: Path, slip: str | None) -> set[tuple[str, int, str]]:
    """Four locales translated version `a`, two (nl-NL, pt-BR) the newer `b`, which the source
    (no commit of its own) is; `slip` writes 13 for version b's 12."""
    files = {}
    for locale in ("de-DE", "es-ES", "fr-FR", "it-IT", "nl-NL", "pt-BR", "en-US"):
        version = "b" if locale in ("nl-NL", "pt-BR", "en-US") else "a"
        w = _WORD.get(locale, "eng")
        number = "13" if locale == slip else ("12" if version == "b" else "10")
        front = "---\ntitle: Fixture article\n"
        front += "" if locale == "en-US" else f"ms.sourcegitcommit: {B if version == 'b' else A}\n"
        front += f"ms.contentlocale: {locale}\n---\n"
        tail = f" {w}dor VPN {w}bel https://contoso.example/v2." if version == "b" else f" {w}dor."
        files[f"{locale}/article.md"] = (front + f"# {w}ko {w}sa\n\n{w}tel {w}mar {number}{tail}\n\n"
                                         f"{w}za {w}du `setup.exe` {w}ke 2024 {w}ro.\n")
    result = check_tree(root, files, {"select": ["ALL"], "ignore": ["H"], "source-locale": "en-us"})
    return {(Path(d.path).parts[0], d.line, d.code) for d in result.diagnostics if d.code != "M002"}


def test_a_source_without_a_commit_joins_the_smaller_version_it_matches(tmp_path: Path) -> None:
    """Joined to the larger version `a`, the source would leave nl-NL and pt-BR a cohort of two
    without a reference, where 1 of 2 is no majority, and pt-BR's slip would pass."""
    assert _versions_4_2(tmp_path / "hit", "pt-BR") == {("pt-BR", 8, "P001")}
    assert _versions_4_2(tmp_path / "clean", None) == set()


# Too few peers in a version (rules/evidence.yaml, across-versions-when-few): ru-RU's version has
# only ja-JP besides it, so the other version's four, whose block holds the same `QMX`, are peers.
_OWN_WORD = {"de-DE": "dek", "es-ES": "esp", "fr-FR": "fro", "it-IT": "ita", "ja-JP": "かさた", "ru-RU": "бвг"}


def _qmx_findings(root: Path, written: str) -> list[tuple[str, str, str | None]]:
    """(locale, code, token) of each P004 when ru-RU writes `written` in the link text for `QMX`,
    the link's slug keeping `qmx` as every locale's does."""
    files = {}
    for locale, w in _OWN_WORD.items():
        commit = B if locale in ("ja-JP", "ru-RU") else A
        name = written if locale == "ru-RU" else "QMX"
        front = f"---\ntitle: Fixture article\nms.sourcegitcommit: {commit}\nms.contentlocale: {locale}\n---\n"
        files[f"{locale}/article.md"] = (front + f"# {w}ko {w}sa\n\n{w}lo {w}ra 2024 {w}ta.\n\n"
                                         f"- {w}ha [{w}ni {name} {w}go](https://contoso.example/help/qmx-setup) {w}pe.\n")
    result = check_tree(root, files, {"select": ["P004"]})
    return [(Path(d.path).parts[0], d.code, d.token) for d in result.diagnostics]


def test_an_acronym_slip_is_judged_by_the_other_versions_when_its_own_has_too_few_peers(tmp_path: Path) -> None:
    assert _qmx_findings(tmp_path, "QXM") == [("ru-RU", "P004", "QXM")]


def test_a_slug_is_no_look_alike_when_the_peers_are_another_versions(tmp_path: Path) -> None:
    """ru-RU writes a word of its own for `QMX`; the `qmx` of the link's slug was copied, not
    written: with peers of another version, it is no re-cased form in the acronym's place."""
    assert _qmx_findings(tmp_path / "own-word", "сбор") == []
    assert _qmx_findings(tmp_path / "kept", "QMX") == []
