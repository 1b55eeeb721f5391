"""Stand-in for eProsima's amlip_py.node.EdgeNode, over ours (no domain argument: AML-IP's 166)."""
from amlip_py.types.InferenceDataType import InferenceDataType

from _standin import StandinNode, blocking_request, ours


class EdgeNode(StandinNode):
    """Blocking edge node; no domain, no ``close()``, no timeouts."""

    def __init__(self, name: str):
        super().__init__(ours("amlip_py.node.EdgeNode").EdgeNode(name))

    def request_inference(self, data: InferenceDataType):
        return blocking_request(self._node.request_inference, data, "EdgeNode_request_inference")
