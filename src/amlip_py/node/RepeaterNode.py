"""AML-IP WAN agent repeater (eProsima ``amlip_py.node.RepeaterNode``): not provided here.

Constructing one raises ``NodeNotProvided`` naming the ``amlip_agent -e repeater`` command to run
instead (see ``not_provided``).
"""
from __future__ import annotations

from amlip_py.node.not_provided import agent_not_provided
from amlip_py.types.Address import Address


class RepeaterNode:
    """Relays between agent clients that cannot reach each other; run eProsima's agent instead."""

    def __init__(self, name: str, listening_addresses: Address, connection_addresses: Address = None):
        raise agent_not_provided("RepeaterNode", "repeater", name, listen=listening_addresses,
                                 connect=connection_addresses)
