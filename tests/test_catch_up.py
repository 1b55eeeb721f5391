"""A catching-up inbox between two of our nodes: every sample once, and no second reader for Cyclone's writers.

The catch-up itself (a sample a Fast DDS writer sent before we knew it) is shown against eProsima's
real C++ node in ``test_eprosima_interop.py::test_eprosimas_sync_demo[sync-demo-our-main]``.
"""
from amlip_py.dds import wire
from amlip_py.dds.participant import Participant
from amlip_py.types.AmlipIdDataType import AmlipIdDataType

TOPIC = "amlip/catch_up_probe"
GUARD = 30.0


def test_cyclone_writers_are_read_once_without_a_second_reader(dds_domain):
    reading, writing = Participant(dds_domain, "Reading"), Participant(dds_domain, "Writing")
    try:
        inbox = reading.inbox(TOPIC, wire.MsReference, catch_up=True)
        entities_before = reading.entity_count()
        outbox = writing.writer(TOPIC, wire.MsReference)
        client, server = AmlipIdDataType("Client"), AmlipIdDataType("Server")
        for task_id in range(3):
            outbox.write(wire.MsReference(client, task_id, server))
        received = [inbox.take_within(GUARD) for _ in range(3)]
        assert [sample.task_id for sample in received if sample is not None] == [0, 1, 2]
        assert inbox.take_within(0.5) is None, "a sample came twice"
        assert reading.entity_count() == entities_before, "a catch-up reader was opened for a Cyclone writer"
    finally:
        writing.close()
        reading.close()
