"""One DDS participant per node, on a Cyclone domain configured for big AML-IP payloads.

Why: Cyclone's defaults move a 50 MB job ten times slower than the tuned settings measured in
cyclone-notes.md, and writes time out after 100 ms. The library applies those settings to every
domain it opens; the user's ``CYCLONEDDS_URI`` is appended after them, and Cyclone merges a
comma-separated list of configurations in order, so any element the user sets wins.

Readers are wrapped in :class:`Inbox` so node-owned threads block in a WaitSet (with a guard
condition to wake them for shutdown) and take one sample at a time; no DDS listener runs user code.
An inbox of a node's own targeted topic can also catch up on writers discovered late (see
:class:`Inbox`): AML-IP's C++ nodes create such writers just before their first sample.
"""
from __future__ import annotations

import ctypes
import logging
import os
import threading
import time

from cyclonedds.core import DDSException, GuardCondition, InstanceState, ReadCondition, SampleState, \
    ViewState, WaitSet
from cyclonedds.domain import Domain, DomainParticipant
from cyclonedds.internal import dds_c_t
from cyclonedds.pub import DataWriter
from cyclonedds.qos import Policy, Qos
from cyclonedds.sub import DataReader
from cyclonedds.topic import Topic
from cyclonedds.util import duration

from amlip_py.dds import wire
from amlip_py.dds.xcdr1 import WireFormatError

logger = logging.getLogger(__name__)

DdsError = DDSException
"""Raised by DDS calls, e.g. a write that timed out; re-exported so only this package imports cyclonedds."""

DOMAIN_ID_MAX = 232
UNMATCHED_WRITER_GRACE_SECONDS = 60.0
"""A writer targeted at a node that left is deleted after this long: a node that only stalled
(or lost its lease for a while) is rediscovered well within it and still gets what was written."""
ACK_WAIT_ON_CLOSE_SECONDS = 1.0
CATCH_UP_SECONDS = 5.0
"""How long a catch-up reader stays open; a writer sends a new reader its history within milliseconds."""
DUPLICATE_WINDOW_SECONDS = 30.0
"""How long a sample taken by a catching-up inbox is remembered, so its other copy is dropped: the first
reader recovers a sample it dropped at the writer's next heartbeat (Fast DDS: every 3 s)."""
MATCH_READS = 5
"""Reads of a reader's matched writers before a changing count is let through as an error."""
CYCLONE_GUID_PREFIX = b"\x01\x10"
"""Participants start their GUID prefix with their RTPS vendor id; 1.16 is Eclipse Cyclone DDS."""

TUNED_CONFIG = (
    '<CycloneDDS><Domain Id="any">'
    "<General><MaxMessageSize>65500B</MaxMessageSize><FragmentSize>65000B</FragmentSize>"
    "<MaxRexmitMessageSize>65500B</MaxRexmitMessageSize></General>"
    "<Discovery><LeaseDuration>3s</LeaseDuration></Discovery>"
    "<Internal>"
    '<SocketReceiveBufferSize min="default" max="64MB"/>'
    '<SocketSendBufferSize min="default" max="64MB"/>'
    "<Watermarks><WhcHigh>64MB</WhcHigh><WhcHighInit>16MB</WhcHighInit></Watermarks>"
    '<NackDelay>1ms</NackDelay><HeartbeatInterval min="1ms">10ms</HeartbeatInterval>'
    "<MaxQueuedRexmitBytes>16MB</MaxQueuedRexmitBytes>"
    "<BurstSize><MaxInitTransmit>4000000</MaxInitTransmit><MaxRexmit>16MB</MaxRexmit>"
    "<MaxFragsRexmitSample>1000</MaxFragsRexmitSample></BurstSize>"
    "</Internal></Domain></CycloneDDS>"
)
"""Our defaults (no interface or discovery settings: real deployments keep Cyclone's choice)."""

_domains_lock = threading.Lock()
_domains: dict[int, list] = {}
"""domain id -> [Domain or None, number of our participants in it]."""


def check_domain(domain: object) -> int:
    """Return ``domain`` if it is a valid DDS domain id (0..232, RTPS port mapping), else raise."""
    if isinstance(domain, bool) or not isinstance(domain, int) or not 0 <= domain <= DOMAIN_ID_MAX:
        raise ValueError(f"domain must be an integer in 0..{DOMAIN_ID_MAX} (RTPS port mapping), "
                         f"got {domain!r}")
    return domain


def domain_config() -> str:
    """Our tuned defaults followed by the user's ``CYCLONEDDS_URI``, which therefore wins."""
    user = os.environ.get("CYCLONEDDS_URI", "").strip()
    return f"{TUNED_CONFIG},{user}" if user else TUNED_CONFIG


def _acquire_domain(domain_id: int) -> None:
    with _domains_lock:
        entry = _domains.get(domain_id)
        if entry is None:
            try:
                entry = [Domain(domain_id, domain_config()), 0]
            except DDSException as exc:
                logger.warning("domain %d already exists in this process (%s); using its configuration",
                               domain_id, exc)
                entry = [None, 0]
            _domains[domain_id] = entry
        entry[1] += 1


def _release_domain(domain_id: int) -> None:
    with _domains_lock:
        entry = _domains[domain_id]
        entry[1] -= 1
        if entry[1] == 0:
            del _domains[domain_id]
            if entry[0] is not None:
                delete_entity(entry[0])


def delete_entity(entity) -> None:
    """Delete a Cyclone entity now (and its children); cyclonedds-python only offers ``__del__``."""
    entity.__del__()


def matched_writers(reader: DataReader) -> list[int]:
    """Instance handles of the writers matched to ``reader``.

    Why not ``reader.get_matched_publications()`` alone: cyclonedds-python sizes its buffer by a first
    count and indexes past it (IndexError) when a writer matches between its two calls, which happens
    while nodes come and go; asked again, the count is fresh.
    """
    for _ in range(MATCH_READS - 1):
        try:
            return reader.get_matched_publications()
        except IndexError:
            continue
    return reader.get_matched_publications()


class Participant:
    """A node's DomainParticipant plus the writers it created and a guard to wake its threads."""

    def __init__(self, domain_id: int, name: str):
        self.domain_id = check_domain(domain_id)
        _acquire_domain(domain_id)
        try:
            self.dp = DomainParticipant(domain_id, qos=Qos(Policy.EntityName(name)))
        except Exception:
            _release_domain(domain_id)
            raise
        self.guard = GuardCondition(self.dp)
        self.waking = threading.Event()
        self._outboxes: list[Outbox] = []
        self._closed = False

    def writer(self, topic_name: str, data_type: type) -> Outbox:
        topic = Topic(self.dp, topic_name, data_type)
        outbox = Outbox(DataWriter(self.dp, topic, qos=wire.writer_qos(data_type)))
        self._outboxes.append(outbox)
        return outbox

    def inbox(self, topic_name: str, data_type: type, ignore_own_participant: bool = False,
              wakeable: bool = True, catch_up: bool = False) -> Inbox:
        """A reader; waits on a non-``wakeable`` inbox are not cut short by :meth:`wake`; a ``catch_up``
        inbox opens a second reader for a while whenever a writer of another DDS joins (see :class:`Inbox`)."""
        topic = Topic(self.dp, topic_name, data_type)
        reader = DataReader(self.dp, topic, qos=wire.reader_qos(data_type, ignore_own_participant))
        return Inbox(self, reader, wakeable, catch_up)

    def delete_writer(self, outbox: Outbox) -> None:
        """Delete a writer no longer needed (e.g. one targeted at a node that left)."""
        self._outboxes.remove(outbox)
        delete_entity(outbox.writer)

    def waiter(self, inboxes: list[Inbox]) -> Waiter:
        return Waiter(self, inboxes)

    def wake(self) -> None:
        """Wake every thread blocked in an Inbox of this participant and keep them awake (shutdown)."""
        self.waking.set()
        self.guard.set(True)

    def rearm(self) -> None:
        """Undo :meth:`wake` once the woken threads have finished, so waits block again."""
        self.guard.set(False)
        self.waking.clear()

    def flush(self, timeout: float = ACK_WAIT_ON_CLOSE_SECONDS) -> None:
        """Wait up to ``timeout`` seconds until every matched reader acknowledged our samples."""
        deadline = time.monotonic() + timeout
        for outbox in self._outboxes:
            outbox.wait_for_acks(deadline - time.monotonic())

    def entity_count(self) -> int:
        """DDS entities of this participant, itself included (readers, writers, topics, conditions,
        ...); for resource checks: a leak shows as growth. Counts what cyclonedds-python has no
        object for too (e.g. the implicit publisher), hence the raw handles."""
        def count(handle) -> int:
            size = self.dp._get_children(handle, None, 0)
            if size <= 0:
                return 1
            children = (dds_c_t.entity * size)()
            got = self.dp._get_children(handle, ctypes.cast(children, ctypes.POINTER(dds_c_t.entity)), size)
            return 1 + sum(count(children[index]) for index in range(got))

        return count(self.dp._ref)

    def close(self) -> None:
        """Give pending samples up to 1 s to be acknowledged, then delete the participant."""
        if self._closed:
            return
        self._closed = True
        self.flush()
        delete_entity(self.dp)
        _release_domain(self.domain_id)


class Outbox:
    """A DataWriter whose ``write`` tells a full writer history apart from a sample that cannot go."""

    def __init__(self, writer: DataWriter):
        self.writer = writer
        self._unmatched_since: float | None = None

    def write(self, sample) -> None:
        """Send ``sample``.

        Raises
        ------
        TimeoutError
            The readers did not acknowledge older samples within the writer's blocking time.
        DdsError
            Cyclone refused the sample (e.g. larger than ``Internal/MaxSampleSize``).
        """
        try:
            self.writer.write(sample)
        except DDSException as exc:
            if exc.code == DDSException.DDS_RETCODE_TIMEOUT:
                raise TimeoutError(f"write on {self.writer.topic.name} timed out: {exc}") from exc
            raise

    def wait_for_acks(self, timeout: float) -> bool:
        """Block until every matched reader acknowledged all samples; False after ``timeout`` s."""
        try:
            return self.writer.wait_for_acks(duration(seconds=max(0.0, timeout)))
        except AttributeError:  # cyclonedds 11 raises it for a timeout (``Exception.DDS_RETCODE_TIMEOUT``)
            return False
        except DDSException as exc:
            logger.debug("wait_for_acks failed: %s", exc)
            return False

    def readers_matched(self) -> tuple[int, int]:
        """(readers matched ever, readers matched now): a drop to 0 means the readers are gone."""
        status = self.writer.get_publication_matched_status()
        return status.total_count, status.current_count

    def unmatched_for(self) -> float:
        """Seconds this writer has had no matched reader, counted from the first call that saw none."""
        if self.readers_matched()[1] > 0:
            self._unmatched_since = None
            return 0.0
        if self._unmatched_since is None:
            self._unmatched_since = time.monotonic()
        return time.monotonic() - self._unmatched_since


class Inbox:
    """A DataReader that node threads block on and take decoded samples from, one by one.

    With ``catch_up``, samples a late-discovered writer sent before we knew it are not left behind.
    Why: Cyclone handles discovery data on a thread of its own and drops data from a writer it does
    not know yet; the reader then waits for the writer's next heartbeat. Cyclone writers send one
    with their data, Fast DDS writers every 3 s; and AML-IP's C++ nodes create a writer targeted at
    a node just before its first sample, so that sample comes 3 s late, or never if the writer's
    node leaves first (eProsima's ``computing_node_sync`` answers its last task and exits at once).
    A reader created after the writer is known is sent the writer's (transient-local) history at
    once: so whenever a writer that is not Cyclone's is matched, a catch-up reader on the same topic
    is opened for ``CATCH_UP_SECONDS``; :meth:`take` takes from both, dropping the second copy of a
    sample (same writer, same source timestamp). Its samples wait for the next :meth:`take`, which
    node threads call at least every poll interval.
    """

    def __init__(self, participant: Participant, reader: DataReader, wakeable: bool = True, catch_up: bool = False):
        self.reader = reader
        self.condition = ReadCondition(reader, SampleState.Any | ViewState.Any | InstanceState.Any)
        self._waiter = Waiter(participant, [self], wakeable)
        self._topic_name = reader.topic.name
        self._participant = participant
        self._catch_up = catch_up
        self._writers_seen: set[int] = set()
        self._matched_total = 0
        self._catch_up_readers: list[tuple[DataReader, ReadCondition, float]] = []  # and when each closes
        self._recent: dict[tuple[int, int], float] = {}  # (writer, source timestamp) -> when taken

    def take(self):
        """Return the next valid sample, or None when none is waiting; bad samples are logged and skipped."""
        if not self._catch_up:
            return self._take_from(self.reader, self.condition)
        self._follow_writers()
        now = time.monotonic()
        while self._recent and next(iter(self._recent.values())) < now - DUPLICATE_WINDOW_SECONDS:
            del self._recent[next(iter(self._recent))]
        for reader, condition in [(self.reader, self.condition)] + [entry[:2] for entry in self._catch_up_readers]:
            while (sample := self._take_from(reader, condition)) is not None:
                key = (sample.sample_info.publication_handle, sample.sample_info.source_timestamp)
                if key not in self._recent:
                    self._recent[key] = now
                    return sample
        return None

    def _take_from(self, reader: DataReader, condition: ReadCondition):
        while True:
            try:
                samples = reader.take(N=1, condition=condition)
            except WireFormatError as exc:
                logger.warning("dropped a sample on %s: %s", self._topic_name, exc)
                continue
            if not samples:
                return None
            if samples[0].sample_info.valid_data:
                return samples[0]

    def _follow_writers(self) -> None:
        """Open a catch-up reader if a writer not of Cyclone was matched; close those whose time is up."""
        now = time.monotonic()
        for entry in [entry for entry in self._catch_up_readers if entry[2] <= now]:
            self._catch_up_readers.remove(entry)
            delete_entity(entry[0])
        total = self.reader.get_subscription_matched_status().total_count
        if total == self._matched_total:
            return
        self._matched_total = total
        new = set(matched_writers(self.reader)) - self._writers_seen
        self._writers_seen |= new
        if any(not self._is_cyclone_writer(handle) for handle in new):
            reader = DataReader(self._participant.dp, self.reader.topic, qos=self.reader.get_qos())
            condition = ReadCondition(reader, SampleState.Any | ViewState.Any | InstanceState.Any)
            self._catch_up_readers.append((reader, condition, now + CATCH_UP_SECONDS))
            logger.debug("a writer of another DDS joined %s; catching up on its history", self._topic_name)

    def _is_cyclone_writer(self, handle: int) -> bool:
        endpoint = self.reader.get_matched_publication_data(handle)
        return endpoint is not None and endpoint.participant_key.bytes.startswith(CYCLONE_GUID_PREFIX)

    def sender_matched(self, sample) -> bool:
        """Whether the writer that sent ``sample`` is still matched, i.e. its node is still there."""
        # cyclonedds-python gives the sample's handle unsigned and the matched ones signed
        matched = {handle % 2 ** 64 for handle in matched_writers(self.reader)}
        return sample.sample_info.publication_handle % 2 ** 64 in matched

    def take_within(self, timeout: float):
        """Take the next valid sample, waiting at most ``timeout`` seconds.

        Returns None if none came in time or (if wakeable) the participant was woken for shutdown.
        """
        deadline = time.monotonic() + timeout
        while True:
            sample = self.take()
            if sample is not None:
                return sample
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._waiter.woken():
                return None
            self._waiter.wait(remaining)


class Waiter:
    """A WaitSet over some inboxes plus (if ``wakeable``) the participant's wake-up guard."""

    def __init__(self, participant: Participant, inboxes: list[Inbox], wakeable: bool = True):
        self._waking = participant.waking if wakeable else threading.Event()
        self._waitset = WaitSet(participant.dp)
        for inbox in inboxes:
            self._waitset.attach(inbox.condition)
        if wakeable:
            self._waitset.attach(participant.guard)

    def wait(self, timeout: float) -> None:
        """Block until an inbox may hold a sample, the participant is woken, or ``timeout`` s pass."""
        self._waitset.wait(duration(seconds=max(0.0, timeout)))

    def woken(self) -> bool:
        return self._waking.is_set()
