"""What all AML-IP nodes share: id, status, domain, closing, and listener-or-callback selection.

Why: eProsima's nodes derive from a C++ ``ParentNode``; keeping the common part in one base class
keeps every node module about its own service only.

Ownership: the object the user holds is the only owner of a node. Its threads get just the parts
they work with (session, protocol objects, the user's listener), never the node itself, so a node
the program drops without closing is garbage at once; a ``weakref.finalize`` then closes it, as
eProsima's nodes leave the network when their last reference goes. The same finalizer closes the
nodes still open when Python exits.
"""
from __future__ import annotations

import logging
import threading
import weakref
from typing import Callable

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


class NodeWorker:
    """The one background thread of a node (serving, or delivering statuses), between a start and
    a stop call; publishes ``running`` and ``stopped``."""

    def __init__(self, session: NodeSession):
        self._session = session
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, target: Callable, args: tuple, stop_call: str) -> None:
        """Run ``target(*args)``, which must return once the participant is woken."""
        if self._thread is not None:
            raise RuntimeError(f"node {self._session.id} is already running; call {stop_call} first")
        self._session.participant.rearm()
        self._thread = threading.Thread(target=target, args=args, name=f"amlip-{self._session.id}", daemon=True)
        self._session.set_state(StateKind.running)
        self._thread.start()

    def stop(self, start_call: str) -> None:
        """Wake the thread, wait for it (unless called from it) and publish ``stopped``."""
        if self._thread is None:
            raise RuntimeError(f"node {self._session.id} is not running; call {start_call} first")
        self._session.participant.wake()
        if threading.current_thread() is not self._thread:
            self._thread.join()
        self._thread = None
        self._session.set_state(StateKind.stopped)

    def close(self) -> None:
        if self._thread is not None:
            self.stop("")


def _close_node(closers: list[Callable[[], None]], session: NodeSession) -> None:
    """Stop a node's threads (last registered first), publish ``dropped`` and leave the domain."""
    for close in reversed(closers):
        try:
            close()
        except Exception:
            logger.exception("stopping %s of node %s failed", close, session.id)
    session.close()


class ParentNode:
    """Base of every node: a DDS participant on ``domain`` (None: 166) publishing its status.

    Use as a context manager, or call :meth:`close` when done: it stops the node's threads,
    publishes ``dropped`` and leaves the domain. A node dropped without it (last reference gone)
    is closed then; one still open when Python exits, at exit.

    Parameters every node takes
    ---------------------------
    name : str
        Node name: printable ASCII without whitespace or ``* ? [ ] " ' # $``, at most 28 bytes; the
        node's id adds 4 random bytes.
    domain : int, optional
        DDS domain id 0..232; None means AML-IP's default 166 (0 is honoured; some of eProsima's
        nodes drop it).
    secret : bytes or path, optional
        Job and inference nodes only: a shared key, or a file holding one, sealing requests and
        solutions (``protocol.sealing``); None reads the file named by ``AMLIP_SECRET_FILE``, if set.
    """

    def __init__(self, name: str | AmlipIdDataType, domain: int | None, kind: NodeKind, state: StateKind):
        self._session = NodeSession(name, domain, kind, state)
        self._worker = NodeWorker(self._session)
        self._closers: list[Callable[[], None]] = [self._worker.close]
        self._finalizer = weakref.finalize(self, _close_node, self._closers, self._session)

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
        self._finalizer()

    def _close_also(self, close: Callable[[], None]) -> None:
        """Call ``close()`` when the node closes, before the worker stops and the participant goes.

        ``close`` stops a thread or queue of the node; like every thread target it must not refer
        to the node (a bound method of it would keep a dropped node alive): TypeError if it does.
        """
        self._check_detached(close)
        self._closers.append(close)

    def _start_worker(self, target: Callable, args: tuple, stop_call: str) -> None:
        """Run ``target(*args)`` on the node's worker thread and publish ``running``.

        ``target`` must return once the participant is woken and must not refer to the node
        (TypeError). RuntimeError if a worker runs.
        """
        self._check_detached(target)
        self._worker.start(target, args, stop_call)

    def _stop_worker(self, start_call: str) -> None:
        """Wake the worker, wait for it (unless called from it) and publish ``stopped``."""
        self._worker.stop(start_call)

    def _check_detached(self, function: Callable) -> None:
        if getattr(function, "__self__", None) is self:
            raise TypeError(f"{function.__qualname__} is bound to the node: a node thread must get only the "
                            "parts it works with, or a dropped node would live on")

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._session.id})"
