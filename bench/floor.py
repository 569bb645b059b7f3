"""The floor: what merely reading the corpus and scanning it once costs.

    python bench/floor.py TREE

Reads every `*.md` file under TREE, decodes it and runs one compiled pattern over it: the span-tag
pattern loclint's parser scans segments with. No checking is that cheap, so `loclint check` is
quoted as a multiple of this. Prints the files, bytes and segments it saw as JSON, which the
benchmark also uses to turn times into throughput.
"""

from __future__ import annotations

import json
import os
import sys

import regex

SPAN_TAG = regex.compile(r"<span\b([^<>]*)>|</span\s*>", regex.IGNORECASE)


def scan(top: str) -> dict:
    files = size = tags = segments = 0
    for folder, dirs, names in os.walk(top):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(folder, name), "rb") as handle:
                data = handle.read()
            files += 1
            size += len(data)
            for match in SPAN_TAG.finditer(data.decode("utf-8", errors="replace")):
                tags += 1
                attributes = match.group(1)
                segments += attributes is not None and "data-ttu-id" in attributes
    return {"files": files, "bytes": size, "tags": tags, "segments": segments}


if __name__ == "__main__":
    print(json.dumps(scan(sys.argv[1])))
