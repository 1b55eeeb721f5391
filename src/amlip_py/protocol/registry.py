"""The main node's pending jobs: one registry keyed by wire task id, under one lock.

Why: several requests are negotiated at once and solutions may arrive twice (a re-sent job, a
duplicate delivery); a job must leave the registry exactly once, so every transition is one
locked dict operation and a solution whose task id is no longer registered is a duplicate.
A re-sent job keeps its earlier wire ids until it is solved: the first solution under any of
them wins (the server given up on may still answer, e.g. one whose ``dropped`` status overtook
its solution), except an error report, which only counts under the current id.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from amlip_py.types.AmlipIdDataType import AmlipIdDataType

TASK_ID_MODULO = 2 ** 32


@dataclass
class PendingJob:
    """One job from submission to solution.

    ``task_id`` is the current id on the wire (a re-sent job gets a new one), ``wire_ids`` all it
    had; ``user_task_id`` is the one returned to the user and reported with the solution;
    ``avoided`` holds servers whose answer to it was refused (see ``sealing``).
    ``progress_done``, ``advances`` and ``advanced_at`` follow the progress records of the current
    run (see ``stragglers``).
    """

    payload: bytes
    user_task_id: int
    task_id: int
    wire_ids: list[int] = field(default_factory=list)
    server: AmlipIdDataType | None = None
    assigned_at: float = 0.0
    progress_done: int = 0
    advances: int = 0
    advanced_at: float = 0.0
    solution: bytes | memoryview | None = None
    solved_by: AmlipIdDataType | None = None
    done: threading.Event = field(default_factory=threading.Event)
    avoided: set[AmlipIdDataType] = field(default_factory=set)


class JobRegistry:
    """Pending jobs by wire task id; ids count 0, 1, 2, ... modulo 2**32 as in C++ AML-IP."""

    def __init__(self):
        self._lock = threading.Lock()
        self._jobs: dict[int, PendingJob] = {}
        self._next_task_id = 0

    def _next_id(self) -> int:
        task_id = self._next_task_id
        self._next_task_id = (task_id + 1) % TASK_ID_MODULO
        return task_id

    def add(self, payload: bytes) -> PendingJob:
        with self._lock:
            task_id = self._next_id()
            job = PendingJob(payload, user_task_id=task_id, task_id=task_id, wire_ids=[task_id])
            self._jobs[task_id] = job
            return job

    def assign(self, task_id: int, server: AmlipIdDataType) -> PendingJob | None:
        """Record the first server that answered ``task_id``; None if it is not waiting for one
        or ``server`` is one it avoids."""
        with self._lock:
            job = self._jobs.get(task_id)
            if job is None or job.task_id != task_id or job.server is not None or server in job.avoided:
                return None
            job.server = server
            job.assigned_at = job.advanced_at = time.monotonic()
            job.progress_done = job.advances = 0
            return job

    def find(self, task_id: int) -> PendingJob | None:
        """The pending job that has or had wire id ``task_id``; None if it left."""
        with self._lock:
            return self._jobs.get(task_id)

    def complete(self, task_id: int, earlier_ids_too: bool = True) -> PendingJob | None:
        """Remove and return the job of ``task_id``; None if it already left (a duplicate) or if
        ``task_id`` is an earlier id of a re-sent job and ``earlier_ids_too`` is False."""
        with self._lock:
            job = self._jobs.get(task_id)
            if job is None or (job.task_id != task_id and not earlier_ids_too):
                return None
            self._remove(job)
            return job

    def withdraw(self, job: PendingJob) -> bool:
        """Remove ``job``; False if it already left."""
        with self._lock:
            if self._jobs.get(job.task_id) is not job:
                return False
            self._remove(job)
            return True

    def _remove(self, job: PendingJob) -> None:
        for wire_id in job.wire_ids:
            del self._jobs[wire_id]

    def _pending(self) -> list[PendingJob]:
        """Each pending job once (earlier wire ids are aliases); call with the lock held."""
        return [job for wire_id, job in self._jobs.items() if wire_id == job.task_id]

    def drain(self) -> list[PendingJob]:
        """Remove and return every pending job (the client is closing)."""
        with self._lock:
            jobs = self._pending()
            self._jobs.clear()
            return jobs

    def requeue(self, job: PendingJob, avoid: AmlipIdDataType | None = None) -> bool:
        """Give a job whose server was lost a fresh wire task id; False if it already left.

        ``avoid``: a server whose answers to this job are ignored from now on.
        """
        with self._lock:
            if self._jobs.get(job.task_id) is not job:
                return False
            if avoid is not None:
                job.avoided.add(avoid)
            job.task_id = self._next_id()
            job.wire_ids.append(job.task_id)
            job.server = None
            self._jobs[job.task_id] = job
            return True

    def assigned(self) -> list[PendingJob]:
        """Snapshot of the jobs currently handed to a server."""
        with self._lock:
            return [job for job in self._pending() if job.server is not None]

    def any_unassigned(self) -> bool:
        """Whether some job waits for a computing node to answer its request."""
        with self._lock:
            return any(job.server is None for job in self._pending())

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending())
