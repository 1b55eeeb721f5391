"""Model sender of collaborative learning: publishes statistics, serves its model on request
(eProsima ``amlip_py.node.ModelManagerSenderNode``).

Why: a peer that learned something tells the domain what it has (statistics, small) and hands its
model only to the receivers that ask for it; requests are answered one at a time on a node thread.
"""
from __future__ import annotations

import logging

from amlip_py.node.callbacks import CallbackAdapter
from amlip_py.node.ParentNode import ParentNode, pick_handler
from amlip_py.protocol.models import ModelServer, StatisticsWriter
from amlip_py.protocol.sealing import sealer_for
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.GenericDataType import BytesLike, to_payload
from amlip_py.types.ModelReplyDataType import ModelReplyDataType
from amlip_py.types.ModelRequestDataType import ModelRequestDataType
from amlip_py.types.StatusDataType import NodeKind, StateKind

logger = logging.getLogger(__name__)


class ModelReplier:
    """Override :meth:`fetch_model`; calling ``super().__init__()`` is optional."""

    def fetch_model(self, model: ModelRequestDataType) -> ModelReplyDataType:
        raise NotImplementedError("subclass ModelReplier and override fetch_model")


class ModelReplierLambda(CallbackAdapter, ModelReplier):
    """Adapts a function ``fn(request) -> ModelReplyDataType`` to a ModelReplier."""

    def fetch_model(self, model: ModelRequestDataType) -> ModelReplyDataType:
        return self.callback(model)


class ModelManagerSenderNode(ParentNode):
    """Publishes model statistics and answers model requests between :meth:`start` and :meth:`stop`.

    Parameters
    ----------
    id : AmlipIdDataType or str
        The node's id, kept as given (eProsima's demos fix it with ``set_id``), or a name for a
        fresh one.
    domain : int, optional
        DDS domain id 0..232; None means 166.
    secret : bytes or path, optional
        Key sealing statistics, requests and models (see MainNode); receivers without it are
        answered with an error, never with the model.
    """

    def __init__(self, id: AmlipIdDataType | str, domain: int | None = None, secret=None):
        sealer = sealer_for(secret)
        super().__init__(id, domain, NodeKind.model_sender, StateKind.stopped)
        self._statistics = StatisticsWriter(self._session, sealer)
        self._server = ModelServer(self._session, sealer)
        self.listener_: ModelReplier | None = None

    def publish_statistics(self, name: str | bytes, data: str | BytesLike) -> None:
        """Publish statistics ``data`` under ``name`` for every receiver, including later ones
        (each sender keeps its latest statistics only). Works before :meth:`start` too."""
        if isinstance(name, (bytes, bytearray)):
            name = bytes(name).decode("utf-8", "surrogateescape")
        if not isinstance(name, str):
            raise TypeError(f"statistics name must be str or bytes, got {type(name).__name__}")
        self._statistics.publish(name, to_payload(data))

    def start(self, callback=None, listener: ModelReplier | None = None) -> None:
        """Answer every model request with ``callback(request)`` or ``listener.fetch_model(request)``,
        one at a time on the node's thread, until :meth:`stop`.

        Raises ValueError unless exactly one of callback and listener is given, RuntimeError if
        already started. A callback that raises is logged and its receiver gets an error reply.
        """
        replier = pick_handler(callback, listener, ModelReplierLambda, "ModelManagerSenderNode.start")
        if not self._worker.running:
            self.listener_ = replier
        self._start_worker(_serve, (self._session.participant, self._server, replier), stop_call="stop()")

    def stop(self) -> None:
        """Stop answering requests (the one being answered is finished first); nothing if not started."""
        if self._worker.running:
            self._stop_worker(start_call="start()")


def _serve(participant, server: ModelServer, replier: ModelReplier) -> None:
    def reply(payload: bytes, task_id: int, client: AmlipIdDataType) -> bytes:
        return to_payload(replier.fetch_model(ModelRequestDataType.from_wire(payload)))

    while not participant.waking.is_set():
        try:
            server.serve_one(reply)
        except Exception:
            logger.exception("answering a model request failed (the receiver got an error reply); "
                             "serving the next one")
