"""Trust under attack and under load (issue 18): each case builds the attack or the fault for real,
runs loclint as CI does (a subprocess), and bounds the time it may take.

- a cache folder planted by a pull request cannot hide a defect;
- links out of the tree, FIFOs and odd file names are reported, never followed, opened or
  printed raw; `--fix` never writes through a link;
- SIGINT/SIGTERM stop a parallel run at once, a dead worker is reported, `--fix` killed at any
  moment leaves every file old or new, concurrent runs agree;
- text from translations cannot drive a terminal, a CI log or a reader's eyes.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fixture_tree import write_tree

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc, fork, FIFOs and signals as Linux has them")
FORMATS = ("full", "concise", "grouped", "json", "json-lines", "github", "gitlab", "sarif", "junit", "pylint", "html")


def loclint(cwd: Path, *args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    """Run `python -m loclint check ARGS` in `cwd`, as CI would; never waits longer than `timeout`."""
    return subprocess.run(
        [sys.executable, "-m", "loclint", "check", *args],
        cwd=cwd, capture_output=True, timeout=timeout, env=_env(), **kwargs,
    )


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")])
    env.pop("NO_COLOR", None)
    return env


def _text(completed: subprocess.CompletedProcess) -> str:
    return completed.stdout.decode("utf-8")


# -- 1. a poisoned cache cannot pass a gate -------------------------------------------------------

DEFECT_TREE = {
    "de-DE/a.md": "{{103: Port 8080 öffnen. || Open port 8080.}}\n",
    "fr-FR/a.md": "{{103: Ouvrez le port 8080. || Open port 8080.}}\n",
    "ro-RO/a.md": "{{103: Deschideți portul. || Open port 8080.}}\n",
}


def _forged_entries(tree: Path, cache_dir: Path, sign) -> list[Path]:
    """What an attacker commits: for every group, an entry under the key this very run will use
    (it is computed from public code and the pull request's own files), holding a well-formed
    outcome that says "no findings"."""
    from loclint.cache import _MAGIC, ResultCache, dump_outcome
    from loclint.config import load_settings
    from loclint.engine import with_tree
    from loclint.results import GroupOutcome, GroupResult
    from loclint.discover import plan

    here = os.getcwd()
    os.chdir(tree)
    try:
        settings = with_tree(load_settings(None, {"extend-select": ["P001"]}, tree), ["."])
        cache = ResultCache(cache_dir, settings)
        groups = plan(["."], settings).groups
        keys = cache.keys(groups, None, settings.read_policy)
    finally:
        os.chdir(here)
    written = []
    for group, key in zip(groups, keys):
        clean = GroupOutcome(
            key=group.article, files=len(group.files), segments=1,
            locales=[ref.place_locale for ref in group.files],
            reported=[(ref.display, ref.place_locale) for ref in group.files],
            checked=GroupResult([]),
        )
        entry = cache.folder / key[:2] / key
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_bytes(sign(_MAGIC + key.encode() + b"\n" + dump_outcome(clean)))
        written.append(entry)
    return written


@pytest.mark.parametrize("forgery", ["unsigned", "signed-with-the-attackers-key", "tag-copied-from-another-entry"])
def test_a_planted_cache_entry_does_not_hide_the_defect(tmp_path: Path, forgery: str) -> None:
    from loclint.signing import EntrySigner

    tree = tmp_path / "pr"
    write_tree(tree, DEFECT_TREE)
    honest = loclint(tree, ".", "--extend-select", "P001", "--no-cache")
    assert honest.returncode == 1 and b"P001" in honest.stdout

    cache_dir = tree / ".loclint_cache"  # committed by the pull request
    attacker = EntrySigner(b"k" * 32)
    signs = {
        "unsigned": lambda data: data,
        "signed-with-the-attackers-key": attacker.sign,
        "tag-copied-from-another-entry": lambda data: EntrySigner.for_user().sign(b"other entry")[:32] + data,
    }
    entries = _forged_entries(tree, cache_dir, signs[forgery])
    attacked = loclint(tree, ".", "--extend-select", "P001")
    assert attacked.returncode == 1
    assert _text(attacked) == _text(honest)  # the defect is still reported
    # The entries sat exactly where the run looked, and were rewritten with this user's key.
    for entry in entries:
        assert EntrySigner.for_user().verify(entry.read_bytes()) is not None


def test_the_key_lives_in_the_user_cache_folder_private_and_made_once(tmp_path: Path) -> None:
    """Eight processes reach for the key at once: one key is made (mode 0600), all use it."""
    code = "from loclint.signing import EntrySigner, key_path; print(EntrySigner.for_user().sign(b'x')[:32].hex(), key_path())"
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=_env(), cwd=tmp_path)
        for _ in range(8)
    ]
    outputs = {proc.communicate(timeout=60)[0].decode().strip() for proc in procs}
    assert len(outputs) == 1
    tag, key_file = outputs.pop().split(" ")
    key = Path(key_file)
    assert key.is_relative_to(Path(os.environ["XDG_CACHE_HOME"]))  # never the real ~/.cache in tests
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert [path.name for path in key.parent.iterdir()] == ["key"]  # no temporary file left


def test_a_key_others_can_read_is_not_trusted(tmp_path: Path) -> None:
    from loclint.signing import _user_key, key_path

    key = key_path()
    key.parent.mkdir(parents=True)
    key.write_bytes(b"s" * 32)
    key.chmod(0o644)
    assert _user_key(str(key)) is None  # the run goes uncached rather than trust a shared secret
    tree = tmp_path / "pr"
    write_tree(tree, DEFECT_TREE)
    run = loclint(tree, ".", "--extend-select", "P001")
    assert run.returncode == 1 and b"P001" in run.stdout
    assert not list((tree / ".loclint_cache").rglob("v1/*/*"))  # nothing written that nobody can verify


# -- 2. nothing outside the tree is read or written ----------------------------------------------


def test_links_out_of_the_tree_are_reported_not_followed(tmp_path: Path) -> None:
    tree = tmp_path / "pr"
    write_tree(tree, {"de-DE/a.md": "{{1: Hallo || Hello}}\n", "de-DE/b.md": "{{1: Hallo || Hello}}\n"})
    (tree / "ro-RO").mkdir()
    (tree / "ro-RO" / "a.md").symlink_to("/etc/passwd")
    (tree / "ro-RO" / "docs").symlink_to("/", target_is_directory=True)
    (tree / "ro-RO" / "b.md").symlink_to("../de-DE/b.md")  # inside the tree: fine
    run = loclint(tree, ".", timeout=60)
    out = _text(run)
    assert "ro-RO/a.md:1:1: E009 symbolic link to `/etc/passwd`, outside the checked tree" in out
    assert "ro-RO/docs:1:1: E009 symbolic link to `/`" in out
    assert "ro-RO/b.md:1:1: E009" not in out  # read like any file (its front matter says de-DE: M006)
    assert "root:" not in out and "E003" not in out  # not a byte of /etc/passwd was read
    # Named one by one (pre-commit), the same.
    named = loclint(tree, "ro-RO/a.md", timeout=60)
    assert "ro-RO/a.md:1:1: E009" in _text(named)
    # The setting lets a link out be read (/etc/passwd has no front matter: E003).
    (tree / ".loclint.toml").write_text("follow-symlinks = true\n", encoding="utf-8")
    allowed = _text(loclint(tree, "ro-RO/a.md", "--no-cache", timeout=60))
    assert "E009" not in allowed and "ro-RO/a.md:1:1: E003" in allowed


def test_a_folder_swapped_for_a_link_between_two_runs_of_one_process_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real folders are remembered within a run only: a `--watch` run, or a resident server's
    forked runs, see a locale folder replaced by a link out of the tree."""
    from loclint.fsguard import ReadPolicy, RefusedPath, check_path, tree_roots

    tree, outside = tmp_path / "pr", tmp_path / "outside"
    write_tree(tree, {"de-DE/a.md": "{{1: Hallo || Hello}}\n", "ro-RO/a.md": "{{1: Salut || Hello}}\n"})
    write_tree(outside, {"ro-RO/a.md": "{{1: secret || Hello}}\n"})
    monkeypatch.chdir(tree)
    check_path("ro-RO/a.md", ReadPolicy(tree_roots(["."])))  # inside: fine, and its folder remembered
    for path in (tree / "ro-RO").iterdir():
        path.unlink()
    (tree / "ro-RO").rmdir()
    (tree / "ro-RO").symlink_to(outside / "ro-RO", target_is_directory=True)
    with pytest.raises(RefusedPath) as refused:
        check_path("ro-RO/a.md", ReadPolicy(tree_roots(["."])))
    assert refused.value.code == "E009"


def test_fix_never_writes_through_a_link(tmp_path: Path) -> None:
    tree = tmp_path / "pr"
    victim = tmp_path / "outside.md"
    # M006 (content locale) has a safe fix: ms.contentlocale says de-DE in the Romanian folder.
    text = "---\ntitle: T\nms.assetid: 1\nms.contentlocale: de-DE\n---\nText\n"
    victim.write_text(text, encoding="utf-8")
    write_tree(tree, {"de-DE/a.md": {"bare": "---\ntitle: T\nms.assetid: 1\nms.contentlocale: de-DE\n---\nText\n"}})
    (tree / "shared.md").write_text(text, encoding="utf-8")
    (tree / "ro-RO").mkdir()
    (tree / "ro-RO" / "a.md").symlink_to("../shared.md")  # inside the tree: read, but never written through
    (tree / "ro-RO" / "b.md").symlink_to(victim)
    before = {path: path.read_bytes() for path in (victim, tree / "shared.md")}
    run = loclint(tree, ".", "--fix", "--no-cache", timeout=60)
    assert b"ro-RO/a.md: it is reached through a symbolic link; --fix never writes through one" in run.stderr
    assert b"M006" in run.stdout  # still reported
    assert {path: path.read_bytes() for path in before} == before
    assert (tree / "ro-RO" / "a.md").is_symlink()


@linux_only
@pytest.mark.parametrize("args", [(), ("--no-cache",), ("--fix",), ("--jobs", "2")])
def test_a_fifo_under_an_article_name_never_blocks(tmp_path: Path, args: tuple[str, ...]) -> None:
    tree = tmp_path / "pr"
    write_tree(tree, {"de-DE/a.md": "{{1: Hallo || Hello}}\n", "de-DE/b.md": "{{1: Hallo || Hello}}\n"})
    (tree / "tr-TR").mkdir()
    os.mkfifo(tree / "tr-TR" / "a.md")
    os.mkfifo(tree / "a.md")  # named on the command line too
    run = loclint(tree, ".", "a.md", *args, timeout=60)  # a blocking open would hit the timeout
    out = _text(run)
    assert "tr-TR/a.md:1:1: E010 is a FIFO (named pipe), not a file: not opened for reading" in out
    assert "a.md:1:1: E010" in out.splitlines()[0] or any(line.startswith("a.md:1:1: E010") for line in out.splitlines())


@linux_only
def test_a_device_under_an_article_name_is_reported_unread(tmp_path: Path) -> None:
    tree = tmp_path / "pr"
    write_tree(tree, {"de-DE/a.md": "{{1: Hallo || Hello}}\n"})
    (tree / "tr-TR").mkdir()
    try:
        os.mknod(tree / "tr-TR" / "a.md", stat.S_IFCHR | 0o666, os.makedev(1, 5))  # /dev/zero's numbers
    except PermissionError:
        pytest.skip("making a device needs CAP_MKNOD")
    run = loclint(tree, ".", timeout=60)
    assert "tr-TR/a.md:1:1: E010 is a device" in _text(run)


ODD_NAMES = {
    "line\nbreak.md": "line\\x0abreak.md",
    "with space.md": "with space.md",
    "-rf.md": "./de-DE/-rf.md",
    "::warning::x.md": "::warning::x.md",
    "\u202egnp.md": "\\u202egnp.md",
}


@linux_only
@pytest.mark.parametrize("fmt", FORMATS)
def test_odd_file_names_are_escaped_in_every_format(tmp_path: Path, fmt: str) -> None:
    """Names from a pull request: a line break, spaces, a leading dash, a workflow command, a bidi
    override and a byte that is not UTF-8. Each file lacks front matter (E003), so each is named."""
    tree = tmp_path / "pr"
    (tree / "de-DE").mkdir(parents=True)
    names = [name.encode() for name in ODD_NAMES] + [b"\xff\xfe.md"]
    for name in names:
        with open(os.path.join(os.fsencode(tree / "de-DE"), name), "wb") as handle:
            handle.write(b"No front matter\n")
    run = loclint(tree, "--output-format", fmt, "--select", "E003", "--no-cache", timeout=60)
    assert run.returncode == 1, run.stderr
    raw = run.stdout.decode("utf-8")  # valid UTF-8, though a name is not
    _assert_inert(raw, fmt)
    if fmt in ("concise", "full", "grouped", "pylint"):
        assert "\\xff\\xfe.md" in raw
        for lines in raw.splitlines():
            assert not lines.startswith(("-", "::"))
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(raw)
    if fmt == "json-lines":
        assert len(raw.splitlines()) == len(names)
    if fmt == "junit":
        ET.fromstring(raw)


# -- 5. output that cannot be turned against its reader -------------------------------------------

HOSTILE = "\x1b[2J\x1b]0;pwned\x07 %0A ::error file=x::forged \u202eevil\u2066 \x9b31m <script>alert(1)</script>"


def _assert_inert(raw: str, fmt: str) -> None:
    """No raw control or bidi character, no line that is a workflow command, a CSP on HTML."""
    for char in ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\r"):
        assert char not in raw, (fmt, repr(char))
    assert not any(ord(char) >= 0xD800 and ord(char) <= 0xDFFF for char in raw)
    for line in raw.splitlines():
        assert not line.lstrip().startswith("::") or (fmt == "github" and line.startswith("::error "))
    if fmt == "html":
        assert "Content-Security-Policy" in raw and "<script>alert" not in raw


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_translations_are_neutralised_in_every_format(tmp_path: Path, fmt: str) -> None:
    tree = tmp_path / "pr"
    # The hostile text is in the source and the translations: P003 quotes the lost code span in
    # its message, `full` shows the line, the HTML report carries the segment texts.
    write_tree(tree, {
        "de-DE/a.md": "{{103: Führen Sie `run " + HOSTILE + "` aus. || Run `run " + HOSTILE + "`.}}\n",
        "fr-FR/a.md": "{{103: Exécutez `run " + HOSTILE + "`. || Run `run " + HOSTILE + "`.}}\n",
        "ro-RO/a.md": "{{103: Rulați `" + HOSTILE + "` comanda 8080. || Run `run " + HOSTILE + "`.}}\n",
    })
    run = loclint(tree, "--output-format", fmt, "--no-cache", timeout=60)
    assert run.returncode == 1, run.stderr
    raw = run.stdout.decode("utf-8")
    assert "P003" in raw
    _assert_inert(raw, fmt)
    if fmt == "github":
        assert "%250A" in raw  # the translation's literal %0A stays text, never a line break
    if fmt in ("full",):
        assert "\\x1b[2J" in raw and "\\u202e" in raw  # shown, escaped: a reviewer sees the attack


# -- 4. interrupted and concurrent runs lose nothing ----------------------------------------------


def _big_tree(root: Path, groups: int, segments: int = 60) -> None:
    body = "".join(
        f'<span data-ttu-id="x-{i}">Öffnen Sie Port {i} mit MFA.</span>'
        f'<span class="sxs-lookup"><span data-stu-id="x-{i}">Open port {i} with MFA.</span></span>\n\n'
        for i in range(segments)
    )
    for group in range(groups):
        for locale in ("de-DE", "fr-FR", "ro-RO"):
            path = root / locale / f"a{group}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"---\ntitle: T\nms.assetid: {group}\nms.contentlocale: {locale}\n---\n" + body, encoding="utf-8")


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(item) for item in handle.read().split()]
    except OSError:
        return []


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _start_parallel(tree: Path) -> tuple[subprocess.Popen, list[int]]:
    """A `--jobs 2` run, once both its workers are busy."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "loclint", "check", ".", "--jobs", "2", "--no-cache"],
        cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_children(proc.pid)) < 2:
        time.sleep(0.05)
    workers = _children(proc.pid)
    if len(workers) < 2:
        proc.kill()
        pytest.fail("the run never started its workers")
    # Into their groups: each has spent CPU time checking (a fixed sleep was not enough on a
    # loaded machine, where a worker killed before its first group is reported without one).
    while time.monotonic() < deadline and min(map(_cpu_seconds, workers)) < 0.3:
        time.sleep(0.05)
    assert proc.poll() is None, "the tree is too small: the run ended before the signal"
    return proc, workers


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big")
    _big_tree(root, 900)
    return root


@linux_only
@pytest.mark.parametrize(("signum", "code", "whole_group"), [(signal.SIGINT, 130, True), (signal.SIGTERM, 143, False)])
def test_a_signal_stops_a_parallel_run_at_once(big_tree: Path, signum: int, code: int, whole_group: bool) -> None:
    proc, workers = _start_parallel(big_tree)
    sent = time.monotonic()
    if whole_group:  # Ctrl-C: the terminal signals the whole process group, workers included
        os.killpg(proc.pid, signum)
    else:  # `kill PID` / a CI runner cancelling the job: the main process only
        os.kill(proc.pid, signum)
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 10
    assert proc.returncode == code
    assert err.decode() == f"loclint: interrupted by {signal.Signals(signum).name}\n"  # one line, no traceback
    time.sleep(0.2)
    assert [pid for pid in workers if _alive(pid)] == []  # no orphan workers


@linux_only
def test_workers_do_not_outlive_a_main_process_killed_with_sigkill(big_tree: Path) -> None:
    # SIGKILL (the OOM killer, a CI timeout) gives the main process no chance to end its workers;
    # each worker must notice on its own, or it waits on the task pipe forever.
    proc, workers = _start_parallel(big_tree)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and [pid for pid in workers if _alive(pid)]:
        time.sleep(0.1)
    survivors = [pid for pid in workers if _alive(pid)]
    for pid in survivors:  # leave no orphan behind on a failing machine either
        os.kill(pid, signal.SIGKILL)
    assert survivors == []


@linux_only
def test_a_worker_that_dies_is_reported_with_its_group(big_tree: Path) -> None:
    proc, workers = _start_parallel(big_tree)
    os.kill(workers[0], signal.SIGKILL)  # as the OOM killer would
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    message = err.decode()
    assert message.startswith("loclint: error: a worker process died (killed by SIGKILL) while checking `a")
    assert message.count("\n") == 1 and "Traceback" not in message
    assert out == b""  # an incomplete run reports nothing rather than a partial "clean" result


@linux_only
def test_five_runs_at_once_agree_and_leave_a_consistent_cache(tmp_path: Path) -> None:
    tree = tmp_path / "pr"
    _big_tree(tree, 60, segments=20)
    write_tree(tree, DEFECT_TREE)
    args = [sys.executable, "-m", "loclint", "check", ".", "--extend-select", "P001", "--jobs", "2"]
    procs = [subprocess.Popen(args, cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env()) for _ in range(5)]
    results = [proc.communicate(timeout=300) for proc in procs]
    assert {proc.returncode for proc in procs} == {1}
    assert len({out for out, _ in results}) == 1 and b"P001" in results[0][0]
    # The cache they shared: every entry whole and verified, no temporary file, and a warm run
    # from it says the same.
    from loclint.signing import EntrySigner

    signer = EntrySigner.for_user()
    entries = [path for path in (tree / ".loclint_cache" / "v1").rglob("*") if path.is_file()]
    assert entries and all(signer.verify(path.read_bytes()) is not None for path in entries)
    assert not [path for path in (tree / ".loclint_cache").rglob(".tmp-*")]
    warm = loclint(tree, ".", "--extend-select", "P001")
    assert warm.stdout == results[0][0]


@linux_only
def test_fix_killed_at_any_moment_leaves_each_file_old_or_new(tmp_path: Path) -> None:
    """SIGKILL a `--fix` run at twelve moments: every file is byte for byte its old or its fixed
    version, and the temporary files a kill leaves are removed by the next `--fix` (and are never
    taken for articles meanwhile)."""
    tree = tmp_path / "pr"
    old = "---\ntitle: T\nms.assetid: {n}\nms.contentlocale: de-DE\n---\n" + "Text line.\n" * 2000
    files = {f"ro-RO/a{n}.md": {"bare": old.format(n=n)} for n in range(40)}
    files.update({f"de-DE/a{n}.md": {"bare": old.format(n=n)} for n in range(40)})
    write_tree(tree, files)
    originals = {path: path.read_bytes() for path in tree.rglob("*.md")}
    fixed_tree = tmp_path / "expected"
    write_tree(fixed_tree, files)
    loclint(fixed_tree, ".", "--fix", "--no-cache", timeout=120)
    expected = {tree / path.relative_to(fixed_tree): path.read_bytes() for path in fixed_tree.rglob("*.md")}
    assert any(expected[path] != originals[path] for path in originals)  # there is something to fix
    for moment in range(12):
        proc = subprocess.Popen([sys.executable, "-m", "loclint", "check", ".", "--fix", "--no-cache"], cwd=tree, env=_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.15 + moment * 0.1)
        proc.kill()
        proc.wait(timeout=30)
        for path, data in originals.items():
            assert path.read_bytes() in (data, expected[path]), path
    leftovers = [path for path in tree.rglob("*") if path.name.endswith(".loclint-fix")]
    listed = _text(loclint(tree, ".", "--show-files"))
    assert not any(path.name in listed for path in leftovers)
    loclint(tree, ".", "--fix", "--no-cache", timeout=120)
    assert {path: path.read_bytes() for path in originals} == expected
    assert not [path for path in tree.rglob("*") if path.name.endswith(".loclint-fix")]


# -- 3. bounded work: hostile front matter and markup ---------------------------------------------

_ALIAS_BOMB = "l0: &l0 [x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 8) + "]\n" for i in range(1, 8)
)  # 63 aliases, under the alias limit, yet 16 million values when walked
_MERGE_BOMB = "b0: &b0 {x: 1}\n" + "".join(f"b{i}: &b{i}\n  <<: [*b{i - 1}, *b{i - 1}]\n  y{i}: 1\n" for i in range(1, 30))
YAML_BOMBS = {
    # (Block mappings nested 10,000 deep need 50 MB of indentation: E006 long before YAML.)
    "mapping-nested-10000-deep": "k: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
    "block-list-nested-10000-deep": "k:\n  " + "- " * 10_000 + "x\n",
    "flow-list-100000-deep": "k: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "alias-list-bomb": _ALIAS_BOMB,
    "merge-key-bomb": _MERGE_BOMB,
}


@pytest.mark.parametrize("name", list(YAML_BOMBS))
def test_hostile_front_matter_is_a_clear_e004(tmp_path: Path, name: str) -> None:
    tree = tmp_path / "pr"
    front = "---\ntitle: T\nms.assetid: 1\nms.contentlocale: de-DE\n" + YAML_BOMBS[name] + "---\n"
    write_tree(tree, {
        "de-DE/a.md": {"bare": front + "{{1: Hallo || Hello}}\n"},
        "fr-FR/a.md": "{{1: Bonjour || Hello}}\n",
    })
    started = time.monotonic()
    run = loclint(tree, ".", "--no-cache", timeout=120)
    assert time.monotonic() - started < 60
    assert b"Traceback" not in run.stderr and b"RecursionError" not in run.stderr + run.stdout
    lines = [line for line in _text(run).splitlines() if " E004 " in line]
    assert len(lines) == 1 and lines[0].startswith("de-DE/a.md:")
    # PyYAML before 6.0.4 doubles what each of the bomb's merge keys merges: refused unloaded.
    assert any(word in lines[0] for word in ("nest", "expands", "depth", "29 YAML merge keys"))


@pytest.mark.parametrize("name", ["mapping-nested-10000-deep", "flow-list-100000-deep"])
def test_the_pure_python_loader_also_gives_e004(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where PyYAML is built without libyaml, the Python loader recurses: still an E004."""
    import yaml

    from loclint import frontmatter

    monkeypatch.setattr(frontmatter, "_safe_loader", lambda module: yaml.SafeLoader)
    found = frontmatter.read_front_matter("---\n" + YAML_BOMBS[name] + "---\nBody\n")
    assert found.error_code == "E004"


@pytest.mark.parametrize("locales", [("de-DE", "fr-FR"), ("de-DE", "fr-FR", "ro-RO")])
def test_a_hundred_thousand_nested_spans_get_their_own_finding(tmp_path: Path, locales: tuple[str, ...]) -> None:
    tree = tmp_path / "pr"
    deep = "<span>" * 100_000 + "Text" + "</span>" * 100_000 + "\n"
    files = {f"{locale}/a.md": "{{1: Hallo || Hello}}\n" for locale in locales}
    files[f"{locales[0]}/a.md"] = "{{1: Hallo || Hello}}\n\n" + deep
    write_tree(tree, files)
    started = time.monotonic()
    run = loclint(tree, ".", "--no-cache", timeout=120)
    assert time.monotonic() - started < 60
    findings = [line for line in _text(run).splitlines() if " B016 " in line]
    # Column 193: the 33rd `<span>`, the first past the limit.
    assert findings == [f"{locales[0]}/a.md:9:193: B016 HTML tags nested 100,000 levels deep (limit 32): no article needs this; the body is generated or hostile"]


@linux_only
def test_fix_interrupted_by_ctrl_c_cleans_up_at_once(tmp_path: Path) -> None:
    """SIGINT unwinds (unlike SIGKILL): each file old or new, exit 130, and no temporary file even
    before the next run."""
    tree = tmp_path / "pr"
    old = "---\ntitle: T\nms.assetid: {n}\nms.contentlocale: de-DE\n---\n" + "Text line.\n" * 2000
    write_tree(tree, {f"ro-RO/a{n}.md": {"bare": old.format(n=n)} for n in range(40)})
    originals = {path: path.read_bytes() for path in tree.rglob("*.md")}
    fixed = {path: data.replace(b"ms.contentlocale: de-DE", b"ms.contentlocale: ro-RO") for path, data in originals.items()}
    codes = []
    for moment in range(6):
        proc = subprocess.Popen([sys.executable, "-m", "loclint", "check", ".", "--fix", "--no-cache"], cwd=tree, env=_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(0.3 + moment * 0.2)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        codes.append(proc.returncode)
        if proc.returncode == 130:
            # One line for the interrupt, and no traceback. A signal that lands after the fixes
            # were written (while what is left is checked again) follows their report, which is true.
            *before, last = err.decode().splitlines()
            assert last == "loclint: interrupted by SIGINT", err
            assert all(line.startswith("loclint: fixed ") for line in before), err
        for path, data in originals.items():
            assert path.read_bytes() in (data, fixed[path]), path
        assert not [path for path in tree.rglob("*") if path.name.endswith(".loclint-fix")]
    assert 130 in codes, codes  # at least one run was really stopped midway


@linux_only
def test_a_run_killed_mid_write_leaves_a_cache_the_next_run_tidies(tmp_path: Path) -> None:
    tree = tmp_path / "pr"
    _big_tree(tree, 200, segments=20)
    for moment in range(4):
        proc = subprocess.Popen([sys.executable, "-m", "loclint", "check", ".", "--jobs", "2"], cwd=tree, env=_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0 + moment * 0.5)
        proc.kill()
        proc.wait(timeout=30)
    # A leftover as SIGKILL leaves one, from a process that no longer runs.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    (tree / ".loclint_cache" / "v1" / "ab").mkdir(parents=True, exist_ok=True)
    (tree / ".loclint_cache" / "v1" / "ab" / f".tmp-{dead}-abc").write_bytes(b"half an ent")
    changed = tree / "ro-RO" / "a0.md"  # so that the next run has an entry to write
    changed.write_text(changed.read_text(encoding="utf-8").replace("port 3 ", "port 30 "), encoding="utf-8")
    cold = loclint(tree, ".", "--no-cache")
    warm = loclint(tree, ".")
    assert warm.stdout == cold.stdout
    assert not list((tree / ".loclint_cache").rglob(".tmp-*"))


@pytest.mark.parametrize("writer", ["fix", "cache"])
def test_an_interrupt_just_after_the_temporary_file_is_made_removes_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: str) -> None:
    """Ctrl-C is raised between two bytecodes, wherever the run is: here, the moment the
    temporary file exists and before the writer holds its descriptor. No file is left behind
    (before 2026-12-07 `--fix` made it with mkstemp, outside its clean-up, and a full CI run saw
    a `.loclint-fix` file survive a Ctrl-C)."""
    from loclint import fix, signing
    from loclint.interrupt import Interrupted

    target = tmp_path / "a.md"
    target.write_bytes(b"old\n")
    real_open = os.open

    def open_then_interrupted(path, flags, mode=0o777, **kwargs):
        descriptor = real_open(path, flags, mode, **kwargs)
        if flags & os.O_CREAT:
            os.close(descriptor)
            raise Interrupted(signal.SIGINT)
        return descriptor

    monkeypatch.setattr(os, "open", open_then_interrupted)
    with pytest.raises(Interrupted):
        if writer == "fix":
            fix.write_atomically(target, b"new\n", fix.fingerprint(target))
        else:
            signing.write_atomic(target, b"new\n")
    monkeypatch.undo()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.md"]
    assert target.read_bytes() == b"old\n"
