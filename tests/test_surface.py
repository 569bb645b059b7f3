"""The day-to-day surface, run as users run it: fix markers and hints, standard input, added
suppressions, excludes, colour, verbose, grouped help and --watch (issue 17)."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import SHARED
from fixture_tree import write_tree
from test_cli import invoke

URL_EN = "https://learn.microsoft.com/en-us/microsoft-365/admin/security-and-compliance/set-up-multi-factor-authentication"
SOURCE = f"For more information, see [Set up MFA]({URL_EN})."
# tr-TR: an unsafe fix (P002: restore the URL), a safe one (M006: the declared locale is another
# folder's) and one with no fix (W002, a space before a comma).
TR_FRONT = "---\ntitle: T\nms.assetid: 4f670a84-a2b8-48ce-b0aa-a9ada3bad066\nms.sourcegitcommit: 55eff703a17e500681d8fa6a87eb067019ade3cc\nms.contentlocale: de-de\n---\n"
TR = "{{114: Daha fazla bilgi için bkz. [MFA'yı ayarlama](https://learn.microsoft.com/tr-tr/microsoft-365/admin/security-and-compliance/mfa-ayarlama). || " + SOURCE + "}}\n"
TR += "{{115: Dosyayı açın , sonra kaydedin. || Open the file, and then save it.}}\n"
JA = "{{114: 詳細については、「[MFA を設定する](https://learn.microsoft.com/ja-jp/microsoft-365/admin/security-and-compliance/set-up-multi-factor-authentication)」を参照してください。 || " + SOURCE + "}}\n"
AR = "{{114: لمزيد من المعلومات، راجع [إعداد MFA](https://learn.microsoft.com/ar-sa/microsoft-365/admin/security-and-compliance/set-up-multi-factor-authentication). || " + SOURCE + "}}\n"
JA += "{{115: ファイルを開いて保存します。 || Open the file, and then save it.}}\n"
AR += "{{115: افتح الملف واحفظه. || Open the file, and then save it.}}\n"
TR_URL = "https://learn.microsoft.com/tr-tr/microsoft-365/admin/security-and-compliance/mfa-ayarlama"


def _fixable_tree(root: Path) -> None:
    write_tree(root, {"tr-TR/mfa.md": {"bare": TR_FRONT + TR}, "ja-JP/mfa.md": JA, "ar-SA/mfa.md": AR})


def _loclint(*args: str, cwd: Path, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loclint", *args], cwd=cwd, input=stdin, capture_output=True,
                          timeout=120, env={**os.environ, **(env or {})})


# --- fixability -----------------------------------------------------------------------------


def test_fixable_findings_are_marked_and_counted(tmp_path):
    _fixable_tree(tmp_path)
    result = invoke("check", ".", "--no-cache", cwd=tmp_path)
    lines = result.output.splitlines()
    p002 = next(line for line in lines if " P002 " in line)
    assert " M006 [*] " in next(line for line in lines if " M006 " in line)  # safe: `--fix` repairs it
    assert "[*]" not in p002  # unsafe: only with `--unsafe-fixes`
    assert " W002 [*] " in next(line for line in lines if " W002 " in line)  # safe: the space is removed
    assert lines[-1] == "[*] 2 fixable with `--fix` (1 more with `--unsafe-fixes`)."
    unsafe = invoke("check", ".", "--no-cache", "--unsafe-fixes", cwd=tmp_path).output.splitlines()
    assert " P002 [*] " in next(line for line in unsafe if " P002 " in line)
    assert unsafe[-1] == "[*] 3 fixable with `--fix --unsafe-fixes`."


def test_diff_says_which_unsafe_fixes_it_left_out(tmp_path):
    _fixable_tree(tmp_path)
    result = _loclint("check", ".", "--no-cache", "--diff", cwd=tmp_path)
    assert result.returncode == 1
    assert "+ms.contentlocale: tr-tr" in result.stdout.decode()
    assert "--diff left out 1 unsafe fix (P002); add `--unsafe-fixes` to see them" in result.stderr.decode()
    both = _loclint("check", ".", "--no-cache", "--diff", "--unsafe-fixes", cwd=tmp_path)
    assert "left out" not in both.stderr.decode() and URL_EN in both.stdout.decode()


def test_fix_applies_the_safe_fix_and_names_the_unsafe_one_left(tmp_path):
    _fixable_tree(tmp_path)
    result = _loclint("check", ".", "--no-cache", "--fix", cwd=tmp_path)
    err = result.stderr.decode()
    assert "fixed 2 problems in 1 file" in err and "--fix left out 1 unsafe fix (P002)" in err
    assert "ms.contentlocale: tr-tr" in (tmp_path / "tr-TR/mfa.md").read_text(encoding="utf-8")
    assert result.stdout.decode().splitlines()[-1] == "No fixes with `--fix` (1 more with `--unsafe-fixes`)."


# --- standard input -------------------------------------------------------------------------


def test_stdin_is_checked_as_the_named_file_with_its_siblings_from_disk(tmp_path):
    _fixable_tree(tmp_path)
    clean = TR.replace(TR_URL, URL_EN.replace("en-us", "tr-tr"))
    clean = clean.replace("açın , sonra", "açın, sonra").replace("contentlocale: de-de", "contentlocale: tr-tr")
    # The buffer differs from the file on disk: the buffer is what is checked and quoted.
    result = _loclint("check", "--stdin-filename", "tr-TR/mfa.md", "--no-cache", "--output-format", "full",
                      cwd=tmp_path, stdin=_expand(tmp_path, TR_FRONT.replace("de-de", "tr-tr") + clean))
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert "All checks passed (3 files in 1 article group)" in result.stdout.decode()
    dirty = _loclint("check", "--stdin-filename", "tr-TR/mfa.md", "--output-format", "full", cwd=tmp_path,
                     stdin=_expand(tmp_path, TR_FRONT + TR.replace("kaydedin", "kaydedin ; tamam")))
    out = dirty.stdout.decode()
    assert dirty.returncode == 1
    assert re.search(r"^tr-TR/mfa\.md:8:\d+: W002", out, re.MULTILINE), out
    assert "tr-TR/mfa.md:8:60: W002 [*] space before `;`" in out  # only in the buffer
    assert "kaydedin ; tamam" in out  # the snippet quotes the buffer, not the file on disk
    assert "ja-JP" not in out and "ar-SA" not in out  # siblings judge, they are not reported


def _expand(root: Path, shorthand: str) -> bytes:
    """The file text write_tree would write for `shorthand` at tr-TR/mfa.md."""
    scratch = root / "_scratch"
    write_tree(scratch, {"tr-TR/mfa.md": {"bare": shorthand}})
    data = (scratch / "tr-TR/mfa.md").read_bytes()
    (scratch / "tr-TR/mfa.md").unlink()
    return data


def test_stdin_refuses_writing_options(tmp_path):
    result = _loclint("check", "--stdin-filename", "a.md", "--fix", cwd=tmp_path, stdin=b"x")
    assert result.returncode == 2 and "does not go with --fix" in result.stderr.decode()


# --- suppressions ---------------------------------------------------------------------------

FRONT = "---\ntitle: T\nms.sourcegitcommit: {commit}\nms.contentlocale: {locale}\n---\n"
# Findings land in tricky places: a list's third item, a table row, the second line of a paragraph,
# the first line of a paragraph right after another, a code line and the front matter (M002).
BODY_EN = """# Set up MFA

Open the portal and
sign in at https://aka.ms/portal today.
Select **Save** now.

- First item with MFA.
- Second item.
- Third item with **SSO**.

| Name | Value |
|------|-------|
| Port | 443 |
| Link | https://aka.ms/mfasetup |

```powershell
Set-MsolUser -UserPrincipalName user@contoso.com
```
"""


def _plain_tree(root: Path) -> None:
    target = {
        "de-DE": BODY_EN.replace("Open the portal", "Öffnen Sie das Portal"),
        "fr-FR": BODY_EN.replace("Open the portal", "Ouvrez le portail"),
        "lv-LV": BODY_EN.replace("aka.ms/portal", "aka.ms/portale").replace("**Save**", "Save")
        .replace("with **SSO**", "ar SSO").replace("aka.ms/mfasetup", "aka.ms/ mfasetup")
        .replace("user@contoso.com", "lietotajs@contoso.com"),
    }
    commits = {"de-DE": "aaaa", "fr-FR": "aaaa", "lv-LV": "aaaa"}
    files = {}
    for locale, body in target.items():
        files[f"{locale}/a.md"] = {"bare": FRONT.format(commit=commits[locale], locale=locale) + body}
    files["en-US/a.md"] = {"bare": FRONT.format(commit="aaaa", locale="en-US") + BODY_EN}
    write_tree(root, files)


def _rendered(text: str) -> str:
    body = text.split("\n---\n", 1)[1]
    html = MarkdownIt("commonmark").enable("table").render(body)
    return re.sub(r"<!-- loclint-[^>]*-->\n", "", html)


def test_add_suppressions_twice_reports_nothing_and_renders_the_same(tmp_path):
    _plain_tree(tmp_path)
    args = ("check", ".", "--no-cache", "--source-locale", "en-US", "--extend-select", "X001")
    first = _loclint(*args, cwd=tmp_path)
    assert first.returncode == 1
    found = [line for line in first.stdout.decode().splitlines() if line.startswith("lv-LV")]
    assert len(found) >= 4, first.stdout.decode()
    before = (tmp_path / "lv-LV/a.md").read_text(encoding="utf-8")
    added = _loclint(*args, "--add-suppressions", "kept on purpose", cwd=tmp_path)
    assert added.returncode == 0, added.stderr.decode()
    assert f"for {len(found)} findings to 1 file" in added.stderr.decode()
    after = (tmp_path / "lv-LV/a.md").read_text(encoding="utf-8")
    assert _rendered(after) == _rendered(before)  # no list, table, paragraph or fence broken
    assert "-- kept on purpose -->" in after
    assert after.split("\n---\n", 1)[0] == before.split("\n---\n", 1)[0]  # front matter untouched
    second = _loclint(*args, cwd=tmp_path)
    assert second.returncode == 0, second.stdout.decode()  # X001 is selected: nothing unused either
    assert "All checks passed" in second.stdout.decode()


def test_added_comments_sit_outside_blocks_they_would_break():
    from loclint.add_suppressions import with_comments
    from loclint.model import Diagnostic

    text = "---\na: b\n---\nPara one\nline two\n\n- a\n- b\n\n| x |\n|---|\n| 1 |\n"

    def at(line: int, code: str) -> Diagnostic:
        return Diagnostic("f.md", line, 1, line, 2, code, "m")

    new, comments = with_comments(text, [at(2, "M001"), at(4, "P004"), at(5, "W002"), at(8, "B002"), at(12, "P001")], "r")
    assert new.splitlines() == [
        "---", "a: b", "---",
        "<!-- loclint-disable-file M001 -- r -->",
        "<!-- loclint-disable P004, W002 -- r -->",
        "Para one", "line two",
        "<!-- loclint-enable P004, W002 -->",
        "",
        "<!-- loclint-disable B002 -- r -->",
        "- a", "- b", "",
        "<!-- loclint-enable B002 -->",
        "<!-- loclint-disable P001 -- r -->",
        "| x |", "|---|", "| 1 |",
        "<!-- loclint-enable P001 -->",
    ]
    assert comments == 7


def test_add_suppressions_keeps_an_existing_next_line_comment_on_its_line():
    from loclint.add_suppressions import with_comments
    from loclint.model import Diagnostic

    text = "<!-- loclint-disable-next-line P004 -->\nSign in.\r\n"
    new, _ = with_comments(text, [Diagnostic("f.md", 2, 1, 2, 2, "W002", "m")], None)
    # Each inserted line takes the line break of the line it goes before (or of the one above).
    assert new == "<!-- loclint-disable W002 -->\n<!-- loclint-disable-next-line P004 -->\nSign in.\r\n<!-- loclint-enable W002 -->\r\n"


def test_a_reason_after_two_dashes_is_not_read_as_codes(tmp_path):
    write_tree(tmp_path, {"de-DE/a.md": "<!-- loclint-disable-next-line P004 -- MFA is spelt out here -->\n{{103: Mit MAE anmelden. || Sign in with MFA.}}\n",
                          "fr-FR/a.md": "{{103: Connexion MFA. || Sign in with MFA.}}\n",
                          "ro-RO/a.md": "{{103: Conectați-vă cu MFA. || Sign in with MFA.}}\n"})
    result = invoke("check", ".", "--no-cache", "--extend-select", "X001", cwd=tmp_path)
    assert result.exit_code == 0, result.output


# --- discovery, colour, verbose, help -------------------------------------------------------


def test_exclude_and_extend_exclude_on_the_command_line(tmp_path):
    _fixable_tree(tmp_path)
    assert "tr-TR" in invoke("check", ".", "--no-cache", cwd=tmp_path).output
    skipped = invoke("check", ".", "--no-cache", "--extend-exclude", "tr-TR", cwd=tmp_path)
    assert skipped.exit_code == 0 and "2 files" in skipped.output
    # --exclude replaces the defaults: a folder named like the default `node_modules` is then checked.
    write_tree(tmp_path / "node_modules", {"tr-TR/mfa.md": {"bare": TR_FRONT + TR}, "ja-JP/mfa.md": JA})
    assert "node_modules" not in invoke("check", ".", "--no-cache", cwd=tmp_path).output
    assert "node_modules/tr-TR" in invoke("check", ".", "--no-cache", "--exclude", ".git", cwd=tmp_path).output


def test_color_always_never_and_no_color(tmp_path):
    _fixable_tree(tmp_path)
    always = _loclint("check", ".", "--no-cache", "--color", "always", cwd=tmp_path, env={"NO_COLOR": "1"})
    assert "\x1b[" in always.stdout.decode()  # a flag beats the environment (no-color.org)
    never = _loclint("check", ".", "--no-cache", "--color", "never", cwd=tmp_path)
    assert "\x1b[" not in never.stdout.decode()
    auto = _loclint("check", ".", "--no-cache", cwd=tmp_path)  # a pipe is no terminal
    assert "\x1b[" not in auto.stdout.decode()


def test_color_auto_on_a_terminal_respects_no_color(tmp_path):
    pty = pytest.importorskip("pty")
    _fixable_tree(tmp_path)

    def on_terminal(env: dict) -> bytes:
        primary, secondary = pty.openpty()
        process = subprocess.Popen([sys.executable, "-m", "loclint", "check", ".", "--no-cache"], cwd=tmp_path,
                                   stdout=secondary, stderr=subprocess.DEVNULL, env={**os.environ, **env})
        os.close(secondary)
        out = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        process.wait(timeout=60)
        os.close(primary)
        return out

    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    assert b"\x1b[" in on_terminal({**env})
    assert b"\x1b[" not in on_terminal({"NO_COLOR": "1"})


def test_verbose_says_settings_layout_groups_and_times(tmp_path):
    _fixable_tree(tmp_path)
    (tmp_path / ".loclint.toml").write_text('ignore = ["M"]\n', encoding="utf-8")
    err = _loclint("check", ".", "--no-cache", "-v", cwd=tmp_path).stderr.decode()
    assert f"loclint: settings: {tmp_path / '.loclint.toml'}" in err
    assert "loclint: layout: auto" in err
    assert "checked 1 article group, 3 files" in err
    assert re.search(r"time: settings [\d.]+ s, discovery [\d.]+ s, check [\d.]+ s, settle [\d.]+ s", err), err


def test_help_is_grouped_by_topic():
    output = invoke("check", "--help").output
    headings = [line[:-1] for line in output.splitlines() if line and not line.startswith(" ") and line.endswith(":")]
    assert headings[:7] == ["Rule selection", "Discovery", "Configuration", "Output", "Fixes and suppressions",
                            "Baseline", "Caching and speed"]
    section = output.split("Fixes and suppressions:")[1].split("Baseline:")[0]
    assert "--unsafe-fixes" in section and "--add-suppressions [REASON]" in section


# --- watch ----------------------------------------------------------------------------------


def test_watch_checks_again_when_a_file_changes_and_ctrl_c_ends_it(tmp_path):
    _fixable_tree(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "loclint", "check", ".", "--no-cache", "--watch"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = _read_until(process, b"Found ", 60)
        assert b"W002" in first
        time.sleep(0.2)
        target = tmp_path / "tr-TR/mfa.md"
        target.write_text(target.read_text(encoding="utf-8").replace("açın , sonra", "açın, sonra"), encoding="utf-8")
        second = _read_until(process, b"Found ", 60)
        assert b"W002" not in second and b"P002" in second
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _read_until(process: subprocess.Popen, marker: bytes, seconds: float) -> bytes:
    """Standard output up to and including the line holding `marker`, within `seconds`.

    Reads the pipe's descriptor directly (a buffered readline would hide data from `select`);
    what comes after the line is kept for the next call."""
    deadline = time.monotonic() + seconds
    chosen = selectors.DefaultSelector()
    chosen.register(process.stdout.fileno(), selectors.EVENT_READ)
    pending = getattr(process, "pending", b"")
    while time.monotonic() < deadline:
        found = pending.find(marker)
        if found >= 0 and b"\n" in pending[found:]:
            end = pending.index(b"\n", found) + 1
            process.pending = pending[end:]
            return pending[:end]
        if chosen.select(timeout=0.2):
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            pending += chunk
    raise AssertionError(f"no {marker!r} within {seconds} s; got {pending!r}")


# Beside the checkout (conftest's SHARED), or beside the folder of worktrees (/work/wt/NAME).
SEEDS = next((folder / "seeds" for folder in (SHARED, Path(__file__).resolve().parents[3] / "shared")
              if (folder / "seeds").is_dir()), SHARED / "seeds")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="needs the shared seed documents (../shared/seeds)")
def test_add_suppressions_on_the_bilingual_seeds(tmp_path):
    import shutil

    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, tmp_path / seed.name)
    names = sorted(path.name for path in tmp_path.glob("*.txt"))
    args = ("check", "--group-by", "ms.assetid", "--no-cache", "--extend-select", "X001", *names)
    assert _loclint(*args, cwd=tmp_path).stdout.decode().count("\n") >= 7  # 6 findings and the summary
    added = _loclint(*args, "--add-suppressions", cwd=tmp_path)
    assert "for 6 findings to 4 files" in added.stderr.decode(), added.stderr.decode()
    second = _loclint(*args, cwd=tmp_path)
    assert second.returncode == 0 and "All checks passed" in second.stdout.decode(), second.stdout.decode()


def test_server_without_pygls_says_what_to_install(tmp_path):
    # A `pygls` that cannot be imported stands in for an environment without the `lsp` extra.
    (tmp_path / "pygls").mkdir()
    (tmp_path / "pygls" / "__init__.py").write_text("raise ImportError('no pygls here')\n", encoding="utf-8")
    result = _loclint("server", cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 2
    assert "pip install 'loclint[lsp]'" in result.stderr.decode()


def test_no_comment_is_added_to_a_file_whose_front_matter_never_closes(tmp_path):
    write_tree(tmp_path, {"de-DE/a.md": {"bare": "---\ntitle: A\n\nText.\n"}, "fr-FR/a.md": "Texte.\n"})
    before = (tmp_path / "de-DE/a.md").read_bytes()
    result = _loclint("check", ".", "--no-cache", "--add-suppressions", cwd=tmp_path)
    assert result.returncode == 2 and "front matter is never closed" in result.stderr.decode()
    assert (tmp_path / "de-DE/a.md").read_bytes() == before
