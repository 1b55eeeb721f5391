"""Opaque job or solution bytes, shared by JobDataType and JobSolutionDataType.

Why: C++ AML-IP uses one ``GenericDataType`` for both; keeping one Python base avoids two copies of
the same conversions (str <-> UTF-8, bytes, int vector).
"""
from __future__ import annotations

BytesLike = bytes | bytearray | memoryview


class GenericDataType:
    """Payload built from ``str`` (stored as UTF-8) or a bytes-like object; falsy means empty.

    Parameters
    ----------
    message : str or bytes-like, optional
        The payload. Strings are UTF-8 encoded (lone surrogates kept via ``surrogateescape``).
    """

    def __init__(self, message: str | BytesLike | None = None):
        if not message:
            self._data = b""
        elif isinstance(message, str):
            self._data = message.encode("utf-8", "surrogateescape")
        elif isinstance(message, (bytes, bytearray, memoryview)):
            self._data = bytes(message)
        else:
            raise TypeError(f"{type(self).__name__} takes str or bytes-like, got {type(message).__name__}")
        self._allocated = bool(self._data)

    @classmethod
    def from_wire(cls, data: bytes | memoryview, has_been_allocated: bool = True):
        """Wrap bytes (or a memoryview into a received sample) without copying them."""
        new = cls()
        new._data = data
        new._allocated = has_been_allocated
        return new

    @staticmethod
    def type_name() -> str:
        return "GENERIC"

    def to_string(self) -> str:
        return str(self._data, "utf-8", "surrogateescape")

    __str__ = to_string

    def to_bytes(self) -> bytes:
        if isinstance(self._data, memoryview):
            self._data = bytes(self._data)
        return self._data

    def to_vector(self) -> tuple[int, ...]:
        return tuple(self._data)

    def data_size(self) -> int:
        return len(self._data)

    def has_been_allocated(self) -> bool:
        return self._allocated

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GenericDataType):
            return NotImplemented
        return self._data == other._data

    __hash__ = None

    def __repr__(self) -> str:
        preview = bytes(self._data[:40])
        more = "..." if len(self._data) > 40 else ""
        return f"{type(self).__name__}({preview!r}{more}, size={len(self._data)})"


def to_payload(value: GenericDataType | str | BytesLike) -> bytes:
    """The bytes to send for a job or solution given as a data type, ``str`` or bytes-like."""
    if isinstance(value, GenericDataType):
        return value.to_bytes()
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return GenericDataType(value).to_bytes()
    raise TypeError(f"expected JobDataType, JobSolutionDataType, str or bytes, got {type(value).__name__}")
