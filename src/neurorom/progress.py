"""Progress of a long command on stderr: one updating line on a terminal, a line per tenth otherwise."""

from __future__ import annotations

import os
import sys
import time


class Progress:
    def __init__(self, label: str, total: int, done: int = 0) -> None:
        self.label = label
        self.total = total
        self.done = done
        self._first = done
        self._start = time.perf_counter()
        # Under mpiexec stderr is a pipe; the launching process tells whether it was a terminal.
        forced = os.environ.get("NEUROROM_PROGRESS_TTY")
        self.tty = forced == "1" if forced in ("0", "1") else sys.stderr.isatty()
        self._last_tenth = -1
        self._show()

    def step(self, count: int = 1) -> None:
        self.done += count
        self._show()

    def close(self) -> None:
        if self.tty:
            sys.stderr.write("\n")
            sys.stderr.flush()

    def _show(self) -> None:
        elapsed = time.perf_counter() - self._start
        made = self.done - self._first
        left = self.total - self.done
        eta = f", ~{elapsed / made * left:.0f} s left" if made and left else ""
        text = f"[{self.label}] {self.done}/{self.total} ({elapsed:.1f} s{eta})"
        if self.tty:
            sys.stderr.write("\r" + text + "\033[K")
            sys.stderr.flush()
            return
        tenth = 10 * self.done // max(self.total, 1)
        if tenth != self._last_tenth:
            self._last_tenth = tenth
            print(text, file=sys.stderr, flush=True)
