"""Non-blocking edge node: queue inference requests, get answers through a listener (eProsima path).

Why: keeps every idle inference node busy and many requests in flight; ``request_inference``
returns the task id at once and each answer is handed to the listener on a node-owned thread.
"""
from __future__ import annotations

from amlip_py.node.callbacks import CallbackAdapter
from amlip_py.node.client_node import AsyncClientNode
from amlip_py.node.ParentNode import pick_handler
from amlip_py.protocol.service import INFERENCE
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.InferenceDataType import InferenceDataType
from amlip_py.types.InferenceSolutionDataType import InferenceSolutionDataType
from amlip_py.types.StatusDataType import NodeKind


class InferenceSolutionListener:
    """Override :meth:`inference_received`; calling ``super().__init__()`` is optional."""

    def inference_received(self, inference: InferenceSolutionDataType, task_id: int,
                           server_id: AmlipIdDataType) -> None:
        raise NotImplementedError("subclass InferenceSolutionListener and override inference_received")


class InferenceListenerLambda(CallbackAdapter, InferenceSolutionListener):
    """Adapts a function ``fn(inference, task_id, server_id)`` to an InferenceSolutionListener."""

    def inference_received(self, inference, task_id, server_id) -> None:
        self.callback(inference, task_id, server_id)


class AsyncEdgeNode(AsyncClientNode):
    """Edge node that sends inference requests in the background; created ``running``.

    Parameters
    ----------
    name, domain, secret
        As for every node (see ``ParentNode``).
    callback : callable, optional
        ``callback(inference, task_id, server_id)``; exactly one of callback and listener.
    listener : InferenceSolutionListener, optional
        Its ``inference_received`` is called once per answered request, one at a time, from a
        node thread.
    solution_timeout : float, optional
        Re-send a request to another inference node if no answer came in this many seconds.
    """

    def __init__(self, name: str, domain: int | None = None, callback=None, listener=None,
                 solution_timeout: float | None = None, secret=None):
        handler = pick_handler(callback, listener, InferenceListenerLambda, "AsyncEdgeNode")
        super().__init__(name, domain, NodeKind.edge, INFERENCE, handler.inference_received, InferenceSolutionDataType,
                         solution_timeout, secret=secret)

    def request_inference(self, data: InferenceDataType) -> int:
        """Queue ``data`` and return its task id at once; the answer goes to the listener."""
        return self._submit(data)
