"""Stand-in for eProsima's amlip_py.node.InferenceNode, over ours (no domain argument: AML-IP's 166)."""
from _standin import Director, StandinNode, answer_callback, ours, overload_refusal, pick_listener, swig_id


class InferenceListener(Director):
    def process_inference(self, inference):
        raise NotImplementedError("InferenceListener.process_inference must be specialized before use.")


class InferenceLambda(InferenceListener):
    def __init__(self, callback):
        super().__init__()
        self.callback_ = callback

    def process_inference(self, inference):
        return self.callback_(inference)


class InferenceNode(StandinNode):
    """Inference node answering one request per ``process_inference``; no timeout."""

    def __init__(self, name: str):
        super().__init__(ours("amlip_py.node.InferenceNode").InferenceNode(name))

    def process_inference(self, callback=None, listener: InferenceListener = None):
        handler = pick_listener(callback, listener, InferenceLambda, "Method process_inference",
                                overload_refusal("InferenceNode_process_inference"))
        return swig_id(self._node.process_inference(
            callback=answer_callback(handler.process_inference, "InferenceListener_process_inference")))
