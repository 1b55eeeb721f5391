"""Stand-in for eProsima's amlip_py.node.AsyncEdgeNode, over ours."""
from amlip_py.types.InferenceDataType import InferenceDataType

from _standin import Director, StandinNode, listener_callback, ours, payload, overload_refusal, pick_listener


class InferenceSolutionListener(Director):
    def inference_received(self, inference, task_id, server_id):
        raise NotImplementedError("InferenceListener.inference_received must be specialized before use.")


class InferenceListenerLambda(InferenceSolutionListener):
    def __init__(self, callback):
        super().__init__()
        self.callback_ = callback

    def inference_received(self, inference, task_id, server_id):
        return self.callback_(inference, task_id, server_id)


class AsyncEdgeNode(StandinNode):
    """Edge node handing inferences to a listener as SWIG-like values; no ``close()``."""

    def __init__(self, name: str, domain: int = None, callback=None, listener: InferenceSolutionListener = None):
        self.listener_ = pick_listener(callback, listener, InferenceListenerLambda, "AsyncEdgeNode constructor",
                                       overload_refusal("new_AsyncEdgeNode"))
        super().__init__(ours("amlip_py.node.AsyncEdgeNode").AsyncEdgeNode(
            name, domain=domain, callback=listener_callback(self.listener_.inference_received)))

    def request_inference(self, data: InferenceDataType):
        return self._node.request_inference(payload(data, "AsyncEdgeNode_request_inference"))
