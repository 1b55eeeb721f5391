"""How nodes call user code: listeners made from plain functions, and a node-owned thread that
runs user callbacks one at a time, in the order they were posted.

Why: every node takes a listener object or a function (``callback=``); ``CallbackAdapter`` makes
the one from the other once for all the ``*Lambda`` classes. The protocol threads only hand results
on (user code there would stall every job of the node); one queue per node keeps a job's progress
records ahead of its solution.
"""
from __future__ import annotations

import logging
import queue
import threading
from typing import Callable

logger = logging.getLogger(__name__)


class CallbackAdapter:
    """Base of the ``*Lambda`` listener classes: a listener made of one function, which its listener
    method calls with the same arguments. ``XLambda(CallbackAdapter, XListener)`` defines only that
    method, spelled as eProsima's (names and order of the arguments)."""

    def __init__(self, callback: Callable):
        self.callback = callback


class CallbackThread:
    """Runs ``post``-ed calls on its own thread until :meth:`close`; a call that raises is logged."""

    def __init__(self, name: str):
        self._calls: queue.SimpleQueue[tuple[Callable, tuple] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def post(self, fn: Callable, *args) -> None:
        self._calls.put((fn, args))

    def close(self) -> None:
        """Run the calls already posted, then stop (unless called from a callback)."""
        self._calls.put(None)
        if threading.current_thread() is not self._thread:
            self._thread.join()

    def _run(self) -> None:
        while (call := self._calls.get()) is not None:
            fn, args = call
            try:
                fn(*args)
            except Exception:
                logger.exception("callback %s failed", getattr(fn, "__qualname__", fn))
