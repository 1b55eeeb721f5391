"""What computing and inference nodes share: the server side of a multiservice exchange.

Why: ``ComputingNode``/``InferenceNode`` and ``AsyncComputingNode``/``AsyncInferenceNode`` differ
only in the exchange (jobs or inference), their data types and the names of their listener
methods; serving one request per call and serving on a worker thread live here once.
"""
from __future__ import annotations

import logging
import threading

from typing import Callable

from amlip_py.node.ParentNode import ParentNode
from amlip_py.protocol.sealing import sealer_for
from amlip_py.protocol.server import MultiServiceServer, ProcessFn
from amlip_py.protocol.service import Service
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.GenericDataType import GenericDataType, to_payload
from amlip_py.types.StatusDataType import NodeKind, StateKind

logger = logging.getLogger(__name__)


class ProgressReporting:
    """``report_progress`` for nodes whose ``_server`` is a MultiServiceServer."""

    _server: MultiServiceServer

    def report_progress(self, done: int, total: int, detail: dict | None = None) -> bool:
        """Tell the client how far the request being processed is (call it from the callback).

        ``detail`` is a small JSON-serialisable dict (at most 1 kB as JSON). Records travel on our
        own topic ``amlipy/progress``; main and status nodes that take a progress callback get
        them. Returns False (nothing sent) when no request is being processed.
        """
        return self._server.report_progress(done, total, detail)


class BlockingServerNode(ProgressReporting, ParentNode):
    """A node serving one request per call, in the calling thread; ``running`` while it serves."""

    def __init__(self, name: str, domain: int | None, kind: NodeKind, service: Service, secret=None):
        sealer = sealer_for(secret)
        super().__init__(name, domain, kind, StateKind.stopped)
        self._service = service
        self._server = MultiServiceServer(self._session, service, sealer)
        self._serving = threading.Lock()
        self._close_also(self._session.participant.wake)

    def _serve_one(self, answer: Callable, request_type: type[GenericDataType], timeout: float | None
                   ) -> AmlipIdDataType:
        """Serve one request with ``answer(request)`` (a listener's method); return the client's id.

        Raises TimeoutError if none was accepted within ``timeout`` seconds, RuntimeError if the
        node was closed meanwhile, and whatever ``answer`` raised (after the client got an error
        solution). Calls from several threads are served one after the other.
        """
        def solve(payload: bytes, task_id: int, client: AmlipIdDataType) -> bytes:
            return to_payload(answer(request_type.from_wire(payload)))

        with self._serving:
            self._session.set_state(StateKind.running)
            try:
                served = self._server.serve_one(solve, timeout)
            finally:
                self._session.set_state(StateKind.stopped)
        if served is None:
            if self._session.participant.waking.is_set():
                raise RuntimeError(f"{self!r} was closed while waiting for a {self._service.request_noun}")
            raise TimeoutError(f"no {self._service.request_noun} accepted within {timeout} s")
        return served[0]


class BackgroundServerNode(ProgressReporting, ParentNode):
    """A node serving requests on its own thread between :meth:`run` and :meth:`stop` with
    ``answer(request, task_id, client_id)`` (a replier's method), ``request_type`` turning the
    payload into its argument; created ``stopped``. A callback that fails is logged (the client
    gets an error solution) and serving goes on."""

    def __init__(self, name: str, domain: int | None, kind: NodeKind, service: Service, answer: Callable,
                 request_type: type[GenericDataType], secret=None):
        sealer = sealer_for(secret)
        super().__init__(name, domain, kind, StateKind.stopped)
        self._server = MultiServiceServer(self._session, service, sealer)

        def process(payload: bytes, task_id: int, client: AmlipIdDataType) -> bytes:
            return to_payload(answer(request_type.from_wire(payload), task_id, client))

        self._process = process

    def run(self) -> None:
        """Start serving; raises RuntimeError if already running."""
        self._start_worker(_serve, (self._session.participant, self._server, self._process), stop_call="stop()")

    def stop(self) -> None:
        """Stop serving (waits for the current request to be answered); RuntimeError if not running."""
        self._stop_worker(start_call="run()")


def _serve(participant, server: MultiServiceServer, process: ProcessFn) -> None:
    """The worker of a background server: serve requests until the participant is woken."""
    while not participant.waking.is_set():
        try:
            server.serve_one(process)
        except Exception:
            logger.exception("serving a request failed (if the callback raised, the client got an "
                             "error solution); serving the next one")
