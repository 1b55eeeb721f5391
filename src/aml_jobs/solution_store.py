"""Solutions kept on disk as they arrive, so a main node that dies loses none of them.

Why: with hour-long runs the costliest failure left was a main node crash, which threw away every
solution already computed. Each solution is written into ``<out>/solutions/`` the moment it
arrives (write to a temporary file, then rename, so a crash never leaves half a file), under the
hash of its job's text: the same settings and the same data give the same name, so a rerun with
``--resume`` reuses exactly the solutions whose job it would send again.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

FOLDER = "solutions"


def job_key(job_text: str | bytes) -> str:
    """Name of a job's solution: SHA-256 of the job text (its settings and its data)."""
    data = job_text.encode() if isinstance(job_text, str) else job_text
    return hashlib.sha256(data).hexdigest()


class SolutionStore:
    """One JSON file per solved job under ``<out_dir>/solutions``, written atomically."""

    def __init__(self, out_dir: str | Path) -> None:
        self.folder = Path(out_dir) / FOLDER

    def save(self, key: str, solution_text: str, server: str) -> Path:
        """Keep one job's solution text and the node that computed it; returns the file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{key}.json"
        record = json.dumps({"job": key, "server": server, "solution": solution_text})
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{key}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w") as file:
                file.write(record)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path

    def load(self, key: str) -> dict | None:
        """The saved ``{"job", "server", "solution"}`` of a job, or None if absent or unreadable."""
        path = self.folder / f"{key}.json"
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("job") != key or not isinstance(record.get("solution"), str):
            return None
        return record
