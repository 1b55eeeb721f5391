"""What a collaborating peer knows of the others: their latest statistics, and waiting on them.

Why apart from the script: statistics arrive on a node thread while the peer's main thread waits
for "every peer has its atoms ready" or "every peer has finished"; this keeps that state under one
lock and knows nothing of DDS (the sender's id is kept as an opaque handle to request from).
"""
from __future__ import annotations

import threading
import time

from aml_jobs.collab_text import CollabTextError, decode_statistics


class PeerBoard:
    """Latest statistics per peer index (other than ``me``), with the handle to request its models from."""

    def __init__(self, me: int, peers: int, log=print):
        self.me, self.peers, self.log = me, peers, log
        self.latest: dict[int, dict] = {}
        self.handles: dict[int, object] = {}
        self.received_bytes = self.sent_bytes = 0
        self.changed = threading.Condition()

    def update(self, text: bytes, handle) -> None:
        """Take a statistics sample (called on the receiving thread); a malformed one is reported and ignored."""
        with self.changed:
            self.received_bytes += len(text)
        try:
            statistics = decode_statistics(text)
        except CollabTextError as error:
            self.log(f"Ignored statistics from {handle}: {error}")
            return
        peer = statistics["peer"]
        if peer == self.me and statistics["peers"] == self.peers:
            return  # our own, heard back
        if statistics["peers"] != self.peers or peer == self.me:
            self.log(f"Ignored statistics from {handle}: it says peer {peer} of {statistics['peers']}, "
                     f"we are peer {self.me} of {self.peers}")
            return
        with self.changed:
            if peer not in self.latest:
                self.log(f"Heard peer {peer} ({handle})")
            self.latest[peer] = statistics
            self.handles[peer] = handle
            self.changed.notify_all()

    def count_received(self, size: int) -> None:
        with self.changed:
            self.received_bytes += size

    def count_sent(self, size: int) -> None:
        with self.changed:
            self.sent_bytes += size

    def wait(self, condition, peers: list[int] | None, timeout: float, stop: threading.Event) -> list[int]:
        """Wait until ``condition(statistics)`` holds for every peer of ``peers`` (None: all others,
        heard or not), at most ``timeout`` seconds or until ``stop`` is set. Returns the peers for
        which it holds."""
        wanted = [p for p in range(self.peers) if p != self.me] if peers is None else list(peers)
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                ready = [p for p in wanted if p in self.latest and condition(self.latest[p])]
                left = deadline - time.monotonic()
                if len(ready) == len(wanted) or left <= 0 or stop.is_set():
                    return ready
                self.changed.wait(min(left, 0.5))

    def counts(self, peer: int) -> list[int]:
        with self.changed:
            return list(self.latest[peer]["counts"])
