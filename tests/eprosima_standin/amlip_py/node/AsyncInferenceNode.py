"""Stand-in for eProsima's amlip_py.node.AsyncInferenceNode, over ours.

Its constructor's messages name AsyncComputingNode, as eProsima's v0.3.0 do.
"""
from _standin import Director, StandinNode, ours, overload_refusal, pick_listener, replier_callback


class InferenceReplier(Director):
    def process_inference(self, inference, task_id, client_id):
        raise NotImplementedError("InferenceReplier.process_inference must be specialized before use.")


class InferenceReplierLambda(InferenceReplier):
    def __init__(self, callback):
        super().__init__()
        self.callback_ = callback

    def process_inference(self, inference, task_id, client_id):
        return self.callback_(inference, task_id, client_id)


class AsyncInferenceNode(StandinNode):
    """Inference node serving requests between ``run()`` and ``stop()``; no ``close()``."""

    def __init__(self, name: str, domain: int = None, callback=None, listener: InferenceReplier = None):
        self.listener_ = pick_listener(callback, listener, InferenceReplierLambda, "AsyncComputingNode constructor",
                                       overload_refusal("new_AsyncInferenceNode"))
        super().__init__(ours("amlip_py.node.AsyncInferenceNode").AsyncInferenceNode(
            name, domain=domain,
            callback=replier_callback(self.listener_.process_inference, "InferenceReplier_process_inference")))

    def run(self) -> None:
        self._node.run()

    def stop(self) -> None:
        self._node.stop()
