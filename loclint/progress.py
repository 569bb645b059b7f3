"""The progress line: files done of the total and the rate, on standard error, for long runs.

Shown only where a person is watching: standard error is a terminal, the run is not in CI (the
`CI` variable every CI service sets), and the run has lasted a second (a quick run never
flickers a line). It is redrawn in place at most ten times a second, never written to standard
output, and wiped before the report is printed, so what a terminal ends up showing and what a
pipe receives are the same as without it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import TextIO

from loclint.environment import in_ci

_DELAY = 1.0  # seconds before the line first appears
_INTERVAL = 0.1  # seconds between redraws


class Progress:
    def __init__(
        self,
        stream: TextIO | None = None,
        environ: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = wanted(self.stream, os.environ if environ is None else environ)
        self._clock = clock
        self._start = self._drawn_at = 0.0
        self._total = self._done = self._width = 0

    def start(self, total: int) -> None:
        self._start, self._total, self._done = self._clock(), total, 0

    def advance(self, files: int) -> None:
        self._done += files
        if not self.enabled:
            return
        now = self._clock()
        if now - self._start < _DELAY or now - self._drawn_at < _INTERVAL:
            return
        self._drawn_at = now
        rate = self._done / (now - self._start)
        self._draw(f"loclint: {self._done:,} / {self._total:,} files ({rate:,.0f} files/s)")

    def finish(self) -> None:
        """Wipe the line, so the report starts on a clean one."""
        if self._width:
            self._draw("")
            self._width = 0

    def _draw(self, line: str) -> None:
        padding = " " * max(0, self._width - len(line))
        self.stream.write(f"\r{line}{padding}\r" if not line else f"\r{line}{padding}")
        self.stream.flush()
        self._width = len(line)


def wanted(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """A person watches a terminal; CI logs and pipes get no progress line."""
    if in_ci(environ):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False
