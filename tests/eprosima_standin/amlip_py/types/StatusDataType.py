"""Stand-in for eProsima's amlip_py.types.StatusDataType, with its enums as they are.

Its ``NodeKind.EDGE`` and ``NodeKind.STATUS`` hold the values of status and meta, its enums are
plain ``Enum`` (no ``==`` with ints) and it has seven node kinds; all kept, so scripts meet them.
"""
from enum import Enum

from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_swig import NodeKind_agent, NodeKind_computing, NodeKind_discovery, NodeKind_main
from amlip_swig import NodeKind_meta, NodeKind_status, NodeKind_undetermined
from amlip_swig import StateKind_dropped, StateKind_running, StateKind_stopped, StateKind_unknown
from amlip_swig import StatusDataType as cpp_StatusDataType


class NodeKind(Enum):
    UNDETERMINED = NodeKind_undetermined
    DISCOVERY = NodeKind_discovery
    AGENT = NodeKind_agent
    MAIN = NodeKind_main
    COMPUTING = NodeKind_computing
    EDGE = NodeKind_status
    STATUS = NodeKind_meta


class StateKind(Enum):
    UNKNOWN = StateKind_unknown
    RUNNING = StateKind_running
    STOPPED = StateKind_stopped
    DROPPED = StateKind_dropped


class StatusDataType(cpp_StatusDataType):
    """A node's status; undefined unless all three arguments are given."""

    def __init__(self, id: AmlipIdDataType = None, node_kind: NodeKind = None, state: StateKind = None):
        if not id or not node_kind or not state:
            super().__init__()
        else:
            super().__init__(id, node_kind, state)
