import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import pytest  # noqa: E402

# ../shared beside the checkout; LOCLINT_SHARED points elsewhere (a git worktree one level deeper).
SHARED = Path(os.environ.get("LOCLINT_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")


@pytest.fixture(autouse=True)
def _private_user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache key (and anything else kept in the user's cache folder) goes to a fresh folder per
    test, never to the real `~/.cache`; subprocesses started by a test inherit it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
