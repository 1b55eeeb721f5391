"""Progress of running jobs, on a DDS topic of our own (``wire.PROGRESS_TOPIC``, not AML-IP).

Why: AML-IP sends nothing between a job's data and its solution, so a main node cannot tell a slow
computing node from a stuck one, and people watching a long run see nothing. A computing node
publishes records for the task it serves (``done`` of ``total`` and a small JSON ``detail``); main
nodes take the records of their own tasks, status nodes all of them. What is counted is the
caller's business: this module knows nothing of training. eProsima's nodes neither write nor read
the topic, so the jobs they serve simply have no records.

A main node also writes one record per job it sends, just before the data: ``detail`` is
``JOB_DATA_DETAIL`` and ``total`` the data's size in bytes, so the chosen computing node can wait
for data in proportion to its size instead of a fixed time (see ``server``).

Records stay plain even between nodes with a key (see ``sealing``), like status: anyone on the
domain can read them, and a forged one can at worst delay a stuck job's copy or stretch a data wait.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Mapping

from amlip_py.dds import wire
from amlip_py.dds.participant import DdsError, Participant
from amlip_py.types.AmlipIdDataType import AmlipIdDataType

logger = logging.getLogger(__name__)

MAX_DETAIL_BYTES = 1024
UINT32_MAX = 2 ** 32 - 1
JOB_DATA_DETAIL = '{"stage":"job data"}'
"""``detail`` of the record a main node writes before a job's data; ``total`` is its size in bytes."""


@dataclass(frozen=True)
class ProgressRecord:
    """How far the computing node ``server_id`` is with task ``task_id`` of main node ``client_id``.

    ``detail`` is JSON text (``details()`` parses it); ``elapsed`` the seconds since the job started.
    A main node reports ``task_id`` as the id its ``request_job_solution`` returned.
    """

    task_id: int
    client_id: AmlipIdDataType
    server_id: AmlipIdDataType
    done: int
    total: int
    detail: str = "{}"
    elapsed: float = 0.0

    def announces_job_data(self) -> bool:
        """True for a main node's notice of a job's data size: the protocol's own, not progress."""
        return self.detail == JOB_DATA_DETAIL

    def details(self) -> dict:
        """``detail`` parsed; {} if it is not a JSON object."""
        try:
            value = json.loads(self.detail)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


def detail_text(detail: Mapping | None) -> str:
    """Compact JSON of ``detail``; ValueError if it is over ``MAX_DETAIL_BYTES`` or not JSON."""
    text = json.dumps(dict(detail or {}), separators=(",", ":"))
    if len(text.encode()) > MAX_DETAIL_BYTES:
        raise ValueError(f"progress detail must be at most {MAX_DETAIL_BYTES} bytes as JSON, "
                         f"got {len(text.encode())}")
    return text


class ProgressWriter:
    """Publishes progress records; a record that cannot go is logged, never raised (it is news only)."""

    def __init__(self, participant: Participant):
        self._outbox = participant.writer(wire.PROGRESS_TOPIC, wire.Progress)

    def write(self, record: ProgressRecord) -> None:
        sample = wire.Progress(record.client_id, record.task_id, record.server_id,
                               min(max(record.done, 0), UINT32_MAX), min(max(record.total, 0), UINT32_MAX),
                               min(int(record.elapsed * 1000), UINT32_MAX), record.detail)
        try:
            self._outbox.write(sample)
        except (DdsError, TimeoutError) as exc:
            logger.debug("progress record for task %d not sent: %s", record.task_id, exc)


class ProgressInbox:
    """Progress records of other nodes; ``take`` returns None when none is waiting."""

    def __init__(self, participant: Participant):
        self.inbox = participant.inbox(wire.PROGRESS_TOPIC, wire.Progress, ignore_own_participant=True)

    def take(self) -> ProgressRecord | None:
        sample = self.inbox.take()
        if sample is None:
            return None
        return ProgressRecord(sample.task_id, sample.client_id, sample.server_id, sample.done, sample.total,
                              sample.detail, sample.elapsed_ms / 1000)
