"""The `loclint` command line: `check` and `rule`. Exit 0 clean, 1 findings, 2 usage/config/internal error."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from loclint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="loclint")
def main() -> None:
    """loclint: checks every locale variant of an article together and reports what is inconsistent."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", help="Comma-separated rule codes or prefixes to enable (replaces the defaults).")
@click.option("--extend-select", help="Codes or prefixes to enable in addition.")
@click.option("--ignore", help="Codes or prefixes to disable.")
@click.option("--layout", type=click.Choice(["auto", "locale-folders", "sibling-repos", "loose"]), help="How locale variants are laid out.")
@click.option("--group-by", metavar="KEY", help="Group loose files by this front-matter key (e.g. ms.assetid).")
@click.option("--source-locale", metavar="LOCALE", help="The locale parity is judged against when present (e.g. en-us).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Configuration file to use.")
@click.option("--output-format", type=click.Choice(["concise", "json"]), help="How to print findings.")
@click.option("--report-siblings", is_flag=True, default=None, help="Also report on sibling variants of the files named.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
def check(paths, select, extend_select, ignore, layout, group_by, source_locale, config_path, output_format, report_siblings, exit_zero):
    """Check the article groups found under PATHS (default: the current folder)."""
    from loclint.config import ConfigError, load_settings
    from loclint.engine import run
    from loclint.output import FORMATS, summary
    from loclint.patterns import PatternError

    overrides = {
        "select": _codes(select),
        "extend-select": _codes(extend_select),
        "ignore": _codes(ignore),
        "layout": layout,
        "group-by": group_by,
        "source-locale": source_locale,
        "output-format": output_format,
        "report-siblings": report_siblings,
    }
    try:
        settings = load_settings(config_path, overrides, Path.cwd())
    except (ConfigError, PatternError) as exc:
        click.echo(f"loclint: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    result = run(list(paths) or ["."], settings)
    for missing in result.missing_paths:
        click.echo(f"loclint: error: {missing}: no such file or folder", err=True)
    diagnostics = result.diagnostics
    click.echo(FORMATS[settings.output_format](diagnostics, result), nl=False)
    if settings.output_format == "concise":
        click.echo(summary(diagnostics, result))
    if result.missing_paths:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if diagnostics and not exit_zero else EXIT_CLEAN)


@main.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="List every rule.")
def rule(code, show_all):
    """Explain a rule: what it reports, why, an example and how to fix it."""
    from loclint.registry import all_rules

    rules = all_rules()
    if show_all or not code:
        for item in rules.values():
            state = "" if item.default else "  (off by default)"
            click.echo(f"{item.code}  {item.name:<28} {item.summary}{state}")
        return
    item = rules.get(code.upper())
    if item is None:
        click.echo(f"loclint: error: unknown rule code `{code}` (see `loclint rule --all`)", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(render_rule(item))


def render_rule(item) -> str:
    parts = [
        f"# {item.code} {item.name} ({item.family_title})",
        "",
        item.summary,
        "",
        f"Enabled by default: {'yes' if item.default else 'no'}. Fix: {item.fix_safety}.",
        "",
        "## Why",
        item.why,
        "",
        "## Example",
        item.bad,
        "",
        "## Use instead",
        item.good,
        "",
        "## How to fix",
        item.fix,
    ]
    return "\n".join(parts)
