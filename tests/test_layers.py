"""The layers of loclint stay drawable: no import circle apart from type-only imports, no module
importing another's private names, result types apart from the engine, settings frozen once
resolved, rule data read through one path that the configuration can override, and run-wide
evidence declared in one place."""

from __future__ import annotations

import ast
import re
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from fixture_tree import write_tree

import loclint
from loclint.config import OUTPUT_FORMATS, ConfigError, load_settings
from loclint.engine import run
from loclint.runwide import RUN_WIDE_CODES, RUN_WIDE_RULES

PACKAGE = Path(loclint.__file__).parent
# None: the renderers' package file imports nothing (the table of formats is output/report.py).
KNOWN_CIRCLES: list[set[str]] = []


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> tuple[set[str], list[str]]:
    """The loclint modules `path` imports at run time (anywhere, but not under TYPE_CHECKING),
    with the packages that importing them runs first; and the private names it imports."""
    module = _module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    private: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for statement in child.orelse:
                    visit(statement)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = package[: len(package) - child.level + 1] if child.level else []
                target = ".".join(base + ([child.module] if child.module else []))
                for alias in child.names:
                    if f"{target}.{alias.name}" in modules:
                        found.add(f"{target}.{alias.name}")
                    else:
                        found.add(target)
                        if alias.name.startswith("_") and not alias.name.startswith("__") and target.startswith("loclint"):
                            private.append(f"{module} imports {target}.{alias.name}")
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    with_packages = set(found)
    for name in found:
        parts = name.split(".")
        with_packages.update(".".join(parts[:size]) for size in range(1, len(parts)))
    return {name for name in with_packages if name in modules and name != module}, private


def _graph() -> tuple[dict[str, set[str]], list[str]]:
    paths = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph, private = {}, []
    for name, path in paths.items():
        graph[name], found = _imports(path, set(paths))
        private.extend(found)
    return graph, private


def _circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[set[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(component)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return circles


def test_no_import_circle_but_type_only_ones():
    graph, _ = _graph()
    assert [circle for circle in _circles(graph) if circle not in KNOWN_CIRCLES] == []


def test_the_circle_finder_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_no_private_name_is_imported_across_modules():
    assert _graph()[1] == []


def test_layers():
    graph, _ = _graph()
    assert not any(name.startswith("loclint.output") for name in graph["loclint.config"])
    for lower in ("loclint.cache", "loclint.parallel", "loclint.results", "loclint.columns", "loclint.alignment"):
        assert "loclint.engine" not in graph[lower], lower
    engine = ast.parse((PACKAGE / "engine.py").read_text(encoding="utf-8"))
    assert [node.name for node in engine.body if isinstance(node, ast.ClassDef) and node.name.endswith(("Result", "Outcome", "Evidence"))] == []


def test_output_formats_are_the_renderers():
    from loclint.output.report import FORMATS

    assert tuple(FORMATS) == OUTPUT_FORMATS


def test_settings_are_frozen_once_resolved(tmp_path: Path):
    settings = load_settings(None, {}, tmp_path)
    with pytest.raises(FrozenInstanceError):
        settings.select = ["ALL"]
    narrowed = settings.narrowed(frozenset({"P004"}))
    assert narrowed.enabled == {"P004"} and settings.enabled != narrowed.enabled
    with pytest.raises(FrozenInstanceError):
        narrowed.enabled = frozenset()


def test_typography_is_overridden_like_the_patterns(tmp_path: Path):
    """`typography` in the configuration lays over rules/typography.yaml: a locale that spaces `,`."""
    write_tree(tmp_path, {
        "de-DE/a.md": "{{103: Wählen Sie **Kopieren**, um fortzufahren. || Choose **Copy** to continue.}}\n",
        "lv-LV/a.md": "{{103: Izvēlieties **Kopēt** , lai turpinātu. || Choose **Copy** to continue.}}\n",
    })

    def found(overrides: dict) -> list[str]:
        settings = load_settings(None, {"select": ["W002"], **overrides}, tmp_path)
        return [d.code for d in run([str(tmp_path)], settings).diagnostics]

    assert found({}) == ["W002"]
    assert found({"typography": {"space-before-allowed": {"lv": [","]}}}) == []
    with pytest.raises(ConfigError, match="unknown typography key"):
        load_settings(None, {"typography": {"no-such-key": 1}}, tmp_path)


def test_run_wide_rules_are_declared_once():
    """Every run-wide code is declared with the families that gather it, and no other module names
    the run-wide codes as a list of its own."""
    from loclint.checks import families

    modules = {module.__name__.rsplit(".", 1)[-1]: module for module in families.FAMILY_CHECKS}
    for rule in RUN_WIDE_RULES:
        assert set(rule.codes) <= {code for name in rule.families for code in modules[name].CODES}, rule
    assert RUN_WIDE_CODES == {"P004", "T001", "T004", "T005"}
    for path in PACKAGE.rglob("*.py"):
        if path.name != "runwide.py":
            text = path.read_text(encoding="utf-8")
            # A family may ask whether its codes are on (`ctx.enabled("T004", "T005")`); no module keeps a list.
            assert re.search(r'(?<!enabled)\("T004", "T005"\)|"P004", "T004", "T005"', text) is None, path
