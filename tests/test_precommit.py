"""The pre-commit hook, run by the real `pre-commit` package against this checkout.

pre-commit installs a hook repository at a commit, so the working tree (with whatever is not
committed yet) is copied into a temporary git repository and committed there. A second temporary
repository holds a three-locale article: a staged defect makes the hook fail with the expected
code, first through `pre-commit try-repo`, then as an installed hook blocking `git commit`; the
fix passes the installed hook and is committed.

Installing the hook builds a virtual environment and pip-installs loclint and its dependencies
into it, so this test needs the package index (it is skipped when that is unreachable).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fixture_tree import write_tree

REPO = Path(__file__).resolve().parents[1]
HOOK_FILES = ("loclint", "rules", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "LICENSE")
OFFLINE = ("Temporary failure in name resolution", "NewConnectionError", "No matching distribution found", "Network is unreachable")

DE = "{{103: Bis zu 1000 Benutzer. || Up to 1000 users.}}\n"
FR = "{{103: Jusqu'à 1000 utilisateurs. || Up to 1000 users.}}\n"
RO_FIXED = "{{103: Până la 1000 de utilizatori. || Up to 1000 users.}}\n"


def _pre_commit() -> list[str] | None:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "pre_commit"]


PRE_COMMIT = _pre_commit()
NEEDS_GIT = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
NEEDS_PRE_COMMIT = pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (pip install -e '.[test]')")


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_AUTHOR_NAME="loclint test", GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="loclint test", GIT_COMMITTER_EMAIL="test@example.invalid",
        GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
    )
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args], cwd=cwd, env=env, capture_output=True, text=True)


def _ok(process: subprocess.CompletedProcess) -> str:
    assert process.returncode == 0, process.stdout + process.stderr
    return process.stdout


def _hook_repo(tmp_path: Path, env: dict[str, str]) -> tuple[Path, str]:
    hook = tmp_path / "hook-repo"
    hook.mkdir()
    for name in HOOK_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, hook / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_rules"))
        elif source.is_file():
            shutil.copy2(source, hook / name)
    _ok(_git(hook, env, "init", "-q"))
    _ok(_git(hook, env, "add", "-A"))
    _ok(_git(hook, env, "commit", "-q", "-m", "loclint under test"))
    return hook, _ok(_git(hook, env, "rev-parse", "HEAD")).strip()


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    process = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    output = process.stdout + process.stderr
    if process.returncode != 0 and any(marker in output for marker in OFFLINE):
        pytest.skip("pre-commit could not install the hook environment: the package index is unreachable")
    return process.returncode, output


@NEEDS_GIT
@NEEDS_PRE_COMMIT
def test_hook_blocks_a_defect_and_passes_the_fix(tmp_path: Path):
    env = _env(tmp_path)
    hook, rev = _hook_repo(tmp_path, env)
    work = tmp_path / "docs-repo"
    work.mkdir()
    _ok(_git(work, env, "init", "-q"))
    write_tree(work, {"de-DE/a.md": DE, "fr-FR/a.md": FR, "ro-RO/a.md": RO_FIXED})
    (work / "loclint.toml").write_text('extend-select = ["P001"]\n', encoding="utf-8")  # off by default
    _ok(_git(work, env, "add", "-A"))
    _ok(_git(work, env, "commit", "-q", "-m", "article in three locales"))

    defect = work / "ro-RO/a.md"
    defect.write_text(defect.read_text(encoding="utf-8").replace("la 1000", "la 100"), encoding="utf-8")
    _ok(_git(work, env, "add", "ro-RO/a.md"))

    # 1. try-repo: the staged defect fails the hook, with the finding's position and code.
    code, output = _run([*PRE_COMMIT, "try-repo", str(hook), "loclint", "--ref", rev], work, env)
    assert code == 1, output
    assert "ro-RO/a.md:7:39: P001" in output, output

    # 2. Installed as a git hook from the same commit: `git commit` is refused.
    (work / ".pre-commit-config.yaml").write_text(f"repos:\n  - repo: {hook.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: loclint\n", encoding="utf-8")
    code, output = _run([*PRE_COMMIT, "install"], work, env)
    assert code == 0, output
    _ok(_git(work, env, "add", ".pre-commit-config.yaml"))
    refused = _git(work, env, "commit", "-m", "a defect")
    assert refused.returncode != 0, refused.stdout + refused.stderr
    assert "P001" in refused.stdout + refused.stderr

    # 3. The fix passes the installed hook and is committed. (Not through try-repo again: it
    # builds the hook's environment afresh on every call, the slowest step of this test.)
    # (Worded anew, so the file differs from the committed one and is staged.)
    defect.write_text(defect.read_text(encoding="utf-8").replace("la 100 de ", "la 1000 "), encoding="utf-8")
    _ok(_git(work, env, "add", "ro-RO/a.md"))
    committed = _git(work, env, "commit", "-m", "the fix")
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert "loclint" in committed.stdout + committed.stderr and "Passed" in committed.stdout + committed.stderr
    assert _ok(_git(work, env, "status", "--porcelain")) == ""


def test_readme_snippet_names_the_shipped_hook():
    import yaml

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("<!-- section:pre-commit -->") :]
    snippet = yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in snippet["repos"][0]["hooks"]] == ["loclint"]
    assert [hook["id"] for hook in hooks] == ["loclint", "loclint-resident"]
    assert [hook["entry"] for hook in hooks] == ["loclint check", "loclint check --resident"]
    assert all(hook["types"] == ["markdown"] and hook["require_serial"] for hook in hooks)
    assert "`loclint-resident`" in section


@NEEDS_GIT
@NEEDS_PRE_COMMIT
def test_hook_passes_a_commit_of_readme_and_a_template_beside_a_locale_file(tmp_path: Path):
    """pre-commit names README.md and a PR template with the article: they are not localized
    articles, so they are skipped (no E003 for their missing front matter), and the article is
    still judged against its siblings."""
    env = _env(tmp_path)
    hook, rev = _hook_repo(tmp_path, env)
    work = tmp_path / "docs-repo"
    work.mkdir()
    _ok(_git(work, env, "init", "-q"))
    write_tree(work, {"de-DE/a.md": DE, "fr-FR/a.md": FR, "ro-RO/a.md": RO_FIXED})
    (work / "README.md").write_text("# Docs\n\nHow to contribute.\n", encoding="utf-8")
    (work / ".github").mkdir()
    (work / ".github/pull_request_template.md").write_text("## What changed\n", encoding="utf-8")
    _ok(_git(work, env, "add", "-A"))
    code, output = _run([*PRE_COMMIT, "try-repo", str(hook), "loclint", "--ref", rev], work, env)
    assert code == 0, output
    assert "E003" not in output and "Passed" in output, output


@NEEDS_GIT
@NEEDS_PRE_COMMIT
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the resident server needs fork and Unix sockets")
def test_the_resident_hook_reports_as_the_plain_one(tmp_path: Path):
    """`loclint-resident`: the first commit's run starts the server, the next is served by it;
    both report the defect the same way."""
    import signal
    import tempfile

    env = _env(tmp_path)
    private = Path(tempfile.mkdtemp(prefix="ll-", dir="/tmp" if os.path.isdir("/tmp") else None))  # short: a socket path fits 108 bytes
    env["XDG_CACHE_HOME"] = str(private)
    env.pop("CI", None)
    hook, rev = _hook_repo(tmp_path, env)
    work = tmp_path / "docs-repo"
    work.mkdir()
    _ok(_git(work, env, "init", "-q"))
    write_tree(work, {"de-DE/a.md": DE, "fr-FR/a.md": FR, "ro-RO/a.md": RO_FIXED.replace("la 1000", "la 100")})
    (work / "loclint.toml").write_text('extend-select = ["P001"]\n', encoding="utf-8")
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: loclint-resident\n", encoding="utf-8"
    )
    _ok(_git(work, env, "add", "-A"))
    try:
        runs = [_run([*PRE_COMMIT, "run", "--files", "ro-RO/a.md"], work, env) for _ in range(3)]
        servers = list(private.glob("loclint/resident-*.sock"))
        assert len(servers) == 1, "the first run did not start a server"
    finally:
        for lock in private.glob("loclint/resident-*.lock"):
            try:
                os.kill(int(lock.read_text().split()[0]), signal.SIGKILL)
            except (OSError, ValueError, IndexError):
                pass
        shutil.rmtree(private, ignore_errors=True)
    for code, output in runs:
        assert code == 1, output
        assert "ro-RO/a.md:7:39: P001" in output, output
    assert runs[1][1] == runs[2][1]
