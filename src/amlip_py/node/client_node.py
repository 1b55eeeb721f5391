"""What main and edge nodes share: the client side of a multiservice exchange.

Why: ``MainNode``/``EdgeNode`` and ``AsyncMainNode``/``AsyncEdgeNode`` differ only in the exchange
(jobs or inference), their data types and the names of their listener methods; the blocking
request and the solution delivery thread live here once.
"""
from __future__ import annotations

import functools
import logging
import threading

from amlip_py.node.callbacks import CallbackThread
from amlip_py.node.ParentNode import ParentNode
from amlip_py.protocol.client import MultiServiceClient
from amlip_py.protocol.registry import PendingJob
from amlip_py.protocol.sealing import sealer_for
from amlip_py.protocol.service import Service
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
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
        self._active_lock = threading.Lock()
        self._active_requests = 0

    def _request(self, payload: bytes, timeout: float | None) -> tuple[bytes | memoryview, AmlipIdDataType]:
        """Send ``payload``, wait for its solution; return the solution bytes and the server's id.

        Raises TimeoutError (the request is then withdrawn), RuntimeError if the node is closed
        meanwhile; Ctrl-C (KeyboardInterrupt) withdraws the request like a time-out.
        """
        self._count_request(+1)
        try:
            pending = self._client.submit(payload)
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
            return pending.solution, pending.solved_by
        finally:
            self._count_request(-1)

    def _count_request(self, delta: int) -> None:
        with self._active_lock:
            self._active_requests += delta
            if self._active_requests == (1 if delta > 0 else 0):
                self._session.set_state(StateKind.running if delta > 0 else StateKind.stopped)

    def _stop_threads(self) -> None:
        self._client.close()
        if self._progress is not None:
            self._progress.close()


class AsyncClientNode(ParentNode):
    """A node that queues requests and hands each solution to :meth:`_deliver_solution` on its
    own thread, one at a time, after the progress records of its request (to
    ``progress_callback(record)``, if given); created ``running``."""

    def __init__(self, name: str, domain: int | None, kind: NodeKind, service: Service,
                 solution_timeout: float | None = None, progress_callback=None, secret=None):
        sealer = sealer_for(secret)
        super().__init__(name, domain, kind, StateKind.running)
        self._delivery = CallbackThread(f"amlip-solutions-{self.id()}")
        self._client = MultiServiceClient(
            self._session, on_solution=functools.partial(self._delivery.post, self._deliver), service=service,
            solution_timeout=solution_timeout,
            on_progress=None if progress_callback is None else functools.partial(self._delivery.post,
                                                                                 progress_callback),
            sealer=sealer)

    def _submit(self, payload: bytes) -> int:
        """Queue ``payload``; return its task id at once."""
        return self._client.submit(payload).user_task_id

    def pending_jobs(self) -> int:
        """Number of requests sent whose solution has not arrived yet."""
        return len(self._client.jobs)

    def _deliver_solution(self, job: PendingJob) -> None:
        """Hand one solved request to the user's listener."""
        raise NotImplementedError

    def _deliver(self, job: PendingJob) -> None:
        try:
            self._deliver_solution(job)
        except Exception:
            logger.exception("solution listener failed on task %d", job.user_task_id)

    def _stop_threads(self) -> None:
        self._client.close()
        self._delivery.close()
