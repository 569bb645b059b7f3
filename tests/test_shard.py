"""`--shard K/N`: a deterministic split of article groups; the shards together equal the whole run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixture_tree import write_tree
from loclint.cli import main
from loclint.config import load_settings
from loclint.engine import run
from loclint.registry import all_rules
from loclint.shard import Shard, ShardError, bucket, parse_shard

LOCALES = ("de-DE", "fr-FR", "ro-RO", "tr-TR")
# Rules whose verdict uses statistics over every article of the run: on a shard they see the
# shard's articles only, so they may differ (documented in the README's CI section).
RUN_WIDE = {"P004", "T004"}


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


def _lines(root: Path, shard: Shard | None) -> list[str]:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = run(["docs"], load_settings(None, {"extend-select": ["P001"]}, root), shard=shard)  # P001 is off by default
    finally:
        os.chdir(cwd)
    return [f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in result.diagnostics if d.code not in RUN_WIDE]


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_union_of_shards_equals_the_whole_run(tmp_path: Path, count: int):
    _many_articles(tmp_path)
    whole = _lines(tmp_path, None)
    codes = [line.split(": ")[1].split(" ")[0] for line in whole]
    assert codes.count("P001") == 8 and codes.count("S006") == 6, whole
    parts = [_lines(tmp_path, Shard(index, count)) for index in range(1, count + 1)]
    union = sorted(line for part in parts for line in part)
    assert union == sorted(whole)
    if count > 1:
        assert sum(1 for part in parts if part) > 1, "the groups should spread over the shards"


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
    monkeypatch.chdir(tmp_path)
    ignore = ["--ignore", ",".join(sorted(RUN_WIDE & set(all_rules())))]
    outputs = [CliRunner().invoke(main, ["check", "docs", "-q", *ignore, "--shard", f"{k}/2"]).output for k in (1, 2)]
    whole = CliRunner().invoke(main, ["check", "docs", "-q", *ignore]).output
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
