"""Start-up: `loclint --version` answers without importing click or any check, and says what
click's version option says."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from loclint import __version__
from loclint.cli import main


def _run_python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout


def test_version_fast_path_imports_nothing_heavy():
    out = _run_python(
        "import sys\n"
        "sys.argv = ['loclint', '--version']\n"
        "from loclint.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('click', 'loclint.', 'regex', 'yaml'))))\n"
    )
    first, modules = out.splitlines()
    assert first == f"loclint, version {__version__}"
    assert modules == "['loclint.entry']"


def test_fast_path_prints_what_click_prints():
    fast = subprocess.run([sys.executable, "-m", "loclint", "-V"], capture_output=True, text=True)
    slow = CliRunner().invoke(main, ["--version"])
    assert fast.returncode == slow.exit_code == 0
    assert fast.stdout == slow.output


def test_other_command_lines_reach_click():
    result = subprocess.run([sys.executable, "-m", "loclint", "rule", "E001"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("# E001")


def test_shipped_patterns_compile_on_first_use_not_at_finish():
    from loclint import patterns
    from loclint.config import Settings

    patterns.shipped_patterns.cache_clear()
    settings = Settings().finish()
    assert settings.compiled_patterns is None
    assert patterns.shipped_patterns.cache_info().currsize == 0
    assert patterns.active_patterns(settings.compiled_patterns).number.search("v 42")
    assert patterns.shipped_patterns.cache_info().currsize == 1


def test_user_pattern_that_does_not_compile_still_fails_at_finish():
    import pytest

    from loclint.config import Settings
    from loclint.patterns import PatternError

    settings = Settings()
    settings.patterns = {"number": "(unclosed"}
    with pytest.raises(PatternError):
        settings.finish()


def test_importing_loclint_compiles_no_pattern():
    """Module-level patterns compile on first use (loclint/lazyre.py): a run pays only for those it uses."""
    out = _run_python(
        "import regex\n"
        "compiled = []\n"
        "original = regex.compile\n"
        "regex.compile = lambda *a, **k: compiled.append(a[0]) or original(*a, **k)\n"
        "import loclint.cli, loclint.engine, loclint.checks.families, loclint.checks.context, loclint.output.report\n"
        "import loclint.presets, loclint.shard, loclint.add_suppressions, loclint.output.github, loclint.output.junit\n"
        "print(len(compiled))\n"
    )
    assert out.strip() == "0"


def test_lazy_pattern_compiles_once_and_answers_as_the_pattern():
    import regex

    from loclint.lazyre import lazy_pattern

    lazy = lazy_pattern(r"(\d+)-(?P<word>\w+)", regex.IGNORECASE)
    assert "_compiled" not in vars(lazy)
    found = lazy.search("at 12-Ab")
    assert (found.group(1), found.group("word"), found.start()) == ("12", "Ab", 3)
    compiled = vars(lazy)["_compiled"]
    assert lazy.pattern == compiled.pattern and lazy.flags == compiled.flags
    assert [m.group() for m in lazy.finditer("1-a 2-b")] == ["1-a", "2-b"]
    assert lazy.sub("#", "1-a x") == "# x" and vars(lazy)["_compiled"] is compiled
    assert lazy.compiled() is compiled


def test_every_dataclass_has_a_docstring():
    """A dataclass without a docstring gets one made from `inspect.signature` when its module is
    imported: about 0.1 ms a class, paid on every start (the pre-commit case imports 60 of them)."""
    import ast
    from pathlib import Path

    def is_dataclass(decorator: ast.expr) -> bool:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        return isinstance(target, ast.Name) and target.id == "dataclass"

    package = Path(__file__).resolve().parents[1] / "loclint"
    missing = [
        f"{path.relative_to(package.parent)}:{node.lineno} {node.name}"
        for path in sorted(package.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and any(map(is_dataclass, node.decorator_list)) and ast.get_docstring(node) is None
    ]
    assert not missing, missing
