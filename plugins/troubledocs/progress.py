"""Build progress on stderr: a bar on a terminal, a count every few pages otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

_BAR_WIDTH = 30
_PLAIN_STEP = 100


class Progress:
    """Counts rendered pages. Silent for builds of fewer than ``threshold`` pages."""

    def __init__(self, stream: TextIO | None = None, *, threshold: int = 20) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.threshold = threshold
        self.total = 0
        self.done = 0
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._drawn = False
        self._last_draw = 0.0

    @property
    def active(self) -> bool:
        """Whether this build is large enough to report on."""
        return self.total >= self.threshold

    def start(self, total: int) -> None:
        """A build of ``total`` pages begins."""
        self.total = total
        self.done = 0
        self._drawn = False

    def advance(self) -> None:
        """One more page is rendered."""
        self.done += 1
        if not self.active:
            return
        if self._tty:
            now = time.monotonic()
            # Redrawing every page costs more than rendering a small one; 20 frames a second is plenty.
            if now - self._last_draw >= 0.05 or self.done == self.total:
                self._last_draw = now
                self._draw()
        elif self.done % _PLAIN_STEP == 0 or self.done == self.total:
            self.stream.write(f"troubledocs: rendered {self.done}/{self.total} pages\n")
            self.stream.flush()

    def clear(self) -> None:
        """Erase the bar so that a log line can be written on a line of its own."""
        if self._tty and self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False

    def finish(self) -> None:
        """The pages are all rendered: leave the final bar on its own line."""
        if self._tty and self.active and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False

    def _draw(self) -> None:
        filled = _BAR_WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
        self.stream.write(f"\r\x1b[K[{bar}] {self.done}/{self.total} pages")
        self.stream.flush()
        self._drawn = True
