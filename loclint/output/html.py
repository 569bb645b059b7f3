"""The HTML health report: one self-contained page (inline CSS and script, no request to any host).

The small, fixed-size parts (summary, locale × family heatmap, staleness) are rendered here as
static HTML, so they read even with scripts off. The parts that grow with the findings (the
article × locale matrix and the findings list) are rendered by the page's script from a JSON
payload, one page at a time, so thousands of findings never become thousands of DOM nodes at once.

Escaping: every string taken from the files goes through `html.escape` here, or into the JSON
payload (escaped so it cannot close its `<script>` element) and from there into the DOM through
`textContent` only. A Content-Security-Policy that allows only this page's own script (by hash)
is a second wall: an injected `<script>` would not run even if an escape were missed.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from loclint import __version__
from loclint.model import Diagnostic
from loclint.output.common import inert_json, visible_text
from loclint.registry import all_rules, families

if TYPE_CHECKING:
    from loclint.results import RunResult

STALE_CODE = "M002"  # one finding per variant translated from another source version
NO_LOCALE = "(no locale)"
NO_ARTICLE = "(no article)"
BINS = 5  # colour steps of the heat scale, besides the neutral zero


@dataclass
class ReportData:
    """What the HTML report shows, gathered from a run's result."""

    locales: list[str]
    articles: list[str]
    article_locales: dict[str, set[str]]
    family_titles: dict[str, str]
    heat: dict[tuple[str, str], int]  # (locale, family) -> findings
    stale: dict[str, int]  # locale -> articles with an M002 finding
    thresholds: list[int]  # upper bounds of the heat bins 1..BINS
    matrix_thresholds: list[int]  # the same for the article × locale cells


def html_report(diagnostics: list[Diagnostic], run: RunResult) -> str:
    data = _gather(diagnostics, run)
    body = "\n".join(
        [
            _header(diagnostics, run, data),
            _summary(diagnostics, run, data),
            '<div class="two-up">',
            _heatmap(data),
            _staleness(data),
            "</div>",
            _coverage(run),
            _drift(run),
            _matrix_shell(data),
            _findings_shell(),
        ]
    )
    payload = _script_json(_payload(diagnostics, data))
    return _page(body, payload, _family_css(data.family_titles))


# --- the data behind the page ------------------------------------------------------------------


def _locale(d: Diagnostic) -> str:
    return d.locale or NO_LOCALE


def _article(d: Diagnostic) -> str:
    return d.article or NO_ARTICLE


def family_of(code: str) -> str:
    rule = all_rules().get(code)
    return rule.family if rule else code[:1]


def _gather(diagnostics: list[Diagnostic], run: RunResult) -> ReportData:
    article_locales: dict[str, set[str]] = defaultdict(set)
    for article, locales in run.article_locales.items():
        article_locales[article].update(locale or NO_LOCALE for locale in locales)
    for d in diagnostics:  # a run built by hand may not list every article: findings prove presence
        article_locales[_article(d)].add(_locale(d))
    locales = sorted({locale for present in article_locales.values() for locale in present}, key=_locale_order)

    titles = dict(families())
    for d in diagnostics:
        titles.setdefault(family_of(d.code), family_of(d.code))
    heat = Counter((_locale(d), family_of(d.code)) for d in diagnostics)
    stale_pairs = {(_locale(d), _article(d)) for d in diagnostics if d.code == STALE_CODE}
    stale = Counter(locale for locale, _ in stale_pairs)
    return ReportData(
        locales=locales,
        articles=sorted(article_locales),
        article_locales=dict(article_locales),
        family_titles=titles,
        heat=dict(heat),
        stale=dict(stale),
        thresholds=heat_thresholds(max(heat.values(), default=0)),
        matrix_thresholds=heat_thresholds(max(Counter((_article(d), _locale(d)) for d in diagnostics).values(), default=0)),
    )


def _locale_order(locale: str) -> tuple[bool, str]:
    return (locale == NO_LOCALE, locale)


def heat_thresholds(highest: int) -> list[int]:
    """Upper bounds of the colour bins, evenly spaced on a log scale from 1 to `highest`.

    A log scale because finding counts are skewed: one broken locale with 400 findings must not
    wash every other cell out to the palest colour.
    """
    if highest <= BINS:
        return list(range(1, highest + 1))
    bounds = sorted({max(1, round(highest ** (step / BINS))) for step in range(1, BINS + 1)})
    bounds[-1] = highest
    return bounds


def heat_bin(count: int, thresholds: list[int]) -> int:
    """0 for no findings, else the 1-based bin whose upper bound holds `count`."""
    if count <= 0:
        return 0
    return next((index for index, bound in enumerate(thresholds, start=1) if count <= bound), len(thresholds))


def _payload(diagnostics: list[Diagnostic], data: ReportData) -> dict:
    rules = all_rules()
    locale_index = {locale: index for index, locale in enumerate(data.locales)}
    article_index = {article: index for index, article in enumerate(data.articles)}
    codes = sorted({d.code for d in diagnostics})
    # Positional arrays instead of objects: the payload stays about half the size with many findings.
    findings = [
        [
            d.path,
            d.line,
            d.column,
            d.code,
            d.message,
            locale_index[_locale(d)],
            article_index[_article(d)],
            d.subject,
            d.source_text,
            d.target_text,
            d.token,
            d.compared_locale,
        ]
        for d in diagnostics
    ]
    return {
        "locales": data.locales,
        "articles": data.articles,
        "present": [sorted(locale_index[locale] for locale in data.article_locales[a]) for a in data.articles],
        "families": data.family_titles,
        "codes": {code: {"name": rules[code].name if code in rules else "", "family": family_of(code)} for code in codes},
        "findings": findings,
        "matrixThresholds": data.matrix_thresholds,
    }


def _visible(value: object) -> object:
    """Every string of the payload with bidi and terminal controls shown as escapes: the page
    renders them with textContent, where a U+202E would still reorder what the reader sees."""
    if isinstance(value, str):
        return visible_text(value)
    if isinstance(value, dict):
        return {_visible(key): _visible(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_visible(item) for item in value]
    return value


def _script_json(value: object) -> str:
    """JSON that is safe inside a `<script>` element: no `</script>`, no `<!--`, no line separators."""
    text = inert_json(json.dumps(_visible(value), ensure_ascii=False, separators=(",", ":")))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


# --- static sections -----------------------------------------------------------------------------


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _header(diagnostics: list[Diagnostic], run: RunResult, data: ReportData) -> str:
    verdict = "No findings" if not diagnostics else _plural(len(diagnostics), "finding")
    state = "clean" if not diagnostics else "dirty"
    return (
        '<header class="top">'
        f'<div><h1>Localization health report</h1><p class="sub">loclint {escape(__version__)} · '
        f"{_plural(run.files, 'file')} in {_plural(run.groups, 'article group')} · {_plural(len(data.locales), 'locale')}</p></div>"
        f'<div class="verdict {state}" id="verdict">{verdict}</div>'
        "</header>"
    )


def _summary(diagnostics: list[Diagnostic], run: RunResult, data: ReportData) -> str:
    files_with = len({d.path for d in diagnostics})
    stale_total = sum(data.stale.values())
    cards = [
        ("files", "Files checked", run.files),
        ("groups", "Article groups", run.groups),
        ("locales", "Locales", len(data.locales)),
        ("findings", "Findings", len(diagnostics)),
        ("files-with-findings", "Files with findings", files_with),
        ("stale", "Stale translations", stale_total),
    ]
    card_html = "".join(
        f'<div class="card" id="count-{key}"><span class="num">{value:,}</span><span class="label">{label}</span></div>'
        for key, label, value in cards
    )
    by_family = Counter(family_of(d.code) for d in diagnostics)
    highest = max(by_family.values(), default=0) or 1
    rows = "".join(
        f'<li data-family="{escape(family)}"><span class="fam fam-{escape(family)}">{escape(family)}</span>'
        f'<span class="fam-title">{escape(title)}</span>'
        f'<span class="bar"><span style="width:{100 * by_family[family] / highest:.1f}%"></span></span>'
        f'<span class="fam-count" id="family-count-{escape(family)}">{by_family[family]:,}</span></li>'
        for family, title in data.family_titles.items()
    )
    return (
        '<section id="summary"><h2>Summary</h2>'
        f'<div class="cards">{card_html}</div>'
        f'<h3>Findings by rule family</h3><ul class="families">{rows}</ul></section>'
    )


def _heatmap(data: ReportData) -> str:
    head = "".join(
        f'<th scope="col" title="{escape(title)}"><span class="fam fam-{escape(family)}">{escape(family)}</span></th>'
        for family, title in data.family_titles.items()
    )
    rows = []
    for locale in data.locales:
        cells = []
        for family, title in data.family_titles.items():
            count = data.heat.get((locale, family), 0)
            label = f"{locale} · {title}: {_plural(count, 'finding')}"
            cells.append(
                f'<td class="heat b{heat_bin(count, data.thresholds)}" data-locale="{escape(visible_text(locale))}" '
                f'data-family="{escape(family)}" data-count="{count}" title="{escape(label)}">'
                f"{count if count else ''}</td>"
            )
        total = sum(data.heat.get((locale, family), 0) for family in data.family_titles)
        rows.append(f'<tr><th scope="row">{escape(visible_text(locale))}</th>{"".join(cells)}<td class="total">{total:,}</td></tr>')
    return (
        '<section id="heatmap"><h2>Findings by locale and rule family</h2>'
        '<p class="hint">Click a cell to list its findings.</p>'
        f'<table class="heatmap"><thead><tr><th></th>{head}<th scope="col">all</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>{_legend(data.thresholds)}</section>'
    )


def _legend(thresholds: list[int], matrix: bool = False) -> str:
    zero = '<i class="cell-key clean"></i>none' if matrix else '<i class="heat b0"></i>0'
    items = [f'<span class="swatch">{zero}</span>']
    low = 1
    for index, high in enumerate(thresholds, start=1):
        text = str(high) if low == high else f"{low}–{high}"
        items.append(f'<span class="swatch"><i class="heat b{index}"></i>{text}</span>')
        low = high + 1
    if matrix:
        items.append('<span class="swatch"><i class="cell-key absent"></i>the locale has no such article</span>')
    return f'<div class="legend" aria-label="colour scale">findings per cell: {"".join(items)}</div>'


def _staleness(data: ReportData) -> str:
    present = Counter(locale for locales in data.article_locales.values() for locale in locales)
    order = sorted(data.locales, key=lambda locale: (-data.stale.get(locale, 0) / max(present[locale], 1), locale))
    rows = []
    for locale in order:
        stale, total = data.stale.get(locale, 0), present[locale]
        share = 100 * stale / total if total else 0.0
        text = f"{stale:,} of {_plural(total, 'article')}" if stale else f"up to date ({_plural(total, 'article')})"
        rows.append(
            f'<tr class="{"is-stale" if stale else "fresh"}" data-locale="{escape(visible_text(locale))}" data-stale="{stale}">'
            f'<th scope="row">{escape(visible_text(locale))}</th>'
            f'<td class="bar"><span style="width:{share:.1f}%"></span></td>'
            f'<td class="pct">{share:.0f}%</td><td class="of">{text}</td></tr>'
        )
    return (
        '<section id="staleness"><h2>Staleness</h2>'
        f'<p class="hint">Articles whose <code>ms.sourcegitcommit</code> differs from the reference, the latest '
        f"handoff or the majority ({STALE_CODE}): translated from another version of the source. Click a row to list them.</p>"
        f'<table class="stale"><tbody>{"".join(rows)}</tbody></table></section>'
    )


def _coverage(run: RunResult) -> str:
    """Articles per locale, of those in the locale folders it sits in (loclint/coverage.py)."""
    rows = run.coverage.rows() if getattr(run, "coverage", None) is not None else []
    if len(rows) < 2:
        return ""
    cells = []
    for locale, have, total in rows:
        share = 100 * have / total if total else 100.0
        gap = f" ({total - have:,} missing)" if have < total else ""
        cells.append(f'<tr data-locale="{escape(locale)}"><th scope="row">{escape(locale)}</th>'
                     f'<td class="bar"><span style="width:{share:.1f}%"></span></td>'
                     f'<td class="pct">{share:.0f}%</td><td class="of">{have:,} of {_plural(total, "article")}{gap}</td></tr>')
    return ('<section id="coverage"><h2>Coverage</h2>'
            '<p class="hint">Articles each locale has, of the articles of the locale folders it sits in '
            '(M007, off by default, reports each one that most locales have and a locale lacks).</p>'
            f'<table class="stale"><tbody>{"".join(cells)}</tbody></table></section>')


def _drift(run: RunResult) -> str:
    """Translation drift from git (H rules): per locale, and the files to update, most behind first.
    Empty when no history was read (no git work tree, no source known)."""
    history = run.history
    if history is None or not history.files:
        return ""
    from loclint.history import day

    rows = "".join(
        f'<tr><th scope="row">{escape(locale)}</th><td>{fresh:,}</td><td>{stale:,}</td><td>{behind:,}</td>'
        f"<td>{escape(day(oldest)) if stale else '–'}</td></tr>"
        for locale, fresh, stale, behind, oldest in history.locales()
    )
    to_update = history.to_update()
    listed = "".join(
        f"<tr><td><code>{escape(d.path)}</code></td><td>{d.behind:,} (source: {d.units:,})</td><td>{escape(day(d.base_time))}</td></tr>"
        for d in to_update[:200]
    )
    more = f'<p class="hint">and {len(to_update) - 200:,} more: <code>--statistics</code> lists them all.</p>' if len(to_update) > 200 else ""
    return (
        '<section id="drift"><h2>Translation drift</h2>'
        '<p class="hint">From the git history: units of the source changed since the version each translation '
        "was made from (H001, H002).</p>"
        '<table class="drift"><thead><tr><th>locale</th><th>up to date</th><th>stale</th><th>units behind</th>'
        f"<th>oldest</th></tr></thead><tbody>{rows}</tbody></table>"
        + (f'<h3>To update</h3><table class="drift"><thead><tr><th>file</th><th>units behind</th><th>since</th></tr></thead>'
           f"<tbody>{listed}</tbody></table>{more}" if to_update else "")
        + "</section>"
    )


def _matrix_shell(data: ReportData) -> str:
    return (
        '<section id="matrix"><h2>Articles × locales</h2>'
        '<p class="hint">Findings per article and locale under the current family, code and text filters, '
        "worst articles first. Click a cell to list its findings.</p>"
        '<label class="toggle"><input type="checkbox" id="show-clean"> show articles without findings</label>'
        '<div class="matrix-wrap"><table class="matrix" id="matrix-table"></table></div>'
        f"{_legend(data.matrix_thresholds, matrix=True)}"
        '<nav class="pager" id="matrix-pager"></nav>'
        "<noscript><p>The matrix and the findings list need JavaScript.</p></noscript></section>"
    )


def _findings_shell() -> str:
    return (
        '<section id="findings"><h2>Findings</h2>'
        '<form class="filters" id="filters" autocomplete="off">'
        '<label>Locale <select id="filter-locale"></select></label>'
        '<label>Family <select id="filter-family"></select></label>'
        '<label>Code <select id="filter-code"></select></label>'
        '<label class="grow">Text <input type="search" id="filter-text" placeholder="path, message or segment"></label>'
        '<span class="chip" id="filter-article" hidden></span>'
        '<button type="button" id="filter-clear">Clear filters</button>'
        "</form>"
        '<p class="count" id="findings-count"></p>'
        '<div id="findings-list"></div>'
        '<nav class="pager" id="findings-pager"></nav></section>'
    )


# Badge colours of the rule families, given out in the order the families are listed.
_FAMILY_COLOURS = ("#6b7280", "#7c4dbd", "#15867a", "#2f6fd1", "#d0661c", "#b83280", "#2b7a0b", "#8a6d00", "#475569")


def _family_css(titles: dict[str, str]) -> str:
    return "".join(
        f".fam-{escape(family)} {{ background: {_FAMILY_COLOURS[index % len(_FAMILY_COLOURS)]}; }}\n"
        for index, family in enumerate(titles)
        if family.isalnum()
    )


# --- page template, style and script --------------------------------------------------------------

def _page(body: str, payload: str, family_css: str) -> str:
    # Only this page's own script may run (by hash), and nothing may be fetched from anywhere.
    csp = (
        f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '{_SCRIPT_HASH}'; "
        "base-uri 'none'; form-action 'none'"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        "<title>Localization health report</title>\n"
        f"<style>{_CSS}{family_css}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
        f'<script type="application/json" id="report-data">{payload}</script>\n'
        f"<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


_CSS = """
:root { --ink:#1d2330; --muted:#5c667a; --line:#e3e6ec; --bg:#f5f6f9; --card:#fff; --accent:#3553c4;
  --b0:#eef0f4; --b1:#fdedc8; --b2:#fbcb83; --b3:#f59a4a; --b4:#df5f2b; --b5:#ad2c1c;
  --clean:#d7f0df; --absent:#f7f7f9; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0; letter-spacing: -.01em; }
h2 { font-size: 16px; margin: 0 0 10px; }
h3 { font-size: 13px; margin: 18px 0 8px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
code { font: 12px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; background: #eef0f5; padding: 0 3px; border-radius: 3px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin-top: 18px; }
.hint { color: var(--muted); margin: -4px 0 12px; font-size: 13px; }
.top { display: flex; justify-content: space-between; align-items: center; gap: 16px; }
.sub { margin: 4px 0 0; color: var(--muted); }
.verdict { font-weight: 600; padding: 8px 14px; border-radius: 999px; white-space: nowrap; }
.verdict.clean { background: #d7f0df; color: #17602f; }
.verdict.dirty { background: #fde3dc; color: #9b2c17; }
.cards { display: grid; grid-template-columns: repeat(6, 1fr); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; display: flex; flex-direction: column; }
.card .num { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 12px; }
.families { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
.families li { display: grid; grid-template-columns: 28px 220px 1fr 60px; align-items: center; gap: 10px; }
.fam { display: inline-block; min-width: 22px; text-align: center; font-weight: 700; font-size: 12px; border-radius: 4px; padding: 1px 5px; color: #fff; background: #6b7280; }
.bar { background: #eef0f4; border-radius: 4px; height: 10px; position: relative; overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--accent); border-radius: 4px; }
.fam-count { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
.two-up { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px; }
.two-up > section { margin-top: 18px; }
table { border-collapse: collapse; }
.heatmap th, .heatmap td { padding: 0; }
.heatmap th[scope=row] { text-align: left; padding-right: 12px; font-weight: 500; white-space: nowrap; }
.heatmap thead th { padding-bottom: 6px; }
.heatmap td.heat { width: 54px; height: 28px; text-align: center; border: 2px solid #fff; border-radius: 6px; cursor: pointer; font-variant-numeric: tabular-nums; }
.heatmap td.heat:hover { outline: 2px solid var(--ink); }
.heatmap td.total { padding-left: 12px; color: var(--muted); text-align: right; font-variant-numeric: tabular-nums; }
.heat.b0 { background: var(--b0); } .heat.b1 { background: var(--b1); } .heat.b2 { background: var(--b2); }
.heat.b3 { background: var(--b3); } .heat.b4 { background: var(--b4); color: #fff; } .heat.b5 { background: var(--b5); color: #fff; }
.legend { margin-top: 12px; color: var(--muted); font-size: 12px; display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
.swatch { display: inline-flex; align-items: center; gap: 4px; }
.swatch i { display: inline-block; width: 16px; height: 12px; border-radius: 3px; }
.stale { width: 100%; }
.stale tr { cursor: pointer; }
.stale tr:hover { background: #f4f6fb; }
.stale th { text-align: left; font-weight: 500; padding: 3px 12px 3px 0; white-space: nowrap; width: 1%; }
.stale td.bar { width: 45%; height: 12px; border: 4px solid #fff; }
.stale td.bar > span { background: #df5f2b; }
.stale td.pct { text-align: right; padding: 0 10px; font-variant-numeric: tabular-nums; font-weight: 600; width: 1%; }
.stale td.of { color: var(--muted); white-space: nowrap; }
.stale tr.fresh td.of { color: #17602f; }
.toggle { font-size: 13px; color: var(--muted); display: inline-block; margin-bottom: 8px; }
.drift th, .drift td { text-align: left; padding: 2px 14px 2px 0; font-variant-numeric: tabular-nums; }
.drift thead th { color: var(--muted); font-weight: 500; }
.matrix-wrap { overflow-x: auto; }
.matrix { font-size: 12px; }
.matrix th.art { text-align: left; font-weight: 400; padding-right: 10px; max-width: 420px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; direction: rtl; }
.matrix th.art span { direction: ltr; unicode-bidi: isolate; }
.matrix thead th { font-weight: 500; color: var(--muted); height: 70px; vertical-align: bottom; padding: 0 0 4px; }
.matrix thead th div { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; margin: 0 auto; }
.matrix td { width: 30px; min-width: 30px; height: 22px; text-align: center; border: 2px solid #fff; border-radius: 4px; padding: 0; }
.matrix td a { display: block; color: inherit; text-decoration: none; line-height: 22px; }
.matrix td.clean { background: var(--clean); }
.matrix td.absent { background: repeating-linear-gradient(135deg, #f2f3f6 0 3px, #fff 3px 6px); }
.matrix td.heat:hover { outline: 2px solid var(--ink); }
.matrix thead th.picked { color: var(--accent); font-weight: 700; }
.matrix tr.picked th.art { color: var(--accent); font-weight: 600; }
.matrix td.sum { color: var(--muted); text-align: right; padding-left: 8px; width: auto; }
.cell-key { display: inline-block; width: 14px; height: 10px; border-radius: 2px; vertical-align: middle; }
.cell-key.clean { background: var(--clean); } .cell-key.absent { background: repeating-linear-gradient(135deg, #e3e5ea 0 2px, #fff 2px 4px); border: 1px solid var(--line); }
.pager { display: flex; gap: 8px; align-items: center; margin-top: 10px; color: var(--muted); }
.pager button, .filters button { font: inherit; border: 1px solid var(--line); background: #fff; border-radius: 6px; padding: 4px 10px; cursor: pointer; }
.pager button:disabled { opacity: .4; cursor: default; }
.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: end; margin-bottom: 6px; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
.filters label.grow { flex: 1; min-width: 180px; }
.filters select, .filters input { font: inherit; color: var(--ink); border: 1px solid var(--line); border-radius: 6px; padding: 4px 6px; background: #fff; }
.chip { background: #e7ecfb; color: var(--accent); border-radius: 999px; padding: 4px 10px; font-size: 12px; cursor: pointer; max-width: 360px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.count { color: var(--muted); margin: 6px 0; }
.finding { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin: 8px 0; }
.finding.flash { animation: flash 1.6s ease-out; }
@keyframes flash { from { background: #fff4c2; } to { background: #fff; } }
.finding header { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.finding .code { font-weight: 700; color: var(--ink); text-decoration: none; }
.finding .name { color: var(--muted); }
.finding .loc { background: #eef0f5; border-radius: 4px; padding: 0 6px; font-size: 12px; }
.finding .where { color: var(--muted); font: 12px ui-monospace, Menlo, Consolas, monospace; margin-left: auto; overflow-wrap: anywhere; }
.finding .msg { margin: 6px 0 0; }
.sxs { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; margin-top: 8px; }
.sxs > div { background: #f8f9fb; border-radius: 6px; padding: 6px 10px; min-width: 0; }
.sxs h4 { margin: 0 0 2px; font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.sxs p { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
mark.ref { background: #dbe6ff; color: inherit; border-radius: 3px; padding: 0 2px; box-shadow: 0 0 0 1px #9db6f2 inset; }
mark.tok { background: #ffd54a; color: inherit; border-radius: 3px; padding: 0 2px; box-shadow: 0 0 0 1px #e0b000 inset; }
@media (max-width: 900px) { .cards { grid-template-columns: repeat(3, 1fr); } .two-up { grid-template-columns: 1fr; } .sxs { grid-template-columns: 1fr; } }
"""

# Only DOM APIs that treat text as text (textContent, append of strings) touch file-derived data.
_SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var F = data.findings;  // [path, line, column, code, message, locale, article, subject, source, target, token, compared locale]
  var PAGE = 50, MATRIX_PAGE = 25;
  var state = { locale: "", family: "", code: "", article: -1, text: "", page: 0, mpage: 0 };

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function familyOf(f) { return data.codes[f[3]].family; }
  function heatBin(count, bounds) {
    if (count <= 0) return 0;
    for (var i = 0; i < bounds.length; i++) if (count <= bounds[i]) return i + 1;
    return bounds.length;
  }
  // The matrix is the map the locale and article filters are picked from, so it ignores them.
  function matches(f, forMatrix) {
    if (!forMatrix && state.locale !== "" && f[5] !== +state.locale) return false;
    if (!forMatrix && state.article >= 0 && f[6] !== state.article) return false;
    if (state.family && familyOf(f) !== state.family) return false;
    if (state.code && f[3] !== state.code) return false;
    if (state.text) {
      var hay = (f[0] + "\n" + f[4] + "\n" + (f[8] || "") + "\n" + (f[9] || "")).toLowerCase();
      if (hay.indexOf(state.text) < 0) return false;
    }
    return true;
  }

  // Text with every occurrence of the needles wrapped in <mark class=...>, built from text nodes.
  // needles: [[string, class], ...]; the first needle found wins, the longest at equal positions.
  function highlighted(text, needles) {
    var frag = document.createDocumentFragment(), from = 0;
    needles = needles.filter(function (n) { return n[0]; });
    for (;;) {
      var best = null;
      needles.forEach(function (n) {
        var at = text.indexOf(n[0], from);
        if (at >= 0 && (!best || at < best.at || (at === best.at && n[0].length > best.n[0].length))) best = { at: at, n: n };
      });
      if (!best) break;
      if (best.at > from) frag.append(text.slice(from, best.at));
      frag.append(el("mark", best.n[1], best.n[0]));
      from = best.at + best.n[0].length;
    }
    frag.append(text.slice(from));
    return frag;
  }
  // The `quoted` parts of a message: the source-side tokens a finding is about.
  function quoted(text) {
    return text.split("`").filter(function (_, i, all) { return i % 2 === 1 && i < all.length - 1; });
  }
  // A message with `quoted` parts shown as code.
  function message(text) {
    var p = el("p", "msg"), parts = text.split("`");
    for (var i = 0; i < parts.length; i++) {
      if (i % 2 === 1 && i < parts.length - 1) p.append(el("code", null, parts[i]));
      else p.append((i % 2 === 1 ? "`" : "") + parts[i]);
    }
    return p;
  }

  function option(select, value, label) {
    var o = el("option", null, label); o.value = value; select.append(o);
  }
  function fillFilters() {
    var counts = { locale: {}, family: {}, code: {} };
    F.forEach(function (f) {
      counts.locale[f[5]] = (counts.locale[f[5]] || 0) + 1;
      counts.family[familyOf(f)] = (counts.family[familyOf(f)] || 0) + 1;
      counts.code[f[3]] = (counts.code[f[3]] || 0) + 1;
    });
    option($("filter-locale"), "", "all locales");
    data.locales.forEach(function (name, i) { option($("filter-locale"), String(i), name + " (" + (counts.locale[i] || 0) + ")"); });
    option($("filter-family"), "", "all families");
    Object.keys(data.families).forEach(function (fam) { option($("filter-family"), fam, fam + " " + data.families[fam] + " (" + (counts.family[fam] || 0) + ")"); });
    option($("filter-code"), "", "all codes");
    Object.keys(data.codes).forEach(function (code) { option($("filter-code"), code, code + " " + data.codes[code].name + " (" + counts.code[code] + ")"); });
  }
  function syncFilters() {
    $("filter-locale").value = state.locale;
    $("filter-family").value = state.family;
    $("filter-code").value = state.code;
    $("filter-text").value = state.text;
    var chip = $("filter-article");
    chip.hidden = state.article < 0;
    chip.textContent = state.article < 0 ? "" : "article: " + data.articles[state.article] + "  \u00d7";
    chip.title = chip.textContent;
  }

  function pager(nav, page, pages, go) {
    nav.textContent = "";
    if (pages <= 1) return;
    var prev = el("button", null, "\u2039 Previous"), next = el("button", null, "Next \u203a");
    prev.type = next.type = "button";
    prev.disabled = page === 0; next.disabled = page >= pages - 1;
    prev.addEventListener("click", function () { go(page - 1); });
    next.addEventListener("click", function () { go(page + 1); });
    nav.append(prev, el("span", null, "page " + (page + 1) + " of " + pages), next);
  }

  function renderMatrix() {
    var nL = data.locales.length, rows = new Map();
    F.forEach(function (f) {
      if (!matches(f, true)) return;
      var row = rows.get(f[6]);
      if (!row) { row = new Array(nL).fill(0); row.total = 0; rows.set(f[6], row); }
      row[f[5]]++; row.total++;
    });
    var order = Array.from(rows.keys());
    order.sort(function (a, b) { return rows.get(b).total - rows.get(a).total || (data.articles[a] < data.articles[b] ? -1 : 1); });
    if ($("show-clean").checked) {
      data.articles.forEach(function (_, a) { if (!rows.has(a)) order.push(a); });
    }
    var pages = Math.max(1, Math.ceil(order.length / MATRIX_PAGE));
    state.mpage = Math.min(state.mpage, pages - 1);
    var table = $("matrix-table");
    table.textContent = "";
    var head = el("tr"); head.append(el("th"));
    data.locales.forEach(function (name, l) {
      var th = el("th", String(l) === state.locale ? "picked" : null); th.append(el("div", null, name)); head.append(th);
    });
    head.append(el("th"));
    var thead = el("thead"); thead.append(head); table.append(thead);
    var body = el("tbody");
    order.slice(state.mpage * MATRIX_PAGE, (state.mpage + 1) * MATRIX_PAGE).forEach(function (a) {
      var tr = el("tr", a === state.article ? "picked" : null), th = el("th", "art"), row = rows.get(a), present = new Set(data.present[a]);
      th.append(el("span", null, data.articles[a])); th.title = data.articles[a]; tr.append(th);
      for (var l = 0; l < nL; l++) {
        var count = row ? row[l] : 0, td;
        if (count) {
          td = el("td", "heat b" + heatBin(count, data.matrixThresholds));
          var link = el("a", null, count); link.href = "#findings"; link.dataset.a = a; link.dataset.l = l;
          td.title = data.articles[a] + " \u00b7 " + data.locales[l] + ": " + count + (count === 1 ? " finding" : " findings");
          td.append(link);
        } else if (present.has(l)) {
          td = el("td", "clean"); td.title = data.locales[l] + ": no findings";
        } else {
          td = el("td", "absent"); td.title = data.locales[l] + ": no such article";
        }
        tr.append(td);
      }
      tr.append(el("td", "sum", row ? row.total : ""));
      body.append(tr);
    });
    table.append(body);
    var clean = data.articles.length - rows.size;
    pager($("matrix-pager"), state.mpage, pages, function (p) { state.mpage = p; renderMatrix(); });
    if (!$("show-clean").checked && clean > 0) {
      $("matrix-pager").append(el("span", "more", clean + " article" + (clean === 1 ? "" : "s") + " without findings hidden"));
    }
  }

  function findingNode(f, index) {
    var box = el("article", "finding"); box.id = "f-" + index;
    var head = el("header"), code = el("a", "code", f[3]);
    code.href = "#f-" + index; code.title = "link to this finding";
    head.append(el("span", "fam fam-" + familyOf(f), familyOf(f)), code, el("span", "name", data.codes[f[3]].name),
      el("span", "loc", data.locales[f[5]]), el("span", "where", f[0] + ":" + f[1] + ":" + f[2]));
    box.append(head, message(f[4]));
    if (f[8] !== null || f[9] !== null) {
      var sxs = el("div", "sxs"), src = el("div"), tgt = el("div");
      src.append(el("h4", null, f[11] ? "Compared with \u00b7 " + f[11] : "Source"));
      var refs = quoted(f[4]).filter(function (q) { return q !== f[10]; }).map(function (q) { return [q, "ref"]; });
      var ps = el("p", "source"); ps.append(highlighted(f[8] || "", [[f[10], "tok"]].concat(refs))); src.append(ps);
      tgt.append(el("h4", null, "Target \u00b7 " + data.locales[f[5]]));
      var pt = el("p", "target"); pt.append(highlighted(f[9] || "", [[f[10], "tok"]])); tgt.append(pt);
      sxs.append(src, tgt); box.append(sxs);
    } else if (f[7] && f[4].indexOf(f[7]) < 0) {
      var subject = el("p", "hint"); subject.append("about ", el("code", null, f[7])); box.append(subject);
    }
    return box;
  }

  function renderFindings() {
    var hits = [];
    for (var i = 0; i < F.length; i++) if (matches(F[i], false)) hits.push(i);
    var pages = Math.max(1, Math.ceil(hits.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    var first = state.page * PAGE, shown = hits.slice(first, first + PAGE);
    var list = $("findings-list");
    list.textContent = "";
    var frag = document.createDocumentFragment();
    shown.forEach(function (i) { frag.append(findingNode(F[i], i)); });
    list.append(frag);
    $("findings-count").textContent = hits.length === 0 ? "No findings match the filters." :
      "Showing " + (first + 1) + "\u2013" + (first + shown.length) + " of " + hits.length + " findings" +
      (hits.length < F.length ? " (" + F.length + " in all)" : "");
    pager($("findings-pager"), state.page, pages, function (p) { state.page = p; renderFindings(); $("findings").scrollIntoView(); });
    return hits;
  }

  function refresh() { state.page = 0; state.mpage = 0; syncFilters(); renderMatrix(); renderFindings(); remember(); }
  function reset() { state.locale = state.family = state.code = state.text = ""; state.article = -1; }
  function show(changes) {
    reset(); Object.assign(state, changes); refresh();
    $("findings").scrollIntoView();
  }

  function localeIndex(name) { var i = data.locales.indexOf(name); return i < 0 ? "" : String(i); }

  // The filters as a fragment, `#locale=tr-tr&code=P004`, so a view can be linked to or bookmarked.
  function remember() {
    var params = new URLSearchParams();
    if (state.locale !== "") params.set("locale", data.locales[+state.locale]);
    if (state.family) params.set("family", state.family);
    if (state.code) params.set("code", state.code);
    if (state.article >= 0) params.set("article", data.articles[state.article]);
    if (state.text) params.set("text", state.text);
    var next = params.toString();
    if (!next && location.hash.indexOf("=") < 0) return;  // leave plain anchors (#heatmap) alone
    try { history.replaceState(null, "", next ? "#" + next : location.pathname); } catch (e) { /* file: may refuse */ }
  }

  // `#f-N` opens the page holding finding N and flashes it; `#locale=...&code=...` sets the filters.
  function route() {
    var hash = location.hash.slice(1), m = /^f-(\d+)$/.exec(hash);
    if (m && +m[1] < F.length) {
      var n = +m[1], hits = [];
      if (!matches(F[n], false)) reset();
      syncFilters(); renderMatrix();
      for (var i = 0; i < F.length; i++) if (matches(F[i], false)) hits.push(i);
      state.page = Math.floor(hits.indexOf(n) / PAGE); renderFindings();
      var node = $("f-" + n);
      if (node) { node.scrollIntoView(); node.classList.add("flash"); }
      return true;
    } else if (hash.indexOf("=") >= 0) {
      var params = new URLSearchParams(hash);
      reset();
      state.locale = localeIndex(params.get("locale"));
      state.family = data.families[params.get("family")] ? params.get("family") : "";
      state.code = data.codes[params.get("code")] ? params.get("code") : "";
      state.article = params.has("article") ? data.articles.indexOf(params.get("article")) : -1;
      state.text = (params.get("text") || "").toLowerCase();
      refresh();
      return true;
    }
    return false;
  }

  fillFilters();
  if (!route()) refresh();
  window.addEventListener("hashchange", route);
  $("filter-locale").addEventListener("change", function (e) { state.locale = e.target.value; refresh(); });
  $("filter-family").addEventListener("change", function (e) { state.family = e.target.value; refresh(); });
  $("filter-code").addEventListener("change", function (e) { state.code = e.target.value; refresh(); });
  var typing;
  $("filter-text").addEventListener("input", function (e) {
    clearTimeout(typing);
    typing = setTimeout(function () { state.text = e.target.value.trim().toLowerCase(); refresh(); }, 150);
  });
  $("filter-article").addEventListener("click", function () { state.article = -1; refresh(); });
  $("filter-clear").addEventListener("click", function () { reset(); refresh(); });
  $("show-clean").addEventListener("change", function () { state.mpage = 0; renderMatrix(); });
  $("matrix-table").addEventListener("click", function (e) {
    var link = e.target.closest("a[data-a]");
    if (!link) return;
    e.preventDefault();
    state.article = +link.dataset.a; state.locale = link.dataset.l; state.page = 0;
    syncFilters(); renderMatrix(); renderFindings(); remember(); $("findings").scrollIntoView();
  });
  document.querySelector("table.heatmap").addEventListener("click", function (e) {
    var td = e.target.closest("td.heat");
    if (td) show({ locale: localeIndex(td.dataset.locale), family: td.dataset.family });
  });
  document.querySelector("table.stale").addEventListener("click", function (e) {
    var tr = e.target.closest("tr");
    if (tr) show({ locale: localeIndex(tr.dataset.locale), code: "M002" });
  });
  document.querySelector(".families").addEventListener("click", function (e) {
    var li = e.target.closest("li");
    if (li) show({ family: li.dataset.family });
  });
  document.documentElement.dataset.rendered = "yes";
})();
"""

_SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
