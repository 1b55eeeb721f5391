"""Stand-in for eProsima's py_utils.wait.IntWaitHandler: ours, ``enabled`` required."""
from _standin import ours


class IntWaitHandler(ours("py_utils.wait.IntWaitHandler").IntWaitHandler):
    def __init__(self, enabled: bool, init_value: int = 0):
        super().__init__(enabled, init_value)
