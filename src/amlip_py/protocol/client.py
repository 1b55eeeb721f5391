"""MultiService client: the side of a main (or edge) node in job (or inference) distribution.

Spec §3.2, §3.4; the inference exchange is the same on its own topics (``service``).

Why this shape: every submitted job is requested on T2 at once, so every idle computing node can
answer one and none sits idle while the client negotiates (eProsima's client negotiates one job at
a time). The wire exchange per job is unchanged, so eProsima's computing nodes serve it: a request,
the first reply wins, the job data goes to the chosen server on T5 and the reply is echoed
verbatim as target on T4 (a C++ server then takes whatever data sample comes next).

One node-owned thread reads replies (T3), solutions (T6), statuses (T1) and progress records
(``progress``); user code never runs on it. It re-sends a job whose server vanished (its T5 reader
unmatched: participant lost or closed) or published ``dropped``, under a fresh task id, so C++
servers that saw the old target do not skip it; the data writer of a vanished server is deleted
(after ``participant.UNMATCHED_WRITER_GRACE_SECONDS``, so a server that only stalled still gets it).
A job running far longer than expected (``stragglers``) is sent again the same way while the
first copy keeps running: whichever solution comes first wins, the other is dropped as a duplicate.
Before each job's data it announces the data's size on the progress topic (see ``server``).

Two orderings differ from C++ AML-IP, invisibly to its servers (they read T5 only after their
target): the data is written before the target, and a task that will not be sent (its data
refused, the job withdrawn or solved under an earlier id before a server answered) gets a target
naming no server, so every server that answered it moves on at once instead of waiting for data
that never comes. Every request thus gets exactly one target, keeping T2 and T4 in lockstep. A job
Cyclone refuses to send (e.g. over ``MaxSampleSize``) is answered locally with an error solution
(see ``failures``) instead of being retried forever. With a key (see ``sealing``) jobs go out
sealed for their server and task; a solution that does not open is refused and its job re-sent,
avoiding the node that sent it.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
from typing import Callable

from amlip_py.dds import participant, wire
from amlip_py.dds.participant import DdsError, Outbox
from amlip_py.protocol import sealing
from amlip_py.protocol.failures import ERROR_MARKER, error_payload
from amlip_py.protocol.progress import JOB_DATA_DETAIL, ProgressInbox, ProgressRecord, ProgressWriter
from amlip_py.protocol.registry import JobRegistry, PendingJob
from amlip_py.protocol.sealing import SealError, Sealer
from amlip_py.protocol.service import JOBS, Service
from amlip_py.protocol.session import NodeSession
from amlip_py.protocol.stragglers import StragglerWatch
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.StatusDataType import StateKind

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.2
ERROR_PREFIX = ERROR_MARKER.encode()
STRAGGLER_CHECK_SECONDS = 1.0
"""How often running jobs are judged for copies (each check walks every pending job)."""
MATCH_TIMEOUT_SECONDS = 10.0
"""A chosen server whose data reader never matches our writer in this time is considered gone."""


class MultiServiceClient:
    """Distributes jobs to computing nodes; ``on_solution(job)`` runs on the client thread.

    Parameters
    ----------
    session : NodeSession
        The main node's participant and id.
    on_solution : callable, optional
        Called once per solved job (after ``job.done`` is set); must only hand the job on.
    solution_timeout : float, optional
        Seconds a job may run (or, if its server reports progress, go without progress) before it
        is sent to another server as well; None: judged from the other jobs (see ``stragglers``).
    service : Service
        Which exchange: ``service.JOBS`` (main node) or ``service.INFERENCE`` (edge node).
    on_progress : callable, optional
        ``on_progress(record)`` per progress record of a pending job, with the user's task id;
        must only hand the record on.
    sealer : Sealer, optional
        Seal requests and accept only solutions sealed with the same key; None: plain AML-IP.
    """

    def __init__(self, session: NodeSession, on_solution: Callable[[PendingJob], None] | None = None,
                 solution_timeout: float | None = None, service: Service = JOBS,
                 on_progress: Callable[[ProgressRecord], None] | None = None, sealer: Sealer | None = None):
        self.id = session.id
        self._sealer = sealer
        self._participant = session.participant
        self._on_solution = on_solution
        self._on_progress = on_progress
        self._stragglers = StragglerWatch(solution_timeout)
        self._next_straggler_check = 0.0
        self._service = service
        self.jobs = JobRegistry()
        dp = self._participant
        topics = service.topics
        self._requests = dp.writer(topics.request, wire.MsRequest)
        self._replies = dp.inbox(wire.targeted_topic(topics.reply_base, self.id), wire.MsReference, catch_up=True)
        self._targets = dp.writer(topics.target, wire.MsReference)
        self._solutions = dp.inbox(wire.targeted_topic(topics.solution_base, self.id), wire.MsData, catch_up=True)
        self._statuses = dp.inbox(wire.STATUS_TOPIC, wire.Status, ignore_own_participant=True)
        self._progress = ProgressInbox(dp)
        self._announcements = ProgressWriter(dp)
        self._data_writers: dict[AmlipIdDataType, Outbox] = {}
        self._waiter = dp.waiter([self._replies, self._solutions, self._statuses, self._progress.inbox])
        self._thread = threading.Thread(target=self._run, name=f"amlip-client-{self.id}", daemon=True)
        self._thread.start()

    def submit(self, payload: bytes) -> PendingJob:
        """Register a job and publish its request; returns at once."""
        job = self.jobs.add(payload)
        self._request(job)
        return job

    def cancel(self, job: PendingJob) -> bool:
        """Forget a job (its solution will be ignored); False if it was already solved."""
        if not self.jobs.withdraw(job):
            return False
        if job.server is None:
            self._release(job.task_id)
        return True

    def close(self) -> None:
        """Stop the client thread; pending jobs are dropped and their waiters released unsolved."""
        self._participant.wake()
        if threading.current_thread() is not self._thread:
            self._thread.join()
        for job in self.jobs.drain():
            job.done.set()

    def _request(self, job: PendingJob) -> None:
        self._requests.write(wire.MsRequest(self.id, job.task_id))
        logger.debug("requested task %d", job.task_id)

    def _release(self, task_id: int) -> None:
        """Target ``task_id`` at no server: servers that answered it stop waiting for it."""
        self._targets.write(wire.MsReference(self.id, task_id, AmlipIdDataType()))

    def _run(self) -> None:
        while not self._waiter.woken():
            self._waiter.wait(POLL_SECONDS)
            try:
                self._handle_arrivals()
            except Exception:
                logger.exception("client %s: handling replies and solutions failed; carrying on", self.id)

    def _handle_arrivals(self) -> None:
        while (reply := self._replies.take()) is not None:
            self._on_reply(reply)
        while (record := self._progress.take()) is not None:  # before solutions: a job's last
            self._on_progress_record(record)                   # record is dropped once it is solved
        while (solution := self._solutions.take()) is not None:
            self._on_solution_sample(solution)
        while (status := self._statuses.take()) is not None:
            if status.node_kind == self._service.server_kind and status.state == StateKind.dropped:
                self._resend_jobs_of(status.id, "left (status dropped)")
        self._resend_lost_jobs()
        self._delete_idle_unmatched_writers()

    def _on_reply(self, reply: wire.MsReference) -> None:
        if reply.client_id != self.id:
            return
        job = self.jobs.assign(reply.task_id, reply.server_id)
        if job is None:
            logger.debug("late reply for task %d from %s ignored", reply.task_id, reply.server_id)
            return
        try:
            payload = job.payload if self._sealer is None else self._sealer.seal(
                job.payload, sealing.JOB, self.id, job.server, job.task_id)
            data = wire.MsData.build(self.id, job.task_id, job.server, payload)
            self._announcements.write(ProgressRecord(job.task_id, self.id, job.server, 0, len(payload),
                                                     JOB_DATA_DETAIL))
            self._data_writer(job.server).write(data)
        except TimeoutError as exc:
            logger.warning("sending task %d to %s timed out (%s); requesting again", job.task_id,
                           job.server, exc)
            self._release(job.task_id)
            self._resend(job)
            return
        except DdsError as exc:
            logger.error("task %d (%d bytes) cannot be sent: %s", job.task_id, len(job.payload), exc)
            self._release(job.task_id)
            if self.jobs.withdraw(job):
                self._finish(job, error_payload(f"job of {len(job.payload)} bytes could not be sent: {exc}"),
                             AmlipIdDataType())
            return
        self._targets.write(wire.MsReference(self.id, job.task_id, job.server))
        logger.debug("task %d sent to %s", job.task_id, job.server)

    def _data_writer(self, server: AmlipIdDataType) -> Outbox:
        writer = self._data_writers.get(server)
        if writer is None:
            topic = wire.targeted_topic(self._service.topics.data_base, server)
            writer = self._data_writers[server] = self._participant.writer(topic, wire.MsData)
        return writer

    def _on_solution_sample(self, sample: wire.MsData) -> None:
        if sample.client_id != self.id:
            return
        payload = sample.payload
        if self._sealer is not None:
            try:
                payload = self._sealer.open(payload, sealing.SOLUTION, self.id, sample.server_id, sample.task_id)
            except SealError as refusal:
                self._refuse(sample, refusal)
                return
        is_error = bytes(payload[:len(ERROR_PREFIX)]) == ERROR_PREFIX
        job = self.jobs.complete(sample.task_id, earlier_ids_too=not is_error)
        if job is None:
            logger.debug("duplicate or stale %s for task %d ignored", "error" if is_error else "solution",
                         sample.task_id)
            return
        if job.server is None:  # solved under an earlier wire id while re-requested
            self._release(job.task_id)
        elif job.server == sample.server_id and not is_error:
            self._stragglers.solved(job, time.monotonic())
        self._finish(job, payload, sample.server_id)

    def _refuse(self, sample: wire.MsData, refusal: SealError) -> None:
        """A solution that does not open: send its job again, avoiding the node that answered."""
        task_id, server, noun = sample.task_id, sample.server_id, self._service.server_noun
        job = self.jobs.find(task_id)
        if job is None or (job.task_id, job.server) != (task_id, server) or not self._resend(job, avoid=server):
            logger.warning("refused a solution for task %d from %s %s: it %s; ignored (the task is not waiting "
                           "for that node)", task_id, noun, server, refusal)
            return
        logger.warning("refused the solution of task %d from %s %s: it %s; the %s is sent again as task %d, "
                       "avoiding that node", task_id, noun, server, refusal, self._service.request_noun,
                       job.task_id)

    def _on_progress_record(self, record: ProgressRecord) -> None:
        if record.client_id != self.id:
            return
        job = self.jobs.find(record.task_id)
        if job is None:
            return
        if record.task_id == job.task_id and record.server_id == job.server:
            self._stragglers.progressed(job, record.done, time.monotonic())
        if self._on_progress is not None:
            self._on_progress(dataclasses.replace(record, task_id=job.user_task_id))

    def _finish(self, job: PendingJob, solution, solved_by: AmlipIdDataType) -> None:
        """Hand over a job that has left the registry with its solution (or error report)."""
        job.solution, job.solved_by = solution, solved_by
        job.done.set()
        if self._on_solution is not None:
            self._on_solution(job)

    def _resend_lost_jobs(self) -> None:
        for server, writer in list(self._data_writers.items()):
            ever, now_matched = writer.readers_matched()
            if ever > 0 and now_matched == 0:
                self._resend_jobs_of(server, "is gone")
        now = time.monotonic()
        for job in self.jobs.assigned():
            reason = self._why_stalled(job, now)
            if reason:
                logger.warning("task %d: %s; sending the job again", job.task_id, reason)
                self._resend(job)
        if now < self._next_straggler_check:
            return
        self._next_straggler_check = now + STRAGGLER_CHECK_SECONDS
        if not self.jobs.any_unassigned():  # some computing nodes may be idle: copy stuck jobs
            for job in self.jobs.assigned():
                reason = self._stragglers.why_stuck(job, now)
                if reason:
                    logger.warning("task %d: %s; sending the job to another %s as well (the first "
                                   "solution wins)", job.task_id, reason, self._service.server_noun)
                    self._resend(job)
                    break  # one copy per round, so the copy can be answered before the next is judged

    def _resend_jobs_of(self, server: AmlipIdDataType, why: str) -> None:
        for job in self.jobs.assigned():
            if job.server == server:
                logger.warning("task %d: %s %s %s; sending the job again", job.task_id,
                               self._service.server_noun, server, why)
                self._resend(job)

    def _why_stalled(self, job: PendingJob, now: float) -> str:
        writer = self._data_writers.get(job.server)
        never_matched = writer is not None and writer.readers_matched()[0] == 0
        if never_matched and now - job.assigned_at > MATCH_TIMEOUT_SECONDS:
            return f"{self._service.server_noun} {job.server} never received the job"
        return ""

    def _delete_idle_unmatched_writers(self) -> None:
        """Delete data writers whose server has been away for a while and has no job of ours."""
        busy = {job.server for job in self.jobs.assigned()}
        for server, writer in list(self._data_writers.items()):
            if server not in busy and writer.unmatched_for() > participant.UNMATCHED_WRITER_GRACE_SECONDS:
                del self._data_writers[server]
                self._participant.delete_writer(writer)

    def _resend(self, job: PendingJob, avoid: AmlipIdDataType | None = None) -> bool:
        """Request ``job`` again under a fresh task id (never from ``avoid``); False if it left."""
        if not self.jobs.requeue(job, avoid=avoid):
            return False
        self._request(job)
        return True
