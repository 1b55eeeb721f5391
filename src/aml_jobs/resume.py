"""The solutions of a run kept in its ``--out`` folder as they arrive, and reused by ``--resume``.

Why: a main node that dies used to lose every solution already computed. Each solution holding
models is saved under the hash of its job's text (``solution_store``), so a rerun with the same
settings and data finds exactly the solutions of the jobs it would send again and sends only the
others. Error answers are not kept: their jobs are sent again.
"""
from __future__ import annotations

import logging
from pathlib import Path

from aml_jobs.codec import JobFormatError, decode_solution, solution_models
from aml_jobs.plan import PlannedJob
from aml_jobs.progress_display import job_label
from aml_jobs.solution_store import SolutionStore, job_key

logger = logging.getLogger(__name__)


def _job_id(shard: int, digits) -> tuple:
    return shard, tuple(sorted(digits))


class SolutionKeeper:
    """Saves the run's solutions as they come and finds the saved ones of its jobs."""

    def __init__(self, out_dir: str | Path, jobs: list[PlannedJob]):
        self.store = SolutionStore(out_dir)
        self._keys = {_job_id(job.settings.shard, job.settings.digits): job_key(job.text) for job in jobs}

    def save(self, decoded: dict, text: str, server: str) -> None:
        """Keep a decoded solution with models (text as received) under its job's key.

        A disk that refuses it costs only the resume: the run goes on with the solution in memory.
        """
        key = self._keys.get(_job_id(decoded["shard"], solution_models(decoded)))
        if key is None:
            return
        try:
            self.store.save(key, text, server)
        except OSError as error:
            logger.warning("solution of shard %s not kept for --resume: %s", decoded["shard"], error)

    def split(self, jobs: list[PlannedJob]) -> tuple[list[dict], list[PlannedJob]]:
        """The saved solutions of ``jobs`` (decoded, marked ``reused``) and the jobs that have none."""
        reused, missing = [], []
        for job in jobs:
            record = self.store.load(self._keys[_job_id(job.settings.shard, job.settings.digits)])
            try:
                decoded = decode_solution(record["solution"]) if record else None
            except JobFormatError:
                decoded = None
            if decoded is None or "error" in decoded:
                missing.append(job)
            else:
                reused.append({**decoded, "server": record["server"], "task": None, "main_parse_seconds": 0.0,
                               "reused": True})
        return reused, missing


def resume_line(out_dir: str | Path, reused: list[dict], n_jobs: int) -> str:
    """What ``--resume`` found, e.g. ``Resuming from results/: 1 of 2 jobs reused (shard 0, digit 0); 1 to send.``"""
    labels = "; ".join(job_label(s["shard"], solution_models(s)) for s in reused) or "none"
    return (f"Resuming from {out_dir}/: {len(reused)} of {n_jobs} jobs reused ({labels}); "
            f"{n_jobs - len(reused)} to send.")
