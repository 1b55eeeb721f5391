"""Node that watches the status of every other node (eProsima ``amlip_py.node.StatusNode``).

Why: monitoring; each status (including the latest one of nodes that started earlier) is handed
to the listener on a node-owned thread.
"""
from __future__ import annotations

import logging

from amlip_py.node.callbacks import CallbackAdapter
from amlip_py.node.ParentNode import ParentNode, pick_handler
from amlip_py.protocol.progress import ProgressRecord
from amlip_py.protocol.status import StatusReader
from amlip_py.types.StatusDataType import NodeKind, StateKind, StatusDataType

logger = logging.getLogger(__name__)

POLL_SECONDS = 1.0


class StatusListener:
    """Override :meth:`status_received`; calling ``super().__init__()`` is optional."""

    def status_received(self, status: StatusDataType) -> None:
        raise NotImplementedError("subclass StatusListener and override status_received")


class StatusLambda(CallbackAdapter, StatusListener):
    """Adapts a function ``fn(status)`` to a StatusListener."""

    def status_received(self, status: StatusDataType) -> None:
        self.callback(status)


class StatusNode(ParentNode):
    """Receives ``StatusDataType`` samples of the other nodes in the domain.

    Parameters
    ----------
    name, domain
        As for every node (see ``ParentNode``).
    """

    def __init__(self, name: str, domain: int | None = None):
        super().__init__(name, domain, NodeKind.status, StateKind.stopped)
        self._reader = StatusReader(self._session, progress=True)

    def process_status_async(self, callback=None, listener=None, progress_callback=None) -> None:
        """Start delivering statuses to ``callback(status)`` or ``listener.status_received(status)``,
        and, if given, every job's progress records to ``progress_callback(record)`` (a
        ``ProgressRecord``, see ``AsyncMainNode``), all on one node thread."""
        handler = pick_handler(callback, listener, StatusLambda, "Method process_status_async")
        self._start_worker(_deliver, (self._session.participant, self._reader, handler, progress_callback),
                           stop_call="stop_processing()")

    def stop_processing(self) -> None:
        """Stop delivering statuses; raises RuntimeError if not processing."""
        self._stop_worker(start_call="process_status_async()")


def _deliver(participant, reader: StatusReader, handler: StatusListener, progress_callback) -> None:
    """The worker of a status node: hand on statuses and progress until the participant is woken."""
    while not participant.waking.is_set():
        found = reader.next_status(POLL_SECONDS)
        if found is None or (isinstance(found, ProgressRecord) and progress_callback is None):
            continue
        try:
            if isinstance(found, ProgressRecord):
                progress_callback(found)
            else:
                handler.status_received(found)
        except Exception:
            logger.exception("status listener failed on %s", found)
