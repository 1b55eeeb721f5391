"""The model-manager exchange of collaborative learning: statistics for all, a model on request.

Why: peers that train on their own data tell everyone what they have (statistics, small) and send
their model (large) only to a peer that asks for it. On the wire (``wire``, as C++ AML-IP v0.3.0):
a sender publishes its statistics on ``amlip/model_statistics`` (KEEP_LAST 1, TRANSIENT_LOCAL, so
a receiver that joins later still gets the latest); a receiver asks one sender with a request on
``amlip/rpc_request_model_<sender id>`` and the sender answers on ``amlip/rpc_reply_model_<receiver
id>``, echoing the receiver's task id. Differences from C++ AML-IP, none visible on the wire:

* a reply is accepted only for the request being waited for (same task id, from the sender asked);
  others (e.g. the late reply to a request that timed out) are logged and dropped;
* the wait ends as soon as the sender is gone (its request reader unmatched: node closed or lost),
  not only at the timeout, and the error says which happened;
* a sender whose callback raised answers with an error reply (``failures.ERROR_MARKER``), which
  the receiver raises as ``ModelRequestError`` instead of handing it on as a model;
* with a key (``sealing``) statistics, requests and replies are sealed; statistics or a reply that do
  not open are refused with a warning or a ``ModelRequestError`` saying why, a request that does
  not open is answered with an error reply (unsealed to a keyless receiver) and not served.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from amlip_py.dds import wire
from amlip_py.protocol import sealing
from amlip_py.protocol.failures import ERROR_MARKER, ModelRequestError, ModelRequestTimeout, error_payload
from amlip_py.protocol.sealing import SealError, Sealer
from amlip_py.protocol.session import NodeSession
from amlip_py.protocol.targeted import TargetedWriters
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.ModelStatisticsDataType import ModelStatisticsDataType

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.2
ERROR_PREFIX = ERROR_MARKER.encode()
NO_CLIENT = AmlipIdDataType.undefined_id()
"""The client id statistics are sealed for: they go to everyone."""

ServeFn = Callable[[bytes, int, AmlipIdDataType], bytes]
"""(request payload, task id, client id) -> reply payload."""


def _statistics_direction(name: str) -> str:
    return f"{sealing.MODEL_STATISTICS} '{name}'"


class StatisticsWriter:
    """Publishes a sender's statistics, sealed if it has a key."""

    def __init__(self, session: NodeSession, sealer: Sealer | None = None):
        self.id = session.id
        self._sealer = sealer
        self._writer = session.participant.writer(wire.MODEL_STATISTICS_TOPIC, wire.ModelStatistics)

    def publish(self, name: str, data: bytes) -> None:
        """Publish ``data`` under ``name``; receivers that join later get the latest sample only."""
        if "\0" in name:
            raise ValueError(f"statistics name {name!r} contains a NUL character, which a DDS string cannot carry")
        if self._sealer is not None:
            data = self._sealer.seal(data, _statistics_direction(name), NO_CLIENT, self.id, 0)
        self._writer.write(wire.ModelStatistics.build(name, self.id, data))


class StatisticsReader:
    """Statistics of every sender in the domain, including the latest of those that started earlier;
    with a key, only those sealed with it."""

    def __init__(self, session: NodeSession, sealer: Sealer | None = None):
        self._sealer = sealer
        self._inbox = session.participant.inbox(wire.MODEL_STATISTICS_TOPIC, wire.ModelStatistics,
                                                ignore_own_participant=True, catch_up=True)

    def next_statistics(self, timeout: float) -> ModelStatisticsDataType | None:
        """The next statistics sample that opens, or None after ``timeout`` s or when the node is woken."""
        deadline = time.monotonic() + timeout
        while (sample := self._inbox.take_within(deadline - time.monotonic())) is not None:
            statistics = self._opened(sample)
            if statistics is not None:
                return statistics
        return None

    def _opened(self, sample: wire.ModelStatistics) -> ModelStatisticsDataType | None:
        data = sample.payload
        if self._sealer is not None:
            try:
                data = self._sealer.open(data, _statistics_direction(sample.name), NO_CLIENT, sample.server_id, 0)
            except SealError as refusal:
                logger.warning("refused statistics '%s' of model sender %s: the sample %s", sample.name,
                               sample.server_id, refusal)
                return None
        elif sealing.is_sealed(data):
            logger.warning("ignored sealed statistics '%s' of model sender %s: this node has no key (give it "
                           "the sender's key: secret= or %s)", sample.name, sample.server_id, sealing.ENV_VARIABLE)
            return None
        return ModelStatisticsDataType.received(sample.name, data, sample.server_id)


class ModelClient:
    """Asks one sender at a time for its model and waits for the reply (one request per node at a
    time: calls from several threads take turns)."""

    def __init__(self, session: NodeSession, sealer: Sealer | None = None):
        self.id = session.id
        self._session = session
        self._sealer = sealer
        dp = session.participant
        self._replies = dp.inbox(wire.targeted_topic(wire.MODEL_RPC_TOPICS.reply_base, self.id), wire.RpcReply,
                                 catch_up=True)
        self._requests = TargetedWriters(dp, wire.MODEL_RPC_TOPICS.request_base, wire.RpcRequest)
        self._turn = threading.Lock()
        self._next_task_id = 0

    def request(self, server: AmlipIdDataType, payload: bytes, timeout: float) -> bytes:
        """Send ``payload`` to ``server`` and return the payload of its reply.

        Raises
        ------
        ModelRequestTimeout
            No reply within ``timeout`` seconds (a ``ModelRequestError`` and a ``TimeoutError``).
        ModelRequestError
            The sender left before answering, answered with an error, or its reply was refused
            (sealing); or the node was woken for shutdown. ``reason`` says which.
        """
        with self._turn:
            task_id = self._next_task_id
            self._next_task_id = (task_id + 1) % 2 ** 32
            self._requests.delete_gone()
            writer = self._requests.to(server)
            if self._sealer is not None:
                payload = self._sealer.seal(payload, sealing.MODEL_REQUEST, self.id, server, task_id)
            writer.write(wire.RpcRequest.build(self.id, task_id, server, payload))
            return self._await_reply(writer, server, task_id, timeout)

    def wait_idle(self) -> None:
        """Wait for a request in progress to end (after a wake-up for shutdown it ends at once)."""
        with self._turn:
            pass

    def _await_reply(self, writer, server: AmlipIdDataType, task_id: int, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        left = False
        while True:
            sample = self._replies.take_within(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
            if sample is not None:
                reply = self._accepted(sample, server, task_id)
                if reply is not None:
                    return reply
                continue
            if self._session.participant.waking.is_set():
                raise ModelRequestError("closed", f"{self.id} was stopped or closed while waiting for the model "
                                                  f"of {server} (request {task_id})")
            ever, now = writer.readers_matched()
            if ever and not now:
                if left:  # one more poll went by for a reply sent just before the sender left
                    raise ModelRequestError("gone", f"model sender {server} left before answering request "
                                                    f"{task_id}")
                left = True
                continue
            left = False
            if time.monotonic() >= deadline:
                why = (f"model sender {server} did not answer request {task_id} within {timeout:g} s" if ever else
                       f"no model sender {server} was found on domain {self._session.domain} within {timeout:g} s")
                raise ModelRequestTimeout(why)

    def _accepted(self, sample: wire.RpcReply, server: AmlipIdDataType, task_id: int) -> bytes | None:
        """The model in ``sample`` if it answers request ``task_id`` of ``server``; None for another's."""
        if (sample.client_id, sample.task_id, sample.server_id) != (self.id, task_id, server):
            logger.info("ignored a model reply for request %d from %s (waiting for request %d from %s)",
                        sample.task_id, sample.server_id, task_id, server)
            return None
        payload = sample.payload
        if self._sealer is not None:
            try:
                payload = self._sealer.open(payload, sealing.MODEL_REPLY, self.id, server, task_id)
            except SealError as refusal:
                said = _error_text(payload)
                raise ModelRequestError("refused", f"refused the model of {server} (request {task_id}): it "
                                                   f"{refusal}" + (f"; it says: {said}" if said else "")) from None
        elif sealing.is_sealed(payload):
            raise ModelRequestError("refused", f"the model of {server} (request {task_id}) is sealed and this node "
                                               f"has no key (give it the sender's key: secret= or "
                                               f"{sealing.ENV_VARIABLE})")
        said = _error_text(payload)
        if said:
            raise ModelRequestError("failed", f"model sender {server} could not answer request {task_id}: {said}")
        return bytes(payload)


def _error_text(payload: bytes | memoryview) -> str:
    """The reason in an error reply, or "" for any other payload."""
    if bytes(payload[:len(ERROR_PREFIX)]) != ERROR_PREFIX:
        return ""
    return bytes(payload[len(ERROR_PREFIX):]).decode("utf-8", "replace")


class ModelServer:
    """Answers model requests addressed to this node, one per :meth:`serve_one` call."""

    def __init__(self, session: NodeSession, sealer: Sealer | None = None):
        self.id = session.id
        self._participant = dp = session.participant
        self._sealer = sealer
        self._requests = dp.inbox(wire.targeted_topic(wire.MODEL_RPC_TOPICS.request_base, self.id), wire.RpcRequest,
                                  catch_up=True)
        self._replies = TargetedWriters(dp, wire.MODEL_RPC_TOPICS.reply_base, wire.RpcReply)

    def serve_one(self, serve: ServeFn, timeout: float | None = None) -> tuple[AmlipIdDataType, int] | None:
        """Answer one request with ``serve``; return (client id, task id).

        Returns None after ``timeout`` seconds (None: no limit) or once the participant is woken for
        shutdown. A request that does not open (sealing) is answered with an error and skipped; if
        ``serve`` raises, the client gets an error reply and the exception propagates.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._participant.waking.is_set():
            wait = POLL_SECONDS if deadline is None else min(POLL_SECONDS, deadline - time.monotonic())
            if wait <= 0:
                return None
            self._replies.delete_gone()
            request = self._requests.take_within(wait)
            if request is None:
                continue
            key = (request.client_id, request.task_id)
            payload = self._opened(request)
            if payload is not None:
                self._answer(key, payload, serve)
                return key
        return None

    def _opened(self, request: wire.RpcRequest) -> bytes | memoryview | None:
        """The request to serve; None for one that must not be served (it was answered with an error)."""
        client, task_id = request.client_id, request.task_id
        if self._sealer is None:
            if not sealing.is_sealed(request.payload):
                return request.payload
            logger.warning("received a sealed model request (%d of %s) it cannot read: model sender %s has no key "
                           "(give it the receiver's key: secret= or %s); answered with an error", task_id, client,
                           self.id, sealing.ENV_VARIABLE)
            self._reply(client, task_id, error_payload(f"model sender {self.id} has no key and cannot read the "
                                                       f"sealed model request {task_id}"))
            return None
        try:
            return self._sealer.open(request.payload, sealing.MODEL_REQUEST, client, self.id, task_id)
        except SealError as refusal:
            logger.warning("refused model request %d of %s: it %s; answered with an error", task_id, client,
                           refusal)
            unsealed = refusal.kind == "unsealed"
            hint = f"; the receiver needs the same key (secret= or {sealing.ENV_VARIABLE})" if unsealed else ""
            self._reply(client, task_id, error_payload(f"model sender {self.id} refused request {task_id}: it "
                                                       f"{refusal}{hint}"), seal=not unsealed)
            return None

    def _answer(self, key: tuple[AmlipIdDataType, int], payload: bytes | memoryview, serve: ServeFn) -> None:
        client, task_id = key
        try:
            reply = serve(bytes(payload), task_id, client)
        except BaseException as exc:
            self._reply(client, task_id, error_payload(f"{type(exc).__name__}: {exc}"))
            raise
        self._reply(client, task_id, reply)

    def _reply(self, client: AmlipIdDataType, task_id: int, payload: bytes, seal: bool = True) -> None:
        """Send ``payload`` to ``client``, sealed if this node has a key unless ``seal`` is False."""
        if self._sealer is not None and seal:
            payload = self._sealer.seal(payload, sealing.MODEL_REPLY, client, self.id, task_id)
        self._replies.to(client).write(wire.RpcReply.build(client, task_id, self.id, payload))
        logger.debug("answered model request %d of %s", task_id, client)
