"""AML-IP WAN agent server (eProsima ``amlip_py.node.ServerNode``): not provided here.

Constructing one raises ``NodeNotProvided`` naming the ``amlip_agent -e server`` command to run
instead (see ``not_provided``).
"""
from __future__ import annotations

from amlip_py.node.not_provided import agent_not_provided
from amlip_py.types.Address import Address


class ServerNode:
    """Lets agent clients elsewhere join this network's domain; run eProsima's agent instead."""

    def __init__(self, name: str, listening_addresses: Address, domain: int = None):
        raise agent_not_provided("ServerNode", "server", name, domain, listen=listening_addresses)
