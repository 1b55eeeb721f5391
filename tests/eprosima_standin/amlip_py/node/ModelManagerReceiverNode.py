"""Stand-in for eProsima's amlip_py.node.ModelManagerReceiverNode, over ours.

``request_model`` returns nothing, whether a model came or not, as eProsima's does.
"""
from _standin import StandinNode, director, our_id, ours, payload, swig_data, swig_statistics


class ModelListener:
    def statistics_received(self, statistics):
        raise NotImplementedError("ModelListener.statistics_received must be specialized before use.")

    def model_received(self, model) -> bool:
        raise NotImplementedError("ModelListener.model_received must be specialized before use.")


class ModelListenerLambda(ModelListener):
    def __init__(self, callback_statistics, callback_model):
        self.callback_statistics_ = callback_statistics
        self.callback_model_ = callback_model

    def statistics_received(self, statistics):
        return self.callback_statistics_(statistics)

    def model_received(self, model) -> bool:
        return self.callback_model_(model)


class ModelManagerReceiverNode(StandinNode):
    """Model receiver: statistics between ``start()`` and ``stop()``, models on ``request_model``."""

    def __init__(self, id, data, domain: int = None):
        super().__init__(ours("amlip_py.node.ModelManagerReceiverNode").ModelManagerReceiverNode(
            our_id(id), payload(data, "new_ModelManagerReceiverNode"), domain=domain))

    def start(self, callback_statistics=None, callback_model=None, listener: ModelListener = None):
        if listener and (callback_statistics or callback_model):
            raise ValueError("ModelManagerReceiverNode constructor expects a listener object or a callback, "
                             "both given.")
        if not listener and not (callback_statistics and callback_model):
            raise ValueError("ModelManagerReceiverNode constructor expects a listener object or a "
                             "callback_statistics and a callback_model, none given.")
        self.listener_ = listener or ModelListenerLambda(callback_statistics, callback_model)
        self._node.start(
            callback_statistics=director(lambda statistics: self.listener_.statistics_received(
                swig_statistics(statistics))),
            callback_model=director(lambda model: self.listener_.model_received(swig_data(model))))

    def stop(self) -> None:
        self._node.stop()

    def request_model(self, server_id) -> None:
        self._node.request_model(our_id(server_id))
