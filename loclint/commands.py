"""What `loclint check` does with its options: settings, one run (or `--watch`'s runs), the report.

cli.py declares the options; this module carries them out and returns the exit status
(0 clean, 1 findings, 2 usage/config/internal error). Messages for people go to standard error,
the report to standard output (or `--output-file`).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class Options:
    """The options of one `check` run, as attributes (click hands them over as keywords)."""

    def __init__(self, **values) -> None:
        self.__dict__.update(values)
        self.paths = list(values["paths"]) or ["."]


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


def _speed_options(settings, jobs: int | None, no_cache: bool, cache_dir: Path | None) -> dict:
    """`run`'s worker count, result cache and progress line (stderr, terminals only), from the command line."""
    from loclint.cache import DEFAULT_DIR, ResultCache
    from loclint.parallel import default_jobs
    from loclint.progress import Progress

    # The cache sits beside the configuration that applies (as ruff's does), else in the working folder.
    beside = settings.config_path.parent / DEFAULT_DIR if settings.config_path is not None else Path(DEFAULT_DIR)
    cache = None if no_cache else ResultCache(cache_dir or beside, settings)
    return {"jobs": jobs or default_jobs(), "cache": cache, "progress": Progress()}


def _layout_report(paths: list[str], settings) -> str:
    """Which docs-site preset `check` would use for the paths, as a `--show-settings` comment."""
    from loclint.discover import detect_presets, plan
    from loclint.engine import check_source_locale

    presets = detect_presets(paths, settings)
    if not presets:
        lines = [f"# layout: {settings.layout} (no docs-site preset detected)"]
    else:
        lines = [f"# layout preset: {preset.describe()}" for preset in presets]
    if settings.source_locale:
        note = check_source_locale(plan(paths, settings), settings)
        if note:
            lines.append(note)
    return "\n".join(lines)


def _merged(results: list):
    """The results of the projects of one command line, as one result."""
    first = results[0]
    for other in results[1:]:
        first.diagnostics.extend(other.diagnostics)
        for name in ("files", "groups", "segments", "baselined", "planned", "ignored"):
            setattr(first, name, getattr(first, name) + getattr(other, name))
        for name in ("missing_paths", "notes", "skipped", "baseline_fixed"):
            getattr(first, name).extend(getattr(other, name))
        first.article_locales.update(other.article_locales)
        first.reported_files.update(other.reported_files)
        first.timings = {phase: first.timings.get(phase, 0.0) + other.timings.get(phase, 0.0)
                         for phase in {**first.timings, **other.timings}}
        if first.coverage is not None and other.coverage is not None:
            first.coverage.merge(other.coverage)
    first.diagnostics.sort(key=lambda diagnostic: diagnostic.sort_key())
    return first


def _nothing_found(paths: list[str], settings, ignored: int = 0) -> str:
    """What loclint looked for, for a run that found no article group at all (and what git hid)."""
    shown = ", ".join(paths)
    if ignored:
        return (f"no article group found in {shown}: its {ignored:,} file{'s are' if ignored != 1 else ' is'} ignored by git "
                f"(.gitignore); set `respect-gitignore = false` in the configuration to check "
                f"{'them' if ignored != 1 else 'it'}, or name the files")
    if settings.locales:
        looked = f"folders or `<name>.<locale>` repositories named {', '.join(settings.locales)} (`locales`)"
    else:
        looked = ("locale folders (`pt-BR/`, `sr-Latn-RS/`, or a bare `fr/`, `zh-Hans/` beside another locale), "
                  "`<name>.<locale>` repositories (`Docs.tr-tr/`), docs-site presets (docusaurus, hugo, mkdocs, vitepress)")
    return (f"no article group found in {shown}: looked for {looked}. Name the locales with `locales = [...]` "
            f"in the configuration, point at other locales with `--siblings GLOB`, group loose files with "
            f"`--group-by KEY`, or see `loclint check --show-files {shown}`")


def _shown(text: str) -> str:
    """A path or message for standard error, its controls and odd bytes escaped (output.common)."""
    from loclint.output.common import safe_text

    return safe_text(text)


def _codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


class UsageError(Exception):
    """Options that cannot go together, or settings that cannot be read: exit 2."""


def check(options: Options) -> int:
    started = time.perf_counter()
    try:
        _refuse_combinations(options)
        runs, shard, baseline = _load(options)
        if len(runs) > 1 and (options.fix or options.show_diff or options.add_suppressions is not None or options.watch):
            raise UsageError("--fix, --diff, --add-suppressions and --watch take paths under one configuration; "
                             "run them once per project")
    except UsageError as exc:
        click.echo(f"loclint: error: {exc}", err=True)
        return EXIT_ERROR
    if options.show_settings or options.show_files:
        return _explain(options, runs, shard)
    loaded = time.perf_counter() - started
    if options.watch:
        from loclint.watch import watch

        return watch(lambda: _check_once(options, runs, shard, baseline, loaded), options.paths, runs[0][0])
    stdin = sys.stdin.buffer.read() if options.stdin_filename else None
    return _check_once(options, runs, shard, baseline, loaded, stdin)


def _refuse_combinations(options: Options) -> None:
    writes = [name for name, given in (("--fix", options.fix), ("--diff", options.show_diff),
                                       ("--add-suppressions", options.add_suppressions is not None),
                                       ("--write-baseline", options.write_baseline_path)) if given]
    if options.stdin_filename and (writes or options.watch or list(options.paths) != ["."]):
        what = ", ".join(writes + (["--watch"] if options.watch else []) + (["PATHS"] if options.paths != ["."] else []))
        raise UsageError(f"--stdin-filename checks standard input; it does not go with {what}")
    if options.watch and writes:
        raise UsageError(f"--watch re-checks and reports; it does not go with {', '.join(writes)}")
    if options.isolated and options.config_path is not None:
        raise UsageError("--isolated ignores every configuration file; it does not go with --config")
    if options.add_suppressions is not None and (options.fix or options.show_diff):
        raise UsageError("--add-suppressions does not go with --fix or --diff: fix first, then suppress what is left")


def _load(options: Options):
    from loclint.baseline import BaselineError, load_baseline
    from loclint.config import ConfigError, load_settings, projects
    from loclint.patterns import PatternError
    from loclint.shard import ShardError, parse_shard

    overrides = {
        "select": _codes(options.select),
        "extend-select": _codes(options.extend_select),
        "ignore": _codes(options.ignore),
        "exclude": _codes(options.exclude),
        "extend-exclude": _codes(options.extend_exclude),
        "layout": options.layout,
        "group-by": options.group_by,
        "source-locale": options.source_locale,
        "output-format": options.output_format,
        "report-siblings": options.report_siblings,
        "siblings": list(options.siblings) or None,
    }
    # ruff's rule: the configuration closest to each path applies; paths under different ones
    # are checked as separate projects, one after the other, and their results put together.
    named = [options.stdin_filename] if options.stdin_filename else options.paths
    if options.isolated:
        parts = [(None, options.paths)]
    elif options.config_path is not None:
        parts = [(options.config_path, options.paths)]
    else:
        parts = projects(named)
    try:
        runs = [(load_settings(found, overrides, Path.cwd()) if found is not None else load_settings(None, overrides, None),
                 options.paths if options.stdin_filename else part) for found, part in parts]
        shard = parse_shard(options.shard_spec) if options.shard_spec else None
        # Writing a baseline records every finding, so an existing baseline is not applied then.
        use_baseline = options.baseline_path and not options.write_baseline_path
        baseline = load_baseline(options.baseline_path) if use_baseline else None
    except (ConfigError, PatternError, ShardError, BaselineError) as exc:
        raise UsageError(str(exc)) from exc
    return runs, shard, baseline


def _explain(options: Options, runs, shard) -> int:
    from loclint import explain
    from loclint.config import ConfigError

    for settings, paths in runs:
        if not options.show_settings:
            click.echo(explain.files_report(paths, settings, shard), nl=False)
            continue
        click.echo(explain.settings_report(settings, shard, options.baseline_path))
        try:
            click.echo(_layout_report(paths, settings))
        except ConfigError as exc:
            click.echo(f"loclint: error: {exc}", err=True)
            return EXIT_ERROR
    return EXIT_CLEAN


def _check_once(options: Options, runs, shard, baseline, loaded: float, stdin: bytes | None = None) -> int:
    """One run of each project, from checking to the report; the exit status it calls for."""
    from loclint.config import ConfigError
    from loclint.engine import run, run_text
    from loclint.parallel import WorkerDied
    from loclint.patterns import PatternError

    settings = runs[0][0]  # how to report: the first project's settings
    fixed = None
    before = None
    if options.add_suppressions is not None:
        from loclint.fix import fingerprints

        before = fingerprints(options.paths, settings)  # taken before the check reads: see fix.py
    results = []
    try:
        for part_settings, paths in runs:
            speed = _speed_options(part_settings, options.jobs, options.no_cache, options.cache_dir)
            speed["since"] = options.since
            if stdin is not None:
                results.append(run_text(options.stdin_filename, stdin, part_settings, baseline=baseline))
            elif options.fix or options.show_diff:
                def check_once(paths=paths, part_settings=part_settings, speed=speed):
                    return run(paths, part_settings, shard=shard, baseline=baseline, **speed)

                fixed = _fix(paths, part_settings, check_once, options.unsafe_fixes, options.show_diff)
                results.append(fixed.result)
            else:
                results.append(run(paths, part_settings, shard=shard, baseline=baseline, **speed))
    except (PatternError, ConfigError) as exc:  # a user pattern that ran away, a source-locale no file has
        click.echo(f"loclint: error: {exc}", err=True)
        return EXIT_ERROR
    except WorkerDied as exc:  # never a silent loss of a group's findings
        click.echo(f"loclint: error: {_shown(str(exc))}", err=True)
        return EXIT_ERROR
    except ValueError as exc:  # `--since` naming no commit; history.py is imported only when git is read
        from loclint.history import HistoryError

        if not isinstance(exc, HistoryError):
            raise
        click.echo(f"loclint: error: {exc}", err=True)
        return EXIT_ERROR
    result = _merged(results)
    for note in result.notes:
        click.echo(f"loclint: warning: {note}", err=True)
    if options.verbose:
        _verbose(options, settings, result, speed, loaded)
    if options.show_diff:
        click.echo(fixed.diff, nl=False)
        _left_out_note(result.diagnostics, options.unsafe_fixes, "--diff")
        return EXIT_ERROR if fixed.refused else EXIT_FINDINGS if fixed.diff else EXIT_CLEAN
    for missing in result.missing_paths:
        click.echo(f"loclint: error: {_shown(missing)}: no such file or folder", err=True)
    if not result.planned and not result.missing_paths and not result.skipped:
        click.echo(f"loclint: error: {_nothing_found(options.paths, settings, result.ignored)}", err=True)  # a gate that checks nothing fails
        return EXIT_ERROR
    if options.add_suppressions is not None:
        return _add_suppressions(result, options.add_suppressions, before)
    if options.write_baseline_path:
        return _write_baseline(options.write_baseline_path, result)
    if fixed is not None and fixed.fixed:
        _left_out_note(result.diagnostics, options.unsafe_fixes, "--fix")
    if _report(options, settings, result) == EXIT_ERROR or result.missing_paths:
        return EXIT_ERROR
    if fixed is not None and fixed.files and options.exit_non_zero_on_fix:
        return EXIT_FINDINGS
    return EXIT_FINDINGS if result.diagnostics and not options.exit_zero else EXIT_CLEAN


def _report(options: Options, settings, result) -> int:
    """Print (or write) the report; EXIT_ERROR if the output file cannot be written."""
    from loclint.output.report import HUMAN_FORMATS, render, statistics, summary

    fmt = settings.output_format
    diagnostics = result.diagnostics
    color = _color(options.color, options.output_file is not None)
    if options.show_statistics:
        report = statistics(diagnostics, result, as_json=fmt in ("json", "json-lines"))
    else:
        report = render(fmt, diagnostics, result, color=color, unsafe=options.unsafe_fixes)
        if fmt in HUMAN_FORMATS and not options.quiet:
            report += summary(diagnostics, result, unsafe=options.unsafe_fixes) + "\n"
    if options.output_file is None:
        click.echo(report, nl=False, color=color)  # click would strip the colour off a pipe
        return EXIT_CLEAN
    try:
        options.output_file.write_text(report, encoding="utf-8")
    except OSError as exc:
        click.echo(f"loclint: error: cannot write {options.output_file}: {exc.strerror or exc}", err=True)
        return EXIT_ERROR
    return EXIT_CLEAN


def _color(choice: str, to_file: bool) -> bool:
    """`--color`: `always` and `never` win over everything (NO_COLOR included, as no-color.org asks
    of command-line flags); `auto` colours a terminal unless NO_COLOR is set."""
    from loclint.output.report import wants_color

    if choice != "auto":
        return choice == "always"
    return wants_color(sys.stdout, to_file)


def _left_out_note(diagnostics, unsafe: bool, option: str) -> None:
    """Tell on standard error which unsafe fixes `--fix`/`--diff` did not apply, and how to get them."""
    if unsafe:
        return
    unsafe_only = [d for d in diagnostics if d.fixable(True) and not d.fixable(False)]
    count = len(unsafe_only)
    if count:
        codes = ", ".join(sorted({d.code for d in unsafe_only}))
        click.echo(f"loclint: {option} left out {count} unsafe fix{'es' if count != 1 else ''} ({codes}); "
                   f"add `--unsafe-fixes` to {'see' if option == '--diff' else 'apply'} them", err=True)


def _add_suppressions(result, reason: str, before: dict) -> int:
    from loclint.add_suppressions import add_suppressions

    try:
        outcome = add_suppressions(result.diagnostics, reason or None, before)
    except ValueError as exc:
        click.echo(f"loclint: error: --add-suppressions: {exc}", err=True)
        return EXIT_ERROR
    for refusal in outcome.refused:
        click.echo(f"loclint: not changed: {refusal}", err=True)
    click.echo(f"loclint: added {outcome.comments} suppression comment{'s' if outcome.comments != 1 else ''} "
               f"for {outcome.covered} finding{'s' if outcome.covered != 1 else ''} to {len(outcome.files)} "
               f"file{'s' if len(outcome.files) != 1 else ''}", err=True)
    return EXIT_ERROR if outcome.refused or result.missing_paths else EXIT_CLEAN


def _write_baseline(path: Path, result) -> int:
    from loclint.baseline import BaselineError, from_diagnostics, write_baseline

    try:
        entries = write_baseline(path, from_diagnostics(result.diagnostics))
    except BaselineError as exc:
        click.echo(f"loclint: error: {exc}", err=True)
        return EXIT_ERROR
    click.echo(f"loclint: wrote {entries} baseline entries ({len(result.diagnostics)} findings) to {path}", err=True)
    return EXIT_ERROR if result.missing_paths else EXIT_CLEAN


def _verbose(options: Options, settings, result, speed: dict, loaded: float) -> None:
    """`-v`: what the run used and where its time went, on standard error."""
    config = settings.config_path or "none found (defaults)"
    cache = "off" if speed["cache"] is None or options.stdin_filename else speed["cache"].root
    lines = [
        f"settings: {config}",
        _layout_report(options.paths, settings).removeprefix("# "),
        f"checked {result.groups} article group{'s' if result.groups != 1 else ''}, {result.files} file{'s' if result.files != 1 else ''}, "
        f"{result.segments} segment{'s' if result.segments != 1 else ''}; {len(settings.enabled)} rules enabled; "
        f"jobs: {1 if options.stdin_filename else speed['jobs']}; cache: {cache}",
        "time: " + ", ".join(f"{phase} {seconds:.3f} s" for phase, seconds in {"settings": loaded, **result.timings}.items()),
    ]
    for line in lines:
        click.echo(f"loclint: {line}", err=True)
