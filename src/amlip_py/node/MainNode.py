"""Blocking main node: send a job, wait for its solution (eProsima ``amlip_py.node.MainNode``).

Why: the simplest way to use remote computing nodes; the request blocks the calling thread only,
so several threads may share one node.
"""
from __future__ import annotations

from amlip_py.aliases import keyword_aliases
from amlip_py.node.client_node import BlockingClientNode
from amlip_py.protocol.service import JOBS
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.JobDataType import JobDataType
from amlip_py.types.JobSolutionDataType import JobSolutionDataType
from amlip_py.types.StatusDataType import NodeKind


class MainNode(BlockingClientNode):
    """Main node whose :meth:`request_job_solution` blocks until a computing node answers.

    Parameters
    ----------
    name, domain, secret
        As for every node (see ``ParentNode``).
    solution_timeout : float, optional
        See AsyncMainNode.
    progress_callback : callable, optional
        ``progress_callback(record)`` per progress record of our jobs (see AsyncMainNode), called
        on a thread of the node.
    """

    def __init__(self, name: str, domain: int | None = None, solution_timeout: float | None = None,
                 progress_callback=None, secret=None):
        super().__init__(name, domain, NodeKind.main, JOBS, solution_timeout, progress_callback, secret=secret)

    @keyword_aliases(job="data")
    def request_job_solution(self, data: JobDataType, timeout: float | None = None
                             ) -> tuple[JobSolutionDataType, AmlipIdDataType]:
        """Send the job ``data`` (or ``job=``) to one idle computing node and wait for its solution.

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
        return self._request(data, JobSolutionDataType, timeout)
