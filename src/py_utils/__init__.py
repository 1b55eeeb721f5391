"""Small threading, timing, logging and debugging helpers, so AML-IP code can keep eProsima's ``py_utils`` imports.

An own implementation of the eProsima dev-utils ``py_utils`` API; the import paths
(``py_utils.wait.IntWaitHandler`` and so on) are part of that API.
"""
