"""Model receiver of collaborative learning: hears every sender's statistics, asks one for its model
(eProsima ``amlip_py.node.ModelManagerReceiverNode``).

Why: a peer learns from others without seeing their data: it reads what each sender says it has
and fetches only the models worth merging. Statistics reach the listener on a node thread;
``request_model`` blocks the calling thread until the model came (or clearly did not).
"""
from __future__ import annotations

import logging
from functools import partial

from amlip_py.node.ParentNode import ParentNode
from amlip_py.protocol.failures import ModelRequestError, ModelRequestTimeout
from amlip_py.protocol.models import ModelClient, StatisticsReader
from amlip_py.protocol.sealing import sealer_for
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.GenericDataType import to_payload
from amlip_py.types.ModelReplyDataType import ModelReplyDataType
from amlip_py.types.ModelRequestDataType import ModelRequestDataType
from amlip_py.types.ModelStatisticsDataType import ModelStatisticsDataType
from amlip_py.types.StatusDataType import NodeKind, StateKind

__all__ = ["ModelListener", "ModelListenerLambda", "ModelManagerReceiverNode", "ModelRequestError",
           "ModelRequestTimeout"]

logger = logging.getLogger(__name__)

DEFAULT_REPLY_WAIT_SECONDS = 10.0
"""How long ``request_model`` waits without ``timeout=``. C++ AML-IP waits 2.5 s, but the first reply
of an eProsima sender can take its 3 s heartbeat period to reach a Cyclone reader (Fast DDS sends
it with the announcement of its new reply writer, before Cyclone knows that writer)."""
POLL_SECONDS = 1.0


class ModelListener:
    """Override :meth:`statistics_received` and :meth:`model_received`; calling
    ``super().__init__()`` is optional."""

    def statistics_received(self, statistics: ModelStatisticsDataType) -> None:
        raise NotImplementedError("subclass ModelListener and override statistics_received")

    def model_received(self, model: ModelReplyDataType) -> bool:
        raise NotImplementedError("subclass ModelListener and override model_received")


class ModelListenerLambda(ModelListener):
    """Adapts ``fn(statistics)`` and ``fn(model) -> bool`` to a ModelListener."""

    def __init__(self, callback_statistics, callback_model):
        self.callback_statistics = callback_statistics
        self.callback_model = callback_model

    def statistics_received(self, statistics: ModelStatisticsDataType) -> None:
        self.callback_statistics(statistics)

    def model_received(self, model: ModelReplyDataType) -> bool:
        return self.callback_model(model)


class ModelManagerReceiverNode(ParentNode):
    """Receives model statistics between :meth:`start` and :meth:`stop` and requests models.

    Parameters
    ----------
    id : AmlipIdDataType or str
        The node's id, kept as given (eProsima's demos fix it with ``set_id``), or a name for a
        fresh one.
    data : ModelRequestDataType
        What every request sends, unless ``request_model`` is given other data.
    domain : int, optional
        DDS domain id 0..232; None means 166.
    secret : bytes or path, optional
        Key sealing statistics, requests and models (see MainNode); statistics and models not
        sealed with it (e.g. from a sender without a key) are refused.
    """

    def __init__(self, id: AmlipIdDataType | str, data: ModelRequestDataType, domain: int | None = None,
                 secret=None):
        sealer = sealer_for(secret)
        self._data = to_payload(data)
        super().__init__(id, domain, NodeKind.model_receiver, StateKind.stopped)
        self._statistics = StatisticsReader(self._session, sealer)
        self._client = ModelClient(self._session, sealer)
        self._close_also(partial(_end_requests, self._session.participant, self._client))
        self.listener_: ModelListener | None = None

    def start(self, callback_statistics=None, callback_model=None, listener: ModelListener | None = None) -> None:
        """Hand every statistics sample to the listener (or ``callback_statistics``) on the node's
        thread, until :meth:`stop`; models requested meanwhile go to ``model_received`` (or
        ``callback_model``).

        Raises ValueError unless either a listener or both callbacks are given, RuntimeError if
        already started.
        """
        given = [name for name, value in (("callback_statistics", callback_statistics),
                                          ("callback_model", callback_model)) if value is not None]
        if listener is not None and given:
            raise ValueError(f"ModelManagerReceiverNode.start expects a listener object or callbacks: both "
                             f"listener= and {'= and '.join(given)}= given, pass one or the other")
        if listener is None and len(given) < 2:
            missing = " and ".join(f"{name}=" for name in ("callback_statistics", "callback_model")
                                   if name not in given)
            raise ValueError(f"ModelManagerReceiverNode.start expects a listener object or callback_statistics= "
                             f"and callback_model= together: {missing} missing")
        listener = listener if listener is not None else ModelListenerLambda(callback_statistics, callback_model)
        if not self._worker.running:  # set first: the first statistics may reach it before _start_worker returns
            self.listener_ = listener
        self._start_worker(_deliver_statistics, (self._session.participant, self._statistics, listener),
                           stop_call="stop()")

    def stop(self) -> None:
        """Stop delivering statistics and end a ``request_model`` in progress; nothing if not started."""
        if self._worker.running:
            self._stop_worker(start_call="start()")

    def request_model(self, server_id: AmlipIdDataType, timeout: float | None = None,
                      data: ModelRequestDataType | None = None) -> ModelReplyDataType | None:
        """Ask the sender ``server_id`` for its model; hand it to ``model_received`` and return it.

        Blocks the calling thread; requests from several threads take turns. ``data`` replaces the
        request given to the constructor for this call.

        Without ``timeout`` it behaves as eProsima's: if no model came, it logs a warning saying why
        and returns None; it waits at most ``DEFAULT_REPLY_WAIT_SECONDS`` (10 s; eProsima's 2.5 s),
        less if the sender leaves. With ``timeout`` (seconds) it raises instead.

        Raises
        ------
        ModelRequestTimeout
            (only with ``timeout``) no reply in time; also a TimeoutError.
        ModelRequestError
            (only with ``timeout``) the sender left before answering, answered with an error, or
            its reply was refused (sealing), or this node was stopped meanwhile; ``reason`` says which.
        RuntimeError
            If the node is not started (there is no listener to hand the model to).
        TypeError
            If ``server_id`` is not an AmlipIdDataType.
        """
        if not isinstance(server_id, AmlipIdDataType):
            raise TypeError(f"server_id must be an AmlipIdDataType (e.g. statistics.server_id()), got "
                            f"{type(server_id).__name__} {server_id!r}")
        if self.listener_ is None or not self._worker.running:
            raise RuntimeError(f"{self!r} is not started; call start() before request_model()")
        payload = self._data if data is None else to_payload(data)
        try:
            reply = self._client.request(server_id, payload, DEFAULT_REPLY_WAIT_SECONDS if timeout is None else timeout)
        except ModelRequestError as failure:
            if timeout is not None:
                raise
            logger.warning("no model received: %s", failure)
            return None
        model = ModelReplyDataType.from_wire(reply)
        self.listener_.model_received(model)
        return model


def _end_requests(participant, client: ModelClient) -> None:
    """Wake a ``request_model`` in progress and wait until it is out, before the participant goes."""
    participant.wake()
    client.wait_idle()


def _deliver_statistics(participant, statistics: StatisticsReader, listener: ModelListener) -> None:
    while not participant.waking.is_set():
        sample = statistics.next_statistics(POLL_SECONDS)
        if sample is None:
            continue
        try:
            listener.statistics_received(sample)
        except Exception:
            logger.exception("statistics listener failed on %r", sample)
