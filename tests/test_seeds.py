"""Acceptance on the five seed documents the project was created from (../shared/seeds)."""

from __future__ import annotations

import os
from pathlib import Path

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


def test_ro_ro_loses_mfa_in_two_segments_and_nothing_else_is_reported():
    found = [(d.path, d.line, d.column, d.code, d.subject, d.token) for d in _check_seeds().diagnostics]
    assert found == [
        # `MAE` in segment d039b-104 and `AMF` in d039b-106, pointed at exactly.
        (RO_RO, 26, 459, "P004", "104", "MAE"),
        (RO_RO, 28, 128, "P004", "106", "AMF"),
    ]


def test_positions_point_at_the_replacement_token():
    lines = (SEEDS / RO_RO).read_text(encoding="utf-8").splitlines()
    for d in _check_seeds().diagnostics:
        assert lines[d.line - 1][d.column - 1 :].startswith(d.token)


def test_no_metadata_segment_or_markup_finding_on_any_variant():
    result = _check_seeds(select=["M", "S", "B"])
    assert result.diagnostics == []


def test_message_says_how_many_locales_agree():
    messages = [d.message for d in _check_seeds().diagnostics]
    assert all("`MFA`" in message and "4 of 5 locales keep it" in message for message in messages)
