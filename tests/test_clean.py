"""`loclint clean` removes loclint's own caches under the folders given, and nothing else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from loclint.cache import CACHE_TAG, CACHE_TAG_NAME


def _loclint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loclint", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def _cache(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / CACHE_TAG_NAME).write_text(CACHE_TAG, encoding="utf-8")
    (folder / "v1").mkdir()
    (folder / "v1" / "entry").write_bytes(b"x" * 1000)
    return folder


def test_a_cache_a_run_made_is_removed(tmp_path):
    (tmp_path / "de-DE").mkdir()
    (tmp_path / "fr-FR").mkdir()
    for locale in ("de-DE", "fr-FR"):
        (tmp_path / locale / "a.md").write_text(f"---\nms.contentlocale: {locale}\n---\nText 1.\n", encoding="utf-8")
    _loclint("check", ".", cwd=tmp_path)
    assert (tmp_path / ".loclint_cache" / CACHE_TAG_NAME).is_file()
    done = _loclint("clean", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "loclint: removed .loclint_cache (" in done.stderr
    assert not (tmp_path / ".loclint_cache").exists()
    assert (tmp_path / "de-DE" / "a.md").is_file()
    again = _loclint("clean", cwd=tmp_path)
    assert again.returncode == 0 and again.stderr == "loclint: no cache to remove\n"


def test_nested_caches_and_cache_dir_are_removed(tmp_path):
    _cache(tmp_path / "docs" / "site" / ".loclint_cache")
    _cache(tmp_path / "elsewhere" / "my-cache")
    done = _loclint("clean", "docs", "--cache-dir", "elsewhere/my-cache", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("loclint: removed ") == 2
    assert not (tmp_path / "docs" / "site" / ".loclint_cache").exists()
    assert not (tmp_path / "elsewhere" / "my-cache").exists()
    assert (tmp_path / "docs" / "site").is_dir()


def test_folders_that_are_not_loclint_caches_are_left_alone(tmp_path):
    """A folder of the name without loclint's tag, a symlink of the name to a folder outside,
    and a link inside a real cache: none is followed, nothing outside is removed."""
    outside = tmp_path / "outside"
    _cache(outside / "victim")  # even a tagged folder, when only reached through a link
    tree = tmp_path / "tree"
    stranger = tree / "a" / ".loclint_cache"
    stranger.mkdir(parents=True)
    (stranger / "notes.txt").write_text("mine", encoding="utf-8")
    (tree / "b").mkdir()
    (tree / "b" / ".loclint_cache").symlink_to(outside / "victim", target_is_directory=True)
    ours = _cache(tree / "c" / ".loclint_cache")
    (ours / "link").symlink_to(outside, target_is_directory=True)
    done = _loclint("clean", ".", cwd=tree)
    assert done.returncode == 0, done.stderr
    assert "left a/.loclint_cache: no loclint CACHEDIR.TAG: not a loclint cache" in done.stderr
    assert "left b/.loclint_cache: a symlink, not followed" in done.stderr
    assert "removed c/.loclint_cache" in done.stderr
    assert (stranger / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (outside / "victim" / "v1" / "entry").is_file()
    assert (tree / "b" / ".loclint_cache").is_symlink()
    assert not ours.exists()


def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path):
    _cache(tmp_path / ".loclint_cache")
    done = _loclint("clean", "nowhere", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert "loclint: error: nowhere: no such file or folder" in done.stderr
    assert not (tmp_path / ".loclint_cache").exists()
