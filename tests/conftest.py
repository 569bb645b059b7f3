import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# ../shared beside the checkout; LOCLINT_SHARED names it for a checkout kept elsewhere (a worktree).
SHARED = Path(os.environ.get("LOCLINT_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")
