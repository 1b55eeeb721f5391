"""Stand-in for eProsima's py_utils.wait.BooleanWaitHandler: ours, both arguments required."""
from _standin import ours


class BooleanWaitHandler(ours("py_utils.wait.BooleanWaitHandler").BooleanWaitHandler):
    def __init__(self, enabled: bool, init_value: bool):
        super().__init__(enabled, init_value)
