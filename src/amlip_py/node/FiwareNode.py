"""AML-IP FIWARE bridge (eProsima ``amlip_py.node.FiwareNode``): not provided here.

Constructing one raises ``NodeNotProvided`` saying what to use instead (see ``not_provided``).
"""
from __future__ import annotations

from amlip_py.node.not_provided import FIWARE_NOT_PROVIDED, NodeNotProvided


class FiwareNode:
    """Feeds a FIWARE Context Broker's entity data to inference nodes; see the error for what to use."""

    def __init__(self, name: str, server_ip: str, server_port: int, context_broker_ip: str = "localhost",
                 context_broker_port: int = 1026, entity_id: str = "ID_0", entity_data: str = "data",
                 entity_solution: str = "inference", domain: int = None, logger=None):
        raise NodeNotProvided(FIWARE_NOT_PROVIDED)
