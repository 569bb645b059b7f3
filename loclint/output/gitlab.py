"""`gitlab`: a GitLab Code Quality report (a JSON array of issues) for merge request widgets.

GitLab matches issues between the base and the head of a merge request by `fingerprint`, so the
fingerprint leaves out line numbers (an edit above a finding must not make it look new) and is
made unique by counting repeats of the same finding in the same file.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import PurePath
from typing import TYPE_CHECKING

from loclint.model import Diagnostic

if TYPE_CHECKING:
    from loclint.results import RunResult


def fingerprint(d: Diagnostic, occurrence: int) -> str:
    identity = "\0".join([PurePath(d.path).as_posix(), d.code, d.subject or "", d.message, str(occurrence)])
    return hashlib.blake2b(identity.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def gitlab(diagnostics: list[Diagnostic], run: RunResult) -> str:
    seen: Counter[tuple[str, str, str | None, str]] = Counter()
    issues = []
    for d in diagnostics:
        identity = (d.path, d.code, d.subject, d.message)
        seen[identity] += 1
        issues.append(
            {
                "description": f"{d.code} {d.message}",
                "check_name": d.code,
                "fingerprint": fingerprint(d, seen[identity]),
                "severity": "major",
                "location": {
                    "path": PurePath(d.path).as_posix(),
                    "positions": {
                        "begin": {"line": d.line, "column": d.column},
                        "end": {"line": d.end_line, "column": d.end_column},
                    },
                },
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
