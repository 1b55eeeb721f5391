"""Blocking main node: send a job, wait for its solution (eProsima ``amlip_py.node.MainNode``).

Why: the simplest way to use remote computing nodes; the request blocks the calling thread only,
so several threads may share one node.
"""
from __future__ import annotations

import threading

from amlip_py.node.callbacks import CallbackThread
from amlip_py.node.ParentNode import ParentNode
from amlip_py.protocol.client import MultiServiceClient
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.GenericDataType import to_payload
from amlip_py.types.JobDataType import JobDataType
from amlip_py.types.JobSolutionDataType import JobSolutionDataType
from amlip_py.types.StatusDataType import NodeKind, StateKind


class MainNode(ParentNode):
    """Main node whose :meth:`request_job_solution` blocks until a computing node answers.

    Parameters
    ----------
    name : str
        Node name (printable ASCII without whitespace or ``* ? [ ] " ' # $``, at most 28 bytes).
    domain : int, optional
        DDS domain id 0..232; None means AML-IP's default 166.
    solution_timeout : float, optional
        See AsyncMainNode.
    progress_callback : callable, optional
        ``progress_callback(record)`` per progress record of our jobs (see AsyncMainNode), called
        on a thread of the node.
    """

    def __init__(self, name: str, domain: int | None = None, solution_timeout: float | None = None,
                 progress_callback=None):
        super().__init__(name, domain, NodeKind.main, StateKind.stopped)
        self._progress = None if progress_callback is None else CallbackThread(f"amlip-progress-{self.id()}")
        self._client = MultiServiceClient(
            self._session, solution_timeout=solution_timeout,
            on_progress=None if progress_callback is None else lambda record: self._progress.post(
                progress_callback, record))
        self._active_lock = threading.Lock()
        self._active_requests = 0

    def request_job_solution(self, job: JobDataType, timeout: float | None = None
                             ) -> tuple[JobSolutionDataType, AmlipIdDataType]:
        """Send ``job`` to one idle computing node and wait for its solution.

        Returns
        -------
        (JobSolutionDataType, AmlipIdDataType)
            The solution and the id of the computing node that produced it.

        Raises
        ------
        TimeoutError
            If ``timeout`` seconds pass without a solution (the job is then withdrawn).
        RuntimeError
            If the node is closed while the request waits.
        KeyboardInterrupt
            Ctrl-C while waiting; the job is withdrawn like a timed-out one.
        """
        self._count_request(+1)
        try:
            pending = self._client.submit(to_payload(job))
            try:
                solved = pending.done.wait(timeout)
            except BaseException:  # e.g. KeyboardInterrupt: the job must not stay pending
                self._client.cancel(pending)
                raise
            if not solved:
                if self._client.cancel(pending):
                    raise TimeoutError(f"no solution for task {pending.user_task_id} within {timeout} s "
                                       f"(is a computing node running on domain {self._session.domain}?)")
                pending.done.wait()
            if pending.solution is None:
                raise RuntimeError(f"{self!r} was closed while task {pending.user_task_id} was pending")
            return JobSolutionDataType.from_wire(pending.solution), pending.solved_by
        finally:
            self._count_request(-1)

    def _count_request(self, delta: int) -> None:
        with self._active_lock:
            self._active_requests += delta
            if self._active_requests == (1 if delta > 0 else 0):
                self._session.set_state(StateKind.running if delta > 0 else StateKind.stopped)

    def _stop_threads(self) -> None:
        self._client.close()
        if self._progress is not None:
            self._progress.close()
