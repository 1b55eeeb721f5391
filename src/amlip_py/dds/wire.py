"""The AML-IP wire contract on Cyclone DDS: types, topic names and QoS (spec §1.2-§1.5, §2).

Why: eProsima's nodes match our endpoints purely on exact topic and type names, keyless topics,
XCDR1 and RELIABLE + TRANSIENT_LOCAL QoS; everything that decides interoperability lives here.

The IDL dataclasses declare the wire type to Cyclone (type name, type object, no key). Their
``serialize``/``deserialize`` are replaced by the hand-written codec of ``xcdr1``, and at run time
their id fields hold :class:`AmlipIdDataType` values. ``MsData`` also carries ``payload`` (the job or
solution bytes, which travel as trailing octets after the declared prefix).

The model-manager exchange (collaborative learning) uses ``ModelStatistics`` on
``MODEL_STATISTICS_TOPIC`` and a request/reply pair, ``RpcRequest``/``RpcReply``, on topics targeted
at one node (``MODEL_RPC_TOPICS``); both RPC types have ``MsData``'s layout under other type names.
Facts from eProsima's v0.3.0 sources (``dds/rpc``, ``dds/network_utils/topic.hpp``), confirmed
against its running nodes.
"""
# No "from __future__ import annotations": cyclonedds resolves the field annotations at run time.
from dataclasses import dataclass

import cyclonedds.idl.types as idl
from cyclonedds.idl import IdlStruct
from cyclonedds.qos import Policy, Qos
from cyclonedds.util import duration

from amlip_py.dds import xcdr1
from amlip_py.types.AmlipIdDataType import NAME_MAX_BYTES, AmlipIdDataType

TOPIC_PREFIX = "amlip/"
STATUS_TOPIC = "amlip/status"


@dataclass(frozen=True)
class ServiceTopics:
    """Topic names of one multiservice exchange (spec §1.2): shared ``request`` and ``target``
    topics, and the bases of targeted ones (see :func:`targeted_topic`)."""

    request: str
    target: str
    reply_base: str
    data_base: str
    solution_base: str

    @classmethod
    def on(cls, base: str) -> "ServiceTopics":
        """The topics of the exchange on ``base`` (``job`` or ``inference``)."""
        return cls(f"{TOPIC_PREFIX}{base}_request_availability", f"{TOPIC_PREFIX}{base}_task_target",
                   f"{base}_reply_available", f"{base}_task_data", f"{base}_task_solution")


JOB_TOPICS = ServiceTopics.on("job")
INFERENCE_TOPICS = ServiceTopics.on("inference")
REQUEST_TOPIC = JOB_TOPICS.request
TARGET_TOPIC = JOB_TOPICS.target
REPLY_TOPIC_BASE = JOB_TOPICS.reply_base
DATA_TOPIC_BASE = JOB_TOPICS.data_base
SOLUTION_TOPIC_BASE = JOB_TOPICS.solution_base
MODEL_STATISTICS_TOPIC = "amlip/model_statistics"


@dataclass(frozen=True)
class RpcTopics:
    """Bases of the two topics of a request/reply exchange, each targeted at one node
    (``amlip/rpc_request_model_<server id>``, ``amlip/rpc_reply_model_<client id>``)."""

    request_base: str
    reply_base: str

    @classmethod
    def on(cls, base: str) -> "RpcTopics":
        return cls(f"rpc_request_{base}", f"rpc_reply_{base}")


MODEL_RPC_TOPICS = RpcTopics.on("model")
PROGRESS_TOPIC = "amlipy/progress"
"""Our own topic (type ``amlipy::progress``): outside the ``amlip/`` prefix, so it can never clash
with an AML-IP topic, and eProsima's nodes never create a reader or writer for it."""
PROGRESS_HISTORY = 64
"""Records a progress writer or reader holds: progress is volatile and only the latest matters,
but a burst (several jobs starting at once) must not overwrite records not yet delivered."""

HISTORY_FOR_LATE_JOINERS = 5000
"""Samples a request/reply/target writer keeps for readers that match later (spec §1.4, §3.6)."""
PAYLOAD_HISTORY_FOR_LATE_JOINERS = 1
"""The same for job data and solution writers; deviation from spec §1.5 (5000). Cyclone keeps this
many samples *after* they are acknowledged, so 5000 made a main node grow by every job it sent
(measured: +19 MB RSS per 20 MB job, flat at 1). Samples not yet acknowledged by a matched reader
are kept regardless (KEEP_ALL). The one reader of a targeted topic exists, and is discovered with
the rest of its participant, before the writer is created on first use, so this history only
matters if that discovery lagged behind a whole job; one sample covers the first write."""
WRITE_BLOCKING_SECONDS = 60
READER_BLOCKING_MS = 100

FORBIDDEN_IN_TOPIC_NAMES = set('*?[]"\'#$')


def check_node_name(name: object) -> str:
    """Return ``name`` if it can appear in a targeted topic name, else raise ValueError with a caret.

    Cyclone rejects topic names with whitespace, non-ASCII or non-printable characters and
    ``* ? [ ] " ' # $``; names over 28 bytes would be truncated, so the targeted topics would not
    carry the name the user gave.
    """
    if not isinstance(name, str):
        raise TypeError(f"node name must be a str, got {type(name).__name__}")
    if not name:
        raise ValueError("node name must not be empty")
    for index, char in enumerate(name):
        if char.isspace():
            reason = "whitespace is not allowed in DDS topic names"
        elif not char.isascii() or not char.isprintable():
            reason = f"character {char!r} is not printable ASCII, which DDS topic names require"
        elif char in FORBIDDEN_IN_TOPIC_NAMES:
            reason = f"character {char!r} is not allowed in DDS topic names"
        elif index >= NAME_MAX_BYTES:
            reason = f"names are limited to {NAME_MAX_BYTES} bytes, this one has {len(name)}"
        else:
            continue
        shown = [c if c.isprintable() and not c.isspace() or c == " " else repr(c)[1:-1] for c in name]
        caret = " " * sum(len(part) for part in shown[:index]) + "^"
        raise ValueError(f"invalid node name: {reason}\n    {''.join(shown)}\n    {caret}")
    return name


def checked_node_id(node_id: AmlipIdDataType) -> AmlipIdDataType:
    """A copy of ``node_id`` if its name can appear in a targeted topic name (see check_node_name),
    else ValueError. The undefined id (empty name) is accepted: C++ AML-IP nodes take it too."""
    if node_id.name_bytes():
        check_node_name(node_id.name())
    return AmlipIdDataType.from_wire(node_id.name_bytes(), node_id.id())


def targeted_topic(base: str, target: AmlipIdDataType) -> str:
    """Name of a topic read by exactly one node, e.g. ``amlip/job_task_data_Comp.01.02.03.04``."""
    return f"{TOPIC_PREFIX}{base}_{target}"


def _to_wire(node: AmlipIdDataType) -> xcdr1.Id:
    return node.name_bytes(), node.id()


def _from_wire(wire_id: xcdr1.Id) -> AmlipIdDataType:
    return AmlipIdDataType.from_wire(*wire_id)


class _HandCoded(IdlStruct):
    """Base of the wire types: keys never exist, so key deserialization yields nothing."""

    @classmethod
    def deserialize_key(cls, data, has_header=True, use_version_2=None):
        return None


@dataclass
class WireId(IdlStruct, typename="amlip::AmlipIdDataType"):
    name: str
    rand_id: idl.array[idl.uint8, 4]


@dataclass
class MsRequest(_HandCoded, typename="amlip::ms_request"):
    client_id: WireId
    task_id: idl.uint32

    def serialize(self, buffer=None, endianness=None, use_version_2=None) -> bytes:
        return xcdr1.encode_request(_to_wire(self.client_id), self.task_id)

    @classmethod
    def deserialize(cls, data, has_header=True, use_version_2=None) -> "MsRequest":
        client, task_id = xcdr1.decode_request(data)
        return cls(_from_wire(client), task_id)


@dataclass
class MsReference(_HandCoded, typename="amlip::ms_reference"):
    client_id: WireId
    task_id: idl.uint32
    server_id: WireId

    def serialize(self, buffer=None, endianness=None, use_version_2=None) -> bytes:
        return xcdr1.encode_reference(_to_wire(self.client_id), self.task_id, _to_wire(self.server_id))

    @classmethod
    def deserialize(cls, data, has_header=True, use_version_2=None) -> "MsReference":
        client, task_id, server = xcdr1.decode_reference(data)
        return cls(_from_wire(client), task_id, _from_wire(server))


@dataclass
class MsData(_HandCoded, typename="amlip::ms_data_GENERIC"):
    client_id: WireId
    task_id: idl.uint32
    server_id: WireId
    data_size: idl.uint32
    has_been_allocated: bool

    @classmethod
    def build(cls, client: AmlipIdDataType, task_id: int, server: AmlipIdDataType,
              payload: bytes, has_been_allocated: bool = True) -> "MsData":
        sample = cls(client, task_id, server, len(payload), has_been_allocated)
        sample.payload = payload
        return sample

    def serialize(self, buffer=None, endianness=None, use_version_2=None) -> bytes:
        return xcdr1.encode_data(_to_wire(self.client_id), self.task_id, _to_wire(self.server_id),
                                 self.payload)

    @classmethod
    def deserialize(cls, data, has_header=True, use_version_2=None) -> "MsData":
        client, task_id, server, payload, allocated = xcdr1.decode_data(data, cls.__idl_typename__.split("::")[-1])
        return cls.build(_from_wire(client), task_id, _from_wire(server), payload, allocated)


@dataclass
class RpcRequest(MsData, typename="amlip::rpc_requestGENERIC"):
    """A request for one server: MsData's fields and payload under the RPC type name."""


@dataclass
class RpcReply(MsData, typename="amlip::rpc_replyGENERIC"):
    """The reply to one client: MsData's fields and payload under the RPC type name."""


@dataclass
class ModelStatistics(_HandCoded, typename="amlip::AMLIP-MODEL-STATISTICS"):
    """A model sender's statistics: a name, the sender's id and ``payload`` (trailing octets)."""

    name: str
    data_size: idl.uint32
    server_id: WireId

    @classmethod
    def build(cls, name: str, server: AmlipIdDataType, payload: bytes) -> "ModelStatistics":
        sample = cls(name, len(payload), server)
        sample.payload = payload
        return sample

    def serialize(self, buffer=None, endianness=None, use_version_2=None) -> bytes:
        return xcdr1.encode_statistics(self.name.encode("utf-8", "surrogateescape"), _to_wire(self.server_id),
                                       self.payload)

    @classmethod
    def deserialize(cls, data, has_header=True, use_version_2=None) -> "ModelStatistics":
        name, server, payload = xcdr1.decode_statistics(data)
        return cls.build(name.decode("utf-8", "surrogateescape"), _from_wire(server), payload)


@dataclass
class Status(_HandCoded, typename="amlip::status"):
    id: WireId
    node_kind: idl.uint32
    state: idl.uint32

    def serialize(self, buffer=None, endianness=None, use_version_2=None) -> bytes:
        return xcdr1.encode_status(_to_wire(self.id), self.node_kind, self.state)

    @classmethod
    def deserialize(cls, data, has_header=True, use_version_2=None) -> "Status":
        node, node_kind, state = xcdr1.decode_status(data)
        return cls(_from_wire(node), node_kind, state)


@dataclass
class Progress(_HandCoded, typename="amlipy::progress"):
    client_id: WireId
    task_id: idl.uint32
    server_id: WireId
    done: idl.uint32
    total: idl.uint32
    elapsed_ms: idl.uint32
    detail: str

    def serialize(self, buffer=None, endianness=None, use_version_2=None) -> bytes:
        return xcdr1.encode_progress(_to_wire(self.client_id), self.task_id, _to_wire(self.server_id),
                                     self.done, self.total, self.elapsed_ms, self.detail.encode())

    @classmethod
    def deserialize(cls, data, has_header=True, use_version_2=None) -> "Progress":
        client, task_id, server, done, total, elapsed_ms, detail = xcdr1.decode_progress(data)
        return cls(_from_wire(client), task_id, _from_wire(server), done, total, elapsed_ms,
                   detail.decode("utf-8", "replace"))


def _progress_policies() -> list:
    """Reliable, volatile and bounded, for writers and readers of ``PROGRESS_TOPIC``: a record is
    worth nothing to a node that joins later, and a slow reader must not hold up training."""
    return [Policy.Reliability.Reliable(max_blocking_time=duration(milliseconds=READER_BLOCKING_MS)),
            Policy.Durability.Volatile, Policy.History.KeepLast(PROGRESS_HISTORY),
            Policy.DataRepresentation(use_cdrv0_representation=True)]


def writer_qos(data_type: type) -> Qos:
    """RELIABLE + TRANSIENT_LOCAL writer for ``data_type``, XCDR1 only, never blocking briefly.

    Status and model statistics writers keep the last sample (KEEP_LAST 1: only the latest
    matters); all others keep every unacknowledged sample (KEEP_ALL) and offer late joiners their
    recent history (Cyclone's default offers only 1). eProsima's RPC writers are KEEP_LAST 1; history
    is not matched between writer and reader, and KEEP_ALL loses no request or reply sent in a burst.
    """
    if data_type is Progress:
        return Qos(*_progress_policies())
    if data_type in (Status, ModelStatistics):
        history, depth = Policy.History.KeepLast(1), 1
    elif issubclass(data_type, MsData):
        history, depth = Policy.History.KeepAll, PAYLOAD_HISTORY_FOR_LATE_JOINERS
    else:
        history, depth = Policy.History.KeepAll, HISTORY_FOR_LATE_JOINERS
    return Qos(
        Policy.Reliability.Reliable(max_blocking_time=duration(seconds=WRITE_BLOCKING_SECONDS)),
        Policy.Durability.TransientLocal,
        history,
        Policy.DurabilityService(cleanup_delay=0, history=Policy.History.KeepLast(depth),
                                 max_samples=-1, max_instances=-1, max_samples_per_instance=-1),
        Policy.DataRepresentation(use_cdrv0_representation=True),
    )


def reader_qos(data_type: type, ignore_own_participant: bool = False) -> Qos:
    """RELIABLE + TRANSIENT_LOCAL + KEEP_ALL reader, XCDR1 only (what C++ AML-IP writers send);
    progress readers as their writers."""
    policies = _progress_policies() if data_type is Progress else [
        Policy.Reliability.Reliable(max_blocking_time=duration(milliseconds=READER_BLOCKING_MS)),
        Policy.Durability.TransientLocal,
        Policy.History.KeepAll,
        Policy.DataRepresentation(use_cdrv0_representation=True),
    ]
    if ignore_own_participant:
        policies.append(Policy.IgnoreLocal.Participant)
    return Qos(*policies)
