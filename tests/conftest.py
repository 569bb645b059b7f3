import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import os

# ../shared beside the checkout; LOCLINT_SHARED points elsewhere (a git worktree one level deeper).
SHARED = Path(os.environ.get("LOCLINT_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")
