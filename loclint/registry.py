"""The rule table: every rule's metadata, read from the data files in `rules/`.

`rules/` is the one source of a rule's code, name, default and documentation; the checks in
`loclint/checks/` declare which codes they implement, and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FAMILY_FILES = ("E.yaml", "M.yaml", "S.yaml", "B.yaml", "P.yaml", "T.yaml", "W.yaml", "H.yaml", "X.yaml")


def rules_dir() -> Path:
    """`loclint/_rules` in an installed wheel; the repository's top-level `rules/` in a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "_rules"
    return installed if installed.is_dir() else here.parent / "rules"


def load_data_file(name: str) -> dict[str, Any]:
    """The loaded contents of `rules/<name>` (shared: callers copy before they change it)."""
    return _rules_data()[name]


@cache
def _rules_data() -> dict[str, dict[str, Any]]:
    """Every YAML file of `rules/`, by name: from this user's snapshot of them when it is theirs
    and the files are unchanged, else loaded (about 15 ms of YAML, a twentieth of a pre-commit
    run) and the snapshot written for the next run."""
    folder = rules_dir()
    names = sorted(path.name for path in folder.iterdir() if path.suffix == ".yaml")
    from loclint import snapshot

    stamp = snapshot.stamp([folder / name for name in names])
    # One snapshot per rules folder: a checkout and an installed copy do not overwrite each other's.
    kept_as = f"rules-data-{snapshot.folder_tag(folder)}"
    data = snapshot.load(kept_as, stamp)
    if data is None:
        data = {name: _load_yaml(folder / name) for name in names}
        snapshot.save(kept_as, stamp, data)
    return data


def _load_yaml(path: Path) -> dict[str, Any]:
    import yaml

    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # noqa: S506 - a safe loader


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule's metadata and documentation, read from rules/*.yaml."""

    code: str
    name: str
    family: str
    family_title: str
    summary: str
    default: bool
    why: str
    bad: str
    good: str
    fix: str
    fix_safety: str  # none, safe or unsafe
    precision: str | None = None  # judged precision on the corpus, where measured


@cache
def all_rules() -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for file_name in FAMILY_FILES:
        data = load_data_file(file_name)
        for entry in data["rules"]:
            example = entry.get("example") or {}
            rule = Rule(
                code=entry["code"],
                name=entry["name"],
                family=data["family"],
                family_title=data["title"],
                summary=" ".join(str(entry["summary"]).split()),
                default=bool(entry.get("default", True)),
                why=str(entry.get("why", "")).strip(),
                bad=str(example.get("bad", "")).rstrip(),
                good=str(example.get("good", "")).rstrip(),
                fix=str(entry.get("fix", "")).strip(),
                fix_safety=str(entry.get("fix-safety", "none")),
                precision=entry.get("precision"),
            )
            table[rule.code] = rule
    return dict(sorted(table.items()))


def families() -> dict[str, str]:
    return {load_data_file(name)["family"]: load_data_file(name)["title"] for name in FAMILY_FILES}


class SelectionError(ValueError):
    """A selector that names no rule."""


def expand(selector: str) -> set[str]:
    """`ALL`, a family (`P`), a prefix (`P0`) or a code (`P004`) to the codes it names."""
    selector = selector.strip().upper()
    codes = {code for code in all_rules() if selector == "ALL" or code.startswith(selector)}
    if not codes:
        raise SelectionError(f"unknown rule code or prefix `{selector}` (see `loclint rule --all`)")
    return codes


def resolve(select: list[str] | None, extend_select: list[str], ignore: list[str]) -> frozenset[str]:
    """The enabled codes, ruff-style: `select` replaces the defaults, `extend-select` adds, `ignore` removes.

    A more specific selector wins over a less specific one, so `ignore = ["P"]` with
    `select = ["P004"]` keeps P004.
    """
    rules = all_rules()
    choices: dict[str, tuple[int, bool]] = {}  # code -> (specificity, enabled)
    if select is None:
        for code, rule in rules.items():
            choices[code] = (0, rule.default)
    else:
        for code in rules:
            choices[code] = (0, False)

    def apply(selectors: list[str], enabled: bool) -> None:
        for selector in selectors:
            specificity = 0 if selector.upper() == "ALL" else len(selector)
            for code in expand(selector):
                if specificity >= choices[code][0]:
                    choices[code] = (specificity, enabled)

    apply(select or [], True)
    apply(extend_select, True)
    apply(ignore, False)
    return frozenset(code for code, (_, enabled) in choices.items() if enabled)
