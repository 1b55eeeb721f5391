"""What the main node shows while jobs train: one row per job, live on a terminal, lines elsewhere.

Why: a long run used to print only 'k of n solutions received' for minutes. Our computing nodes
report each job's batches done and total, atoms and ETA (``ProgressRecord``, detail keys
``digit``, ``atoms``, ``eta``); records map to jobs by task id. Jobs served by eProsima's
computing nodes send no records and show their elapsed time only. On a terminal rich draws a bar
per job; in a log (a pipe, a file) each interval prints one line per job still out.
"""
from __future__ import annotations

import threading
import time

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


def job_label(shard: int, digits) -> str:
    """``shard 0, digits 0 2 4 6 8`` (``digit 3`` for one digit)."""
    digits = sorted(digits)
    return f'shard {shard}, {"digits" if len(digits) > 1 else "digit"} {" ".join(map(str, digits))}'


def training_text(record) -> str:
    """``120/250 batches, 9,800 atoms, ETA 40 s`` of a computing node's training record."""
    details = record.details()
    return f'{record.done}/{record.total} batches, {details["atoms"]:,} atoms, ETA {details.get("eta", 0):.0f} s'


class JobProgress:
    """Latest progress of every job out, by task id; fed from the node's thread, read by the waiter."""

    def __init__(self, live: bool):
        self._lock = threading.Lock()
        self._jobs = {}
        self._bars = Progress(TextColumn('{task.description}'), BarColumn(), TextColumn('{task.fields[state]}'),
                              TimeElapsedColumn(), auto_refresh=True) if live else None
        self._overall = self._bars.add_task('all jobs', total=None, state='') if live else None

    def __enter__(self):
        if self._bars:
            self._bars.start()
        return self

    def __exit__(self, *exc):
        if self._bars:
            self._bars.stop()

    def add(self, task_id: int, settings) -> None:
        """A job was sent as ``task_id``."""
        with self._lock:
            label = job_label(settings.shard, settings.digits)
            bar = self._bars.add_task(label, total=None, state='waiting') if self._bars else None
            self._jobs[task_id] = {'label': label, 'started': time.monotonic(), 'record': None, 'bar': bar}

    def record(self, record) -> None:
        """``progress_callback``: keep a training record of one of our jobs."""
        if 'atoms' not in record.details():  # another use of the progress topic: not training
            return
        with self._lock:
            job = self._jobs.get(record.task_id)
            if job is None:
                return
            job['record'] = record
            if self._bars:
                self._bars.update(job['bar'], completed=record.done, total=record.total, state=self._state(job))

    def finish(self, task_id: int) -> None:
        """The job's solution (or error) arrived: no more rows for it."""
        with self._lock:
            job = self._jobs.pop(task_id, None)
            if job is not None and self._bars:
                self._bars.update(job['bar'], completed=1, total=1, state='done')

    def show(self, summary: str) -> None:
        """On a terminal: put ``summary`` on the 'all jobs' row. Otherwise print it and a line per job out."""
        with self._lock:
            if self._bars:
                self._bars.update(self._overall, state=summary)
                return
            lines = [summary] + [f'  {job["label"]}: {self._state(job)}' for job in self._jobs.values()]
        print('\n'.join(lines), flush=True)

    @staticmethod
    def _state(job: dict) -> str:
        record = job['record']
        if record is None:
            return f'{time.monotonic() - job["started"]:.0f} s elapsed, no progress reports'
        return f'{training_text(record)} on {record.server_id}'
