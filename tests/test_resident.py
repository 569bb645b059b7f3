"""`loclint check --resident`: a warm server that pre-commit's runs hand their check to.

Each test drives real processes: a first run starts the server, later runs are served by it. A
run is proved to be served (not checked in its own process) by putting a `click` on its module
path that fails on import: the caller never imports click, a fallback would.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from fixture_tree import write_tree

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the resident server needs fork, Unix sockets and /proc as Linux has them"
)
REPO = Path(__file__).resolve().parents[1]
TREE = {
    "de-DE/a.md": "{{103: Richten Sie MFA auf Port 8080 ein. || Set up MFA on port 8080.}}\n",
    "fr-FR/a.md": "{{103: Configurez MFA sur le port 8080. || Set up MFA on port 8080.}}\n",
    "ro-RO/a.md": "{{103: Configurați MAE pe portul 8080. || Set up MFA on port 8080.}}\n",
}


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch):
    """A short private cache folder (a socket path must fit in 108 bytes); servers stopped after."""
    folder = Path(tempfile.mkdtemp(prefix="ll-", dir="/tmp" if os.path.isdir("/tmp") else None))  # not a long $TMPDIR
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("CI", raising=False)
    yield folder
    for lock in folder.glob("loclint/resident-*.lock"):
        pid = _lock_holder(lock)
        if pid:
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(folder, ignore_errors=True)


def _env(home: Path, *paths: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("CI", "NO_COLOR")}
    env["XDG_CACHE_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join([*map(str, paths), str(REPO)])
    return {**env, **extra}


def loclint(cwd: Path, env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loclint", "check", *args], cwd=cwd, env=env, capture_output=True, timeout=120, **kwargs
    )


def _lock_holder(lock: Path) -> int | None:
    """The pid a live server wrote in its lock, or None when no server holds it."""
    try:
        pid = int(lock.read_text().split()[0])
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            alive = handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, ValueError, IndexError):
        return None
    return pid if alive else None


def _server(home: Path, timeout: float = 60) -> int:
    """The pid of the server once it listens (started by a first `--resident` run)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for sock in (home / "loclint").glob("resident-*.sock"):
            pid = _lock_holder(Path(f"{sock}.lock"))
            if pid:
                return pid
        time.sleep(0.05)
    pytest.fail("no resident server started")


def _poisoned_click(folder: Path) -> Path:
    """A module path on which importing click fails: a run that needs it was not served."""
    (folder / "click").mkdir(parents=True)
    (folder / "click" / "__init__.py").write_text("raise ImportError('this run was not served by the resident server')\n")
    return folder


def _ended(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists() or _state(pid) == "Z":
            return True
        time.sleep(0.05)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""


def test_a_served_run_prints_and_exits_as_a_fresh_run(tmp_path: Path, home: Path) -> None:
    tree = tmp_path / "tree"
    write_tree(tree, TREE)
    env = _env(home)
    fresh = loclint(tree, env, ".")
    first = loclint(tree, env, "--resident", ".")  # finds no server: starts one, checks itself
    server = _server(home)
    served = loclint(tree, _env(home, _poisoned_click(tmp_path / "poison")), "--resident", ".")
    assert fresh.returncode == first.returncode == served.returncode == 1
    assert b"P004" in fresh.stdout
    assert first.stdout == served.stdout == fresh.stdout, served.stderr.decode()[-800:]
    assert first.stderr == served.stderr == fresh.stderr == b""
    assert _lock_holder(next((home / "loclint").glob("*.lock"))) == server  # the same server answered


def test_a_served_run_has_the_callers_folder_environment_and_input(tmp_path: Path, home: Path) -> None:
    tree = tmp_path / "tree"
    write_tree(tree, TREE)
    loclint(tree, _env(home), "--resident", ".")
    _server(home)
    poisoned = _env(home, _poisoned_click(tmp_path / "poison"))
    text = (tree / "ro-RO" / "a.md").read_bytes()
    # a relative path from a subfolder, the text on standard input, a format chosen by option
    args = ("--stdin-filename", "a.md", "--output-format", "json")
    served = loclint(tree / "ro-RO", poisoned, "--resident", *args, input=text)
    fresh = loclint(tree / "ro-RO", _env(home), *args, input=text)
    assert served.returncode == fresh.returncode == 1
    assert served.stdout == fresh.stdout and b'"P004"' in served.stdout
    # the caller's options and environment decide the colours: on when asked, off under NO_COLOR
    colour = loclint(tree, poisoned, "--resident", "--color", "always", ".")
    plain = loclint(tree, {**poisoned, "NO_COLOR": "1"}, "--resident", ".")
    assert b"\x1b[" in colour.stdout and b"\x1b[" not in plain.stdout
    # a usage error is reported and exits as it would in the caller's own process
    usage = loclint(tree, poisoned, "--resident", "--no-such-option")
    assert usage.returncode == 2 and b"No such option" in usage.stderr


def test_the_socket_is_private_and_the_folder_must_be(tmp_path: Path, home: Path) -> None:
    tree = tmp_path / "tree"
    write_tree(tree, TREE)
    loclint(tree, _env(home), "--resident", ".")
    _server(home)
    sock = next((home / "loclint").glob("resident-*.sock"))
    assert stat.S_ISSOCK(sock.stat().st_mode) and stat.S_IMODE(sock.stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "loclint").stat().st_mode) == 0o700
    from loclint import resident

    (home / "loclint").chmod(0o755)  # a folder others may enter is not trusted: no server is asked
    try:
        assert resident.socket_path() is None
        served = loclint(tree, _env(home, _poisoned_click(tmp_path / "poison")), "--resident", ".")
        assert served.returncode == 1 and b"not served by the resident server" in served.stderr
    finally:
        (home / "loclint").chmod(0o700)


def test_no_server_under_ci_or_with_watch(tmp_path: Path, home: Path) -> None:
    from loclint import resident

    assert resident.wanted(["check", "--resident", "."])
    assert not resident.wanted(["check", "."])
    assert not resident.wanted(["check", "--resident", "--watch", "."])
    assert not resident.wanted(["check", "--", "--resident"])  # a file named `--resident`
    assert not resident.wanted(["rule", "--resident"])
    tree = tmp_path / "tree"
    write_tree(tree, TREE)
    ci = loclint(tree, _env(home, CI="true"), "--resident", ".")
    assert ci.returncode == 1 and b"P004" in ci.stdout
    time.sleep(0.5)
    assert list((home / "loclint").glob("resident-*")) == []  # none was started


def test_a_signal_to_the_caller_stops_the_served_run_in_one_line(tmp_path: Path, home: Path) -> None:
    body = "".join(
        f'<span data-ttu-id="x-{i}">Öffnen Sie Port {i} mit MFA.</span>'
        f'<span class="sxs-lookup"><span data-stu-id="x-{i}">Open port {i} with MFA.</span></span>\n\n'
        for i in range(60)
    )
    tree = tmp_path / "big"
    for group in range(400):
        for locale in ("de-DE", "fr-FR", "ro-RO"):
            path = tree / locale / f"a{group}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"---\ntitle: T\nms.assetid: {group}\nms.contentlocale: {locale}\n---\n" + body, encoding="utf-8")
    small = tmp_path / "small"
    write_tree(small, TREE)
    loclint(small, _env(home), "--resident", ".")
    _server(home)
    caller = subprocess.Popen(
        [sys.executable, "-m", "loclint", "check", "--resident", "--no-cache", "--jobs", "1", "."],
        cwd=tree, env=_env(home, _poisoned_click(tmp_path / "poison")), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    time.sleep(1.5)
    assert caller.poll() is None, "the tree is too small: the run ended before the signal"
    sent = time.monotonic()
    caller.send_signal(signal.SIGINT)
    _, err = caller.communicate(timeout=30)
    assert time.monotonic() - sent < 10
    assert caller.returncode == 130
    assert err.decode() == "loclint: interrupted by SIGINT\n"


def test_a_changed_loclint_is_never_served_by_the_old_server(tmp_path: Path, home: Path) -> None:
    copy = tmp_path / "install"
    shutil.copytree(REPO / "loclint", copy / "loclint", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "rules", copy / "rules")
    tree = tmp_path / "tree"
    write_tree(tree, TREE)
    env = _env(home, copy)
    first = loclint(tree, env, "--resident", ".")
    server = _server(home)
    source = copy / "loclint" / "wording.py"
    source.write_text(source.read_text() + "\n# an upgrade\n")
    after = loclint(tree, _env(home, _poisoned_click(tmp_path / "poison"), copy), "--resident", ".")
    # the old server said it serves other code and stopped; the run checked in its own process,
    # which is why it needed (and here could not import) click
    assert b"not served by the resident server" in after.stderr
    assert _ended(server, 10)
    again = loclint(tree, env, "--resident", ".")
    assert again.stdout == first.stdout


def test_the_server_ends_when_idle_and_on_stop(tmp_path: Path, home: Path) -> None:
    tree = tmp_path / "tree"
    write_tree(tree, TREE)
    loclint(tree, _env(home, LOCLINT_RESIDENT_IDLE="1"), "--resident", ".")
    server = _server(home)
    assert _ended(server, 15)
    assert list((home / "loclint").glob("resident-*.sock")) == []  # its socket went with it
    loclint(tree, _env(home), "--resident", ".")
    server = _server(home)
    stopped = subprocess.run(
        [sys.executable, "-m", "loclint.resident", "stop"], env=_env(home), capture_output=True, timeout=30, text=True
    )
    assert stopped.stdout == "loclint: resident process stopped\n"
    assert _ended(server, 10)


def test_a_request_carries_the_callers_exact_bytes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from loclint import resident

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ODD", "a=b\nc")
    monkeypatch.setitem(os.environb, b"UNDECODABLE", b"\xff\xfe")
    argv = ["check", "--resident", "a b.md", "-", "ünï\ncode.md", os.fsdecode(b"\xff.md"), ""]
    asked = resident._parse_request(resident._request(argv))
    assert asked["argv"] == argv
    assert asked["identity"] == resident.identity()
    assert asked["cwd"] == os.getcwdb()
    assert asked["environ"][b"ODD"] == b"a=b\nc" and asked["environ"][b"UNDECODABLE"] == b"\xff\xfe"
    assert asked["environ"] == dict(os.environb)
    assert set(asked["streams"]) == {"stdin", "stdout", "stderr"}
    with pytest.raises((ValueError, IndexError)):
        resident._parse_request(b"not\0a request")


def test_one_environment_has_one_server_whatever_its_python_is_called(home: Path) -> None:
    """The `loclint` script, `python -m loclint` and `python3 -m loclint.resident stop` of one
    environment find the same server."""
    folder = Path(sys.executable).parent
    names = [name for name in ("python", "python3", Path(sys.executable).name) if (folder / name).exists()]
    paths = {
        subprocess.run([str(folder / name), "-c", "from loclint import resident; print(resident.socket_path())"],
                       env=_env(home), capture_output=True, text=True, timeout=30).stdout
        for name in names
    }
    assert len(paths) == 1 and "resident-" in next(iter(paths))


def test_an_idle_setting_that_is_not_a_positive_number_is_the_default() -> None:
    from loclint import resident

    assert resident._idle_seconds("2.5") == 2.5
    assert [resident._idle_seconds(value) for value in ("", "soon", "-1", "0", "nan", "inf")] == [resident._IDLE_SECONDS] * 6


def test_runs_at_once_are_each_served_alike(tmp_path: Path, home: Path) -> None:
    """Each run is its own forked child: five at once print what one alone prints."""
    tree = tmp_path / "tree"
    write_tree(tree, TREE)
    alone = loclint(tree, _env(home), "--resident", ".")
    _server(home)
    poisoned = _env(home, _poisoned_click(tmp_path / "poison"))
    runs = [subprocess.Popen([sys.executable, "-m", "loclint", "check", "--resident", "--no-cache", "."], cwd=tree,
                             env=poisoned, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(5)]
    results = [(run.communicate(timeout=60), run.returncode) for run in runs]
    assert all(code == 1 and out == alone.stdout and err == b"" for (out, err), code in results), results[0]
