"""Stand-in for eProsima's amlip_py.node.StatusNode, over ours, with its domain-0 and stop bugs."""
from amlip_py.types.StatusDataType import StatusDataType

from _standin import Director, StandinNode, director, ours, pick_listener, swig_status


class StatusListener(Director):
    def status_received(self, status: StatusDataType):
        raise NotImplementedError("StatusListener.status_received must be specialized before use.")


class StatusLambda(StatusListener):
    def __init__(self, callback):
        super().__init__()
        self.callback_ = callback

    def status_received(self, status: StatusDataType):
        self.callback_(status)


class StatusNode(StandinNode):
    """Status node; ``stop_processing()`` fails as theirs does (it calls a C++ method that is missing)."""

    def __init__(self, name: str, domain: int = None):
        super().__init__(ours("amlip_py.node.StatusNode").StatusNode(name, domain=domain or None))

    def process_status_async(self, callback=None, listener: StatusListener = None) -> None:
        self.internal_listener_ = pick_listener(callback, listener, StatusLambda, "Method process_status_async",
                                                "in method 'StatusNode_process_status_async', argument 2 of type "
                                                "'eprosima::amlip::node::StatusListener const &'")
        self._node.process_status_async(callback=director(
            lambda status: self.internal_listener_.status_received(swig_status(status))))

    def stop_processing(self) -> None:
        raise AttributeError("type object 'StatusNode' has no attribute 'stop'")
