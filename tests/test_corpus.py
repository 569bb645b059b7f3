"""Integration on the real multi-locale corpus in ../shared/corpus (both families in one run)."""

from __future__ import annotations

import os
import pytest

from conftest import SHARED
from loclint.config import load_settings
from loclint.engine import run

CORPUS = SHARED / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent (only in the project workspace)")


@pytest.fixture(scope="module")
def corpus_result():
    cwd = os.getcwd()
    os.chdir(SHARED)
    try:
        return run(["corpus"], load_settings(None, {}, SHARED))
    finally:
        os.chdir(cwd)


def test_every_file_of_both_families_is_grouped(corpus_result):
    # MANIFEST.md: 4,444 + 1,818 files; 380 + 303 article groups.
    assert corpus_result.files == 6262
    assert corpus_result.groups == 683


def test_findings_land_on_real_files_at_real_positions(corpus_result):
    for d in corpus_result.diagnostics[:: max(1, len(corpus_result.diagnostics) // 200)]:
        text = (SHARED / d.path).read_text(encoding="utf-8-sig", errors="replace")
        lines = text.splitlines()
        assert 1 <= d.line <= max(1, len(lines))
        assert 1 <= d.column <= len(lines[d.line - 1]) + 1 if lines else d.column == 1


def test_stale_locales_are_reported_once_per_article_not_per_segment(corpus_result):
    bilingual = [d for d in corpus_result.diagnostics if "dynamics-365-operations" in d.path]
    stale = [(d.locale, d.article) for d in bilingual if d.code == "M002"]
    assert stale and len(stale) == len(set(stale))
    # The tips of nine locales are synchronised; the three taken older are the stale ones.
    assert {locale for locale, _ in stale} == {"ja-jp", "ru-ru", "pt-br"}
    # ... and their changed segments are not reported one by one.
    assert not [d for d in bilingual if d.code in ("S006", "S007") and d.locale in {"ja-jp", "ru-ru", "pt-br"}]


def test_noise_is_a_small_fraction_of_pofilter(corpus_result):
    # pofilter flags 26,791 of the 175,805 bilingual segments with 15 comparable checks.
    p_and_b = sum(1 for d in corpus_result.diagnostics if d.code[0] in "PB")
    assert p_and_b < 26791 / 20
