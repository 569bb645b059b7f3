"""The glossary loader: rules/terms.yaml plus the user's YAML or TBX-like CSV, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from loclint.config import ConfigError, load_settings
from loclint.glossary import FREE, GlossaryError, load_terms


def test_built_in_terms_match_longest_first_across_no_break_spaces():
    terms = load_terms()
    found = [(term.text, start, end) for term, start, end in terms.find("Use Microsoft\u00a0365 and Outlook.")]
    assert found == [("Microsoft 365", 4, 17), ("Outlook", 22, 29)]


def test_built_in_exception_is_data():
    microsoft = load_terms().by_text["Microsoft"]
    assert microsoft.form_for("ja-jp") == FREE
    assert microsoft.form_for("de-de") == "Microsoft"
    assert microsoft.may_drop


def test_csv_glossary_cells_keep_free_or_approve(tmp_path: Path):
    path = tmp_path / "terms.csv"
    path.write_text("term,de-DE,ja,fr-fr\nContoso Ledger,,*,Grand livre Contoso\n", encoding="utf-8")
    term = load_terms(path).by_text["Contoso Ledger"]
    assert term.form_for("de-de") == "Contoso Ledger"
    assert term.form_for("ja-jp") == FREE
    assert term.form_for("fr-fr") == "Grand livre Contoso"


def test_user_entry_replaces_the_built_in_one(tmp_path: Path):
    path = tmp_path / "glossary.yaml"
    path.write_text("terms:\n  - term: Outlook\n    exceptions: [zh]\n", encoding="utf-8")
    assert load_terms(path).by_text["Outlook"].form_for("zh-cn") == FREE


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("g.yaml", "terms: Outlook\n", "expected a `terms:` list"),
        ("g.yaml", "terms:\n  - exceptions: [ja]\n", "terms[0]: each entry needs a non-empty `term`"),
        ("g.yaml", "terms:\n  - term: X\n    translations: {de: ''}\n", "`translations` must map"),
        ("g.csv", "term,de-de\n,Foo\n", "row 2: the first cell (the term) is empty"),
    ],
)
def test_bad_glossaries_name_the_file_and_entry(tmp_path: Path, name: str, text: str, message: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as caught:
        load_terms(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_config_glossary_is_read_relative_to_the_config_file(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "terms.csv").write_text("term\nFabrikam Ledger\n", encoding="utf-8")
    (tmp_path / "loclint.toml").write_text('glossary = "sub/terms.csv"\n', encoding="utf-8")
    settings = load_settings(None, {}, tmp_path)
    assert "Fabrikam Ledger" in settings.terms.by_text


def test_missing_glossary_is_a_configuration_error(tmp_path: Path):
    (tmp_path / "loclint.toml").write_text('glossary = "nope.yaml"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read glossary"):
        load_settings(None, {}, tmp_path)
