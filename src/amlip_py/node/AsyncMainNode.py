"""Non-blocking main node: queue jobs, get solutions through a listener (eProsima path).

Why: keeps every idle computing node busy; ``request_job_solution`` returns the task id at once and
each solution is handed to the listener on a node-owned thread, once per task.
"""
from __future__ import annotations

import logging
import queue
import threading

from amlip_py.aliases import keyword_aliases
from amlip_py.node.ParentNode import ParentNode, pick_handler
from amlip_py.protocol.client import MultiServiceClient
from amlip_py.protocol.registry import PendingJob
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.GenericDataType import to_payload
from amlip_py.types.JobDataType import JobDataType
from amlip_py.types.JobSolutionDataType import JobSolutionDataType
from amlip_py.types.StatusDataType import NodeKind, StateKind

logger = logging.getLogger(__name__)


class SolutionListener:
    """Override :meth:`solution_received`; calling ``super().__init__()`` is optional."""

    def solution_received(self, solution: JobSolutionDataType, task_id: int,
                          server_id: AmlipIdDataType) -> None:
        raise NotImplementedError("subclass SolutionListener and override solution_received")


class SolutionListenerLambda(SolutionListener):
    """Adapts a function ``fn(solution, task_id, server_id)`` to a SolutionListener."""

    def __init__(self, callback):
        self.callback = callback

    def solution_received(self, solution, task_id, server_id) -> None:
        self.callback(solution, task_id, server_id)


class AsyncMainNode(ParentNode):
    """Main node that sends jobs in the background.

    Parameters
    ----------
    name : str
        Node name (see MainNode).
    domain : int, optional
        DDS domain id 0..232; None means 166.
    callback : callable, optional
        ``callback(solution, task_id, server_id)``; exactly one of callback and listener.
    listener : SolutionListener, optional
        Its ``solution_received`` is called once per solved task, one at a time, from a node thread.
    solution_timeout : float, optional
        Re-send a job to another computing node if no solution came in this many seconds.
    """

    def __init__(self, name: str, domain: int | None = None, callback=None, listener=None,
                 solution_timeout: float | None = None):
        self._listener = pick_handler(callback, listener, SolutionListenerLambda, "AsyncMainNode")
        super().__init__(name, domain, NodeKind.main, StateKind.running)
        self._solved: queue.SimpleQueue[PendingJob | None] = queue.SimpleQueue()
        self._client = MultiServiceClient(self._session, on_solution=self._solved.put,
                                          solution_timeout=solution_timeout)
        self._delivery = threading.Thread(target=self._deliver, name=f"amlip-solutions-{self.id()}",
                                          daemon=True)
        self._delivery.start()

    @keyword_aliases(job="data")
    def request_job_solution(self, data: JobDataType) -> int:
        """Queue the job ``data`` (``job=`` also accepted) and return its task id at once.

        The solution goes to the listener.
        """
        return self._client.submit(to_payload(data)).user_task_id

    def pending_jobs(self) -> int:
        """Number of jobs sent whose solution has not arrived yet."""
        return len(self._client.jobs)

    def _deliver(self) -> None:
        while (job := self._solved.get()) is not None:
            solution = JobSolutionDataType.from_wire(job.solution)
            try:
                self._listener.solution_received(solution, job.user_task_id, job.solved_by)
            except Exception:
                logger.exception("solution listener failed on task %d", job.user_task_id)

    def _stop_threads(self) -> None:
        self._client.close()
        self._solved.put(None)
        if threading.current_thread() is not self._delivery:
            self._delivery.join()
