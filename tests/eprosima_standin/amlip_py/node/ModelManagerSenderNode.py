"""Stand-in for eProsima's amlip_py.node.ModelManagerSenderNode, over ours."""
from _standin import StandinNode, answer_callback, our_id, ours, pick_listener


class ModelReplier:
    def fetch_model(self, model):
        raise NotImplementedError("ModelReplier.fetch_model must be specialized before use.")


class ModelReplierLambda(ModelReplier):
    def __init__(self, callback):
        self.callback_ = callback

    def fetch_model(self, model):
        return self.callback_(model)


class ModelManagerSenderNode(StandinNode):
    """Model sender: statistics at any time, requests answered between ``start()`` and ``stop()``."""

    def __init__(self, id, domain: int = None):
        super().__init__(ours("amlip_py.node.ModelManagerSenderNode").ModelManagerSenderNode(our_id(id), domain=domain))

    def publish_statistics(self, name, data) -> None:
        self._node.publish_statistics(name, data)

    def start(self, callback=None, listener: ModelReplier = None):
        self.listener_ = pick_listener(callback, listener, ModelReplierLambda, "ModelManagerSenderNode constructor")
        self._node.start(callback=answer_callback(self.listener_.fetch_model, "ModelReplier_fetch_model"))

    def stop(self) -> None:
        self._node.stop()
