"""Stand-in for eProsima's py_utils.time.Timer: ours (same API)."""
from _standin import ours

Timer = ours("py_utils.time.Timer").Timer
