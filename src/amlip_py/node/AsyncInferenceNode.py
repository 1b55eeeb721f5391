"""Inference node answering requests on its own thread between run() and stop() (eProsima path).

Why: a long-running model server; requests are answered one at a time on a node-owned thread,
and a callback that fails is logged (the edge node gets an error answer) without stopping it.
"""
from __future__ import annotations

from amlip_py.node.callbacks import CallbackAdapter
from amlip_py.node.ParentNode import pick_handler
from amlip_py.node.server_node import BackgroundServerNode
from amlip_py.protocol.service import INFERENCE
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.InferenceDataType import InferenceDataType
from amlip_py.types.InferenceSolutionDataType import InferenceSolutionDataType
from amlip_py.types.StatusDataType import NodeKind


class InferenceReplier:
    """Override :meth:`process_inference`; calling ``super().__init__()`` is optional."""

    def process_inference(self, inference: InferenceDataType, task_id: int,
                          client_id: AmlipIdDataType) -> InferenceSolutionDataType:
        raise NotImplementedError("subclass InferenceReplier and override process_inference")


class InferenceReplierLambda(CallbackAdapter, InferenceReplier):
    """Adapts a function ``fn(inference, task_id, client_id) -> InferenceSolutionDataType``."""

    def process_inference(self, inference, task_id, client_id) -> InferenceSolutionDataType:
        return self.callback(inference, task_id, client_id)


class AsyncInferenceNode(BackgroundServerNode):
    """Inference node that answers requests in the background once :meth:`run` is called.

    Parameters
    ----------
    name, domain, secret
        As for every node (see ``ParentNode``).
    callback : callable, optional
        ``callback(inference, task_id, client_id) -> InferenceSolutionDataType``; exactly one of
        callback and listener.
    listener : InferenceReplier, optional
        Its ``process_inference`` is called for every request, one at a time, from the node's thread.
    """

    def __init__(self, name: str, domain: int | None = None, callback=None, listener=None, secret=None):
        replier = pick_handler(callback, listener, InferenceReplierLambda, "AsyncInferenceNode")
        super().__init__(name, domain, NodeKind.inference, INFERENCE, replier.process_inference, InferenceDataType,
                         secret=secret)
