"""Stand-in for eProsima's amlip_py.node.ComputingNode, over ours (domain 0 dropped, as theirs does)."""
from _standin import Director, StandinNode, answer_callback, ours, overload_refusal, pick_listener, swig_id


class JobListener(Director):
    def process_job(self, job):
        raise NotImplementedError("JobListener.Job_received must be specialized before use.")


class JobLambda(JobListener):
    def __init__(self, callback):
        super().__init__()
        self.callback_ = callback

    def process_job(self, job):
        return self.callback_(job)


class ComputingNode(StandinNode):
    """Computing node serving one job per ``process_job``; no timeout."""

    def __init__(self, name: str, domain: int = None):
        super().__init__(ours("amlip_py.node.ComputingNode").ComputingNode(name, domain=domain or None))

    def process_job(self, callback=None, listener: JobListener = None):
        handler = pick_listener(callback, listener, JobLambda, "Method process_job",
                                overload_refusal("ComputingNode_process_job"))
        return swig_id(self._node.process_job(callback=answer_callback(handler.process_job, "JobListener_process_job")))
