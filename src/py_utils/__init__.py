"""Threading, timing, logging and debugging helpers under eProsima's ``py_utils`` import paths.

An own implementation of the eProsima dev-utils ``py_utils`` API; the import paths
(``py_utils.wait.IntWaitHandler`` and so on) are part of that API.
"""
