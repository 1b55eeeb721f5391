"""Stand-in for eProsima's amlip_py.node.AsyncComputingNode, over ours."""
from _standin import Director, StandinNode, ours, overload_refusal, pick_listener, replier_callback


class JobReplier(Director):
    def process_job(self, job, task_id, client_id):
        raise NotImplementedError("JobReplier.process_job must be specialized before use.")


class JobReplierLambda(JobReplier):
    def __init__(self, callback):
        super().__init__()
        self.callback_ = callback

    def process_job(self, job, task_id, client_id):
        return self.callback_(job, task_id, client_id)


class AsyncComputingNode(StandinNode):
    """Computing node serving jobs between ``run()`` and ``stop()``."""

    def __init__(self, name: str, domain: int = None, callback=None, listener: JobReplier = None):
        self.listener_ = pick_listener(callback, listener, JobReplierLambda, "AsyncComputingNode constructor",
                                       overload_refusal("new_AsyncComputingNode"))
        super().__init__(ours("amlip_py.node.AsyncComputingNode").AsyncComputingNode(
            name, domain=domain, callback=replier_callback(self.listener_.process_job, "JobReplier_process_job")))

    def run(self) -> None:
        self._node.run()

    def stop(self) -> None:
        self._node.stop()
