"""How a job that failed is reported: a solution whose text starts with ``ERROR_MARKER``.

Why: eProsima's protocol has no error message, and a main node waiting for a solution that never
comes hangs. A text solution with a fixed marker travels through the unchanged wire protocol,
reaches the main node's listener like any solution, and is easy to test for:
``solution.to_string().startswith(ERROR_MARKER)``. Model replies report failures the same way, but
a model receiver raises ``ModelRequestError`` for them instead of handing them on as models.
"""
from amlip_py.types.JobSolutionDataType import ERROR_MARKER


def error_payload(reason: str) -> bytes:
    """The solution bytes reporting ``reason``."""
    return f"{ERROR_MARKER}{reason}".encode("utf-8", "surrogateescape")


class ModelRequestError(RuntimeError):
    """A model request that brought no model; ``reason`` says why.

    ``reason`` is ``"timeout"`` (no reply in time), ``"gone"`` (the model sender left before
    answering), ``"refused"`` (the reply was not sealed with our key, or sealed and we hold none),
    ``"failed"`` (the sender answered with an error, e.g. its callback raised) or ``"closed"`` (the
    receiver was stopped or closed while waiting).
    """

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class ModelRequestTimeout(ModelRequestError, TimeoutError):
    """No reply in time: a ModelRequestError that ``except TimeoutError`` catches too."""

    def __init__(self, message: str):
        super().__init__("timeout", message)
