"""Computing node serving jobs on its own thread between run() and stop() (eProsima path).

Why: a long-running worker; jobs are processed one at a time on a node-owned thread, and a job
callback that fails is logged (the main node gets an error solution) without stopping the node.
"""
from __future__ import annotations

import logging

from amlip_py.node.ParentNode import ParentNode, pick_handler
from amlip_py.protocol.server import MultiServiceServer
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.GenericDataType import to_payload
from amlip_py.types.JobDataType import JobDataType
from amlip_py.types.JobSolutionDataType import JobSolutionDataType
from amlip_py.types.StatusDataType import NodeKind, StateKind

logger = logging.getLogger(__name__)


class JobReplier:
    """Override :meth:`process_job`; calling ``super().__init__()`` is optional."""

    def process_job(self, job: JobDataType, task_id: int, client_id: AmlipIdDataType) -> JobSolutionDataType:
        raise NotImplementedError("subclass JobReplier and override process_job")


class JobReplierLambda(JobReplier):
    """Adapts a function ``fn(job, task_id, client_id) -> JobSolutionDataType`` to a JobReplier."""

    def __init__(self, callback):
        self.callback = callback

    def process_job(self, job, task_id, client_id) -> JobSolutionDataType:
        return self.callback(job, task_id, client_id)


class AsyncComputingNode(ParentNode):
    """Computing node that serves jobs in the background once :meth:`run` is called.

    Parameters
    ----------
    name : str
        Node name (see MainNode).
    domain : int, optional
        DDS domain id 0..232; None means 166.
    callback : callable, optional
        ``callback(job, task_id, client_id) -> JobSolutionDataType``; exactly one of callback/listener.
    listener : JobReplier, optional
        Its ``process_job`` is called for every job, one at a time, from the node's thread.
    """

    def __init__(self, name: str, domain: int | None = None, callback=None, listener=None):
        self._replier = pick_handler(callback, listener, JobReplierLambda, "AsyncComputingNode")
        super().__init__(name, domain, NodeKind.computing, StateKind.stopped)
        self._server = MultiServiceServer(self._session)

    def run(self) -> None:
        """Start serving jobs; raises RuntimeError if already running."""
        self._start_worker(self._serve, (), stop_call="stop()")

    def stop(self) -> None:
        """Stop serving (waits for the current job to finish); raises RuntimeError if not running."""
        self._stop_worker(start_call="run()")

    def _serve(self) -> None:
        while not self._session.participant.waking.is_set():
            try:
                self._server.serve_one(self._process)
            except Exception:
                logger.exception("serving a job failed (if the callback raised, the main node got an "
                                 "error solution); serving the next one")

    def report_progress(self, done: int, total: int, detail: dict | None = None) -> bool:
        """Tell the main node how far the job being processed is (call it from the job callback).

        ``detail`` is a small JSON-serialisable dict (at most 1 kB as JSON). Records travel on our
        own topic ``amlipy/progress``; main and status nodes that take a progress callback get
        them. Returns False (nothing sent) when no job is being processed.
        """
        return self._server.report_progress(done, total, detail)

    def _process(self, payload: bytes, task_id: int, client: AmlipIdDataType) -> bytes:
        return to_payload(self._replier.process_job(JobDataType.from_wire(payload), task_id, client))
