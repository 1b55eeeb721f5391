"""Blocking edge node: send data, wait for its inference (eProsima ``amlip_py.node.EdgeNode``).

Why: the simplest way to ask a remote model; the request blocks the calling thread only, so
several threads may share one node.
"""
from __future__ import annotations

from amlip_py.node.client_node import BlockingClientNode
from amlip_py.protocol.service import INFERENCE
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.InferenceDataType import InferenceDataType
from amlip_py.types.InferenceSolutionDataType import InferenceSolutionDataType
from amlip_py.types.StatusDataType import NodeKind


class EdgeNode(BlockingClientNode):
    """Edge node whose :meth:`request_inference` blocks until an inference node answers.

    Parameters
    ----------
    name, domain, secret
        As for every node (see ``ParentNode``). eProsima's EdgeNode takes no domain.
    solution_timeout : float, optional
        Re-send a request to another inference node if no answer came in this many seconds.
    """

    def __init__(self, name: str, domain: int | None = None, solution_timeout: float | None = None, secret=None):
        super().__init__(name, domain, NodeKind.edge, INFERENCE, solution_timeout, secret=secret)

    def request_inference(self, data: InferenceDataType, timeout: float | None = None
                          ) -> tuple[InferenceSolutionDataType, AmlipIdDataType]:
        """Send ``data`` to one idle inference node and wait for its answer; return the answer and
        the id of the inference node that gave it. Raises as ``MainNode.request_job_solution`` does."""
        return self._request(data, InferenceSolutionDataType, timeout)
