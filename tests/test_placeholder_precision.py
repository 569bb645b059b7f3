"""The false-positive fixes made to the P rules while measuring precision on the corpus
(bench/precision.py); each case is a pattern of the corpus that used to be reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_rule_fixtures import run_case


def _found(tmp_path: Path, rule: str, files: dict[str, str]) -> list[str]:
    found, _ = run_case(tmp_path, rule, {"files": files})
    return found


def _group(source: str, targets: dict[str, str], key: str = "103") -> dict[str, str]:
    return {f"{locale}/a.md": f"{{{{{key}: {target} || {source}}}}}\n" for locale, target in targets.items()}


KEEPERS = {"de-DE": None, "fr-FR": None, "pl-PL": None}


def _with_keepers(source: str, target_locale: str, target: str) -> dict[str, str]:
    targets = {locale: source for locale in KEEPERS}  # the peers keep the source's tokens verbatim
    targets[target_locale] = target
    return _group(source, targets)


@pytest.mark.parametrize(
    ("source", "locale", "target"),
    [
        ("The amount is 500.00 in total.", "cs-CZ", "Celková částka je 500 USD."),  # trailing zeros
        ("When the percentage is 2.50, it rounds.", "cs-CZ", "Když je procento 2,5, zaokrouhlí se."),
        ("Enter 30% as the rate.", "tr-TR", "Oran olarak %30 girin."),  # Turkish percent sign first
        ("Buy 8 lamps for the office.", "pt-BR", "Compre oito luminárias para o escritório."),  # a word
    ],
)
def test_number_written_another_way_is_kept(tmp_path, source, locale, target):
    assert _found(tmp_path, "P001", _with_keepers(source, locale, target)) == []


def test_small_number_replaced_by_another_is_still_reported(tmp_path):
    files = _with_keepers("Starts on April 1, 2012.", "zh-CN", "开始日期为 2012 年 4 月 2 日。")
    assert _found(tmp_path, "P001", files) == ["zh-CN/a.md:7:31: P001"]


def test_descriptive_placeholder_translated_is_kept_but_a_broken_one_is_not(tmp_path):
    source = "*&lt;LineQty&gt;* is the quantity."
    files = _with_keepers(source, "fr-FR", "*&lt;QtéLigne&gt;* est la quantité.")
    files["ja-JP/a.md"] = "{{103: *&lt;LineQty &gt;* は数量です。 || " + source + "}}\n"
    assert _found(tmp_path, "P005", files) == ["ja-JP/a.md:7:32: P005"]


@pytest.mark.parametrize(
    ("source", "locale", "target"),
    [
        # The source spells the acronym out: the translation writes the words, not the letters.
        ("It comes from a product data management (PDM) system.", "fr-FR",
         "Il provient d’un système de gestion des données produit."),
        # Russian writes IATA in its own letters.
        ("In the IATA regulation, class 7 has no subdivisions.", "ru-RU",
         "В правилах ИАТА в классе 7 нет подразделов."),
    ],
)
def test_acronym_translated_on_purpose_is_not_reported(tmp_path, source, locale, target):
    assert _found(tmp_path, "P004", _with_keepers(source, locale, target)) == []


@pytest.mark.parametrize(
    ("source", "target", "column"),
    [
        ("Set up IBAN and SWIFT code", "设置 BAN 和 SWIFT 代码", 34),  # a look-alike in its place
        ("Search for **LedgerCFO**.", "Busque **ContabilidadCFO**.", 31),  # a CamelCase identifier
        ("Use the API to read it.", "Izmantojiet api, lai to nolasītu.", 43),  # re-cased
    ],
)
def test_acronym_slips_are_reported(tmp_path, source, target, column):
    found = _found(tmp_path, "P004", _with_keepers(source, "lv-LV", target))
    assert [item.rsplit(":", 2)[0] for item in found] == ["lv-LV/a.md:7"]
