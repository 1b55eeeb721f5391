"""Soak: many small jobs from several main nodes while computing nodes are killed and restarted.

Why: recovery bugs (a job lost, a solution delivered twice) show up under churn, not in single
scenarios. The kills happen when a seeded number of solutions has arrived, so the schedule is the
same on every run however fast the machine is. Used by tests/test_soak.py and bench/bench_soak.py.
"""
from __future__ import annotations

import logging
import random
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from amlip_py.node.AsyncMainNode import AsyncMainNode
from amlip_py.types.JobDataType import JobDataType

from helpers.received import SolutionLog

COMPUTING_SCRIPT = Path(__file__).parent / "computing_nodes.py"
RESEND_TEXT = "sending the job again"


@dataclass
class SoakResult:
    """What a soak run delivered; a clean run has no lost, duplicated or wrong task."""

    jobs: int
    seconds: float
    kills: int
    resends: int
    lost: list = field(default_factory=list)
    duplicated: list = field(default_factory=list)
    wrong: list = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.jobs} jobs in {self.seconds:.1f} s ({self.jobs / self.seconds:.1f} jobs/s), "
                f"{self.kills} computing nodes killed, {self.resends} re-sends, {len(self.lost)} lost, "
                f"{len(self.duplicated)} duplicated, {len(self.wrong)} wrong")


class ResendCounter(logging.Handler):
    """Counts the client's "sending the job again" warnings (the logger must let WARNING through)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if RESEND_TEXT in record.getMessage():
            self.count += 1


def run_soak(processes, domain: int, jobs: int = 500, mains: int = 2, computing: int = 4, kills: int = 6,
             job_seconds: float = 0.01, seed: int = 0, guard: float = 120.0, checkpoints=(),
             sample=None) -> SoakResult:
    """Send ``jobs`` jobs round-robin from ``mains`` main nodes to ``computing`` computing processes;
    SIGKILL one (chosen by ``seed``) each time one of ``kills`` seeded solution counts is reached and
    start a replacement. ``processes`` is the tests' Processes helper; ``guard`` only stops a hang.
    When the solution count reaches each of ``checkpoints``, ``sample(count, main_nodes,
    computing_processes)`` is called (e.g. to record resource use)."""
    rng = random.Random(seed)
    generation = 0

    def start(slot: int):
        nonlocal generation
        generation += 1
        name = f"Soak{slot}g{generation}_"
        proc = processes.start(name, [str(COMPUTING_SCRIPT), "--domain", str(domain), "--prefix", name,
                                      "--sleep", str(job_seconds)])
        processes.wait_for_output(name, "READY", guard)
        return proc

    workers = [start(slot) for slot in range(computing)]
    kill_at = sorted(rng.sample(range(jobs // 10, jobs * 9 // 10), kills))
    log = SolutionLog()  # keyed by (main node index, task id)
    counter = ResendCounter()
    client_logger = logging.getLogger("amlip_py.protocol.client")
    client_logger.addHandler(counter)

    def listener_of(main_index: int):
        return lambda solution, task_id, server_id: log.add(solution, (main_index, task_id), server_id)

    nodes = [AsyncMainNode(f"SoakMain{m}", domain=domain, callback=listener_of(m)) for m in range(mains)]
    started = time.monotonic()
    try:
        expected = {}
        for index in range(jobs):
            text = f"soak job {index}"
            task_id = nodes[index % mains].request_job_solution(JobDataType(text))
            expected[(index % mains, task_id)] = text.upper()
        for threshold, is_kill in sorted([(count, True) for count in kill_at] +
                                         [(count, False) for count in checkpoints]):
            log.wait_for_count(threshold, guard, what=f"before {'kill' if is_kill else 'checkpoint'} at "
                                                      f"{threshold} solutions")
            if not is_kill:
                sample(threshold, nodes, workers)
                continue
            slot = rng.randrange(computing)
            processes.kill(workers[slot], signal.SIGKILL)
            workers[slot] = start(slot)
        log.wait_for_count(jobs, guard, what="soak")
        seconds = time.monotonic() - started
        time.sleep(0.5)  # let a late duplicate surface before counting (not an assertion)
    finally:
        for node in nodes:
            node.close()
        client_logger.removeHandler(counter)
    result = SoakResult(jobs, seconds, kills, counter.count)
    for key, text in expected.items():
        delivered = [solution for solution, _ in log.by_task.get(key, [])]
        if not delivered:
            result.lost.append(key)
        elif len(delivered) > 1:
            result.duplicated.append(key)
        elif delivered[0] != text:
            result.wrong.append((key, delivered[0]))
    return result
