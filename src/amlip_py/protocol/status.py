"""Reading the statuses every node publishes on ``amlip/status`` (spec §3.8).

Why: the StatusNode only needs decoded statuses one at a time; the DDS reader ignores its own
participant like C++ AML-IP's ``fastdds.ignore_local_endpoints``.
"""
from __future__ import annotations

from amlip_py.dds import wire
from amlip_py.protocol.session import NodeSession
from amlip_py.types.StatusDataType import StatusDataType


class StatusReader:
    """Statuses of the other nodes, including the latest one of each node that existed before us."""

    def __init__(self, session: NodeSession):
        self._inbox = session.participant.inbox(wire.STATUS_TOPIC, wire.Status, ignore_own_participant=True)

    def next_status(self, timeout: float) -> StatusDataType | None:
        """The next status, or None after ``timeout`` seconds or when the node is woken."""
        sample = self._inbox.take_within(timeout)
        if sample is None:
            return None
        return StatusDataType(sample.id, sample.node_kind, sample.state)
