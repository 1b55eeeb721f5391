"""Blocking computing node: serve one job per call (eProsima ``amlip_py.node.ComputingNode``).

Why: lets a script decide when it is ready for the next job; the job callback runs in the
calling thread.
"""
from __future__ import annotations

from amlip_py.node.callbacks import CallbackAdapter
from amlip_py.node.ParentNode import pick_handler
from amlip_py.node.server_node import BlockingServerNode
from amlip_py.protocol.service import JOBS
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.JobDataType import JobDataType
from amlip_py.types.JobSolutionDataType import JobSolutionDataType
from amlip_py.types.StatusDataType import NodeKind


class JobListener:
    """Override :meth:`process_job`; calling ``super().__init__()`` is optional."""

    def process_job(self, job: JobDataType) -> JobSolutionDataType:
        raise NotImplementedError("subclass JobListener and override process_job")


class JobLambda(CallbackAdapter, JobListener):
    """Adapts a function ``fn(job) -> JobSolutionDataType`` to a JobListener."""

    def process_job(self, job: JobDataType) -> JobSolutionDataType:
        return self.callback(job)


class ComputingNode(BlockingServerNode):
    """Computing node answering one job per :meth:`process_job` call.

    Parameters
    ----------
    name, domain, secret
        As for every node (see ``ParentNode``).
    """

    def __init__(self, name: str, domain: int | None = None, secret=None):
        super().__init__(name, domain, NodeKind.computing, JOBS, secret=secret)

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
        return self._serve_one(handler.process_job, JobDataType, timeout)
