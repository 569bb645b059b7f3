"""The `loclint` command line: `check` and `rule`. Exit 0 clean, 1 findings, 2 usage/config/internal error."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from loclint import __version__

class _LazyChoice(click.Choice):
    """A choice whose values are read only when an option is parsed or help is shown.

    The layouts and output formats live in modules that import most of loclint; reading them at
    start-up would make `loclint --version` and `loclint rule` pay for all of it.
    """

    def __init__(self, load) -> None:
        self._load = load
        super().__init__([])

    @property
    def choices(self):
        return list(self._load())

    @choices.setter
    def choices(self, value) -> None:
        pass  # always read from `load`


def _layouts():
    from loclint.config import LAYOUTS

    return LAYOUTS


def _formats():
    from loclint.output.report import FORMATS

    return FORMATS


class _Main(click.Group):
    """The command group, run so that Ctrl-C and SIGTERM stop it in one line (loclint/interrupt.py)."""

    def main(self, *args, **kwargs):
        from loclint.interrupt import Interrupted, exit_interrupted, stopping_on_signals

        try:
            with stopping_on_signals():
                return super().main(*args, **kwargs)
        except Interrupted as stopped:
            exit_interrupted(stopped)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="loclint")
def main() -> None:
    """loclint: checks every locale variant of an article together and reports what is inconsistent."""


class _SectionedCommand(click.Command):
    """A command whose `--help` lists its options under topic headings (click has one flat list).

    Options are placed by their name in `SECTIONS`; one not listed there still shows, under
    "Other options", so a new option is never hidden by a missing entry.
    """

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows: dict[str, list[tuple[str, str]]] = {title: [] for title in SECTIONS}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            title = next((title for title, names in SECTIONS.items() if param.name in names), "Other options")
            rows.setdefault(title, []).append(record)
        for title, records in rows.items():
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


# `check --help`, by topic. Keys are click's parameter names (the option's long name, `-` as `_`).
SECTIONS = {
    "Rule selection": ("select", "extend_select", "ignore", "since"),
    "Discovery": ("layout", "group_by", "source_locale", "exclude", "extend_exclude", "stdin_filename", "report_siblings", "siblings", "shard_spec", "show_files"),
    "Configuration": ("config_path", "isolated", "show_settings"),
    "Output": ("output_format", "output_file", "show_statistics", "quiet", "verbose", "color", "exit_zero", "watch"),
    "Fixes and suppressions": ("fix", "unsafe_fixes", "show_diff", "exit_non_zero_on_fix", "add_suppressions"),
    "Baseline": ("baseline_path", "write_baseline_path"),
    "Caching and speed": ("jobs", "no_cache", "cache_dir", "resident"),
}


@main.command(cls=_SectionedCommand)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", help="Comma-separated rule codes or prefixes to enable (replaces the defaults).")
@click.option("--extend-select", help="Codes or prefixes to enable in addition.")
@click.option("--ignore", help="Codes or prefixes to disable.")
@click.option("--layout", type=_LazyChoice(_layouts), help="How locale variants are laid out (a docs-site preset is detected with `auto`).")
@click.option("--group-by", metavar="KEY", help="Group loose files by this front-matter key (e.g. ms.assetid).")
@click.option("--source-locale", metavar="LOCALE", help="The locale parity is judged against when present (e.g. en-us).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Configuration file to use.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file: defaults and the command line only (a gate that must not trust the tree's settings).")
@click.option("--output-format", type=_LazyChoice(_formats), help="How to print findings (default: concise).")
@click.option("--output-file", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file instead of standard output.")
@click.option("--statistics", "show_statistics", is_flag=True, help="Print the number of findings per rule code instead of the findings.")
@click.option("--quiet", "-q", is_flag=True, help="Print the findings only: no summary line.")
@click.option("--show-settings", is_flag=True, help="Print the resolved configuration and where each value came from, then exit.")
@click.option("--show-files", is_flag=True, help="Print the article groups and locale variants that would be checked, then exit.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path), help="Report only findings that this baseline file does not record.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False, path_type=Path), help="Record every current finding in this baseline file, then exit 0.")
@click.option("--shard", "shard_spec", metavar="K/N", help="Check only the K-th of N parts of the article groups (for a CI matrix).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes to check article groups with (default: every core).")
@click.option("--no-cache", is_flag=True, help="Check every group afresh; neither read nor write the result cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Where the result cache lives (default: .loclint_cache).")
@click.option("--report-siblings", is_flag=True, default=None, help="Also report on sibling variants of the files named.")
@click.option("--siblings", "siblings", multiple=True, metavar="GLOB", help="Folders of the other locales, when they are not beside the checked one (e.g. '../Docs.*'); repeatable.")
@click.option("--since", "since", metavar="REV", help="Also report translations of source files changed in REV..HEAD that the range did not update (H005).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--fix", "fix", is_flag=True, help="Apply safe fixes to the files, then report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, apply unsafe fixes too (restoring a URL, number or code from the source).")
@click.option("--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff and write nothing; exit 1 when there is one.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="With --fix, exit 1 when any file was fixed, even if nothing is left.")
@click.option("--exclude", metavar="GLOBS", help="Comma-separated globs of files and folders to skip (replaces the configured list).")
@click.option("--extend-exclude", metavar="GLOBS", help="Globs to skip in addition to the configured ones.")
@click.option("--stdin-filename", metavar="PATH", help="Check the text on standard input as the file PATH; its sibling locales are read from disk.")
@click.option("--add-suppressions", is_flag=False, flag_value="", default=None, metavar="[REASON]", help="Write a suppression comment (with REASON, if given) for every current finding, where it cannot change the rendered page, then exit 0.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour the text formats (auto: on a terminal, unless NO_COLOR is set).")
@click.option("--verbose", "-v", is_flag=True, help="Say on standard error which settings, layout and groups the run uses, and the time of each phase.")
@click.option("--resident", is_flag=True, help="Hand the check to a resident loclint process kept warm between runs (for pre-commit; never with CI set); the first run starts it.")
@click.option("--watch", is_flag=True, help="Check again whenever a checked file changes (Ctrl-C ends it).")
def check(**options):
    """Check the article groups found under PATHS (default: the current folder)."""
    from loclint import commands

    sys.exit(commands.check(commands.Options(**options)))


@main.command()
def server():
    """Run a language server over standard input and output (LSP): diagnostics on open and save,
    quick fixes for safe fixes. Needs the `lsp` extra (pygls)."""
    from loclint.server import serve

    sys.exit(serve())


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Also remove this cache folder (as given to `check --cache-dir`).")
def clean(paths, cache_dir):
    """Remove loclint's result caches (`.loclint_cache/`) under PATHS (default: the current folder).

    Only folders loclint marked as its cache are removed; symlinks are not followed."""
    from loclint.clean import clean as remove_caches
    from loclint.output.common import safe_path

    outcome = remove_caches(list(paths) or ["."], cache_dir)
    for path in outcome.missing:
        click.echo(f"loclint: error: {safe_path(path)}: no such file or folder", err=True)
    for folder, why in outcome.left:
        click.echo(f"loclint: left {safe_path(folder)}: {why}", err=True)
    if not outcome.removed:
        click.echo("loclint: no cache to remove", err=True)
    for folder, size in outcome.removed:
        click.echo(f"loclint: removed {safe_path(folder)} ({size / 1e6:.1f} MB)", err=True)
    if outcome.missing:
        sys.exit(2)  # as `check` exits on a path that does not exist


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
        sys.exit(2)  # usage error, as `check` exits on one
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
