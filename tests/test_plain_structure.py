"""Plain Markdown: one structural slip gives one finding, with every rule selected."""

from __future__ import annotations

from pathlib import Path

from fixture_tree import check_tree

_STEPS = {
    "de-DE/a.md": "Schritte:\n\n1. Melden Sie sich mit MFA an.\n\n   Danach sehen Sie das Portal.\n\n2. Öffnen Sie Port 8080.\n3. Speichern Sie.\n",
    "fr-FR/a.md": "Étapes :\n\n1. Connectez-vous avec MFA.\n\n   Ensuite vous voyez le portail.\n\n2. Ouvrez le port 8080.\n3. Enregistrez.\n",
    "es-ES/a.md": "Pasos:\n\n1. Inicie sesión con MFA.\n\n   Luego ve el portal.\n\n2. Abra el puerto 8080.\n3. Guarde.\n",
}


def _found(root: Path, files: dict[str, str]) -> list[tuple[str, int, str]]:
    result = check_tree(root, files, {"select": ["ALL"], "ignore": ["H"]})
    return [(d.path, d.line, d.code) for d in result.diagnostics]


def test_a_doubled_list_marker_is_one_finding(tmp_path: Path) -> None:
    files = {**_STEPS, "ro-RO/a.md": "Pași:\n\n1. 1. Conectați-vă cu MFA.\n\n   Apoi vedeți portalul.\n\n2. Deschideți portul 8080.\n3. Salvați.\n"}
    assert _found(tmp_path / "hit", files) == [("ro-RO/a.md", 9, "B012")]
    files["ro-RO/a.md"] = files["ro-RO/a.md"].replace("1. 1.", "1.")
    assert _found(tmp_path / "clean", files) == []


def test_a_paragraph_under_a_table_is_one_finding(tmp_path: Path) -> None:
    table = "| A | B |\n|---|---|\n| x 1 | y 2 |\n"
    files = {
        "de-DE/a.md": f"# Titel\n\n{table}\nDanach kommt der Absatz mit Port 8080.\n",
        "fr-FR/a.md": f"# Titre\n\n{table}\nEnsuite vient le paragraphe avec le port 8080.\n",
        "ro-RO/a.md": f"# Titlu\n\n{table}Apoi vine paragraful cu portul 8080.\n",
    }
    assert _found(tmp_path, files) == [("ro-RO/a.md", 9, "B013")]
