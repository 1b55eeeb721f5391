"""XCDR1 (plain CDR) encoding of the AML-IP wire types, written by hand (spec §2).

Why by hand: the job payload travels as raw octets after ``uint32 size, boolean flag`` with no
sequence length, which no IDL type describes, and the stock machinery copies big payloads many
times. This module is pure Python (no DDS import) so the golden-byte tests can drive it directly.

Alignment is relative to the first byte after the 4-byte encapsulation header. We always write
little-endian with header ``00 01 00 pp`` (pp = number of zero tail-pad bytes, Fast CDR reads it)
and accept both endiannesses on input.
"""
from __future__ import annotations

import struct

HEADER_SIZE = 4
ENCODING_BIG_ENDIAN = 0x00
ENCODING_LITTLE_ENDIAN = 0x01

Id = tuple[bytes, bytes]
"""An id on the wire: (name bytes without NUL, 4 rand_id bytes)."""


class WireFormatError(ValueError):
    """A received payload that is not a well-formed AML-IP XCDR1 sample."""


class Encoder:
    """Appends XCDR1 little-endian fields to a body, inserting zero alignment padding."""

    def __init__(self):
        self.body = bytearray()

    def align(self, size: int) -> None:
        self.body.extend(bytes(-len(self.body) % size))

    def uint32(self, value: int) -> None:
        self.align(4)
        self.body.extend(struct.pack("<I", value & 0xFFFFFFFF))

    def boolean(self, value: bool) -> None:
        self.body.append(1 if value else 0)

    def string(self, raw: bytes) -> None:
        self.uint32(len(raw) + 1)
        self.body.extend(raw)
        self.body.append(0)

    def amlip_id(self, wire_id: Id) -> None:
        name, rand_id = wire_id
        self.string(name)
        self.body.extend(rand_id)

    def payload(self, tail: bytes = b"") -> bytes:
        """Header + body + ``tail`` (raw octets) + zero tail padding to a multiple of 4."""
        pad = -(len(self.body) + len(tail)) % 4
        header = bytes((0x00, ENCODING_LITTLE_ENDIAN, 0x00, pad))
        return b"".join((header, self.body, tail, bytes(pad)))


class Decoder:
    """Reads XCDR1 fields of either endianness; every overrun raises WireFormatError."""

    def __init__(self, data: bytes, type_name: str):
        self.data = data
        self.type_name = type_name
        if len(data) < HEADER_SIZE:
            self.fail(f"payload of {len(data)} bytes is shorter than the 4-byte encapsulation header")
        if data[0] != 0x00 or data[1] not in (ENCODING_BIG_ENDIAN, ENCODING_LITTLE_ENDIAN):
            self.fail(f"encapsulation {data[0]:02x} {data[1]:02x} is not XCDR1 (expected 00 00 or 00 01)")
        self.u32 = struct.Struct("<I" if data[1] == ENCODING_LITTLE_ENDIAN else ">I")
        self.pos = HEADER_SIZE

    def fail(self, reason: str):
        raise WireFormatError(f"malformed {self.type_name} sample: {reason}")

    def need(self, size: int, what: str) -> None:
        if self.pos + size > len(self.data):
            self.fail(f"{what} needs {size} bytes at body offset {self.pos - HEADER_SIZE}, "
                      f"only {len(self.data) - self.pos} left")

    def uint32(self, what: str) -> int:
        self.pos += -(self.pos - HEADER_SIZE) % 4
        self.need(4, what)
        (value,) = self.u32.unpack_from(self.data, self.pos)
        self.pos += 4
        return value

    def boolean(self, what: str) -> bool:
        self.need(1, what)
        value = self.data[self.pos] != 0
        self.pos += 1
        return value

    def octets(self, size: int, what: str) -> bytes:
        self.need(size, what)
        value = self.data[self.pos:self.pos + size]
        self.pos += size
        return value

    def string(self, what: str) -> bytes:
        length = self.uint32(f"{what} length")
        if length == 0:
            self.fail(f"{what} has length 0 (a CDR string always counts its NUL)")
        raw = self.octets(length, what)
        if raw[-1] != 0:
            self.fail(f"{what} is not NUL-terminated")
        return raw[:-1]

    def amlip_id(self, what: str) -> Id:
        return self.string(f"{what}.name"), self.octets(4, f"{what}.rand_id")


def encode_request(client: Id, task_id: int) -> bytes:
    enc = Encoder()
    enc.amlip_id(client)
    enc.uint32(task_id)
    return enc.payload()


def decode_request(data: bytes) -> tuple[Id, int]:
    dec = Decoder(data, "ms_request")
    return dec.amlip_id("client_id"), dec.uint32("task_id")


def _reference_fields(enc: Encoder, client: Id, task_id: int, server: Id) -> None:
    enc.amlip_id(client)
    enc.uint32(task_id)
    enc.amlip_id(server)


def _read_reference_fields(dec: Decoder) -> tuple[Id, int, Id]:
    return dec.amlip_id("client_id"), dec.uint32("task_id"), dec.amlip_id("server_id")


def encode_reference(client: Id, task_id: int, server: Id) -> bytes:
    enc = Encoder()
    _reference_fields(enc, client, task_id, server)
    return enc.payload()


def decode_reference(data: bytes) -> tuple[Id, int, Id]:
    return _read_reference_fields(Decoder(data, "ms_reference"))


def encode_data(client: Id, task_id: int, server: Id, payload: bytes) -> bytes:
    """ms_data_GENERIC: the ms_reference fields, then data_size, has_been_allocated (1), raw octets."""
    enc = Encoder()
    _reference_fields(enc, client, task_id, server)
    enc.uint32(len(payload))
    enc.boolean(True)
    return enc.payload(payload)


def decode_data(data: bytes, type_name: str = "ms_data_GENERIC") -> tuple[Id, int, Id, memoryview, bool]:
    """Return (client, task_id, server, payload, has_been_allocated) of an ms_data_GENERIC sample
    (or of a type with its layout, named ``type_name`` in errors).

    The payload is a memoryview into ``data``: jobs can be hundreds of MB, and every copy of a
    fresh buffer that size costs tens of milliseconds.
    """
    dec = Decoder(data, type_name)
    client, task_id, server = _read_reference_fields(dec)
    size = dec.uint32("data_size")
    if size == 0 and dec.pos == len(dec.data):
        return client, task_id, server, memoryview(b""), False
    allocated = dec.boolean("has_been_allocated")
    dec.need(size, "data")
    return client, task_id, server, memoryview(data)[dec.pos:dec.pos + size], allocated


def encode_status(node: Id, node_kind: int, state: int) -> bytes:
    enc = Encoder()
    enc.amlip_id(node)
    enc.uint32(node_kind)
    enc.uint32(state)
    return enc.payload()


def decode_status(data: bytes) -> tuple[Id, int, int]:
    dec = Decoder(data, "status")
    return dec.amlip_id("id"), dec.uint32("node_kind"), dec.uint32("state")


def encode_id(node: Id) -> bytes:
    enc = Encoder()
    enc.amlip_id(node)
    return enc.payload()


def decode_id(data: bytes) -> Id:
    return Decoder(data, "AMLIP-ID").amlip_id("id")


def encode_progress(client: Id, task_id: int, server: Id, done: int, total: int, elapsed_ms: int,
                    detail: bytes) -> bytes:
    """Our progress record (not an AML-IP type): the ms_reference fields, counts, time, detail text."""
    enc = Encoder()
    _reference_fields(enc, client, task_id, server)
    for value in (done, total, elapsed_ms):
        enc.uint32(value)
    enc.string(detail)
    return enc.payload()


def decode_progress(data: bytes) -> tuple[Id, int, Id, int, int, int, bytes]:
    """Return (client, task_id, server, done, total, elapsed_ms, detail) of a progress record."""
    dec = Decoder(data, "progress")
    client, task_id, server = _read_reference_fields(dec)
    counts = [dec.uint32(what) for what in ("done", "total", "elapsed_ms")]
    return client, task_id, server, *counts, dec.string("detail")


def encode_statistics(name: bytes, server: Id, data: bytes) -> bytes:
    """AMLIP-MODEL-STATISTICS: name, data_size, server_id, then the data as raw octets."""
    enc = Encoder()
    enc.string(name)
    enc.uint32(len(data))
    enc.amlip_id(server)
    return enc.payload(data)


def decode_statistics(data: bytes) -> tuple[bytes, Id, memoryview]:
    """Return (name, server, data) of a model statistics sample; ``data`` is a view into ``data``."""
    dec = Decoder(data, "AMLIP-MODEL-STATISTICS")
    name = dec.string("name")
    size = dec.uint32("data_size")
    server = dec.amlip_id("server_id")
    dec.need(size, "data")
    return name, server, memoryview(data)[dec.pos:dec.pos + size]
