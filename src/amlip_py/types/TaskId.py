"""Task identifier: an unsigned 32-bit counter per main node (spec §2.4)."""
from __future__ import annotations


class TaskId(int):
    """An ``int``; ``TaskId()`` is 0 and ``TaskId(5)`` or ``TaskId(task_id=5)`` is 5 (upstream's TypeError fixed)."""

    def __new__(cls, task_id: int | None = None):
        return super().__new__(cls, task_id or 0)
