"""Computing node serving jobs on its own thread between run() and stop() (eProsima path).

Why: a long-running worker; jobs are processed one at a time on a node-owned thread, and a job
callback that fails is logged (the main node gets an error solution) without stopping the node.
"""
from __future__ import annotations

from amlip_py.node.callbacks import CallbackAdapter
from amlip_py.node.ParentNode import pick_handler
from amlip_py.node.server_node import BackgroundServerNode
from amlip_py.protocol.service import JOBS
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.JobDataType import JobDataType
from amlip_py.types.JobSolutionDataType import JobSolutionDataType
from amlip_py.types.StatusDataType import NodeKind


class JobReplier:
    """Override :meth:`process_job`; calling ``super().__init__()`` is optional."""

    def process_job(self, job: JobDataType, task_id: int, client_id: AmlipIdDataType) -> JobSolutionDataType:
        raise NotImplementedError("subclass JobReplier and override process_job")


class JobReplierLambda(CallbackAdapter, JobReplier):
    """Adapts a function ``fn(job, task_id, client_id) -> JobSolutionDataType`` to a JobReplier."""

    def process_job(self, job, task_id, client_id) -> JobSolutionDataType:
        return self.callback(job, task_id, client_id)


class AsyncComputingNode(BackgroundServerNode):
    """Computing node that serves jobs in the background once :meth:`run` is called.

    Parameters
    ----------
    name, domain, secret
        As for every node (see ``ParentNode``).
    callback : callable, optional
        ``callback(job, task_id, client_id) -> JobSolutionDataType``; exactly one of callback/listener.
    listener : JobReplier, optional
        Its ``process_job`` is called for every job, one at a time, from the node's thread.
    """

    def __init__(self, name: str, domain: int | None = None, callback=None, listener=None, secret=None):
        replier = pick_handler(callback, listener, JobReplierLambda, "AsyncComputingNode")
        super().__init__(name, domain, NodeKind.computing, JOBS, replier.process_job, JobDataType, secret=secret)
