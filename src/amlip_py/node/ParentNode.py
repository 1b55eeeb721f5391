"""What all AML-IP nodes share: id, status, domain, close and listener-or-callback selection.

Why: eProsima's nodes derive from a C++ ``ParentNode``; keeping the common part in one base class
keeps every node module about its own service only.
"""
from __future__ import annotations

import logging

from amlip_py.protocol.session import NodeSession
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.StatusDataType import NodeKind, StateKind

logger = logging.getLogger(__name__)


def pick_handler(callback, listener, adapter: type, what: str):
    """Return ``listener``, or ``callback`` wrapped in ``adapter``; exactly one must be given."""
    if callback is not None and listener is not None:
        raise ValueError(f"{what} expects a listener object or a callback: "
                         "both callback= and listener= given, pass exactly one")
    if callback is None and listener is None:
        raise ValueError(f"{what} expects a listener object or a callback: "
                         "neither callback= nor listener= given, pass exactly one")
    return listener if listener is not None else adapter(callback)


class ParentNode:
    """Base of every node: a DDS participant on ``domain`` (None: 166) publishing its status.

    Use as a context manager, or call :meth:`close` when done: it stops the node's threads,
    publishes ``dropped`` and leaves the domain.
    """

    def __init__(self, name: str, domain: int | None, kind: NodeKind, state: StateKind):
        self._session = NodeSession(name, domain, kind, state)

    def get_id(self) -> AmlipIdDataType:
        return self._session.id

    def id(self) -> AmlipIdDataType:
        return self._session.id

    def current_state(self) -> int:
        return int(self._session.state)

    def node_kind(self) -> int:
        return int(self._session.kind)

    def close(self) -> None:
        """Stop the node's threads, publish ``dropped`` and delete its participant; idempotent."""
        self._stop_threads()
        self._session.close()

    def _stop_threads(self) -> None:
        """Subclasses with threads stop them here (before ``dropped`` is published)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._session.id})"
