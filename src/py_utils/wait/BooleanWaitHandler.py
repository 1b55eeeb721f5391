"""A gate that threads wait on until another thread opens it."""
from __future__ import annotations

from py_utils.wait.WaitHandler import AwakeReason, WaitHandler


class BooleanWaitHandler(WaitHandler):
    """Blocks waiters while closed and releases them all when opened, e.g. "the node is ready".

    Parameters
    ----------
    enabled
        Whether waits may block; a disabled handler returns ``disabled`` at once.
    init_value
        ``True`` to start open.
    """

    def __init__(self, enabled: bool = True, init_value: bool = False):
        super().__init__(enabled, init_value)

    def open(self) -> None:
        """Let every current and future waiter through."""
        self.set_value(True)

    def close(self) -> None:
        """Make later waits block again until the next ``open``."""
        self.set_value(False)

    def wait(self, timeout: float | None = None) -> AwakeReason:
        """Block while closed, for at most ``timeout`` seconds (``None`` = forever); see ``WaitHandler.wait``."""
        return super().wait(lambda value: bool(value), timeout)
