"""Stand-in for eProsima's amlip_py.node.MainNode, over ours."""
from amlip_py.types.JobDataType import JobDataType

from _standin import StandinNode, ours, payload, swig_data, swig_id


class MainNode(StandinNode):
    """Blocking main node; no ``close()``, no timeouts."""

    def __init__(self, name: str, domain: int = None):
        super().__init__(ours("amlip_py.node.MainNode").MainNode(name, domain=domain))

    def request_job_solution(self, data: JobDataType):
        solution, server_id = self._node.request_job_solution(payload(data, "MainNode_request_job_solution"))
        return swig_data(solution), swig_id(server_id)
