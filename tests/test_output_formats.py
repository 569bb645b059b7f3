"""Every output format round-trips a known set of findings: the bundled example (five planted
defects) plus a finding whose message holds hostile text taken from a translation (`%`, CR, LF,
`::` and commas inside a code span)."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import SHARED
from fixture_tree import write_tree
from loclint.config import load_settings
from loclint.engine import RunResult, run
from loclint.model import Diagnostic
from loclint.output.report import FORMATS, render, statistics
from loclint.output.github import escape_data

REPO = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = SHARED / "schemas" / "sarif-2.1.0.json"
HOSTILE = "Set-Utilizator 100%,\r\n::error file=x::pwned, a::b"

Finding = tuple[str, int, int, str, str]  # (path, line, column, code, message)


def _run_in(root: Path, paths: list[str], **overrides) -> RunResult:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return run(paths, load_settings(None, overrides, root))
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def known(tmp_path_factory) -> tuple[Path, list[Diagnostic], RunResult]:
    """The example's five findings plus the hostile one, all with paths relative to `root`."""
    root = tmp_path_factory.mktemp("formats")
    for locale_dir in (REPO / "examples").iterdir():
        if locale_dir.is_dir() and not locale_dir.name.startswith("."):  # not a cache a README run left
            (root / "examples" / locale_dir.name).mkdir(parents=True)
            for file in locale_dir.iterdir():
                (root / "examples" / locale_dir.name / file.name).write_bytes(file.read_bytes())
    write_tree(
        root / "hostile",
        {
            "de-DE/a.md": "{{103: Führen Sie `Set-User -Name a,b` aus. || Run `Set-User -Name a,b`.}}\n",
            "fr-FR/a.md": "{{103: Exécutez `Set-User -Name a,b`. || Run `Set-User -Name a,b`.}}\n",
            "ro-RO/a.md": f"{{{{103: Rulați `{HOSTILE}`. || Run `Set-User -Name a,b`.}}}}\n",
        },
    )
    result = _run_in(root, ["examples", "hostile"])
    codes = sorted(d.code for d in result.diagnostics)
    assert codes == ["B002", "M002", "P003", "P003", "P004", "S006"], codes
    assert any(HOSTILE in d.message for d in result.diagnostics), "the hostile text must reach a message"
    return root, result.diagnostics, result


def _expected(diagnostics: list[Diagnostic]) -> list[Finding]:
    return [(Path(d.path).as_posix(), d.line, d.column, d.code, d.message) for d in diagnostics]


def _render(known, name: str) -> str:
    root, diagnostics, result = known
    cwd = os.getcwd()
    os.chdir(root)  # `full` reads the source lines it shows
    try:
        return render(name, diagnostics, result)
    finally:
        os.chdir(cwd)


def _unescape_text(text: str) -> str:
    return re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), text)


def test_every_format_is_tested():
    assert set(FORMATS) - {"html"} == set(PARSERS), "a format without a round-trip test"


def parse_text_line(line: str) -> Finding:
    path, row, col, rest = line.split(":", 3)
    code, message = rest.strip().split(" ", 1)
    message = message.removeprefix("[*] ")  # the marker of a finding `--fix` repairs
    return (path, int(row), int(col), code, _unescape_text(message))


def parse_concise(text: str) -> list[Finding]:
    return [parse_text_line(line) for line in text.splitlines()]


def parse_full(text: str) -> list[Finding]:
    found = []
    for block in text.split("\n\n"):
        if block.strip():
            headline, *snippet = block.splitlines()
            assert len(snippet) == 3 and snippet[2].lstrip(" |").startswith("^"), block
            found.append(parse_text_line(headline))
    return found


def parse_grouped(text: str) -> list[Finding]:
    found, path = [], None
    for line in text.splitlines():
        if not line:
            continue
        if not line.startswith(" "):
            path = line.rstrip(":")
            continue
        where, code, message = line.strip().split(" ", 2)
        row, col = where.split(":")
        found.append((path, int(row), int(col), code, _unescape_text(message)))
    return found


def parse_pylint(text: str) -> list[Finding]:
    found = []
    for line in text.splitlines():
        match = re.fullmatch(r"(.+?):(\d+): \[(\w+)\] (.*)", line)
        assert match, line
        found.append((match.group(1), int(match.group(2)), None, match.group(3), _unescape_text(match.group(4))))
    return found


def _from_json_object(item: dict) -> Finding:
    return (item["filename"], item["location"]["row"], item["location"]["column"], item["code"], item["message"])


def parse_json(text: str) -> list[Finding]:
    return [_from_json_object(item) for item in json.loads(text)]


def parse_json_lines(text: str) -> list[Finding]:
    return [_from_json_object(json.loads(line)) for line in text.splitlines()]


_GITHUB = re.compile(r"::error (?P<props>[^:]*)::(?P<data>.*)")


def _unescape_github(text: str) -> str:
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: chr(int(m.group(1), 16)), text)


def parse_github(text: str) -> list[Finding]:
    found = []
    for line in text.split("\n")[:-1]:
        match = _GITHUB.fullmatch(line)
        assert match, line
        props = dict(item.split("=", 1) for item in match.group("props").split(","))
        assert props["title"].startswith("loclint (")
        code, message = _unescape_github(match.group("data")).split(" ", 1)
        found.append((_unescape_github(props["file"]), int(props["line"]), int(props["col"]), code, message))
    return found


def parse_gitlab(text: str) -> list[Finding]:
    issues = json.loads(text)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues), "fingerprints must be unique"
    found = []
    for issue in issues:
        begin = issue["location"]["positions"]["begin"]
        code, message = issue["description"].split(" ", 1)
        assert code == issue["check_name"] and issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        found.append((issue["location"]["path"], begin["line"], begin["column"], code, message))
    return found


def parse_sarif(text: str) -> list[Finding]:
    document = json.loads(text)
    (sarif_run,) = document["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    found = []
    for result in sarif_run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        found.append((location["artifactLocation"]["uri"], region["startLine"], region["startColumn"], result["ruleId"], result["message"]["text"]))
    return found


def parse_junit(text: str) -> list[Finding]:
    suites = ET.fromstring(text.encode("utf-8"))
    found = []
    for case in suites.iter("testcase"):
        failure = case.find("failure")
        if failure is None:
            continue
        assert failure.text.count("\n") >= int(failure.get("message").split(" ")[0])
        for line in failure.text.splitlines():
            if re.match(r"\S+:\d+:\d+: [A-Z]\d{3} ", line):
                found.append(parse_text_line(line))
            else:  # the rest of a message a line break split: XML keeps it verbatim
                path, row, col, code, message = found.pop()
                found.append((path, row, col, code, message + "\n" + line))
    return found


PARSERS = {
    "full": parse_full,
    "concise": parse_concise,
    "grouped": parse_grouped,
    "pylint": parse_pylint,
    "json": parse_json,
    "json-lines": parse_json_lines,
    "github": parse_github,
    "gitlab": parse_gitlab,
    "sarif": parse_sarif,
    "junit": parse_junit,
}


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_format_round_trips_the_known_findings(known, name: str):
    text = _render(known, name)
    expected = _expected(known[1])
    found = PARSERS[name](text)
    if name == "pylint":  # pylint's format has no column
        expected = [(p, line, None, code, message) for p, line, _, code, message in expected]
    if name == "junit":  # XML normalises a CR LF inside text to LF
        expected = [(p, line, col, code, message.replace("\r\n", "\n")) for p, line, col, code, message in expected]
    assert sorted(found, key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("name", ["full", "concise", "grouped", "pylint"])
def test_text_formats_keep_each_finding_on_its_own_lines(known, name: str):
    text = _render(known, name)
    assert "\r" not in text
    assert not any(line.startswith("::") for line in text.splitlines()), "a translation started its own line"


def test_github_gives_one_well_formed_command_per_finding(known):
    text = _render(known, "github")
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(known[1])
    assert "\r" not in text
    for line in lines[:-1]:
        assert _GITHUB.fullmatch(line), line
        assert line.count("::") == 2 + line.split("::", 2)[2].count("::")
    hostile = next(line for line in lines if "Set-Utilizator" in line)
    assert escape_data(HOSTILE) in hostile
    assert "100%25,%0D%0A::error file=x::pwned, a::b" in hostile


def test_github_escapes_properties():
    diagnostic = Diagnostic("docs/a,b:c%d.md", 3, 4, 3, 9, "P001", "x\ny")
    (line,) = FORMATS["github"]([diagnostic], RunResult()).splitlines()
    assert "file=docs/a%2Cb%3Ac%25d.md," in line
    assert line.endswith("::P001 x%0Ay")


def test_full_points_the_caret_at_the_column(known):
    text = _render(known, "full")
    block = next(block for block in text.split("\n\n") if " P004 " in block)
    _, _, source, caret = block.splitlines()
    shown = source.split(" | ", 1)[1]
    marks = caret.split(" | ", 1)[1] if " | " in caret else caret.split("|", 1)[1][1:]
    start = len(marks) - len(marks.lstrip(" "))
    assert shown[start : start + 3] == "AUS" and marks.strip() == "^^^", block


def test_full_caret_counts_wide_characters(tmp_path: Path):
    (tmp_path / "a.md").write_text("日本語 MAE here\n", encoding="utf-8")
    diagnostic = Diagnostic("a.md", 1, 5, 1, 8, "P004", "m")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        text = FORMATS["full"]([diagnostic], RunResult())
    finally:
        os.chdir(cwd)
    caret = text.splitlines()[3]
    assert caret == "  | " + " " * 7 + "^^^"


def test_full_colours_only_when_asked(known):
    plain = _render(known, "full")
    root, diagnostics, result = known
    cwd = os.getcwd()
    os.chdir(root)
    try:
        coloured = render("full", diagnostics, result, color=True)
    finally:
        os.chdir(cwd)
    assert "\x1b[" not in plain and "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_sarif_validates_against_the_schema(known):
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extra")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is not at {SARIF_SCHEMA} (../shared is absent)")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    document = json.loads(_render(known, "sarif"))
    jsonschema.validate(document, schema)
    driver = document["runs"][0]["tool"]["driver"]
    from loclint.registry import all_rules

    assert [rule["id"] for rule in driver["rules"]] == list(all_rules())
    assert document["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_junit_has_one_testcase_per_file(known):
    suites = ET.fromstring(_render(known, "junit").encode("utf-8"))
    cases = list(suites.iter("testcase"))
    names = [case.get("name") for case in cases]
    assert len(names) == len(set(names)) == len(known[2].reported_files) == 7
    failed = {case.get("name") for case in cases if case.find("failure") is not None}
    assert failed == {Path(d.path).as_posix() for d in known[1]}
    assert suites.get("failures") == str(len(failed))


def test_statistics_counts_per_code(known):
    _, diagnostics, result = known
    text = statistics(diagnostics, result)
    assert text.splitlines()[0] == "2  P003  inline-code-changed"
    assert "1  S006  missing-segment" in text.splitlines()
    document = json.loads(statistics(diagnostics, result, as_json=True))
    assert {item["code"]: item["count"] for item in document["codes"]} == {"B002": 1, "M002": 1, "P003": 2, "P004": 1, "S006": 1}


def _cli(root: Path, *args: str, env: dict | None = None):
    from click.testing import CliRunner

    from loclint.cli import main

    cwd = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(main, ["check", *args], env=env)
    finally:
        os.chdir(cwd)


def test_output_file_quiet_and_config(known):
    root = known[0]
    result = _cli(root, "examples", "--output-format", "json", "--output-file", "out.json")
    assert result.exit_code == 1 and result.output == ""
    assert len(json.loads((root / "out.json").read_text(encoding="utf-8"))) == 5
    assert "Found 5 problems" in _cli(root, "examples").output
    quiet = _cli(root, "examples", "--quiet").output
    assert len(quiet.splitlines()) == 5 and "Found" not in quiet
    (root / "loclint.toml").write_text('output-format = "pylint"\n', encoding="utf-8")
    try:
        assert "[M002]" in _cli(root, "examples").output
        shown = _cli(root, "examples", "--show-settings").output
        assert re.search(r'^output-format = "pylint" +# .*loclint\.toml$', shown, re.MULTILINE), shown
        (root / "loclint.toml").write_text('output-format = "yaml"\n', encoding="utf-8")
        bad = _cli(root, "examples")
        assert bad.exit_code == 2 and "unknown output-format `yaml`" in bad.output
    finally:
        (root / "loclint.toml").unlink()


def test_show_files_lists_groups_and_variants(known):
    shown = _cli(known[0], "examples", "--show-files").output.splitlines()
    assert shown[0] == "get-started.md  (4 variants)"
    assert shown[1].split()[:2] == ["de-de", "examples/de-DE/get-started.md"]
    assert shown[1].endswith("# taken: locale de-de")  # --show-files says why each file was taken
    assert shown[-1] == "1 article group."


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    from loclint.output.report import wants_color

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert wants_color(_Stream(True), to_file=False)
    assert not wants_color(_Stream(False), to_file=False)
    assert not wants_color(_Stream(True), to_file=True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_color(_Stream(True), to_file=False)


def _full_of(tmp_path: Path, line: str, column: int, width: int) -> list[str]:
    (tmp_path / "a.md").write_text(line + "\n", encoding="utf-8")
    diagnostic = Diagnostic("a.md", 1, column, 1, column + width, "P004", "m")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return FORMATS["full"]([diagnostic], RunResult()).splitlines()[:4]
    finally:
        os.chdir(cwd)


def test_full_cuts_a_long_cjk_line_by_display_width(tmp_path: Path):
    from loclint.output.text import WINDOW, _width

    line = "多因素身份验证" * 30 + " MFA " + "多因素身份验证" * 30
    column = line.index("MFA") + 1
    _, _, source, caret = _full_of(tmp_path, line, column, 3)
    shown = source.split(" | ", 1)[1].strip("…")
    assert WINDOW - 2 <= _width(shown) <= WINDOW  # as wide as a Latin window, not twice as wide
    marks = caret.split(" | ", 1)[1]
    start = _width(source.split(" | ", 1)[1][: source.split(" | ", 1)[1].index("MFA")])
    assert marks == " " * start + "^^^"


def test_full_shows_a_short_cjk_line_whole(tmp_path: Path):
    line = "多因素身份验证 MFA 已启用"
    _, _, source, _ = _full_of(tmp_path, line, line.index("MFA") + 1, 3)
    assert source.split(" | ", 1)[1] == line


def test_full_window_near_the_end_of_a_long_line_is_full_width(tmp_path: Path):
    from loclint.output.text import WINDOW

    line = "x" * 500 + " MFA"
    _, _, source, _ = _full_of(tmp_path, line, line.index("MFA") + 1, 3)
    shown = source.split(" | ", 1)[1]
    assert shown.startswith("…") and shown.endswith("MFA") and len(shown) == WINDOW + 1
