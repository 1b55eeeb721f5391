"""Identity of an AML-IP node: a name of at most 28 bytes plus 4 random bytes.

Why: the id string ``<name>.<h0>.<h1>.<h2>.<h3>`` is part of every targeted DDS topic name, so both
sides must build it identically (spec §0, §2.3).
"""
from __future__ import annotations

import functools
import os

from amlip_py.aliases import keyword_aliases

NAME_MAX_BYTES = 28
RAND_ID_BYTES = 4


@functools.total_ordering
class AmlipIdDataType:
    """A node id; a falsy ``name`` gives the undefined id (empty name, zero bytes).

    Parameters
    ----------
    name : str or bytes, optional
        Node name; truncated to 28 UTF-8 bytes like the C++ implementation does.
    """

    def __init__(self, name: str | bytes | None = None):
        if not name:
            self._name = b""
            self._rand_id = bytes(RAND_ID_BYTES)
            return
        raw = name.encode("utf-8") if isinstance(name, str) else bytes(name)
        self._name = truncate_name(raw)
        self._rand_id = os.urandom(RAND_ID_BYTES)

    @classmethod
    def from_wire(cls, name: bytes, rand_id: bytes) -> AmlipIdDataType:
        """Build an id from the bytes found in a sample (name truncated, cut at a NUL)."""
        if len(rand_id) != RAND_ID_BYTES:
            raise ValueError(f"rand_id must be {RAND_ID_BYTES} bytes, got {len(rand_id)}")
        new = cls()
        new._name = truncate_name(name)
        new._rand_id = bytes(rand_id)
        return new

    @classmethod
    def new_unique_id(cls, name: str | None = None) -> AmlipIdDataType:
        return cls(name or "")

    @classmethod
    def undefined_id(cls) -> AmlipIdDataType:
        return cls()

    @staticmethod
    def type_name() -> str:
        return "AMLIP-ID"

    def name(self) -> str:
        return self._name.decode("utf-8", "surrogateescape")

    def name_bytes(self) -> bytes:
        return self._name

    def id(self) -> bytes:
        return self._rand_id

    @keyword_aliases(rand_id="id")
    def set_id(self, id: bytes | tuple[int, ...]) -> None:
        """Replace the 4 random bytes (``id`` as bytes or 4 ints, as eProsima's tuple; or ``rand_id=``)."""
        if isinstance(id, int) or len(id) != RAND_ID_BYTES:
            raise ValueError(f"id must be {RAND_ID_BYTES} bytes, got {id!r}")
        self._rand_id = bytes(id)

    def base64_name(self) -> bytes:
        """The 28-byte zero-padded name array (upstream's misnomer: it is not base64)."""
        return self._name.ljust(NAME_MAX_BYTES, b"\0")

    def is_defined(self) -> bool:
        return bool(self._name) or any(self._rand_id)

    def to_string(self) -> str:
        return ".".join([self.name(), *(f"{b:02x}" for b in self._rand_id)])

    to_dds_string = to_string
    __str__ = to_string

    def __repr__(self) -> str:
        return f"AmlipIdDataType({self.to_string()!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AmlipIdDataType):
            return NotImplemented
        return (self._name, self._rand_id) == (other._name, other._rand_id)

    def __lt__(self, other: AmlipIdDataType) -> bool:
        if not isinstance(other, AmlipIdDataType):
            return NotImplemented
        return (self.base64_name(), self._rand_id) < (other.base64_name(), other._rand_id)

    def __hash__(self) -> int:
        return hash((self._name, self._rand_id))


def truncate_name(raw: bytes) -> bytes:
    """Cut at the first NUL and keep at most 28 bytes, as C++ AML-IP stores names."""
    return raw.split(b"\0", 1)[0][:NAME_MAX_BYTES]
