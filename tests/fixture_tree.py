"""Builds the file trees that rule fixtures describe, with a shorthand for bilingual segments.

In a fixture file's text, `{{103: target || source}}` becomes the full pair
`<span data-ttu-id="P-103">target</span><span class="sxs-lookup"><span data-stu-id="P-103">source</span></span>`
where P is a per-file prefix (`a0001`, `a0002`, ... in the order the files are listed).
A file whose text does not start with `---` gets the default front matter below (6 lines, so its
body starts on line 7), with `ms.contentlocale` taken from its locale folder.

Besides text, a file's value can be bytes (a YAML `!!binary`, written as is, for encoding and
binary-file cases) or a mapping for what plain text cannot express:
- `{dir: true}`: a directory at that path (a folder named like an article, for E001);
- `{bare: TEXT}`: TEXT with the shorthand expanded but no default front matter added, for files
  whose front matter is missing or does not start the file (E003);
- `{symlink: TARGET}`: a symbolic link to TARGET (E009); `{fifo: true}`: a named pipe (E010).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

DEFAULT_FRONT_MATTER = """---
title: Fixture article
ms.assetid: 4f670a84-a2b8-48ce-b0aa-a9ada3bad066
ms.sourcegitcommit: 55eff703a17e500681d8fa6a87eb067019ade3cc
ms.contentlocale: {locale}
---
"""
_SHORTHAND = re.compile(r"\{\{([\w-]+):\s?(.*?)\s?\|\|\s?(.*?)\s?\}\}", re.DOTALL)
_LOCALE_DIR = re.compile(r"[a-z]{2,3}(?:-[a-z]{4})?-(?:[a-z]{2}|\d{3})", re.IGNORECASE)


def _pair(prefix: str):
    def pair(match: re.Match) -> str:
        ident = f"{prefix}-{match.group(1)}"
        return (
            f'<span data-ttu-id="{ident}">{match.group(2)}</span>'
            f'<span class="sxs-lookup"><span data-stu-id="{ident}">{match.group(3)}</span></span>'
        )

    return pair


def expand(text: str, prefix: str, locale: str) -> str:
    body = _SHORTHAND.sub(_pair(prefix), text)
    if not body.startswith("---") and not body.startswith("\ufeff"):
        body = DEFAULT_FRONT_MATTER.format(locale=locale) + body
    return body


def write_tree(root: Path, files: dict[str, str | bytes | dict]) -> list[Path]:
    written = []
    for index, (relative, content) in enumerate(files.items(), start=1):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        prefix = f"a{index:04d}"
        if isinstance(content, dict) and content.get("dir"):
            path.mkdir()
        elif isinstance(content, dict) and "symlink" in content:
            path.symlink_to(content["symlink"])
        elif isinstance(content, dict) and content.get("fifo"):
            os.mkfifo(path)
        elif isinstance(content, dict):
            path.write_bytes(_SHORTHAND.sub(_pair(prefix), content["bare"]).encode("utf-8"))
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            locale = next((part for part in Path(relative).parts if _LOCALE_DIR.fullmatch(part)), "en-US")
            path.write_bytes(expand(content, prefix, locale).encode("utf-8"))
        written.append(path)
    return written


def tree_in_docs(tmp_path: Path, monkeypatch, files: dict[str, str | bytes | dict]) -> Path:
    """Write `files` under `tmp_path/docs` and make it the working folder for the test (undone
    by `monkeypatch`): the tree a fixture hands to tests that run `loclint check` from inside."""
    root = tmp_path / "docs"
    write_tree(root, files)
    monkeypatch.chdir(root)
    return root


def check_tree(root: Path, files: dict[str, str | bytes | dict], overrides: dict):
    """Write `files` under `root` and check it from inside (as `loclint check .`), settings from
    `overrides` only: the run's RunResult."""
    from loclint.config import load_settings
    from loclint.engine import run

    write_tree(root, files)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return run(["."], load_settings(None, overrides, root))
    finally:
        os.chdir(cwd)
