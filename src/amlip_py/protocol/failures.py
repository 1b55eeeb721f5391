"""How a job that failed is reported: a solution whose text starts with ``ERROR_MARKER``.

Why: eProsima's protocol has no error message, and a main node waiting for a solution that never
comes hangs. A text solution with a fixed marker travels through the unchanged wire protocol,
reaches the main node's listener like any solution, and is easy to test for:
``solution.to_string().startswith(ERROR_MARKER)``.
"""
from amlip_py.types.JobSolutionDataType import ERROR_MARKER


def error_payload(reason: str) -> bytes:
    """The solution bytes reporting ``reason``."""
    return f"{ERROR_MARKER}{reason}".encode("utf-8", "surrogateescape")
