"""Reading the statuses every node publishes on ``amlip/status`` (spec §3.8), and progress records.

Why: the StatusNode only needs decoded statuses one at a time; the DDS reader ignores its own
participant like C++ AML-IP's ``fastdds.ignore_local_endpoints``. A monitor may also want every
job's progress (``progress``), which comes in on the same wait.
"""
from __future__ import annotations

from amlip_py.dds import wire
from amlip_py.protocol.progress import ProgressInbox, ProgressRecord
from amlip_py.protocol.session import NodeSession
from amlip_py.types.StatusDataType import StatusDataType


class StatusReader:
    """Statuses of the other nodes, including the latest one of each node that existed before us,
    and (with ``progress=True``) the progress records published from now on."""

    def __init__(self, session: NodeSession, progress: bool = False):
        dp = session.participant
        self._inbox = dp.inbox(wire.STATUS_TOPIC, wire.Status, ignore_own_participant=True)
        self._progress = ProgressInbox(dp) if progress else None
        inboxes = [self._inbox] if self._progress is None else [self._inbox, self._progress.inbox]
        self._waiter = dp.waiter(inboxes)

    def next_status(self, timeout: float) -> StatusDataType | ProgressRecord | None:
        """The next status or progress record, or None after ``timeout`` s or when the node is woken."""
        if (found := self._take()) is None and not self._waiter.woken():
            self._waiter.wait(timeout)
            found = self._take()
        return found

    def _take(self) -> StatusDataType | ProgressRecord | None:
        sample = self._inbox.take()
        if sample is not None:
            return StatusDataType(sample.id, sample.node_kind, sample.state)
        if self._progress is None:
            return None
        while (record := self._progress.take()) is not None and record.announces_job_data():
            pass  # a main node's data-size notice is for the chosen computing node, not for watchers
        return record
