"""Builds real git repositories for the history tests: files written, committed at set dates."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from fixture_tree import write_tree

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


class GitTree:
    """A work tree at `root`; each `commit` is one second-precise day later than the previous."""

    def __init__(self, root: Path, start_day: int = 1) -> None:
        self.root = root
        self.day = start_day
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        stamp = f"2026-05-{self.day:02d}T12:00:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
               "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_CONFIG_NOSYSTEM": "1",
               "HOME": str(self.root)}
        done = subprocess.run([GIT, "-C", str(self.root), *args], env=env, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def write(self, files: dict[str, str]) -> None:
        """Texts as given (no default front matter); `{{103: target || source}}` segments expanded."""
        write_tree(self.root, {relative: {"bare": text} for relative, text in files.items()})

    def commit(self, message: str, files: dict[str, str]) -> str:
        self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        self.day += 1
        return self.git("rev-parse", "HEAD")
