"""The `loclint` command line: `check` and `rule`. Exit 0 clean, 1 findings, 2 usage/config/internal error."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from loclint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


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
    from loclint.output import FORMATS

    return FORMATS


def _codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", help="Comma-separated rule codes or prefixes to enable (replaces the defaults).")
@click.option("--extend-select", help="Codes or prefixes to enable in addition.")
@click.option("--ignore", help="Codes or prefixes to disable.")
@click.option("--layout", type=_LazyChoice(_layouts), help="How locale variants are laid out (a docs-site preset is detected with `auto`).")
@click.option("--group-by", metavar="KEY", help="Group loose files by this front-matter key (e.g. ms.assetid).")
@click.option("--source-locale", metavar="LOCALE", help="The locale parity is judged against when present (e.g. en-us).")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Configuration file to use.")
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
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--fix", "fix", is_flag=True, help="Apply safe fixes to the files, then report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, apply unsafe fixes too (restoring a URL, number or code from the source).")
@click.option("--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff and write nothing; exit 1 when there is one.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="With --fix, exit 1 when any file was fixed, even if nothing is left.")
def check(paths, select, extend_select, ignore, layout, group_by, source_locale, config_path, output_format, output_file, show_statistics, quiet, show_settings, show_files, baseline_path, write_baseline_path, shard_spec, jobs, no_cache, cache_dir, report_siblings, exit_zero, fix, unsafe_fixes, show_diff, exit_non_zero_on_fix):
    """Check the article groups found under PATHS (default: the current folder)."""
    from loclint.baseline import (
        BaselineError,
        from_diagnostics,
        load_baseline,
        write_baseline,
    )
    from loclint.config import ConfigError, load_settings
    from loclint.engine import run
    from loclint.parallel import WorkerDied
    from loclint.output import HUMAN_FORMATS, render, statistics, summary, wants_color
    from loclint.patterns import PatternError
    from loclint.shard import ShardError, parse_shard

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
        shard = parse_shard(shard_spec) if shard_spec else None
        # Writing a baseline records every finding, so an existing baseline is not applied then.
        baseline = load_baseline(baseline_path) if baseline_path and not write_baseline_path else None
    except (ConfigError, PatternError, ShardError, BaselineError) as exc:
        click.echo(f"loclint: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    paths = list(paths) or ["."]
    if show_settings or show_files:
        from loclint import explain
    if show_settings:
        click.echo(explain.settings_report(settings, shard, baseline_path))
        click.echo(_layout_report(paths, settings))
        sys.exit(EXIT_CLEAN)
    if show_files:
        click.echo(explain.files_report(paths, settings, shard), nl=False)
        sys.exit(EXIT_CLEAN)
    speed = _speed_options(settings, jobs, no_cache, cache_dir)
    fixed = None
    try:
        if fix or show_diff:
            fixed = _fix(paths, settings, lambda: run(paths, settings, shard=shard, baseline=baseline, **speed), unsafe_fixes, show_diff)
            result = fixed.result
        else:
            result = run(paths, settings, shard=shard, baseline=baseline, **speed)
    except PatternError as exc:  # a user pattern that ran away on some text: a configuration problem
        click.echo(f"loclint: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except WorkerDied as exc:  # never a silent loss of a group's findings
        click.echo(f"loclint: error: {_shown(str(exc))}", err=True)
        sys.exit(EXIT_ERROR)
    if show_diff:
        click.echo(fixed.diff, nl=False)
        sys.exit(EXIT_ERROR if fixed.refused else EXIT_FINDINGS if fixed.diff else EXIT_CLEAN)
    for missing in result.missing_paths:
        click.echo(f"loclint: error: {_shown(missing)}: no such file or folder", err=True)
    diagnostics = result.diagnostics
    if write_baseline_path:
        try:
            entries = write_baseline(write_baseline_path, from_diagnostics(diagnostics))
        except BaselineError as exc:
            click.echo(f"loclint: error: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        click.echo(f"loclint: wrote {entries} baseline entries ({len(diagnostics)} findings) to {write_baseline_path}", err=True)
        sys.exit(EXIT_ERROR if result.missing_paths else EXIT_CLEAN)
    fmt = settings.output_format
    if show_statistics:
        report = statistics(diagnostics, result, as_json=fmt in ("json", "json-lines"))
    else:
        report = render(fmt, diagnostics, result, color=wants_color(sys.stdout, output_file is not None))
        if fmt in HUMAN_FORMATS and not quiet:
            report += summary(diagnostics, result) + "\n"
    if output_file is not None:
        try:
            output_file.write_text(report, encoding="utf-8")
        except OSError as exc:
            click.echo(f"loclint: error: cannot write {output_file}: {exc.strerror or exc}", err=True)
            sys.exit(EXIT_ERROR)
    else:
        click.echo(report, nl=False)
    if result.missing_paths:
        sys.exit(EXIT_ERROR)
    if fixed is not None and fixed.files and exit_non_zero_on_fix:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_FINDINGS if diagnostics and not exit_zero else EXIT_CLEAN)


def _fix(paths: list[str], settings, check_once, unsafe: bool, diff_only: bool):
    """`--fix` / `--diff`: see loclint/fix.py. Says on standard error what was fixed or refused."""
    from loclint.fix import fix_paths

    outcome = fix_paths(paths, settings, check_once, unsafe=unsafe, write=not diff_only)
    for refusal in outcome.refused:
        click.echo(f"loclint: not fixed: {_shown(refusal)}", err=True)
    if outcome.fixed and not diff_only:
        files = len(outcome.files)
        click.echo(f"loclint: fixed {outcome.fixed} problem{'s' if outcome.fixed != 1 else ''} in {files} file{'s' if files != 1 else ''}", err=True)
    return outcome


def _shown(text: str) -> str:
    """A path or message for standard error, its controls and odd bytes escaped (output.common)."""
    from loclint.output.common import safe_text

    return safe_text(text)


def _speed_options(settings, jobs: int | None, no_cache: bool, cache_dir: Path | None) -> dict:
    """`run`'s worker count and result cache, from the command line."""
    from loclint.cache import DEFAULT_DIR, ResultCache
    from loclint.parallel import default_jobs

    cache = None if no_cache else ResultCache(cache_dir or Path(DEFAULT_DIR), settings)
    return {"jobs": jobs or default_jobs(), "cache": cache}


def _layout_report(paths: list[str], settings) -> str:
    """Which docs-site preset `check` would use for the paths, as a `--show-settings` comment."""
    from loclint.discover import detect_presets

    presets = detect_presets(paths, settings)
    if not presets:
        return f"# layout: {settings.layout} (no docs-site preset detected)"
    return "\n".join(f"# layout preset: {preset.describe()}" for preset in presets)


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
