"""Our XCDR1 codec against bytes captured from eProsima's nodes (wire capture §5) and spec §2.11."""
import struct

import pytest

from amlip_py.dds import xcdr1
from amlip_py.dds.wire import MsData, MsReference, MsRequest, Status
from amlip_py.types.AmlipIdDataType import AmlipIdDataType


def hexbytes(text: str) -> bytes:
    return bytes.fromhex("".join(text.split()))


def make_id(name: str, rand: str) -> AmlipIdDataType:
    return AmlipIdDataType.from_wire(name.encode(), bytes.fromhex(rand))


CLIENT = make_id("InteropMain", "3f852317")
SERVER = make_id("InteropComputing", "38129598")
MAIN = make_id("Main", "0a1b2c3d")
COMP = make_id("Comp", "01020304")

# (bytes exactly as captured, body offsets of alignment padding: Fast CDR may leave garbage there)
CAPTURED_REQUEST = hexbytes("00010000 0c000000 496e7465726f704d61696e00 3f852317 00000000")
CAPTURED_REFERENCE = hexbytes("""00010000 0c000000 496e7465726f704d61696e00 3f852317 00000000
    11000000 496e7465726f70436f6d707574696e6700 38129598 000000""")
CAPTURED_JOB = hexbytes("""00010000 0c000000 496e7465726f704d61696e00 3f852317 00000000
    11000000 496e7465726f70436f6d707574696e6700 38129598 000000
    11000000 01 68656c6c6f20696e7465726f70206a6f62 0000""")
CAPTURED_SOLUTION = CAPTURED_JOB.replace(b"hello interop job", b"HELLO INTEROP JOB")
CAPTURED_STATUS_COMPUTING = hexbytes(
    "00010000 11000000 496e7465726f70436f6d707574696e6700 0426fd0b 000000 04000000 01000000")
CAPTURED_STATUS_MAIN = hexbytes("00010000 0c000000 496e7465726f704d61696e00 bc594549 03000000 01000000")


def masked(payload: bytes, padding_offsets) -> bytes:
    """Payload with the options byte and the alignment padding bytes zeroed (their content is free)."""
    out = bytearray(payload)
    out[3] = 0
    for offset in padding_offsets:
        out[4 + offset] = 0
    return bytes(out)


def strip_tail(payload: bytes) -> bytes:
    """Drop the tail padding announced in the options byte (ours) or implied by length (capture)."""
    return payload[:len(payload) - (payload[3] & 3)] if payload[3] else payload


@pytest.mark.parametrize("sample, captured, padding", [
    (MsRequest(CLIENT, 0), CAPTURED_REQUEST, [21, 22, 23]),
    (MsReference(CLIENT, 0, SERVER), CAPTURED_REFERENCE, [21, 22, 23]),
    (MsData.build(CLIENT, 0, SERVER, b"hello interop job"), CAPTURED_JOB, [21, 22, 23, 53, 54, 55]),
    (MsData.build(CLIENT, 0, SERVER, b"HELLO INTEROP JOB"), CAPTURED_SOLUTION, [21, 22, 23, 53, 54, 55]),
    (Status(make_id("InteropComputing", "0426fd0b"), 4, 1), CAPTURED_STATUS_COMPUTING, [26, 27, 28]),
    (Status(make_id("InteropMain", "bc594549"), 3, 1), CAPTURED_STATUS_MAIN, []),
])
def test_serializer_reproduces_capture(sample, captured, padding):
    ours = sample.serialize()
    assert len(ours) % 4 == 0
    assert ours[:3] == b"\x00\x01\x00"
    assert ours[3] == -len(strip_tail(ours)) % 4 or ours[3] == len(ours) - len(strip_tail(ours))
    assert ours[len(ours) - ours[3]:] == bytes(ours[3]), "tail padding must be zeros"
    assert masked(ours, padding) == masked(captured.ljust(len(ours), b"\0"), padding)


def test_tail_padding_counts_in_options_byte():
    payload = MsReference(CLIENT, 0, SERVER).serialize()
    assert len(payload) == 4 + 49 + 3 and payload[3] == 3
    job = MsData.build(CLIENT, 0, SERVER, b"hello interop job").serialize()
    assert len(job) == 4 + 74 + 2 and job[3] == 2


@pytest.mark.parametrize("captured", [CAPTURED_JOB, CAPTURED_SOLUTION])
def test_parse_captured_data(captured):
    sample = MsData.deserialize(captured)
    assert sample.client_id == CLIENT and str(sample.client_id) == "InteropMain.3f.85.23.17"
    assert sample.server_id == SERVER and str(sample.server_id) == "InteropComputing.38.12.95.98"
    assert sample.task_id == 0 and sample.has_been_allocated
    assert bytes(sample.payload).lower() == b"hello interop job"


def test_parse_captured_request_reference_status():
    assert MsRequest.deserialize(CAPTURED_REQUEST) == MsRequest(CLIENT, 0)
    assert MsReference.deserialize(CAPTURED_REFERENCE) == MsReference(CLIENT, 0, SERVER)
    status = Status.deserialize(CAPTURED_STATUS_COMPUTING)
    assert (str(status.id), status.node_kind, status.state) == ("InteropComputing.04.26.fd.0b", 4, 1)


def test_padding_garbage_is_ignored():
    garbage = bytearray(CAPTURED_JOB)
    garbage[4 + 21:4 + 24] = b"\xde\xad\xbe"
    assert MsData.deserialize(bytes(garbage)).payload == b"hello interop job"


WORKED = {  # spec §2.11, as Fast DDS sends them (no tail padding)
    "request": "00 01 00 00 05 00 00 00 4d 61 69 6e 00 0a 1b 2c 3d 00 00 00 07 00 00 00",
    "reference": "00 01 00 00 05 00 00 00 4d 61 69 6e 00 0a 1b 2c 3d 00 00 00 07 00 00 00 "
                 "05 00 00 00 43 6f 6d 70 00 01 02 03 04",
    "data": "00 01 00 00 05 00 00 00 4d 61 69 6e 00 0a 1b 2c 3d 00 00 00 07 00 00 00 "
            "05 00 00 00 43 6f 6d 70 00 01 02 03 04 00 00 00 05 00 00 00 01 68 65 6c 6c 6f",
    "status": "00 01 00 00 05 00 00 00 4d 61 69 6e 00 0a 1b 2c 3d 00 00 00 03 00 00 00 01 00 00 00",
}


@pytest.mark.parametrize("name, sample, pad", [
    ("request", MsRequest(MAIN, 7), 0),
    ("reference", MsReference(MAIN, 7, COMP), 3),
    ("data", MsData.build(MAIN, 7, COMP, b"hello"), 2),
    ("status", Status(MAIN, 3, 1), 0),
])
def test_worked_examples(name, sample, pad):
    fast_dds = hexbytes(WORKED[name])
    ours = sample.serialize()
    assert ours == fast_dds[:3] + bytes([pad]) + fast_dds[4:] + bytes(pad)
    assert type(sample).deserialize(fast_dds) == sample
    assert type(sample).deserialize(ours) == sample


def test_undefined_id_alone():
    assert xcdr1.encode_id((b"", bytes(4))) == hexbytes("00 01 00 03 01 00 00 00 00 00 00 00 00 00 00 00")
    assert xcdr1.decode_id(hexbytes("00 01 00 00 01 00 00 00 00 00 00 00 00")) == (b"", bytes(4))


def test_decodes_big_endian():
    be = b"\x00\x00\x00\x00" + struct.pack(">I", 5) + b"Main\x00" + bytes.fromhex("0a1b2c3d") + bytes(3) \
        + struct.pack(">I", 7) + struct.pack(">I", 5) + b"Comp\x00" + bytes.fromhex("01020304") + bytes(3) \
        + struct.pack(">I", 5) + b"\x01hello"
    sample = MsData.deserialize(be)
    assert (sample.client_id, sample.task_id, sample.server_id, sample.payload) == (MAIN, 7, COMP, b"hello")
    status = b"\x00\x00\x00\x00" + struct.pack(">I", 5) + b"Main\x00" + bytes.fromhex("0a1b2c3d") + bytes(3) \
        + struct.pack(">II", 3, 1)
    assert Status.deserialize(status) == Status(MAIN, 3, 1)


def test_empty_payload_may_end_after_size():
    body = hexbytes(WORKED["data"])
    without_flag = body[:body.index(bytes.fromhex("05000000 01 68"))] + bytes(4)
    sample = MsData.deserialize(without_flag)
    assert sample.payload == b"" and sample.data_size == 0


def test_long_name_on_wire_is_truncated_to_28_bytes():
    name = b"N" * 40
    payload = xcdr1.encode_request((name, bytes(4)), 1)
    assert MsRequest.deserialize(payload).client_id.name_bytes() == b"N" * 28


@pytest.mark.parametrize("payload, message", [
    (b"\x00\x01", "shorter than the 4-byte encapsulation header"),
    (b"\x00\x07\x00\x00" + bytes(8), "not XCDR1"),
    (b"\x00\x03\x00\x00" + bytes(8), "not XCDR1"),
    (b"\x01\x01\x00\x00" + bytes(8), "not XCDR1"),
    (hexbytes(WORKED["request"])[:20], "task_id needs 4 bytes"),
    (hexbytes("00 01 00 00 ff 00 00 00 4d 61 69 6e 00"), "client_id.name needs 255 bytes"),
    (hexbytes("00 01 00 00 00 00 00 00"), "length 0"),
    (hexbytes("00 01 00 00 02 00 00 00 4d 61 0a 1b 2c 3d"), "not NUL-terminated"),
    (hexbytes(WORKED["data"])[:-1], "data needs 5 bytes"),
    (hexbytes(WORKED["data"])[:42], "data_size needs 4 bytes"),
])
def test_malformed_payloads_are_rejected_clearly(payload, message):
    data_type = MsRequest if len(payload) < 30 else MsData
    with pytest.raises(xcdr1.WireFormatError, match=message) as info:
        data_type.deserialize(payload)
    assert "malformed" in str(info.value)
