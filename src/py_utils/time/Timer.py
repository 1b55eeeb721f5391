"""A stopwatch for measuring how long training or a job round took."""
from __future__ import annotations

import time


class Timer:
    """Measures elapsed seconds on the monotonic clock, so wall-clock changes cannot skew results.

    Starts at construction; ``reset`` restarts it.
    """

    def __init__(self):
        self._start = time.monotonic()

    def reset(self) -> None:
        """Restart the measurement from now."""
        self._start = time.monotonic()

    def elapsed(self) -> float:
        """Return the seconds since construction or the last ``reset``."""
        return time.monotonic() - self._start
