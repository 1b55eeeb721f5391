"""Writers of topics read by exactly one node, created on first use and deleted once it has left.

Why: AML-IP addresses replies and solutions to one node through a topic named after it; a node
serving many peers needs one writer per peer, and a peer that left for good must not keep its
writer (and that writer's history) alive for the node's lifetime, as C++ AML-IP does.
"""
from __future__ import annotations

from amlip_py.dds import participant, wire
from amlip_py.dds.participant import Outbox, Participant
from amlip_py.types.AmlipIdDataType import AmlipIdDataType


class TargetedWriters:
    """The writers of ``amlip/<base>_<target id>`` for every target written to, by target."""

    def __init__(self, dp: Participant, base: str, data_type: type):
        self._participant = dp
        self._base = base
        self._data_type = data_type
        self._writers: dict[AmlipIdDataType, Outbox] = {}

    def to(self, target: AmlipIdDataType) -> Outbox:
        """The writer whose only reader is ``target``'s, created on first use (as C++ does)."""
        writer = self._writers.get(target)
        if writer is None:
            writer = self._writers[target] = self._participant.writer(wire.targeted_topic(self._base, target),
                                                                     self._data_type)
        return writer

    def delete_gone(self) -> None:
        """Delete the writers of targets away for ``participant.UNMATCHED_WRITER_GRACE_SECONDS``."""
        for target, writer in list(self._writers.items()):
            if writer.unmatched_for() > participant.UNMATCHED_WRITER_GRACE_SECONDS:
                del self._writers[target]
                self._participant.delete_writer(writer)
