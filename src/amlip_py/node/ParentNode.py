"""What all AML-IP nodes share: id, status, domain, close and listener-or-callback selection.

Why: eProsima's nodes derive from a C++ ``ParentNode``; keeping the common part in one base class
keeps every node module about its own service only.
"""
from __future__ import annotations

import atexit
import logging
import threading
import weakref

from amlip_py.protocol.session import NodeSession
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.StatusDataType import NodeKind, StateKind

logger = logging.getLogger(__name__)

_open_nodes: weakref.WeakSet = weakref.WeakSet()
"""Nodes not closed yet; the ones still open when Python exits (e.g. after an unhandled Ctrl-C)
are closed then, so their peers see ``dropped`` instead of waiting for the DDS lease to expire."""


@atexit.register
def _close_open_nodes() -> None:
    for node in list(_open_nodes):
        try:
            node.close()
        except Exception:
            logger.exception("closing %r at exit failed", node)


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

    def __init__(self, name: str | AmlipIdDataType, domain: int | None, kind: NodeKind, state: StateKind):
        self._session = NodeSession(name, domain, kind, state)
        self._worker: threading.Thread | None = None
        _open_nodes.add(self)

    def get_id(self) -> AmlipIdDataType:
        return self._session.id

    def id(self) -> AmlipIdDataType:
        return self._session.id

    def current_state(self) -> int:
        return int(self._session.state)

    def node_kind(self) -> int:
        return int(self._session.kind)

    def close(self) -> None:
        """Stop the node's threads, publish ``dropped`` and delete its participant; idempotent.

        Nodes still open when Python exits are closed then.
        """
        _open_nodes.discard(self)
        self._stop_threads()
        self._session.close()

    def _stop_threads(self) -> None:
        """Stop the worker thread, if any; subclasses with other threads extend this."""
        if self._worker is not None:
            self._stop_worker("")

    def _start_worker(self, target, args: tuple, stop_call: str) -> None:
        """Run ``target(*args)`` on the node's worker thread and publish ``running``.

        ``target`` must return once the participant is woken. RuntimeError if a worker runs.
        """
        if self._worker is not None:
            raise RuntimeError(f"{self!r} is already running; call {stop_call} first")
        self._session.participant.rearm()
        self._worker = threading.Thread(target=target, args=args, name=f"amlip-{self.id()}", daemon=True)
        self._session.set_state(StateKind.running)
        self._worker.start()

    def _stop_worker(self, start_call: str) -> None:
        """Wake the worker, wait for it (unless called from it) and publish ``stopped``."""
        if self._worker is None:
            raise RuntimeError(f"{self!r} is not running; call {start_call} first")
        self._session.participant.wake()
        if threading.current_thread() is not self._worker:
            self._worker.join()
        self._worker = None
        self._session.set_state(StateKind.stopped)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._session.id})"
