"""Blocking inference node: answer one request per call (eProsima ``amlip_py.node.InferenceNode``).

Why: lets a script decide when it is ready for the next request; the callback runs in the
calling thread.
"""
from __future__ import annotations

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


class InferenceLambda(InferenceListener):
    """Adapts a function ``fn(inference) -> InferenceSolutionDataType`` to an InferenceListener."""

    def __init__(self, callback):
        self.callback = callback

    def process_inference(self, inference: InferenceDataType) -> InferenceSolutionDataType:
        return self.callback(inference)


class InferenceNode(BlockingServerNode):
    """Inference node answering one request per :meth:`process_inference` call.

    Parameters
    ----------
    name : str
        Node name (see MainNode).
    domain : int, optional
        DDS domain id 0..232; None means 166 (eProsima's InferenceNode takes no domain).
    secret : bytes or path, optional
        Key sealing requests and solutions (see MainNode).
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
