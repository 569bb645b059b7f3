"""Hostile input: loclint never crashes, never hangs, and reports each problem where it is.

Every case writes a tree holding one hostile file next to a healthy article (`good.md`) that has a
planted P001 in fr-fr, then runs the real command line in-process. Each case asserts:
- no traceback and the documented exit status (1: findings; 2 only for configuration problems);
- the `E` diagnostic with its exact `path:line:col` and a message saying what to do;
- the rest of the run is unaffected: the planted P001 in the healthy article is still reported.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixture_tree import write_tree

from loclint import engine, source
from loclint.cli import main

SEGMENT = "{{101: %s || Wait 250 seconds.}}\n"
GOOD = {
    "en-us/good.md": SEGMENT % "Wait 250 seconds.",
    "de-de/good.md": SEGMENT % "Warten Sie 250 Sekunden.",
    "fr-fr/good.md": SEGMENT % "Attendez 520 secondes.",  # the planted P001
}
PLANTED = "fr-fr/good.md:7:40: P001"
FRONT = "---\ntitle: Hostile\nms.assetid: 4f670a84\nms.contentlocale: tr-tr\n---\n"


def lint(root: Path, *args: str) -> tuple[int, str, str]:
    """Run `loclint check` in `root`; returns (exit status, stdout, stderr). P001 (off by default)
    is enabled unless the test selects its rules: the planted P001 shows the rest is checked."""
    planted = [] if "--select" in args else ["--extend-select", "P001"]
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, ["check", "--jobs", "1", "--no-cache", *planted, *args], catch_exceptions=True)
    finally:
        os.chdir(cwd)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"loclint raised {result.exception!r}\n{result.output}") from result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def hostile_run(root: Path, files: dict[str, str | bytes], *args: str) -> str:
    """Write the healthy article and `files`, lint, check the healthy part; returns stdout."""
    write_tree(root, {**GOOD, **files})
    status, out, err = lint(root, *args)
    assert status == 1, (status, out, err)
    assert PLANTED in out, out
    return out


def only(out: str, code: str) -> list[str]:
    return [line for line in out.splitlines() if f": {code} " in line]


def test_invalid_utf8_is_reported_at_the_byte_and_the_rest_is_checked(tmp_path):
    data = (FRONT + "Bozuk: ").encode() + b"\xfe\xff karakter\n"
    out = hostile_run(tmp_path, {"tr-tr/x.md": data})
    [line] = only(out, "E002")
    assert line.startswith("tr-tr/x.md:6:8: E002 not valid UTF-8: byte 0xfe")
    assert "re-save the file as UTF-8" in line


def test_utf16_with_bom_is_read_checked_and_flagged(tmp_path):
    text = FRONT.replace("4f670a84", "other-id") + "Metin\n"
    out = hostile_run(tmp_path, {"tr-tr/good.md": b"\xff\xfe" + text.encode("utf-16-le")})
    assert "tr-tr/good.md:1:1: E002 file is UTF-16 with a BOM" in out
    # Read, not skipped: its front matter is compared with the other locales'.
    assert any(line.startswith("tr-tr/good.md:3:1: M001") for line in out.splitlines()), out


def test_utf8_bom_is_transparent_and_columns_count_characters(tmp_path):
    files = {"tr-tr/good.md": "\ufeff" + FRONT + (SEGMENT % "Başlatmadan önce 205 saniye bekleyin.")}
    out = hostile_run(tmp_path, files)
    assert not [line for line in out.splitlines() if line.startswith("tr-tr/") and ": E0" in line], out
    assert "tr-tr/good.md:6:48: P001" in out  # the BOM is not a column


def test_crlf_and_mixed_line_endings_keep_positions_exact(tmp_path):
    crlf = (FRONT + "\n" + SEGMENT % "Başlatmadan önce 205 saniye bekleyin.").replace("\n", "\r\n")
    mixed = FRONT.replace("\n", "\r\n", 2) + "\r" + SEGMENT % "Vänta 205 sekunder."
    out = hostile_run(tmp_path, {"tr-tr/good.md": crlf, "sv-se/good.md": mixed.replace("tr-tr", "sv-se")})
    assert "tr-tr/good.md:7:48: P001" in out
    assert "sv-se/good.md:7:37: P001" in out


def test_empty_file_lacks_front_matter(tmp_path):
    out = hostile_run(tmp_path, {"tr-tr/good.md": b""})
    [line] = only(out, "E003")
    assert line.startswith("tr-tr/good.md:1:1: E003") and "must start with a `---` line" in line


def test_front_matter_never_closed(tmp_path):
    out = hostile_run(tmp_path, {"tr-tr/good.md": "---\ntitle: x\nms.contentlocale: tr-tr\n\nBody text\n"})
    [line] = only(out, "E004")
    assert line.startswith("tr-tr/good.md:1:1: E004 front matter is never closed: add a `---` line")


def test_yaml_with_tabs_points_at_the_tab(tmp_path):
    out = hostile_run(tmp_path, {"tr-tr/x.md": "---\ntitle: x\nms.custom:\n\t- a\n---\nBody\n"})
    [line] = only(out, "E004")
    assert line.startswith("tr-tr/x.md:4:1: E004 invalid YAML in front matter")


def test_yaml_alias_bomb_is_refused_before_expansion(tmp_path):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 10)]
    out = hostile_run(tmp_path, {"tr-tr/x.md": "---\n" + "\n".join(lines) + "\n---\nBody\n"})
    [line] = only(out, "E004")
    assert line.startswith("tr-tr/x.md:2:1: E004 front matter uses 81 YAML aliases (limit 64)")


def test_python_object_tag_is_refused_and_never_run(tmp_path):
    sentinel = tmp_path / "pwned"
    yaml_text = f"---\ntitle: !!python/object/apply:os.system ['touch {sentinel}']\n---\nBody\n"
    out = hostile_run(tmp_path, {"tr-tr/x.md": yaml_text})
    [line] = only(out, "E004")
    assert line.startswith("tr-tr/x.md:2:8: E004 invalid YAML in front matter")
    assert not sentinel.exists()


def test_file_over_the_size_limit_is_skipped_with_e006(tmp_path):
    out = hostile_run(tmp_path, {"tr-tr/x.md": FRONT + "x" * 5000 + "\n"}, "--config", _config(tmp_path, "max-file-size = 4096"))
    [line] = only(out, "E006")
    assert line.startswith("tr-tr/x.md:1:1: E006 file is 5,0") and "raise `max-file-size`" in line


def test_fifty_megabyte_single_line_under_a_raised_limit(tmp_path):
    # One 50 MB line of prose outside any segment, and a segment swallowing a 50 MB line: both
    # are read and checked in bounded time (the skeleton keeps a digest of long lines; a
    # megabyte-sized segment is reported as broken markup instead of tokenised).
    blob = "lorem ipsum dolor " * (50 * 1024 * 1024 // 18)
    files = {
        "tr-tr/x.md": FRONT + blob + "\n",
        "tr-tr/y.md": FRONT + '<span data-ttu-id="a-1">' + blob + '</span><span class="sxs-lookup"><span data-stu-id="a-1">x</span></span>\n',
    }
    config = _config(tmp_path, f"max-file-size = {60 * 1024 * 1024}")
    out = hostile_run(tmp_path, files, "--config", config)
    assert not [line for line in out.splitlines() if line.startswith("tr-tr/x.md") and ": E0" in line]
    [line] = only(out, "E005")
    assert line.startswith("tr-tr/y.md:6:1: E005 segment `a-1` is 52,428,") and "too long to be a sentence" in line


def test_hundred_thousand_nested_spans(tmp_path):
    deep = "<span>" * 100_000 + "x" + "</span>" * 100_000
    files = {"tr-tr/x.md": FRONT + deep + "\n", "en-us/x.md": FRONT + deep + "\n"}
    files["tr-tr/y.md"] = files["en-us/y.md"] = FRONT + (SEGMENT % deep).replace("{{101:", "{{102:")
    out = hostile_run(tmp_path, files)
    # Nested in the body: read, masked and compared, no finding. Inside a segment: 1.3 million
    # characters cannot be a sentence; reported once per file as broken markup, not tokenised.
    assert [line[:30] for line in only(out, "E005")] == ["en-us/y.md:6:1: E005 segment `", "tr-tr/y.md:6:1: E005 segment `"]


def test_hundred_thousand_unclosed_spans_are_summed_up(tmp_path):
    out = hostile_run(tmp_path, {"tr-tr/x.md": FRONT + '<span data-ttu-id="a-1">x' * 100_000 + "\n"})
    broken = only(out, "E005")
    assert len(broken) == 101  # the first 100, then one line for the rest
    assert broken[0].startswith("tr-tr/x.md:6:1: E005 target span of segment `a-1` is never closed")
    assert "99,900 more spans after this one are never closed" in broken[-1]


def test_unclosed_span_at_end_of_file(tmp_path):
    out = hostile_run(tmp_path, {"tr-tr/x.md": FRONT + 'Text <span data-ttu-id="a-7">yarım'})
    [line] = only(out, "E005")
    assert line.startswith("tr-tr/x.md:6:6: E005 target span of segment `a-7` is never closed")
    assert "add the missing `</span>`" in line


def test_ids_with_quotes_and_non_ascii(tmp_path):
    pair = (
        '<span data-ttu-id=\'ğü"ş-101\'>Metin 5</span><span class="sxs-lookup">'
        '<span data-stu-id=\'ğü"ş-101\'>Text 5</span></span>\n'
    )
    tricky = pair + '<span data-ttu-id="x<y-103">not a tag</span>\n<span data-ttu-id="ı\'ş-102">kayıp'
    out = hostile_run(tmp_path, {"tr-tr/x.md": FRONT + tricky, "en-us/x.md": FRONT + pair.replace("Metin", "Text")})
    [line] = only(out, "E005")
    assert line.startswith("tr-tr/x.md:8:1: E005 target span of segment `ı'ş-102` is never closed")


def test_nul_bytes_mean_binary(tmp_path):
    out = hostile_run(tmp_path, {"tr-tr/x.md": FRONT.encode() + b"\x00\x01\x02 binary"})
    [line] = only(out, "E007")
    assert line.startswith("tr-tr/x.md:1:1: E007 file holds NUL bytes: binary, not Markdown")


def test_directory_named_like_markdown(tmp_path):
    (tmp_path / "tr-tr" / "x.md").mkdir(parents=True)
    out = hostile_run(tmp_path, {"en-us/x.md": FRONT + "Body\n"})
    [line] = only(out, "E001")
    assert line.startswith("tr-tr/x.md:1:1: E001 is a directory, not a file")


def test_symlink_loops(tmp_path):
    (tmp_path / "tr-tr").mkdir()
    os.symlink("loop.md", tmp_path / "tr-tr" / "loop.md")  # a file link to itself
    os.symlink("..", tmp_path / "tr-tr" / "up")  # a folder link back up: never followed
    out = hostile_run(tmp_path, {"en-us/loop.md": FRONT + "Body\n"})
    [line] = only(out, "E001")
    assert line.startswith("tr-tr/loop.md:1:1: E001 cannot read the file: Too many levels of symbolic links")


def test_file_without_read_permission(tmp_path, monkeypatch):
    write_tree(tmp_path, {"tr-tr/x.md": FRONT + "Body\n"})
    locked = tmp_path / "tr-tr" / "x.md"
    if os.geteuid() == 0:  # root reads anything: refuse the read where the OS would have
        real_read = source.read_checked

        def denying_read(path, *args, **kwargs):
            if Path(path).name == "x.md":
                raise PermissionError(13, "Permission denied", str(path))
            return real_read(path, *args, **kwargs)

        monkeypatch.setattr(source, "read_checked", denying_read)
    else:
        locked.chmod(0)
    try:
        out = hostile_run(tmp_path, {})
    finally:
        locked.chmod(0o644)
    [line] = only(out, "E001")
    assert line.startswith("tr-tr/x.md:1:1: E001 permission denied: cannot read the file")


def test_file_deleted_while_the_run_is_going(tmp_path, monkeypatch):
    real_read = engine.read_text

    def read_after_deletion(path, *args, **kwargs):
        if Path(path).as_posix().endswith("tr-tr/gone.md"):
            Path(path).unlink()  # another process removes it between discovery and reading
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(engine, "read_text", read_after_deletion)
    out = hostile_run(tmp_path, {"tr-tr/gone.md": FRONT + "Body\n", "en-us/gone.md": FRONT + "Body\n"})
    [line] = only(out, "E001")
    assert line.startswith("tr-tr/gone.md:1:1: E001 file vanished while the run was going on")


def test_two_variants_claiming_one_locale(tmp_path):
    files = {"tr-tr/x.md": FRONT + "Body\n", "tr-TR/x.md": FRONT + "Body\n", "en-us/x.md": FRONT + "Body\n"}
    out = hostile_run(tmp_path, files)
    [line] = only(out, "E008")
    assert line.startswith("tr-tr/x.md:1:1: E008 another file of this article, tr-TR/x.md, already claims locale `tr-tr`")


# --- user-supplied patterns run under a time limit -------------------------------------------


def _config(root: Path, body: str) -> str:
    path = root / "loclint-test.toml"
    path.write_text(body + "\n", encoding="utf-8")
    return str(path)


def test_pathological_pattern_is_refused_at_load(tmp_path):
    write_tree(tmp_path, GOOD)
    config = _config(tmp_path, '[patterns]\ntimeout = 0.05\nnumber = "(a|aa)+$"')
    status, out, err = lint(tmp_path, "--config", config)
    assert status == 2 and out == ""
    assert "loclint: error: pattern `number` (`(a|aa)+$`) ran longer than 0.05 s" in err
    assert "rewrite it in the configuration" in err


def test_pattern_that_runs_away_on_file_text_stops_the_run(tmp_path):
    # Harmless on the probe texts, catastrophic on a run of `q`: caught by the time limit.
    write_tree(tmp_path, {**GOOD, "tr-tr/good.md": FRONT + SEGMENT % ("q" * 60 + "!")})
    config = _config(tmp_path, '[patterns]\ntimeout = 0.05\nnumber = "(q|qq)+$"')
    status, _, err = lint(tmp_path, "--config", config)
    assert status == 2
    assert "pattern `number` (`(q|qq)+$`) ran longer than 0.05 s" in err


def test_nested_quantifier_from_the_issue_is_harmless(tmp_path):
    write_tree(tmp_path, {**GOOD, "tr-tr/good.md": FRONT + SEGMENT % ("a" * 60 + "!")})
    config = _config(tmp_path, '[patterns]\ntimeout = 0.5\nnumber = "(a+)+$|\\\\d+"')
    status, out, _ = lint(tmp_path, "--config", config)
    assert status == 1 and PLANTED in out


def test_bad_timeout_is_a_configuration_error(tmp_path):
    write_tree(tmp_path, GOOD)
    status, _, err = lint(tmp_path, "--config", _config(tmp_path, '[patterns]\ntimeout = "soon"'))
    assert status == 2 and "`patterns.timeout` must be a number of seconds" in err


# --- every output format escapes text taken from files -----------------------------------------

HOSTILE_TEXT = 'x<script>alert(1)</script>&amp;]]>\x1b[31mred\x1b[0m\r\n::error::forged%0A"\'\x07\x00'


@pytest.fixture
def hostile_diagnostics():
    from loclint.engine import RunResult
    from loclint.model import Diagnostic

    diagnostic = Diagnostic(
        f"tr-tr/{HOSTILE_TEXT[:12]}.md", 3, 4, 3, 9, "P003", f"inline code `{HOSTILE_TEXT}` is missing",
        "tr-tr", "a.md", "101", HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT,
    )
    return [diagnostic], RunResult(diagnostics=[diagnostic], files=1, groups=1)


def _rendered(name, diagnostics, result):
    from loclint.output.report import render

    return render(name, diagnostics, result)


@pytest.mark.parametrize(
    "name",
    [
        "full", "concise", "grouped", "pylint", "gitlab", "json", "json-lines", "sarif", "junit", "html", "github",
    ],
)
def test_output_never_passes_control_characters_through(name, hostile_diagnostics):
    from loclint.output.report import FORMATS

    if name not in FORMATS:
        pytest.skip(f"format {name} does not exist in this build")
    text = _rendered(name, *hostile_diagnostics)
    assert "\x1b" not in text and "\x07" not in text and "\x00" not in text


@pytest.mark.parametrize("name", ["junit", "sarif", "html", "json", "json-lines", "gitlab"])
def test_structured_output_stays_well_formed(name, hostile_diagnostics):
    import json
    from xml.etree import ElementTree

    from loclint.output.report import FORMATS

    if name not in FORMATS:
        pytest.skip(f"format {name} does not exist in this build")
    text = _rendered(name, *hostile_diagnostics)
    if name == "junit":
        ElementTree.fromstring(text)  # raises on `]]>`, `<` or control characters left raw
    elif name == "html":
        assert "<script>alert(1)" not in text
    elif name == "json-lines":
        for line in text.splitlines():
            json.loads(line)
    else:
        json.loads(text)


def test_github_annotations_cannot_be_forged(hostile_diagnostics):
    from loclint.output.report import FORMATS

    if "github" not in FORMATS:
        pytest.skip("no github format in this build")
    text = _rendered("github", *hostile_diagnostics)
    annotations = [line for line in text.splitlines() if line.startswith("::")]
    assert len(annotations) == 1  # the message's CR LF and `::error::` did not start a second one
    assert "\r" not in text


# --- fixes: atomic, byte-faithful, refused on change, idempotent --------------------------------

WRONG_LOCALE = "---\r\ntitle: Başlık\r\nms.assetid: 4f670a84\r\nms.contentlocale: de-DE\r\n---\r\nGövde 250\r\n"


def _fixable_tree(root: Path, tr_bytes: bytes) -> Path:
    write_tree(root, {**GOOD, "tr-tr/m.md": tr_bytes, "en-us/m.md": FRONT.replace("tr-tr", "en-us") + "Body 250\n"})
    target = root / "tr-tr" / "m.md"
    target.chmod(0o640)
    return target


def test_fix_keeps_bom_crlf_and_permissions_and_a_second_run_changes_nothing(tmp_path):
    target = _fixable_tree(tmp_path, b"\xef\xbb\xbf" + WRONG_LOCALE.encode())
    status, out, err = lint(tmp_path, "--fix")
    assert status == 1 and PLANTED in out  # the unfixable planted finding is still reported
    assert "loclint: fixed 1 problem in 1 file" in err
    assert target.read_bytes() == b"\xef\xbb\xbf" + WRONG_LOCALE.replace("de-DE", "tr-TR").encode()
    assert oct(target.stat().st_mode & 0o777) == "0o640"
    assert not [p for p in target.parent.iterdir() if p.name != "m.md"]  # no temporary file left
    before = target.read_bytes()
    status, _, err = lint(tmp_path, "--fix")
    assert target.read_bytes() == before and "fixed" not in err


def test_fix_rewrites_utf16_in_utf16(tmp_path):
    target = _fixable_tree(tmp_path, b"\xfe\xff" + WRONG_LOCALE.encode("utf-16-be"))
    lint(tmp_path, "--fix")
    assert target.read_bytes() == b"\xfe\xff" + WRONG_LOCALE.replace("de-DE", "tr-TR").encode("utf-16-be")


def test_diff_shows_and_writes_nothing(tmp_path):
    target = _fixable_tree(tmp_path, WRONG_LOCALE.encode())
    status, out, _ = lint(tmp_path, "--diff")
    assert status == 1
    assert "--- a/tr-tr/m.md\n+++ b/tr-tr/m.md\n" in out
    assert "-ms.contentlocale: de-DE" in out and "+ms.contentlocale: tr-TR" in out
    assert target.read_bytes() == WRONG_LOCALE.encode()
    status, out, _ = lint(tmp_path, "--diff", "--select", "P001")
    assert status == 0 and out == ""


def test_diff_keeps_crlf_so_it_applies():
    from loclint.fix import _diff

    old = WRONG_LOCALE.encode()
    text = _diff("m.md", old, old.replace(b"de-DE", b"tr-TR"))
    assert "-ms.contentlocale: de-DE\r\n+ms.contentlocale: tr-TR\r\n" in text


def test_exit_non_zero_on_fix(tmp_path):
    _fixable_tree(tmp_path, WRONG_LOCALE.encode())
    assert lint(tmp_path, "--fix", "--select", "M006")[0] == 0  # fixed, nothing left
    _fixable_tree(tmp_path, WRONG_LOCALE.encode())
    assert lint(tmp_path, "--fix", "--select", "M006", "--exit-non-zero-on-fix")[0] == 1


def test_unsafe_fix_restores_the_one_aligned_token_only_when_asked(tmp_path):
    write_tree(tmp_path, GOOD)
    planted = tmp_path / "fr-fr" / "good.md"
    original = planted.read_bytes()
    lint(tmp_path, "--fix")
    assert planted.read_bytes() == original  # unsafe: not applied by --fix alone
    status, _, err = lint(tmp_path, "--fix", "--unsafe-fixes")
    assert status == 0 and "fixed 1 problem" in err
    assert planted.read_bytes() == original.replace(b"Attendez 520", b"Attendez 250")


def test_fix_is_refused_when_the_file_changed_after_it_was_read(tmp_path):
    from loclint.config import load_settings
    from loclint.engine import run
    from loclint.fix import fix_paths

    target = _fixable_tree(tmp_path, WRONG_LOCALE.encode())
    edited = WRONG_LOCALE.replace("Gövde", "Gövde düzenlendi").encode()

    def check_then_editor_saves():
        result = run(["."], settings)
        target.write_bytes(edited)  # someone saves the file between the check and the write
        return result

    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        settings = load_settings(None, {}, tmp_path)
        outcome = fix_paths(["."], settings, check_then_editor_saves, unsafe=False, write=True)
    finally:
        os.chdir(cwd)
    assert outcome.refused == ["tr-tr/m.md: the file changed since loclint read it; run loclint again"]
    assert outcome.fixed == 0 and target.read_bytes() == edited


def test_fix_never_rewrites_a_file_it_cannot_round_trip(tmp_path):
    damaged = WRONG_LOCALE.encode().replace(b"G\xc3\xb6vde", b"G\xf6vde")  # Latin-1 byte in UTF-8
    target = _fixable_tree(tmp_path, damaged)
    _, _, err = lint(tmp_path, "--fix")
    assert "not fixed: tr-tr/m.md: its bytes do not survive decoding unchanged" in err
    assert target.read_bytes() == damaged


def test_overlapping_fixes_and_stale_commits_are_never_guessed():
    from loclint.fix import apply_fixes, wanted_fixes
    from loclint.model import Diagnostic, Fix

    text = "abcdef"
    fixes = [Fix(1, 3, "X", True, ""), Fix(2, 4, "Y", True, ""), Fix(1, 3, "X", True, ""), Fix(5, 9, "Z", True, "")]
    assert apply_fixes(text, fixes) == ("aXdef", 1)  # overlap left for the next pass, out of range dropped
    stale = Diagnostic("a.md", 1, 1, 1, 1, "M002", "stale", fix=Fix(0, 1, "x", True, "would hide staleness"))
    unsafe = Diagnostic("a.md", 1, 1, 1, 1, "P001", "lost", fix=Fix(0, 1, "x", False, "restore"))
    assert wanted_fixes([stale, unsafe], unsafe=False) == {}
    assert wanted_fixes([stale, unsafe], unsafe=True) == {"a.md": [unsafe.fix]}
