"""A Cyclone DDS configuration that keeps every packet on this machine.

Tests, benchmarks and demos must not reach other hosts: this XML pins Cyclone to the loopback
interface, turns multicast off, discovers peers by unicast on 127.0.0.1, and carries a
discovery tag so that only participants with the same tag meet (concurrent runs on one machine
stay apart even on the same domain id). Pass it in ``CYCLONEDDS_URI``; children inherit it.
"""
from __future__ import annotations

import os
import uuid

LOOPBACK_TEMPLATE = (
    '<CycloneDDS><Domain Id="any">'
    '<General><Interfaces><NetworkInterface name="lo"/></Interfaces>'
    '<AllowMulticast>false</AllowMulticast></General>'
    '<Discovery><ParticipantIndex>auto</ParticipantIndex>'
    '<MaxAutoParticipantIndex>{max_participants}</MaxAutoParticipantIndex>'
    '<Peers><Peer Address="127.0.0.1"/></Peers><Tag>{tag}</Tag></Discovery>'
    '</Domain></CycloneDDS>')


def loopback_only_config(tag: str | None = None, max_participants: int = 60) -> str:
    """Cyclone XML for loopback-only traffic; ``tag`` defaults to one unique to this call."""
    tag = tag or f"amlip-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    return LOOPBACK_TEMPLATE.format(tag=tag, max_participants=max_participants)
