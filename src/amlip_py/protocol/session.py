"""What every node has: an id, a DDS participant and a status it publishes (spec §3.8).

Why: the node classes only differ in the services they run; identity, status publication and
orderly shutdown (publish ``dropped``, let it be acknowledged, delete the participant) are common.
"""
from __future__ import annotations

import logging
import threading

from amlip_py.dds import wire
from amlip_py.dds.participant import Participant, check_domain
from amlip_py.types.AmlipIdDataType import AmlipIdDataType
from amlip_py.types.StatusDataType import NodeKind, StateKind

logger = logging.getLogger(__name__)

DEFAULT_DOMAIN = 166


class NodeSession:
    """Participant + status writer of one node.

    Parameters
    ----------
    name : str or AmlipIdDataType
        Node name (must fit in DDS topic names, see ``wire.check_node_name``; a fresh id is drawn
        for it), or a whole id, kept as it is (the model-manager nodes take ids, as eProsima's do).
    domain : int or None
        DDS domain id, None for AML-IP's default 166 (0 is honoured).
    kind : NodeKind
        Published in every status sample.
    state : StateKind
        Initial state, published at once.
    """

    def __init__(self, name: str | AmlipIdDataType, domain: int | None, kind: NodeKind, state: StateKind):
        self.id = wire.checked_node_id(name) if isinstance(name, AmlipIdDataType) else \
            AmlipIdDataType(wire.check_node_name(name))
        self.domain = DEFAULT_DOMAIN if domain is None else check_domain(domain)
        self.kind = kind
        self.participant = Participant(self.domain, self.id.name())
        self._lock = threading.Lock()
        self._status_writer = self.participant.writer(wire.STATUS_TOPIC, wire.Status)
        self.state = state
        self._publish(state)
        logger.info("node %s (%s) up on domain %d", self.id, kind.name, self.domain)

    def set_state(self, state: StateKind) -> None:
        """Publish a new state; ignored once the node is closed (``dropped`` is final)."""
        with self._lock:
            if self.state == StateKind.dropped:
                return
            self.state = state
            self._publish(state)

    def _publish(self, state: StateKind) -> None:
        self._status_writer.write(wire.Status(self.id, int(self.kind), int(state)))

    def close(self) -> None:
        """Publish ``dropped`` and delete the participant.

        Samples already written (e.g. a last solution) get up to 1 s to be acknowledged first, so
        a main node that sees ``dropped`` has the solution already and does not re-send the job;
        ``dropped`` itself gets up to 1 s more.
        """
        self.participant.flush()
        with self._lock:
            if self.state == StateKind.dropped:
                return
            self.state = StateKind.dropped
            self._publish(StateKind.dropped)
        self.participant.close()
        logger.info("node %s closed", self.id)
