"""Keep test, benchmark and demo traffic on this machine, on a DDS domain no concurrent run uses.

Why: these runs share the machine (and its loopback) with each other. The XML pins Cyclone to the
loopback interface, turns multicast off, discovers peers by unicast on 127.0.0.1 and carries a
discovery tag so that only participants with the same tag meet; pass it in ``CYCLONEDDS_URI``
(children inherit it). A domain id is reserved by binding port ``DOMAIN_LOCK_PORT_BASE + id`` on
127.0.0.1, like ROS 2's domain coordinator, so concurrent runs also get different ids.
"""
from __future__ import annotations

import itertools
import os
import socket
import uuid

LOOPBACK_TEMPLATE = (
    '<CycloneDDS><Domain Id="any">'
    '<General><Interfaces><NetworkInterface name="lo"/></Interfaces>'
    '<AllowMulticast>false</AllowMulticast></General>'
    '<Discovery><ParticipantIndex>auto</ParticipantIndex>'
    '<MaxAutoParticipantIndex>{max_participants}</MaxAutoParticipantIndex>'
    '<Peers><Peer Address="127.0.0.1"/></Peers><Tag>{tag}</Tag></Discovery>'
    '</Domain></CycloneDDS>')

DOMAIN_LOCK_PORT_BASE = 47000
RESERVABLE_DOMAINS = range(100, 230)
"""Ids handed out by :func:`reserve_loopback_domain`; 166 (AML-IP's default) is skipped."""

_reservations = itertools.count()


def loopback_only_config(tag: str | None = None, max_participants: int = 60) -> str:
    """Cyclone XML for loopback-only traffic; ``tag`` defaults to one unique to this call."""
    tag = tag or f"amlip-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    return LOOPBACK_TEMPLATE.format(tag=tag, max_participants=max_participants)


def reserve_loopback_domain() -> tuple[int, socket.socket]:
    """Return (domain id, lock socket); the id stays reserved until the socket is closed.

    The search starts at an offset taken from the process id, so concurrent runs rarely collide,
    and moves on with every call, so successive reservations in one process (one test after
    another) do not reuse at once a domain that a node left open by an earlier one may still hold.
    """
    start = (os.getpid() + next(_reservations)) % len(RESERVABLE_DOMAINS)
    for offset in range(len(RESERVABLE_DOMAINS)):
        domain = RESERVABLE_DOMAINS[(start + offset) % len(RESERVABLE_DOMAINS)]
        if domain == 166:
            continue
        lock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            lock.bind(("127.0.0.1", DOMAIN_LOCK_PORT_BASE + domain))
        except OSError:
            lock.close()
            continue
        return domain, lock
    raise RuntimeError(f"no free DDS domain id in {RESERVABLE_DOMAINS} "
                       f"(ports {DOMAIN_LOCK_PORT_BASE}+id are all bound)")
