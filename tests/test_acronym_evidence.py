"""P004 evidence for a lost acronym (rules/evidence.yaml, README "Evidence for kept tokens"): where
a re-cased form is read, and what a locale's own usage says. Made-up text, several scripts."""

from __future__ import annotations

from pathlib import Path

from test_placeholder_precision import _found

PEERS = ("de-DE", "fr-FR", "pl-PL")


def _segments(sources: list[str], target_locale: str, targets: list[str]) -> dict[str, str]:
    """One file per locale, one segment per source; the peers keep every source verbatim."""
    def body(texts: list[str]) -> str:
        return "\n\n".join(f"{{{{{101 + i}: {text} || {source}}}}}" for i, (text, source) in enumerate(zip(texts, sources))) + "\n"
    files = {f"{locale}/a.md": body(sources) for locale in PEERS}
    files[f"{target_locale}/a.md"] = body(targets)
    return files


def _lines(found: list[str]) -> list[str]:
    return [item.split(": ")[0].rsplit(":", 1)[0] for item in found]


def test_a_lowercase_name_in_code_is_no_recased_acronym(tmp_path: Path):
    source = "The `tenant.id` field holds the tenant ID."
    for locale, target in (("ru-RU", "Поле `tenant.id` содержит идентификатор клиента."),
                           ("es-ES", "El campo `tenant.id` contiene el identificador del inquilino."),
                           ("ja-JP", "`tenant.id` フィールドにはテナント識別子が入ります。")):
        assert _found(tmp_path / locale, "P004", _segments([source], locale, [target])) == []


def test_a_recased_acronym_in_the_text_is_reported(tmp_path: Path):
    files = _segments(["Send the JSON below."], "tr-TR", ["Aşağıdaki json dosyasını gönderin."])
    assert _lines(_found(tmp_path, "P004", files)) == ["tr-TR/a.md:7"]


SOURCES = ["Copy the app ID first.", "The user ID is unique.", "Find the tenant ID in the portal."]


def test_a_locale_that_translates_an_acronym_writes_its_own_word_even_recased(tmp_path: Path):
    # es writes `identificador` in its other instances, and its abbreviation `id.` here.
    targets = ["Copie primero el id. de la aplicación.", "El identificador de usuario es único.",
               "Busque el identificador del inquilino en el portal."]
    assert _found(tmp_path / "es", "P004", _segments(SOURCES, "es-ES", targets)) == []
    targets = ["Copie primeiro o Id. do aplicativo.", "O identificador do usuário é exclusivo.",
               "Encontre o identificador do locatário no portal."]
    assert _found(tmp_path / "pt", "P004", _segments(SOURCES, "pt-BR", targets)) == []


def test_a_locale_that_keeps_an_acronym_slips_when_it_recases_it(tmp_path: Path):
    targets = ["Kopyalayın: uygulama ID.", "Kullanıcı ID benzersizdir.", "Portalda kiracı id değerini bulun."]
    assert _lines(_found(tmp_path, "P004", _segments(SOURCES, "tr-TR", targets))) == ["tr-TR/a.md:11"]


# A CamelCase name translated word by word, one word kept, is the name in the locale's words.

def test_a_name_translated_word_by_word_keeping_one_word_is_no_loss(tmp_path: Path):
    cases = (("de-DE", "Open the DevTools for tabs.", "Öffnen Sie die Entwicklertools für Registerkarten."),
             ("zh-CN", "Copy the AppID of the bot.", "复制机器人的应用 ID。"),
             ("ko-KR", "Copy the AppID of the bot.", "봇의 앱 ID를 복사합니다."))
    for locale, source, target in cases:
        assert _found(tmp_path / locale, "P004", _segments([source], locale, [target])) == [], locale


def test_a_name_split_or_cut_is_still_reported(tmp_path: Path):
    split = _segments(["Select **DirectQuery**, then **OK**."], "de-DE", ["Wählen Sie **Direct Query** und dann **OK** aus."])
    assert _lines(_found(tmp_path / "split", "P004", split)) == ["de-DE/a.md:7"]
    cut = _segments(["Run Set-Mailbox ProblemUser -Archive first."], "tr-TR", ["Önce Set-Mailbox User -Archive komutunu çalıştırın."])
    assert _lines(_found(tmp_path / "cut", "P004", cut)) == ["tr-TR/a.md:7"]


# A name written in the text as the file's own code spells it is its true spelling.

def test_a_name_written_as_the_files_code_spells_it_is_no_loss(tmp_path: Path):
    sources = ["Set the `userIds` list.", "The UserIds property is optional."]
    files = _segments(sources, "pt-BR", ["Defina a lista `userIds`.", "A propriedade userIds é opcional."])
    assert _found(tmp_path / "code", "P004", files) == []
    files = _segments(sources, "pt-BR", ["Defina a lista `userIds`.", "A propriedade Userids é opcional."])
    assert _lines(_found(tmp_path / "recased", "P004", files)) == ["pt-BR/a.md:9"]


# The product's own name, and the long form the locale's own file gives an acronym.

def test_the_term_lists_spelling_for_a_variant_of_a_name_is_no_loss(tmp_path: Path):
    files = _segments(["Example 2: PowerApp"], "ja-JP", ["例 2: Power Apps"])
    assert _found(tmp_path / "term", "P004", files) == []
    files = _segments(["Example 2: PowerApp"], "ja-JP", ["例 2: パワー アプリ"])
    assert _lines(_found(tmp_path / "lost", "P004", files)) == ["ja-JP/a.md:7"]


def test_the_long_form_the_locales_file_defines_is_no_loss(tmp_path: Path):
    sources = ["Sign in with an identity provider (IdP) first.", "Use the OAuth IdP to sign in."]
    cases = (("fr-FR", ["Connectez-vous d’abord avec un fournisseur d’identité (IdP).",
                        "Utilisez le fournisseur d’identité OAuth pour vous connecter."]),
             ("pl-PL", ["Najpierw zaloguj się u dostawcy tożsamości (IdP).",
                        "Użyj dostawcy tożsamości OAuth, aby się zalogować."]))
    for locale, targets in cases:
        assert _found(tmp_path / locale, "P004", _segments(sources, locale, targets)) == [], locale
    # A locale that keeps it everywhere else and writes neither the acronym nor the long form here lost it.
    sources = ["Sign in with an identity provider (IdP) first.", "The IdP issues the token.", "Trust the IdP.",
               "Use the OAuth IdP to sign in."]
    targets = ["Connectez-vous d’abord avec un fournisseur d’identité (IdP).", "L’IdP émet le jeton.",
               "Faites confiance à l’IdP.", "Utilisez le portail OAuth pour vous connecter."]
    assert _lines(_found(tmp_path / "lost", "P004", _segments(sources, "fr-FR", targets))) == ["fr-FR/a.md:13"]


def test_initials_with_a_small_letter_are_an_acronym_not_a_name(tmp_path: Path):
    # `IdP` is weighed as an acronym: a locale that writes it otherwise and has no habit of keeping
    # it is not reported (a CamelCase name, `LedgerBook`, would be).
    from loclint import evidence

    assert [evidence.shape_of(t) for t in ("IdP", "SaaS", "AppID", "LedgerBook", "TeamsJS", "HashV2")] == [
        evidence.ACRONYM, evidence.ACRONYM, evidence.ACRONYM, evidence.IDENTIFIER, evidence.IDENTIFIER, evidence.IDENTIFIER]
    files = _segments(["Set up the OAuth IdP."], "es-ES", ["Configure el proveedor de identidades de OAuth."])
    assert _found(tmp_path, "P004", files) == []


def test_an_in_page_anchor_is_no_recased_acronym_but_another_pages_slug_is_read(tmp_path: Path):
    source = "[Get the conversation ID](#get-the-conversation-id)."
    for locale, target in (("fr-FR", "[Obtenez l’identification de la conversation](#get-the-conversation-id)."),
                           ("zh-CN", "[获取对话标识符](#get-the-conversation-id)。")):
        assert _found(tmp_path / locale, "P004", _segments([source], locale, [target])) == [], locale
    source = "See [CORS issues](https://example.org/understand-cors-issues)."
    files = _segments([source], "ar-SA", ["راجع [مشاكل الكورس](https://example.org/understand-cors-issues)."])
    assert _lines(_found(tmp_path / "slug", "P004", files)) == ["ar-SA/a.md:7"]


def test_an_image_path_is_no_recased_acronym(tmp_path: Path):
    source = "![Get the AppID of the bot](../img/bots_appid_portal.png)"
    for locale, target in (("zh-CN", "![获取机器人的应用 ID](../img/bots_appid_portal.png)"),
                           ("de-DE", "![Die App-Kennung des Bots abrufen](../img/bots_appid_portal.png)")):
        assert _found(tmp_path / locale, "P004", _segments([source], locale, [target])) == [], locale
    files = _segments([source], "es-ES", ["![Obtener el appid del bot](../img/bots_appid_portal.png)"])
    assert _lines(_found(tmp_path / "alt", "P004", files)) == ["es-ES/a.md:7"]


def test_the_long_form_before_each_acronym_is_read_back_on_its_line():
    """What `_long_form_of_file` weighs: the text before each `(IdP)`, up to 80 characters, not
    across a parenthesis or a line break, without the spaces before the marker."""
    from loclint.checks.placeholders import _before_each

    text = "Titre\nle fournisseur d’identité  (IdP) et (autre) fournisseur (IdP)\n" + "x" * 100 + " (IdP)"
    assert list(_before_each("(IdP)", text)) == ["le fournisseur d’identité", " fournisseur", "x" * 80]
    assert list(_before_each("(IdP)", "(IdP) at the start")) == [""]
    assert list(_before_each("(IdP)", "no marker")) == []
