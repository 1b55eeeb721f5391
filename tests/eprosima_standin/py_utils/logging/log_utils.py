"""Stand-in for eProsima's py_utils.logging.log_utils: ours (same API)."""
import logging  # noqa: F401  (a name of eProsima's module too)

from _standin import ours

CustomLogger = ours("py_utils.logging.log_utils").CustomLogger
logger = ours("py_utils.logging.log_utils").logger
