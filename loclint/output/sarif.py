"""`sarif`: SARIF 2.1.0, for GitHub code scanning and other security dashboards.

Rule metadata (name, summary, why, fix, default) comes from `rules/`, the one source of rule
documentation. Columns are counted in Unicode code points, as loclint counts them, and the run
says so (`columnKind`), so viewers do not misplace findings after non-ASCII text.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import quote

from loclint import __version__
from loclint.model import Diagnostic
from loclint.registry import Rule, all_rules

if TYPE_CHECKING:
    from loclint.results import RunResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"


def artifact_uri(path: str) -> str:
    """A relative URI reference for a relative path (code scanning resolves it against the
    repository root), a `file://` URI for an absolute one."""
    pure = PurePath(path)
    if pure.is_absolute():
        return "file://" + quote(pure.as_posix() if pure.as_posix().startswith("/") else "/" + pure.as_posix())
    return quote(pure.as_posix())


def rule_descriptor(rule: Rule) -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why or rule.summary},
        "help": {"text": rule.fix or rule.summary},
        "defaultConfiguration": {"enabled": rule.default, "level": "error"},
        "properties": {"tags": [rule.family_title], "fixSafety": rule.fix_safety},
    }


def sarif(diagnostics: list[Diagnostic], run: RunResult) -> str:
    rules = all_rules()
    index = {code: position for position, code in enumerate(rules)}
    results = []
    for d in diagnostics:
        result = {
            "ruleId": d.code,
            "level": "error",
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(d.path)},
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line,
                            "endColumn": max(d.end_column, d.column) if d.end_line == d.line else d.end_column,
                        },
                    }
                }
            ],
            "properties": {"locale": d.locale, "article": d.article, "subject": d.subject},
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    document = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "loclint",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/loclint/",
                        "rules": [rule_descriptor(rule) for rule in rules.values()],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
