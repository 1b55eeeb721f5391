"""Blocking computing node: serve one job per call (eProsima ``amlip_py.node.ComputingNode``).

Why: lets a script decide when it is ready for the next job; the job callback runs in the
calling thread.
"""
from __future__ import annotations

import threading

from amlip_py.node.ParentNode import ParentNode, pick_handler
from amlip_py.protocol.server import MultiServiceServer
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.GenericDataType import to_payload
from amlip_py.types.JobDataType import JobDataType
from amlip_py.types.JobSolutionDataType import JobSolutionDataType
from amlip_py.types.StatusDataType import NodeKind, StateKind


class JobListener:
    """Override :meth:`process_job`; calling ``super().__init__()`` is optional."""

    def process_job(self, job: JobDataType) -> JobSolutionDataType:
        raise NotImplementedError("subclass JobListener and override process_job")


class JobLambda(JobListener):
    """Adapts a function ``fn(job) -> JobSolutionDataType`` to a JobListener."""

    def __init__(self, callback):
        self.callback = callback

    def process_job(self, job: JobDataType) -> JobSolutionDataType:
        return self.callback(job)


class ComputingNode(ParentNode):
    """Computing node answering one job per :meth:`process_job` call.

    Parameters
    ----------
    name : str
        Node name (see MainNode).
    domain : int, optional
        DDS domain id 0..232; None means 166 (0 is honoured, unlike upstream).
    """

    def __init__(self, name: str, domain: int | None = None):
        super().__init__(name, domain, NodeKind.computing, StateKind.stopped)
        self._server = MultiServiceServer(self._session)
        self._serving = threading.Lock()

    def process_job(self, callback=None, listener=None, timeout: float | None = None) -> AmlipIdDataType:
        """Wait for one job, solve it with ``callback(job)`` or ``listener.process_job(job)``, answer it.

        Returns
        -------
        AmlipIdDataType
            The id of the main node that sent the job.

        Raises
        ------
        ValueError
            If not exactly one of callback and listener is given.
        TimeoutError
            If no job was accepted within ``timeout`` seconds.
        Exception
            Whatever the callback raised (the main node then receives an error solution).

        Calls from several threads are served one after the other.
        """
        handler = pick_handler(callback, listener, JobLambda, "Method process_job")
        with self._serving:
            return self._serve_one(handler, timeout)

    def report_progress(self, done: int, total: int, detail: dict | None = None) -> bool:
        """Tell the main node how far the job being processed is (call it from the job callback).

        ``detail`` is a small JSON-serialisable dict (at most 1 kB as JSON). Records travel on our
        own topic ``amlipy/progress``; main and status nodes that take a progress callback get
        them. Returns False (nothing sent) when no job is being processed.
        """
        return self._server.report_progress(done, total, detail)

    def _serve_one(self, handler: JobListener, timeout: float | None) -> AmlipIdDataType:
        def solve(payload, task_id, client_id) -> bytes:
            return to_payload(handler.process_job(JobDataType.from_wire(payload)))

        self._session.set_state(StateKind.running)
        try:
            served = self._server.serve_one(solve, timeout)
        finally:
            self._session.set_state(StateKind.stopped)
        if served is None:
            if self._session.participant.waking.is_set():
                raise RuntimeError(f"{self!r} was closed while waiting for a job")
            raise TimeoutError(f"no job accepted within {timeout} s")
        return served[0]

    def _stop_threads(self) -> None:
        self._session.participant.wake()
