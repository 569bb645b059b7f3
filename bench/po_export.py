"""The corpus's bilingual segments as gettext PO files, for the peer (translate-toolkit's pofilter).

    python bench/po_export.py TREE PO_FOLDER

One PO file per Markdown file that holds segments: msgid is the English source span, msgstr the
translated target span, msgctxt the segment id, so pofilter checks exactly the pairs loclint does.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from loclint.parse import scan_segments  # noqa: E402 - after the path is set


def po_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"{escaped}"'
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{part}"' for part in parts)


def export(tree: Path, out: Path) -> dict:
    files = units = 0
    for path in sorted(tree.rglob("*.md")):
        segments = [s for s in scan_segments(path.read_bytes().decode("utf-8", errors="replace")).segments if s.source is not None]
        if not segments:
            continue
        entries = ['msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n']
        for segment in segments:
            entries.append(f"msgctxt {po_string(segment.id)}\nmsgid {po_string(segment.source)}\nmsgstr {po_string(segment.target)}\n")
        target = out / path.relative_to(tree).with_suffix(".po")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(entries), encoding="utf-8")
        files += 1
        units += len(segments)
    return {"po_files": files, "units": units}


if __name__ == "__main__":
    print(json.dumps(export(Path(sys.argv[1]), Path(sys.argv[2]))))
