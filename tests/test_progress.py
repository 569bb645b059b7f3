"""The progress line: on a terminal after a second, never in CI, never on a pipe or stdout."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from fixture_tree import write_tree
from loclint.progress import Progress, wanted


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _progress(environ=None):
    stream, clock = _Terminal(), _Clock()
    return Progress(stream, environ or {}, clock), stream, clock


def test_nothing_in_the_first_second_then_done_total_and_rate():
    progress, stream, clock = _progress()
    progress.start(400)
    clock.now += 0.5
    progress.advance(100)
    assert stream.getvalue() == ""
    clock.now += 1.5  # 2 s in, 200 files done
    progress.advance(100)
    assert stream.getvalue() == "\rloclint: 200 / 400 files (100 files/s)"


def test_redrawn_at_most_ten_times_a_second_and_wiped_at_the_end():
    progress, stream, clock = _progress()
    progress.start(3)
    clock.now += 2
    progress.advance(1)
    clock.now += 0.01
    progress.advance(1)  # too soon: not redrawn
    assert stream.getvalue().count("\r") == 1
    progress.finish()
    line = "loclint: 1 / 3 files (0 files/s)"
    assert stream.getvalue() == f"\r{line}\r{' ' * len(line)}\r"


def test_never_in_ci_nor_on_a_pipe():
    assert not wanted(_Terminal(), {"CI": "true"})
    assert wanted(_Terminal(), {"CI": "false"})
    assert not wanted(io.StringIO(), {})
    progress, stream, clock = _progress({"CI": "1"})
    progress.start(10)
    clock.now += 5
    progress.advance(10)
    progress.finish()
    assert stream.getvalue() == ""


def test_a_piped_run_prints_no_progress(tmp_path: Path):
    """stderr and stdout are pipes here: byte for byte what the run prints without the feature."""
    write_tree(tmp_path, {"de-DE/a.md": "{{103: Port 8080 öffnen. || Open port 8080.}}\n",
                          "fr-FR/a.md": "{{103: Ouvrez le port. || Open port 8080.}}\n"})
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    result = subprocess.run([sys.executable, "-m", "loclint", "check", "--no-cache", "."], cwd=tmp_path,
                            capture_output=True, text=True, env=env)
    assert "\r" not in result.stderr and "\r" not in result.stdout
    assert "files/s" not in result.stderr + result.stdout
