"""`loclint check --resident`: a warm loclint process that pre-commit's runs hand their check to.

Why: a fresh Python process spends about 150 ms importing click, regex and loclint and compiling
the checks' patterns before it reads a file (README, "Where the time goes"); a commit that
changes one file needs about 80 ms of real work. A resident server pays the start-up once.

How: the first `--resident` run finds no server, starts one in the background and checks in its
own process as usual. Later runs connect to the server's Unix socket, hand it their standard
input, output and error (as file descriptors, so the check writes straight to the caller's
terminal or pipe and sees whether it is one), working folder, environment, umask and
arguments. The server forks a child that is already warm, which runs the command line exactly as
`loclint` would and answers with its exit code. Each run is its own forked child, so runs at once
do not share state and a crash ends only that run.

Trust: the socket lives in the user's cache folder beside the cache key (loclint/signing.py),
which must be the user's own and private (mode 0700); the socket is made with mode 0600 and the
server serves only a peer with the user's own uid. The server serves only the code it started
with: a request that finds loclint's sources or rule data changed (an upgrade, an edit) stops it,
and that run checks in its own process. It ends by itself after `LOCLINT_RESIDENT_IDLE` seconds
(default 900) without a request; `python -m loclint.resident stop` ends it at once. It is never
used when `CI` is set, with `--watch`, or where the platform has no `fork` or Unix sockets.
"""

from __future__ import annotations

import os
import signal
import socket
import sys

FLAG = "--resident"
_IDLE_SECONDS = 900.0
_MAX_REQUEST = 16 << 20  # a command line and an environment; anything larger is not one
_SOCKET_PATH_LIMIT = 100  # sockaddr_un holds 108 bytes on Linux, 104 on macOS


# --- the caller's side -------------------------------------------------------------------------


def wanted(argv: list[str]) -> bool:
    """Is this a `check` command line that asked for the resident server, where one may be used?"""
    if not argv or argv[0] != "check":
        return False
    options = argv[1 : argv.index("--")] if "--" in argv else argv[1:]
    if FLAG not in options or "--watch" in options:
        return False
    from loclint.environment import in_ci

    if in_ci(os.environ):
        return False
    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds")


def run(argv: list[str]) -> int | None:
    """The exit code of `argv` as the resident server ran it, or None: check in this process.

    None when no server answers (one is started for the next run), when it serves other code
    (it stops), or when the socket's folder cannot be trusted."""
    path = socket_path()
    if path is None:
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
    except OSError:
        connection.close()
        _start_server(path)
        return None
    with connection:
        return _ask(connection, argv)


def _ask(connection: socket.socket, argv: list[str]) -> int | None:
    try:
        socket.send_fds(connection, [b"R"], [0, 1, 2])
        _send_block(connection, _request(argv))
    except OSError:  # a standard stream closed (EBADF), or the server went away: check here
        return None
    replies = connection.makefile("rb")
    forwarder = _Forwarder()  # from here on: a Ctrl-C before the child is named is sent once it is
    try:
        first = replies.readline().split()
    except OSError:
        first = []
    if first[:1] != [b"pid"]:
        forwarder.stand_down()
        if forwarder.sent:  # stopped before any run began: in one line, as a run in this process would be
            sys.stderr.write(f"loclint: interrupted by {signal.Signals(forwarder.sent[-1]).name}\n")
            return 128 + forwarder.sent[-1]
        return None  # `stale`, or no answer at all: nothing has been printed yet
    forwarded = forwarder.aim(int(first[1]))
    try:
        last = replies.readline().split()
    except OSError:  # the connection was reset: the child is gone
        last = []
    if last[:1] == [b"exit"]:
        return int(last[1])
    if forwarded:  # the run was stopped by the signal it was sent, and said so itself
        return 128 + forwarded[-1]
    sys.stderr.write("loclint: error: the resident loclint process ended without an answer\n")
    return 2


def _request(argv: list[str]) -> bytes:
    """The caller's run as NUL-separated bytes: no argument, variable or path can hold a NUL,
    so the fields need no escaping, and the bytes are exactly the caller's (undecodable names
    and values included); no JSON module to import on the caller's side."""
    mask = os.umask(0o022)
    os.umask(mask)
    streams = [part for name in ("stdin", "stdout", "stderr") for part in _encoding_of(getattr(sys, name, None))]
    fields = [identity().encode("utf-8", "surrogateescape"), os.getcwdb(), b"%d" % mask, *(s.encode() for s in streams),
              b"%d" % len(argv), *map(os.fsencode, argv), *(key + b"=" + value for key, value in os.environb.items())]
    return b"\0".join(fields)


def _encoding_of(stream: object) -> tuple[str, str]:
    """A standard stream's encoding and error handler (a replaced or missing stream: UTF-8)."""
    return getattr(stream, "encoding", None) or "utf-8", getattr(stream, "errors", None) or "strict"


def _parse_request(data: bytes) -> dict:
    """`_request`'s fields by name; ValueError (or IndexError) for anything else."""
    fields = data.split(b"\0")
    count = int(fields[9])
    environ = dict(field.split(b"=", 1) for field in fields[10 + count :])
    return {
        "identity": fields[0].decode("utf-8", "surrogateescape"), "cwd": fields[1], "umask": int(fields[2]),
        "streams": {name: [fields[3 + 2 * index].decode(), fields[4 + 2 * index].decode()]
                    for index, name in enumerate(("stdin", "stdout", "stderr"))},
        "argv": [os.fsdecode(arg) for arg in fields[10 : 10 + count]],
        "environ": environ,
    }


class _Forwarder:
    """Ctrl-C, SIGTERM or SIGHUP sent to this run goes to the child checking for it, which stops
    in one line as loclint does. Signals that come before the child is named are kept and sent
    when it is; `sent` lists them all, so the exit status can name the last."""

    _SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self) -> None:
        self.sent: list[int] = []
        self._child: int | None = None
        self._previous = {signum: signal.signal(signum, self._forward) for signum in self._SIGNALS}

    def aim(self, child: int) -> list[int]:
        self._child = child
        for signum in self.sent:
            self._send(signum)
        return self.sent

    def stand_down(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _forward(self, signum: int, frame: object) -> None:
        self.sent.append(signum)
        if self._child is not None:
            self._send(signum)

    def _send(self, signum: int) -> None:
        try:
            os.kill(self._child, signum)
        except OSError:
            pass


def _start_server(path: str) -> None:
    """Start the server in its own session, from the private folder: `-m` puts the working folder
    first on the module path, and the checked tree (a pull request) must not be able to supply a
    module of that name."""
    import subprocess

    try:
        subprocess.Popen(
            [sys.executable, "-m", "loclint.resident", "serve", path], cwd=os.path.dirname(path),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, close_fds=True,
        )
    except OSError:
        pass  # no server this time; the run goes on in its own process


def identity() -> str:
    """Which loclint a server runs: its environment (`sys.prefix`, the same for a virtual
    environment's `python` and `python3`, and for its `loclint` script), its package folder and
    its version."""
    from loclint import __version__

    return repr((sys.prefix, os.path.dirname(os.path.abspath(__file__)), __version__))  # no NUL: a request field


def socket_path() -> str | None:
    """This installation's socket in the user's private folder, or None where there is none.

    One server per environment and loclint folder, so two virtual environments never share one;
    the name is only a short checksum of `identity()`, which each request carries in full."""
    import zlib

    from loclint.environment import private_folder

    folder = private_folder()
    if not _private_folder(folder):
        return None
    path = os.path.join(folder, f"resident-{zlib.crc32(identity().encode('utf-8', 'surrogateescape')):08x}.sock")
    return path if len(os.fsencode(path)) <= _SOCKET_PATH_LIMIT else None


def _private_folder(folder: str) -> bool:
    """Made if missing; trusted only when it is this user's and nobody else may enter it."""
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        status = os.lstat(folder)
    except OSError:
        return False
    import stat

    from loclint.environment import owned_privately

    return stat.S_ISDIR(status.st_mode) and owned_privately(status)


# --- the server ---------------------------------------------------------------------------------


def serve(path: str, idle: float) -> None:
    """Serve requests at `path` until `idle` seconds pass without one, or loclint's code changes."""
    lock = _hold_lock(path)
    if lock is None:
        return  # another server holds this socket
    _warm_up()
    import gc

    # What the warm-up built is never collected: a child's collections skip it, and so do not
    # touch (and copy) the pages it shares with the server.
    gc.freeze()
    started = _code_stamp()
    listener = _listen(path)
    listener.settimeout(1.0)
    signal.signal(signal.SIGCHLD, _reap_children)  # finished runs are reaped at once, not left as zombies
    import time

    last_request = time.monotonic()
    try:
        while time.monotonic() - last_request < idle:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:  # out of descriptors, say: the callers check in their own process meanwhile
                time.sleep(0.1)
                continue
            last_request = time.monotonic()
            with connection:
                if not _serve_one(connection, listener, lock, started):
                    return
    finally:
        _remove_socket(path)
        listener.close()


def _serve_one(connection: socket.socket, listener: socket.socket, lock: int, started: str) -> bool:
    """Answer one request; False when loclint's code changed since the server started (it stops)."""
    if _peer_uid(connection) != os.getuid():
        return True
    connection.settimeout(5.0)  # a caller that connects and says nothing cannot stall the server
    received = _receive_request(connection)
    if received is None:
        return True
    fds, asked = received
    try:
        if asked.get("identity") != identity():
            connection.sendall(b"stale\n")  # another installation's run, whose socket name collided
            return True
        if _code_stamp() != started:
            connection.sendall(b"stale\n")
            return False
        _fork_run(connection, listener, lock, fds, asked)
        return True
    except OSError:
        return True
    finally:
        for fd in fds:
            os.close(fd)


def _receive_request(connection: socket.socket) -> tuple[list[int], dict] | None:
    """The caller's three standard streams and its request, or None for anything malformed."""
    fds: list[int] = []
    try:
        _, fds, _, _ = socket.recv_fds(connection, 1, 3)
        block = _receive_block(connection)
        asked = _parse_request(block) if block is not None else None
    except (OSError, ValueError, IndexError):
        asked = None
    if len(fds) == 3 and asked is not None:
        return fds, asked
    for fd in fds:
        os.close(fd)
    return None


def _fork_run(connection: socket.socket, listener: socket.socket, lock: int, fds: list[int], asked: dict) -> None:
    """Fork the child that runs the caller's command line; the server goes back to listening."""
    if os.fork() != 0:
        return
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the run's own workers are its to wait for
    code = 1
    try:
        listener.close()
        os.close(lock)
        connection.settimeout(None)
        connection.sendall(b"pid %d\n" % os.getpid())
        code = _run_as_caller(asked, fds)
        connection.sendall(b"exit %d\n" % code)
    except BaseException:  # not loclint's own errors, which its command line reports: the server's
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def _hold_lock(path: str) -> int | None:
    """An exclusive lock beside the socket, held for the server's life; its pid is written in it."""
    import fcntl

    try:
        lock = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(lock)
        return None
    os.ftruncate(lock, 0)
    os.write(lock, b"%d\n" % os.getpid())
    return lock


def _listen(path: str) -> socket.socket:
    try:
        os.unlink(path)  # a socket left by a server that died: the lock says none is serving it
    except FileNotFoundError:
        pass
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    previous = os.umask(0o177)
    try:
        listener.bind(path)
    finally:
        os.umask(previous)
    listener.listen(64)
    return listener


def _remove_socket(path: str) -> None:
    """Only the lock's holder binds this path, so the socket there is this server's own."""
    try:
        os.unlink(path)
    except OSError:
        pass


def _peer_uid(connection: socket.socket) -> int | None:
    import struct

    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:  # macOS and the BSDs: the 0600 socket in a 0700 folder is the guard
        return os.getuid()
    try:
        _, uid, _ = struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    except OSError:
        return None
    return uid


def _code_stamp() -> str:
    from loclint.cache import code_fingerprint

    return code_fingerprint.__wrapped__()  # the files as they are now, not the cached answer


def _warm_up() -> None:
    """Import every module a check can use, compile every pattern they declare and check two
    small made-up groups (side-by-side spans and plain Markdown), so that each forked child starts
    with click, the checks, the rule data and their compiled patterns in memory."""
    import contextlib
    import importlib
    import io
    import pkgutil
    import tempfile

    import loclint
    from loclint import lazyre, patterns

    for module in pkgutil.walk_packages(loclint.__path__, "loclint."):
        if module.name not in ("loclint.server", "loclint.__main__"):
            with contextlib.suppress(Exception):
                importlib.import_module(module.name)
    lazyre.compile_all()
    patterns.shipped_patterns()
    from loclint.cli import main

    with tempfile.TemporaryDirectory(prefix="loclint-warm-") as folder:
        _write_warm_up_groups(folder)
        quiet = io.StringIO()
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet), contextlib.suppress(BaseException):
            main(["check", "--isolated", "--no-cache", "--jobs", "1", "--select", "ALL", folder], standalone_mode=False)


_WARM_UP_FRONT = "---\ntitle: {title}\nms.assetid: 4a1b{kind}\nms.sourcegitcommit: 0c1d\nms.contentlocale: {locale}\n---\n"
_WARM_UP_TEXTS = {  # locale: (heading, sentence); ro-RO loses `MFA`, as translations do
    "de-DE": ("Anmelden", "Richten Sie **MFA** mit `Set-User` ein, siehe [Hilfe](https://example.com/a), Schritt 42."),
    "fr-FR": ("Connexion", "Configurez **MFA** avec `Set-User`, voir [Aide](https://example.com/a), étape 42."),
    "ro-RO": ("Conectare", "Configurați **AMF** cu `Set-User`, vedeți [Ajutor](https://example.com/a), pasul 42."),
}


def _write_warm_up_groups(folder: str) -> None:
    """One made-up article in three locales, once with side-by-side spans and once plain."""
    for locale, (heading, sentence) in _WARM_UP_TEXTS.items():
        source = "Set up **MFA** with `Set-User`, see [Help](https://example.com/a), step 42."
        heading_span, sentence_span = (
            f'<span data-ttu-id="1a2b-{number}">{target}</span>'
            f'<span class="sxs-lookup"><span data-stu-id="1a2b-{number}">{original}</span></span>'
            for number, target, original in ((101, heading, "Sign in"), (102, sentence, source))
        )
        pages = {
            "sxs.md": _WARM_UP_FRONT.format(title=heading, kind="s", locale=locale.lower()) + f"# {heading_span}\n\n- {sentence_span}\n",
            "plain.md": _WARM_UP_FRONT.format(title=heading, kind="p", locale=locale.lower())
            + f"# {heading}\n\n{sentence}\n\n| A | B |\n|---|---|\n| {heading} | 42 |\n\n1. {sentence}\n",
        }
        os.makedirs(os.path.join(folder, locale), exist_ok=True)
        for name, text in pages.items():
            with open(os.path.join(folder, locale, name), "w", encoding="utf-8") as page:
                page.write(text)


def _run_as_caller(asked: dict, fds: list[int]) -> int:
    """Become the caller's run: its folder, environment, umask and streams, then its command line."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(asked["cwd"])
    os.environb.clear()
    os.environb.update(asked["environ"])
    os.umask(asked["umask"])
    for number, fd in enumerate(fds):
        os.dup2(fd, number)
        os.close(fd)
    _reopen_streams(asked["streams"])
    sys.argv = ["loclint", *asked["argv"]]
    from loclint.cli import main

    try:
        main(asked["argv"], prog_name="loclint")
        code = 0
    except SystemExit as stop:
        code = _exit_code(stop.code)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
    return code


def _exit_code(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    sys.stderr.write(f"{value}\n")
    return 1


def _reopen_streams(streams: dict[str, list[str]]) -> None:
    """Standard streams on the caller's descriptors, with the caller's encodings."""
    for number, name in enumerate(("stdin", "stdout", "stderr")):
        encoding, errors = streams[name]
        mode = "r" if number == 0 else "w"
        line_buffering = number == 2 or (number == 1 and os.isatty(1))
        stream = open(number, mode, buffering=1 if line_buffering else -1, encoding=encoding, errors=errors, closefd=False)
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)  # what shutil.get_terminal_size and the like consult


def _reap_children(*signal_arguments: object) -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


# --- framing ------------------------------------------------------------------------------------


def _send_block(connection: socket.socket, data: bytes) -> None:
    connection.sendall(len(data).to_bytes(8, "big") + data)


def _receive_block(connection: socket.socket) -> bytes | None:
    header = _receive_exactly(connection, 8)
    if header is None:
        return None
    size = int.from_bytes(header, "big")
    return _receive_exactly(connection, size) if size <= _MAX_REQUEST else None


def _receive_exactly(connection: socket.socket, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = connection.recv(min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# --- `python -m loclint.resident serve PATH | stop` ---------------------------------------------


def stop() -> bool:
    """End this installation's server, if one runs; True when there was one."""
    path = socket_path()
    if path is None:
        return False
    try:
        with open(f"{path}.lock", encoding="ascii") as lock:
            pid = int(lock.read().split()[0])
    except (OSError, ValueError, IndexError):
        return False
    if not _holds_lock(path):
        return False
    try:
        os.kill(pid, signal.SIGTERM)
    except OSError:
        return False
    return True


def _holds_lock(path: str) -> bool:
    """Is the lock beside `path` held (by a live server) right now?"""
    import fcntl

    try:
        fd = os.open(f"{path}.lock", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _idle_seconds(setting: str) -> float:
    """`LOCLINT_RESIDENT_IDLE` as seconds; the default for anything that is not a positive number."""
    try:
        seconds = float(setting)
    except ValueError:
        return _IDLE_SECONDS
    return seconds if 0 < seconds < float("inf") else _IDLE_SECONDS


def _main(argv: list[str]) -> int:
    if argv[:1] == ["serve"] and len(argv) == 2:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # started by a terminal's run: its Ctrl-C is not ours
        serve(argv[1], _idle_seconds(os.environ.get("LOCLINT_RESIDENT_IDLE", "")))
        return 0
    if argv == ["stop"]:
        print("loclint: resident process stopped" if stop() else "loclint: no resident process is running")
        return 0
    print("usage: python -m loclint.resident stop", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
