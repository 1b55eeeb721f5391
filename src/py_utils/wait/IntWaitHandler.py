"""A counter that threads wait on until it reaches a target, e.g. "all jobs answered"."""
from __future__ import annotations

from py_utils.wait.WaitHandler import AwakeReason, WaitHandler


class IntWaitHandler(WaitHandler):
    """Counts events from any thread and lets other threads wait for the count to reach a value.

    Parameters
    ----------
    enabled
        Whether waits may block; a disabled handler returns ``disabled`` at once.
    init_value
        The initial count.
    """

    def __init__(self, enabled: bool = True, init_value: int = 0):
        super().__init__(enabled, init_value)

    def increase(self, value: int = 1) -> None:
        """Add ``value`` atomically, so concurrent producers never lose a count, and wake all waiters."""
        with self._condition:
            self._value += value
            self._condition.notify_all()

    def decrease(self, value: int = 1) -> None:
        """Subtract ``value`` atomically and wake all waiters."""
        with self._condition:
            self._value -= value
            self._condition.notify_all()

    def wait_equal(self, value: int, timeout: float | None = None) -> AwakeReason:
        """Block until the count equals ``value``; see ``WaitHandler.wait`` for ``timeout`` and the result."""
        return self.wait(lambda current: current == value, timeout)

    def wait_greater_equal(self, value: int, timeout: float | None = None) -> AwakeReason:
        """Block until the count is at least ``value``; see ``WaitHandler.wait``."""
        return self.wait(lambda current: current >= value, timeout)

    def wait_greater(self, value: int, timeout: float | None = None) -> AwakeReason:
        """Block until the count is strictly above ``value``; see ``WaitHandler.wait``."""
        return self.wait(lambda current: current > value, timeout)
