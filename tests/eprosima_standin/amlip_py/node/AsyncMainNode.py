"""Stand-in for eProsima's amlip_py.node.AsyncMainNode, over ours."""
from amlip_py.types.JobDataType import JobDataType

from _standin import Director, StandinNode, listener_callback, ours, payload, overload_refusal, pick_listener


class SolutionListener(Director):
    def solution_received(self, solution, task_id, server_id):
        raise NotImplementedError("SolutionListener.solution_received must be specialized before use.")


class SolutionListenerLambda(SolutionListener):
    def __init__(self, callback):
        super().__init__()
        self.callback_ = callback

    def solution_received(self, solution, task_id, server_id):
        return self.callback_(solution, task_id, server_id)


class AsyncMainNode(StandinNode):
    """Main node handing solutions to a listener as SWIG-like values."""

    def __init__(self, name: str, domain: int = None, callback=None, listener: SolutionListener = None):
        self.listener_ = pick_listener(callback, listener, SolutionListenerLambda, "AsyncMainNode constructor",
                                       overload_refusal("new_AsyncMainNode"))
        super().__init__(ours("amlip_py.node.AsyncMainNode").AsyncMainNode(
            name, domain=domain, callback=listener_callback(self.listener_.solution_received)))

    def request_job_solution(self, data: JobDataType):
        return self._node.request_job_solution(payload(data, "AsyncMainNode_request_job_solution"))
