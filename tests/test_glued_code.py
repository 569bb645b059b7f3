"""Code spans glued by a translator (`a``b`): read as the spans meant, reported once, by B003 at
the glue, and never as inline code lost (P003) or a backtick count (B003) besides."""

from __future__ import annotations

from pathlib import Path

from fixture_tree import check_tree

from loclint.patterns import active_patterns, shipped_patterns
from loclint.tokens import analyse


def _codes(text: str) -> tuple[list[str], int, tuple[int, ...]]:
    features = analyse(text, active_patterns(shipped_patterns()))
    return [token.text for token in features.tokens if token.kind == "code"], features.markup.backticks, features.markup.glued


def test_glued_spans_are_the_spans_meant() -> None:
    assert _codes("x `alpha``beta``gamma` y") == (["`alpha`", "`beta`", "`gamma`"], 6, (8,))
    assert _codes("x `alpha` `beta` y") == (["`alpha`", "`beta`"], 4, ())


def test_literal_double_backticks_are_no_glue() -> None:
    assert _codes("x ` `` ` y")[2] == ()
    assert _codes("x ```a``b``` y") == (["```a``b```"], 2, ())


def test_one_finding_for_a_glue_whatever_else_is_selected(tmp_path: Path) -> None:
    files = {
        "de-DE/a.md": "Setzen Sie `alpha`, `beta` und `gamma` im Feld.\n",
        "fr-FR/a.md": "Définissez `alpha`, `beta` et `gamma` dans le champ.\n",
        "es-ES/a.md": "Establezca `alpha`, `beta` y `gamma` en el campo.\n",
        "ja-JP/a.md": "フィールドで`alpha``beta`と`gamma`を設定します。\n",
        "zh-CN/a.md": "在字段中设置 `alpha`、`beta` 和 `gamma`。\n",
    }
    result = check_tree(tmp_path, files, {"select": ["ALL"], "ignore": ["H"]})
    assert [(d.path, d.code) for d in result.diagnostics] == [("ja-JP/a.md", "B003")]
