"""`--shard K/N`: a deterministic split of article groups; the shards together equal the whole run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixture_tree import write_tree
from loclint.cache import ResultCache
from loclint.cli import main
from loclint.config import load_settings
from loclint.consistency import TranslationIndex
from loclint.discover import plan
from loclint.engine import check_group, gather_planned, load_group, run
from loclint.shard import Shard, ShardError, bucket, parse_shard

LOCALES = ("de-DE", "fr-FR", "ro-RO", "tr-TR")
# The rules decided from evidence of every article of the run; T005 is off by default.
# Every rule, the run-wide ones (P004, T004, T005) included; P001, T004 and T005 are off by default.
RUN_WIDE = {"extend-select": ["P001", "T004", "T005"]}


def _many_articles(root: Path, count: int = 24) -> None:
    """`count` article groups; every third has a changed number, every fourth a missing segment."""
    files = {}
    for number in range(count):
        for locale in LOCALES:
            value = 500 if (number % 3 == 0 and locale == "ro-RO") else 1000
            text = f"{{{{103: {locale} {value} x. || Up to 1000 users.}}}}\n"
            if not (number % 4 == 0 and locale == "tr-TR"):
                text += "\n{{104: Second. || Second.}}\n"
            files[f"docs/{locale}/area{number % 5}/article-{number}.md"] = text
    write_tree(root, files)


# Segments of the article whose run-wide findings other shards decide: (key, source, targets by locale).
_DECIDED = [
    # ro-RO loses `LedgerCFO`, which the others keep here but translate in the articles below:
    # it is translatable, so no P004 (a shard that saw only this article would report it).
    ("201", "Open LedgerCFO now to post.", ("Öffnen Sie jetzt LedgerCFO zum Buchen.", "Ouvrez LedgerCFO maintenant pour valider.",
                                             "Deschideți acum pentru a înregistra.", "Deftere işlemek için LedgerCFO'yu açın.")),
    # ro-RO loses `ERP`, which it keeps in its three other instances, all in the articles below: P004.
    ("202", "Post the ERP journal before closing.", ("ERP-Journal vor dem Abschluss buchen.", "Validez le journal ERP avant la clôture.",
                                                     "Înregistrați jurnalul înainte de închidere.", "Kapanıştan önce ERP günlüğünü nakledin.")),
    # de-DE says `speichern` here and `sichern` in the three articles below: T004 here.
    ("203", "Save the record now.", ("Datensatz jetzt speichern.", "Enregistrez la fiche maintenant.", "Salvați fișa acum.", "Kaydı şimdi saklayın.")),
    # de-DE has two translations used once each: the tie goes to the one whose site sorts first,
    # in an article below (`a-...` before `z-...`), so T004 is reported here.
    ("204", "Delete the journal lines.", ("Journalzeilen löschen.", "Supprimez les lignes du journal.", "Ștergeți liniile jurnalului.", "Günlük satırlarını silin.")),
    # de-DE gives `Schließen` to this source and, in two articles below, to `Close.`: T005 here.
    ("205", "Close the page.", ("Schließen", "Fermez la page.", "Închideți pagina.", "Sayfayı kapatın.")),
]
_EVIDENCE = [
    ("201", "Use LedgerCFO for every ledger.", ("Nutzen Sie das Hauptbuchprogramm für jedes Hauptbuch.", "Utilisez le logiciel comptable pour chaque registre.",
                                                "Folosiți LedgerCFO pentru fiecare registru.", "Her defter için muhasebe programını kullanın.")),
    ("202", "Check the ERP totals every week.", ("Prüfen Sie die ERP-Summen jede Woche.", "Vérifiez les totaux ERP chaque semaine.",
                                                 "Verificați totalurile ERP în fiecare săptămână.", "ERP toplamlarını her hafta kontrol edin.")),
    ("203", "Save the record now.", ("Datensatz jetzt sichern.", "Enregistrez la fiche maintenant.", "Salvați fișa acum.", "Kaydı şimdi saklayın.")),
    ("205", "Close.", ("Schließen", "Fermer", "Închidere", "Kapat")),
]
_TIE = ("204", "Delete the journal lines.", ("Zeilen des Journals löschen.", "Supprimez les lignes du journal.", "Ștergeți liniile jurnalului.", "Günlük satırlarını silin."))


def _name(prefix: str, wanted: int, taken: list[str]) -> str:
    """An article name in bucket `wanted` for 2 and for 3 shards (so no shard holds both kinds)."""
    number = 0
    while True:
        name = f"ledger/{prefix}-{number}.md"
        if name not in taken and bucket(name, 2) == wanted and bucket(name, 3) == wanted:
            return name
        number += 1


def _run_wide_articles(root: Path) -> tuple[str, list[str]]:
    """One article whose P004, T004 and T005 findings are decided by three articles that other
    shards check (for 2 and 3 shards); returns the keys of the decided article and of the others."""
    decided = _name("z-decided", 0, [])
    evidence: list[str] = []
    for _ in range(3):
        evidence.append(_name("a-evidence", 1, evidence))
    files = {}
    for article, segments in [(decided, _DECIDED), (evidence[0], [*_EVIDENCE, _TIE]), *((name, _EVIDENCE) for name in evidence[1:])]:
        for index, locale in enumerate(LOCALES):
            files[f"docs/{locale}/{article}"] = "".join(f"{{{{{key}: {targets[index]} || {source}}}}}\n\n" for key, source, targets in segments)
    write_tree(root, files)
    return decided, evidence


def _lines(root: Path, shard: Shard | None, paths: list[str] | None = None, jobs: int = 1, cache: bool = False) -> list[str]:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        settings = load_settings(None, RUN_WIDE, root)
        store = ResultCache(root / ".cache", settings) if cache else None
        result = run(paths or ["docs"], settings, shard=shard, jobs=jobs, cache=store)
    finally:
        os.chdir(cwd)
    return [f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in result.diagnostics]


def _codes(lines: list[str], path_part: str = "") -> list[str]:
    return sorted(line.split(": ")[1].split(" ")[0] for line in lines if path_part in line)


def _shard_parts(root: Path, count: int, jobs: int = 1, cache: bool = False) -> list[list[str]]:
    return [_lines(root, Shard(index, count), jobs=jobs, cache=cache) for index in range(1, count + 1)]


def _shard_union(root: Path, count: int, jobs: int = 1, cache: bool = False) -> list[str]:
    return sorted(line for part in _shard_parts(root, count, jobs, cache) for line in part)


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_union_of_shards_equals_the_whole_run(tmp_path: Path, count: int):
    _many_articles(tmp_path)
    _run_wide_articles(tmp_path)
    whole = _lines(tmp_path, None)
    codes = _codes(whole)
    assert codes.count("P001") == 8 and codes.count("S006") == 6, whole
    assert {"P004", "T004", "T005"} <= set(codes), whole
    parts = _shard_parts(tmp_path, count)
    assert sorted(line for part in parts for line in part) == sorted(whole)
    if count > 1:
        assert sum(1 for part in parts if part) > 1, "the groups should spread over the shards"


def test_other_shards_decide_run_wide_findings(tmp_path: Path):
    """The fixture means something: checked alone, the decided article gets other P004/T004/T005."""
    decided, _ = _run_wide_articles(tmp_path)
    whole = _lines(tmp_path, None)
    alone = _lines(tmp_path, None, paths=[f"docs/{locale}/{decided}" for locale in LOCALES])
    assert _codes(whole, decided) == ["P004", "T004", "T004", "T005"], whole
    assert _codes(alone, decided) == ["P004"], alone
    lost = next(line for line in whole if " P004 " in line)
    assert "ro-RO" in lost and "`ERP`" in lost  # kept by ro-RO in the other articles, so a slip here
    assert "`LedgerCFO`" in next(line for line in alone if " P004 " in line)  # translated in the other articles
    tie = next(line for line in whole if " T004 " in line and "no majority" in line)
    assert "de-DE" in tie and "`Journalzeilen löschen.` here" in tie
    for shard in (Shard(1, 2), Shard(1, 3)):  # the shard of the decided article reports exactly them
        assert sorted(line for line in _lines(tmp_path, shard) if decided in line) == sorted(line for line in whole if decided in line)


def test_sites_no_run_reports_break_no_ties_in_other_shards(tmp_path: Path):
    """A suppressed site of another shard's article still counts, but, as in the whole run, does
    not win a tie: then neither translation of the tie is reported."""
    decided, evidence = _run_wide_articles(tmp_path)
    path = tmp_path / "docs" / "de-DE" / evidence[0]
    text = path.read_text(encoding="utf-8")
    tie = text.index('<span data-ttu-id="a0005-204">')  # the fifth file written: evidence[0] in de-DE
    path.write_text(text[:tie] + "<!-- loclint-disable-next-line T004 -->\n" + text[tie:], encoding="utf-8")
    whole = _lines(tmp_path, None)
    assert not any("no majority" in line for line in whole), whole
    assert _codes(whole, decided) == ["P004", "T004", "T005"], whole
    assert _shard_union(tmp_path, 2) == sorted(whole)


@pytest.mark.parametrize(("jobs", "cache"), [(2, False), (1, True), (2, True)])
def test_union_of_shards_with_workers_and_cache(tmp_path: Path, jobs: int, cache: bool):
    _many_articles(tmp_path, count=9)
    _run_wide_articles(tmp_path)
    whole = sorted(_lines(tmp_path, None))
    assert _shard_union(tmp_path, 2, jobs=jobs, cache=cache) == whole
    if cache:  # warm: every group's outcome or evidence comes from the cache
        assert _shard_union(tmp_path, 2, jobs=jobs, cache=cache) == whole
        assert _shard_union(tmp_path, 3, jobs=jobs, cache=cache) == whole


def test_evidence_pass_gathers_what_the_full_check_gathers(tmp_path: Path):
    """The same acronym usage and translations, from bilingual segments and from plain Markdown
    blocks; the sites of the evidence pass are kept only as positions (another shard reports them)."""
    _many_articles(tmp_path, count=6)
    _run_wide_articles(tmp_path)
    notes = {"de-DE": "Öffnen.", "fr-FR": "Ouvrir.", "ro-RO": "Deschis fără ERP.", "tr-TR": "Açın."}
    write_tree(tmp_path, {f"docs/{locale}/plain/guide.md": f"# Guide\n\nThe ERP screen opens. {note}\n" for locale, note in notes.items()})
    settings = load_settings(None, RUN_WIDE, tmp_path)
    gathered_any = {"acronyms": 0, "translations": 0}
    for planned in plan([str(tmp_path / "docs")], settings).groups:
        checked = check_group(load_group(planned, settings), settings)
        gathered = gather_planned(planned, settings)
        usage, checked_usage = gathered.evidence["acronyms"].usage, checked.evidence["acronyms"].usage
        index, checked_index = gathered.evidence["translations"].index, checked.evidence["translations"].index
        assert usage.counts == checked_usage.counts, planned.article
        assert _as_evidence(index) == _as_evidence(checked_index), planned.article
        gathered_any["acronyms"] += bool(usage.counts)
        gathered_any["translations"] += bool(index.entries)
        if planned.article == "plain/guide.md":  # plain Markdown: the evidence comes from aligned blocks
            assert usage.kept_in("ERP", "ro-ro") == (1, 1)
    assert gathered_any == {"acronyms": 5, "translations": 10}


def _as_evidence(index: TranslationIndex) -> dict:
    """Each translation's shown form and sites, a reported site reduced to its position."""
    return {
        key: sorted((t.norm, t.shown, [site[:3] if site is not None else None for site in t.sites]) for t in translations)
        for key, translations in index.sources()
    }


def test_locales_of_an_article_stay_together(tmp_path: Path):
    _many_articles(tmp_path)
    for index in (1, 2, 3):
        for line in _lines(tmp_path, Shard(index, 3)):
            article = line.split(":")[0].split("/", 2)[2]
            assert bucket(article, 3) == index - 1


def test_bucket_is_stable_across_processes():
    # Python's hash() is salted per process; the shard hash must not be.
    code = "from loclint.shard import bucket; print([bucket(f'a/{n}.md', 7) for n in range(20)])"
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    assert outputs.pop().strip() == str([bucket(f"a/{n}.md", 7) for n in range(20)])


@pytest.mark.parametrize("spec", ["0/4", "5/4", "1/0", "a/b", "2", "1/2/3"])
def test_bad_specs_are_refused(spec: str):
    with pytest.raises(ShardError):
        parse_shard(spec)


def test_cli_shard(tmp_path: Path, monkeypatch):
    _many_articles(tmp_path)
    _run_wide_articles(tmp_path)
    monkeypatch.chdir(tmp_path)
    outputs = [CliRunner().invoke(main, ["check", "docs", "-q", "--extend-select", "T004,T005", "--shard", f"{k}/2"]).output for k in (1, 2)]
    whole = CliRunner().invoke(main, ["check", "docs", "-q", "--extend-select", "T004,T005"]).output
    assert all(code in whole for code in (" P004 ", " T004 ", " T005 "))
    assert sorted("".join(outputs).splitlines()) == sorted(whole.splitlines())
    bad = CliRunner().invoke(main, ["check", "docs", "--shard", "3/2"])
    assert bad.exit_code == 2 and "between 1 and N" in bad.output
    shown = CliRunner().invoke(main, ["check", "docs", "--show-files", "--shard", "1/2"]).output
    assert "in shard 1/2" in shown


def _readme_section(name: str) -> str:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"<!-- section:{name} -->")
    return readme[start : readme.index("<!-- section:", start + 1)]


def test_readme_ci_workflows_parse_and_use_real_options():
    import shlex

    import click
    import yaml

    blocks = _readme_section("ci").split("```yaml\n")[1:]
    assert len(blocks) == 2
    commands = []
    for block in blocks:
        document = yaml.safe_load(block.split("```")[0])
        text = yaml.safe_dump(document)
        commands += [line.strip().lstrip("- ").removeprefix("run: ").strip("'\"") for line in text.splitlines() if "loclint check" in line]
    assert commands and all("--shard" in command for command in commands)
    for command in commands:
        args = shlex.split(command.replace("${{ matrix.shard }}", "1").replace("$CI_NODE_INDEX/$CI_NODE_TOTAL", "1/4"))
        assert args[:2] == ["loclint", "check"]
        context = main.commands["check"].make_context("check", args[2:], resilient_parsing=False)
        assert isinstance(context, click.Context)
        parse_shard(context.params["shard_spec"])
