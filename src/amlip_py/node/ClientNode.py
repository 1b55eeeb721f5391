"""AML-IP WAN agent client (eProsima ``amlip_py.node.ClientNode``): not provided here.

Constructing one raises ``NodeNotProvided`` naming the ``amlip_agent -e client`` command to run
instead (see ``not_provided``).
"""
from __future__ import annotations

from amlip_py.node.not_provided import agent_not_provided
from amlip_py.types.Address import Address


class ClientNode:
    """Connects this network's domain to an agent server elsewhere; run eProsima's agent instead."""

    def __init__(self, name: str, connection_addresses: Address, domain: int = None):
        raise agent_not_provided("ClientNode", "client", name, domain, connect=connection_addresses)
