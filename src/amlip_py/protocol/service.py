"""The two multiservice exchanges of AML-IP: jobs and inference (spec §3; python-api spec §5).

Why: eProsima runs the same client/server protocol for both, only on other topics and between
other node kinds; one description per exchange lets the client and server serve either.
"""
from __future__ import annotations

from dataclasses import dataclass

from amlip_py.dds import wire
from amlip_py.types.StatusDataType import NodeKind


@dataclass(frozen=True)
class Service:
    """Topics of one exchange, the kind of node serving it (a client re-sends the requests of a
    server of that kind that publishes ``dropped``), and the words messages use for both."""

    topics: wire.ServiceTopics
    server_kind: NodeKind
    server_noun: str
    request_noun: str


JOBS = Service(wire.JOB_TOPICS, NodeKind.computing, "computing node", "job")
INFERENCE = Service(wire.INFERENCE_TOPICS, NodeKind.inference, "inference node", "inference")
