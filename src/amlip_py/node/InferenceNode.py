"""Blocking inference node: answer one request per call (eProsima ``amlip_py.node.InferenceNode``).

Why: lets a script decide when it is ready for the next request; the callback runs in the
calling thread.
"""
from __future__ import annotations

from amlip_py.node.callbacks import CallbackAdapter
from amlip_py.node.ParentNode import pick_handler
from amlip_py.node.server_node import BlockingServerNode
from amlip_py.protocol.service import INFERENCE
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.InferenceDataType import InferenceDataType
from amlip_py.types.InferenceSolutionDataType import InferenceSolutionDataType
from amlip_py.types.StatusDataType import NodeKind


class InferenceListener:
    """Override :meth:`process_inference`; calling ``super().__init__()`` is optional."""

    def process_inference(self, inference: InferenceDataType) -> InferenceSolutionDataType:
        raise NotImplementedError("subclass InferenceListener and override process_inference")


class InferenceLambda(CallbackAdapter, InferenceListener):
    """Adapts a function ``fn(inference) -> InferenceSolutionDataType`` to an InferenceListener."""

    def process_inference(self, inference: InferenceDataType) -> InferenceSolutionDataType:
        return self.callback(inference)


class InferenceNode(BlockingServerNode):
    """Inference node answering one request per :meth:`process_inference` call.

    Parameters
    ----------
    name, domain, secret
        As for every node (see ``ParentNode``). eProsima's InferenceNode takes no domain.
    """

    def __init__(self, name: str, domain: int | None = None, secret=None):
        super().__init__(name, domain, NodeKind.inference, INFERENCE, secret=secret)

    def process_inference(self, callback=None, listener=None, timeout: float | None = None
                          ) -> AmlipIdDataType:
        """Wait for one request, answer it with ``callback(inference)`` or
        ``listener.process_inference(inference)``.

        Returns
        -------
        AmlipIdDataType
            The id of the edge node that sent the request.

        Raises
        ------
        ValueError
            If not exactly one of callback and listener is given.
        TimeoutError
            If no request was accepted within ``timeout`` seconds.
        Exception
            Whatever the callback raised (the edge node then receives an error answer).
        """
        handler = pick_handler(callback, listener, InferenceLambda, "Method process_inference")
        return self._serve_one(handler.process_inference, InferenceDataType, timeout)
