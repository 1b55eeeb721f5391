"""Nodes reduced to their wire messages, so a test decides when each message goes out.

Why: the failure windows of the protocol (a server stopped between its reply and the job data, a
server that says ``dropped`` but keeps its participant) last milliseconds between real nodes. These
peers speak exactly the bytes of spec §3.2, as eProsima's C++ nodes do, one message per call.
"""
from amlip_py.dds import wire
from amlip_py.dds.participant import Participant
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.StatusDataType import NodeKind, StateKind

GUARD = 60.0


def id_from_string(text: str) -> AmlipIdDataType:
    """The id printed as ``<name>.<h0>.<h1>.<h2>.<h3>``."""
    name, rand = text.rsplit(".", 4)[0], text.rsplit(".", 4)[1:]
    return AmlipIdDataType.from_wire(name.encode(), bytes.fromhex("".join(rand)))


def as_bytes(payload: str | bytes) -> bytes:
    return payload.encode() if isinstance(payload, str) else payload


def expect(sample, what: str):
    assert sample is not None, f"no {what} within {GUARD} s"
    return sample


class WireClient:
    """A main node's messages to one computing node ``server``: request, target, data; and what comes back."""

    def __init__(self, domain: int, server: AmlipIdDataType, name: str = "WireClient"):
        self.id = AmlipIdDataType(name)
        self.server = server
        self.participant = dp = Participant(domain, name)
        self._requests = dp.writer(wire.REQUEST_TOPIC, wire.MsRequest)
        self._targets = dp.writer(wire.TARGET_TOPIC, wire.MsReference)
        self._data = dp.writer(wire.targeted_topic(wire.DATA_TOPIC_BASE, server), wire.MsData)
        self._replies = dp.inbox(wire.targeted_topic(wire.REPLY_TOPIC_BASE, self.id), wire.MsReference)
        self._solutions = dp.inbox(wire.targeted_topic(wire.SOLUTION_TOPIC_BASE, self.id), wire.MsData)

    def request(self, task_id: int) -> None:
        """Publish a request and wait for the server's reply to it."""
        self._requests.write(wire.MsRequest(self.id, task_id))
        reply = expect(self._replies.take_within(GUARD), f"reply to task {task_id}")
        assert (reply.client_id, reply.task_id, reply.server_id) == (self.id, task_id, self.server)

    def target(self, task_id: int, server: AmlipIdDataType) -> None:
        self._targets.write(wire.MsReference(self.id, task_id, server))

    def send_data(self, task_id: int, payload: str | bytes) -> None:
        self._data.write(wire.MsData.build(self.id, task_id, self.server, as_bytes(payload)))

    def solution(self) -> tuple[int, str]:
        task_id, payload = self.raw_solution()
        return task_id, payload.decode()

    def raw_solution(self) -> tuple[int, bytes]:
        sample = expect(self._solutions.take_within(GUARD), "solution")
        return sample.task_id, bytes(sample.payload)

    def close(self) -> None:
        self.participant.close()


class WireServer:
    """A computing node that accepts one job, then publishes statuses or answers when told to."""

    def __init__(self, domain: int, name: str = "WireServer"):
        self.id = AmlipIdDataType(name)
        self.participant = dp = Participant(domain, name)
        self._status = dp.writer(wire.STATUS_TOPIC, wire.Status)
        self._requests = dp.inbox(wire.REQUEST_TOPIC, wire.MsRequest)
        self._targets = dp.inbox(wire.TARGET_TOPIC, wire.MsReference)
        self._data = dp.inbox(wire.targeted_topic(wire.DATA_TOPIC_BASE, self.id), wire.MsData)
        self.publish(StateKind.running)

    def publish(self, state: StateKind) -> None:
        self._status.write(wire.Status(self.id, int(NodeKind.computing), int(state)))

    def accept_one_job(self, task_id: int | None = None) -> wire.MsData:
        """Answer the first request (of ``task_id`` if given), and if chosen, return its job data (never solved)."""
        request = expect(self._requests.take_within(GUARD), "request")
        while task_id is not None and request.task_id != task_id:
            request = expect(self._requests.take_within(GUARD), f"request of task {task_id}")
        client = request.client_id
        replies = self.participant.writer(wire.targeted_topic(wire.REPLY_TOPIC_BASE, client), wire.MsReference)
        replies.write(wire.MsReference(client, request.task_id, self.id))
        target = expect(self._targets.take_within(GUARD), "target")
        while target.task_id != request.task_id:
            target = expect(self._targets.take_within(GUARD), f"target of task {request.task_id}")
        assert target.server_id == self.id, f"the client chose {target.server_id}"
        return expect(self._data.take_within(GUARD), "job data")

    def answer(self, data: wire.MsData, payload: str | bytes) -> None:
        """Send ``payload`` as the solution of the job ``data`` (late, when the test says so)."""
        topic = wire.targeted_topic(wire.SOLUTION_TOPIC_BASE, data.client_id)
        self.participant.writer(topic, wire.MsData).write(
            wire.MsData.build(data.client_id, data.task_id, self.id, as_bytes(payload)))

    def close(self) -> None:
        self.participant.close()
