"""Node status published on ``amlip/status``: who, what kind, which state (spec §2.9, §3.8).

The enums spell their members in upper case, as eProsima's do, and keep this project's earlier
lower-case spellings as aliases (same member, same wire value). eProsima's ``EDGE`` and ``STATUS``
carry the values of status and meta by mistake; ours carry the wire's. The module-level ints ``NodeKind_main``,
``StateKind_running``, ... are the names eProsima's module imports from its SWIG layer.
"""
from __future__ import annotations

from enum import IntEnum

from amlip_py.types.AmlipIdDataType import AmlipIdDataType


class NodeKind(IntEnum):
    """Kind of node, with the values C++ AML-IP puts on the wire."""

    UNDETERMINED = 0
    DISCOVERY = 1
    AGENT = 2
    MAIN = 3
    COMPUTING = 4
    STATUS = 5
    META = 6
    EDGE = 7
    INFERENCE = 8
    MODEL_RECEIVER = 9
    MODEL_SENDER = 10
    FIWARE = 11
    undetermined = 0
    discovery = 1
    agent = 2
    main = 3
    computing = 4
    status = 5
    meta = 6
    edge = 7
    inference = 8
    model_receiver = 9
    model_sender = 10
    fiware = 11


class StateKind(IntEnum):
    """State of a node, with the wire values."""

    UNKNOWN = 0
    RUNNING = 1
    STOPPED = 2
    DROPPED = 3
    unknown = 0
    running = 1
    stopped = 2
    dropped = 3


NodeKind_undetermined = int(NodeKind.undetermined)
NodeKind_discovery = int(NodeKind.discovery)
NodeKind_agent = int(NodeKind.agent)
NodeKind_main = int(NodeKind.main)
NodeKind_computing = int(NodeKind.computing)
NodeKind_status = int(NodeKind.status)
NodeKind_meta = int(NodeKind.meta)
NodeKind_edge = int(NodeKind.edge)
NodeKind_inference = int(NodeKind.inference)
NodeKind_model_receiver = int(NodeKind.model_receiver)
NodeKind_model_sender = int(NodeKind.model_sender)
NodeKind_fiware = int(NodeKind.fiware)
StateKind_unknown = int(StateKind.unknown)
StateKind_running = int(StateKind.running)
StateKind_stopped = int(StateKind.stopped)
StateKind_dropped = int(StateKind.dropped)


def _enum_name(enum: type[IntEnum], value: int) -> str:
    try:
        return enum(value).name.lower()
    except ValueError:
        return str(value)


class StatusDataType:
    """A node's status; any falsy argument gives the undefined status, like upstream.

    ``node_kind()`` and ``state()`` return ints (out-of-range wire values are kept).
    """

    def __init__(self, id: AmlipIdDataType | None = None, node_kind: int | None = None,
                 state: int | None = None):
        if not id or not node_kind or not state:
            id, node_kind, state = AmlipIdDataType(), NodeKind.undetermined, StateKind.unknown
        self._id = id
        self._node_kind = int(node_kind)
        self._state = int(state)

    @staticmethod
    def type_name() -> str:
        return "status"

    def id(self) -> AmlipIdDataType:
        return self._id

    def node_kind(self) -> int:
        return self._node_kind

    def state(self) -> int:
        return self._state

    def is_defined(self) -> bool:
        return (self._id.is_defined() and self._node_kind != NodeKind.undetermined
                and self._state != StateKind.unknown)

    def to_string(self) -> str:
        return (f"STATUS{{ID{{{self._id}}}, {_enum_name(NodeKind, self._node_kind)}, "
                f"{_enum_name(StateKind, self._state)}}}")

    __str__ = to_string

    def __repr__(self) -> str:
        return f"StatusDataType({self.to_string()!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StatusDataType):
            return NotImplemented
        return (self._id, self._node_kind, self._state) == (other._id, other._node_kind, other._state)

    def __hash__(self) -> int:
        return hash((self._id, self._node_kind, self._state))
