"""Record what node listeners receive and wait for it with hang guards, never timed assertions."""
import threading

import pytest


class SolutionLog:
    """Thread-safe record of (task id -> [(solution text, server id)]), one list entry per delivery."""

    def __init__(self):
        self._cond = threading.Condition()
        self.by_task: dict[int, list[tuple[str, object]]] = {}
        self.count = 0

    def add(self, solution, task_id, server_id) -> None:
        with self._cond:
            self.by_task.setdefault(task_id, []).append((solution.to_string(), server_id))
            self.count += 1
            self._cond.notify_all()

    def wait_for_count(self, count: int, timeout: float, what: str = "solutions") -> None:
        """Wait until ``count`` deliveries (duplicates included) were recorded."""
        with self._cond:
            if not self._cond.wait_for(lambda: self.count >= count, timeout):
                pytest.fail(f"{what}: {self.count} of {count} solutions after {timeout} s")

    def wait_for(self, task_ids, timeout: float, what: str = "solutions") -> None:
        """Wait until every task in ``task_ids`` has a solution; fail naming the missing ones."""
        wanted = set(task_ids)
        with self._cond:
            if not self._cond.wait_for(lambda: wanted <= set(self.by_task), timeout):
                missing = sorted(wanted - set(self.by_task))
                pytest.fail(f"{what}: no solution for tasks {missing} after {timeout} s "
                            f"({len(wanted) - len(missing)} of {len(wanted)} arrived)")


class StatusLog:
    """Thread-safe list of (id string, node kind, state) seen by a status listener."""

    def __init__(self):
        self._cond = threading.Condition()
        self.states: list[tuple[str, int, int]] = []

    def add(self, status) -> None:
        with self._cond:
            self.states.append((str(status.id()), status.node_kind(), status.state()))
            self._cond.notify_all()

    def wait_for(self, entry, timeout: float, who: str) -> None:
        """Wait until ``entry`` was seen; fail naming it and what was seen instead."""
        with self._cond:
            if not self._cond.wait_for(lambda: entry in self.states, timeout):
                pytest.fail(f"{who} never saw {entry} within {timeout} s; saw {self.states}")
