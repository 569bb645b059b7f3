"""The HTML health report: escaping, colour scale and data without a browser; then the rendered
page in headless Chromium (Debian's `chromium`), asserted through the DOM after its script ran.

The browser tests skip with a reason when no chromium is installed (`.ci/run` installs it on
Debian as root). Chromium is driven with `--dump-dom` and `--screenshot` only: no new dependency.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixture_tree import write_tree
from loclint.cli import main
from loclint.config import load_settings
from loclint.engine import RunResult, run
from loclint.model import Diagnostic
from loclint.output.report import FORMATS
from loclint.output.html import _script_json, heat_bin, heat_thresholds, html_report
from loclint.registry import families

# --- a known set of findings ---------------------------------------------------------------------

LOCALES = ["de-de", "fr-fr", "ja-jp", "tr-tr"]
ARTICLE_LOCALES = {"a.md": set(LOCALES), "b.md": {"de-de", "fr-fr", "tr-tr"}}  # ja-jp lacks b.md


def finding(code: str, locale: str, article: str, line: int = 5, **extra) -> Diagnostic:
    return Diagnostic(
        path=f"docs/{locale}/{article}",
        line=line,
        column=3,
        end_line=line,
        end_column=9,
        code=code,
        message=extra.pop("message", f"{code} finding"),
        locale=locale,
        article=article,
        **extra,
    )


def known_findings() -> list[Diagnostic]:
    """Sorted as the engine sorts them, so finding N of the page is the N-th below (f-0 ... f-5)."""
    found = [
        finding("M002", "de-de", "a.md", 4, subject="ms.sourcegitcommit"),
        finding("M002", "tr-tr", "a.md", 4, subject="ms.sourcegitcommit"),
        finding("M002", "tr-tr", "b.md", 4, subject="ms.sourcegitcommit"),
        finding(
            "P004",
            "tr-tr",
            "a.md",
            12,
            message="acronym `MFA` of the source is missing in the target (`MAE` instead?)",
            subject="103",
            source_text="Turn on MFA for all users.",
            target_text="Tüm kullanıcılar için MAE özelliğini açın.",
            token="MAE",
        ),
        finding("P001", "fr-fr", "b.md", 9, source_text="Up to 1,000 users.", target_text="Jusqu'à 100 utilisateurs.", token="1,000"),
        finding("B002", "ja-jp", "a.md", 20, source_text="Select **OK**.", target_text="**OK を選択します。", token=None),
    ]
    return sorted(found, key=Diagnostic.sort_key)


def known_run(diagnostics: list[Diagnostic]) -> RunResult:
    return RunResult(diagnostics=diagnostics, files=7, groups=2, article_locales={k: set(v) for k, v in ARTICLE_LOCALES.items()})


# A payload that, if it ever ran, would retitle the page and add an element we can look for.
PAYLOAD = "<script>document.title='pwned';document.body.appendChild(Object.assign(document.createElement('p'),{id:'pwned'}))</script>"
IMG_PAYLOAD = "<img src=x id=pwned-img onerror=\"document.title='pwned'\">"


def hostile_findings() -> list[Diagnostic]:
    text = f"Click {PAYLOAD} and {IMG_PAYLOAD} \u2028 </script><!-- now"
    return [
        Diagnostic(
            path=f"docs/{IMG_PAYLOAD}/a.md",
            line=1,
            column=1,
            end_line=1,
            end_column=2,
            code="P003",
            message=f"inline code `{PAYLOAD}` is missing",
            locale=f"xx-{IMG_PAYLOAD}",
            article=f"a{PAYLOAD}.md",
            subject=PAYLOAD,
            source_text=text,
            target_text=text,
            token=PAYLOAD,
        )
    ]


# --- without a browser ---------------------------------------------------------------------------


def test_html_is_a_registered_format() -> None:
    assert FORMATS["html"] is html_report


def test_script_json_cannot_close_its_element_and_round_trips() -> None:
    value = {"t": f"{PAYLOAD} </script> <!-- & \u2028\u2029 ok"}
    text = _script_json(value)
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in text
    assert json.loads(text) == value


def test_heat_scale_is_logarithmic_and_covers_the_highest_count() -> None:
    assert heat_thresholds(0) == []
    assert heat_thresholds(3) == [1, 2, 3]
    assert heat_thresholds(192) == [3, 8, 23, 67, 192]
    bounds = heat_thresholds(192)
    assert [heat_bin(n, bounds) for n in (0, 1, 3, 4, 23, 24, 192)] == [0, 1, 1, 2, 3, 4, 5]


def test_file_text_is_escaped_and_only_the_page_script_is_allowed_to_run() -> None:
    page = html_report(hostile_findings(), RunResult(files=1, groups=1))
    assert PAYLOAD not in page and IMG_PAYLOAD not in page
    assert "&lt;img src=x id=pwned-img" in page  # the locale in the heatmap, escaped
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.DOTALL)
    assert [attrs for attrs, _ in scripts] == [' type="application/json" id="report-data"', ""]
    digest = base64.b64encode(hashlib.sha256(scripts[1][1].encode("utf-8")).digest()).decode("ascii")
    assert f"script-src 'sha256-{digest}'" in page
    assert "default-src 'none'" in page  # nothing is fetched from anywhere
    assert json.loads(scripts[0][1])["findings"][0][9].startswith(f"Click {PAYLOAD}")


def test_static_sections_count_the_known_findings() -> None:
    page = html_report(known_findings(), known_run(known_findings()))
    assert re.search(r'id="count-findings"><span class="num">6<', page)
    assert re.search(r'id="count-stale"><span class="num">3<', page)
    assert 'data-locale="tr-tr" data-family="M" data-count="2"' in page
    assert 'data-locale="tr-tr" data-stale="2"' in page


def test_a_real_run_lists_every_article_and_locale(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "de-DE/a.md": "{{103: Mit MFA anmelden. || Sign in with MFA.}}\n",
            "fr-FR/a.md": "{{103: Se connecter avec MFA. || Sign in with MFA.}}\n",
            "ro-RO/a.md": "{{103: Conectați-vă cu MAE. || Sign in with MFA.}}\n",
            "de-DE/clean.md": "{{1: Hallo. || Hello.}}\n",
            "fr-FR/clean.md": "{{1: Bonjour. || Hello.}}\n",
        },
    )
    result = run([str(tmp_path)], load_settings(None, {}, tmp_path))
    assert result.article_locales == {"a.md": {"de-de", "fr-fr", "ro-ro"}, "clean.md": {"de-de", "fr-fr"}}
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', html_report(result.diagnostics, result), re.DOTALL).group(1))
    assert data["articles"] == ["a.md", "clean.md"]
    assert data["present"][1] == [0, 1]  # the clean article exists in de-de and fr-fr only
    assert [row[3] for row in data["findings"]] == ["P004"]


def test_cli_writes_the_report_to_a_file(tmp_path: Path, monkeypatch) -> None:
    write_tree(
        tmp_path,
        {
            "de-DE/a.md": "{{103: Mit MFA anmelden. || Sign in with MFA.}}\n",
            "fr-FR/a.md": "{{103: Se connecter avec MFA. || Sign in with MFA.}}\n",
            "ro-RO/a.md": "{{103: Conectați-vă cu MAE. || Sign in with MFA.}}\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    outcome = CliRunner().invoke(main, ["check", ".", "--output-format", "html", "--output-file", "report.html"])
    assert outcome.exit_code == 1, outcome.output
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert re.search(r'id="count-findings"><span class="num">1<', page)


# --- in headless Chromium ------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (Debian: apt-get install chromium; .ci/run does this as root)"
)


def chromium(*args: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", f"--user-data-dir={profile}", *args,
            ],
            capture_output=True,
            text=True,
            timeout=180,  # a safety net against a hung browser, not a performance assertion
            env={**os.environ, "LANG": "C.UTF-8"},
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class Node:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag, self.attrs, self.children = tag, attrs, []

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes()) and all(
                    child.attrs.get(key.replace("_", "-")) == value for key, value in attrs.items()
                ):
                    found.append(child)
                found.extend(child.find_all(tag, cls, **attrs))
        return found

    def one(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert len(found) == 1, (tag, cls, attrs, len(found))
        return found[0]


class TreeBuilder(HTMLParser):
    VOID = {"meta", "link", "br", "img", "input", "hr", "col", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {key: value or "" for key, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def rendered_dom(page: str, directory: Path, fragment: str = "") -> Node:
    path = directory / "report.html"
    path.write_text(page, encoding="utf-8")
    builder = TreeBuilder()
    builder.feed(chromium("--dump-dom", path.as_uri() + fragment))
    dom = builder.root
    assert dom.one("html").attrs.get("data-rendered") == "yes", "the page script did not run to its end"
    return dom


@pytest.fixture(scope="module")
def known_dom(tmp_path_factory) -> Node:
    return rendered_dom(html_report(known_findings(), known_run(known_findings())), tmp_path_factory.mktemp("known"))


@needs_chromium
def test_browser_shows_the_counts(known_dom: Node) -> None:
    numbers = {card.attrs["id"]: card.one("span", "num").text() for card in known_dom.find_all("div", "card")}
    assert numbers == {
        "count-files": "7",
        "count-groups": "2",
        "count-locales": "4",
        "count-findings": "6",
        "count-files-with-findings": "5",
        "count-stale": "3",
    }
    assert known_dom.one(id="family-count-P").text() == "2"
    assert known_dom.one(id="findings-count").text() == "Showing 1–6 of 6 findings"
    assert len(known_dom.find_all("article", "finding")) == 6


@needs_chromium
def test_browser_shows_the_heatmap_cells(known_dom: Node) -> None:
    heatmap = known_dom.one("table", "heatmap")
    cells = {(td.attrs["data-locale"], td.attrs["data-family"]): td for td in heatmap.find_all("td", "heat")}
    assert len(cells) == len(LOCALES) * len(families())
    assert cells[("tr-tr", "M")].text() == "2" and "b2" in cells[("tr-tr", "M")].classes()
    assert cells[("ja-jp", "B")].text() == "1" and "b1" in cells[("ja-jp", "B")].classes()
    assert cells[("de-de", "P")].text() == "" and "b0" in cells[("de-de", "P")].classes()
    stale = {tr.attrs["data-locale"]: tr.attrs["data-stale"] for tr in known_dom.one("table", "stale").find_all("tr")}
    assert stale == {"de-de": "1", "fr-fr": "0", "ja-jp": "0", "tr-tr": "2"}


@needs_chromium
def test_browser_matrix_tells_clean_from_absent(known_dom: Node) -> None:
    rows = {row.one("th", "art").attrs["title"]: row.find_all("td")[:4] for row in known_dom.one(id="matrix-table").one("tbody").find_all("tr")}
    assert [cell.text() or sorted(cell.classes())[0] for cell in rows["a.md"]] == ["1", "clean", "1", "2"]
    assert [cell.text() or sorted(cell.classes())[0] for cell in rows["b.md"]] == ["clean", "1", "absent", "1"]
    link = rows["b.md"][1].one("a")
    assert (link.attrs["data-a"], link.attrs["data-l"]) == ("1", "1")


@needs_chromium
def test_browser_highlights_the_offending_token(known_dom: Node) -> None:
    [acronym] = [box for box in known_dom.find_all("article", "finding") if box.one("a", "code").text() == "P004"]
    target = acronym.one("p", "target")
    assert target.text() == "Tüm kullanıcılar için MAE özelliğini açın."
    assert [mark.text() for mark in target.find_all("mark", "tok")] == ["MAE"]
    # The source lacks the replacement; the source token the message quotes is marked instead.
    assert [(mark.text(), mark.attrs["class"]) for mark in acronym.one("p", "source").find_all("mark")] == [("MFA", "ref")]
    assert [code.text() for code in acronym.one("p", "msg").find_all("code")] == ["MFA", "MAE"]


@needs_chromium
def test_browser_never_runs_a_script_from_a_segment(tmp_path: Path) -> None:
    dom = rendered_dom(html_report(hostile_findings(), RunResult(files=1, groups=1)), tmp_path)
    assert dom.one("title").text() == "Localization health report"
    assert dom.find_all(id="pwned") == [] and dom.find_all(id="pwned-img") == []
    box = dom.one("article", "finding")
    assert PAYLOAD in box.one("p", "target").text()  # shown as text, and highlighted as the token
    assert [mark.text() for mark in box.one("p", "target").find_all("mark")] == [PAYLOAD]
    assert box.one("span", "where").text().startswith(f"docs/{IMG_PAYLOAD}/a.md")
    assert dom.one("table", "heatmap").one("tbody").one("th").text() == f"xx-{IMG_PAYLOAD}"
    assert len(dom.find_all("script")) == 2


@needs_chromium
def test_browser_pages_thousands_of_findings_and_follows_a_permalink(tmp_path: Path) -> None:
    many = [finding("P001", LOCALES[n % 4], f"art{n // 40:03d}.md", n + 1, token="1") for n in range(3000)]
    many.sort(key=Diagnostic.sort_key)
    page = html_report(many, RunResult(diagnostics=many, files=300, groups=75))
    dom = rendered_dom(page, tmp_path, "#f-1234")
    shown = dom.find_all("article", "finding")
    assert len(shown) == 50  # one page in the DOM, not 3,000 nodes
    assert "f-1234" in {box.attrs["id"] for box in shown}
    assert dom.one(id="findings-count").text() == "Showing 1201–1250 of 3000 findings"
    assert len(dom.one(id="matrix-table").one("tbody").find_all("tr")) == 25


@needs_chromium
def test_browser_takes_its_filters_from_the_fragment(tmp_path: Path) -> None:
    page = html_report(known_findings(), known_run(known_findings()))
    dom = rendered_dom(page, tmp_path, "#locale=tr-tr&family=M")
    assert dom.one(id="findings-count").text() == "Showing 1–2 of 2 findings (6 in all)"
    assert {box.one("span", "where").text() for box in dom.find_all("article", "finding")} == {"docs/tr-tr/a.md:4:3", "docs/tr-tr/b.md:4:3"}
    matrix = dom.one(id="matrix-table")
    assert [th.text() for th in matrix.one("thead").find_all("th", "picked")] == ["tr-tr"]
    assert len(matrix.one("tbody").find_all("tr")) == 2  # articles with M findings, in any locale


# Clicks through the page the way a reader would and writes what the findings list showed after
# each step into the DOM. Only this test's copy of the page lets a second script run.
PROBE = """
(function () {
  var out = {};
  function seen() {
    return [document.getElementById("findings-count").textContent,
            Array.from(document.querySelectorAll("#findings-list article")).map(function (a) { return a.id; })];
  }
  document.querySelector('td.heat[data-locale="tr-tr"][data-family="M"]').click();
  out.heatmap = seen();
  document.getElementById("filter-clear").click();  // the matrix follows the family filter
  document.querySelector('#matrix-table a[data-a="1"][data-l="1"]').click();
  out.matrix = seen().concat([document.getElementById("filter-article").textContent]);
  document.getElementById("filter-clear").click();
  var code = document.getElementById("filter-code");
  code.value = "P004"; code.dispatchEvent(new Event("change"));
  out.code = seen().concat([location.hash]);
  document.querySelector('table.stale tr[data-locale="tr-tr"]').click();
  out.staleness = seen();
  var probe = document.createElement("pre"); probe.id = "probe"; probe.textContent = JSON.stringify(out);
  document.body.append(probe);
})();
"""


@needs_chromium
def test_browser_clicks_filter_the_findings(tmp_path: Path) -> None:
    page = html_report(known_findings(), known_run(known_findings()))
    page = re.sub(r"script-src '[^']+'", "script-src 'unsafe-inline'", page).replace("</body>", f"<script>{PROBE}</script></body>")
    probe = json.loads(rendered_dom(page, tmp_path).one(id="probe").text())
    assert probe["heatmap"] == ["Showing 1–2 of 2 findings (6 in all)", ["f-3", "f-5"]]
    assert probe["matrix"] == ["Showing 1–1 of 1 findings (6 in all)", ["f-1"], "article: b.md  ×"]
    assert probe["code"] == ["Showing 1–1 of 1 findings (6 in all)", ["f-4"], "#code=P004"]
    assert probe["staleness"] == ["Showing 1–2 of 2 findings (6 in all)", ["f-3", "f-5"]]


@needs_chromium
def test_browser_takes_a_screenshot(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(html_report(known_findings(), known_run(known_findings())), encoding="utf-8")
    png = tmp_path / "shot.png"
    chromium("--window-size=1280,1600", f"--screenshot={png}", page.as_uri())
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (1280, 1600)
