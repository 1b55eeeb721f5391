"""Stand-in for eProsima's amlip_py.types.InferenceDataType."""
from amlip_swig import InferenceDataType as cpp_InferenceDataType


class InferenceDataType(cpp_InferenceDataType):
    """Payload built from a ``str`` or ``bytes``; ``to_string()`` and ``str()`` give it back."""

    def __init__(self, message: str | bytes = None):
        super().__init__(message)
