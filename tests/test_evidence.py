"""The evidence model for kept tokens (loclint/evidence.py) row by row, and the number data it
uses (loclint/numbers.py, rules/numbers.yaml)."""

from __future__ import annotations

from loclint import evidence, numbers
from loclint.evidence import ACRONYM, CODE, DESIGNATION, IDENTIFIER, WORD, Evidence, judge, shape_of, thresholds

LIMITS = thresholds(0.9)


def facts(**changes) -> Evidence:
    base = dict(token="MFA", shape=ACRONYM, unit_kept=3, unit_peers=3, run_share=1.0, own_kept=0, own_seen=0)
    base.update(changes)
    return Evidence(**base)


def test_shapes():
    assert shape_of("EN", "Steel to EN 1090.") == DESIGNATION
    assert shape_of("ISO", "ISO 20022 files") == DESIGNATION
    assert shape_of("LedgerBook") == IDENTIFIER
    assert shape_of("CAD") == CODE and shape_of("DEU") == CODE
    assert shape_of("NOTES") == WORD
    assert shape_of("IBAN") == ACRONYM and shape_of("GDPR") == ACRONYM


def test_glossary_approval_decides_first():
    assert not judge(facts(approved=True, look_alike="MAE"), LIMITS).stands


def test_look_alike_needs_the_unit_and_run_or_the_locales_habit():
    assert judge(facts(look_alike="MAE"), LIMITS).stands
    assert not judge(facts(look_alike="MAE", unit_kept=1, unit_peers=1), LIMITS).stands
    slip = judge(facts(token="NOTES", shape=WORD, look_alike="NOTSE", unit_kept=0, run_share=0.0, own_kept=17, own_seen=18), LIMITS)
    assert slip.stands and "17 of 18 other instances" in slip.because


def test_translatable_tokens_and_codes_are_clean():
    assert not judge(facts(run_share=0.5), LIMITS).stands
    assert not judge(facts(token="CAD", shape=CODE), LIMITS).stands


def test_designation_stands_however_consistent_the_locale():
    verdict = judge(facts(token="EN", shape=DESIGNATION, own_kept=0, own_seen=5), LIMITS)
    assert verdict.stands and "designation" in verdict.because


def test_consistent_translation_of_an_identifier_is_clean():
    assert not judge(facts(token="LedgerBook", shape=IDENTIFIER, own_kept=0, own_seen=2), LIMITS).stands
    assert judge(facts(token="LedgerBook", shape=IDENTIFIER, own_kept=2, own_seen=2), LIMITS).stands


def test_stand_in_after_an_expansion():
    assert judge(facts(token="IBAN", expanded=True, stand_in="XYZ"), LIMITS).stands
    assert not judge(facts(token="IBAN", expanded=True, stand_in="XYZ", unit_kept=2), LIMITS).stands
    assert not judge(facts(token="IBAN", expanded=True), LIMITS).stands


def test_all_caps_without_evidence_is_clean_and_with_habit_stands():
    assert not judge(facts(), LIMITS).stands
    assert judge(facts(own_kept=4, own_seen=4), LIMITS).stands


def test_systematic_number_loss():
    assert not evidence.systematic_loss("1099", "The Tax 1099 tab.", 3).stands
    assert evidence.systematic_loss("1090", "The EN 1090 standard.", 3).stands


def test_number_words():
    assert numbers.in_words(100, "inférieur ou égal à cent", "fr")
    assert not numbers.in_words(100, "le centre", "fr")
    assert numbers.in_words(25, "اليوم الخامس والعشرين", "ar")
    assert not numbers.in_words(23, "اليوم الخامس والعشرين", "ar")
    assert numbers.ordinal(4, "la quatrième colonne", "fr-fr")
    assert numbers.month_named(6, "6", "paused on 6/23", "23. jūnijā", "lv")
    assert not numbers.month_named(6, "6", "6 months", "jūnijs", "lv")
    assert numbers.twelve_hour(17, "17", "before 17:30", {"5", "30"})
    assert "7" in numbers.source_words("a seven-part series")


from hypothesis import given
from hypothesis import strategies as st


@given(st.text(alphabet="ABCMFAEé日 -", max_size=24), st.text(alphabet="ABCMFAEé日 -", max_size=24))
def test_token_ratio_is_rapidfuzz_s_ratio_to_the_last_bit(first: str, second: str) -> None:
    """The warm run's own ratio for two tokens (no rapidfuzz import) is the same float."""
    from rapidfuzz import fuzz

    from loclint.similarity import token_ratio

    assert token_ratio(first, second) == fuzz.ratio(first, second)
