"""A value that threads can wait on until it satisfies a condition or the handler is shut down."""
from __future__ import annotations

import threading
import time
from enum import Enum
from typing import Any, Callable


class AwakeReason(Enum):
    """Why ``WaitHandler.wait`` returned, so callers can tell shutdown from success and timeout."""

    disabled = 0
    timeout = 1
    condition_met = 2


def _never(value: Any) -> bool:
    """Default predicate: never holds, which turns ``wait(timeout=x)`` into an interruptible sleep."""
    return False


class WaitHandler:
    """Lets threads block until a shared value satisfies a predicate, with a way to release them all.

    The value is guarded by one condition variable: every change wakes all waiters, who re-check
    their predicate. Disabling the handler releases every waiter with ``AwakeReason.disabled``.

    Parameters
    ----------
    enabled
        Whether waits may block; a disabled handler returns ``disabled`` at once.
    init_value
        The initial value.
    """

    blank_predicate = staticmethod(_never)  # eProsima's name for the default predicate

    def __init__(self, enabled: bool = True, init_value: Any = None):
        self._condition = threading.Condition()
        self._enabled = enabled
        self._value = init_value
        self._waiters = 0

    def get_value(self) -> Any:
        """Return the current value, read under the lock so it is never torn by a concurrent update."""
        with self._condition:
            return self._value

    def set_value(self, value: Any) -> None:
        """Store ``value`` and wake every waiter so each re-checks its predicate."""
        with self._condition:
            self._value = value
            self._condition.notify_all()

    def enable(self) -> None:
        """Allow waits to block again after a ``disable``."""
        with self._condition:
            self._enabled = True

    def disable(self) -> None:
        """Release every current and future waiter with ``AwakeReason.disabled``, e.g. at shutdown."""
        with self._condition:
            self._enabled = False
            self._condition.notify_all()

    def enabled(self) -> bool:
        """Tell whether waits may currently block."""
        with self._condition:
            return self._enabled

    def blocking_disable(self) -> None:
        """Disable, then return only once no thread is inside ``wait``, so the handler can be torn down safely."""
        with self._condition:
            self._enabled = False
            self._condition.notify_all()
            self._condition.wait_for(lambda: self._waiters == 0)

    def wait(self, predicate: Callable[[Any], bool] = _never, timeout: float | None = None) -> AwakeReason:
        """Block until the handler is disabled or ``predicate(value)`` holds, for at most ``timeout`` seconds.

        Parameters
        ----------
        predicate
            Evaluated under the lock on entry and after every wake-up; by default it never holds.
        timeout
            Longest wait in seconds; ``None`` waits forever.

        Returns
        -------
        AwakeReason
            ``disabled`` if the handler is disabled (this wins over the predicate), else
            ``condition_met`` if the predicate holds, else ``timeout``.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._condition:
            self._waiters += 1
            try:
                while True:
                    if not self._enabled:
                        return AwakeReason.disabled
                    if predicate(self._value):
                        return AwakeReason.condition_met
                    if deadline is None:
                        self._condition.wait()
                        continue
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return AwakeReason.timeout
                    self._condition.wait(remaining)
            finally:
                self._waiters -= 1
                if self._waiters == 0:
                    self._condition.notify_all()  # a blocking_disable may be waiting for this
