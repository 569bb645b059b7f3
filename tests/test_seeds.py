"""Acceptance on the five seed documents the project was created from (../shared/seeds)."""

from __future__ import annotations

import os

import pytest

from conftest import SHARED
from loclint.config import load_settings
from loclint.engine import run

SEEDS = SHARED / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent (only in the project workspace)")

RO_RO = "004_e2b4da0bbedeb768.txt"


def _check_seeds(**overrides):
    cwd = os.getcwd()
    os.chdir(SEEDS)
    try:
        settings = load_settings(None, {"group-by": "ms.assetid", **overrides}, SEEDS)
        return run(sorted(p.name for p in SEEDS.glob("*.txt")), settings)
    finally:
        os.chdir(cwd)


def test_seeds_form_one_group_of_five_locales():
    result = _check_seeds()
    assert result.groups == 1
    assert result.files == 5


TR_TR, ZH_CN, LV_LV = "000_fca2900b69fd3277.txt", "001_65eca231a2752936.txt", "003_e6a0915596a6634f.txt"


def test_exactly_the_known_defects_are_reported():
    found = [(d.path, d.line, d.column, d.code, d.subject, d.token) for d in _check_seeds().diagnostics]
    assert found == [
        # tr-TR `**Şimdi Ayarla'yı**seçin` (-109) and `**İleri'yi**seçin` (-111): no space after the bold.
        (TR_TR, 32, 53, "W001", "109", "seçin"),
        (TR_TR, 36, 94, "W001", "111", "seçin"),
        # zh-CN -105 writes the product name `Outlook` as `outlook`.
        (ZH_CN, 26, 642, "T002", "105", "outlook"),
        # lv-LV -113 `**Kopēt** , lai`: a space before the comma.
        (LV_LV, 38, 389, "W002", "113", " ,"),
        # ro-RO: `MAE` in segment d039b-104 and `AMF` in d039b-106, pointed at exactly.
        (RO_RO, 26, 459, "P004", "104", "MAE"),
        (RO_RO, 28, 128, "P004", "106", "AMF"),
    ]


def test_positions_point_at_the_offending_token():
    for d in _check_seeds().diagnostics:
        lines = (SEEDS / d.path).read_text(encoding="utf-8").splitlines()
        assert lines[d.line - 1][d.column - 1 :].startswith(d.token), d


def test_no_metadata_segment_or_markup_finding_on_any_variant():
    result = _check_seeds(select=["M", "S", "B"])
    assert result.diagnostics == []


def test_p004_messages_say_how_many_locales_agree():
    messages = [d.message for d in _check_seeds().diagnostics if d.code == "P004"]
    assert len(messages) == 2
    assert all("`MFA`" in message and "4 of 5 locales keep it" in message for message in messages)
