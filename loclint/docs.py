"""The README's rule table, generated from `rules/` so the two never disagree.

`python -m loclint.docs` rewrites the table between the markers in README.md; a test fails when
the README is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from loclint.registry import all_rules, families

START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"


def rules_table() -> str:
    titles = families()
    rows = ["| code | name | what it reports | default | fix |", "| --- | --- | --- | --- | --- |"]
    family = None
    for rule in all_rules().values():
        if rule.family != family:
            family = rule.family
            rows.append(f"| **{family}** | **{titles.get(family, family)}** | | | |")
        summary = rule.summary.replace("|", "\\|")
        rows.append(
            f"| `{rule.code}` | {rule.name} | {summary} | {'on' if rule.default else 'off'} | {rule.fix_safety} |"
        )
    return "\n".join(rows)


def with_table(readme: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{rules_table()}\n{END}{tail}"


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("README.md")
    text = path.read_text(encoding="utf-8")
    updated = with_table(text)
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        print(f"updated the rule table in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
