"""Keep benchmark traffic on loopback, on a DDS domain no concurrent run uses.

Why: benchmarks share the machine with test runs; a port lock on 127.0.0.1 reserves the domain id
(same scheme as the tests) and a discovery Tag keeps foreign participants out.
"""
import os
import socket
import uuid

LOCK_PORT_BASE = 47000
DOMAINS = range(100, 230)

CONFIG = ('<CycloneDDS><Domain Id="any"><General><Interfaces><NetworkInterface name="lo"/></Interfaces>'
          "<AllowMulticast>false</AllowMulticast></General><Discovery><ParticipantIndex>auto</ParticipantIndex>"
          "<MaxAutoParticipantIndex>60</MaxAutoParticipantIndex><Peers><Peer Address=\"127.0.0.1\"/></Peers>"
          "<Tag>{tag}</Tag></Discovery></Domain></CycloneDDS>")


def reserve_loopback_domain() -> tuple[int, socket.socket]:
    """Set CYCLONEDDS_URI to a loopback-only config and return (domain id, lock socket to keep open)."""
    os.environ["CYCLONEDDS_URI"] = CONFIG.format(tag=f"amlip-bench-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    for domain in DOMAINS:
        if domain == 166:
            continue
        lock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            lock.bind(("127.0.0.1", LOCK_PORT_BASE + domain))
        except OSError:
            lock.close()
            continue
        return domain, lock
    raise RuntimeError(f"no free DDS domain id in {DOMAINS}")
