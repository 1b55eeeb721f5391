"""What a model sender says about its model, for receivers to choose whose model to ask for
(eProsima import path).

Why a type of its own: unlike a job, statistics carry a name and the id of the sender, which a
receiver passes to ``request_model``.
"""
from __future__ import annotations

from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.GenericDataType import BytesLike, GenericDataType

DEFAULT_NAME = "ModelStatisticsDataTypeName"
"""The name of statistics built without one, as in C++ AML-IP."""


class ModelStatisticsDataType(GenericDataType):
    """Statistics bytes (see GenericDataType) with a ``name()`` and, once received, the sender's
    ``server_id()``.

    Parameters
    ----------
    message : str or bytes, optional
        The name (eProsima's parameter name); falsy gives ``DEFAULT_NAME``.
    data : str or bytes-like, optional
        The statistics; strings are stored as UTF-8.
    size : int, optional
        Keep only the first ``size`` bytes of ``data``.
    """

    def __init__(self, message: str | bytes | None = None, data: str | BytesLike | None = None,
                 size: int | None = None):
        super().__init__(data)
        if size is not None:
            if not 0 <= size <= len(self._data):
                raise ValueError(f"size must be in 0..{len(self._data)} (the data's length), got {size}")
            self._data = self._data[:size]
        name = message or DEFAULT_NAME
        self._name = name if isinstance(name, str) else bytes(name).decode("utf-8", "surrogateescape")
        self._server_id = AmlipIdDataType.undefined_id()

    @classmethod
    def received(cls, name: str, data: bytes | memoryview, server_id: AmlipIdDataType) -> ModelStatisticsDataType:
        """Statistics as received: the sender's name for them, their bytes and the sender's id."""
        new = cls(name)
        new._data = bytes(data)
        new._server_id = server_id
        return new

    @staticmethod
    def type_name() -> str:
        return "AMLIP-MODEL-STATISTICS"

    def name(self) -> str:
        return self._name

    def server_id(self) -> AmlipIdDataType:
        """Id of the model sender that published these statistics (undefined before sending)."""
        return self._server_id

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ModelStatisticsDataType):
            return NotImplemented
        return (self._name, self._data, self._server_id) == (other._name, other._data, other._server_id)

    __hash__ = None

    def __repr__(self) -> str:
        return f"{super().__repr__()[:-1]}, name={self._name!r}, server_id={self._server_id})"
