"""Task identifier: an unsigned 32-bit counter per main node (spec §2.4)."""


class TaskId(int):
    """An ``int``; ``TaskId()`` is 0 and ``TaskId(5)`` is 5 (upstream's TypeError fixed)."""
