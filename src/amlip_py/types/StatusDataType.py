"""Node status published on ``amlip/status``: who, what kind, which state (spec §2.9, §3.8)."""
from __future__ import annotations

from enum import IntEnum

from amlip_py.types.AmlipIdDataType import AmlipIdDataType


class NodeKind(IntEnum):
    """Kind of node, with the values C++ AML-IP puts on the wire."""

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

    unknown = 0
    running = 1
    stopped = 2
    dropped = 3


def _enum_name(enum: type[IntEnum], value: int) -> str:
    try:
        return enum(value).name
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
