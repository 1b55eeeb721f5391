"""MultiService server: the side of a computing (or inference) node in job (or inference) distribution.

Spec §3.3; the inference exchange is the same on its own topics (``service``).

Why this shape: a server signals availability only by answering a request, so it negotiates one
request at a time: answer on T3, wait for the target on T4, and only if the target names it take
the job from T5. Differences from C++ AML-IP, none needing a new message on the wire:

* job data is matched to the accepted task by (client id, task id); stale samples are discarded;
* waiting for a target or for data gives up as soon as the client is gone (the writer of its
  request unmatched: node closed or participant lost), or after ``PEER_TIMEOUT_SECONDS``; for
  data whose size our main node announced (``progress.JOB_DATA_DETAIL``) the wait is at least the
  time it takes at ``SLOWEST_LINK_BYTES_PER_SECOND``, so big jobs cross slow links; job data
  that never came to a live client's chosen server (e.g. Cyclone dropped it on receipt as larger
  than ``Internal/MaxSampleSize``) is answered with an error solution;
* writers targeted at a client that left are deleted after ``UNMATCHED_WRITER_GRACE_SECONDS``
  (C++ keeps them for the node's lifetime);
* shutdown interrupts only the wait for requests: a task already answered is completed, so a
  chosen server never leaves its client waiting for a job it dropped (spec §3.7);
* targets are drained before each request, so requests already given to other servers (e.g. the
  history a late joiner receives) are skipped without a useless reply.

While the callback runs, :meth:`report_progress` publishes progress records of its task.

A job callback that raises still produces a solution: ``failures.ERROR_MARKER`` followed by the
exception type and message, so the main node is not left waiting; the exception is then re-raised.

With a key (see ``sealing``) a server opens every job before running it and seals every solution;
a job that is not sealed with its key is answered with an error and not run. Without a key, a
sealed job (which it cannot read) is answered with an error and not run either.
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from amlip_py.dds import participant, wire
from amlip_py.dds.participant import Outbox
from amlip_py.protocol import sealing
from amlip_py.protocol.failures import error_payload
from amlip_py.protocol.progress import ProgressInbox, ProgressRecord, ProgressWriter, detail_text
from amlip_py.protocol.sealing import SealError, Sealer
from amlip_py.protocol.service import JOBS, Service
from amlip_py.protocol.session import NodeSession
from amlip_py.types.AmlipIdDataType import AmlipIdDataType

logger = logging.getLogger(__name__)

PEER_TIMEOUT_SECONDS = 30.0
SLOWEST_LINK_BYTES_PER_SECOND = 125_000
"""1 Mbit/s: announced job data may take this long to arrive (50 MB: 400 s) before we give up."""
ANNOUNCEMENTS_KEPT = 1000
POLL_SECONDS = 1.0

ProcessFn = Callable[[bytes, int, AmlipIdDataType], bytes]
"""(job payload, task id, client id) -> solution payload."""

TaskKey = tuple[AmlipIdDataType, int]


class MultiServiceServer:
    """Answers requests and serves one job per :meth:`serve_one` call.

    ``service`` says which exchange: ``service.JOBS`` (computing node) or ``service.INFERENCE``;
    ``sealer``, if given, the key that jobs and solutions are sealed with (see ``sealing``).
    """

    def __init__(self, session: NodeSession, service: Service = JOBS, sealer: Sealer | None = None):
        self.id = session.id
        self._sealer = sealer
        self._participant = dp = session.participant
        self._service = service
        topics = service.topics
        self._requests = dp.inbox(topics.request, wire.MsRequest)
        self._targets = dp.inbox(topics.target, wire.MsReference, wakeable=False)
        self._data = dp.inbox(wire.targeted_topic(topics.data_base, self.id), wire.MsData, wakeable=False,
                              catch_up=True)
        self._reply_writers: dict[AmlipIdDataType, Outbox] = {}
        self._solution_writers: dict[AmlipIdDataType, Outbox] = {}
        self._known_targets: dict[TaskKey, AmlipIdDataType] = {}
        self._progress_writer = ProgressWriter(dp)
        self._progress_inbox = ProgressInbox(dp)
        self._announced_sizes: dict[TaskKey, int] = {}
        self._current: tuple[TaskKey, float] | None = None

    def serve_one(self, process: ProcessFn, timeout: float | None = None) -> TaskKey | None:
        """Negotiate, process and answer exactly one job.

        Returns (client id, task id), or None if ``timeout`` seconds passed or the participant was
        woken for shutdown before a job was accepted. Exceptions of ``process`` propagate after the
        error solution has been sent.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._participant.waking.is_set():
            wait = POLL_SECONDS if deadline is None else min(POLL_SECONDS, deadline - time.monotonic())
            if wait <= 0:
                return None
            self._drain_targets()
            self._delete_writers_of_gone_clients()
            request = self._requests.take_within(wait)
            if request is None:
                continue
            key = (request.client_id, request.task_id)
            if self._known_targets.pop(key, None) is not None:
                continue
            data = self._negotiate(key, request)
            job = None if data is None else self._opened_job(key, data.payload)
            if job is not None:
                self._answer(key, job, process)
                return key
        return None

    def _negotiate(self, key: TaskKey, request: wire.MsRequest) -> wire.MsData | None:
        """Offer ourselves for ``key``; return its job data if the client chose us."""
        client, task_id = key
        self._writer(self._reply_writers, self._service.topics.reply_base, wire.MsReference, client).write(
            wire.MsReference(client, task_id, self.id))
        chosen = self._await(self._targets, lambda target: self._record_target(target, key), key, request,
                             "target")
        if chosen != self.id:
            return None
        data = self._await(self._data, lambda data: self._match_data(data, key), key, request, "job data",
                           lambda: self._data_wait_seconds(key))
        if data is None and self._requests.sender_matched(request):
            self._send_solution(key, error_payload(
                f"the job data of task {task_id} did not reach {self._service.server_noun} {self.id} within "
                f"{self._data_wait_seconds(key):.0f} s (larger than its Internal/MaxSampleSize? see its log)"))
        self._announced_sizes.pop(key, None)
        return data

    def _data_wait_seconds(self, key: TaskKey) -> float:
        """How long to wait for the data of ``key``: longer for big data whose size was announced."""
        while (record := self._progress_inbox.take()) is not None:
            if record.server_id == self.id and record.announces_job_data():
                if len(self._announced_sizes) >= ANNOUNCEMENTS_KEPT:
                    self._announced_sizes.clear()  # stale ones of tasks never targeted at us
                self._announced_sizes[(record.client_id, record.task_id)] = record.total
        return max(PEER_TIMEOUT_SECONDS, self._announced_sizes.get(key, 0) / SLOWEST_LINK_BYTES_PER_SECOND)

    def _drain_targets(self) -> None:
        while (target := self._targets.take()) is not None:
            self._known_targets[(target.client_id, target.task_id)] = target.server_id

    def _record_target(self, target: wire.MsReference, key: TaskKey) -> AmlipIdDataType | None:
        """Remember ``target``; return the server chosen for ``key`` once its target has come."""
        self._known_targets[(target.client_id, target.task_id)] = target.server_id
        return self._known_targets.pop(key, None)

    @staticmethod
    def _match_data(data: wire.MsData, key: TaskKey) -> wire.MsData | None:
        if (data.client_id, data.task_id) == key:
            return data
        logger.info("discarding stale job data for task %d of %s", data.task_id, data.client_id)
        return None

    def _await(self, inbox, found: Callable, key: TaskKey, request: wire.MsRequest, what: str,
               wait_seconds: Callable[[], float] = lambda: PEER_TIMEOUT_SECONDS):
        """Take samples from ``inbox`` until ``found(sample)`` returns something, and return that.

        Returns None once the client that sent ``request`` is gone (its node closed or lost) or
        after ``wait_seconds()`` (asked again at every poll); shutdown does not interrupt this wait
        (see module docstring).
        """
        started = time.monotonic()
        while True:
            deadline = started + wait_seconds()
            sample = inbox.take_within(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
            result = None if sample is None else found(sample)
            if result is not None:
                return result
            if not self._requests.sender_matched(request):
                logger.info("client %s is gone; abandoning task %d while waiting for its %s", key[0], key[1],
                            what)
                return None
            if time.monotonic() >= deadline:
                logger.warning("no %s for task %d of %s within %.0f s; moving on", what, key[1], key[0],
                               deadline - started)
                return None

    def _opened_job(self, key: TaskKey, payload: bytes | memoryview) -> bytes | memoryview | None:
        """The job to run; None for a job this node must not run (it was answered with an error)."""
        client, task_id = key
        noun, what = self._service.server_noun, self._service.request_noun
        if self._sealer is None:
            if not sealing.is_sealed(payload):
                return payload
            logger.warning("received a sealed %s (task %d of %s) it cannot read: %s %s has no key (start it with "
                           "the sender's key: --secret-file or %s); answered with an error, not run", what, task_id,
                           client, noun, self.id, sealing.ENV_VARIABLE)
            self._send_solution(key, error_payload(f"{noun} {self.id} has no key and cannot read the sealed "
                                                   f"{what} of task {task_id}"))
            return None
        try:
            return self._sealer.open(payload, sealing.JOB, client, self.id, task_id)
        except SealError as refusal:
            logger.warning("refused task %d of %s: the %s %s; answered with an error, not run", task_id, client,
                           what, refusal)
            unsealed = refusal.kind == "unsealed"
            hint = f"; this node needs the same key (--secret-file or {sealing.ENV_VARIABLE})" if unsealed else ""
            self._send_solution(key, error_payload(f"{noun} {self.id} refused task {task_id}: the {what} "
                                                   f"{refusal}{hint}"), seal=not unsealed)
            return None

    def _answer(self, key: TaskKey, payload: bytes, process: ProcessFn) -> None:
        client, task_id = key
        self._current = (key, time.monotonic())
        try:
            solution = process(payload, task_id, client)
        except BaseException as exc:
            self._send_solution(key, error_payload(f"{type(exc).__name__}: {exc}"))
            raise
        finally:
            self._current = None
        self._send_solution(key, solution)

    def report_progress(self, done: int, total: int, detail: dict | None = None) -> bool:
        """Publish how far the job being processed is; False (nothing sent) if none is.

        Raises ValueError if ``detail`` is not JSON-serialisable or over ``progress.MAX_DETAIL_BYTES``.
        """
        current = self._current
        if current is None:
            return False
        (client, task_id), started = current
        self._progress_writer.write(ProgressRecord(task_id, client, self.id, done, total, detail_text(detail),
                                                   time.monotonic() - started))
        return True

    def _send_solution(self, key: TaskKey, solution: bytes, seal: bool = True) -> None:
        """Send ``solution``, sealed if this node has a key unless ``seal`` is False (for a keyless client)."""
        client, task_id = key
        if self._sealer is not None and seal:
            solution = self._sealer.seal(solution, sealing.SOLUTION, client, self.id, task_id)
        writer = self._writer(self._solution_writers, self._service.topics.solution_base, wire.MsData, client)
        writer.write(wire.MsData.build(client, task_id, self.id, solution))
        logger.debug("answered task %d of %s", task_id, client)

    def _delete_writers_of_gone_clients(self) -> None:
        """Writers targeted at a client that has been away for a while (node closed or lost)."""
        for cache in (self._reply_writers, self._solution_writers):
            for client, writer in list(cache.items()):
                if writer.unmatched_for() > participant.UNMATCHED_WRITER_GRACE_SECONDS:
                    del cache[client]
                    self._participant.delete_writer(writer)

    def _writer(self, cache: dict, base: str, data_type: type, client: AmlipIdDataType) -> Outbox:
        """The writer of a topic targeted at ``client``, created on first use (as C++ does)."""
        writer = cache.get(client)
        if writer is None:
            writer = cache[client] = self._participant.writer(wire.targeted_topic(base, client), data_type)
        return writer
