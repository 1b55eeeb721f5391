"""What main and edge nodes share: the client side of a multiservice exchange.

Why: ``MainNode``/``EdgeNode`` and ``AsyncMainNode``/``AsyncEdgeNode`` differ only in the exchange
(jobs or inference), their data types and the names of their listener methods; the blocking
request and the solution delivery thread live here once.
"""
from __future__ import annotations

import functools
import logging
import threading
from typing import Callable

from amlip_py.node.callbacks import CallbackThread
from amlip_py.node.ParentNode import ParentNode
from amlip_py.protocol.client import MultiServiceClient
from amlip_py.protocol.registry import PendingJob
from amlip_py.protocol.sealing import sealer_for
from amlip_py.protocol.service import Service
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.GenericDataType import GenericDataType, to_payload
from amlip_py.types.StatusDataType import NodeKind, StateKind

logger = logging.getLogger(__name__)


class BlockingClientNode(ParentNode):
    """A node whose requests block the calling thread; ``running`` while any request waits.
    ``progress_callback(record)`` gets the progress records of its requests on a node thread."""

    def __init__(self, name: str, domain: int | None, kind: NodeKind, service: Service,
                 solution_timeout: float | None = None, progress_callback=None, secret=None):
        sealer = sealer_for(secret)
        super().__init__(name, domain, kind, StateKind.stopped)
        self._service = service
        self._progress = None if progress_callback is None else CallbackThread(f"amlip-progress-{self.id()}")
        self._client = MultiServiceClient(
            self._session, solution_timeout=solution_timeout, service=service,
            on_progress=None if progress_callback is None else functools.partial(self._progress.post,
                                                                                 progress_callback),
            sealer=sealer)
        if self._progress is not None:
            self._close_also(self._progress.close)
        self._close_also(self._client.close)
        self._active_lock = threading.Lock()
        self._active_requests = 0

    def _request(self, data, solution_type: type[GenericDataType], timeout: float | None
                 ) -> tuple[GenericDataType, AmlipIdDataType]:
        """Send ``data``, wait for its solution; return it as ``solution_type`` and the server's id.

        Raises TimeoutError (the request is then withdrawn), RuntimeError if the node is closed
        meanwhile; Ctrl-C (KeyboardInterrupt) withdraws the request like a time-out.
        """
        self._count_request(+1)
        try:
            pending = self._client.submit(to_payload(data))
            try:
                solved = pending.done.wait(timeout)
            except BaseException:  # e.g. KeyboardInterrupt: the job must not stay pending
                self._client.cancel(pending)
                raise
            if not solved:
                if self._client.cancel(pending):
                    raise TimeoutError(f"no solution for task {pending.user_task_id} within {timeout} s (is "
                                       f"a {self._service.server_noun} running on domain {self._session.domain}?)")
                pending.done.wait()
            if pending.solution is None:
                raise RuntimeError(f"{self!r} was closed while task {pending.user_task_id} was pending")
            return solution_type.from_wire(pending.solution), pending.solved_by
        finally:
            self._count_request(-1)

    def _count_request(self, delta: int) -> None:
        with self._active_lock:
            self._active_requests += delta
            if self._active_requests == (1 if delta > 0 else 0):
                self._session.set_state(StateKind.running if delta > 0 else StateKind.stopped)


class AsyncClientNode(ParentNode):
    """A node that queues requests and hands each solution, as ``solution_type``, to
    ``deliver(solution, task_id, server_id)`` (a listener's method) on its own thread, one at a
    time, after the progress records of its request (to ``progress_callback(record)``, if given);
    created ``running``."""

    def __init__(self, name: str, domain: int | None, kind: NodeKind, service: Service, deliver: Callable,
                 solution_type: type[GenericDataType], solution_timeout: float | None = None,
                 progress_callback=None, secret=None):
        sealer = sealer_for(secret)
        super().__init__(name, domain, kind, StateKind.running)
        self._delivery = CallbackThread(f"amlip-solutions-{self.id()}")
        self._client = MultiServiceClient(
            self._session, service=service, solution_timeout=solution_timeout, sealer=sealer,
            on_solution=functools.partial(self._delivery.post, _deliver, deliver, solution_type),
            on_progress=None if progress_callback is None else functools.partial(self._delivery.post,
                                                                                 progress_callback))
        self._close_also(self._delivery.close)
        self._close_also(self._client.close)

    def _submit(self, data) -> int:
        """Queue ``data``; return its task id at once."""
        return self._client.submit(to_payload(data)).user_task_id

    def pending_jobs(self) -> int:
        """Number of requests sent whose solution has not arrived yet."""
        return len(self._client.jobs)


def _deliver(deliver: Callable, solution_type: type[GenericDataType], job: PendingJob) -> None:
    """Hand one solved request to the user's listener (on the delivery thread); log its failure."""
    try:
        deliver(solution_type.from_wire(job.solution), job.user_task_id, job.solved_by)
    except Exception:
        logger.exception("solution listener failed on task %d", job.user_task_id)
