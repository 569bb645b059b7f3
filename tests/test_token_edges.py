"""Where a kept token ends (P002, P005, P007): the punctuation of a script, a percent sign, a word
that holds a colon. Made-up text in several scripts, bilingual segments and plain files."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_placeholder_precision import _found, _with_keepers


def _plain(texts: dict[str, str]) -> dict[str, str]:
    return {f"{locale}/a.md": f"# Title\n\n{text}\n" for locale, text in texts.items()}


def _codes(found: list[str]) -> list[str]:
    return [item.split(": ")[0].rsplit(":", 2)[0] for item in found]


# P002: the sentence punctuation of CJK text, curly quotes and guillemets end a URL.

def test_cjk_sentence_punctuation_after_a_url_is_not_part_of_it(tmp_path: Path):
    source = "Open https://portal.example.org/start now."
    files = _with_keepers(source, "zh-CN", "现在打开 https://portal.example.org/start。")
    files["ja-JP/a.md"] = "{{103: 今すぐ https://portal.example.org/start」を開きます。 || " + source + "}}\n"
    files["ko-KR/a.md"] = "{{103: 지금 https://portal.example.org/start）를 여세요. || " + source + "}}\n"
    assert _found(tmp_path, "P002", files) == []
    texts = {locale: "Open https://portal.example.org/start now." for locale in ("de-DE", "es-ES", "fr-FR")}
    texts.update({"zh-CN": "现在打开 https://portal.example.org/start。", "ja-JP": "https://portal.example.org/start，を開きます。"})
    assert _found(tmp_path / "plain", "P002", _plain(texts)) == []


def test_quotes_of_any_script_end_a_url(tmp_path: Path):
    texts = {locale: "Go to https://portal.example.org/start today." for locale in ("de-DE", "es-ES", "pt-BR")}
    texts["fr-FR"] = "Allez sur « https://portal.example.org/start » aujourd’hui."
    texts["zh-CN"] = "转到“https://portal.example.org/start”，今天。"
    assert _found(tmp_path, "P002", _plain(texts)) == []


# P005: a percent sign after a number is no `% d` directive.

def test_percent_after_a_number_is_not_a_placeholder(tmp_path: Path):
    texts = {"de-DE": "Das betrifft 20 % der Dateien.", "es-ES": "Afecta al 20 % de los archivos.",
             "fr-FR": "Cela touche 20 % des fichiers.", "pt-BR": "Afeta 20% dos arquivos.",
             "ja-JP": "ファイルの 20% に影響します。", "zh-CN": "影响 20% 的文件。"}
    assert _found(tmp_path, "P005", _plain(texts)) == []


# P007: a drive letter starts a word.

def test_a_colon_and_backslash_inside_a_word_is_no_drive(tmp_path: Path):
    texts = {locale: 'Value: {\\"@odata.type:\\" \\"x\\"}' for locale in ("de-DE", "es-ES", "fr-FR", "ja-JP")}
    texts["zh-CN"] = "值：{\\“@odata.type：\\” \\“x\\”}"
    assert _found(tmp_path, "P007", _plain(texts)) == []


# P001: the same time on the locale's clock, the same value in the locale's units.

def test_a_twelve_hour_time_on_a_twenty_four_hour_clock_is_the_same_hour(tmp_path: Path):
    source = "USER: at 1:00 pm."
    for locale, target in (("de-DE", "BENUTZER: um 13:00 Uhr."), ("fr-FR", "UTILISATEUR : à 13 h 00."),
                           ("ja-JP", "ユーザー: 午後 1 時に。"), ("zh-CN", "用户：下午 1 点。")):
        assert _found(tmp_path / locale, "P001", _with_keepers(source, locale, target)) == [], locale


def test_a_count_of_thousands_is_the_same_number(tmp_path: Path):
    source = "It returns at most 10,000 members."
    for locale, target in (("pt-BR", "Retorna no máximo 10 mil membros."), ("zh-CN", "最多返回 1 万个成员。"),
                           ("ja-JP", "最大 1 万人のメンバーを返します。")):
        assert _found(tmp_path / locale, "P001", _with_keepers(source, locale, target)) == [], locale
    texts = {"de-DE": "Höchstens 10K Mitglieder.", "es-ES": "Como máximo 10 000 miembros.",
             "fr-FR": "Au plus 10 000 membres.", "ja-JP": "最大 10,000 人。", "zh-CN": "最多 1 万个成员。"}
    assert _found(tmp_path / "plain", "P001", _plain(texts)) == []


def test_a_number_broken_by_a_full_width_comma_says_so(tmp_path: Path):
    from test_placeholder_precision import run_case

    files = _with_keepers("Maximum size of 1,024 KB.", "zh-CN", "最大大小为 1，024 KB。")
    _, diagnostics = run_case(tmp_path, "P001", {"files": files})
    assert [d.code for d in diagnostics] == ["P001"]
    assert "`1，024` instead? a full-width comma is no digit group separator" in diagnostics[0].message
    files = _with_keepers("Maximum size of 1,024 KB.", "ja-JP", "最大サイズは 1,024 KB です。")
    assert _found(tmp_path / "kept", "P001", files) == []


# Each edge above moves where a token ends, never whether a changed one is found.
@pytest.mark.parametrize(("rule", "source", "locale", "target"), [
    pytest.param("P002", "Open https://portal.example.org/start now.", "zh-CN", "现在打开 https://portal.example.org/begin。", id="url-before-cjk-punctuation"),
    pytest.param("P005", "Printed as % d and %s in the log.", "ja-JP", "ログには %s として出力されます。", id="format-directive"),
    pytest.param("P007", "Copy it to D:\\Tools\\bin first.", "tr-TR", "Önce D:\\Araclar\\bin klasörüne kopyalayın.", id="drive-path"),
    pytest.param("P001", "USER: at 1:00 pm.", "de-DE", "BENUTZER: um 14:00 Uhr.", id="another-hour"),
    pytest.param("P001", "It returns at most 10,000 members.", "zh-CN", "最多返回 10 万个成员。", id="another-count-of-thousands"),
])
def test_a_changed_token_is_still_reported(tmp_path: Path, rule: str, source: str, locale: str, target: str):
    assert _codes(_found(tmp_path, rule, _with_keepers(source, locale, target))) == [f"{locale}/a.md"]
