"""The value types keep eProsima's API (and fix its known slips)."""
import pytest

from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.JobDataType import JobDataType
from amlip_py.types.JobSolutionDataType import JobSolutionDataType
from amlip_py.types.StatusDataType import NodeKind, StateKind, StatusDataType
from amlip_py.types.TaskId import TaskId


def test_id_string_and_identity():
    node = AmlipIdDataType.from_wire(b"Main", bytes([0x0a, 0x1b, 0x2c, 0x3d]))
    assert str(node) == node.to_string() == node.to_dds_string() == "Main.0a.1b.2c.3d"
    assert node.name() == "Main" and node.id() == bytes([10, 27, 44, 61]) and node.is_defined()
    assert str(AmlipIdDataType()) == ".00.00.00.00" and not AmlipIdDataType().is_defined()
    copy = AmlipIdDataType.from_wire(b"Main", bytes([0x0a, 0x1b, 0x2c, 0x3d]))
    assert copy == node and hash(copy) == hash(node) and len({copy, node}) == 1
    assert AmlipIdDataType.from_wire(b"A", bytes(4)) < AmlipIdDataType.from_wire(b"B", bytes(4))
    assert AmlipIdDataType.from_wire(b"A", bytes(4)) < AmlipIdDataType.from_wire(b"A", b"\0\0\0\1")


def test_id_name_truncated_to_28_utf8_bytes_and_random_part():
    long = AmlipIdDataType("x" * 40)
    assert long.name() == "x" * 28 and len(long.id()) == 4
    assert AmlipIdDataType("é" * 20).name_bytes() == ("é" * 14).encode()


def test_job_from_str_and_bytes():
    job = JobDataType("héllo")
    assert job.to_string() == "héllo" and job.to_bytes() == "héllo".encode()
    assert job.data_size() == 6 and job.has_been_allocated() and job.to_vector()[0] == ord("h")
    assert JobDataType(b"\xff\x00a").to_string() == "\udcff\x00a"
    assert JobDataType(bytearray(b"ab")).to_bytes() == JobDataType(memoryview(b"ab")).to_bytes() == b"ab"
    empty = JobSolutionDataType()
    assert empty.data_size() == 0 and not empty.has_been_allocated() and str(empty) == ""
    assert JobDataType.type_name() == JobSolutionDataType.type_name() == "GENERIC"
    with pytest.raises(TypeError, match="str or bytes-like"):
        JobDataType(42)


def test_task_id_is_an_int():
    assert TaskId() == 0 and TaskId(5) == 5 and isinstance(TaskId(5), int)


def test_status_string_and_enums():
    node = AmlipIdDataType.from_wire(b"Main", bytes([0x0a, 0x1b, 0x2c, 0x3d]))
    status = StatusDataType(node, NodeKind.main, StateKind.running)
    assert str(status) == "STATUS{ID{Main.0a.1b.2c.3d}, main, running}"
    assert status.id() == node and status.node_kind() == 3 and status.state() == 1 and status.is_defined()
    assert not StatusDataType().is_defined() and not StatusDataType().id().is_defined()
    assert [k.value for k in NodeKind] == list(range(12))
    assert (NodeKind.status, NodeKind.edge, NodeKind.fiware) == (5, 7, 11)
    assert [s.name for s in StateKind] == ["UNKNOWN", "RUNNING", "STOPPED", "DROPPED"]
    assert [k.name for k in NodeKind][5:] == ["STATUS", "META", "EDGE", "INFERENCE", "MODEL_RECEIVER",
                                              "MODEL_SENDER", "FIWARE"]
    assert StateKind.running is StateKind.RUNNING and NodeKind.edge is NodeKind.EDGE == 7
    assert "99" in str(StatusDataType(node, 99, StateKind.running))
