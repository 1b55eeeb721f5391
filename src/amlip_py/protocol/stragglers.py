"""When a running job counts as stuck, so the main node sends it to another computing node as well.

Why: a computing node can accept a job and then hang with its process (and DDS lease) alive; its
job would be held forever. Like MapReduce backup tasks, a job that has run far longer than
expected is sent again (the first solution wins, see ``registry``). Expected, in this order:

* a job whose computing node reports progress is stuck only when the reports stop advancing for
  ``FACTOR`` times its own mean time per advance (at least ``FLOOR_SECONDS``), or for
  ``timeout`` (the nodes' ``solution_timeout``) if given: a node whose progress keeps advancing
  is slow, not stuck;
* otherwise after ``timeout`` if given, else ``FACTOR`` times the median run time of the
  client's recent jobs (at least ``FLOOR_SECONDS`` and the time its data takes over the slowest
  link the servers allow), else, with nothing to compare, ``UNINFORMED_SECONDS``.

The client sends copies only while no job is waiting for a computing node, i.e. when some are idle.
"""
from __future__ import annotations

import statistics
from collections import deque

from amlip_py.protocol import server
from amlip_py.protocol.registry import PendingJob

FACTOR = 4.0
FLOOR_SECONDS = 10.0
UNINFORMED_SECONDS = 300.0
RUN_TIMES_KEPT = 50


class StragglerWatch:
    """Run times of solved jobs and the rule above; used on the client thread only."""

    def __init__(self, timeout: float | None = None):
        self.timeout = timeout
        self._run_times: deque[float] = deque(maxlen=RUN_TIMES_KEPT)

    def solved(self, job: PendingJob, now: float) -> None:
        """Count the run time of a job its current computing node solved."""
        self._run_times.append(now - job.assigned_at)

    @staticmethod
    def progressed(job: PendingJob, done: int, now: float) -> None:
        """Note a progress record of the job's current run; only an advance of ``done`` counts."""
        if done > job.progress_done:
            job.progress_done = done
            job.advances += 1
            job.advanced_at = now

    def why_stuck(self, job: PendingJob, now: float) -> str:
        """Why ``job`` (handed to a computing node) counts as stuck, or "" if it does not."""
        if job.advances:
            mean_gap = (job.advanced_at - job.assigned_at) / job.advances
            limit = self.timeout if self.timeout is not None else max(FLOOR_SECONDS, FACTOR * mean_gap)
            silent = now - job.advanced_at
            if silent > limit:
                return f"no progress from {job.server} for {silent:.0f} s (limit {limit:.0f} s)"
            return ""
        limit = self._expected_run_seconds(job)
        running = now - job.assigned_at
        if running > limit:
            return f"no solution from {job.server} after {running:.0f} s (limit {limit:.0f} s)"
        return ""

    def _expected_run_seconds(self, job: PendingJob) -> float:
        if self.timeout is not None:
            return self.timeout
        if not self._run_times:
            return UNINFORMED_SECONDS
        transfer = len(job.payload) / server.SLOWEST_LINK_BYTES_PER_SECOND
        return max(FLOOR_SECONDS, transfer, FACTOR * statistics.median(self._run_times))
