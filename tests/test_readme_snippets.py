"""The README's snippets work when pasted.

Convention (README, Usage): a ```sh block preceded by `<!-- snippet: run -->` or
`<!-- snippet: run, exit N -->` runs offline in a checkout. Every line of it is run with bash in a
copy of the repository's examples and README, with this environment's `loclint` on PATH, and must
exit 0 (or N). The pre-commit `repo: local` snippet is run through the real pre-commit.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fixture_tree import write_tree

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
MARKED = re.compile(r"<!-- snippet: run(?:, exit (\d+))? -->\n```sh\n(.*?)```", re.DOTALL)
BIN = str(Path(sys.executable).parent)


def _snippets() -> list[tuple[str, int]]:
    found = []
    for match in MARKED.finditer(README):
        for line in match.group(2).splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                found.append((line, int(match.group(1) or 0)))
    return found


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    return env


def test_the_readme_marks_its_runnable_snippets():
    commands = [line for line, _ in _snippets()]
    assert len(commands) >= 4, commands
    assert any(line.startswith("loclint check examples/") for line in commands)


@pytest.mark.skipif(shutil.which("loclint", path=BIN) is None, reason="loclint is not installed in this environment")
@pytest.mark.parametrize(("line", "status"), _snippets())
def test_a_marked_readme_snippet_runs(tmp_path: Path, line: str, status: int):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    shutil.copy2(REPO / "README.md", tmp_path / "README.md")
    done = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == status, (line, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr


def test_examples_readme_runs_the_real_command():
    text = (REPO / "examples" / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.*?)```", text, re.DOTALL)
    assert commands == ["loclint check examples/\n"]


def test_the_license_the_metadata_names_is_there():
    assert 'license = "MIT"' in (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def _yaml_blocks(section: str) -> list[dict]:
    part = README[README.index(f"<!-- section:{section} -->"):]
    part = part[: part.index("<!-- section:", 10)]
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", part, re.DOTALL)]


def test_the_remote_hook_snippet_pins_a_commit_not_a_missing_tag():
    remote = _yaml_blocks("pre-commit")[0]["repos"][0]
    assert re.fullmatch(r"[0-9a-f]{40}", str(remote["rev"])), remote["rev"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_local_hook_snippet_runs_through_pre_commit(tmp_path: Path):
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install -e '.[test]')")
    config = next(block for block in _yaml_blocks("pre-commit") if block["repos"][0]["repo"] == "local")
    env = _env()
    env.update(PRE_COMMIT_HOME=str(tmp_path / "home"), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    work = tmp_path / "docs"
    write_tree(work, {"de-DE/a.md": "{{103: Bis zu 1000 Benutzer. || Up to 1000 users.}}\n",
                      "fr-FR/a.md": "{{103: Jusqu'à 1000 utilisateurs. || Up to 1000 users.}}\n"})
    (work / "README.md").write_text("# Docs\n", encoding="utf-8")
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=work, env=env, check=True)
    subprocess.run(["git", "add", "-A"], cwd=work, env=env, check=True)
    done = subprocess.run([sys.executable, "-m", "pre_commit", "run"], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Passed" in done.stdout, done.stdout + done.stderr
