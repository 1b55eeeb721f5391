"""Stand-in for eProsima's amlip_py.node.MainNode, over ours."""
from amlip_py.types.JobDataType import JobDataType

from _standin import StandinNode, blocking_request, ours


class MainNode(StandinNode):
    """Blocking main node; no ``close()``, no timeouts."""

    def __init__(self, name: str, domain: int = None):
        super().__init__(ours("amlip_py.node.MainNode").MainNode(name, domain=domain))

    def request_job_solution(self, data: JobDataType):
        return blocking_request(self._node.request_job_solution, data, "MainNode_request_job_solution")
