"""Stand-in for eProsima's SWIG module: the value objects its nodes hand to callbacks, and enum ints.

Mirrors what a script can notice (spec amlip-python-api.md §4): ids give tuples of ints and are
unhashable, data compare by identity, statuses give ints.
"""
from __future__ import annotations

import os

NodeKind_undetermined = 0
NodeKind_discovery = 1
NodeKind_agent = 2
NodeKind_main = 3
NodeKind_computing = 4
NodeKind_status = 5
NodeKind_meta = 6
NodeKind_edge = 7
NodeKind_inference = 8
StateKind_unknown = 0
StateKind_running = 1
StateKind_stopped = 2
StateKind_dropped = 3


class GenericDataType:
    """Job, inference or solution bytes; ``==`` is identity, as for a SWIG proxy."""

    def __init__(self, data: str | bytes | None = None):
        self._data = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else bytes(data or b"")

    def to_string(self) -> str:
        return self._data.decode("utf-8", "surrogateescape")

    __str__ = to_string

    def to_vector(self) -> tuple[int, ...]:
        return tuple(self._data)

    def data_size(self) -> int:
        return len(self._data)

    def has_been_allocated(self) -> bool:
        return bool(self._data)

    @staticmethod
    def type_name() -> str:
        return "GENERIC"


JobDataType = GenericDataType
JobSolutionDataType = GenericDataType
InferenceDataType = GenericDataType
InferenceSolutionDataType = GenericDataType
ModelRequestDataType = GenericDataType
ModelReplyDataType = GenericDataType


class AmlipIdDataType:
    """A node id: ``id()`` and ``base64_name()`` are tuples of ints; not hashable."""

    def __init__(self, name: str | None = None, id: tuple[int, ...] | None = None):
        self._name = (name or "").encode()[:28]
        self._id = tuple(id) if id is not None else tuple(os.urandom(4) if name else bytes(4))

    def name(self) -> str:
        return self._name.decode()

    def id(self) -> tuple[int, ...]:
        return self._id

    def base64_name(self) -> tuple[int, ...]:
        return tuple(self._name.ljust(28, b"\0"))

    def is_defined(self) -> bool:
        return bool(self._name) or any(self._id)

    def to_string(self) -> str:
        return ".".join([self.name(), *(f"{byte:02x}" for byte in self._id)])

    __str__ = to_string

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AmlipIdDataType) and (self._name, self._id) == (other._name, other._id)

    __hash__ = None


class StatusDataType:
    """A node's status; ``node_kind()`` and ``state()`` are ints."""

    def __init__(self, id: AmlipIdDataType | None = None, node_kind=None, state=None):
        self._values = (id or AmlipIdDataType(), int(getattr(node_kind, "value", node_kind) or 0),
                        int(getattr(state, "value", state) or 0))

    def id(self) -> AmlipIdDataType:
        return self._values[0]

    def node_kind(self) -> int:
        return self._values[1]

    def state(self) -> int:
        return self._values[2]

    def is_defined(self) -> bool:
        return self._values[0].is_defined() and 0 not in self._values[1:]

    def to_string(self) -> str:
        return "STATUS{{ID{{{}}}, {}, {}}}".format(*self._values)

    __str__ = to_string


class ModelStatisticsDataType(GenericDataType):
    """A sender's statistics: a name, bytes and (once received) the sender's id."""

    def __init__(self, name: str | bytes | None = None, data: str | bytes | None = None, size: int | None = None):
        super().__init__(data[:size] if size else data)
        self._name = (name.decode() if isinstance(name, bytes) else name) or "ModelStatisticsDataTypeName"
        self._server_id = AmlipIdDataType()

    def name(self) -> str:
        return self._name

    def server_id(self) -> AmlipIdDataType:
        return self._server_id

    @staticmethod
    def type_name() -> str:
        return "AMLIP-MODEL-STATISTICS"
