"""Stand-in for eProsima's py_utils.wait.WaitHandler: ours, without constructor defaults."""
from _standin import ours

AwakeReason = ours("py_utils.wait.WaitHandler").AwakeReason


class WaitHandler(ours("py_utils.wait.WaitHandler").WaitHandler):
    def __init__(self, enabled: bool, init_value):
        super().__init__(enabled, init_value)
