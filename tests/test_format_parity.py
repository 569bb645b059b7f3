"""One comparison model for both formats (loclint/columns.py): a rule written over columns finds
the same defects in plain translated Markdown as in bilingual files.

Every rule fixture case of a rule that exists in both formats (P, B001-B005, T, W) gets a plain
twin: each `{{id: target || source}}` becomes its target, and an `en-US` file of the article holds
the sources (source-locale `en-us`). Segments stay on their lines, so the twin's findings must have
the bilingual case's codes on the same lines of the same files (within the block, for a finding
about a whole block of several lines). A case has no twin when its
locales do not share one source text per segment and one frame around them (a plain source file
can hold only one version), or when it needs more than files (arguments, bytes, own front matter).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from fixture_tree import check_tree

from loclint.config import load_settings
from loclint.engine import run
from loclint.markdown import parse_blocks
from loclint.model import LineIndex

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
PLAIN_SEEDS = Path(__file__).parent / "fixtures" / "plain_seeds"
_SHORTHAND = re.compile(r"\{\{([\w-]+):\s?(.*?)\s?\|\|\s?(.*?)\s?\}\}", re.DOTALL)
_BOTH_FORMATS = re.compile(r"P\d{3}|B00[1-5]|T\d{3}|W\d{3}")


def plain_twin(files: dict) -> dict[str, str] | None:
    """The case's files as plain Markdown plus an en-US source file per article, or None."""
    if not all(isinstance(text, str) and not text.startswith("---") for text in files.values()):
        return None
    articles: dict[str, tuple[str, str]] = {}  # article -> (frame, source text)
    twin = {}
    for relative, text in files.items():
        locale, _, article = relative.partition("/")
        if not article or locale.lower().startswith("en"):
            return None
        frame = _SHORTHAND.sub(lambda match: "{{" + match.group(1) + "}}", text)
        source = _SHORTHAND.sub(lambda match: match.group(3), text)
        if articles.setdefault(article, (frame, source)) != (frame, source):
            return None  # another version of the source, or another frame: no one plain source
        twin[relative] = _SHORTHAND.sub(lambda match: match.group(2), text)
    if not any(_SHORTHAND.search(text) for text in files.values()):
        return None
    for article, (_, source) in articles.items():
        twin[f"en-US/{article}"] = source
    return twin


def _cases():
    for path in sorted(FIXTURES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not _BOTH_FORMATS.fullmatch(data["rule"]):
            continue
        for name, case in data["cases"].items():
            if case.get("args") or case.get("paths") or case.get("only"):
                continue
            twin = plain_twin(case["files"])
            if twin is not None:
                yield pytest.param(data["rule"], case["files"], twin, id=f"{data['rule']}-{name}")


def _places(root: Path, files: dict, overrides: dict) -> list[tuple[str, str, int, int]]:
    """(file, code, first line, last line) of each finding."""
    result = check_tree(root, files, overrides)
    return sorted((Path(d.path).as_posix(), d.code, d.line, d.end_line) for d in result.diagnostics)


def _block_lines(root: Path, path: str, line: int) -> tuple[int, int]:
    """The first and last line of the plain block holding `line`: a finding with no token to
    point at has a one-character caret at its block's start, which may hold several lines."""
    text = (root / path).read_text(encoding="utf-8")
    lines = LineIndex(text)
    for block in parse_blocks(text, 0, lines):
        first, last = lines.position(block.start)[0], lines.position(block.end)[0]
        if first <= line <= last:
            return first, last
    return line, line


def test_most_rules_have_plain_twins():
    """The twins are not a handful: every rule of both formats but a few has some."""
    rules = {param.values[0] for param in _cases()}
    assert len(rules) >= 16, sorted(rules)


@pytest.mark.parametrize(("rule", "files", "twin"), list(_cases()))
def test_plain_twin_gives_the_same_codes_at_the_same_places(tmp_path: Path, rule: str, files: dict, twin: dict) -> None:
    """Same files, same codes, and each plain finding on the bilingual one's line: a finding about
    a whole unit spans the plain block, which may hold several lines (a lazy continuation)."""
    bilingual = _places(tmp_path / "bilingual", files, {"select": [rule]})
    plain = _places(tmp_path / "plain", twin, {"select": [rule], "source-locale": "en-us"})
    assert [(path, code) for path, code, *_ in plain] == [(path, code) for path, code, *_ in bilingual], (plain, bilingual)
    for (path, _, first, last), (_, _, line, _) in zip(plain, bilingual):
        if first == last:
            first, last = _block_lines(tmp_path / "plain", path, first)
        assert first <= line <= last, (plain, bilingual)


def test_plain_seeds_give_what_the_bilingual_seeds_give():
    """The five seeds as plain Markdown (targets, plus the source as en-US): the same six defects."""
    cwd = os.getcwd()
    os.chdir(PLAIN_SEEDS)
    try:
        # Not H: these files sit in loclint's own git history, where their recorded
        # `ms.sourcegitcommit` (of the Microsoft repository they came from) rightly names no commit.
        settings = load_settings(None, {"source-locale": "en-us", "select": ["ALL"], "ignore": ["H"]}, PLAIN_SEEDS)
        result = run(["."], settings)
    finally:
        os.chdir(cwd)
    found = [(d.path, d.line, d.code, d.token) for d in result.diagnostics]
    assert found == [
        ("lv-LV/app-passwords.md", 38, "W002", " ,"),  # `**Kopēt** , lai`
        ("ro-RO/app-passwords.md", 26, "P004", "MAE"),
        ("ro-RO/app-passwords.md", 28, "P004", "AMF"),
        ("tr-TR/app-passwords.md", 32, "W001", "seçin"),  # `**Şimdi Ayarla'yı**seçin`
        ("tr-TR/app-passwords.md", 36, "W001", "seçin"),  # `**İleri'yi**seçin`
        ("zh-CN/app-passwords.md", 26, "T002", "outlook"),
    ]
    for d in result.diagnostics:  # each points at its token
        line = (PLAIN_SEEDS / d.path).read_text(encoding="utf-8").splitlines()[d.line - 1]
        assert line[d.column - 1 :].startswith(d.token), d
