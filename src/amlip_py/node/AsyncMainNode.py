"""Non-blocking main node: queue jobs, get solutions through a listener (eProsima path).

Why: keeps every idle computing node busy; ``request_job_solution`` returns the task id at once and
each solution is handed to the listener on a node-owned thread, once per task.
"""
from __future__ import annotations

from amlip_py.aliases import keyword_aliases
from amlip_py.node.callbacks import CallbackAdapter
from amlip_py.node.client_node import AsyncClientNode
from amlip_py.node.ParentNode import pick_handler
from amlip_py.protocol.service import JOBS
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.JobDataType import JobDataType
from amlip_py.types.JobSolutionDataType import JobSolutionDataType
from amlip_py.types.StatusDataType import NodeKind


class SolutionListener:
    """Override :meth:`solution_received`; calling ``super().__init__()`` is optional."""

    def solution_received(self, solution: JobSolutionDataType, task_id: int,
                          server_id: AmlipIdDataType) -> None:
        raise NotImplementedError("subclass SolutionListener and override solution_received")


class SolutionListenerLambda(CallbackAdapter, SolutionListener):
    """Adapts a function ``fn(solution, task_id, server_id)`` to a SolutionListener."""

    def solution_received(self, solution, task_id, server_id) -> None:
        self.callback(solution, task_id, server_id)


class AsyncMainNode(AsyncClientNode):
    """Main node that sends jobs in the background.

    Parameters
    ----------
    name, domain, secret
        As for every node (see ``ParentNode``).
    callback : callable, optional
        ``callback(solution, task_id, server_id)``; exactly one of callback and listener.
    listener : SolutionListener, optional
        Its ``solution_received`` is called once per solved task, one at a time, from a node thread.
    solution_timeout : float, optional
        Send a job to another computing node as well if it ran this many seconds without a solution
        (or, if its node reports progress, without progress); the first solution wins. None
        (default): judged from the other jobs' run times (``amlip_py.protocol.stragglers``).
    progress_callback : callable, optional
        ``progress_callback(record)`` with a ``ProgressRecord`` (task_id as returned by
        ``request_job_solution``, server_id, done, total, detail, elapsed) whenever a computing
        node reports progress on one of our jobs; called on the same thread as the listener.
    """

    def __init__(self, name: str, domain: int | None = None, callback=None, listener=None,
                 solution_timeout: float | None = None, progress_callback=None, secret=None):
        handler = pick_handler(callback, listener, SolutionListenerLambda, "AsyncMainNode")
        super().__init__(name, domain, NodeKind.main, JOBS, handler.solution_received, JobSolutionDataType,
                         solution_timeout, progress_callback, secret=secret)

    @keyword_aliases(job="data")
    def request_job_solution(self, data: JobDataType) -> int:
        """Queue the job ``data`` (``job=`` also accepted) and return its task id at once.

        The solution goes to the listener.
        """
        return self._submit(data)
